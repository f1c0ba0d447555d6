"""Operators: exact replacement text for each operator, form and language."""

from __future__ import annotations

import pytest

from qualcode.anonymise import Anonymiser
from qualcode.anonymise.operators import definite, make_operator

META = [
    {"speaker": "Pernille Juhl", "title": "teamleder", "municipality": "Skovbæk Kommune", "interviewer": "Kasper Lund"},
    {"speaker": "IP", "title": "kommunaldirektør"},
]
TEXT = (
    "Kasper Lund: Hvordan er det i Skovbæk Kommune?\n"
    "Pernille Juhl: Pernilles team og Kaspers spørgsmål, ring 23 45 67 89 eller skriv pj@skovbaek.dk. "
    "Vores konsulent Bo Holm siger det samme."
)


def anonymised(operator: str, lang: str = "da") -> str:
    return Anonymiser(operator=operator, metadata=META, lang=lang).anonymise(TEXT).text


def test_tag_operator_numbers_entities_in_order_of_appearance():
    assert anonymised("tag") == (
        "[Person 1]: Hvordan er det i [Kommune A]?\n"
        "[Person 2]: [Person 2]s team og [Person 1]s spørgsmål, ring [Telefon] eller skriv [E-mail]. "
        "Vores konsulent [Person 3] siger det samme."
    )


def test_tag_operator_in_english():
    assert anonymised("tag", lang="en") == (
        "[Person 1]: Hvordan er det i [Municipality A]?\n"
        "[Person 2]: [Person 2]'s team og [Person 1]'s spørgsmål, ring [Phone] eller skriv [Email]. "
        "Vores konsulent [Person 3] siger det samme."
    )


def test_role_operator_uses_metadata_titles_and_falls_back_to_tags():
    assert anonymised("role") == (
        "[intervieweren]: Hvordan er det i [Kommune A]?\n"
        "[teamlederen]: [teamlederens] team og [interviewerens] spørgsmål, ring [Telefon] eller skriv [E-mail]. "
        "Vores konsulent [Person 3] siger det samme."
    )


def test_redact_operator_marks_every_identifier_the_same_way():
    assert anonymised("redact") == (
        "[anonymiseret]: Hvordan er det i [anonymiseret]?\n"
        "[anonymiseret]: [anonymiseret] team og [anonymiseret] spørgsmål, ring [anonymiseret] eller skriv [anonymiseret]. "
        "Vores konsulent [anonymiseret] siger det samme."
    )


def test_surrogate_operator_keeps_gender_form_and_genitive():
    anonymiser = Anonymiser(operator="surrogate", metadata=META)
    result = anonymiser.anonymise(TEXT)
    kasper = anonymiser.key.get("person:kasper lund").surrogate
    pernille = anonymiser.key.get("person:pernille juhl").surrogate
    bo = anonymiser.key.get("person:bo holm").surrogate
    from faker.providers.person.da_DK import Provider

    assert kasper.split()[0] in Provider.first_names_male
    assert pernille.split()[0] in Provider.first_names_female
    assert bo.split()[0] in Provider.first_names_male
    assert len({kasper, pernille, bo}) == 3
    # Chosen from a hash of the entity key, so the exact names are stable.
    assert (kasper, pernille, bo) == ("Rolf Østergaard", "Herdis Svendsen", "Børge Danielsen")
    assert result.text == (
        "Rolf Østergaard: Hvordan er det i [Kommune A]?\n"
        "Herdis Svendsen: Herdis' team og Rolfs spørgsmål, ring [Telefon] eller skriv [E-mail]. "
        "Vores konsulent Børge Danielsen siger det samme."
    )
    # Deterministic: a fresh anonymiser picks the same surrogates.
    assert Anonymiser(operator="surrogate", metadata=META).anonymise(TEXT).text == result.text


def test_surrogate_never_reuses_a_real_name_from_the_key():
    anonymiser = Anonymiser(operator="surrogate", metadata=META)
    anonymiser.anonymise(TEXT)
    real = {w for e in anonymiser.key.entries.values() for form in (e.name, *e.aliases) for w in form.split()}
    fake = {w for e in anonymiser.key.entries.values() if e.surrogate for w in e.surrogate.split()}
    assert real.isdisjoint(fake)


def test_surrogate_initials_follow_the_surrogate_name(tmp_path):
    from qualcode.anonymise import load_register

    path = tmp_path / "r.yaml"
    path.write_text("people:\n  - name: Søren Kjær\n    aliases: [SK]\n    gender: m\n", encoding="utf-8")
    anonymiser = Anonymiser(operator="surrogate", register=load_register(path))
    text = anonymiser.anonymise("SK sagde det til Søren Kjær.").text
    first, last = anonymiser.key.get("person:søren kjær").surrogate.split()
    assert text == f"{first[0]}{last[0]} sagde det til {first} {last}."


@pytest.mark.parametrize(
    "title, expected",
    [
        ("kommunaldirektør", "kommunaldirektøren"),
        ("leder", "lederen"),
        ("social- og sundhedsassistent", "social- og sundhedsassistenten"),
        ("chef for Social og Handicap", "chefen for Social og Handicap"),
        ("frivillig", "den frivillige"),
        ("sygeplejerske", "sygeplejersken"),
    ],
)
def test_definite_form_of_titles(title, expected):
    assert definite(title) == expected


def test_unknown_operator_is_refused():
    with pytest.raises(ValueError, match="unknown operator 'mask'; use one of tag, role, surrogate, redact"):
        make_operator("mask")
