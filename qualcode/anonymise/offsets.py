"""Where an original span lands in an anonymised text: the one offset mapping.

Both a freshly anonymised document (:class:`AnonymisedText`) and a cached one
(read back from the project file without its texts) cut quotes through
:class:`OffsetMap`, so the two can never disagree about a boundary. The map
is four ints per replacement and the original's length, which is all a quote
needs: the texts themselves can stay in the project file.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class OffsetMap:
    """Replacements as flat ints ``start, end, new_start, new_end, ...`` in text order."""

    original_length: int
    flat: tuple[int, ...] = ()

    def __post_init__(self):
        # The ends, for bisecting, built once per map: a per-slice list made every slice linear.
        object.__setattr__(self, "_ends", self.flat[1::4])

    @classmethod
    def of(cls, original_length: int, replacements: Iterable) -> "OffsetMap":
        """The map of replacements with ``start``, ``end``, ``new_start`` and ``new_end``."""
        flat: list[int] = []
        for r in replacements:
            flat += (r.start, r.end, r.new_start, r.new_end)
        return cls(original_length, tuple(flat))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The anonymised ``[start, end)`` of ``original[start:end]``.

        A replacement that straddles either boundary is included whole, so a
        quote cut mid-name never leaks part of it.
        """
        if not 0 <= start <= end <= self.original_length:
            raise ValueError(f"slice {start}..{end} is outside the text (length {self.original_length})")
        return self._map(start, left=True), self._map(end, left=False)

    def _map(self, pos: int, *, left: bool) -> int:
        flat = self.flat
        ends = self._ends  # type: ignore[attr-defined]
        i = bisect_right(ends, pos)  # replacements[:i] end at or before pos
        shift = flat[4 * i - 1] - flat[4 * i - 3] if i else 0  # new_end - end of replacement i-1
        if i < len(ends) and flat[4 * i] < pos:
            return flat[4 * i + 2] if left else flat[4 * i + 3]
        return pos + shift


@dataclass(frozen=True)
class MappedText:
    """An anonymised document cut by its map; ``fetch(start, end)`` reads the anonymised text.

    ``fetch`` may read from memory or from the project file (a cached
    document's text is then never loaded whole for a few quotes).
    """

    offsets: OffsetMap
    fetch: Callable[[int, int], str]

    def slice(self, start: int, end: int) -> str:
        """The anonymised version of ``original[start:end]`` (see :meth:`OffsetMap.span`)."""
        a, b = self.offsets.span(start, end)
        return self.fetch(a, b) if a < b else ""
