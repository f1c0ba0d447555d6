"""WebVTT (Teams voice tags, Zoom name prefixes) and SRT."""

from __future__ import annotations

import pytest

from qualcode import InputError, read_transcript

TEAMS = """WEBVTT

3f1c2a9e-7b1d-4c55-9a0e-1d2b3c4d5e6f/1-0
00:00:01.000 --> 00:00:04.000
<v Kasper Lund>Hvordan arbejder I</v>

3f1c2a9e-7b1d-4c55-9a0e-1d2b3c4d5e6f/2-0
00:00:04.100 --> 00:00:06.000
<v Kasper Lund>med frivillige?</v>

NOTE this is a comment block

3f1c2a9e-7b1d-4c55-9a0e-1d2b3c4d5e6f/3-0
00:00:06.500 --> 00:00:09.000
<v Pernille Juhl>Øh, vi har et netværk</v>

3f1c2a9e-7b1d-4c55-9a0e-1d2b3c4d5e6f/4-0
01:00:09.100 --> 01:00:12.000
<v Pernille Juhl>i Lindholt, ikke?</v>
"""

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
Louise Brandt: Hvor bor du?

2
00:00:03.500 --> 00:00:06.000
Tina Mark: Jeg bor i Østerlund.

3
00:00:06.100 --> 00:00:08.000
Tina Mark: Med mine to børn.

4
00:00:08.500 --> 00:00:09.000
Louise Brandt: Okay.
"""

SRT = """1
00:00:01,000 --> 00:00:04,500
Anne Winther: Hvad er din rolle?

2
00:00:05,000 --> 00:00:09,000
Malene Skov: Jeg er chef for
Social og Handicap.

3
00:00:09,200 --> 00:00:12,000
Anne Winther: Tak.
"""


def turns(t):
    return [(x.speaker, x.start_time, t.text[x.start : x.end]) for x in t.turns]


def test_teams_voice_tags_merge_consecutive_cues(tmp_path):
    path = tmp_path / "teams.vtt"
    path.write_text(TEAMS, encoding="utf-8")
    t = read_transcript(path)
    assert turns(t) == [
        ("Kasper Lund", 1.0, "Hvordan arbejder I med frivillige?"),
        ("Pernille Juhl", 6.5, "Øh, vi har et netværk i Lindholt, ikke?"),
    ]
    assert t.text == "Kasper Lund: Hvordan arbejder I med frivillige?\nPernille Juhl: Øh, vi har et netværk i Lindholt, ikke?"


def test_zoom_name_prefixes(tmp_path):
    path = tmp_path / "zoom.vtt"
    path.write_text(ZOOM, encoding="utf-8")
    assert turns(read_transcript(path)) == [
        ("Louise Brandt", 1.0, "Hvor bor du?"),
        ("Tina Mark", 3.5, "Jeg bor i Østerlund. Med mine to børn."),
        ("Louise Brandt", 8.5, "Okay."),
    ]


def test_srt_with_multiline_cue(tmp_path):
    path = tmp_path / "chef.srt"
    path.write_text(SRT, encoding="utf-8")
    assert turns(read_transcript(path)) == [
        ("Anne Winther", 1.0, "Hvad er din rolle?"),
        ("Malene Skov", 5.0, "Jeg er chef for Social og Handicap."),
        ("Anne Winther", 9.2, "Tak."),
    ]


@pytest.mark.parametrize(
    "content, problem",
    [
        ("WEBVTT\n\nNOTE nothing here\n", "har ingen undertekster (ingen tidslinjer 'start --> slut')"),
        ("1\n00:00:01.000 --> 00:00:02.000\nHej\n", "er ikke en WebVTT-fil (første linje skal være 'WEBVTT')"),
    ],
)
def test_bad_vtt(tmp_path, content, problem):
    path = tmp_path / "m.vtt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_transcript(path)
    where = f"{path}:1" if "første linje" in problem else str(path)
    assert str(err.value) == f"{where}: {problem}"


MALFORMED = """1
00:00:01,000 --> 00:00:04,000
Anne Winther: Hvad er din rolle?

2
00:00:05,000x --> 00:00:07,000
Anne Winther: Og hvor længe har du haft den?

3
00:00:08,000 -> 00:00:10,000
Malene Skov: I fire år.

