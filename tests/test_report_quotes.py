"""Quote table: print cleaning, anonymised text, attribution and filters."""

from __future__ import annotations

import sys

import pytest

from qualcode.errors import ProjectError
from qualcode.report import clean_for_print, quote_table, redactor_for
from qualcode.report.privacy import Redactor, anonymisation_available
from qualcode.report.quotes import QUOTE_COLUMNS, printed
from report_helpers import FakeAnonymiser, fake_redactor, make_project

# Every test below runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends(every_test=True)


@pytest.fixture(scope="module")
def project():
    p = make_project()
    yield p
    p.close()


@pytest.fixture(scope="module")
def quotes(project):
    return quote_table(project, redactor=fake_redactor(project))


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("Det var, øh, rigtig svært", "Det var … rigtig svært"),  # filler between commas: one cut
        ("Øh, vi prøvede", "… vi prøvede"),  # a cut at the start is marked too
        ("det er svært, øh.", "det er svært …"),  # cut before the full stop prints as one mark
        ("Jeg, ØH, tror", "Jeg … tror"),  # case does not matter
        ("øh, æh... ehm, vi gjorde det", "… vi gjorde det"),  # a run of fillers is one cut
        ("Vi har sparekrav, æhm, hvert år", "Vi har sparekrav … hvert år"),  # æhm is a filler
        ("Hmm, det ved jeg ikke", "… det ved jeg ikke"),
        ("Øhlenschläger og høhø er ord", "Øhlenschläger og høhø er ord"),  # words that start like fillers stay
        ("altså, ikke? Jo, sådan ligesom", "altså, ikke? Jo, sådan ligesom"),  # meaningful fillers stay
        ("Det er svært, øh?", "Det er svært …?"),
    ],
)
def test_clean_for_print_removes_only_fillers(raw, cleaned):
    assert clean_for_print(raw) == cleaned


def test_quote_table_has_the_issue_columns_and_only_accepted_codings(quotes):
    assert list(quotes.columns) == QUOTE_COLUMNS
    # 6 accepted gold codings + 1 accepted machine suggestion; rejected and open ones are left out.
    assert len(quotes) == 7
    assert set(quotes["status"]) == {"accepted"}
    assert sorted(quotes["source"].value_counts().items()) == [("human", 6), ("machine", 1)]


def test_quotes_are_anonymised_and_unedited_text_kept_beside_the_cleaned(quotes):
    row = quotes[quotes["code"] == "barriere.oekonomi"].iloc[0]
    assert row["quote_unedited"] == "Vi har sparekrav hvert eneste år, æhm, så det første der ryger, det er det tværgående arbejde med borgerne."
    assert row["quote"] == "Vi har sparekrav hvert eneste år … så det første der ryger, det er det tværgående arbejde med borgerne."
    assert row["attribution"] == "(chef)"
    assert row["municipality"] == "Kommune A"
    assert row["document"] == "Interview 02"
    assert row["timestamp"] == "01:03:30"
    lead = quotes[quotes["code"] == "driver.ledelsesopbakning"].iloc[0]
    assert "[NAVN]" in lead["quote"] and "Birgitte" not in lead["quote"] and "Birgitte" not in lead["quote_unedited"]
    for column in ("quote", "quote_unedited", "municipality", "document"):
        assert not quotes[column].str.contains("Fjordby|Hedelund|Camilla|Jonas|Birgitte").any(), column


def test_printed_quote_uses_danish_quotation_marks_and_role(quotes):
    row = quotes[quotes["code"] == "barriere.oekonomi"].iloc[0]
    assert printed(row) == "\u201dVi har sparekrav hvert eneste år … så det første der ryger, det er det tværgående arbejde med borgerne.\u201d (chef)"


def test_each_document_is_anonymised_once(project):
    anonymiser = FakeAnonymiser()
    quote_table(project, redactor=Redactor(project, anonymiser))
    assert sorted(anonymiser.calls) == sorted(set(anonymiser.calls)) == [1, 2, 3]


