"""Word transcripts: bold speaker prefixes, timestamp tables, damaged files."""

from __future__ import annotations

import pytest

from conftest import write_docx
from qualcode import InputError, read_transcript


def test_bold_labels_and_continuation(tmp_path):
    path = write_docx(
        tmp_path / "jonas.docx",
        [
            "Anne: Hvad laver du til daglig?",
            "Jonas: Jeg er jobkonsulent i Hedelund. Vi arbejder på tværs.",
            "Det er bare svært, når budgettet er skåret.",
            "Anne: Hvorfor?",
            "Jonas: Fordi målingerne styrer alt.",
        ],
        title="Interview – jobkonsulent",
    )
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["Anne", "Jonas", "Anne", "Jonas"]
    assert t.text[t.turns[1].start : t.turns[1].end] == (
        "Jeg er jobkonsulent i Hedelund. Vi arbejder på tværs.\nDet er bare svært, når budgettet er skåret."
    )
    assert t.metadata["title"] == "Interview – jobkonsulent"
    assert t.format == "docx"


def test_bold_label_without_colon_is_a_speaker(tmp_path):
    import docx

    document = docx.Document()
    for label, text in [("Mette", "Hvad så?"), ("Ole", "Ja, vi prøver."), ("Mette", "Godt.")]:
        p = document.add_paragraph()
        p.add_run(label).bold = True
        p.add_run(" " + text)
    path = tmp_path / "bold.docx"
    document.save(str(path))
    t = read_transcript(path)
    assert [(x.speaker, t.text[x.start : x.end]) for x in t.turns] == [
        ("Mette", "Hvad så?"), ("Ole", "Ja, vi prøver."), ("Mette", "Godt.")
    ]


def test_table_of_time_speaker_text(tmp_path):
    path = write_docx(
        tmp_path / "tabel.docx",
        ["Interview med frivillig"],
        table=[
            ("Tid", "Taler", "Tekst"),
            ("00:00:05", "Kasper", "Velkommen, Erik."),
            ("00:00:09", "Erik", "Tak. Jeg er frivillig i Lindholt."),
            ("00:00:15", "Erik", "Og det har jeg været i fem år."),
            ("00:01:10", "Kasper", "Hvordan er samarbejdet med kommunen?"),
        ],
    )
    t = read_transcript(path)
    assert t.text.startswith("Interview med frivillig\nKasper: Velkommen, Erik.")
    assert [(x.speaker, x.start_time) for x in t.turns] == [("Kasper", 5.0), ("Erik", 9.0), ("Kasper", 70.0)]
    assert t.text[t.turns[1].start : t.turns[1].end] == "Tak. Jeg er frivillig i Lindholt. Og det har jeg været i fem år."


def test_damaged_docx_is_one_clear_line(tmp_path):
    path = tmp_path / "skadet.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert str(err.value) == f"{path}: er ikke et gyldigt Word-dokument (.docx-filen er beskadiget eller ikke en .docx)"
