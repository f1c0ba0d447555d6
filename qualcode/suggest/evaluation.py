"""How good are the suggestions? Measured against a gold coding.

- top-1 / top-3 accuracy: over gold segments with at least one code of the
  codebook, is the best (any of the three best) suggestion a gold code?
- per-code precision, recall, F1 and Cohen's kappa: a simulated coder accepts
  the top-3 suggestions scoring at least ``threshold``; compared with the gold
  as one yes/no decision per segment and code, over every gold segment (a
  segment the gold coded only with codes of another codebook is a negative
  here: the gold coder looked at it and gave none of these codes).
- learning curve: k-fold, the simulated coder codes up to ``n`` training
  segments per code (accepting what the gold says and rejecting the other
  suggestions shown), then the held-out fold is scored.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from qualcode.codebook import Codebook
from qualcode.suggest.engine import Suggester, TrainingExample
from qualcode.suggest.gold import GoldSegment

DEFAULT_THRESHOLD = 0.45
CURVE_SIZES = (0, 10, 25, 50)


@dataclass(frozen=True)
class CodeScore:
    code_id: str
    precision: float
    recall: float
    f1: float
    support: int  # gold segments with the code


@dataclass(frozen=True)
class Evaluation:
    segments: int  # gold segments scored
    coded_segments: int  # of which with a code of this codebook (top-k base)
    top1: float
    top3: float
    kappa: float
    macro_f1: float
    threshold: float
    per_code: tuple[CodeScore, ...]


@dataclass(frozen=True)
class CurvePoint:
    examples_per_code: int  # asked for
    mean_examples_used: float  # what the training folds could give
    top1: float
    top3: float
    kappa: float
    macro_f1: float


def evaluate(
    suggester: Suggester,
    gold: Sequence[GoldSegment],
    *,
    contexts: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    top: int = 3,
) -> Evaluation:
    """Score a fitted suggester on gold segments (``contexts``: the sentences around each)."""
    codes = suggester.code_ids_
    scores = suggester.score_matrix([g.text for g in gold], contexts) if gold else np.zeros((0, len(codes)))
    return _evaluate(codes, scores, gold, threshold, top)


def _evaluate(codes, scores, gold, threshold, top) -> Evaluation:
    col = {c: j for j, c in enumerate(codes)}
    truth = np.zeros(scores.shape, dtype=int)
    for i, g in enumerate(gold):
        for c in g.codes:
            if c in col:
                truth[i, col[c]] = 1
    order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    predicted = np.zeros(scores.shape, dtype=int)
    for i in range(scores.shape[0]):
        for j in order[i]:
            if scores[i, j] >= threshold and scores[i, j] > 0:
                predicted[i, j] = 1
    coded = truth.any(axis=1)
    hit1 = [truth[i, order[i, 0]] == 1 and scores[i, order[i, 0]] > 0 for i in np.flatnonzero(coded)]
    hitk = [any(truth[i, j] and scores[i, j] > 0 for j in order[i]) for i in np.flatnonzero(coded)]
    p, r, f, support = precision_recall_fscore_support(truth, predicted, average=None, zero_division=0)
    per_code = tuple(CodeScore(c, float(p[j]), float(r[j]), float(f[j]), int(support[j])) for j, c in enumerate(codes))
    present = [s for s in per_code if s.support > 0]
    kappa = cohen_kappa_score(truth.ravel(), predicted.ravel()) if truth.size and len(set(truth.ravel()) | set(predicted.ravel())) > 1 else 0.0
    return Evaluation(
        segments=len(gold),
        coded_segments=int(coded.sum()),
        top1=float(np.mean(hit1)) if hit1 else 0.0,
        top3=float(np.mean(hitk)) if hitk else 0.0,
        kappa=float(kappa),
        macro_f1=float(np.mean([s.f1 for s in present])) if present else 0.0,
        threshold=threshold,
        per_code=per_code,
    )


def simulated_decisions(suggester: Suggester, gold: Sequence[GoldSegment], top: int = 3) -> list[TrainingExample]:
    """What a coder who follows the gold does: accept the gold codes, reject the other suggestions shown."""
    leaves = set(suggester.code_ids_)
    out = []
    for g, row in zip(gold, suggester.suggest_many([g.text for g in gold], top=top)):
        for code in sorted(g.codes & leaves):
            out.append(TrainingExample(g.text, code, True))
        for s in row:
            if s.code_id not in g.codes:
                out.append(TrainingExample(g.text, s.code_id, False))
    return out


def learning_curve(
    codebook: Codebook,
    gold: Sequence[GoldSegment],
    *,
    corpus: Sequence[str] = (),
    contexts: Sequence[str] | None = None,
    sizes: Sequence[int] = CURVE_SIZES,
    folds: int = 5,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 0,
    lang: str | None = None,
    **options,
) -> list[CurvePoint]:
    """Quality after n coded examples per code, k-fold over the gold segments (``options``: for :class:`Suggester`)."""
    gold = list(gold)
    rng = np.random.default_rng(seed)
    fold_of = rng.permutation(len(gold)) % max(2, folds)
    zero_shot = Suggester(codebook, lang=lang, **options).fit(corpus)
    leaves = zero_shot.code_ids_
    points = []
    for n in sizes:
        scores = np.zeros((len(gold), len(leaves)))
        used = []
        for f in range(max(2, folds)):
            train = [g for g, k in zip(gold, fold_of) if k != f]
            test_ix = np.flatnonzero(fold_of == f)
            chosen = _pick(train, leaves, n, rng)
            used.extend(sum(1 for g in chosen if c in g.codes) for c in leaves if any(c in g.codes for g in train))
            # Same codebook sources, only the learned model differs per fold.
            model = copy.copy(zero_shot).fit_examples(simulated_decisions(zero_shot, chosen)) if chosen else zero_shot
            around = None if contexts is None else [contexts[i] for i in test_ix]
            scores[test_ix] = model.score_matrix([gold[i].text for i in test_ix], around)
        ev = _evaluate(leaves, scores, gold, threshold, 3)
        points.append(CurvePoint(n, float(np.mean(used)) if used else 0.0, ev.top1, ev.top3, ev.kappa, ev.macro_f1))
    return points


def _pick(train: Sequence[GoldSegment], leaves: Sequence[str], n: int, rng) -> list[GoldSegment]:
    """Up to n training segments per code (a segment counts for all its codes), plus segments
    without any of these codes in the proportion the training fold has them: a coder working
    through an interview meets those too, and rejects what is suggested there."""
    if n <= 0:
        return []
    leafset = set(leaves)
    chosen: dict[int, GoldSegment] = {}
    for code in leaves:
        having = [i for i, g in enumerate(train) if code in g.codes]
        for i in rng.permutation(having)[:n]:
            chosen[int(i)] = train[int(i)]
    coded = sum(1 for g in train if g.codes & leafset)
    uncoded = [i for i, g in enumerate(train) if not g.codes & leafset]
    share = round(len(chosen) * len(uncoded) / coded) if coded else 0
    for i in rng.permutation(uncoded)[:share]:
        chosen[int(i)] = train[int(i)]
    return [chosen[i] for i in sorted(chosen)]
