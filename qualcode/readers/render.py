"""Build document text and turns from structured blocks (table rows, subtitle cues).

Formats that carry speakers as structure (a Word table, WebVTT voice tags)
have no canonical plain text, so we render one: a line per turn,
``"Navn: tekst"``. Consecutive blocks of one speaker become one turn, because
a turn is a unit of meaning and cues are only a unit of display. A turn of
the unknown speaker is rendered without a label: the stored text never holds
a word that depends on the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.models import UNKNOWN_SPEAKER, Turn
from qualcode.text import normalise


@dataclass(frozen=True)
class Block:
    """A unit of a structured transcript: ``speaker`` is ``None`` when the block names nobody."""

    speaker: str | None
    text: str
    time: float | None = None
    end_time: float | None = None


def render_blocks(
    blocks: list[Block], preamble: list[str] = (), *, joiner: str = " "
) -> tuple[str, list[Turn], int]:
    """Return ``(text, turns, attached)``.

    A block without a speaker continues the previous turn (``attached``
    counts them); before any speaker, it opens a turn of the unknown speaker.
    A block whose speaker is ``UNKNOWN_SPEAKER`` is a turn of its own.
    """
    merged: list[list] = []  # [speaker, contents, start time, end time]
    attached = 0
    for block in blocks:
        content = " ".join(normalise(block.text).split())
        if not content:
            continue
        if merged and (block.speaker is None or block.speaker == merged[-1][0]):
            if block.speaker is None:
                attached += 1
            merged[-1][1].append(content)
            if block.end_time is not None:
                merged[-1][3] = block.end_time
            continue
        speaker = UNKNOWN_SPEAKER if block.speaker is None else block.speaker
        merged.append([speaker, [content], block.time, block.end_time])

    parts: list[str] = [normalise(p).strip() for p in preamble if normalise(p).strip()]
    offset = sum(len(p) + 1 for p in parts)
    turns: list[Turn] = []
    for speaker, contents, time, end_time in merged:
        label = f"{speaker}: " if speaker != UNKNOWN_SPEAKER else ""
        body = joiner.join(contents)
        start = offset + len(label)
        turns.append(Turn(index=len(turns), speaker=speaker, start=start, end=start + len(body),
                          start_time=time, end_time=end_time))
        parts.append(label + body)
        offset += len(label) + len(body) + 1
    return "\n".join(parts), turns, attached
