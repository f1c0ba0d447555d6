"""Code suggestions: codebook keywords and similarity, blended with a model that learns from the coder.

    from qualcode.suggest import Suggester, build_suggester, suggest_project
    suggester = build_suggester(project)          # codebook + the project's decisions
    suggester.suggest(segment, top=3)             # [Suggestion(code_id, score, reason), ...]
"""

from qualcode.suggest.embedding import EmbeddingBackend
from qualcode.suggest.engine import Suggester, TrainingExample
from qualcode.suggest.records import Evidence, Suggestion
from qualcode.suggest.workflow import (
    CodePrecision,
    QueueItem,
    build_suggester,
    decide,
    next_segments,
    precision_by_code,
    suggest_project,
)

__all__ = [
    "CodePrecision",
    "EmbeddingBackend",
    "Evidence",
    "QueueItem",
    "Suggester",
    "Suggestion",
    "TrainingExample",
    "build_suggester",
    "decide",
    "next_segments",
    "precision_by_code",
    "suggest_project",
]