4
00:00:11,000 --> 00:00:12,000
Malene Skov: Det er længe.
"""


def test_malformed_timing_lines_keep_their_text_and_speaker_and_warn_with_the_line(tmp_path):
    path = tmp_path / "skadet.srt"
    path.write_text(MALFORMED, encoding="utf-8")
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time, t.text[x.start : x.end]) for x in t.turns] == [
        ("Anne Winther", 1.0, 7.0, "Hvad er din rolle? Og hvor længe har du haft den?"),
        ("Malene Skov", 8.0, 12.0, "I fire år. Det er længe."),
    ]
    assert t.warnings == (
        f"{path}:6: tidslinjen '00:00:05,000x --> 00:00:07,000' er ikke 'start --> slut'; læst som 0:00:05 --> 0:00:07",
        f"{path}:10: tidslinjen '00:00:08,000 -> 00:00:10,000' er ikke 'start --> slut'; læst som 0:00:08 --> 0:00:10",
    )


def test_a_timing_line_without_two_times_keeps_its_text_without_a_time(tmp_path):
    path = tmp_path / "f.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 -->\n<v Kasper>Hallo?</v>\n\n00:00:03.000 --> 00:00:04.000\n<v Mette>Hej.</v>\n\n"
        "00:00:05.000 --> x\n<v Mette>Kan du høre mig?</v>\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time, t.text[x.start : x.end]) for x in t.turns] == [
        ("Kasper", None, None, "Hallo?"), ("Mette", 3.0, 4.0, "Hej. Kan du høre mig?"),
    ]
    assert t.warnings == (
        f"{path}:3: tidslinjen '00:00:01.000 -->' er ikke 'start --> slut'; teksten er beholdt uden tid",
        f"{path}:9: tidslinjen '00:00:05.000 --> x' er ikke 'start --> slut'; teksten er beholdt uden tid",
    )


def test_english_warning_on_request(tmp_path):
    from qualcode.i18n import use_language

    path = tmp_path / "skadet.srt"
    path.write_text(MALFORMED, encoding="utf-8")
    with use_language("en"):
        t = read_transcript(path)
    assert t.warnings[0] == f"{path}:6: cue timing '00:00:05,000x --> 00:00:07,000' is not 'start --> end'; read as 0:00:05 --> 0:00:07"


def test_blank_line_inside_an_srt_cue_keeps_the_paragraph_with_its_cue(tmp_path):
    path = tmp_path / "p.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nHost: Første afsnit.\n\nAndet afsnit.\n\nTredje afsnit.\n\n"
        "2\n00:00:04,000 --> 00:00:05,000\nGuest: Tak.\n\n3\n00:00:06,000 --> 00:00:07,000\nHost: Godt.\n\n"
        "4\n00:00:08,000 --> 00:00:09,000\nGuest: Ja.\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert turns(t)[0] == ("Host", 1.0, "Første afsnit. Andet afsnit. Tredje afsnit.")
    assert t.warnings == ()


def test_teams_continuation_cues_without_voice_tag_and_end_times(tmp_path):
    path = tmp_path / "teams.vtt"
    path.write_text(
        "WEBVTT\n\nab12/1-0\n00:00:01.000 --> 00:00:02.000\n<v Kasper Lund>Hvordan</v>\n\n"
        "ab12/1-1\n00:00:02.100 --> 00:00:03.000\ngår det?\n\n"
        "ab12/2-0\n00:00:03.500 --> 00:00:05.000\n<v Pernille Juhl>Fint.</v>\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert [(x.speaker, x.start_time, x.end_time, t.text[x.start : x.end]) for x in t.turns] == [
        ("Kasper Lund", 1.0, 3.0, "Hvordan går det?"), ("Pernille Juhl", 3.5, 5.0, "Fint."),
    ]
    assert t.notes.attached == 1


def test_zoom_names_with_suffixes_and_capitals_outside_a_to_z(tmp_path):
    path = tmp_path / "zoom.vtt"
    cues = [
        ("Ashlee Kupor (SL)", "Velkommen."), ("Łukasz Nowak", "Tak."), ("Ashlee Kupor (SL)", "Hvor arbejder du?"),
        ("Łukasz Nowak", "I jobcentret."), ("Özlem Çelik (hun/hende)", "Og jeg i familieafdelingen."),
    ]
    body = "".join(f"{i}\n00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{name}: {text}\n\n" for i, (name, text) in enumerate(cues, 1))
    path.write_text("WEBVTT\n\n" + body, encoding="utf-8")
    t = read_transcript(path)
    assert [(x.speaker, t.text[x.start : x.end]) for x in t.turns] == cues
    assert t.notes.unsure == ("Özlem Çelik (hun/hende)",)  # once, in a file where every cue has a name
