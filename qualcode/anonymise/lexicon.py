"""The word lists detection needs, loaded once per process.

Shipped as package data in ``qualcode/data/anonymise/`` (municipalities,
towns, hospitals, cue words, curated names) plus two installed sources read
locally: Faker's da_DK name lists and spaCy's Danish lemma lookup table
(spacy-lookups-data). Nothing is downloaded.

The lemma table decides which names are also ordinary Danish words ("Bo",
"Holm", "Skov", "Mark", "Vejen", "Hans"): those are only masked in a name
context, never on capitalisation alone at the start of a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _data_lines(name: str) -> list[list[str]]:
    """Rows of a shipped data file: tab-separated, '#' comments and blank lines skipped."""
    text = resources.files("qualcode").joinpath("data", "anonymise", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


@dataclass(frozen=True)
class Municipality:
    name: str
    region: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    rows = _data_lines("municipalities.tsv")
    result = []
    for row in rows:
        aliases = tuple(a.strip() for a in (row[2] if len(row) > 2 else "").split(";") if a.strip())
        result.append(Municipality(row[0], row[1], aliases))
    return tuple(result)


@lru_cache(maxsize=1)
def towns() -> tuple[str, ...]:
    return tuple(row[0] for row in _data_lines("towns.txt"))


@lru_cache(maxsize=1)
def hospitals() -> tuple[str, ...]:
    return tuple(row[0] for row in _data_lines("hospitals.txt"))


@lru_cache(maxsize=1)
def cues() -> dict[str, str]:
    """Cue word (lowercase) -> kind (title, relation, naming, honorific)."""
    return {row[0]: row[1] for row in _data_lines("cues.tsv")}


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """First name -> gender ("m", "f"; "u" when used for both)."""
    from faker.providers.person.da_DK import Provider

    names: dict[str, str] = {}

    def add(name: str, gender: str) -> None:
        names[name] = gender if names.get(name, gender) == gender else "u"

    for name in Provider.first_names_male:
        add(name, "m")
    for name in Provider.first_names_female:
        add(name, "f")
    for row in _data_lines("first_names.tsv"):
        add(row[0], row[1])
    return names


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    from faker.providers.person.da_DK import Provider

    return frozenset(Provider.last_names) | {row[0] for row in _data_lines("surnames.txt")}


@lru_cache(maxsize=100_000)
def is_common_word(word: str) -> bool:
    """True when the lowercase word is an ordinary Danish word form."""
    # The same cached table segmentation uses: it takes seconds to load and
    # half a million entries to hold, so the process keeps one copy.
    from qualcode.nlp import lemma_table

    return word.lower() in lemma_table()


@lru_cache(maxsize=1)
def ambiguous_names() -> dict[str, str]:
    """Lowercase name -> what the ordinary word is ("noun", "verb", "pronoun", ...)."""
    return {row[0].lower(): (row[1] if len(row) > 1 else "noun") for row in _data_lines("ambiguous_names.txt")}


def name_as_word_is_not_a_noun(name: str) -> bool:
    """"Bo" (a verb), "Per" (a preposition): never capitalised mid-sentence except as names."""
    return ambiguous_names().get(name.lower(), "noun") != "noun"


# Finite verbs: "Bo var hos Børn og Familie" is a person; the verb "bo" is
# never followed by another finite verb.
FINITE_VERBS = frozenset(
    """var er har havde kan kunne skal skulle vil ville må måtte fik får gik går kom kommer blev bliver
    sagde siger synes syntes mente mener ringede ringer skrev skriver tog tager gjorde gør""".split()
)


def is_ambiguous(word: str) -> bool:
    """True when a capitalised word may be an ordinary word rather than a name.

    Gazetteer names are ambiguous only when listed in ambiguous_names.txt (the
    lemma table lists many names as words); anything else when the lemma
    table knows it ("Vejen", "Give").
    """
    if word in first_names() or word in surnames():
        return word.lower() in ambiguous_names()
    return is_common_word(word)


# Function words that are capitalised only because they start a sentence and
# can never be the name in "X Kommune" or after a cue.
FUNCTION_WORDS = frozenset(
    """
    den det de denne dette disse min mit mine din dit dine vores jeres deres hans hendes sin sit sine
    en et hver hele anden andet andre nogle nogen ingen alle begge samme selve hvilken hvilket
    og eller men så at som der her hvor når hvis fordi i på til fra med for om af ved efter
    jeg du han hun vi i man dem os ham hende ja nej altså øh æh okay ok nå jo
    én ét mm mhm hm hmm øhm aha jamen nåh
    """.split()
)

@lru_cache(maxsize=1)
def _common_capitalised() -> frozenset[str]:
    return frozenset(row[0] for row in _data_lines("common_capitalised.txt"))


class _CommonCapitalised:
    """Capitalised words that identify no one (common_capitalised.txt), loaded on first use."""

    def __contains__(self, word: object) -> bool:
        return word in _common_capitalised()


COMMON_CAPITALISED = _CommonCapitalised()
