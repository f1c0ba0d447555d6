"""Evaluation against a gold coding: metrics, the gold file, the learning curve."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.errors import InputError
from qualcode.suggest.evaluation import _evaluate, learning_curve, simulated_decisions
from qualcode.suggest.gold import GoldSegment, read_gold
from qualcode.suggest import Suggester

from suggest_helpers import CODEBOOK


def _g(text, *codes):
    return GoldSegment("d.txt", 0, len(text), text, frozenset(codes))


def test_metrics_on_known_scores():
    codes = ("a", "b", "c")
    gold = [_g("1", "a"), _g("2", "b"), _g("3", "a", "c"), _g("4")]  # the last: coded only in another codebook
    scores = np.array([
        [0.9, 0.1, 0.0],  # a first: top-1 hit, a accepted
        [0.6, 0.5, 0.0],  # a first (wrong), b second: top-3 hit; a and b accepted
        [0.0, 0.2, 0.7],  # c first: hit; a not suggested at all; b below threshold
        [0.0, 0.0, 0.4],  # c accepted: a false positive
    ])
    ev = _evaluate(codes, scores, gold, threshold=0.35, top=3)
    assert (ev.segments, ev.coded_segments) == (4, 3)
    assert ev.top1 == pytest.approx(2 / 3) and ev.top3 == 1.0
    per = {s.code_id: s for s in ev.per_code}
    assert (per["a"].precision, per["a"].recall, per["a"].support) == (0.5, 0.5, 2)
    assert (per["b"].precision, per["b"].recall) == (1.0, 1.0)
    assert (per["c"].precision, per["c"].recall) == (0.5, 1.0)
    # 12 yes/no decisions: agree on 9 (3 yes, 6 no); chance agreement from the marginals
    po = 9 / 12
    pe = (4 / 12) * (5 / 12) + (8 / 12) * (7 / 12)
    assert ev.kappa == pytest.approx((po - pe) / (1 - pe))


def test_simulated_coder_accepts_gold_and_rejects_other_suggestions():
    s = Suggester(CODEBOOK).fit()
    gold = [_g("Der er ikke tid, og vores nøgletal er dårlige.", "b.tid")]
    decisions = {(d.code_id, d.accepted) for d in simulated_decisions(s, gold)}
    assert ("b.tid", True) in decisions and ("b.maal", False) in decisions


def test_learning_curve_improves_with_examples():
    texts = {
        "b.maal": ["Vi bliver målt på antal i job.", "Målingerne tæller kun vores egne borgere.", "Måltallene styrer alt.",
                   "Vi måles på hurtige resultater.", "Resultatkravene gælder kun os."],
        "b.tid": ["Der er ikke tid.", "Travlheden er for stor.", "Vi når det ikke i hverdagen.",
                  "Sagsstammen er alt for stor.", "Man har simpelthen for travlt."],
        "d.tillid": ["Vi holder møder med socialrådgiverne.", "Møderne med rådgiverne hjælper.", "Vi ses på møder hver uge.",
                     "Faste møder med de andre rådgivere.", "Rådgiverne og vi mødes tit."],
    }
    gold = [_g(t, code) for code, ts in texts.items() for t in ts]
    # A light prior so four examples per code can show (the default waits for more).
    points = learning_curve(CODEBOOK, gold, sizes=(0, 4), folds=5, prior_strength=3.0)
    assert [p.examples_per_code for p in points] == [0, 4]
    assert points[0].mean_examples_used == 0
    # 5 per code, minus those in the held-out fold: at most 4, at least 3 here
    assert 3 <= points[1].mean_examples_used <= 4
    assert points[1].top1 > points[0].top1


GOLD_HEADER = "document,unit,segment_index,start,end,text,code_id,codebook\n"


def test_read_gold_groups_codes_per_segment(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text(
        GOLD_HEADER
        + "a.txt,sentence,0,0,5,Hej æ,b.tid,bd\n"
        + "a.txt,sentence,0,0,5,Hej æ,rk.hyppig,rk\n"
        + "a.txt,sentence,1,6,9,Øhm,b.maal,bd\n",
        encoding="utf-8",
    )
    gold = read_gold(path)
    assert gold == [
        GoldSegment("a.txt", 0, 5, "Hej æ", frozenset({"b.tid", "rk.hyppig"})),
        GoldSegment("a.txt", 6, 9, "Øhm", frozenset({"b.maal"})),
    ]


@pytest.mark.parametrize(
    "content, problem",
    [
        ("document,start,end,text\n", "1: missing column(s): unit, segment_index, code_id, codebook"),
        (GOLD_HEADER + "a.txt,sentence,0,x,5,Hej,b.tid,bd\n", "2: start and end must be whole numbers, not 'x', '5'"),
    ],
)
def test_read_gold_errors_name_the_line(tmp_path, content, problem, english):
    path = tmp_path / "gold.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_gold(path)
    assert str(info.value) == f"{path}:{problem}"
