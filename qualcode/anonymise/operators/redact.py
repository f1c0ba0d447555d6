"""The redact operator: every identifier becomes the same neutral mark.

Not "…" or "..": Danish reports use those for omissions inside a quote, and a
reader must be able to tell a cut from a masked name.
"""

from __future__ import annotations

from qualcode.anonymise.key import KeyEntry, PseudonymKey, pseudonym_word
from qualcode.i18n import pgettext_noop
from qualcode.anonymise.spans import PiiSpan


REDACTED = pgettext_noop("pseudonym", "redacted")


class RedactOperator:
    name = "redact"

    def validate(self) -> None:
        return None

    def prepare(self, entry: KeyEntry, key: PseudonymKey, reserved: frozenset[str] = frozenset()) -> None:
        return None

    def operate(self, span: PiiSpan, entry: KeyEntry | None, lang: str) -> str:
        return f"[{pseudonym_word(REDACTED, lang)}]"
