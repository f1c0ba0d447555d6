"""Usage figures for refining a codebook: per code, unused, broad, co-occurring."""

from __future__ import annotations

import dataclasses
import re

import pytest
from click.testing import CliRunner

from qualcode import Project, Segment, Transcript, Turn
from qualcode.cli.main import cli
from qualcode.codebook import Code, Codebook
from qualcode.codebook.usage import broad_codes, co_occurrence, code_usage, unused_codes

# Every test below runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends(every_test=True)

DOC1 = (
    "I: Hvad gør samarbejdet svært?\n"
    "IP: Vi har ikke tid. Budgettet er skåret ned. Driften æder alt.\n"
    "I: Hvad hjælper så?\n"
    "IP: Ildsjælene. Topledelsen bakker op."
)
# A group interview: two participants in one document.
DOC2 = (
    "I: Fortæl om jeres hverdag.\n"
    "A: Der er travlt. Vi når det ikke.\n"
    "B: Vi mangler tid til møderne."
)
PARTICIPANTS = {"IP": "P07", "A": "P08", "B": "P09"}

CODEBOOK = Codebook(
    "Test", "1", "da", "",
    (
        Code("barrierer", "Barrierer", None),
        Code("b.tid", "Tidspres", "barrierer"),
        Code("b.budget", "Budget", "barrierer"),
        Code("b.drift", "Driften", "barrierer"),
        Code("drivkraefter", "Drivkræfter", None),
        Code("d.ildsjael", "Ildsjæle", "drivkraefter"),
        Code("d.ledelse", "Ledelse", "drivkraefter"),
    ),
)


def add_document(project: Project, name: str, text: str) -> int:
    """Add a transcript with its turns and hand-made sentence segments."""
    turns, segments, start = [], [], 0
    for index, line in enumerate(text.split("\n")):
        label = line.split(": ", 1)[0]
        begin, end = start + len(label) + 2, start + len(line)
        is_interviewer = label == "I"
        turns.append(Turn(index, label, begin, end, is_interviewer=is_interviewer, participant_id=PARTICIPANTS.get(label)))
        for match in re.finditer(r"[^.?!]+[.?!]", text[begin:end]):
            s = begin + match.start() + (len(match.group()) - len(match.group().lstrip()))
            e = begin + match.end()
            segments.append(Segment(0, index, "sentence", len(segments), s, e, text[s:e], label, None, is_interviewer))
        start += len(line) + 1
    doc_id = project.documents.add(Transcript(name, f"{name}.txt", "txt", text, tuple(turns)))
    project.documents.replace_segments(doc_id, [dataclasses.replace(s, document_id=doc_id) for s in segments])
    return doc_id


@pytest.fixture(scope="module")
def project():
    p = Project.in_memory()
    d1 = add_document(p, "interview_07", DOC1)
    d2 = add_document(p, "gruppe_08", DOC2)
    p.codebook.apply(CODEBOOK, "anna")

    def code(doc, text, passage, code_id, coder="anna", status="accepted"):
        start = text.index(passage)
        p.codings.add(doc, start, start + len(passage), code_id, coder, status=status)

    code(d1, DOC1, "Vi har ikke tid.", "b.tid")
    code(d1, DOC1, "Vi har ikke tid. Budgettet er skåret ned.", "b.budget")
    code(d2, DOC2, "Vi når det ikke.", "b.tid")
    code(d2, DOC2, "Vi mangler tid til møderne.", "b.tid", coder="bo")
    code(d1, DOC1, "Ildsjælene.", "d.ildsjael", coder="qualcode", status="suggested")
    code(d1, DOC1, "Driften æder alt.", "b.drift", status="rejected")
    yield p
    p.close()


