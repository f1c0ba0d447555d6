"""Build document text and turns from structured blocks (table rows, subtitle cues).

Formats that carry speakers as structure (a Word table, WebVTT voice tags)
have no canonical plain text, so we render one: a line per turn,
``"Navn: tekst"``. Consecutive blocks of one speaker become one turn, because
a turn is a unit of meaning and cues are only a unit of display.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.models import Turn
from qualcode.text import normalise


@dataclass(frozen=True)
class Block:
    speaker: str | None
    text: str
    time: float | None = None


def render_blocks(
    blocks: list[Block], preamble: list[str] = (), *, joiner: str = " "
) -> tuple[str, list[Turn]]:
    """Return ``(text, turns)``; blocks without a speaker continue the previous turn."""
    merged: list[tuple[str, list[str], float | None]] = []
    for block in blocks:
        content = " ".join(normalise(block.text).split())
        if not content:
            continue
        if merged and (block.speaker is None or block.speaker == merged[-1][0]):
            merged[-1][1].append(content)
            continue
        merged.append((block.speaker or "Ukendt", [content], block.time))

    parts: list[str] = [normalise(p).strip() for p in preamble if normalise(p).strip()]
    offset = sum(len(p) + 1 for p in parts)
    turns: list[Turn] = []
    for speaker, contents, time in merged:
        label = f"{speaker}: "
        body = joiner.join(contents)
        start = offset + len(label)
        turns.append(Turn(index=len(turns), speaker=speaker, start=start, end=start + len(body), start_time=time))
        parts.append(label + body)
        offset += len(label) + len(body) + 1
    return "\n".join(parts), turns
