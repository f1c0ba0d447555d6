"""Agreement coefficients on reliability data: coders x units, ``None`` = missing.

Plain Python on purpose: the numbers are checked in the tests against
scikit-learn's ``cohen_kappa_score``, the ``krippendorff`` package and
Krippendorff's own worked example, so they must not depend on either.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations
from typing import Hashable, Sequence

Value = Hashable | None


def _pairable(data: Sequence[Sequence[Value]]) -> list[list[Hashable]]:
    """Per unit, the values given by the coders who coded it; units with < 2 values drop out."""
    n_units = len(data[0]) if data else 0
    if any(len(row) != n_units for row in data):
        raise ValueError("every coder needs one value (or None) per unit")
    units = []
    for u in range(n_units):
        values = [row[u] for row in data if row[u] is not None]
        if len(values) >= 2:
            units.append(values)
    return units


def percent_agreement(data: Sequence[Sequence[Value]]) -> float:
    """Share of agreeing coder pairs per unit, averaged over units coded by at least two coders."""
    units = _pairable(data)
    if not units:
        return math.nan
    total = 0.0
    for values in units:
        pairs = list(combinations(values, 2))
        total += sum(a == b for a, b in pairs) / len(pairs)
    return total / len(units)


def cohen_kappa(a: Sequence[Value], b: Sequence[Value]) -> float:
    """Cohen's kappa for two coders on the units both coded (NaN when chance agreement is 1)."""
    if len(a) != len(b):
        raise ValueError("both coders need one value (or None) per unit")
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    if not pairs:
        return math.nan
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if expected == 1:
        return math.nan  # both coders used one and the same category throughout
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(data: Sequence[Sequence[Value]]) -> float:
    """Krippendorff's alpha, nominal metric, any number of coders, missing values allowed.

    Built from the coincidence matrix (Krippendorff 2011, "Computing
    Krippendorff's Alpha-Reliability"): each unit with m_u >= 2 values adds
    1/(m_u - 1) for every ordered pair of values from different coders.
    alpha = 1 - D_o / D_e; NaN when there is no variation at all (D_e = 0).
    """
    units = _pairable(data)
    coincidences: Counter = Counter()
    for values in units:
        m = len(values)
        for i, x in enumerate(values):
            for j, y in enumerate(values):
                if i != j:
                    coincidences[(x, y)] += 1 / (m - 1)
    n = sum(coincidences.values())
    if n <= 1:
        return math.nan
    marginals: Counter = Counter()
    for (x, _), count in coincidences.items():
        marginals[x] += count
    observed_disagreement = sum(c for (x, y), c in coincidences.items() if x != y)
    expected_disagreement = sum(
        marginals[x] * marginals[y] for x in marginals for y in marginals if x != y
    ) / (n - 1)
    if expected_disagreement == 0:
        return math.nan
    return 1 - observed_disagreement / expected_disagreement


__all__ = ["cohen_kappa", "krippendorff_alpha_nominal", "percent_agreement"]
