"""Cut a labelled text into speaker turns ("I:", "IP3:", "Mette:", "[Mette]", "Mette  00:13").

Detection is :mod:`qualcode.readers.layout`'s (which lines open turns); this
module only cuts: :func:`find_turns` takes the text and returns turns with
offsets and never changes the text. A time mark inside a turn ("[00:12:31]"
at a paragraph start) ends the turn there and opens a new turn of the same
speaker with that start time, so no time mark is ever part of the spoken text.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from qualcode.i18n import gettext as _
from qualcode.models import UNKNOWN_SPEAKER, ReadingNotes, Turn
from qualcode.readers.labels import INTERVIEWER_LABELS, NOT_LABELS, is_unknown
from qualcode.readers.layout import detect_layout, find_heads
from qualcode.readers.timecodes import lone_times, parse_time, time_marks

__all__ = ["INTERVIEWER_LABELS", "NOT_LABELS", "UNKNOWN_SPEAKER", "find_turns", "parse_time",
           "single_speaker_warnings", "strip_span"]

# What a tool appends after the last turn (Otter.ai's credit, Teams' "… stopped transcription"):
# nobody's words.
_TOOL_FOOTER = re.compile(
    r"(?im)^[ \t]*(?:Transcribed by https?://otter\.ai"
    r"|[^\n]{1,80}? (?:stopped transcription|stoppede transskriptionen|har stoppet transskriptionen))[ \t]*\Z"
)


_FOOTER_SPAN = 200  # a footer is the file's last line: look only there


def find_turns(
    text: str,
    known_speakers: Iterable[str] = (),
    *,
    hints: Mapping[int, str] | None = None,
) -> tuple[list[Turn], ReadingNotes]:
    """Split ``text`` into turns at speaker labels.

    ``hints`` maps a line's start offset to a label found by other means (a
    bold run in Word). Text before the first label (a title, a tool's header)
    is not part of any turn. With no labels at all, the whole text is one turn
    of the unknown speaker.
    """
    heads = find_heads(text, hints)
    layout = detect_layout(text, heads, known_speakers)
    body_end = len(text)
    footer = _TOOL_FOOTER.search(text, max(0, len(text) - _FOOTER_SPAN))
    if footer is not None:
        body_end = footer.start()
    pieces: list[tuple[str, int, int, float | None, float | None]] = []
    carried: tuple[float, float | None] | None = None  # a time mark after a turn's words opens the next
    alone = lone_times(text)
    if layout.heads:
        first = layout.heads[0].line_start
        outside = _visible(text, 0, first)
        # A time alone above the first label (Google Meet's "00:00:03", a timing line) is its time.
        lead = time_marks(text, 0, first, alone=alone)
        if lead and not text[lead[-1][1] : first].strip():
            carried = lead[-1][2:]
            outside -= _visible(text, lead[-1][0], lead[-1][1])
        for i, head in enumerate(layout.heads):
            next_start = layout.heads[i + 1].line_start if i + 1 < len(layout.heads) else body_end
            start, end = strip_span(text, min(head.content_start, next_start), next_start)
            speaker = UNKNOWN_SPEAKER if is_unknown(head.label) else head.label
            pieces.append((speaker, start, end, head.time, head.end_time))
    else:
        outside = 0
        start, end = strip_span(text, 0, body_end)
        pieces.append((UNKNOWN_SPEAKER, start, end, None, None))
    outside += _visible(text, body_end, len(text))

    turns: list[Turn] = []
    marks_cut = 0
    for speaker, start, end, time, end_time in pieces:
        if carried is not None and time is None:
            time, end_time = carried
        carried = None
        cursor = start
        for mark_start, mark_end, seconds, end_seconds in time_marks(text, start, end, alone=alone):
            marks_cut += 1
            left_start, left_end = strip_span(text, cursor, mark_start)
            if left_start < left_end:
                turns.append(Turn(len(turns), speaker, left_start, left_end, start_time=time, end_time=end_time))
                time, end_time = seconds, end_seconds
            elif time is None:
                time, end_time = seconds, end_seconds
            cursor = mark_end
        rest_start, rest_end = strip_span(text, cursor, end)
        if rest_start < rest_end:
            turns.append(Turn(len(turns), speaker, rest_start, rest_end, start_time=time, end_time=end_time))
        elif cursor > start:
            carried = (time, end_time)
    notes = ReadingNotes(
        layout=layout.shape, unsure=layout.belief.unsure, rejected=layout.belief.rejected,
        recurring=_used(layout.belief.recurring, turns),
        time_marks=marks_cut, outside=outside,
    )
    return turns, notes


def _used(labels, turns) -> tuple[str, ...]:
    """The labels that ended up as a turn's speaker (a recurring label of an unused layout is not)."""
    speakers = {t.speaker for t in turns}
    return tuple(label for label in labels if label in speakers)


def single_speaker_warnings(path, turns) -> tuple[str, ...]:
    """The warning every reader gives when a transcript had no speaker labels at all."""
    if turns and all(t.speaker == UNKNOWN_SPEAKER for t in turns):
        return (_("{path}: no speaker labels found; imported as one unknown speaker").format(path=path),)
    return ()


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved inwards past whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _visible(text: str, start: int, end: int) -> int:
    return sum(1 for ch in text[start:end] if not ch.isspace())
