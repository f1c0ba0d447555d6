"""Match multi-word names over tokens, with Danish genitives.

A :class:`PhraseIndex` maps names ("Lyngby-Taarbæk", "Søren S. Kjær") to a
payload; :meth:`PhraseIndex.matches` finds them in a token list. Matching is
token-wise, so "Vordingborg" matches inside "Vordingborg-modellen" and
"Vordingborgs"; words must be capitalised as in the name (a lowercase
"vejen" never matches the municipality Vejen).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Callable, Generic, Iterable, Iterator, Mapping, Sequence, TypeVar

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


@lru_cache(maxsize=65_536)
def _lookup_key(name: str) -> tuple[str, ...]:
    # Detectors look the same few thousand words up in every document.
    return tuple(t.lower for t in tokenize(name))


class WordPositions:
    """Where each word occurs in a token list, so detectors jump to the few tokens they can use.

    Built once per document and shared by every detector and index matched
    against it; each question is answered once per distinct word, not per token.
    """

    def __init__(self, tokens: Sequence[Token]):
        by_text: dict[str, list[int]] = {}
        for i, word in enumerate(map(itemgetter(2), tokens)):
            by_text.setdefault(word, []).append(i)
        by_lower: dict[str, list[int]] = {}
        for word, indices in by_text.items():
            by_lower.setdefault(word.lower(), []).extend(indices)
        self.by_text: Mapping[str, list[int]] = by_text
        self.positions: Mapping[str, list[int]] = by_lower
        # Word minus its last letter -> the words: a genitive ("Sørens") may start a name as its base.
        stems: dict[str, list[str]] = {}
        for word in by_lower:
            stems.setdefault(word[:-1], []).append(word)
        self.stems: Mapping[str, list[str]] = stems

    def starting(self, first_words: Iterable[str]) -> list[int]:
        """Sorted indices of the tokens whose lowercase word, or that minus its last letter, is in ``first_words``."""
        words = self.positions.keys() & first_words
        for stem in self.stems.keys() & first_words:
            words.update(self.stems[stem])
        return sorted(chain.from_iterable(self.positions[w] for w in words))

    def of(self, lowercase_words: Iterable[str]) -> list[int]:
        """Sorted indices of the tokens whose lowercase word is in ``lowercase_words``."""
        return sorted(chain.from_iterable(self.positions[w] for w in self.positions.keys() & lowercase_words))

    def where(self, test: Callable[[str], object]) -> list[int]:
        """Sorted indices of the tokens whose text passes ``test`` (asked once per distinct text)."""
        return sorted(chain.from_iterable(indices for word, indices in self.by_text.items() if test(word)))


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
        found = self._phrases.get(_lookup_key(name))
        return found[1] if found else None

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __len__(self) -> int:
        return len(self._phrases)

    def items(self) -> Iterator[tuple[str, P]]:
        for words, payload in self._phrases.values():
            yield " ".join(words), payload

    def matches(self, text: str, tokens: list[Token], positions: WordPositions | None = None) -> Iterator[PhraseMatch[P]]:
        """Longest match at each token position, left to right, not overlapping.

        Only tokens whose word (or genitive base) starts some name are tried;
        ``positions`` (of these same tokens) saves building that lookup again.
        """
        if not self._phrases:
            return
        if positions is None:
            positions = WordPositions(tokens)
        free = 0  # the first token not inside an earlier match
        for i in positions.starting(self._first_words):
            if i < free:
                continue
            found = self._match_at(text, tokens, i)
            if found is not None:
                yield found
                free = found.last + 1

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
