"""Time codes as transcripts write them: "00:13", "1:02:13", "00:00:05,120", "[00:12:31]", "#00:01:23-4#".

One place for the patterns, so every reader agrees on what a time is and a
time mark never stays inside the spoken text.
"""

from __future__ import annotations

import re

# A clock reading: mm:ss or h:mm:ss, with optional milliseconds ("," in SRT, "." in WebVTT).
TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# A time mark set apart from words: in brackets or parentheses, or f4transkript's "#00:01:23-4#".
TIME_MARK = r"(?:\[" + TIME + r"\]|\(" + TIME + r"\)|#" + TIME + r"(?:-\d{1,2})?#)"

# A subtitle timing line pasted into a document ("00:00:03.456 --> 00:00:07.000"), also in
# Teams' old Word export with unpadded fields ("0:0:1.0 --> 0:0:4.700").
SPAN_TIME = r"(?:" + TIME + r"|\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)"
ARROW = r"(?P<as>" + SPAN_TIME + r")[ \t]*-->[ \t]*(?P<ae>" + SPAN_TIME + r")"

_MARK_IN_TEXT = re.compile(TIME_MARK)
_ARROW_LINE = re.compile(r"(?m)^[ \t]*" + ARROW + r"[ \t]*$")
# A bare h:mm:ss at the start of a line, followed by a space: a bureau's time mark.
# Only three-part times: "12:30" at a line start may be a clock time someone said.
_BARE_AT_LINE_START = re.compile(r"(?m)^[ \t]*(?:\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)(?=[ \t])")
# A time alone on its line ("0:03", "1:02:13"): Otter.ai's export without speaker names.
_ALONE_ON_LINE = re.compile(r"(?m)^[ \t]*" + TIME + r"[ \t]*$")


_CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d+(?:[.,]\d+)?)")


def parse_time(value: str | None) -> float | None:
    """'01:02:03.5', '02:03', '[00:12:31]' or '#00:01:23-4#' -> seconds; ``None`` for no value.

    Raises ``ValueError`` for a value that is not a time.
    """
    if not value:
        return None
    core = value.strip()
    if len(core) > 2 and core[0] == core[-1] == "#":
        core = core[1:-1].split("-", 1)[0]  # f4's tenths of a second after "-"
    else:
        core = core.strip("[]()")
    m = _CLOCK.fullmatch(core)
    if m is None:
        raise ValueError(f"not a time: {value!r}")
    hours, minutes, seconds = m.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))


def format_time(seconds: float | None) -> str:
    """Seconds as h:mm:ss for listings ("0:12:31"); empty for no time."""
    if seconds is None:
        return ""
    total = int(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def lone_times(text: str) -> bool:
    """True if ``text`` has times alone on their lines more than once: then they are time marks
    (Otter.ai without names, Google Meet); a single "08:00" on a line may be somebody's words."""
    return len(_ALONE_ON_LINE.findall(text, 0)) >= 2 if ":" in text else False


def time_marks(text: str, start: int, end: int, *, alone: bool = True) -> list[tuple[int, int, float, float | None]]:
    """``(mark_start, mark_end, seconds, end_seconds)`` of every time mark in ``text[start:end]``,
    in order; ``end_seconds`` only for a timing line ("start --> end"). ``alone``: a time alone
    on its line is a mark too (see :func:`lone_times`)."""
    found = []
    if "-->" in text[start:end]:
        for m in _ARROW_LINE.finditer(text, start, end):
            found.append((m.start("as"), m.end("ae"), parse_time(m.group("as")), parse_time(m.group("ae"))))
    for pattern in (_MARK_IN_TEXT, _BARE_AT_LINE_START) + ((_ALONE_ON_LINE,) if alone else ()):
        for m in pattern.finditer(text, start, end):
            mark_start = m.start() + len(m.group()) - len(m.group().lstrip())
            found.append((mark_start, m.end(), parse_time(m.group()), None))
    found.sort()
    # A bracketed mark at a line start is found by both patterns only if bare; keep the first of overlaps.
    kept: list[tuple[int, int, float, float | None]] = []
    for mark in found:
        if not kept or mark[0] >= kept[-1][1]:
            kept.append(mark)
    return kept
