"""What every detector gets and returns.

A detector is a callable object with a ``name`` (recorded as the span's
``source``) and ``detect(context) -> list[PiiSpan]``. It never changes text
and never decides overlaps; :func:`qualcode.anonymise.spans.resolve` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from qualcode.anonymise.phrases import PhraseIndex
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
    text: str
    known: PhraseIndex[KnownEntity] = field(default_factory=PhraseIndex)

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.text)


class Detector(Protocol):
    name: str

    def detect(self, context: DetectionContext) -> list[PiiSpan]:  # pragma: no cover - protocol
        ...


def span(context: DetectionContext, start: int, end: int, type_: str, score: float, source: str,
         entity: str | None = None, genitive: bool = False) -> PiiSpan:
    return PiiSpan(start, end, type_, score, source, context.text[start:end], entity, genitive)
