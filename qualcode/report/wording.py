"""Words a report prints: role names with their plurals, counts in words, lists, column headers.

Danish evaluation reports count interviews as "tre direktører, fire chefer,
seks ledere og fem medarbejdere": role nouns come from the catalogue with
their plural forms (``npgettext`` with the context "role"), numbers up to
twelve are written in words, and the last two items are joined with "og",
never a comma.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from qualcode.i18n import N_, gettext, join_list, npgettext, number_in_words, resolve_lang
from qualcode.models import ROLES

# Metadata role (a Danish word in the project) -> its printed name for a count n.
_ROLE_NOUNS: dict[str, Callable[[int, str], str]] = {
    "direktør": lambda n, lang: npgettext("role", "director", "directors", n, lang),
    "chef": lambda n, lang: npgettext("role", "head of department", "heads of department", n, lang),
    "leder": lambda n, lang: npgettext("role", "manager", "managers", n, lang),
    "medarbejder": lambda n, lang: npgettext("role", "employee", "employees", n, lang),
    "frivillig": lambda n, lang: npgettext("role", "volunteer", "volunteers", n, lang),
    "borger": lambda n, lang: npgettext("role", "citizen", "citizens", n, lang),
    "interviewer": lambda n, lang: npgettext("role", "interviewer", "interviewers", n, lang),
}

UNKNOWN_ROLE = "ukendt"


def role_label(role: str | None, lang: str | None = None, *, plural: bool = False) -> str:
    """The printed name of a role ("chef" / "head of department"); plural for table headers."""
    lang = resolve_lang(lang)
    noun = _ROLE_NOUNS.get(role or "")
    if noun is None:
        # A role the project made up is printed as written; a missing one as "ukendt".
        return role or gettext("unknown", lang)
    return noun(2 if plural else 1, lang)


def count_phrase(n: int, role: str | None, lang: str | None = None, *, words: bool = False) -> str:
    """ "1 chef", "4 chefer"; with ``words`` "en chef", "fire chefer" (numbers above twelve stay digits)."""
    lang = resolve_lang(lang)
    number = number_in_words(n, lang) if words else str(n)
    return f"{number} {role_label(role, lang, plural=n != 1)}"


def join_words(items: list[str], lang: str | None = None) -> str:
    """ "a, b og c" (English: "a, b and c"); no comma before the conjunction."""
    return join_list(items, lang)


def roles_sentence(counts: Mapping[str, int], lang: str | None = None, *, words: bool = False) -> str:
    """Counts per role in the order reports use (most senior first), e.g. "3 direktører og 1 chef"."""
    order = role_order(counts)
    return join_words([count_phrase(counts[r], r, lang, words=words) for r in order if counts.get(r)], lang)


def role_order(roles: Iterable[str]) -> list[str]:
    """Roles sorted most senior first; unknown roles last, alphabetically."""
    present = set(roles)
    return [r for r in ROLES if r in present] + sorted(r for r in present if r not in ROLES)


# Column headers of the DataFrames as printed in exports (English message ids).
_HEADERS = {
    "quote_id": N_("Quote id"),
    "theme": N_("Theme id"),
    "theme_name": N_("Theme"),
    "code": N_("Code id"),
    "code_name": N_("Code"),
    "quote": N_("Quote"),
    "quote_unedited": N_("Quote (unedited)"),
    "passage": N_("Quote in context"),
    "attribution": N_("Attribution"),
    "role": N_("Role"),
    "participant": N_("Participant"),
    "municipality": N_("Municipality"),
    "document": N_("Document"),
    "timestamp": N_("Time"),
    "coder": N_("Coder"),
    "status": N_("Status"),
    "source": N_("Source"),
    "score": N_("Score"),
    "rating": N_("Rating"),
    "stands_alone": N_("Stands alone"),
    "words": N_("Words"),
    "rank": N_("Rank"),
    "level": N_("Level"),
    "segments": N_("Coded segments"),
    "documents": N_("Interviews"),
    "participants": N_("Interviewees (n)"),
    "participants_pct": N_("Interviewees (%)"),
    "N": N_("N"),
    "personal_data": N_("Personal data"),
    "definition": N_("Definition"),
    "include": N_("Include"),
    "exclude": N_("Exclude"),
    "keywords": N_("Keywords"),
    "document_id": N_("Document id"),
    "start": N_("Start"),
    "end": N_("End"),
    "passage_start": N_("Context start"),
    "passage_end": N_("Context end"),
    "coding_ids": N_("Coding ids"),
}


def header(column: str, lang: str | None = None) -> str:
    message = _HEADERS.get(column)
    return gettext(message, lang) if message else column
