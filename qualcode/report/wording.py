"""Words a Danish (or English) report prints: role names, plurals, lists, labels.

Danish evaluation reports count interviews as "3 direktører, 4 chefer,
6 ledere og 5 medarbejdere": plural forms are irregular enough to be listed,
and the last two items are joined with "og", never a comma.
"""

from __future__ import annotations

from qualcode.i18n import resolve_lang
from qualcode.models import ROLES

# role -> (Danish singular, Danish plural, English singular, English plural)
_ROLE_FORMS: dict[str, tuple[str, str, str, str]] = {
    "direktør": ("direktør", "direktører", "director", "directors"),
    "chef": ("chef", "chefer", "head of department", "heads of department"),
    "leder": ("leder", "ledere", "manager", "managers"),
    "medarbejder": ("medarbejder", "medarbejdere", "employee", "employees"),
    "frivillig": ("frivillig", "frivillige", "volunteer", "volunteers"),
    "borger": ("borger", "borgere", "citizen", "citizens"),
    "interviewer": ("interviewer", "interviewere", "interviewer", "interviewers"),
}

UNKNOWN_ROLE = "ukendt"


def role_label(role: str | None, lang: str | None = None, *, plural: bool = False) -> str:
    """The printed name of a role ("chef" / "head of department")."""
    forms = _ROLE_FORMS.get(role or "")
    english = resolve_lang(lang) == "en"
    if forms is None:
        return (role or ("unknown" if english else UNKNOWN_ROLE))
    return forms[2 + plural] if english else forms[plural]


def count_phrase(n: int, role: str | None, lang: str | None = None) -> str:
    """ "1 chef", "4 chefer" (English: "1 director", "3 directors")."""
    return f"{n} {role_label(role, lang, plural=n != 1)}"


def join_words(items: list[str], lang: str | None = None) -> str:
    """ "a, b og c" (English: "a, b and c"); no comma before the conjunction."""
    word = "and" if resolve_lang(lang) == "en" else "og"
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def roles_sentence(counts: dict[str, int], lang: str | None = None) -> str:
    """Counts per role in the order reports use (most senior first), e.g. "3 direktører og 1 chef"."""
    order = list(ROLES) + sorted(r for r in counts if r not in ROLES)
    return join_words([count_phrase(counts[r], r, lang) for r in order if counts.get(r)], lang)


def role_order(roles) -> list[str]:
    """Roles sorted most senior first; unknown roles last, alphabetically."""
    present = set(roles)
    return [r for r in ROLES if r in present] + sorted(r for r in present if r not in ROLES)


# Column headers of the DataFrames as printed in exports.
_HEADERS = {
    "quote_id": ("Citat-id", "Quote id"),
    "theme": ("Tema-id", "Theme id"),
    "theme_name": ("Tema", "Theme"),
    "code": ("Kode-id", "Code id"),
    "code_name": ("Kode", "Code"),
    "quote": ("Citat", "Quote"),
    "quote_unedited": ("Citat (uredigeret)", "Quote (unedited)"),
    "attribution": ("Tilskrivning", "Attribution"),
    "role": ("Rolle", "Role"),
    "participant": ("Deltager", "Participant"),
    "municipality": ("Kommune", "Municipality"),
    "document": ("Dokument", "Document"),
    "timestamp": ("Tidspunkt", "Time"),
    "coder": ("Koder", "Coder"),
    "status": ("Status", "Status"),
    "source": ("Kilde", "Source"),
    "words": ("Ord", "Words"),
    "rank": ("Rang", "Rank"),
    "level": ("Niveau", "Level"),
    "segments": ("Kodede segmenter", "Coded segments"),
    "documents": ("Dokumenter", "Documents"),
    "participants": ("Deltagere (n)", "Participants (n)"),
    "participants_pct": ("Deltagere (%)", "Participants (%)"),
    "N": ("N", "N"),
    "personal_data": ("Persondata", "Personal data"),
    "definition": ("Definition", "Definition"),
    "include": ("Medtag", "Include"),
    "exclude": ("Udelad", "Exclude"),
    "keywords": ("Nøgleord", "Keywords"),
    "score": ("Score", "Score"),
    "document_id": ("Dokument-id", "Document id"),
    "start": ("Start", "Start"),
    "end": ("Slut", "End"),
}


def header(column: str, lang: str | None = None) -> str:
    forms = _HEADERS.get(column)
    if forms is None:
        return column
    return forms[resolve_lang(lang) == "en"]
