"""Optional embedding backend: meaning-level similarity from a model the user supplies.

Off by default, and qualcode ships no model and downloads nothing: a backend
is any object with ``name`` and ``embed(texts) -> array (n, d)``, for example
a sentence-transformers model the user has installed and loaded themselves::

    class MyBackend:
        name = "my-model"
        def __init__(self, model): self.model = model
        def embed(self, texts): return self.model.encode(list(texts))

    Suggester(codebook, embedding=MyBackend(model))
"""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from qualcode.codebook import Code
from qualcode.suggest.lexical import profile_text


@runtime_checkable
class EmbeddingBackend(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - protocol
        ...


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=float)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)


class EmbeddingSimilarity:
    """Cosine similarity of segment embeddings to each code's profile and examples."""

    def __init__(self, codes: Sequence[Code], backend: EmbeddingBackend):
        self.codes = tuple(codes)
        self.backend = backend

    def fit(self) -> "EmbeddingSimilarity":
        texts, owners = [], []
        for i, code in enumerate(self.codes):
            for text in (profile_text(code), *code.examples):
                texts.append(text)
                owners.append(i)
        vectors = _unit(self.backend.embed(texts))
        if vectors.shape[0] != len(texts):
            raise ValueError(f"embedding backend {self.backend.name!r} returned {vectors.shape[0]} vectors for {len(texts)} texts")
        self.vectors_ = vectors
        self.owner_ = np.asarray(owners)
        return self

    def similarities(self, texts: Sequence[str]) -> np.ndarray:
        """Best cosine per code, clipped to [0, 1], shape (n, codes)."""
        sims = _unit(self.backend.embed(list(texts))) @ self.vectors_.T
        out = np.zeros((len(texts), len(self.codes)))
        for j, owner in enumerate(self.owner_):
            out[:, owner] = np.maximum(out[:, owner], sims[:, j])
        return np.clip(out, 0.0, 1.0)
