"""What a REFI-QDA position counts, decided per source from the file's own evidence.

The standard says "character positions" without saying what a character is,
and the tools count differently (checked against real exports):

- NVivo (Windows and Mac, .NET) counts UTF-16 code units: an emoji outside
  the Basic Multilingual Plane counts two. In a real NVivo 12.6 export of
  Hungarian comments with 892 emoji, 300 of 303 selections start and end on
  word edges counted in UTF-16 units, 49 counted in code points.
- ATLAS.ti writes the source's .txt with "\\r\\n" but counts a line break as
  one character (QualCoder's importer notes the same).
- QualCoder, Taguette and qualcode count Python code points, "\\r\\n" as two.

Guessing from the ``origin`` attribute would break on the next version or
tool, so the unit is read off the selections themselves: each candidate unit
that would place some position differently is scored by how well the
selections land (inside the text; on the text their ``name`` quotes, as
ATLAS.ti and qualcode write it; on word edges), and the best wins. Candidates
that agree on every position are the same reading, so a text without emoji
or "\\r\\n" costs nothing. Ties go to plain code points, the standard's
own reading (REFI-QDA 1.5, 10.2: "the first and the last character (Unicode
codepoint)"), which is also what the export writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

# Candidate units, in the order ties are broken.
CODE_POINTS = "code points"
UTF16 = "UTF-16 units"
CODE_POINTS_CRLF_ONE = "code points, CRLF as one"
UTF16_CRLF_ONE = "UTF-16 units, CRLF as one"
UNITS = (CODE_POINTS, UTF16, CODE_POINTS_CRLF_ONE, UTF16_CRLF_ONE)

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_CR_OF_CRLF = re.compile("\r(?=\n)")
_ELLIPSIS = re.compile(r"(\u2026|\.\.\.)\s*$")
_GENERIC_NAME = re.compile(r"^(quotation|citat|zitat)?\s*\d+(:\d+)?$|^\d{1,2}:\d{2}", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """A position pair a tool wrote into one source, with the text it says it covers (``name``), if any."""

    start: int
    end: int | None = None  # None: a single position (a sync point)
    name: str | None = None


class UnitMap:
    """Positions in one unit of one raw text, as indices into that raw text (code points)."""

    def __init__(self, raw: str, unit: str):
        self.unit = unit
        weights = np.ones(len(raw), dtype=np.int64)
        if unit in (UTF16, UTF16_CRLF_ONE):
            weights[_indices(_ASTRAL, raw)] = 2
        if unit in (CODE_POINTS_CRLF_ONE, UTF16_CRLF_ONE):
            weights[_indices(_CR_OF_CRLF, raw)] = 0
        # unit position of every raw index 0..len(raw)
        self._at = np.concatenate(([0], np.cumsum(weights)))
        self.identity = bool((weights == 1).all())
        self.length = int(self._at[-1])

    def raw(self, position: int) -> int:
        """The raw index of a position in this unit (inside a surrogate pair: after the character)."""
        if self.identity:
            return position
        return int(np.searchsorted(self._at, position, side="left"))

    def same_as(self, other: "UnitMap") -> bool:
        return self.length == other.length and bool((self._at == other._at).all())


def _indices(pattern: re.Pattern, raw: str) -> np.ndarray:
    return np.fromiter((m.start() for m in pattern.finditer(raw)), dtype=np.int64)


def unit_maps(raw: str) -> list[UnitMap]:
    """The candidate units that read ``raw`` differently, in tie-break order."""
    candidates = [CODE_POINTS]
    if _ASTRAL.search(raw):
        candidates.append(UTF16)
    if "\r\n" in raw:
        candidates.append(CODE_POINTS_CRLF_ONE)
        if UTF16 in candidates:
            candidates.append(UTF16_CRLF_ONE)
    maps: list[UnitMap] = []
    for unit in candidates:
        m = UnitMap(raw, unit)
        if not any(m.same_as(k) for k in maps):
            maps.append(m)
    return maps


def choose_unit(raw: str, evidence: Sequence[Evidence]) -> UnitMap:
    """The unit under which the file's positions fit ``raw`` best (see the module docstring)."""
    maps = unit_maps(raw)
    if len(maps) == 1 or not evidence:
        return maps[0]
    scores = [sum(_score(raw, m, e) for e in evidence) for m in maps]
    best = max(scores)
    return maps[scores.index(best)]


def _score(raw: str, m: UnitMap, e: Evidence) -> int:
    end = e.start if e.end is None else e.end
    if not 0 <= e.start <= end <= m.length:
        return -10  # a position this unit cannot even place
    a, b = m.raw(e.start), m.raw(end)
    score = _edge(raw, a)
    if e.end is None:
        return score
    score += _edge(raw, b)
    quoted = _quoted(e.name)
    if quoted:
        covered = " ".join(raw[a:b].split())
        if covered.startswith(quoted):
            score += 4
    return score


def _edge(raw: str, i: int) -> int:
    """1 if index ``i`` lies between a word character and something else (or at an end of the text)."""
    if i <= 0 or i >= len(raw):
        return 1
    return 0 if raw[i - 1].isalnum() and raw[i].isalnum() else 1


def _quoted(name: str | None) -> str:
    """The text a selection's name quotes ("" for names that are labels, not text: "Quotation 3:2", "")."""
    if not name:
        return ""
    text = " ".join(_ELLIPSIS.sub("", name).split())
    if len(text) < 4 or _GENERIC_NAME.match(text):
        return ""
    return text[:40]
