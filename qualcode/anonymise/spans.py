"""Typed spans of personal data, and how overlapping findings are resolved.

Detectors only find spans (:class:`PiiSpan`); operators only transform them.
Several detectors often find the same thing ("Fjordby" as a municipality and
as a capitalised word after "i"); :func:`resolve` keeps one non-overlapping
set, preferring the more certain and then the longer finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from bisect import bisect_left
from typing import Iterable

PII_TYPES = ("PERSON", "PLACE", "ORG", "PHONE", "EMAIL", "CPR", "ADDRESS", "URL")

# Entity kinds inside the key: a municipality is a PLACE but gets its own
# label series ("[Kommune A]") because reports name municipalities that way.
KIND_PERSON = "person"
KIND_MUNICIPALITY = "kommune"
KIND_PLACE = "place"
KIND_ORG = "org"


@dataclass(frozen=True)
class PiiSpan:
    """One finding: ``text == document[start:end]``.

    ``entity`` is the canonical entity key (``"person:søren kjær"``,
    ``"kommune:vordingborg"``) or ``None`` for identifiers that are masked
    without a pseudonym series (phone, e-mail, CPR, address, URL).
    ``genitive`` is true when the span ends in a genitive ending that the
    replacement must keep ("Sørens" -> "[Person 1]s").
    """

    start: int
    end: int
    type: str
    score: float
    source: str
    text: str
    entity: str | None = None
    genitive: bool = False

    def __post_init__(self) -> None:
        if self.type not in PII_TYPES:
            raise ValueError(f"unknown PII type {self.type!r}; expected one of {', '.join(PII_TYPES)}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")

    @property
    def kind(self) -> str | None:
        """The entity kind (part of the key before the colon)."""
        return self.entity.split(":", 1)[0] if self.entity else None

    def overlaps(self, other: "PiiSpan") -> bool:
        return self.start < other.end and other.start < self.end


# A longer finding wins over a more certain one inside it: "Søren Kjær"
# (gazetteer) over "Søren" (a speaker label), so no surname is left; an
# address over the town at its end. Masking more is the safe direction.
_CONTAINING_MIN_SCORE = 0.7


def resolve(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Non-overlapping spans in text order: higher score wins, then the longer span."""
    chosen: list[PiiSpan] = []
    for cluster in _clusters(spans):
        chosen.extend(_resolve_cluster(cluster))
    return sorted(chosen, key=lambda s: s.start)


def _clusters(spans: Iterable[PiiSpan]) -> list[list[PiiSpan]]:
    """Groups of spans connected by overlaps; only spans in one group can conflict."""
    clusters: list[list[PiiSpan]] = []
    end = -1
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if clusters and span.start < end:
            clusters[-1].append(span)
            end = max(end, span.end)
        else:
            clusters.append([span])
            end = span.end
    return clusters


def _resolve_cluster(spans: list[PiiSpan]) -> list[PiiSpan]:
    spans = [
        s for s in spans
        if not any(
            o.start <= s.start and s.end <= o.end and (o.end - o.start) > (s.end - s.start)
            and o.score >= _CONTAINING_MIN_SCORE
            for o in spans
        )
    ]
    chosen: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start)):
        if not any(span.overlaps(c) for c in chosen):
            chosen.append(span)
    return chosen


def uncovered(spans: Iterable[PiiSpan], masked: Iterable[PiiSpan]) -> list[PiiSpan]:
    """The spans that overlap none of ``masked``."""
    masked = sorted(masked, key=lambda m: m.start)
    starts = [m.start for m in masked]
    result = []
    for s in spans:
        # Only the masked span starting last before s.end, and those before it, can overlap;
        # masked spans do not overlap each other, so checking the nearest is enough.
        i = bisect_left(starts, s.end)
        if i and masked[i - 1].end > s.start:
            continue
        result.append(s)
    return result
