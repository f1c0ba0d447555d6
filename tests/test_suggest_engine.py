"""The suggestion engine: keyword patterns, similarity, learning, reasons, edge cases."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.models import Segment
from qualcode.suggest import Suggester, TrainingExample
from qualcode.suggest.keywords import KeywordMatcher
from qualcode.suggest.prep import analyse

from suggest_helpers import CODEBOOK, without_keywords


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    return Suggester(CODEBOOK).fit()


def _codes(suggestions):
    return [s.code_id for s in suggestions]


# -- keywords -------------------------------------------------------------------
@pytest.mark.parametrize(
    "keyword, text, surface, kind",
    [
        # prefix pattern catches a compound the lemma table does not know
        ("samarbejd*", "Vi har en samarbejdsaftale.", "samarbejdsaftale", "wildcard"),
        # suffix pattern
        ("*måling", "Effektmålingerne fylder meget.", "Effektmålingerne", "wildcard"),
        # plain keyword opening a compound with the linking -s
        ("samarbejde", "Vi har en samarbejdsaftale.", "samarbejdsaftale", "compound"),
        # plain keyword closing a compound
        ("aftale", "Vi har en samarbejdsaftale.", "samarbejdsaftale", "compound"),
        # inflected form matched through its lemma
        ("budget", "Budgetterne er små.", "Budgetterne", "exact"),
        # phrase of lemmas
        ("kende hinanden", "Vi kender hinanden godt.", "kender hinanden", "phrase"),
    ],
)
def test_keyword_patterns_match_lemmas_and_compounds(keyword, text, surface, kind):
    from qualcode.codebook import Code

    matcher = KeywordMatcher([Code("x", "X", None, keywords=(keyword,))]).fit()
    (hit,) = matcher.hits(analyse(text))["x"]
    assert (hit.keyword, hit.surface, hit.kind) == (keyword, surface, kind)


def test_short_keyword_does_not_match_inside_unrelated_words():
    from qualcode.codebook import Code

    matcher = KeywordMatcher([Code("x", "X", None, keywords=("tid",))]).fit()
    assert matcher.hits(analyse("Tidligere var det anderledes.")) == {}


# -- the edge cases coders meet -------------------------------------------------
def test_empty_segment_gets_no_suggestions(suggester):
    assert suggester.suggest("") == []
    assert suggester.suggest("   ") == []


def test_fillers_only_get_no_suggestion(suggester):
    assert suggester.suggest("øh, altså, ikke?") == []
    assert suggester.suggest("Ja ja. Øhm... (griner)") == []


def test_scores_in_unit_interval_and_best_first(suggester):
    texts = [
        "Der er simpelthen ikke tid til møderne, travlheden er enorm.",
        "Vores nøgletal bliver ringere, når vi bruger tid på deres borgere.",
        "Direktøren bakker op og har givet os mandat.",
        "Det regnede hele dagen.",
    ]
    for row in suggester.suggest_many(texts, top=None):
        scores = [s.score for s in row]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
    matrix = suggester.score_matrix(texts)
    assert matrix.shape == (4, 4) and matrix.min() >= 0 and matrix.max() <= 1


def test_suggests_leaf_codes_only(suggester):
    row = suggester.suggest("Der er ikke tid, og ingen måler på samarbejdet, men direktøren giver mandat.", top=None)
    assert set(_codes(row)) <= {"b.maal", "b.tid", "d.ledelse", "d.tillid"}
    assert suggester.code_ids_ == ("b.maal", "b.tid", "d.ledelse", "d.tillid")


def test_keyword_hit_ranks_first_with_danish_reason(suggester):
    (best, *_) = suggester.suggest("Vores nøgletal bliver ringere af det.")
    assert best.code_id == "b.maal"
    assert "nøgleord »nøgletal*« i »nøgletal«" in best.reason


def test_reasons_in_english_on_request():
    (best, *_) = Suggester(CODEBOOK, lang="en").fit().suggest("Vores nøgletal bliver ringere af det.")
    assert "keyword “nøgletal*” in “nøgletal”" in best.reason


def test_code_without_examples_is_suggested_from_its_definition(suggester):
    assert CODEBOOK.get("d.ledelse").examples == ()
    (best, *_) = suggester.suggest("Direktøren bakker op og har givet os mandat.")
    assert best.code_id == "d.ledelse"
    assert best.score >= 0.5


def test_codebook_without_keywords_still_gives_sensible_suggestions():
    bare = Suggester(without_keywords()).fit()
    cases = {
        "Vi bliver målt på, hvor mange borgere der kommer i job.": "b.maal",
        "Der er ikke tid til at koordinere, man når det ikke.": "b.tid",
        "Vi kender hinanden nu og stoler på hinanden.": "d.tillid",
        "Topledelsen og direktøren giver os synlig opbakning.": "d.ledelse",
    }
    for text, code in cases.items():
        row = bare.suggest(text)
        assert row and row[0].code_id == code, (text, row)
        assert row[0].reason.startswith("ligner ")


def test_interviewer_segments_are_not_suggested_for_by_default(suggester):
    seg = Segment(1, 0, "sentence", 0, 0, 40, "Er der ikke tid til møderne?", "I", None, True)
    assert suggester.suggest(seg) == []
    assert Suggester(CODEBOOK, include_interviewer=True).fit().suggest(seg)[0].code_id == "b.tid"


# -- learning -------------------------------------------------------------------
TEXT = "Vi holder faste møder med socialrådgiverne om de fælles borgere."


def test_accepting_and_rejecting_changes_later_rankings():
    s = Suggester(CODEBOOK).fit()
    before = _codes(s.suggest(TEXT, top=None))
    assert before[0] == "b.tid"  # "møde" is close to the time-pressure code
    taught = [
        "Vi holder møder med socialrådgiverne hver uge.",
        "Møderne med socialrådgiverne gør, at vi kender borgerne.",
        "Faste møder med de andre afdelinger om borgerne.",
    ]
    for _ in range(4):  # the same kind of sentence met again and again while coding
        for t in taught:
            s.learn(t, "d.tillid", True)
            s.learn(t, "b.tid", False)
    after = s.suggest(TEXT, top=None)
    assert s.model_.n_positive("d.tillid") == 12 and s.model_.n_examples("b.tid") == 12
    assert after[0].code_id == "d.tillid"
    assert _codes(after).index("b.tid") > 0
    assert "som 12 segmenter, du har kodet »Tillid og relationer«" in after[0].reason


def test_fit_on_examples_equals_learning_direction():
    examples = [TrainingExample(f"Vi holder møder med socialrådgiverne, uge {i}.", "d.tillid") for i in range(8)]
    s = Suggester(CODEBOOK).fit(examples=examples)
    assert s.suggest(TEXT)[0].code_id == "d.tillid"
    assert s.model_.n_positive("d.tillid") == 8


def test_blend_leans_on_codebook_without_decisions(suggester):
    assert all(suggester.model_.n_examples(c) == 0 for c in suggester.code_ids_)
    assert all(e.kind != "learned" for row in suggester.suggest_many([TEXT], top=None) for s in row for e in s.evidence)


# -- embedding backend ----------------------------------------------------------
class LetterBackend:
    """A fake embedding: letter counts. Enough to test the plumbing; no model, no download."""

    name = "bogstaver"

    def __init__(self):
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        alphabet = "abcdefghijklmnopqrstuvwxyzæøå"
        return np.array([[t.lower().count(ch) for ch in alphabet] for t in texts], dtype=float)


def test_embedding_backend_is_off_by_default_and_pluggable():
    assert Suggester(CODEBOOK).fit().embedding_ is None
    backend = LetterBackend()
    s = Suggester(CODEBOOK, embedding=backend).fit()
    row = s.suggest("Direktøren bakker op og har givet os mandat.", top=None)
    assert backend.calls == 2  # codebook once at fit, the segment once
    assert any(e.kind == "embedding" and e.detail == "bogstaver" for sug in row for e in sug.evidence)
    assert all(0 <= sug.score <= 1 for sug in row)


# -- context --------------------------------------------------------------------
def test_context_of_the_turn_lifts_a_code_and_is_named(suggester):
    text = "Og det er så det, der er problemet for os."
    context = "Vores nøgletal bliver ringere af det. Ingen måler på samarbejdet."
    alone = {s.code_id: s.score for s in suggester.suggest(text, top=None)}
    (best, *_) = suggester.suggest(text, top=None, context=context)
    assert best.code_id == "b.maal"
    assert best.score > alone.get("b.maal", 0.0)
    assert "sætningerne omkring handler om »Målstyring«" in best.reason


def test_context_does_not_make_fillers_suggestible(suggester):
    assert suggester.suggest("øh, altså, ikke?", context="Vores nøgletal bliver ringere af det.") == []
