"""Find speaker turns in labelled paragraphs ("I:", "IP3:", "Mette:", "[Mette]").

Detection is separate from rendering: :func:`find_turns` takes the text and
returns turns with offsets; it never changes the text.

A label is only believed when it recurs (or is a known speaker), because a
paragraph can also start with "Altså: …" or "Nej: …" by chance.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from qualcode.models import Turn

_TIME = r"(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)"
_LABEL_WORD = r"[A-ZÆØÅÄÖÜÉ][\wæøåÆØÅ'.-]*"
_LABEL_LINE = re.compile(
    r"^[ \t]*(?:[\[(]?" + _TIME + r"[\])]?[ \t]*[-–]?[ \t]*)?"
    r"(?:\[(?P<blabel>" + _LABEL_WORD + r"(?: " + _LABEL_WORD + r"){0,3})\][ \t]*"
    r"|(?P<label>" + _LABEL_WORD + r"(?: " + _LABEL_WORD + r"){0,3})[ \t]*(?:\(" + r"\d{1,2}:\d{2}(?::\d{2})?" + r"\))?[ \t]*:[ \t]*)",
    re.MULTILINE,
)

# Labels that always mean the interviewer, whatever the metadata says.
INTERVIEWER_LABELS = frozenset(
    {"i", "int", "interviewer", "intervieweren", "interviewere", "moderator", "facilitator", "spørger", "q", "iv"}
)

# Words that may start a paragraph followed by a colon without being a speaker.
NOT_LABELS = frozenset(
    {
        "altså", "nej", "ja", "men", "og", "så", "det", "der", "jeg", "vi", "de", "du",
        "hvad", "hvorfor", "hvordan", "fx", "f.eks", "eksempel", "note", "bemærk", "spørgsmål",
        "svar", "pause", "utydeligt", "griner", "tid", "dato", "sted", "emne", "titel",
        "kommentar", "deltagere", "varighed", "interview", "transskription",
    }
)
_ANNOTATIONS = frozenset({"pause", "utydeligt", "griner", "overlap", "latter", "afbrydelse", "uhørligt"})

UNKNOWN_SPEAKER = "Ukendt"


@dataclass(frozen=True)
class LabelMatch:
    line_start: int
    content_start: int
    label: str
    time: float | None


def parse_time(value: str | None) -> float | None:
    """'01:02:03.5' or '02:03' -> seconds."""
    if not value:
        return None
    value = value.replace(",", ".")
    parts = value.split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    return hours * 3600 + minutes * 60 + seconds


def _candidates(text: str) -> list[LabelMatch]:
    matches = []
    for m in _LABEL_LINE.finditer(text):
        label = m.group("blabel") or m.group("label")
        if label is None:
            continue
        # A label line must carry content or end the line (label alone on a line).
        matches.append(LabelMatch(m.start(), m.end(), label.strip(), parse_time(m.group("ts"))))
    return matches


def _is_plausible(label: str, count: int, known: frozenset[str]) -> bool:
    key = label.casefold()
    if key in known or key in INTERVIEWER_LABELS:
        return True
    if key in NOT_LABELS or key in _ANNOTATIONS:
        return False
    if re.fullmatch(r"(ip|int|r|d|p|deltager|informant)\s*\d*", key):
        return True
    return count >= 2


def find_turns(
    text: str,
    known_speakers: Iterable[str] = (),
    *,
    extra_labels: dict[int, str] | None = None,
) -> tuple[list[Turn], int]:
    """Split ``text`` into turns at speaker labels.

    ``extra_labels`` maps a paragraph start offset to a speaker name found by
    other means (e.g. a bold run in Word); the label text itself is then
    expected at that offset, followed by an optional colon.

    Returns ``(turns, preamble_end)``: text before the first label (a title,
    a header) is not part of any turn. With no labels at all, the whole text
    is one turn of speaker "Ukendt".
    """
    known = frozenset(s.casefold() for s in known_speakers)
    candidates = _candidates(text)
    counts = Counter(c.label.casefold() for c in candidates)
    accepted = [c for c in candidates if _is_plausible(c.label, counts[c.label.casefold()], known)]
    by_start = {c.line_start: c for c in accepted}
    for offset, speaker in (extra_labels or {}).items():
        if offset in by_start:
            continue
        after = offset + len(speaker)
        while after < len(text) and text[after] in " \t:":
            after += 1
        by_start[offset] = LabelMatch(offset, after, speaker, None)
    labels = sorted(by_start.values(), key=lambda c: c.line_start)

    if not labels:
        start, end = _strip_span(text, 0, len(text))
        if start == end:
            return [], 0
        return [Turn(index=0, speaker=UNKNOWN_SPEAKER, start=start, end=end)], 0

    turns: list[Turn] = []
    for i, label in enumerate(labels):
        next_start = labels[i + 1].line_start if i + 1 < len(labels) else len(text)
        start, end = _strip_span(text, label.content_start, next_start)
        turns.append(
            Turn(index=len(turns), speaker=label.label, start=start, end=end, start_time=label.time)
        )
    return turns, labels[0].line_start


def single_speaker_warnings(path, turns) -> tuple[str, ...]:
    """The warning every reader gives when a transcript had no speaker labels at all."""
    if len(turns) == 1 and turns[0].speaker == UNKNOWN_SPEAKER:
        return (f"{path}: no speaker labels found; imported as one speaker ({UNKNOWN_SPEAKER})",)
    return ()


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
