"""Match multi-word names over tokens, with Danish genitives.

A :class:`PhraseIndex` maps names ("Lyngby-Taarbæk", "Søren S. Kjær") to a
payload; :meth:`PhraseIndex.matches` finds them in a token list. Matching is
token-wise, so "Vordingborg" matches inside "Vordingborg-modellen" and
"Vordingborgs"; words must be capitalised as in the name (a lowercase
"vejen" never matches the municipality Vejen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Iterator, TypeVar

from qualcode.anonymise.tokens import Token, genitive_base, tokenize

P = TypeVar("P")


@dataclass(frozen=True)
class PhraseMatch(Generic[P]):
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    start: int
    end: int
    payload: P
    genitive: bool


def _gap_ok(gap: str) -> bool:
    """Words of one name are separated by a space, a hyphen or an initial's full stop."""
    return "\n" not in gap and gap.replace(" ", "") in ("", "-", ".", ".-") and len(gap) <= 3


class PhraseIndex(Generic[P]):
    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], tuple[tuple[str, ...], P]] = {}
        self._first_words: set[str] = set()
        self.longest = 0

    def add(self, name: str, payload: P, *, replace: bool = False) -> bool:
        """Add a name; returns False (and keeps the old payload) when it is already there."""
        words = tuple(t.text for t in tokenize(name))
        if not words:
            return False
        key = tuple(w.lower() for w in words)
        if key in self._phrases and not replace:
            return False
        self._phrases[key] = (words, payload)
        self._first_words.add(key[0])
        self.longest = max(self.longest, len(key))
        return True

    def get(self, name: str) -> P | None:
        key = tuple(t.text.lower() for t in tokenize(name))
        found = self._phrases.get(key)
        return found[1] if found else None

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __len__(self) -> int:
        return len(self._phrases)

    def items(self) -> Iterator[tuple[str, P]]:
        for words, payload in self._phrases.values():
            yield " ".join(words), payload

    def matches(self, text: str, tokens: list[Token]) -> Iterator[PhraseMatch[P]]:
        """Longest match at each token position, left to right, not overlapping."""
        i = 0
        while i < len(tokens):
            first = tokens[i].lower
            # Cheap filter: most words start no name (a genitive may, as its base).
            if first not in self._first_words and first[:-1] not in self._first_words:
                i += 1
                continue
            found = self._match_at(text, tokens, i)
            if found is None:
                i += 1
                continue
            yield found
            i = found.last + 1

    def _match_at(self, text: str, tokens: list[Token], i: int) -> PhraseMatch[P] | None:
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            if any(not _gap_ok(text[a.end : b.start]) for a, b in zip(window, window[1:])):
                continue
            lowered = [t.lower for t in window]
            candidates = [(tuple(lowered), False)]
            base = genitive_base(window[-1].text)
            if base is not None:
                candidates.append((tuple(lowered[:-1] + [base.lower()]), True))
            end = window[-1].end
            for key, genitive in candidates:
                entry = self._phrases.get(key)
                if entry is None:
                    continue
                words, payload = entry
                if not all(_same_case(t.text, w) for t, w in zip(window, words)):
                    continue
                if (
                    not genitive
                    and words[-1][-1:].lower() in ("s", "x", "z")
                    and text[end : end + 1] in ("'", "’")
                    and not text[end + 1 : end + 2].isalpha()
                ):
                    # "Jens' kontor", "Aarhus' borgmester": the apostrophe is the genitive.
                    end += 1
                    genitive = True
                return PhraseMatch(i, i + n - 1, window[0].start, end, payload, genitive)
        return None


def _same_case(found: str, name: str) -> bool:
    """The found word is capitalised like the name: initial letter, and all-caps for acronyms."""
    if name.isupper() and len(name) > 1:
        return found.startswith(name) and found[: len(name)].isupper()
    return found[:1].isupper() == name[:1].isupper()
