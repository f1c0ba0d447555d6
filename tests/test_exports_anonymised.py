"""Exports of interview text are anonymised by default, through the reports' Redactor: disagreement
tables, ``suggest --next``, and ``export-qdpx --anonymise`` with every coding moved to the same words."""

from __future__ import annotations

import csv
import json
import zipfile

from click.testing import CliRunner
from lxml import etree

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.codebook.refi import PROJECT_XSD
from qualcode.refi import qde_problems
from team_helpers import CODEBOOK, add_document

NS = {"q": "urn:QDA-XML:project:1.0"}
TEXT = (
    "I: Hvem bestemmer hos jer?\n"
    "IP: Det gør Mette Hansen fra Fjordby Kommune, og vi måles kun på egne mål. Ring til hende på 28 91 44 02.\n"
    "I: Og tiden?\n"
    "IP: Der er ingen tid til møder, siger Mette Hansen.\n"
)
RAW = ("Henrik", "Mette", "Hansen", "Fjordby", "28 91 44 02", "chef_fjordby")
WARNING = "ADVARSEL: Denne fil er IKKE anonymiseret og indeholder persondata"


def build(path):
    """One interview with names, a place and a phone number; anna and bo disagree on both answers."""
    with Project.open(path) as p:
        p.codebook.apply(CODEBOOK, "test")
        doc = add_document(p, "02_chef_fjordby.txt", TEXT,
                           {"role": "chef", "municipality": "Fjordby Kommune", "participant_id": "P02"})
        # speaker labels are names in this interview: what an export must not print
        p.db.execute("UPDATE turns SET speaker = 'Henrik' WHERE speaker = 'IP'")
        p.db.execute("UPDATE segments SET speaker = 'Henrik' WHERE speaker = 'IP'")
        first = TEXT.index("Det gør")
        first_end = TEXT.index(" Ring")
        second = TEXT.index("Der er ingen")
        for start, end, code, coder in [(first, first_end, "barriere.maaling", "anna"), (first, first_end, "barriere.tid", "bo"),
                                        (second, len(TEXT) - 1, "barriere.tid", "anna"), (second, len(TEXT) - 1, "driver.ledelse", "bo")]:
            p.codings.add(doc, start, end, code, coder)
    return doc


def test_disagreement_table_is_anonymised_by_default_and_raw_only_with_the_flag(tmp_path):
    path = tmp_path / "p.qcp"
    build(path)
    table = tmp_path / "uenigheder.csv"
    result = CliRunner().invoke(cli, ["agreement", "-p", str(path), "--disagreements", str(table)])
    assert result.exit_code == 0, result.output
    assert WARNING not in result.output
    rows = list(csv.DictReader(table.open(encoding="utf-8-sig"), delimiter=";"))  # as Danish Excel writes CSV
    assert len(rows) == 2
    blob = table.read_text(encoding="utf-8")
    assert [r for r in RAW if r in blob] == []
    assert rows[0]["document"] == "Interview 01" and rows[0]["speaker"].startswith("[Person")
    assert rows[0]["text"] == "Det gør [Person 1] fra [Kommune A], og vi måles kun på egne mål."
    # the consensus meeting's table reads back the same spans
    rows[0]["agreed"] = "barriere.maaling"
    with table.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = CliRunner().invoke(cli, ["consensus", "-p", str(path), "--table", str(table), "--coder", "lead"])
    assert done.exit_code == 0, done.output
    with Project.open(path, read_only=True) as p:
        (c,) = p.codings.query(source="consensus")
        assert p.documents.get(c.document_id).text[c.start:c.end] == "Det gør Mette Hansen fra Fjordby Kommune, og vi måles kun på egne mål."

    raw = tmp_path / "raw.csv"
    result = CliRunner().invoke(cli, ["agreement", "-p", str(path), "--disagreements", str(raw), "--no-anonymise"])
    assert result.exit_code == 0 and WARNING in result.stderr
    assert all(r in raw.read_text(encoding="utf-8") for r in ("Henrik", "Mette Hansen", "02_chef_fjordby.txt"))


