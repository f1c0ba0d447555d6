"""Detect the layout of a labelled transcript: where its speaker labels stand.

Detection only. :func:`find_heads` lists every line that *could* open a turn
(its "head": a label, perhaps a time), :func:`detect_layout` decides from all
of them together which shape the file has and which labels are speakers,
and :mod:`qualcode.readers.speakers` then cuts the turns. The shapes:

``labels``
    the label opens the paragraph and the words follow on the same line:
    ``I: Hvordan …``, ``IP3: …``, ``I<TAB>Hvordan …``, ``[Mette] …``, ``[00:12:31] I: …``,
    ``Mette (00:12): …``, ``[Mette 00:01:12] …``, a bold ``Mette`` in Word.
``headings``
    the label stands on a line of its own with a time, the words below:
    Otter.ai and Teams Word exports (``Mette Hansen  00:13``, ``Mette Hansen   1:02:13``),
    Word's own transcription (``00:00:03 Taler 1``), Zoom's text file (``[Mette] 10:15:03``);
    or a bureau's label alone with a colon (``I:``) or without (``Interviewer``, which
    must recur to be believed: a short line alone may be a heading or a word).
``none``
    no labels at all: one turn of the unknown speaker.

Subtitles and tables have their own layouts (``voice-tags``, ``cue-names``,
``cues``, ``table``), recognised by their readers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

from qualcode.readers.labels import Belief, believe, display_name_shape, label_shape, recurring_density
from qualcode.readers.timecodes import ARROW, TIME, TIME_MARK, parse_time

LAYOUTS = ("labels", "headings", "voice-tags", "cue-names", "cues", "table", "none")

_LEAD = r"[ \t]*(?:(?P<lt>" + TIME_MARK + r"|" + TIME + r")[ \t]*[-–]?[ \t]*)?"
# "[Mette] …", "[Mette 00:01:12] …", "[Mette] 10:15:03" (alone), "[00:01:02] [Kasper] …"
_BRACKET = re.compile(
    _LEAD + r"\[(?P<label>[^\[\]\n]{1,70}?)(?:[ \t]+(?P<it>" + TIME + r"))?\][ \t]*"
    r"(?:(?P<tt>" + TIME_MARK + r"|" + TIME + r")(?=[ \t]|$)[ \t]*)?:?[ \t]*"
)
# "I: …", "IP3: …", "Mette (00:12): …", "[00:12:31] I: …", "00:00:05 Mette: …", "I:" (alone)
_COLON = re.compile(
    _LEAD + r"(?P<label>[^:\n\[\]]{1,70}?)[ \t]*(?:(?P<it>" + TIME_MARK + r")[ \t]*)?:(?=[ \t]|$)[ \t]*"
)
# "I<TAB>Hvordan …", "IP3<TAB>…": a bureau's label in a hanging indent, without a colon
_TAB = re.compile(_LEAD + r"(?P<label>[^:\n\[\]\t]{1,70}?)\t+(?=\S)")
# "Mette Hansen  00:13", "00:00:03 Taler 1" (alone on the line, with a time before or after),
# "Mette Hansen  00:00:03.456 --> 00:00:07.000" (Teams' Word export with the cue's times),
# "Mette Hansen [00:00:03]", "Interviewer (00:12)", "Mette Hansen - 00:13", "Mette Hansen | 00:13"
_TIMED = re.compile(
    _LEAD + r"(?P<label>[^:\n\[\]]{1,70}?)(?:[ \t]+(?:[-–|][ \t]*)?(?:" + ARROW
    + r"|(?P<tt>" + TIME_MARK + r"|" + TIME + r")))?[ \t]*$")
# Otter.ai's header: "SPEAKERS" on one line, the names comma-separated on the next.
_HEAD_SPAN = 100  # a label, its times and brackets never take more characters than this
_SPEAKERS_HEADER = re.compile(r"(?m)^[ \t]*(?:SPEAKERS|Speakers|TALERE|Talere|DELTAGERE|Deltagere):?[ \t]*\n(?P<names>[^\n]+)")


@dataclass(frozen=True)
class Head:
    """A line that could open a turn."""

    line_start: int
    label: str  # cleaned, as it would be stored
    alone: bool  # the label stands alone on its line (the words follow below)
    style: str  # "colon", "bracket", "tab", "timed", "bare" (a name alone) or "bold"
    time: float | None
    content_start: int  # where the spoken words would begin
    end_time: float | None = None  # a heading with the cue's times ("Navn  00:00:03.4 --> 00:00:07.0")

    @property
    def heading(self) -> bool:
        return self.alone or self.style == "timed"


@dataclass(frozen=True)
class Layout:
    shape: str
    heads: tuple[Head, ...]  # the heads that open turns, in text order
    belief: Belief


def _time(m: re.Match, *groups: str) -> float | None:
    for g in groups:
        value = m.group(g) if g in m.re.groupindex else None
        if value:
            try:
                return parse_time(value)
            except ValueError:
                return None
    return None


def parse_head(line: str, *, display: bool = False) -> tuple[str, str, float | None, int, float | None] | None:
    """``(label, style, time, end_of_head, end_time)`` if ``line`` starts like a turn, else ``None``.

    ``display``: the line is a subtitle cue, where Zoom prints the name a participant
    typed, so a name in lower case ("mette: …") is a candidate too. Zoom's text file
    ("[mette] 10:15:03" alone on a line) is such a place by its form.
    """
    if not line:
        return None
    # Cheap refusal for most lines of spoken text: a head ends within its first characters
    # with a colon or a bracket, or is a short line alone (a timed heading).
    start = line[:_HEAD_SPAN]
    if ":" not in start and "]" not in start and "\t" not in start and len(line) > _HEAD_SPAN:
        return None
    for style, pattern in (("bracket", _BRACKET), ("colon", _COLON), ("tab", _TAB), ("timed", _TIMED)):
        m = pattern.match(line)
        if m is None:
            continue
        label = label_shape(m.group("label"))
        if label is None and (display or style == "bracket" and m.group("tt") and m.end() == len(line)):
            label = display_name_shape(m.group("label"))
        if label is None:
            continue
        time = _time(m, "lt", "it", "tt", "as")
        if style == "timed" and time is None:
            # A name alone on a line without colon or time ("Interviewer", then the words below):
            # a "bare" head, believed only if it recurs.
            return label, "bare", None, m.end(), None
        return label, style, time, m.end(), _time(m, "ae")
    return None


def find_heads(text: str, hints: Mapping[int, str] | None = None) -> list[Head]:
    """Every line of ``text`` that could open a turn.

    ``hints`` maps a line's start offset to a label found by other means (a
    bold run at the start of a Word paragraph); such a line is a head of
    style ``bold`` when its text does not parse as one by itself.
    """
    hints = hints or {}
    heads: list[Head] = []
    pos = 0
    n = len(text)
    while pos < n:
        end = text.find("\n", pos)
        if end == -1:
            end = n
        line = text[pos:end]
        parsed = parse_head(line) if line.strip() else None
        if parsed is None and pos in hints:
            parsed = _bold_head(line, hints[pos])
        if parsed is not None:
            label, style, time, head_end, end_time = parsed
            alone = not line[head_end:].strip()
            content = end + 1 if alone else pos + head_end
            heads.append(Head(pos, label, alone, style, time, min(content, n), end_time))
        pos = end + 1
    return heads


def _bold_head(line: str, hint: str) -> tuple[str, str, float | None, int, None] | None:
    label = label_shape(hint)
    stripped = line.lstrip()
    if label is None or not stripped.startswith(hint.strip()):
        return None
    head_end = len(line) - len(stripped) + len(hint.strip())
    while head_end < len(line) and line[head_end] in " \t:":
        head_end += 1
    return label, "bold", None, head_end, None


def header_speakers(text: str) -> list[str]:
    """Speaker names a tool lists in the file's header (Otter.ai's "SPEAKERS" line)."""
    m = _SPEAKERS_HEADER.search(text, 0, min(len(text), 5000))
    if not m:
        return []
    return [name for part in m.group("names").split(",") if (name := label_shape(part)) is not None]


def detect_layout(text: str, heads: list[Head], known: Iterable[str] = ()) -> Layout:
    """Decide the file's shape and which of its heads open turns."""
    known = list(known) + header_speakers(text)
    counts = Counter(h.label for h in heads)
    units = sum(1 for line in text.split("\n") if line.strip())
    # Labels written in a label's place by construction: a bold run before the words or a timed
    # heading, when the file shows that convention more than once. (A bold line alone may be a
    # section heading, so it must recur like any other label.)
    strong = set()
    for constructed in (
        [h.label for h in heads if h.style == "bold" and not h.alone],
        [h.label for h in heads if h.heading and h.time is not None],
    ):
        if len(constructed) >= 2:
            strong.update(constructed)
    firm = {h.label for h in heads if not h.alone or h.style == "colon" or h.time is not None}
    belief = believe(
        counts, known=known, density=recurring_density(counts, units, known),
        lowercase_count=lambda word: lowercase_count(text, word), strong=strong, weak=set(counts) - firm,
    )
    accepted = [h for h in heads if h.label in belief]
    timed = [h for h in accepted if h.heading and h.time is not None]
    inline = [h for h in accepted if not h.alone]
    if len(timed) >= 2 and len(timed) >= len(inline):
        # A tool's heading layout (Otter.ai, Teams): only its timed headings open turns; a line
        # inside the spoken text that happens to start "Navn: …" is the speaker's words.
        used = _in_sequence(text, timed, counts, known)
        shape = "headings"
        if len(used) < len(timed):
            # Say so in the summary: a line taken for words although it looks like a heading.
            kept = set(map(id, used))
            dropped = tuple((h.label, 1) for h in timed if id(h) not in kept)
            belief = replace(belief, accepted=belief.accepted - {label for label, _n in dropped},
                             rejected=belief.rejected + dropped)
    elif accepted:
        used = accepted
        shape = "labels" if len(inline) >= len(accepted) - len(inline) else "headings"
    else:
        used, shape = [], "none"
    return Layout(shape, tuple(used), belief)


