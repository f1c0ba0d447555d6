"""The learned model: one linear classifier per code over hashed lemma features.

Accepted codings are positives; rejected suggestions are explicit negatives;
a segment accepted for another code is a weak (implicit) negative. Features
are hashed (no vocabulary to refit), so one decision updates the model in a
few milliseconds with ``partial_fit`` of that code's model on the new example
plus a small replay of earlier ones, whatever the number of coded segments; ``fit`` refits from
scratch when a full rebuild is wanted (opening a project, evaluation).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import Normalizer

from qualcode.suggest.features import ComposedVectoriser, supports
from qualcode.suggest.lexical import transform_content
from qualcode.suggest.prep import Analysed, analyse

N_FEATURES = 2**15  # per feature family; collisions are rare at interview vocabulary sizes
IMPLICIT_NEGATIVE_WEIGHT = 0.3
POSITIVE_LIFT = 0.5  # positives weigh sqrt(negatives / positives)
REPLAY = 24  # earlier examples replayed with each update, so one decision cannot swing a code
NEIGHBOUR_SIMILARITY = 0.25  # "like N segments you coded": how alike counts as alike
NEIGHBOUR_CHUNK = 2048


def make_hasher() -> Pipeline:
    words = HashingVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=False, n_features=N_FEATURES, alternate_sign=False)
    return Pipeline([("features", FeatureUnion([("lemmas", words), ("chars", chars)])), ("norm", Normalizer())])


def _classifier(seed: int) -> SGDClassifier:
    return SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=10, tol=None, random_state=seed)


class LearnedModel:
    """Per-code logistic models (SGD) trained on the coder's decisions."""

    def __init__(self, code_ids: Sequence[str], *, random_state: int = 0):
        self.code_ids = tuple(code_ids)
        self.random_state = random_state

    # -- training -------------------------------------------------------------
    def fit(self, texts: Sequence[str], decisions: Sequence[tuple[int, str, bool]]) -> "LearnedModel":
        """Refit from scratch. ``decisions``: (index into texts, code id, accepted?)."""
        self.hasher_ = make_hasher().fit([""])
        self.composed_ = ComposedVectoriser(self.hasher_) if supports(self.hasher_) else None
        self._rng = np.random.default_rng(self.random_state)
        self.rows_: list = []
        self.positives_: dict[str, set[int]] = {c: set() for c in self.code_ids}
        self.negatives_: dict[str, set[int]] = {c: set() for c in self.code_ids}
        self.classifiers_: dict[str, SGDClassifier] = {}
        self._weights = None
        self._positive_rows: dict[str, object] = {}
        matrix = self._hash(texts) if texts else None
        if matrix is not None:
            self.rows_ = [matrix[i] for i in range(matrix.shape[0])]
        for i, code, accepted in decisions:
            if code in self.positives_:
                (self.positives_ if accepted else self.negatives_)[code].add(i)
        for code in self.code_ids:
            if self.positives_[code]:
                self._refit_code(code, matrix)
        return self

    def _hash(self, texts: Sequence[str]):
        return self.hash_analysed([analyse(t) for t in texts])

    def hash_analysed(self, analysed: Sequence[Analysed]):
        """Hashed, normalised feature rows of analysed texts (what the classifiers read)."""
        return transform_content(self.hasher_, self.composed_, analysed)

    def _stack(self, rows: Sequence[int], matrix=None):
        if matrix is not None:
            return matrix[list(rows)]
        return sp.vstack([self.rows_[r] for r in rows]).tocsr()

    def _training_set(self, code: str, rows: Sequence[int] | None = None):
        pos = self.positives_[code]
        if rows is None:
            others = set().union(*(p for c, p in self.positives_.items() if c != code))
            rows = sorted(pos | self.negatives_[code] | others)
        y = np.array([1 if r in pos else 0 for r in rows])
        w = np.array([1.0 if (r in pos or r in self.negatives_[code]) else IMPLICIT_NEGATIVE_WEIGHT for r in rows])
        # Lift a rare code's positives a little, but only a little: fully
        # balanced classes would push every probability towards 0.5 and make
        # the blend accept far too much.
        if y.any() and (~y.astype(bool)).any():
            w[y == 1] *= max(1.0, (w[y == 0].sum() / w[y == 1].sum()) ** POSITIVE_LIFT)
        return rows, y, w

    def _refit_code(self, code: str, matrix=None) -> None:
        if not self.positives_[code]:
            # Rejections alone: no model; the blend then pulls the code's score
            # down as rejections accumulate (its learned probability is 0).
            return
        rows, y, w = self._training_set(code)
        X = self._stack(rows, matrix)
        if len(set(y)) < 2:
            # Only positives so far: add a blank row as the negative class, so
            # the model learns "has these words" rather than "always".
            X = sp.vstack([X, sp.csr_matrix((1, X.shape[1]))]).tocsr()
            y = np.append(y, 0)
            w = np.append(w, 1.0)
        clf = _classifier(self.random_state)
        clf.fit(X, y, sample_weight=w)
        self.classifiers_[code] = clf
        self._weights = None

    def learn(self, text: str, code: str, accepted: bool) -> None:
        """Take one decision into account at once (cheap: hashed features, partial_fit)."""
        if code not in self.positives_:
            return
        row = self._hash([text])
        self.rows_.append(row)
        i = len(self.rows_) - 1
        (self.positives_ if accepted else self.negatives_)[code].add(i)
        self._weights = None
        if accepted:
            self._positive_rows.pop(code, None)
        if code not in self.classifiers_:
            self._refit_code(code)
            return
        known = list(self.positives_[code] | self.negatives_[code])
        replay = self._rng.choice(known, size=min(REPLAY, len(known)), replace=False).tolist()
        rows, y, w = self._training_set(code, sorted(set(replay) | {i}))
        # Only this code's model moves now; the weak "not the other codes"
        # evidence enters at the next full fit (one partial_fit per code would
        # cost more than the whole update budget).
        self.classifiers_[code].partial_fit(self._stack(rows), y, classes=[0, 1], sample_weight=w)

    # -- predicting -----------------------------------------------------------
    def n_examples(self, code: str) -> int:
        """Decisions the model has for a code (accepted + rejected)."""
        return len(self.positives_[code]) + len(self.negatives_[code])

    def n_positive(self, code: str) -> int:
        return len(self.positives_[code])

    def probabilities(self, texts: Sequence[str]) -> tuple[np.ndarray, object]:
        """P(code | segment) per code (0 for codes without a model) and the hashed rows."""
        return self.probabilities_analysed([analyse(t) for t in texts])

    def probabilities_analysed(self, analysed: Sequence[Analysed]) -> tuple[np.ndarray, object]:
        """:meth:`probabilities` for texts already analysed."""
        X = self.hash_analysed(analysed)
        out = np.zeros((X.shape[0], len(self.code_ids)))
        if not self.classifiers_:
            return out, X
        if self._weights is None:
            idx = [k for k, c in enumerate(self.code_ids) if c in self.classifiers_]
            # Features x codes, contiguous: a sparse row times it touches only the row's features.
            WT = np.ascontiguousarray(np.vstack([self.classifiers_[self.code_ids[k]].coef_[0] for k in idx]).T)
            b = np.array([self.classifiers_[self.code_ids[k]].intercept_[0] for k in idx])
            self._weights = (idx, WT, b)
        idx, WT, b = self._weights
        z = np.asarray(X @ WT) + b
        out[:, idx] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return out, X

    def neighbours(self, row, code: str) -> int:
        """How many segments accepted for ``code`` are alike this one."""
        return int(self.neighbour_counts(row, code)[0])

    def neighbour_counts(self, rows, code: str) -> np.ndarray:
        """:meth:`neighbours` for every row of a hashed matrix, in one sparse product."""
        if not self.positives_[code]:
            return np.zeros(rows.shape[0], dtype=int)
        if code not in self._positive_rows:
            positive = self._stack(sorted(self.positives_[code]))
            positive.sort_indices()
            # Transposed once per code (and after each accepted decision), not per row.
            self._positive_rows[code] = sp.csr_matrix(positive.T)
        counts = np.zeros(rows.shape[0], dtype=int)
        # Chunks bound the (rows x positives) similarity matrix of a big batch.
        for lo in range(0, rows.shape[0], NEIGHBOUR_CHUNK):
            sims = sp.csr_matrix(rows[lo : lo + NEIGHBOUR_CHUNK] @ self._positive_rows[code])
            # Count straight from the product's arrays: each (row, positive) pair is
            # stored once, and the sparse comparison first sorted every row's
            # indices, which grew with the number of accepted codings.
            per_row = np.diff(sims.indptr)
            alike = np.repeat(np.arange(len(per_row)), per_row)[sims.data >= NEIGHBOUR_SIMILARITY]
            counts[lo : lo + len(per_row)] = np.bincount(alike, minlength=len(per_row))
        return counts
