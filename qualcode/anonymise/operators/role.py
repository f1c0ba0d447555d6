"""The role operator: a participant becomes their role, "[kommunaldirektøren]".

The role comes from the metadata title (or the register's ``role``), put in
the Danish definite form. People without a known role, places and other
identifiers fall back to tags. Two people with the same title share the
label: the role operator trades distinguishing people for readable quotes.
"""

from __future__ import annotations

from qualcode.anonymise.key import KeyEntry, PseudonymKey
from qualcode.anonymise.operators.tag import TagOperator
from qualcode.anonymise.spans import PiiSpan


def definite(title: str) -> str:
    """"kommunaldirektør" -> "kommunaldirektøren"; "chef for Social og Handicap" -> "chefen for Social og Handicap"."""
    head, sep, rest = title.strip().partition(" for ")
    words = head.split(" ")
    noun = words[-1]
    lower = noun.lower()
    if lower.endswith("ig"):
        # Adjectival nouns: "frivillig" -> "den frivillige".
        return " ".join(["den", *words[:-1], noun + "e"]) + (sep + rest if sep else "")
    if lower.endswith("e"):
        noun += "n"
    elif not lower.endswith(("en", "et")):
        noun += "en"
    return " ".join([*words[:-1], noun]) + (sep + rest if sep else "")


class RoleOperator:
    name = "role"

    def __init__(self) -> None:
        self._tag = TagOperator()

    def validate(self) -> None:
        return None

    def prepare(self, entry: KeyEntry, key: PseudonymKey, reserved: frozenset[str] = frozenset()) -> None:
        return None

    def operate(self, span: PiiSpan, entry: KeyEntry | None, lang: str) -> str:
        if entry is None or entry.kind != "person" or not entry.role:
            return self._tag.operate(span, entry, lang)
        role = entry.role
        if lang == "da":
            text = "intervieweren" if role == "interviewer" else definite(role)
            return f"[{text}s]" if span.genitive else f"[{text}]"
        text = f"the {role}"
        return f"[{text}'s]" if span.genitive else f"[{text}]"
