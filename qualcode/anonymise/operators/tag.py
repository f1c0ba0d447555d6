"""The tag operator: "[Person 3]", "[Kommune A]", "[Telefon]"."""

from __future__ import annotations

from qualcode.anonymise.key import KeyEntry, PseudonymKey
from qualcode.anonymise.operators.base import fixed_label, genitive
from qualcode.anonymise.spans import PiiSpan


class TagOperator:
    name = "tag"

    def validate(self) -> None:
        return None

    def prepare(self, entry: KeyEntry, key: PseudonymKey, reserved: frozenset[str] = frozenset()) -> None:
        return None

    def operate(self, span: PiiSpan, entry: KeyEntry | None, lang: str) -> str:
        label = entry.label(lang) if entry is not None else fixed_label(span.type, lang)
        return genitive(label, lang) if span.genitive else label
