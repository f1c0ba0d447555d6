"""The report-role operator: the convention of Danish reports, "[leder]", "[borger]", "[navn]".

A person whose role is known (the metadata title of an interviewee, the
register's ``role`` for a colleague or a citizen) becomes that role in
brackets, indefinite and starting in lower case; anyone else becomes
"[navn]" ("[name]"). Places, municipalities and other identifiers keep their
tags. Unlike the tag operator it does not tell people apart ("[navn] –
altså [navn]" reads as a report does); the pseudonym key still records who
is who.
"""

from __future__ import annotations

from qualcode.anonymise.key import KeyEntry, PseudonymKey
from qualcode.anonymise.operators.base import genitive
from qualcode.anonymise.operators.tag import TagOperator
from qualcode.anonymise.spans import KIND_PERSON, PiiSpan


class ReportRoleOperator:
    name = "report-role"

    def __init__(self) -> None:
        self._tag = TagOperator()

    def validate(self) -> None:
        return None

    def prepare(self, entry: KeyEntry, key: PseudonymKey, reserved: frozenset[str] = frozenset()) -> None:
        return None

    def operate(self, span: PiiSpan, entry: KeyEntry | None, lang: str) -> str:
        if entry is None or entry.kind != KIND_PERSON:
            return self._tag.operate(span, entry, lang)
        role = (entry.role or "").strip()
        word = role[:1].lower() + role[1:] if role else ("navn" if lang == "da" else "name")
        label = f"[{word}]"
        return genitive(label, lang) if span.genitive else label
