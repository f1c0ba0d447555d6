"""The real transcripts in ../shared/peers/ (made by Zoom, an SRT tool and Otter.ai) import right.

The expected counts were made from the raw files independently of the readers (a cue-by-cue
count of "Name: " prefixes with unlabelled cues continuing the previous speaker; a count of
"Name  mm:ss" paragraphs in the Word file), and checked by reading the files.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import SHARED
from qualcode import Project, import_files, read_transcript

PEERS = SHARED / "peers"
pytestmark = pytest.mark.skipif(not PEERS.is_dir(), reason="../shared/peers is not here (it is beside the repository in CI)")

ZOOM_TURNS = {
    "Florian Wahl": 64, "Amelie Haas": 27, "Saurabh Swaroop’s iPad": 19, "Edina Larios": 14, "Mouzhi Ge": 12,
    "Dominik Böhler": 10, "Shailly Upadhyay": 9, "Gaurang Thanekar": 6, "Ledia Leka": 3, "Naina": 3,
    "Alfa Nwanonobi": 3, "OSARODION OHENZUWA": 3, "Marian Esskaros": 3, "Matilda Simon": 2, "Elisa Julia": 2,
    "Bella Ndaa": 2, "Yamuna Bandaru": 1, "Reshma": 1, "Jubaida": 1, "Svetlana Semenova": 1,
}


def test_zoom_transcript_has_every_speaker_including_the_ipad_and_the_umlaut():
    t = read_transcript(PEERS / "zoom_preasync.vtt")
    assert len(t.turns) == 186
    assert Counter(x.speaker for x in t.turns) == ZOOM_TURNS
    assert t.notes.layout == "cue-names" and t.notes.attached == 26  # 928 cues, 26 without a name
    first, last = t.turns[0], t.turns[-1]
    assert (first.speaker, first.start_time, first.end_time, t.text[first.start : first.end]) == (
        "Dominik Böhler", 0.51, 22.08, "morning. Good morning.")
    assert (last.speaker, t.text[last.start : last.end].endswith("Stop the recording."), last.end_time) == (
        "Mouzhi Ge", True, 7973.43)
    # No turn holds another speaker's label: every "Name:" was taken as a speaker.
    for turn in t.turns:
        spoken = t.text[turn.start : turn.end]
        assert not any(f"{name}:" in spoken for name in ZOOM_TURNS), spoken[:80]


def test_srt_with_clock_times_and_blank_lines_inside_a_cue_keeps_all_text():
    t = read_transcript(PEERS / "interview_bot.srt")
    assert [(x.speaker, x.start_time, x.end_time) for x in t.turns] == [
        ("Guest", 65816.181, 65823.435), ("Host", 65823.435, 65830.689),
        ("Guest", 65830.689, 65858.761), ("Host", 65858.761, 65886.834),
    ]
    host = t.text[t.turns[3].start : t.turns[3].end]
    # The cue's text runs over five paragraphs separated by blank lines; none is lost.
    assert host.startswith("There are several challenges and drawbacks of using web3 technologies.")
    for paragraph in ("Secondly, web3 technologies", "Another challenge is", "Finally, there is the issue of scalability."):
        assert paragraph in host
    assert host.endswith("can ultimately limit the growth and adoption of these technologies.")
    assert t.warnings == ()


def test_otter_word_export_name_and_time_headings():
    t = read_transcript(PEERS / "mannheimer_DC02.docx")
    assert len(t.turns) == 92
    assert Counter(x.speaker for x in t.turns) == {"Sara Mannheimer": 47, "DC02": 45}
    assert t.notes.layout == "headings"
    assert [(x.speaker, x.start_time) for x in t.turns[:3]] == [("Sara Mannheimer", 0.0), ("DC02", 51.0), ("Sara Mannheimer", 57.0)]
    assert [(x.speaker, x.start_time) for x in t.turns[-2:]] == [("DC02", 4124.0), ("Sara Mannheimer", 4125.0)]  # 1:08:44, 1:08:45
    assert t.text[t.turns[-1].start : t.turns[-1].end] == "Thank you so much. Have a good day. Bye."
    assert t.text[t.turns[1].start : t.turns[1].end] == "Let's let's go through the interview first, and then let's chat about..."
    # The header (title, SUMMARY KEYWORDS, SPEAKERS) belongs to no turn; no turn starts with its time.
    assert t.turns[0].start > t.text.index("DC02, Sara Mannheimer")
    assert all(not t.text[x.start : x.end][:1].isdigit() for x in t.turns)


def test_peer_transcripts_import_into_a_project_with_times(tmp_path):
    with Project.open(tmp_path / "p.qcp") as project:
        report = import_files(project, [PEERS / "zoom_preasync.vtt", PEERS / "mannheimer_DC02.docx", PEERS / "interview_bot.srt"],
                              progress=False)
        assert [d.turns for d in report.imported] == [186, 92, 4]
        stored = project.documents.turns(report.imported[0].document_id)
        assert (stored[0].start_time, stored[0].end_time) == (0.51, 22.08)
        for doc in project.documents.all():
            for turn in project.documents.turns(doc.id):
                assert turn.end > turn.start
            for seg in project.documents.segments(doc.id):
                assert doc.text[seg.start : seg.end] == seg.text
