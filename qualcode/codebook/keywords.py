"""Keyword patterns of a code, matched against the lemmas of a segment.

A keyword is a lemma ("tillid") or a phrase of lemmas ("fælles mål"). A word
may carry ``*`` at its start or end, so Danish compounds are caught without
listing them: ``samarbejd*`` matches "samarbejde" and "samarbejdsaftale",
``*måling`` matches "effektmåling" and "måling". A ``*`` inside a word is an
error, and so is a wildcard stem so short that it would fire on everything.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Sequence

from qualcode.i18n import gettext as _, quote

# A stem shorter than this with a wildcard ("ar*") matches far too many lemmas.
MIN_WILDCARD_STEM = 3


@dataclass(frozen=True)
class WordPattern:
    stem: str
    prefix: bool = False  # written "stem*": the lemma starts with stem
    suffix: bool = False  # written "*stem": the lemma ends with stem

    def matches(self, lemma: str) -> bool:
        if self.prefix and self.suffix:
            return self.stem in lemma
        if self.prefix:
            return lemma.startswith(self.stem)
        if self.suffix:
            return lemma.endswith(self.stem)
        return lemma == self.stem


@dataclass(frozen=True)
class KeywordPattern:
    """A parsed keyword: one word pattern per word of the phrase."""

    text: str
    words: tuple[WordPattern, ...]

    def find(self, lemmas: Sequence[str]) -> list[tuple[int, int]]:
        """Token spans ``(start, end)`` (end exclusive) where the phrase matches."""
        n = len(self.words)
        lowered = [_norm(l) for l in lemmas]
        return [
            (i, i + n)
            for i in range(len(lowered) - n + 1)
            if all(w.matches(lowered[i + k]) for k, w in enumerate(self.words))
        ]

    def matches(self, lemmas: Sequence[str]) -> bool:
        return bool(self.find(lemmas))


def keyword_problem(text: str) -> str | None:
    """Why a keyword cannot be used, or ``None`` if it is fine."""
    words = _norm(text).split()
    if not words:
        return _("empty keyword")
    keyword = quote(text)
    for word in words:
        stem = word.strip("*")
        if not stem:
            return _("keyword {keyword}: '*' alone matches every word").format(keyword=keyword)
        if "*" in stem:
            return _("keyword {keyword}: '*' may only stand at the start or end of a word").format(keyword=keyword)
        if stem != word and len(stem) < MIN_WILDCARD_STEM:
            return _("keyword {keyword}: the stem {stem} is too short for '*' (at least {n} letters)").format(
                keyword=keyword, stem=quote(stem), n=MIN_WILDCARD_STEM)
    return None


def parse_keyword(text: str) -> KeywordPattern:
    """Parse a keyword; ``ValueError`` with the problem if it is not usable."""
    problem = keyword_problem(text)
    if problem:
        raise ValueError(problem)
    words = tuple(
        WordPattern(stem=w.strip("*"), prefix=w.endswith("*"), suffix=w.startswith("*"))
        for w in _norm(text).split()
    )
    return KeywordPattern(text=text, words=words)


def _norm(text: str) -> str:
    # Lemmas are lowercase NFC; keywords written by hand may be neither.
    return unicodedata.normalize("NFC", text).lower()
