"""The report convention for names in quotes: "[leder]" where the role is known, "[navn]" otherwise."""

from __future__ import annotations

from qualcode.anonymise import Anonymiser
from qualcode.anonymise.operators import make_operator

# The operator tests' metadata and text: a teamleader, her interviewer, a colleague nobody registered.
from test_anonymise_operators import META, TEXT  # noqa: E402


def test_report_role_operator_prints_roles_or_navn():
    result = Anonymiser(operator="report-role", metadata=META).anonymise(TEXT)
    assert result.text == (
        "[interviewer]: Hvordan er det i [Kommune A]?\n"
        "[teamleder]: [teamleder]s team og [interviewer]s spørgsmål, ring [Telefon] eller skriv [E-mail]. "
        "Vores konsulent [navn] siger det samme."  # nobody knows Bo Holm's role
    )


def test_report_role_operator_in_english():
    text = Anonymiser(operator="report-role", metadata=META, lang="en").anonymise(TEXT).text
    assert text.endswith("Vores konsulent [name] siger det samme.")
    assert "[teamleder]'s team" in text


def test_the_key_still_records_who_is_who(tmp_path):
    key = tmp_path / "studie.pseudonyms.json"
    Anonymiser(operator="report-role", metadata=META, key_path=key).anonymise(TEXT)
    saved = key.read_text(encoding="utf-8")
    assert "Bo Holm" in saved and "Pernille Juhl" in saved


def test_report_role_is_an_operator():
    assert make_operator("report-role").name == "report-role"