def test_participant_pseudonym_in_attribution(project):
    quotes = quote_table(project, redactor=fake_redactor(project), with_participant=True, codes=["driver.raaderum"])
    assert list(quotes["attribution"]) == ["(medarbejder, IP3)"]


@pytest.mark.parametrize(
    "filters, expected_ids",
    [
        ({"codes": ["driver.raaderum"]}, [5]),  # exact code
        ({"themes": ["barrierer"]}, [2, 7, 4]),  # every code under the theme
        ({"roles": ["chef"]}, [3, 4]),
        ({"municipalities": ["Kommune B"]}, [5, 6]),  # by pseudonym
        ({"municipalities": ["Hedelund Kommune"]}, [5, 6]),  # or by the real name
        ({"documents": ["02_chef_fjordby.txt"]}, [3, 4]),
        ({"documents": [1]}, [1, 2, 7]),
        ({"status": "rejected"}, [8]),
        ({"status": None}, [1, 2, 7, 3, 8, 4, 5, 6, 9]),  # document order, then start
        ({"source": "machine", "status": None}, [7, 8, 9]),
        ({"coder": "gold"}, [1, 2, 3, 4, 5, 6]),
        ({"max_words": 20}, [2, 7, 4]),
        ({"min_words": 24}, [1]),
    ],
)
def test_filters(project, filters, expected_ids):
    quotes = quote_table(project, redactor=fake_redactor(project), **filters)
    assert list(quotes["quote_id"]) == expected_ids


def test_without_anonymisation_names_stay(project):
    quotes = quote_table(project, anonymise=False, codes=["driver.tillid_relationer"])
    assert quotes.iloc[0]["quote"].startswith("Min kollega Camilla ringede")
    assert quotes.iloc[0]["municipality"] == "Fjordby Kommune"
    assert quotes.iloc[0]["document"] == "02_chef_fjordby.txt"
    assert Redactor(project, None).personal_data_note().startswith("ADVARSEL: Denne fil er IKKE anonymiseret")


def test_anonymising_without_the_anonymiser_is_an_error_not_a_silent_leak(project, monkeypatch):
    monkeypatch.setitem(sys.modules, "qualcode.anonymise", None)  # as if not installed
    assert not anonymisation_available()
    with pytest.raises(ProjectError, match=r"anonymisation is not available in this installation \(qualcode.anonymise.Anonymiser is missing\)"):
        redactor_for(project)


def test_english_attribution(project):
    quotes = quote_table(project, redactor=fake_redactor(project), codes=["barriere.oekonomi"], lang="en")
    assert quotes.iloc[0]["attribution"] == "(head of department)"


def test_adjacent_sentences_coded_alike_print_as_one_passage():
    from qualcode.report.quotes import coded_spans

    p = make_project(codings=[])
    doc = p.documents.get(2)
    turn = p.documents.turns(2)[1]
    first_end = doc.text.index("samme dag,") + len("samme dag,")
    p.codings.add(2, turn.start, first_end, "driver.tillid_relationer", "gold")
    p.codings.add(2, first_end + 1, turn.end, "driver.tillid_relationer", "gold")
    p.codings.add(2, first_end + 1, turn.end, "barriere.oekonomi", "gold")  # another code: its own quote
    quotes = quote_table(p, redactor=fake_redactor(p))
    assert list(quotes["coding_ids"]) == ["1,2", "3"]
    assert quotes.iloc[0]["quote"] == "Min kollega [NAVN] ringede bare til jobcentret, og så løste vi det samme dag, fordi vi kender hinanden rigtig godt efter den praktik."
    assert (quotes.iloc[0]["start"], quotes.iloc[0]["end"]) == (turn.start, turn.end)
    assert list(quote_table(p, redactor=fake_redactor(p), merge_adjacent=False)["coding_ids"]) == ["1", "2", "3"]
    assert len(coded_spans(p)) == 3  # counting still sees every coding
    p.close()
