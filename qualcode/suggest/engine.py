"""The suggestion engine: codebook evidence blended with what the coder taught it.

Per leaf code a segment gets
- a codebook score: keyword hits, lexical similarity to the code's profile and
  examples and (optionally) embedding similarity, combined noisy-or;
- a learned probability from the coder's decisions.
The blend weighs the learned probability by ``n / (n + prior_strength)``, where
``n`` counts the code's accepted codings plus 0.3 per rejection: with no
decisions the codebook carries the score alone, after a few dozen the coder's
own practice dominates (30 and 0.3 were the best of the settings tried on the
sample gold's learning curve). The sentences around a segment (same turn) add
to its score when the caller passes them: coders read a sentence in context. Scores are in [0, 1]; a segment with no content words (empty, or
only fillers such as "øh, altså, ikke?") gets no suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from qualcode.codebook import Codebook
from qualcode.i18n import resolve_lang
from qualcode.models import Segment
from qualcode.suggest.embedding import EmbeddingBackend, EmbeddingSimilarity
from qualcode.suggest.keywords import KeywordMatcher
from qualcode.suggest.learned import LearnedModel
from qualcode.suggest.lexical import CodebookSimilarity
from qualcode.suggest.prep import analyse, text_of
from qualcode.suggest.reasons import reason_text
from qualcode.suggest.records import Evidence, Suggestion
from qualcode.suggest.weak import is_introduction

# Cosine similarities below SIM_FLOOR say nothing; at SIM_FULL the lexical
# evidence alone is worth SIM_MAX.
SIM_FLOOR = 0.05
SIM_FULL = 0.6
SIM_MAX = 0.6
# A one-word segment ("Tillid.") is thin evidence whatever it matches.
SHORT_SEGMENT_FACTOR = 0.6
# How much the surrounding sentences count (measured on the sample gold: the
# coder reads a sentence in its context), and when they are named as a reason.
CONTEXT_WEIGHT = 0.5
CONTEXT_EVIDENCE = 0.1  # the context is named as a reason only when it added at least this much to the score
# A speaker introducing themselves ("Jeg hedder ..., jeg er kommunaldirektør") says who they are,
# not what they think: whatever it matches is weak evidence (see weak.py).
INTRODUCTION_FACTOR = 0.35
NEGATIVE_EVIDENCE = 0.3


@dataclass(frozen=True)
class TrainingExample:
    """A decision to learn from: this text is (accepted) or is not (rejected) an instance of the code."""

    text: str
    code_id: str
    accepted: bool = True


def _scale(sim: np.ndarray, floor: float, full: float, top: float) -> np.ndarray:
    return np.clip((sim - floor) / (full - floor), 0.0, 1.0) * top


class Suggester:
    """Suggest leaf codes of a codebook for segments (or plain texts).

    ``Suggester(codebook).fit(corpus=segment_texts, examples=decisions)``, then
    ``suggest(segment)``; ``learn(segment, code_id, accepted)`` after each decision.
    """

    def __init__(
        self,
        codebook: Codebook,
        *,
        lang: str | None = None,
        embedding: EmbeddingBackend | None = None,
        prior_strength: float = 30.0,
        include_interviewer: bool = False,
        corpus_vocabulary: bool = False,
        random_state: int = 0,
    ):
        self.codebook = codebook
        self.lang = lang
        self.embedding = embedding
        self.prior_strength = prior_strength
        self.include_interviewer = include_interviewer
        self.corpus_vocabulary = corpus_vocabulary
        self.random_state = random_state

    # -- training -------------------------------------------------------------
    def fit(self, corpus: Iterable[str] = (), examples: Iterable[TrainingExample] = ()) -> "Suggester":
        """Build the codebook sources (IDF also from ``corpus``) and train on ``examples``."""
        self.lang_ = resolve_lang(self.lang)
        self.codes_ = tuple(self.codebook.leaves())
        self.code_ids_ = tuple(c.id for c in self.codes_)
        self.keywords_ = KeywordMatcher(self.codes_).fit()
        # The corpus is streamed once (a large study has a million sentences).
        self.lexical_ = CodebookSimilarity(self.codes_, corpus_vocabulary=self.corpus_vocabulary).fit(corpus)
        self.embedding_ = EmbeddingSimilarity(self.codes_, self.embedding).fit() if self.embedding is not None else None
        return self.fit_examples(examples)

    def fit_examples(self, examples: Iterable[TrainingExample]) -> "Suggester":
        """Retrain only the learned model (the codebook sources stay as fitted)."""
        texts: dict[str, int] = {}
        decisions = []
        for ex in examples:
            i = texts.setdefault(ex.text, len(texts))
            decisions.append((i, ex.code_id, ex.accepted))
        self.model_ = LearnedModel(self.code_ids_, random_state=self.random_state).fit(list(texts), decisions)
        return self

    def learn(self, item: Segment | str, code_id: str, accepted: bool) -> None:
        """Update the learned model with one decision (milliseconds)."""
        self.model_.learn(text_of(item), code_id, accepted)

    # -- suggesting -----------------------------------------------------------
    def suggest(
        self, item: Segment | str, *, top: int | None = 3, min_score: float = 0.0, context: str | None = None
    ) -> list[Suggestion]:
        """Codes for one segment, best first. ``context``: the sentences around it (same speaker)."""
        return self.suggest_many([item], top=top, min_score=min_score, contexts=None if context is None else [context])[0]

    def suggest_many(
        self,
        items: Sequence[Segment | str],
        *,
        top: int | None = 3,
        min_score: float = 0.0,
        contexts: Sequence[str] | None = None,
    ) -> list[list[Suggestion]]:
        scores, evidence = self._score(items, contexts)
        shown = []
        for i in range(len(items)):
            order = np.argsort(-scores[i], kind="stable")
            row = []
            for k in order:
                s = float(scores[i, k])
                if s <= 0 or s < min_score or (top is not None and len(row) >= top):
                    break
                row.append((int(k), s))
            shown.append(row)
        # The "like N segments you coded" counts of all shown suggestions, one product per code.
        evidence.prefetch([(i, k) for i, row in enumerate(shown) for k, _s in row])
        out = []
        for i, row in enumerate(shown):
            sugs = []
            for k, s in row:
                code = self.codes_[k]
                ev = tuple(evidence(i, k))
                sugs.append(Suggestion(code.id, round(s, 4), reason_text(ev, code.name, self.lang_), ev))
            out.append(sugs)
        return out

    def score_matrix(self, items: Sequence[Segment | str], contexts: Sequence[str] | None = None) -> np.ndarray:
        """Scores (n, leaf codes) in the order of ``code_ids_``; for evaluation and ordering."""
        return self._score(items, contexts)[0]

    def _score(self, items: Sequence[Segment | str], contexts: Sequence[str] | None = None):
        texts = [text_of(it) for it in items]
        analysed = [analyse(t) for t in texts]
        n, k = len(texts), len(self.codes_)
        profile, example, example_ix = self.lexical_.similarities_analysed(analysed)
        lexical = _scale(np.maximum(profile, example), SIM_FLOOR, SIM_FULL, SIM_MAX)
        keyword = np.zeros((n, k))
        hits_by_row = []
        col = {c: j for j, c in enumerate(self.code_ids_)}
        for i, a in enumerate(analysed):
            hits = self.keywords_.hits(a)
            hits_by_row.append(hits)
            for code_id, code_hits in hits.items():
                keyword[i, col[code_id]] = self.keywords_.score(code_hits)
        embedded = _scale(self.embedding_.similarities(texts), 0.2, 0.8, SIM_MAX) if self.embedding_ is not None else np.zeros((n, k))
        prior = 1.0 - (1.0 - keyword) * (1.0 - lexical) * (1.0 - embedded)
        learned, hashed = self.model_.probabilities_analysed(analysed)
        # Evidence for the learned model: accepted codings, and (less) rejections;
        # one segment can produce several rejections, so they must not rush the blend.
        n_ex = np.array([self.model_.n_positive(c) + NEGATIVE_EVIDENCE * (self.model_.n_examples(c) - self.model_.n_positive(c)) for c in self.code_ids_])
        weight = n_ex / (n_ex + self.prior_strength)
        scores = (1.0 - weight) * prior + weight * learned
        silent = np.zeros(n, dtype=bool)
        for i, a in enumerate(analysed):
            silent[i] = a.is_empty or (isinstance(items[i], Segment) and items[i].is_interviewer and not self.include_interviewer)
            if silent[i]:
                scores[i] = 0.0
            elif len(a.content) < 2:
                scores[i] *= SHORT_SEGMENT_FACTOR
            if not silent[i] and is_introduction(a.surfaces):
                scores[i] *= INTRODUCTION_FACTOR
        own = np.clip(scores, 0.0, 1.0)
        # A sentence is coded in its context: "Og så er der pengene." is about
        # turf wars when the sentences around it are. The context adds, never
        # replaces, and a segment that says nothing (empty, fillers) stays at 0.
        if contexts is not None:
            around = CONTEXT_WEIGHT * self._score([c or "" for c in contexts])[0]
            scores = 1.0 - (1.0 - own) * (1.0 - around)
            scores[silent] = 0.0
        else:
            around = np.zeros_like(own)
            scores = own

        def base_evidence(i: int, j: int) -> list[Evidence]:
            w = float(1.0 - weight[j])
            ev = [Evidence("keyword", w * h.weight, h.keyword, h.surface) for h in hits_by_row[i].get(self.code_ids_[j], [])]
            if lexical[i, j] > 0:
                if example[i, j] >= profile[i, j] and example_ix[i, j] >= 0:
                    ev.append(Evidence("example", w * float(lexical[i, j]), self.lexical_.example_texts_[example_ix[i, j]]))
                else:
                    ev.append(Evidence("definition", w * float(lexical[i, j])))
            if embedded[i, j] > 0:
                ev.append(Evidence("embedding", w * float(embedded[i, j]), self.embedding.name))
            # What the sentences around it added to the score: named only when that is real.
            gain = float(around[i, j] * (1.0 - own[i, j]))
            if gain >= CONTEXT_EVIDENCE:
                ev.append(Evidence("context", gain))
            return ev

        def names_learned(i: int, j: int, ev: list[Evidence]) -> bool:
            # The learned model is named when it carries the score, or when nothing else does.
            return weight[j] * learned[i, j] > 0 and (learned[i, j] > 0.5 or not ev)

        return scores, _Evidence(self, base_evidence, names_learned, weight, learned, hashed)


class _Evidence:
    """The evidence behind a batch's scores, per (row, code), built only for what is shown.

    The count for "like N segments you coded" compares a row with every
    segment accepted for the code; :meth:`prefetch` does that for all shown
    suggestions with one sparse product per code instead of one per suggestion.
    """

    def __init__(self, suggester: Suggester, base, names_learned, weight, learned, hashed):
        self._suggester = suggester
        self._base = base
        self._names_learned = names_learned
        self._weight = weight
        self._learned = learned
        self._hashed = hashed
        self._counts: dict[tuple[int, int], int] = {}

    def prefetch(self, pairs: Sequence[tuple[int, int]]) -> None:
        rows_by_code: dict[int, list[int]] = {}
        for i, j in pairs:
            if (i, j) not in self._counts and self._names_learned(i, j, self._base(i, j)):
                rows_by_code.setdefault(j, []).append(i)
        model = self._suggester.model_
        for j, rows in rows_by_code.items():
            counts = model.neighbour_counts(self._hashed[rows], self._suggester.code_ids_[j])
            self._counts.update(((i, j), int(c)) for i, c in zip(rows, counts))

    def __call__(self, i: int, j: int) -> list[Evidence]:
        ev = self._base(i, j)
        if self._names_learned(i, j, ev):
            count = self._counts.get((i, j))
            if count is None:
                count = self._suggester.model_.neighbours(self._hashed[i], self._suggester.code_ids_[j])
            ev.append(Evidence("learned", float(self._weight[j] * self._learned[i, j]), count=count))
        return ev
