"""Agreement coefficients against published examples, scikit-learn and the krippendorff package."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode.agreement import cohen_kappa, krippendorff_alpha_nominal, percent_agreement

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers, 12 units, values 1-5, missing data. Published nominal alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def _as_array(data):
    return np.array([[np.nan if v is None else float(v) for v in row] for row in data])


def test_alpha_matches_krippendorffs_published_worked_example():
    assert round(krippendorff_alpha_nominal(KRIPPENDORFF_2011), 3) == 0.743


def test_alpha_matches_the_krippendorff_package_on_the_worked_example():
    expected = krippendorff.alpha(reliability_data=_as_array(KRIPPENDORFF_2011), level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(KRIPPENDORFF_2011) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_alpha_matches_the_krippendorff_package_on_random_data_with_missing_values(seed):
    rng = random.Random(seed)
    coders, units = rng.randint(2, 5), rng.randint(10, 40)
    data = [[rng.choice([0, 1, 2, None]) if rng.random() < 0.8 else None for _ in range(units)] for _ in range(coders)]
    expected = krippendorff.alpha(reliability_data=_as_array(data), level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(data) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_kappa_matches_sklearn_on_random_labels(seed):
    rng = random.Random(100 + seed)
    labels = ["maal", "tid", "ledelse", "-"][: rng.randint(2, 4)]
    a = [rng.choice(labels) for _ in range(50)]
    b = [x if rng.random() < 0.6 else rng.choice(labels) for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_kappa_uses_only_units_both_coders_coded():
    a = [True, False, True, None, True]
    b = [True, False, False, True, None]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score([1, 0, 1], [1, 0, 0]))


def test_kappa_is_nan_when_both_coders_use_one_category_throughout():
    # sklearn also gives nan here (0/0); agreement is perfect but kappa is undefined
    assert math.isnan(cohen_kappa([False] * 5, [False] * 5))


def test_percent_agreement_averages_agreeing_pairs_over_units():
    # unit 1: 3 coders agree (3/3 pairs); unit 2: 2 of 3 agree (1/3 pairs); unit 3: one coder only (left out)
    data = [["a", "a", "a"], ["a", "b", None], ["a", "a", None]]
    assert percent_agreement(data) == pytest.approx((1 + 1 / 3) / 2)


def test_percent_agreement_on_the_worked_example():
    # 11 units have >= 2 values (unit 12 has one): 8 agree fully, units 2 and 8 in 3 of 6 pairs, unit 6 in none
    assert percent_agreement(KRIPPENDORFF_2011) == pytest.approx((8 + 0.5 + 0.5 + 0) / 11)


def test_alpha_is_nan_without_any_variation():
    assert math.isnan(krippendorff_alpha_nominal([[1, 1, 1], [1, 1, 1]]))
