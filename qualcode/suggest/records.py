"""What the suggestion engine returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """One reason behind a suggestion, with its share in the score."""

    kind: str  # "keyword", "example", "definition", "learned", "embedding", "context"
    strength: float
    detail: str = ""  # the keyword, the example text, ...
    surface: str = ""  # what in the segment it matched
    count: int = 0  # for "learned": how many alike segments the coder coded so


@dataclass(frozen=True)
class Suggestion:
    """A code offered for a segment: score in [0, 1] and a reason a coder can check."""

    code_id: str
    score: float
    reason: str
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)
