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

from qualcode.anonymise.key import KeyEntry, pseudonym_word
from qualcode.anonymise.operators.base import genitive
from qualcode.anonymise.operators.role import RoleOperator
from qualcode.anonymise.spans import KIND_PERSON, PiiSpan
from qualcode.i18n import pgettext_noop


# Anyone whose role is not known: "[navn]".
NAME = pgettext_noop("pseudonym", "name")


class ReportRoleOperator(RoleOperator):
    """The role operator's set-up (tags for all but people), with the report's indefinite "[leder]"/"[navn]"."""

    name = "report-role"

    def operate(self, span: PiiSpan, entry: KeyEntry | None, lang: str) -> str:
        if entry is None or entry.kind != KIND_PERSON:
            return self._tag.operate(span, entry, lang)
        role = (entry.role or "").strip()
        word = role[:1].lower() + role[1:] if role else pseudonym_word(NAME, lang)
        label = f"[{word}]"
        return genitive(label, lang) if span.genitive else label
