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
        ("WEBVTT\n\nNOTE nothing here\n", "has no cues (no 'start --> end' timing lines)"),
        ("1\n00:00:01.000 --> 00:00:02.000\nHej\n", "is not a WebVTT file (the first line must be 'WEBVTT')"),
    ],
)
def test_bad_vtt(tmp_path, content, problem):
    path = tmp_path / "m.vtt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_transcript(path)
    where = f"{path}:1" if "first line" in problem else str(path)
    assert str(err.value) == f"{where}: {problem}"
