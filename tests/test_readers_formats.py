"""LibreOffice (.odt) and RTF readers; old Word (.doc) and PDF are refused with what to do instead."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode import InputError, read_transcript
from qualcode.cli.main import cli


def _odt(path, paragraphs=(), table=None, bold=()):
    """An .odt made with odfdo: ``bold`` names the paragraphs whose first word is a bold span."""
    from odfdo import Document, Paragraph, Span, Style, Table

    document = Document("text")
    document.insert_style(Style("text", name="Fed", bold=True), automatic=True)
    for i, text in enumerate(paragraphs):
        p = Paragraph("")
        if i in bold:
            label, rest = text.split(" ", 1)
            p.append(Span(label, style="Fed"))
            p.append(" " + rest)
        else:
            p.append(text)
        document.body.append(p)
    if table:
        t = Table("Transskription", width=len(table[0]), height=len(table))
        t.set_values([list(r) for r in table])
        document.body.append(t)
    document.save(str(path))
    return path


def spoken(t):
    return [(x.speaker, x.start_time, t.text[x.start : x.end]) for x in t.turns]


def test_odt_bold_names_and_continuation_paragraphs(tmp_path):
    path = _odt(tmp_path / "i.odt", ["Interview om frivillighed", "Kasper Hvad laver du?", "Ida Jeg er koordinator.",
                                     "Det har jeg været i to år.", "Kasper Tak."], bold={1, 2, 4})
    t = read_transcript(path)
    assert spoken(t) == [("Kasper", None, "Hvad laver du?"), ("Ida", None, "Jeg er koordinator.\nDet har jeg været i to år."),
                         ("Kasper", None, "Tak.")]
    assert t.format == "odt" and t.notes.layout == "labels"


def test_odt_table_of_time_speaker_text(tmp_path):
    path = _odt(tmp_path / "t.odt", ["Interview"], table=[("Tid", "Taler", "Tekst"), ("00:00:05", "Kasper", "Velkommen, Åse."),
                                                        ("00:00:09", "Åse", "Tak."), ("", "", "Jeg er ergoterapeut.")])
    t = read_transcript(path)
    assert spoken(t) == [("Kasper", 5.0, "Velkommen, Åse."), ("Åse", 9.0, "Tak. Jeg er ergoterapeut.")]
    assert t.text.startswith("Interview\nKasper: Velkommen, Åse.")


def test_rtf_code_page_and_unicode_escapes_keep_danish_letters(tmp_path):
    path = tmp_path / "t.rtf"
    path.write_bytes(
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}"
        rb"\pard I: Hvordan g\'e5r samarbejdet?\par"
        rb"\pard IP: Godt. Vi m\'f8des i \'c6r\'f8sk\'f8bing, og \u321?ukasz er med.\par"
        rb"\pard I: Tak.\par}"
    )
    t = read_transcript(path)
    assert spoken(t) == [("I", None, "Hvordan går samarbejdet?"), ("IP", None, "Godt. Vi mødes i Ærøskøbing, og Łukasz er med."),
                         ("I", None, "Tak.")]
    assert t.encoding == "cp1252"


@pytest.mark.parametrize(
    "name, content, problem",
    [
        # An old Word file: say what to save it as.
        ("interview.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "er et gammelt Word-dokument (.doc); åbn det i Word eller LibreOffice, gem det som .docx, og importér den fil"),
        ("interview.pdf", b"%PDF-1.7", "er en PDF; eksportér transskriptionen fra det program, der lavede den, som .docx, .odt, .txt eller .vtt"
                                       " (en PDF bevarer ikke talernes og linjernes rækkefølge pålideligt)"),
        ("INTERVIEW.DOC", b"x", "er et gammelt Word-dokument (.doc); åbn det i Word eller LibreOffice, gem det som .docx, og importér den fil"),
        ("skadet.odt", b"PK\x03\x04 not a zip", "er ikke et gyldigt LibreOffice-tekstdokument (.odt-filen er beskadiget eller ikke en .odt)"),
        ("ikke.rtf", b"Bare tekst", "er ikke en RTF-fil (den skal begynde med '{\\rtf')"),
    ],
)
def test_formats_refused_with_one_line_saying_what_to_do(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_transcript(path)
    where = f"{path}:1" if name.endswith(".rtf") else str(path)
    assert str(err.value) == f"{where}: {problem}"


def test_a_spreadsheet_saved_as_odt_is_refused(tmp_path):
    from odfdo import Document

    path = tmp_path / "regneark.odt"
    Document("spreadsheet").save(str(path))
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert str(err.value) == f"{path}: er ikke et LibreOffice-tekstdokument (en .odt med tekst)"


def test_cli_refuses_doc_with_exit_2_and_one_line(tmp_path):
    path = tmp_path / "gammel.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = CliRunner().invoke(cli, ["import", str(path), "--project", str(tmp_path / "p.qcp"), "--lang", "en"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {path}: is an old Word document (.doc); open it in Word or LibreOffice and save it as .docx, then import that"
    )
