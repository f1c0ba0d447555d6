"""Shapes an independent check of the readers broke (tests/data/shapes/, built by tools/build_test_shapes.py).

Each row gives the exact turns a file must read as: speaker, start and end time,
and ``text[start:end]``: the spoken words, without a label or a time mark.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import read_transcript
from qualcode.cli.main import cli

SHAPES = Path(__file__).resolve().parent / "data" / "shapes"

# Bureau table rows as every table fixture holds them (the comment column is nobody's words).
TABLE_TURNS = [
    ("Interviewer", 5.0, None, "Kan du fortælle om samarbejdet med jobcentret?"),
    ("Émilie Durand", 15.0, None, "Vi mødes hver anden uge. Nej: det tror jeg ikke, at vi gør nok af."),
    ("Interviewer", 35.0, None, "Hvad er den største barriere?"),
    ("Émilie Durand", 45.0, None, "Tiden."),
]
UNTIMED_TABLE_TURNS = [(s, None, e, x) for s, _t, e, x in TABLE_TURNS]
TAB_TURNS = [
    ("I", None, None, "Hvordan samarbejder I med jobcentret?"),
    ("IP", None, None, "Vi mødes hver anden uge.\nAltså: det er ikke nok."),
    ("I", None, None, "Hvorfor ikke?"),
    ("IP", None, None, "Tiden."),
]

COLUMN_TURNS = [
    ("Interviewer", 5.0, None, "Hvordan blev du frivillig?"), ("Informant", 11.0, None, "Via min nabo. Hun tog mig med."),
    ("Interviewer", 20.0, None, "Hvad laver du?"), ("Informant", 24.0, None, "Lektiehjælp."),
]

CASES = [
    # Zoom display names typed in lower case and a phone's name: taken because they recur in
    # the name's place; "altså:" in lower case is still no speaker, and its cue goes on.
    ("zoom_smaa_bogstaver.vtt", "cue-names", [
        ("mette", 1.0, 4.0, "Velkommen, og tak fordi I ville være med."),
        ("jens p (jobcenter)", 4.5, 11.0, "Tak. Jeg er virksomhedskonsulent. Nej: det tror jeg ikke, at vi gør nok."),
        ("iPhone 12", 11.5, 14.0, "Undskyld, jeg sidder på telefonen."),
        ("mette", 14.5, 17.0, "Det er helt fint. Hvad laver du?"),
        ("iPhone 12", 17.5, 24.0, "Jeg er frivillig i lektiecaféen. altså: det er jo om tirsdagen."),
    ]),
    # Zoom's saved transcript with lower-case names: "[mette] 10:15:03" alone on a line.
    ("zoom_gemt_smaa_bogstaver.txt", "headings", [
        ("mette", 36903.0, None, "Godmorgen, kan I høre mig?"),
        ("jens p", 36909.0, None, "Ja, fint."),
        ("jens p", 36912.0, None, "Jeg skal lige finde mine noter."),
        ("mette", 36920.0, None, "Vi starter med samarbejdet."),
    ]),
    # Zoom display names in Arabic and Chinese (no capitals in those scripts) and with an emoji.
    ("zoom_skrifter.vtt", "cue-names", [
        ("محمد علي", 1.0, 3.0, "مرحبا، هل تسمعني؟"),
        ("Mette Holm 🌻", 3.5, 5.0, "Ja, jeg kan godt høre dig."),
        ("李明 (tolk)", 5.5, 7.0, "Han siger, at han kan høre dig."),
        ("محمد علي", 7.5, 9.0, "جيد."),
        ("李明 (tolk)", 9.5, 11.0, "Godt, siger han."),
        ("Mette Holm 🌻", 11.5, 13.0, "Så begynder vi."),
    ]),
    # Otter.ai without speaker names: each time alone on a line is the start of a turn, never words.
    ("otter_kun_tider.txt", "none", [
        ("", 3.0, None, "Kan du fortælle om samarbejdet med jobcentret?"),
        ("", 9.0, None, "Vi mødes hver anden uge."),
        ("", 3733.0, None, "Tak for i dag."),
    ]),
    # Otter.ai: "Tirsdag 10:30" right under a heading is the answer, not a heading; "Onsdag 14:15"
    # inside a turn runs against the times around it and is words too.
    ("otter_tid_i_teksten.txt", "headings", [
        ("Mette Vinther", 3.0, None, "Hvornår mødes I med jobcentret?"),
        ("Ole Bak", 9.0, None, "Tirsdag 10:30"),
        ("Mette Vinther", 14.0, None, "Hver uge?"),
        ("Ole Bak", 18.0, None, "Ja, hver uge. Og vi har et fast punkt på dagsordenen:\n\nOnsdag 14:15\n\nDet er borgerens plan."),
        ("Mette Vinther", 41.0, None, "Tak."),
    ]),
    # SubRip without blank lines between cues, a gap in the numbering, dots in the times, past
    # ten hours; <i> and SSA's {\an8} are markup, not words.
    ("srt_uden_blanke_linjer.srt", "cue-names", [
        ("Interviewer", 36010.0, 36013.7, "Hvordan samarbejder I med jobcentret?"),
        ("IP3", 36015.5, 36023.2, "Vi mødes hver anden uge. Nej: det er ikke nok."),
        ("Interviewer", 36025.0, 36028.7, "Hvorfor ikke?"),
        ("IP3", 36030.5, 36034.2, "Tiden. Der er ikke tid nok."),
    ]),
    # A title row merged across the columns above the header; "Tid (tt:mm:ss)"; a comment column.
    ("tabel_titelraekke.docx", "table", TABLE_TURNS),
    ("tabel_titelraekke.odt", "table", TABLE_TURNS),  # the same, saved by LibreOffice
    ("tabel_engelsk.docx", "table", TABLE_TURNS),  # "Timecode | Speaker | Dialogue"
    ("tabel_ukendte_navne.docx", "table", TABLE_TURNS),  # "TC | Person der taler | Sagt": judged by the cells
    ("tabel_uden_hoved.rtf", "table", TABLE_TURNS),  # RTF rows "00:00:05|Interviewer|…|", no header
    ("tabel_to_kolonner.rtf", "table", UNTIMED_TABLE_TURNS),  # RTF rows "Interviewer|…|", no header
    # Google Meet saved as Word: a time alone above each "Navn: tekst" (the first one above the first label).
    ("meet_udskrift.docx", "labels", [
        ("Mette Holm", 3.0, None, "Velkommen til."), ("Ole Bak", 9.0, None, "Tak. Jeg er frivillig."),
        ("Mette Holm", 15.0, None, "Hvor længe har du været det?"), ("Ole Bak", 3733.0, None, "I seks år."),
    ]),
    # Teams' older Word download: "0:0:6.500 --> 0:0:10.200", the name alone, the words. Each cue
    # is a turn (the next cue's timing line and name stand between two cues of one speaker).
    ("teams_gammel_udskrift.docx", "headings", [
        ("Søren Ølgaard", 1.0, 4.7, "Velkommen til."), ("Émilie Durand", 6.5, 10.2, "Tak for det."),
        ("Émilie Durand", 10.5, 14.2, "Jeg er sagsbehandler."), ("Søren Ølgaard", 16.0, 19.7, "Hvad laver du så?"),
    ]),
    # Teams' Word export with the cue's times in the heading.
    ("teams_pile.docx", "headings", [
        ("Søren Ølgaard", 1.0, 4.7, "Velkommen til."), ("Émilie Durand", 6.5, 10.2, "Tak for det."),
        ("Émilie Durand", 10.5, 14.2, "Jeg er sagsbehandler."), ("Søren Ølgaard", 16.0, 19.7, "Hvad laver du så?"),
    ]),
    # A column per speaker ("Tid | Interviewer | Informant"); a row without a time goes on the turn.
    ("tabel_kolonne_pr_taler.docx", "table", COLUMN_TURNS),
    ("tabel_kolonne_pr_taler.rtf", "table", COLUMN_TURNS),  # the same as RTF rows "00:00:11||Via min nabo.|"
    # A bureau's hanging indent: "I<TAB>Hvordan …" without a colon.
    ("bureau_tabulator.docx", "labels", TAB_TURNS),
]


@pytest.mark.parametrize("name, layout, expected", CASES, ids=[c[0] for c in CASES])
def test_shape_reads_as_its_turns(name, layout, expected):
    t = read_transcript(SHAPES / name)
    got = [(x.speaker, x.start_time and round(x.start_time, 3), x.end_time and round(x.end_time, 3),
            t.text[x.start : x.end]) for x in t.turns]
    assert got == expected
    assert t.notes.layout == layout


def test_rtf_tab_labels_keep_the_indent_of_a_continuation_line_inside_the_turn():
    # striprtf keeps the tab before a continuation paragraph: it is whitespace inside the turn.
    t = read_transcript(SHAPES / "bureau_tabulator.rtf")
    got = [(x.speaker, " ".join(t.text[x.start : x.end].split())) for x in t.turns]
    assert got == [(s, " ".join(x.split())) for s, _a, _b, x in TAB_TURNS]


def test_the_title_row_of_a_table_is_in_no_turn_and_once_in_the_text():
    t = read_transcript(SHAPES / "tabel_titelraekke.docx")
    assert t.text.count("Interview 7 – Jobcentret, 3. marts 2026") == 1  # Word repeats a merged cell per column
    assert t.text.index("Interview 7") < t.turns[0].start
    assert "utydeligt" not in t.text  # the bureau's comment column is nobody's words


def test_the_summary_names_lower_case_display_names_as_guessed_by_recurrence():
    t = read_transcript(SHAPES / "zoom_smaa_bogstaver.vtt")
    assert t.notes.recurring == ("mette", "jens p (jobcenter)", "iPhone 12")
    assert t.notes.attached == 1  # the cue "altså: …" goes on iPhone 12's turn


def test_a_lower_case_name_seen_once_is_not_a_speaker(tmp_path):
    path = tmp_path / "z.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMette Holm: Hej.\n\n"
                    "00:00:02.500 --> 00:00:04.000\nole: Hej.\n\n00:00:04.500 --> 00:00:06.000\nMette Holm: Godt.\n",
                    encoding="utf-8")
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["Mette Holm"]
    assert t.notes.rejected == (("ole", 1),)


def test_a_file_with_the_text_of_another_document_is_reported_as_such(tmp_path):
    (tmp_path / "a.txt").write_text("I: Hej.\nIP: Hej med dig.\n", encoding="utf-8")
    (tmp_path / "kopi.txt").write_text("I: Hej.\nIP: Hej med dig.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "a.txt"), str(tmp_path / "kopi.txt"),
                                      "--project", str(tmp_path / "p.qcp")])
    assert result.exit_code == 0, result.output
    assert f"Samme tekst som a.txt, der allerede er i projektet; springes over: {tmp_path / 'kopi.txt'}" in result.output
    assert "Uændret" not in result.output


def test_webvtt_without_blank_lines_splits_at_every_timing_line_and_its_cue_id(tmp_path):
    guid = "3f2a9c41-7d1e-4b8a-a5c2-91e0f4d6b733"
    path = tmp_path / "teams.vtt"
    path.write_text(f"WEBVTT\n{guid}/11-0\n00:00:01.000 --> 00:00:03.000\n<v Søren Ølgaard>Hej.</v>\n"
                    f"{guid}/11-1\n00:00:03.500 --> 00:00:05.000\nKan du høre mig?\n"
                    f"{guid}/12-0\n00:00:05.500 --> 00:00:07.000\n<v Émilie Durand>Ja.</v>\n", encoding="utf-8")
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time, t.text[x.start : x.end]) for x in t.turns] == [
        ("Søren Ølgaard", 1.0, 5.0, "Hej. Kan du høre mig?"), ("Émilie Durand", 5.5, 7.0, "Ja."),
    ]
    assert t.warnings == () and guid not in t.text


def test_a_file_without_speaker_names_says_so_even_when_its_times_cut_it_into_turns():
    t = read_transcript(SHAPES / "otter_kun_tider.txt")
    assert t.warnings == (f"{SHAPES / 'otter_kun_tider.txt'}: ingen talerbetegnelser fundet; importeret som én ukendt taler",)
    assert t.notes.time_marks == 3


def test_webvtt_timing_lines_with_unpadded_fields(tmp_path):
    path = tmp_path / "t.vtt"
    path.write_text("WEBVTT\n\n0:0:1.0 --> 0:0:4.700\n<v Søren Ølgaard>Hej.</v>\n\n"
                    "0:0:5.5 --> 0:0:7.0\n<v Émilie Durand>Hej med dig.</v>\n", encoding="utf-8")
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time) for x in t.turns] == [("Søren Ølgaard", 1.0, 4.7), ("Émilie Durand", 5.5, 7.0)]
    assert t.warnings == ()


def test_the_summary_names_the_lines_that_look_like_headings_but_were_read_as_words():
    t = read_transcript(SHAPES / "otter_tid_i_teksten.txt")
    assert t.notes.rejected == (("Tirsdag", 1), ("Onsdag", 1))


def test_a_single_time_alone_on_a_line_is_somebodys_words(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("I: Hvornår møder du ind?\nIP: Klokken\n08:00\nhver dag.\nI: Tak.\n", encoding="utf-8")
    t = read_transcript(path)
    assert [t.text[x.start : x.end] for x in t.turns] == ["Hvornår møder du ind?", "Klokken\n08:00\nhver dag.", "Tak."]
    assert t.notes.time_marks == 0


def test_subtitle_cues_with_the_speaker_in_brackets(tmp_path):
    path = tmp_path / "s.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\n[Mette Holm] Velkommen.\n\n2\n00:00:03,500 --> 00:00:05,000\n"
                    "[Ole Bak] Tak.\n\n3\n00:00:05,500 --> 00:00:07,000\nJeg er frivillig.\n\n4\n00:00:07,500 --> 00:00:09,000\n"
                    "[Mette Holm] Godt.\n\n5\n00:00:09,500 --> 00:00:11,000\n[Ole Bak] Ja.\n", encoding="utf-8")
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time, t.text[x.start : x.end]) for x in t.turns] == [
        ("Mette Holm", 1.0, 3.0, "Velkommen."), ("Ole Bak", 3.5, 7.0, "Tak. Jeg er frivillig."),
        ("Mette Holm", 7.5, 9.0, "Godt."), ("Ole Bak", 9.5, 11.0, "Ja."),
    ]
    assert t.notes.layout == "cue-names"
