"""Detectors: exact spans on Danish text, one behaviour per row."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser
from qualcode.anonymise.detectors import (
    AddressDetector,
    CprDetector,
    DetectionContext,
    EmailDetector,
    PhoneDetector,
    UrlDetector,
)
from qualcode.anonymise.evaluate import read_hard_cases, run_hard_cases
from qualcode.anonymise.lexicon import municipalities

HARD_CASES = Path(__file__).resolve().parent.parent / "transcripts_sample" / "annotations" / "hard_cases.tsv"


def found(detector, text: str) -> list[tuple[str, str]]:
    return [(s.text, s.type) for s in detector.detect(DetectionContext(text))]


def detected(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(s.text, s.type) for s in Anonymiser(**kwargs).detect(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hans cpr er 120385-1234.", ["120385-1234"]),  # dashed, valid date
        ("CPR 1203851234 i sagen", ["1203851234"]),  # without dash
        ("nummer 0101011234", ["0101011234"]),  # modulus 11 is not required
        ("cpr 310285-1234", ["310285-1234"]),  # impossible date, but a CPR cue: still masked
        ("310285-1234", []),  # impossible date and no cue
        ("sagsnr. 120385-1234", []),  # a case number, not a person
        ("den 120385 1234", []),  # spaced without a cue: two numbers
        ("cpr: 120385 1234", ["120385 1234"]),  # spaced with a cue
    ],
)
def test_cpr(text, expected):
    assert [t for t, _ in found(CprDetector(), text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ring på 23 45 67 89 i morgen", ["23 45 67 89"]),  # 2-2-2-2
        ("tlf. 2345 6789", ["2345 6789"]),  # 4-4 with a cue
        ("+45 23 45 67 89.", ["+45 23 45 67 89"]),  # country code
        ("0045 23456789", ["0045 23456789"]),
        ("hun har 12 34 56 78", ["12 34 56 78"]),  # fictional range, phone grouping
        ("+46 70 123 45 67", ["+46 70 123 45 67"]),  # a Swedish mobile
        ("det kostede 12 50 00 00 kr.", []),  # an amount
        ("fra 2019 2020", []),  # two years
        ("1234 5678", []),  # invalid range and no cue
        ("sag 2023-123456", []),
        ("05.03.2024", []),  # a date
    ],
)
def test_phone(text, expected):
    assert [t for t, _ in found(PhoneDetector(), text)] == expected


def test_email_and_url_strip_sentence_punctuation():
    text = "Skriv til mette.kjaer@fjordby.dk. Se www.fjordby.dk/job, eller https://fjordby.dk/a?b=1."
    assert found(EmailDetector(), text) == [("mette.kjaer@fjordby.dk", "EMAIL")]
    assert found(UrlDetector(), text) == [("www.fjordby.dk/job", "URL"), ("https://fjordby.dk/a?b=1", "URL")]


def test_email_domain_is_not_also_a_url():
    assert found(UrlDetector(), "mail: ib@hedelund.dk") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hun bor på Fjordbyvej 12, 2. tv., 4700 Næstved.", ["Fjordbyvej 12, 2. tv., 4700 Næstved"]),
        ("Niels Juels Gade 3 er adressen", ["Niels Juels Gade 3"]),
        ("H.C. Andersens Boulevard 27, 1553 København V", ["H.C. Andersens Boulevard 27, 1553 København V"]),
        ("Det Vestergade 12", ["Vestergade 12"]),  # the sentence's first word is not part of the street
        ("jeg bor på Ahornvej nu", ["Ahornvej"]),  # a street without a number
        ("postnummer 4700 Næstved", ["4700 Næstved"]),
        ("i 1995 Kolding", []),  # a year before a town
        ("på Hedelund Skole i 3 år", []),  # "-lund" is a town ending, not a street
    ],
)
def test_address(text, expected):
    assert [t for t, _ in found(AddressDetector(), text)] == expected


def test_all_98_municipalities_are_shipped_and_found_before_kommune():
    names = [m.name for m in municipalities()]
    assert len(names) == 98 == len(set(names))
    for name in names:
        text = f"Vi har talt med {name} Kommune om det."
        assert detected(text) == [(f"{name} Kommune", "PLACE")], name


def test_bare_municipalities_are_found_mid_sentence():
    # Every municipality that is not also a Danish word, bare, after "i".
    for m in municipalities():
        spans = Anonymiser().detect(f"Vi bor i {m.name} nu.")
        assert [s.text for s in spans] == [m.name], m.name


def test_genitive_span_keeps_the_ending_and_links_to_the_base_entity():
    spans = Anonymiser().detect("Sørens chef og Søren var enige; Vordingborgs borgmester også.")
    assert [(s.text, s.entity, s.genitive) for s in spans] == [
        ("Sørens", "person:søren", True),
        ("Søren", "person:søren", False),
        ("Vordingborgs", "kommune:vordingborg", True),
    ]


def test_names_learned_from_a_pattern_are_found_bare_in_the_same_text():
    text = "Jeg kommer fra Hedelund. Hedelund Kommune er lille, og Hedelunds borgmester er ny."
    assert detected(text) == [("Hedelund", "PLACE"), ("Hedelund Kommune", "PLACE"), ("Hedelunds", "PLACE")]


def test_metadata_names_are_masked_with_their_parts():
    meta = [{"speaker": "Tina Mark", "municipality": "Fjordby Kommune", "interviewer": "Louise Brandt"}]
    text = "Louise Brandt: Hvad siger Mark om Fjordby? Tina Mark: Mark er mig. Mark og skov har vi. Louise: Ja."
    assert detected(text, metadata=meta) == [
        ("Louise Brandt", "PERSON"), ("Mark", "PERSON"), ("Fjordby", "PLACE"),
        ("Tina Mark", "PERSON"), ("Mark", "PERSON"), ("Louise", "PERSON"),
    ]  # "Mark er mig": a known name before a finite verb; "Mark og skov" starts a sentence with the word


def test_register_initials_and_aliases_are_one_entity(tmp_path):
    from qualcode.anonymise import load_register

    path = tmp_path / "register.yaml"
    path.write_text(
        "people:\n  - name: Søren Sønderby Kjær\n    aliases: [Søren S. Kjær, SSK]\n",
        encoding="utf-8",
    )
    spans = Anonymiser(register=load_register(path)).detect("SSK og Søren S. Kjær, altså Søren, og Kjærs kontor.")
    assert [(s.text, s.entity) for s in spans] == [
        ("SSK", "person:søren sønderby kjær"),
        ("Søren S. Kjær", "person:søren sønderby kjær"),
        ("Søren", "person:søren sønderby kjær"),
        ("Kjærs", "person:søren sønderby kjær"),
    ]


def test_register_keep_words_are_never_masked(tmp_path):
    from qualcode.anonymise import load_register

    path = tmp_path / "register.yaml"
    path.write_text("keep: [Rigshospitalet]\n", encoding="utf-8")
    assert detected("Hun var på Rigshospitalet.", register=load_register(path)) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a known first name takes the capitalised word after it, although that word is also Danish
        ("Det siger Ole Slot, der er direktør.", "Det siger [Person 1], der er direktør."),
        ("Vi talte med Lise Dal i går.", "Vi talte med [Person 1] i går."),
        ("Jens Bro kom også.", "[Person 1] kom også."),                     # first name at the sentence start
        ("Hanne Mark var med.", "[Person 1] var med."),
        ("Min kollega Ole Slot sagde nej.", "Min kollega [Person 1] sagde nej."),  # after a cue word
        ("siger Ole Slot, der er direktør", "siger [Person 1], der er direktør"),
        # the same words in lower case, or starting the next sentence, stay
        ("Vi gik en tur på slottet.", "Vi gik en tur på slottet."),
        ("Huset ligger i dalen.", "Huset ligger i dalen."),
        ("Vi gik over broen.", "Vi gik over broen."),
        ("Han hedder Ole. Slot er stort.", "Han hedder [Person 1]. Slot er stort."),
        ("Ole, Slot er stort.", "[Person 1], Slot er stort."),
        ("Vi mødte Ole Kommune.", "Vi mødte [Kommune A]."),                  # a municipality, not a surname
    ],
)
def test_a_known_first_name_takes_a_following_capitalised_word_that_is_also_a_danish_word(text, expected):
    assert Anonymiser().anonymise(text).text == expected


def test_review_candidates_are_unknown_capitalised_words_mid_sentence():
    anonymiser = Anonymiser()
    text = "Vi mødte Qwelin og SSK. Borgerservice og Jobcentret var der også, og Mette."
    spans = anonymiser.detect(text)
    assert [(s.text, s.type) for s in spans] == [("Mette", "PERSON")]
    assert [(c.text, c.type, c.source) for c in anonymiser.review_candidates(text, spans)] == [
        ("Qwelin", "PERSON", "review"), ("SSK", "ORG", "review"),
    ]


def test_hard_cases_file_passes_exactly():
    cases = read_hard_cases(HARD_CASES)
    assert len(cases) >= 50
    failures = [(c.line, c.text, found, c.expected) for c, found in run_hard_cases(cases, Anonymiser)
                if sorted(found) != sorted(c.expected)]
    assert failures == []


def test_optional_ner_is_used_when_given_and_scores_below_rules():
    import spacy

    from qualcode.anonymise.detectors import SpacyNerDetector

    nlp = spacy.blank("da")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Qwelin"}, {"label": "LOC", "pattern": "Mette"}])
    spans = SpacyNerDetector(nlp=nlp).detect(DetectionContext("Qwelin og Mette kom."))
    assert [(s.text, s.type, s.score, s.source) for s in spans] == [("Qwelin", "PERSON", 0.6, "ner"), ("Mette", "PLACE", 0.6, "ner")]
    anonymiser = Anonymiser(detectors=[*Anonymiser(use_ner=False).detectors, SpacyNerDetector(nlp=nlp)])
    # The gazetteer's PERSON for "Mette" outranks the model's LOC.
    assert [(s.text, s.type) for s in anonymiser.detect("Qwelin og Mette kom.")] == [("Qwelin", "PERSON"), ("Mette", "PERSON")]


def test_ner_is_off_when_no_danish_pipeline_is_installed(monkeypatch):
    import importlib.util

    from qualcode.anonymise.detectors import SpacyNerDetector, installed_model

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert installed_model() is None
    assert not any(isinstance(d, SpacyNerDetector) for d in Anonymiser().detectors)