def test_per_code_counts(project):
    usage = code_usage(project).set_index("code_id")
    assert list(usage.index) == list(CODEBOOK.ids())  # every code, in codebook order
    assert usage.loc["b.tid", ["codings", "documents", "participants", "segments"]].tolist() == [3, 2, 3, 3]
    assert usage.loc["b.budget", ["codings", "documents", "participants", "segments"]].tolist() == [1, 1, 1, 2]
    assert usage.loc["b.tid", "share_of_segments"] == pytest.approx(3 / 8)  # 8 segments outside the interviewer's turns
    assert usage.loc["b.tid", "theme"] == "barrierer" and usage.loc["b.tid", "name"] == "Tidspres"
    assert usage.loc["d.ildsjael", "codings"] == 0  # a suggestion nobody accepted is not usage


def test_statuses_to_count_can_be_chosen(project):
    usage = code_usage(project, statuses=("accepted", "suggested")).set_index("code_id")
    assert usage.loc["d.ildsjael", ["codings", "participants"]].tolist() == [1, 1]


def test_segments_can_include_the_interviewer(project):
    usage = code_usage(project, include_interviewer=True).set_index("code_id")
    assert usage.loc["b.tid", "share_of_segments"] == pytest.approx(3 / 11)


def test_unused_and_broad_codes(project):
    assert unused_codes(project)["code_id"].tolist() == ["barrierer", "b.drift", "drivkraefter", "d.ildsjael", "d.ledelse"]
    assert broad_codes(project, threshold=0.3)["code_id"].tolist() == ["b.tid"]
    assert broad_codes(project, threshold=0.25)["code_id"].tolist() == ["b.tid", "b.budget"]


def test_co_occurring_pairs_with_counts_and_jaccard(project):
    pairs = co_occurrence(project)
    assert pairs.to_dict("records") == [
        {"code_a": "b.budget", "code_b": "b.tid", "name_a": "Budget", "name_b": "Tidspres",
         "both": 1, "segments_a": 2, "segments_b": 3, "jaccard": 0.25},
    ]
    assert co_occurrence(project, min_count=2).empty


def test_usage_cli(project, tmp_path):
    path = tmp_path / "studie.qcp"
    # Copy the in-memory project to a file through SQLite's backup API.
    import sqlite3

    target = sqlite3.connect(path)
    project.db.conn.backup(target)
    target.close()
    result = CliRunner().invoke(cli, ["codebook", "usage", "-p", str(path), "--broad", "0.3", "--csv", str(tmp_path / "tal")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["Kode", "Kodninger", "Dok.", "Delt.", "Andel"]
    # Danish numbers: decimal comma, a space before "%".
    assert lines[2].split() == ["b.tid", "3", "2", "3", "37,5", "%"]
    assert "Ubrugte koder (5): barrierer, b.drift, drivkraefter, d.ildsjael, d.ledelse" in lines
    assert "Brede koder (mindst 30 % af segmenterne) (1): b.tid 38 %" in lines
    assert "  b.budget + b.tid: 1 (Jaccard 0,25)" in lines
    english = CliRunner().invoke(cli, ["codebook", "usage", "-p", str(path), "--broad", "0.3", "--lang", "en"]).output.splitlines()
    assert english[2].split() == ["b.tid", "3", "2", "3", "37.5%"]
    assert "  b.budget + b.tid: 1 (Jaccard 0.25)" in english
    # The CSV as Danish Excel opens it: a byte order mark, semicolons, decimal commas.
    raw = (tmp_path / "tal" / "usage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcode_id;")
    assert raw.decode("utf-8-sig").splitlines()[2].startswith("b.tid;Tidspres;barrierer;3;2;3;3;0,375")
    assert (tmp_path / "tal" / "co_occurrence.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "b.budget;b.tid;Budget;Tidspres;1;2;3;0,25"
    CliRunner().invoke(cli, ["--lang", "en", "codebook", "usage", "-p", str(path), "--csv", str(tmp_path / "en")])
    assert (tmp_path / "en" / "usage.csv").read_text(encoding="utf-8-sig").splitlines()[2].startswith("b.tid,Tidspres,barrierer,3,2,3,3,0.375")
