"""Which quotes a report prints: spread over roles and people, then quality, each quote once."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from qualcode.report import shortlist
from qualcode.report.quotes import QUOTE_COLUMNS


def q(quote_id, code, role, participant, *, doc=None, start=None, rating=None, score=None, source="human",
      alone=True, words=20, status="accepted"):
    """One quote-table row; the passage is ``words`` words long and spans [start, start + 100)."""
    doc = doc if doc is not None else int(participant[2:])
    start = start if start is not None else quote_id * 1000
    text = " ".join(["ord"] * words)
    return {
        "quote_id": quote_id, "theme": code.split(".")[0], "theme_name": "", "code": code, "code_name": code,
        "quote": text, "quote_unedited": text, "attribution": f"({role})", "passage": text, "role": role,
        "participant": participant, "municipality": "", "document": "", "timestamp": "", "coder": "gold",
        "status": status, "source": source, "score": score, "rating": rating, "stands_alone": alone, "words": words,
        "document_id": doc, "start": start, "end": start + 100, "passage_start": start, "passage_end": start + 100,
        "coding_ids": str(quote_id),
    }


def table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def test_every_role_gets_a_quote_before_any_role_gets_a_second():
    # Three chef quotes come first in the material; one leder and one borger quote come last.
    rows = [q(1, "a", "chef", "IP1"), q(2, "a", "chef", "IP2"), q(3, "a", "chef", "IP3"),
            q(4, "a", "leder", "IP4"), q(5, "a", "borger", "IP5")]
    picked = shortlist(table(rows), per_code=3)
    assert sorted(picked["role"]) == ["borger", "chef", "leder"]


def test_participants_are_spread_within_a_role():
    rows = [q(1, "a", "chef", "IP1"), q(2, "a", "chef", "IP1", start=5000), q(3, "a", "chef", "IP2")]
    picked = shortlist(table(rows), per_code=2, max_per_participant=2)
    assert sorted(picked["participant"]) == ["IP1", "IP2"]


def test_the_report_as_a_whole_is_balanced_across_roles():
    # Six codes, each with material from all three roles, but chefs always first in the material.
    rows = []
    for k, code in enumerate("abcdef"):
        for j, role in enumerate(("chef", "leder", "borger")):
            rows.append(q(10 * k + j, code, role, f"IP{j + 1}", start=(10 * k + j) * 1000))
    picked = shortlist(table(rows), per_code=1)
    assert len(picked) == 6
    assert Counter(picked["role"]) == {"chef": 2, "leder": 2, "borger": 2}


def test_after_the_spread_the_coders_rating_and_the_models_confidence_decide():
    rows = [q(1, "a", "chef", "IP1", rating=2), q(2, "a", "chef", "IP1", rating=5, start=9000)]
    assert list(shortlist(table(rows), per_code=1)["quote_id"]) == [2]
    rows = [q(1, "a", "chef", "IP1", source="machine", score=0.4),
            q(2, "a", "chef", "IP1", source="machine", score=0.9, start=9000)]
    assert list(shortlist(table(rows), per_code=1)["quote_id"]) == [2]
    # A coder's own coding counts as certain: it beats a machine suggestion someone accepted.
    rows = [q(1, "a", "chef", "IP1", source="machine", score=0.9), q(2, "a", "chef", "IP1", start=9000)]
    assert list(shortlist(table(rows), per_code=1)["quote_id"]) == [2]


def test_a_quote_that_does_not_stand_alone_is_used_only_when_a_code_has_nothing_else():
    rows = [q(1, "a", "borger", "IP1", alone=False), q(2, "a", "chef", "IP2")]
    assert list(shortlist(table(rows), per_code=1)["quote_id"]) == [2]
    assert list(shortlist(table(rows[:1]), per_code=1)["quote_id"]) == [1]
    # Rated 1 ("do not use") is as weak as a fragment.
    rows = [q(1, "a", "borger", "IP1", rating=1), q(2, "a", "chef", "IP2")]
    assert list(shortlist(table(rows), per_code=1)["quote_id"]) == [2]


def test_never_document_order():
    # Ten equal quotes from one role: the pick must not simply be the first in the material.
    rows = [q(i, "a", "chef", f"IP{i}", start=i * 1000) for i in range(1, 11)]
    picked = shortlist(table(rows), per_code=3)
    assert list(picked["quote_id"]) != [1, 2, 3]
    assert list(shortlist(table(list(reversed(rows))), per_code=3)["quote_id"]) == list(picked["quote_id"])  # row order does not matter


def test_a_quote_is_used_once_under_the_code_where_it_scores_best():
    # The same passage is coded "a" (rated 2) and "b" (rated 5); each code has one other quote.
    shared = dict(doc=1, start=0)
    rows = [q(1, "a", "chef", "IP1", rating=2, **shared), q(2, "b", "chef", "IP1", rating=5, **shared),
            q(3, "a", "leder", "IP2"), q(4, "b", "leder", "IP2", start=7000)]
    picked = shortlist(table(rows), per_code=2)
    spans = list(zip(picked["document_id"], picked["passage_start"]))
    assert len(spans) == len(set(spans))  # no passage twice
    assert picked.loc[picked["code"] == "b", "quote_id"].tolist().count(2) == 1  # the shared quote, under "b"
    assert 1 not in picked["quote_id"].tolist()


def test_overlapping_passages_count_as_the_same_quote():
    rows = [q(1, "a", "chef", "IP1", doc=1, start=0), q(2, "b", "chef", "IP1", doc=1, start=50)]  # [0,100) and [50,150)
    picked = shortlist(table(rows), per_code=1)
    assert len(picked) == 1


def test_repeats_may_be_allowed():
    shared = dict(doc=1, start=0)
    rows = [q(1, "a", "chef", "IP1", **shared), q(2, "b", "chef", "IP1", **shared)]
    assert len(shortlist(table(rows), per_code=1)) == 1
    assert sorted(shortlist(table(rows), per_code=1, repeats=True)["code"]) == ["a", "b"]


def test_a_scarce_code_chooses_before_a_common_one():
    # "rare" has one quote, which "common" also has; "common" has three more.
    shared = dict(doc=1, start=0)
    rows = [q(1, "common", "chef", "IP1", **shared), q(2, "rare", "chef", "IP1", **shared),
            q(3, "common", "leder", "IP2"), q(4, "common", "borger", "IP3"), q(5, "common", "chef", "IP4")]
    picked = shortlist(table(rows), per_code=2)
    assert picked.loc[picked["code"] == "rare", "quote_id"].tolist() == [2]
    assert 1 not in picked["quote_id"].tolist()


@pytest.mark.parametrize("per_code", [1, 2, 5])
def test_ranks_run_from_one_per_code(per_code):
    rows = [q(i, code, role, f"IP{i}") for i, (code, role) in enumerate(
        [("a", "chef"), ("a", "leder"), ("a", "borger"), ("b", "chef"), ("b", "leder")], 1)]
    picked = shortlist(table(rows), per_code=per_code)
    for _code, group in picked.groupby("code"):
        assert list(group["rank"]) == list(range(1, len(group) + 1))
    assert len(picked) == min(per_code, 3) + min(per_code, 2)