def test_suggest_next_prints_anonymised_text_unless_asked_not_to(tmp_path):
    path = tmp_path / "p.qcp"
    build(path)
    result = CliRunner().invoke(cli, ["suggest", "-p", str(path), "--next", "likely", "--limit", "10", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(ln) for ln in result.stdout.splitlines()]
    texts = {ln["text"] for ln in lines}
    assert texts == {"Ring til hende på [Telefon]."}  # the one sentence nobody has coded yet
    assert [r for r in RAW if r in result.output] == []
    raw = CliRunner().invoke(cli, ["suggest", "-p", str(path), "--next", "likely", "--limit", "10", "--no-anonymise"])
    assert "Ring til hende på 28 91 44 02." in raw.stdout and WARNING in raw.stderr


def test_export_qdpx_anonymise_writes_anonymised_sources_with_codings_on_the_same_words(tmp_path):
    path = tmp_path / "p.qcp"
    build(path)
    out = tmp_path / "anonym.qdpx"
    result = CliRunner().invoke(cli, ["export-qdpx", "-p", str(path), "--out", str(out), "--anonymise"])
    assert result.exit_code == 0, result.output
    assert WARNING not in result.output
    archive = zipfile.ZipFile(out)
    data = archive.read("project.qde")
    assert qde_problems(data, PROJECT_XSD) == []
    root = etree.fromstring(data)
    (source,) = root.findall("q:Sources/q:TextSource", NS)
    assert source.get("name") == "Interview 01"
    text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    everything = data.decode("utf-8") + text
    assert [r for r in RAW if r in everything] == []
    assert "Ring til hende på [Telefon]." in text
    spans = sorted(text[int(s.get("startPosition")):int(s.get("endPosition"))] for s in root.iter("{*}PlainTextSelection"))
    assert spans == [
        "Der er ingen tid til møder, siger [Person 1].",
        "Der er ingen tid til møder, siger [Person 1].",
        "Det gør [Person 1] fra [Kommune A], og vi måles kun på egne mål.",
        "Det gør [Person 1] fra [Kommune A], og vi måles kun på egne mål.",
    ]
    values = {v.text for v in root.iter("{*}TextValue")}
    assert "Kommune A" in values and "Fjordby Kommune" not in values
    assert [c.get("name") for c in root.iter("{*}Case")] == ["IP1"]
    with Project.open(path, read_only=True) as p:  # the project itself is untouched
        assert p.documents.all()[0].text == TEXT


def test_export_qdpx_anonymise_from_a_server_project_equals_the_files_and_a_reader_is_refused(tmp_path, pg_server):
    """The anonymised copy of a server project is made by copying it to a private file (as pull does)."""
    path = tmp_path / "p.qcp"
    build(path)
    team = pg_server.team()
    assert CliRunner().invoke(cli, ["server", "push", str(path), team["mette"]]).exit_code == 0
    outputs = {}
    for where, location in (("file", str(path)), ("server", team["mette"])):
        out = tmp_path / f"{where}.qdpx"
        result = CliRunner().invoke(cli, ["export-qdpx", "-p", location, "--out", str(out), "--anonymise"])
        assert result.exit_code == 0, result.output
        archive = zipfile.ZipFile(out)
        (source,) = etree.fromstring(archive.read("project.qde")).findall("q:Sources/q:TextSource", NS)
        outputs[where] = (source.get("name"), archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8"))
    assert outputs["server"] == outputs["file"]
    assert outputs["server"][0] == "Interview 01" and "Mette" not in outputs["server"][1]
    refused = tmp_path / "rita.qdpx"
    result = CliRunner().invoke(cli, ["export-qdpx", "-p", team["rita"], "--out", str(refused), "--anonymise"])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert result.output == (f"Fejl: {team['rita']}: en anonymiseret kopi laves ud fra transskriptionerne, som din rolle "
                             "ikke må læse; en leder laver den\n")
    assert not refused.exists()
