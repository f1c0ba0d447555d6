"""Normalising a source's text while keeping REFI-QDA positions pointing at the same characters.

REFI-QDA positions are character positions in the source's plain text. A
file written on Windows has "\\r\\n" line endings, and some tools write
decomposed letters (a + combining ring for "å"); qualcode stores every text
NFC with "\\n" (:func:`qualcode.text.normalise`). :func:`normalise_with_map`
does the same normalisation and also returns, for every position in the
original text, the position of the same place in the normalised text, so a
selection 0-10 in "a\\r\\nb..." becomes 0-9 and still covers the same words.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from typing import Sequence

from qualcode.text import normalise

_DROP = set("\ufeff\u200b\u200e\u200f\u2060")
_NEWLINES = {"\u2028": "\n", "\u2029": "\n", "\r": "\n", "\u00a0": " "}


def normalise_with_map(raw: str) -> tuple[str, Sequence[int]]:
    """Return ``(normalise(raw), positions)`` with ``len(positions) == len(raw) + 1``.

    ``positions[i]`` is where original position ``i`` lies in the normalised
    text; positions inside a removed or merged character ("\\r" of "\\r\\n", a
    combining mark composed into its letter) map to the next kept place.
    """
    if normalise(raw) == raw:
        # Already normalised (what most tools write): every position stays, and a range costs
        # nothing where a list costs some 36 bytes a character.
        return raw, range(len(raw) + 1)
    fast = _map_without_composition(raw)
    if fast is not None:
        return fast
    # Step 1: line endings and invisible marks, one original character at a time.
    chars: list[str] = []
    origin: list[int] = []  # original index of each kept character
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\r" and i + 1 < len(raw) and raw[i + 1] == "\n":
            i += 1  # the "\r" of "\r\n" disappears; the "\n" stays
            continue
        if ch not in _DROP:
            chars.append(_NEWLINES.get(ch, ch))
            origin.append(i)
        i += 1
    # Step 2: NFC, run by run. A run starts at a character that combines with
    # nothing before it, so composing runs separately equals composing the whole.
    text_parts: list[str] = []
    positions = [0] * (len(raw) + 1)
    out = 0
    k = 0
    mapped_upto = 0
    while k < len(chars):
        j = k + 1
        while j < len(chars) and unicodedata.combining(chars[j]):
            j += 1
        run = unicodedata.normalize("NFC", "".join(chars[k:j]))
        # every original position up to the start of this run maps to its start
        for pos in range(mapped_upto, origin[k] + 1):
            positions[pos] = out
        mapped_upto = origin[k] + 1
        if len(run) == j - k:
            for step in range(1, j - k):
                for pos in range(mapped_upto, origin[k + step] + 1):
                    positions[pos] = out + step
                mapped_upto = origin[k + step] + 1
        text_parts.append(run)
        out += len(run)
        k = j
    for pos in range(mapped_upto, len(raw) + 1):
        positions[pos] = out
    text = "".join(text_parts)
    if text != normalise(raw):  # pragma: no cover - a guard against an unforeseen composition rule
        raise ValueError("text could not be normalised position by position")
    return text, positions


_DROPPED = re.compile("\r(?=\n)|[" + "".join(sorted(_DROP)) + "]")


def _map_without_composition(raw: str) -> tuple[str, Sequence[int]] | None:
    """The common case, fast: a text already NFC (NVivo's, MAXQDA's) only loses "\r"s and marks.

    Then a position moves back by the number of characters dropped before it,
    one cumulative sum over the text instead of a Python loop per character
    (a 600,000-character NVivo source took seconds). ``None`` if NFC would
    compose anything, for the general path above.
    """
    if not unicodedata.is_normalized("NFC", raw):
        return None
    import numpy as np

    dropped = np.zeros(len(raw) + 1, dtype=np.int64)
    for match in _DROPPED.finditer(raw):
        dropped[match.start() + 1] += 1
    # An array of machine ints (8 bytes a character, indexing gives plain ints), not a list of int objects.
    positions = array("q", (np.arange(len(raw) + 1, dtype=np.int64) - np.cumsum(dropped)).tobytes())
    text = normalise(raw)
    if len(text) != positions[-1]:  # pragma: no cover - a guard against an unforeseen rule in normalise
        return None
    return text, positions


class Placer:
    """Where the file's positions for one source lie in its normalised text.

    A position is first read in the unit the file counts in
    (:func:`qualcode.refi.units.choose_unit`, decided from the file's own
    selections), which gives an index into the raw text, and then moved
    through :func:`normalise_with_map`.
    """

    def __init__(self, raw: str, positions: list[int], evidence=()):
        from qualcode.refi.units import choose_unit

        self.unit = choose_unit(raw, evidence)
        self._positions = positions
        self.length = self.unit.length  # the text's length in the file's unit: the largest valid position

    def __call__(self, position: int) -> int:
        return self._positions[self.unit.raw(position)]
