"""The surrogate operator: a realistic fake name of the same gender and form.

"Søren Kjær" -> "Mikkel Holst", "Søren" -> "Mikkel", "Kjærs" -> "Holsts",
"SSK" -> "MH". Names come from Faker's da_DK lists, chosen deterministically
from a hash of the entity key (so a run is reproducible without a random
seed) and never sharing a word with a real name the project knows. Stored in the key file, so
the surrogate never changes. Places and other identifiers keep their tags:
a real town's name as a stand-in would mislead a reader of the report.
"""

from __future__ import annotations

import hashlib

from qualcode.anonymise.key import KeyEntry, PseudonymKey
from qualcode.anonymise.lexicon import first_names
from qualcode.anonymise.operators.tag import TagOperator
from qualcode.anonymise.spans import PiiSpan
from qualcode.anonymise.tokens import genitive_base, initials, normalise_name


def _pools() -> tuple[list[str], list[str], list[str]]:
    from faker.providers.person.da_DK import Provider

    male = sorted(set(Provider.first_names_male) - set(Provider.first_names_female))
    female = sorted(set(Provider.first_names_female) - set(Provider.first_names_male))
    return male, female, sorted(set(Provider.last_names))


def _pick(pool: list[str], seed: int, taken: set[str]) -> str:
    for step in range(len(pool)):
        candidate = pool[(seed + step) % len(pool)]
        if candidate.casefold() not in taken:
            return candidate
    return pool[seed % len(pool)]


def choose_surrogate(entry: KeyEntry, key: PseudonymKey, reserved: frozenset[str] = frozenset()) -> str:
    male, female, last = _pools()
    real_words = set(reserved)
    used = set()
    for other in key.entries.values():
        for form in (other.name, *other.aliases):
            real_words.update(w.casefold() for w in form.split())
        if other.surrogate:
            used.update(w.casefold() for w in other.surrogate.split())
    taken = real_words | used
    gender = entry.gender or first_names().get(entry.name.split()[0] if entry.name else "", "u")
    digest = int.from_bytes(hashlib.sha256(entry.key.encode("utf-8")).digest()[:8], "big")
    pool = male if gender == "m" else female if gender == "f" else (male if digest % 2 else female)
    first = _pick(pool, digest, taken)
    surname = _pick(last, digest // 7, taken)
    return f"{first} {surname}"


def surrogate_form(surface: str, entry: KeyEntry, surrogate: str) -> str:
    """The part of the surrogate that matches how the real name was written."""
    real = max((entry.name, *entry.aliases), key=lambda form: len(form.split())).split()
    fake = surrogate.split()
    norm = normalise_name(surface)
    if surface.isupper() and len(surface) > 1:
        return initials(surrogate)
    if len(real) > 1 and norm == normalise_name(real[-1]) and norm != normalise_name(real[0]):
        return fake[-1]
    if len(surface.split()) == 1:
        return fake[0]
    return surrogate


class SurrogateOperator:
    name = "surrogate"

    def __init__(self) -> None:
        self._tag = TagOperator()

    def validate(self) -> None:
        _pools()

    def prepare(self, entry: KeyEntry, key: PseudonymKey, reserved: frozenset[str] = frozenset()) -> None:
        if entry.kind == "person" and not entry.surrogate:
            entry.surrogate = choose_surrogate(entry, key, reserved)

    def operate(self, span: PiiSpan, entry: KeyEntry | None, lang: str) -> str:
        if entry is None or entry.kind != "person" or not entry.surrogate:
            return self._tag.operate(span, entry, lang)
        surface = span.text
        if span.genitive:
            surface = genitive_base(surface) or surface
        name = surrogate_form(surface, entry, entry.surrogate)
        if span.genitive:
            name += "'" if name[-1:] in "sxz" else "s"
        return name
