"""What an operator is: it turns one resolved span into its replacement text.

Operators never search text. ``validate`` checks the configuration once;
``prepare`` may fill the key entry (a surrogate name) before first use, given
the words of every real name the project knows (``reserved``), which a
surrogate must never be;
``operate`` returns the replacement for one span.
"""

from __future__ import annotations

from typing import Protocol

from qualcode.anonymise.key import FIXED_LABELS, KeyEntry, PseudonymKey, pseudonym_word
from qualcode.anonymise.spans import PiiSpan


class Operator(Protocol):
    name: str

    def validate(self) -> None:  # pragma: no cover - protocol
        ...

    def prepare(self, entry: KeyEntry, key: PseudonymKey, reserved: frozenset[str] = frozenset()) -> None:  # pragma: no cover - protocol
        ...

    def operate(self, span: PiiSpan, entry: KeyEntry | None, lang: str) -> str:  # pragma: no cover - protocol
        ...


def genitive(label: str, lang: str) -> str:
    """"[Person 1]" -> "[Person 1]s" (Danish) or "[Person 1]'s" (English)."""
    return label + ("s" if lang == "da" else "'s")


def fixed_label(type_: str, lang: str) -> str:
    return f"[{pseudonym_word(FIXED_LABELS[type_], lang)}]"