def _in_sequence(text: str, heads: list[Head], counts: Mapping[str, int], known: Iterable[str]) -> list[Head]:
    """The timed headings that really open turns.

    A tool writes a heading above every turn, its times never go back, and no
    heading stands directly under another. A line of spoken words can still look
    like a heading ("Tirsdag 10:30" as the whole answer): a label seen only once
    that stands right under a heading (which would leave that turn empty), or whose
    time runs against its neighbours', is the words of the turn above it.
    """
    known_keys = {k.casefold() for k in known}
    kept: list[Head] = []
    for i, head in enumerate(heads):
        once = counts[head.label] == 1 and head.label.casefold() not in known_keys
        if once and kept:
            previous = kept[-1]
            following = heads[i + 1].time if i + 1 < len(heads) else None
            empty_above = not text[previous.content_start : head.line_start].strip()
            backwards = head.time < previous.time or (
                following is not None and previous.time <= following < head.time)
            if empty_above or backwards:
                continue
        kept.append(head)
    return kept


def lowercase_count(text: str, word: str) -> int:
    """How often ``word`` (lower case) occurs in ``text`` as a word of its own: a word, not a name."""
    if word not in text:  # a substring scan in C settles most names at once
        return 0
    return len(re.findall(r"(?<![\w'’])" + re.escape(word) + r"(?![\w'’])", text))
