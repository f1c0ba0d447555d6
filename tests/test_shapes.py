"""Every transcript shape the field produces reads back as the turns it was written from.

The samples in transcripts_sample/former/ are written by tools/build_shape_samples.py from
canonical sources (tools/sample_sources/former/*.tsv: one row per turn, the expected result).
Each test compares the reader's turns with the source: exact count, speakers, start and end
times, and text[start:end] equal to the spoken words, with no label or time mark inside.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qualcode import read_transcript

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from build_shape_samples import read_source  # noqa: E402

FORMER = ROOT / "transcripts_sample" / "former"

# file, its source, layout, how the pieces of one turn are joined in the document text
SHAPES = [
    ("zoom_visningsnavne.vtt", "zoom_visningsnavne", "cue-names", " "),  # Zoom: "Navn (SL): …", unlabelled cues, CRLF
    ("teams_moede.vtt", "teams_moede", "voice-tags", " "),  # Teams: GUID ids, <v> missing on continuation cues
    ("otter_eksport.txt", "otter_eksport", "headings", "\n"),  # Otter.ai text: "Navn  00:13", SPEAKERS, footer
    ("otter_eksport.docx", "otter_eksport_word", "headings", "\n"),  # Otter.ai Word: bold name, plain time
    ("teams_udskrift.docx", "teams_udskrift", "headings", "\n"),  # Teams Word: "Navn   0:03", line break, words
    ("bureau_tidsmarker.docx", "bureau_tidsmarker", "labels", "\n"),  # "[00:12:31] I: …", a mark continues a turn
    ("bureau_egen_linje.txt", "bureau_egen_linje", "headings", "\n\n"),  # "I:" alone, cp1252, CRLF
    ("firkantede_tider.txt", "firkantede_tider", "labels", "\n"),  # "[Mette 00:01:12] …", UTF-8 BOM
    ("libreoffice_fede_navne.odt", "libreoffice_fede_navne", "labels", "\n"),  # bold names without a colon
    ("bureau_tabel.odt", "bureau_tabel", "table", " "),  # tid | taler | tekst, rows without a speaker
    ("transskription.rtf", "transskription_rtf", "labels", "\n"),  # RTF as LibreOffice writes it
]


def _round(t):
    return None if t is None else round(t, 3)


@pytest.mark.parametrize("name, source, layout, joiner", SHAPES, ids=[s[0] for s in SHAPES])
def test_sample_reads_back_as_its_source(name, source, layout, joiner):
    t = read_transcript(FORMER / name)
    expected = [(r.speaker, _round(r.start), _round(r.end), joiner.join(r.pieces)) for r in read_source(source)]
    got = [(x.speaker, _round(x.start_time), _round(x.end_time), t.text[x.start : x.end]) for x in t.turns]
    assert got == expected
    assert t.notes.layout == layout
    assert [x.index for x in t.turns] == list(range(len(t.turns)))


@pytest.mark.parametrize("name, source, layout, joiner", SHAPES, ids=[s[0] for s in SHAPES])
def test_no_label_or_time_mark_inside_the_spoken_text(name, source, layout, joiner):
    import re

    t = read_transcript(FORMER / name)
    speakers = {x.speaker for x in t.turns if x.speaker}
    for turn in t.turns:
        spoken = t.text[turn.start : turn.end]
        assert spoken == spoken.strip() and spoken
        assert not re.search(r"\[?\d{1,2}:\d{2}(:\d{2})?\]?", spoken), spoken
        assert not any(spoken.startswith(s) for s in speakers), spoken


@pytest.mark.parametrize(
    "name, notes",
    [
        # Zoom: 6 continuation cues without a name; two people speak once; "Altså:" is no speaker.
        ("zoom_visningsnavne.vtt", dict(attached=6, unsure=("Øjvinds iPad", "Ursula Ørsted"), rejected=(("Altså", 1),),
                                     recurring=("Maria Holm (hun/hende)", "Élodie Brandt (SL)", "Łukasz Nowak (Jobcenter)"))),
        ("teams_moede.vtt", dict(attached=5, unsure=(), rejected=())),
        ("bureau_tabel.odt", dict(attached=1)),  # one table row without a speaker
        ("bureau_tidsmarker.docx", dict(time_marks=1, rejected=(("Altså", 1),))),
        ("bureau_egen_linje.txt", dict(rejected=(("Nej", 1),))),  # "Nej: det er ikke nok." is no speaker
        ("otter_eksport.txt", dict(unsure=(), rejected=())),  # the header's SPEAKERS/SUMMARY are no speakers
    ],
)
def test_what_the_reader_guessed_is_recorded(name, notes):
    t = read_transcript(FORMER / name)
    for key, value in notes.items():
        assert getattr(t.notes, key) == value, key


def test_otter_unknown_speaker_is_stored_as_such_and_the_header_and_footer_are_in_no_turn():
    t = read_transcript(FORMER / "otter_eksport.txt")
    unknown = [x for x in t.turns if x.speaker == ""]
    assert [(x.start_time, t.text[x.start : x.end]) for x in unknown] == [(3520.0, "Undskyld, jeg skal lige lukke døren.")]
    assert "Unknown Speaker" in t.text  # the file's own text is kept ...
    assert t.text.endswith("Transcribed by https://otter.ai")  # ... but the credit is nobody's turn
    assert t.text[t.turns[-1].start : t.turns[-1].end] == "Tak, Mette. Så slukker jeg."


def _write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def spoken(t):
    return [(x.speaker, x.start_time, t.text[x.start : x.end]) for x in t.turns]


def test_word_transcription_time_then_speaker_on_its_own_line(tmp_path):
    path = _write(tmp_path, "word.txt", "00:00:03 Taler 1\nHej og velkommen.\n\n00:00:09 Taler 2\nTak.\n\n00:00:15 Taler 1\nGodt.\n")
    assert spoken(read_transcript(path)) == [
        ("Taler 1", 3.0, "Hej og velkommen."), ("Taler 2", 9.0, "Tak."), ("Taler 1", 15.0, "Godt."),
    ]


def test_zoom_text_file_bracket_name_then_clock(tmp_path):
    path = _write(tmp_path, "zoom.txt", "[Mette Hansen] 10:15:03\nGodmorgen.\n[Ole Berg] 10:15:09\nGodmorgen, Mette.\n")
    assert spoken(read_transcript(path)) == [
        ("Mette Hansen", 36903.0, "Godmorgen."), ("Ole Berg", 36909.0, "Godmorgen, Mette."),
    ]


def test_f4_time_marks_at_paragraph_ends_stay_out_of_the_text(tmp_path):
    path = _write(tmp_path, "f4.txt", "I: Hvordan startede det? #00:00:04-2#\n\nB: Med en sag. #00:00:09-0#\n\nI: Og så? #00:00:15-5#\n")
    t = read_transcript(path)
    assert spoken(t) == [("I", None, "Hvordan startede det?"), ("B", 4.0, "Med en sag."), ("I", 9.0, "Og så?")]
    assert t.notes.time_marks == 3


def test_labels_with_times_in_parentheses(tmp_path):
    path = _write(tmp_path, "p.txt", "Mette (00:00:12): Hvem er med?\nOle (00:00:15): Det er jeg.\nMette (00:00:20): Godt.\n")
    assert spoken(read_transcript(path)) == [("Mette", 12.0, "Hvem er med?"), ("Ole", 15.0, "Det er jeg."), ("Mette", 20.0, "Godt.")]


def test_a_line_inside_an_otter_turn_that_starts_like_a_label_is_spoken_text(tmp_path):
    path = _write(tmp_path, "o.txt", "Kasper Lund  00:02\nHvad sagde hun?\n\nMette Vinther  00:05\nHun sagde:\nNej: det gør vi ikke.\nMette: sådan sagde hun.\n\nKasper Lund  00:20\nOkay.\n")
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["Kasper Lund", "Mette Vinther", "Kasper Lund"]
    assert t.text[t.turns[1].start : t.turns[1].end] == "Hun sagde:\nNej: det gør vi ikke.\nMette: sådan sagde hun."


def test_two_voices_in_one_cue_are_two_turns(tmp_path):
    path = _write(tmp_path, "t.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Kasper>Ja?</v><v Mette>Nej.</v>\n\n2\n00:00:03.500 --> 00:00:05.000\n<v Kasper>Okay.</v>\n")
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time, t.text[x.start : x.end]) for x in t.turns] == [
        ("Kasper", 1.0, 3.0, "Ja?"), ("Mette", 1.0, 3.0, "Nej."), ("Kasper", 3.5, 5.0, "Okay."),
    ]


def test_cues_before_any_speaker_are_the_unknown_speaker_without_a_label_in_the_text(tmp_path):
    path = _write(tmp_path, "u.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHallo?\n\n00:00:02.500 --> 00:00:04.000\n<v Kasper>Hej, kan du høre mig?</v>\n")
    t = read_transcript(path)
    assert t.text == "Hallo?\nKasper: Hej, kan du høre mig?"
    assert [(x.speaker, t.text[x.start : x.end]) for x in t.turns] == [("", "Hallo?"), ("Kasper", "Hej, kan du høre mig?")]
    assert "Ukendt" not in t.text and "Unknown" not in t.text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_stored_text_does_not_depend_on_the_language(tmp_path, lang):
    from qualcode.i18n import use_language

    path = _write(tmp_path, "n.txt", "Vi talte om samarbejde.\nDet gik fint.\n")
    with use_language(lang):
        t = read_transcript(path)
    assert t.text == "Vi talte om samarbejde.\nDet gik fint." and [x.speaker for x in t.turns] == [""]


def test_bureau_word_table_with_danish_lower_case_headers_and_end_times(tmp_path):
    from conftest import write_docx

    path = write_docx(tmp_path / "tabel.docx", ["Interview"], table=[
        ("start", "slut", "taler", "tekst"),
        ("00:00:05", "00:00:08", "Kasper", "Velkommen."),
        ("00:00:09", "00:00:20", "Erik", "Tak."),
        ("", "00:00:31", "", "Jeg er frivillig."),  # no speaker: Erik goes on
    ])
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time, t.text[x.start : x.end]) for x in t.turns] == [
        ("Kasper", 5.0, 8.0, "Velkommen."), ("Erik", 9.0, 31.0, "Tak. Jeg er frivillig."),
    ]
    assert t.notes.attached == 1


def test_names_alone_on_a_line_without_a_colon_are_labels_when_they_recur(tmp_path):
    path = _write(tmp_path, "b.txt", "Interview med Mette, Hedelund\n\nInterviewer\nHvordan går det?\n\nMette\nGodt.\nDet er travlt.\n\n"
                                     "Interviewer\nHvorfor?\n\nMette\nBudgettet.\n")
    t = read_transcript(path)
    assert spoken(t) == [("Interviewer", None, "Hvordan går det?"), ("Mette", None, "Godt.\nDet er travlt."),
                         ("Interviewer", None, "Hvorfor?"), ("Mette", None, "Budgettet.")]
    assert t.notes.layout == "headings" and t.notes.rejected == ()


def test_a_word_alone_on_a_line_is_not_a_speaker_even_when_it_recurs(tmp_path):
    path = _write(tmp_path, "w.txt", "I: Hvad sagde du?\nIP: Jeg sagde\nJa\nog så gik jeg.\nI: Og han?\nIP: Han sagde\nJa.\nNej\nog så gik han.\n")
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["I", "IP", "I", "IP"]
    assert t.text[t.turns[3].start : t.turns[3].end] == "Han sagde\nJa.\nNej\nog så gik han."


@pytest.mark.parametrize("source", ["zoom_visningsnavne.vtt", "teams_moede.vtt"])
def test_subtitles_saved_as_txt_are_read_as_subtitles(tmp_path, source):
    renamed = _write(tmp_path, "udskrift.txt", (FORMER / source).read_bytes())
    t, original = read_transcript(renamed), read_transcript(FORMER / source)
    assert (t.format, t.text, t.turns) == ("vtt", original.text, original.turns)


def test_srt_saved_as_txt(tmp_path):
    path = _write(tmp_path, "s.txt", "1\n00:00:01,000 --> 00:00:02,000\nHost: Hej.\n\n2\n00:00:03,000 --> 00:00:04,000\nGuest: Hej selv.\n\n"
                                     "3\n00:00:05,000 --> 00:00:06,000\nHost: Godt.\n\n4\n00:00:07,000 --> 00:00:08,000\nGuest: Ja.\n")
    t = read_transcript(path)
    assert t.format == "srt" and [x.speaker for x in t.turns] == ["Host", "Guest", "Host", "Guest"]


def test_a_word_table_without_header_row(tmp_path):
    from conftest import write_docx

    path = write_docx(tmp_path / "t.docx", ["Interview"], table=[
        ("00:00:05", "I", "Velkommen."), ("00:00:09", "IP", "Tak."), ("00:00:15", "I", "Hvad laver du?"),
        ("00:00:20", "IP", "Jeg er visitator."), ("", "", "I Skovbæk."),
    ])
    t = read_transcript(path)
    assert spoken(t) == [("I", 5.0, "Velkommen."), ("IP", 9.0, "Tak."), ("I", 15.0, "Hvad laver du?"),
                         ("IP", 20.0, "Jeg er visitator. I Skovbæk.")]


def test_a_table_of_other_content_is_text(tmp_path):
    from conftest import write_docx

    path = write_docx(tmp_path / "m.docx", ["I: Hvad laver du?", "IP: Jeg er visitator.", "I: Tak.", "IP: Selv tak."],
                      table=[("Interviewer", "Kasper Lund"), ("Dato", "12. marts"), ("Sted", "Rådhuset")])
    assert [x.speaker for x in read_transcript(path).turns] == ["I", "IP", "I", "IP"]
