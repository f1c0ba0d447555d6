"""What every detector gets and returns.

A detector is a callable object with a ``name`` (recorded as the span's
``source``) and ``detect(context) -> list[PiiSpan]``. It never changes text
and never decides overlaps; :func:`qualcode.anonymise.spans.resolve` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from qualcode.anonymise.phrases import PhraseIndex, WordPositions
from qualcode.anonymise.spans import PiiSpan
from qualcode.anonymise.tokens import Token, tokenize


@dataclass(frozen=True)
class KnownEntity:
    """A name the project already knows: from the register, metadata or earlier documents."""

    key: str
    type: str
    source: str
    score: float


@dataclass
class DetectionContext:
    """One text and the names known so far.

    Everything cached here depends on the text alone, so one context serves
    every detector and every pass over the text (``known`` may grow between
    passes and is always read live).
    """

    text: str
    known: PhraseIndex[KnownEntity] = field(default_factory=PhraseIndex)

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.text)

    @cached_property
    def positions(self) -> WordPositions:
        return WordPositions(self.tokens)

    def matches(self, index: PhraseIndex):
        """``index.matches`` over this text, reusing its word positions."""
        return index.matches(self.text, self.tokens, self.positions)


class Detector(Protocol):
    name: str

    def detect(self, context: DetectionContext) -> list[PiiSpan]:  # pragma: no cover - protocol
        ...


def span(context: DetectionContext, start: int, end: int, type_: str, score: float, source: str,
         entity: str | None = None, genitive: bool = False) -> PiiSpan:
    return PiiSpan(start, end, type_, score, source, context.text[start:end], entity, genitive)
