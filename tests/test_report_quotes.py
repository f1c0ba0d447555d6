"""Quote table: print cleaning, anonymised text, attribution and filters."""

from __future__ import annotations

import sys

import pytest

from qualcode.errors import ProjectError
from qualcode.report import clean_for_print, quote_table, redactor_for
from qualcode.report.privacy import Redactor, anonymisation_available
from qualcode.report.quotes import QUOTE_COLUMNS, printed
from report_helpers import FakeAnonymiser, fake_redactor, make_project


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


def test_printed_quote_uses_the_languages_quotation_marks_and_role(quotes):
    row = quotes[quotes["code"] == "barriere.oekonomi"].iloc[0]
    # Danish »…« (not ”…”, whose closing mark opens nothing), English “…”.
    assert printed(row, "da") == "»Vi har sparekrav hvert eneste år … så det første der ryger, det er det tværgående arbejde med borgerne.« (chef)"
    assert printed(row, "en").startswith("\u201cVi har sparekrav") and printed(row, "en").endswith("borgerne.\u201d (chef)")


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
        ({"codes": ["driver.raaderum"]}, [5]),  # a code without sub-codes
        ({"codes": ["barrierer"]}, [2, 7, 4]),  # a parent includes the codes below it
        ({"codes": ["driver.raaderum", "barriere.oekonomi"]}, [4, 5]),
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
    with pytest.raises(ProjectError, match=r"anonymisering er ikke tilgængelig i denne installation \(qualcode.anonymise.Anonymiser mangler\)"):
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


# -- transcription notes -----------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("Nej, men… [pause] Det største er nok målingerne.", "Nej, men… Det største er nok målingerne."),  # the report's first quote
        ("(griner) Ja, det var sjovt (griner).", "Ja, det var sjovt."),  # a sound is removed, spacing tidied
        ("Det var (ler) lidt pinligt", "Det var lidt pinligt"),
        ("vi skal [overlap] have mere tid", "vi skal … have mere tid"),  # words lost to overlap: an omission
        ("det var godt [utydeligt].", "det var godt …"),  # an omission before the full stop is one mark
        ("Det var [utydeligt 00:12:03] svært", "Det var … svært"),  # a note with a time in it
        ("Det var [00:12:03] svært", "Det var svært"),  # a bare time stamp
        ("vi, [pause], gjorde det", "vi, gjorde det"),  # no double comma where the note was
        ("(lang pause) Tja, måske.", "Tja, måske."),
        ("[Griner] Ja, klart", "Ja, klart"),  # case does not matter
        ("They said [inaudible] no", "They said … no"),  # English transcription tools
        ("[Person 15] – altså [Person 15], vi kalder ham", "[Person 15] – altså [Person 15], vi kalder ham"),  # tags stay
        ("[leder] sagde [navn] var god", "[leder] sagde [navn] var god"),  # role pseudonyms stay
        ("Vi (fx jobcentret) ringede", "Vi (fx jobcentret) ringede"),  # a speaker's own parentheses stay
        ("Øh, [pause] vi prøvede", "… vi prøvede"),  # notes and fillers together
    ],
)
def test_clean_for_print_removes_transcription_notes(raw, cleaned):
    assert clean_for_print(raw) == cleaned


def test_no_printed_quote_keeps_a_note_but_the_unedited_text_does():
    interviews = [("01_leder.txt", {"participant_id": "P1", "role": "leder", "municipality": "Fjordby Kommune"},
                   [("I", True, "Hvad blokerer?", None),
                    ("IP", False, "Nej, men… [pause] Det største er nok målingerne (griner), for de belønner hver forvaltning for sig.", None)])]
    p = make_project(codings=[(0, 1, "barriere.maalstyring", "gold", "accepted", "human")], interviews=interviews)
    [row] = quote_table(p, redactor=fake_redactor(p)).to_dict("records")
    assert row["quote"] == "Nej, men… Det største er nok målingerne, for de belønner hver forvaltning for sig."
    assert "[pause]" in row["quote_unedited"] and "(griner)" in row["quote_unedited"]
    p.close()


# -- quotes that stand on their own --------------------------------------------------------
@pytest.mark.parametrize(
    "text, alone",
    [
        ("Man får det, man måler, og ingen måler på samarbejdet mellem forvaltningerne.", True),
        ("Delvist.", False),  # a fragment
        ("Det var der.", False),  # a pronoun without its referent, and too short
        ("Han spørger, om vi kan tage sagen, men vi har ingen tid til det.", False),  # who is "han"?
        ("Ja, det er rigtigt, vi har aldrig haft et fælles mål for borgeren.", False),  # answers the question
        ("Nej, men det største problem er nok målingerne i hver forvaltning.", False),
        ("Jamen det er jo fordi vi ikke kender hinanden på tværs.", False),
        ("Det er svært at samarbejde, når budgetterne følger søjlerne.", True),  # "Det er …" is impersonal: fine
        ("Jaloux er nok et stort ord, men vi passer på vores egne penge.", True),  # "Ja…" only as a word
    ],
)
def test_stands_alone(text, alone):
    from qualcode.report.passages import stands_alone

    assert stands_alone(text) is alone


