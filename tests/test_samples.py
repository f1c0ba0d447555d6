"""The shipped sample transcripts import exactly as their raw files say they should.

Turn counts are checked against an independent count made from the raw files
with the speaker labels named in metadata.csv (not with the readers' logic).
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import docx
import pytest

from qualcode import read_transcript
from qualcode.readers.encoding import decode_bytes

from conftest import SAMPLES

ROWS = list(csv.DictReader((SAMPLES / "metadata.csv").open(encoding="utf-8")))
BY_FILE = {r["file"]: r for r in ROWS}


def labels(row) -> set[str]:
    return {row["speaker"], row["interviewer"]}


def raw_turn_count(path, row) -> int:
    """Speaker changes in the raw file, using only the labels from metadata.csv."""
    names = "|".join(re.escape(x) for x in sorted(labels(row), key=len, reverse=True))
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        speakers = []
        for table in document.tables:
            speakers += [r.cells[1].text.strip() for r in table.rows[1:]]
        for p in document.paragraphs:
            m = re.match(rf"^({names}):", p.text)
            if m:
                speakers.append(m.group(1))
    else:
        text, _ = decode_bytes(path.read_bytes(), path)
        if path.suffix in (".vtt", ".srt"):
            pattern = rf"^(?:<v ({names})>|({names}): )"
        else:
            pattern = rf"^(?:\[\d\d:\d\d:\d\d\] )?(?:({names}):|\[({names})\])"
        speakers = [next(g for g in m.groups() if g) for m in re.finditer(pattern, text, re.M)]
    changes = [s for i, s in enumerate(speakers) if i == 0 or s != speakers[i - 1]]
    return len(changes)


@pytest.mark.parametrize("name", sorted(BY_FILE), ids=str)
def test_turns_match_the_raw_file(name):
    path = SAMPLES / name
    row = BY_FILE[name]
    t = read_transcript(path, known_speakers=labels(row))
    assert len(t.turns) == raw_turn_count(path, row)
    assert {x.speaker for x in t.turns} == labels(row)
    for turn in t.turns:
        spoken = t.text[turn.start : turn.end]
        assert spoken and spoken == spoken.strip()
        assert not spoken.startswith(f"{turn.speaker}:")


@pytest.mark.parametrize("name", sorted(BY_FILE), ids=str)
def test_length_and_danish_letters(name):
    t = read_transcript(SAMPLES / name)
    words = len(t.text.split())
    assert 1500 <= words <= 4000, f"{name}: {words} words"
    assert all(ch in t.text for ch in "æøå")
    assert not re.search("Ã[¦¸¥†˜…]", t.text), "mojibake"


def test_the_set_covers_every_format_and_role():
    formats = Counter((SAMPLES / n).suffix for n in BY_FILE)
    assert formats[".txt"] >= 3 and formats[".docx"] >= 2 and formats[".vtt"] >= 2
    encodings = {n: read_transcript(SAMPLES / n).encoding for n in BY_FILE if n.endswith(".txt")}
    assert "cp1252" in encodings.values()
    assert "utf-8-sig" in encodings.values()
    assert any(read_transcript(SAMPLES / n).metadata for n in BY_FILE if n.endswith(".txt"))
    assert {r["role"] for r in ROWS} == {"direktør", "chef", "leder", "medarbejder", "frivillig", "borger"}
    assert len({r["municipality"] for r in ROWS}) == 3


def test_sample_project_roles_and_offsets(sample_project):
    docs = sample_project.documents.all()
    assert sorted(d.name for d in docs) == sorted(BY_FILE)
    for d in docs:
        row = BY_FILE[d.name]
        turns = sample_project.documents.turns(d.id)
        assert {t.role for t in turns if not t.is_interviewer} == {row["role"]}
        assert {t.speaker for t in turns if t.is_interviewer} == {row["interviewer"]}
        assert d.metadata["municipality"] == row["municipality"]
        for s in sample_project.documents.segments(d.id):
            assert d.text[s.start : s.end] == s.text
