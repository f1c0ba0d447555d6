"""Keyword matcher: a code's keywords found among a segment's lemmas.

Patterns come from :func:`qualcode.codebook.parse_keyword` (``*`` at either
end of a word for prefix/suffix matches; phrases of lemmas). On top of that a
plain keyword also matches inside a Danish compound, because researchers write
"tillid" and speakers say "tillidsforhold": the keyword may open the compound
(optionally with the linking -s, "samarbejde" -> "samarbejdsaftale") or close
it ("aftale" -> "samarbejdsaftale"). A compound hit counts less than a
whole-word hit, since the other half of the compound may change the topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from qualcode.codebook import Code, parse_keyword
from qualcode.codebook.keywords import KeywordPattern, WordPattern
from qualcode.nlp import lemma_of
from qualcode.suggest.prep import Analysed

# How much one hit of each kind says on its own (combined noisy-or per code).
HIT_WEIGHT = {"phrase": 0.7, "exact": 0.6, "wildcard": 0.55, "compound": 0.45}
MAX_SCORE = 0.95
# The other half of a compound must be a word, not an inflection ending.
MIN_COMPOUND_REST = 3
MIN_COMPOUND_STEM = 4


@dataclass(frozen=True)
class KeywordHit:
    """One keyword of a code found in a segment: which keyword, where, and how."""

    code_id: str
    keyword: str
    surface: str  # the words of the segment it matched, as written
    kind: str  # "phrase", "exact", "wildcard" or "compound"

    @property
    def weight(self) -> float:
        return HIT_WEIGHT[self.kind]


@lru_cache(maxsize=500_000)
def _word_kind(word: WordPattern, lemma: str, stem_lemma: str) -> str | None:
    if word.prefix or word.suffix:
        return "wildcard" if word.matches(lemma) else None
    if lemma == word.stem or lemma == stem_lemma:
        return "exact"
    stem = word.stem
    if len(stem) >= MIN_COMPOUND_STEM and len(lemma) - len(stem) >= MIN_COMPOUND_REST:
        if lemma.startswith(stem) or lemma.endswith(stem):
            return "compound"
        if stem.endswith("e") and lemma.startswith(stem[:-1] + "s"):
            return "compound"
    return None


class KeywordMatcher:
    """Finds each code's keywords in analysed segments. ``fit`` parses the patterns."""

    def __init__(self, codes: Sequence[Code]):
        self.codes = tuple(codes)

    def fit(self) -> "KeywordMatcher":
        self.patterns_: dict[str, list[tuple[KeywordPattern, tuple[str, ...]]]] = {}
        for code in self.codes:
            parsed = []
            for keyword in code.keywords:
                pattern = parse_keyword(keyword)
                parsed.append((pattern, tuple(lemma_of(w.stem) for w in pattern.words)))
            self.patterns_[code.id] = parsed
        return self

    def hits(self, analysed: Analysed) -> dict[str, list[KeywordHit]]:
        """Hits per code id (codes without hits are left out)."""
        lemmas, surfaces = analysed.lemmas, analysed.surfaces
        out: dict[str, list[KeywordHit]] = {}
        for code_id, patterns in self.patterns_.items():
            found: list[KeywordHit] = []
            for pattern, stem_lemmas in patterns:
                hit = self._find(pattern, stem_lemmas, lemmas, surfaces, code_id)
                if hit is not None:
                    found.append(hit)
            if found:
                out[code_id] = found
        return out

    @staticmethod
    def _find(pattern, stem_lemmas, lemmas, surfaces, code_id) -> KeywordHit | None:
        n = len(pattern.words)
        best: KeywordHit | None = None
        for i in range(len(lemmas) - n + 1):
            kinds = []
            for k, word in enumerate(pattern.words):
                kind = _word_kind(word, lemmas[i + k], stem_lemmas[k])
                # Compounds only for single words: a phrase is already specific.
                if kind is None or (kind == "compound" and n > 1):
                    break
                kinds.append(kind)
            else:
                kind = "phrase" if n > 1 else kinds[0]
                hit = KeywordHit(code_id, pattern.text, " ".join(surfaces[i : i + n]), kind)
                if best is None or hit.weight > best.weight:
                    best = hit
        return best

    @staticmethod
    def score(hits: Sequence[KeywordHit]) -> float:
        """Noisy-or of the hits: two keywords say more than one, never certainty."""
        miss = 1.0
        for hit in hits:
            miss *= 1.0 - hit.weight
        return min(MAX_SCORE, 1.0 - miss)