def _widener(text: str, sentences: list[tuple[int, int, int]], **limits):
    from qualcode.report.passages import Widener

    return Widener.from_bounds({1: sentences}, lambda _doc, start, end: text[start:end], **limits)


def test_a_fragment_is_widened_to_whole_sentences_of_its_turn():
    text = "Delvist. Vi har en fælles målsætning, men budgetterne følger stadig hver forvaltning for sig. Næste spørgsmål."
    a, b = text.index("Vi har"), text.index(" Næste")
    # Two sentences in turn 0, the third in turn 1 (another speaker).
    w = _widener(text, [(0, 8, 0), (a, b, 0), (b + 1, len(text), 1)])
    passage = w.widen(1, 0, 8)  # the coder marked "Delvist."
    assert (passage.start, passage.end) == (0, b)
    assert passage.text == text[0:b]


def test_widening_stays_in_the_turn_and_under_the_limit():
    text = "Delvist. Et andet svar fra en anden person i en anden tur."
    w = _widener(text, [(0, 8, 0), (9, len(text), 1)])
    assert w.widen(1, 0, 8).text == "Delvist."  # the next sentence belongs to another turn
    long = "Kort. " + "Lang sætning med mange ord " * 20 + "slut."
    w = _widener(long, [(0, 5, 0), (6, len(long), 0)], max_chars=200)
    assert w.widen(1, 0, 5).text == "Kort."  # adding the next sentence would pass the limit


def test_a_span_inside_a_sentence_becomes_the_whole_sentence():
    text = "Vi ringer bare til hinanden, og så løser vi det samme dag uden at vente på et møde."
    start = text.index("så løser")
    w = _widener(text, [(0, len(text), 0)])
    assert w.widen(1, start, start + 20).text == text


def test_a_leading_pronoun_brings_in_the_sentence_before():
    text = ("Jeg har en kollega i jobcentret, som jeg ringer til. "
            "Han spørger altid, hvad borgeren selv vil, og så finder vi ud af det sammen, uden møder og uden skemaer.")
    second = text.index("Han")
    w = _widener(text, [(0, second - 1, 0), (second, len(text), 0)])
    assert w.widen(1, second, len(text)).text == text


def test_a_long_coded_span_is_printed_as_coded_with_its_cuts_marked():
    text = "Første del af en lang sætning " + "med mange ord " * 40 + "til sidst."
    w = _widener(text, [(0, len(text), 0)], max_chars=100)
    passage = w.widen(1, 10, 90)
    assert (passage.start, passage.end) == (10, 90)
    assert passage.text == f"… {text[10:90]} …"


def test_quote_table_offers_the_widened_passage(tmp_path):
    interviews = [("01_leder.txt", {"participant_id": "P1", "role": "leder", "municipality": "Fjordby Kommune"},
                   [("I", True, "Har I fælles mål?", None),
                    ("IP", False, "Delvist. Vi har en fælles målsætning på papiret, men budgetterne følger stadig hver forvaltning for sig.", None)])]
    p = make_project(codings=[], interviews=interviews, segmented=True)
    turn = p.documents.turns(1)[1]
    text = p.documents.get(1).text
    p.codings.add(1, turn.start, turn.start + len("Delvist."), "driver.faelles_maal", "gold")
    [row] = quote_table(p, redactor=fake_redactor(p), widen=True).to_dict("records")
    assert row["quote"] == "Delvist."
    assert row["passage"] == text[turn.start:turn.end]
    assert (row["passage_start"], row["passage_end"]) == (turn.start, turn.end)
    assert row["stands_alone"] is False  # it still opens with the answer word
    assert quote_table(p, redactor=fake_redactor(p), widen=False).iloc[0]["passage"] == "Delvist."
    p.close()


def test_quote_table_carries_the_coders_rating():
    p = make_project()
    p.ratings.rate(4, 5, "anna")
    p.ratings.rate(4, 2, "bo")
    quotes = quote_table(p, redactor=fake_redactor(p)).set_index("quote_id")
    assert quotes.loc[4, "rating"] == 3.5  # the mean of the coders' ratings
    assert quotes["rating"].isna().sum() == len(quotes) - 1
    p.close()


def test_a_span_inside_a_very_long_sentence_finds_its_sentence():
    long = "Og så " + "det var en lang forklaring om samarbejdet " * 30 + "til sidst."
    interviews = [("01_leder.txt", {"participant_id": "P1", "role": "leder", "municipality": "Fjordby Kommune"},
                   [("I", True, "Fortæl.", None), ("IP", False, long, None)])]
    p = make_project(codings=[], interviews=interviews, segmented=True)
    turn = p.documents.turns(1)[1]
    start = turn.start + 1000
    p.codings.add(1, start, start + 50, "driver.faelles_maal", "gold")
    # The sentence began 1,000 characters earlier, outside the look-up window: it is still found.
    assert p.documents.sentences_around(1, start, start + 50, 450)[0][0] == turn.start
    [row] = quote_table(p, redactor=fake_redactor(p), widen=True).to_dict("records")
    assert (row["passage_start"], row["passage_end"]) == (start, start + 50)  # too long to widen: printed as coded
    assert row["passage"].startswith("… ") and row["passage"].endswith(" …")
    p.close()
