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
from qualcode.suggest.weak import is_title

# How much one hit of each kind says on its own (combined noisy-or per code).
HIT_WEIGHT = {"phrase": 0.7, "exact": 0.6, "wildcard": 0.55, "compound": 0.45, "title": 0.25}
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
    kind: str  # "phrase", "exact", "wildcard", "compound", or "title" (a job title: weak evidence, see weak.py)

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
        self._cache: dict[str, list[tuple[str, int, str]]] = {}
        self._index = _FirstWordIndex(self.patterns_)
        return self

    def hits(self, analysed: Analysed) -> dict[str, list[KeywordHit]]:
        """Hits per code id (codes without hits are left out)."""
        lemmas, surfaces = analysed.lemmas, analysed.surfaces
        # (code, pattern number) -> best hit; found from each lemma's cached
        # word matches, so a long segment costs one dictionary look-up per word.
        best: dict[tuple[str, int], tuple[KeywordHit, int, int]] = {}
        cache = self._cache
        for i, lemma in enumerate(lemmas):
            # Most lemmas match nothing: look the cache up here, call only on a miss.
            matches = cache.get(lemma)
            if matches is None:
                matches = self._matches(lemma)
            if not matches:
                continue
            for code_id, p, kind in matches:
                pattern, stem_lemmas = self.patterns_[code_id][p]
                n = len(pattern.words)
                if n > 1:
                    if i + n > len(lemmas) or kind == "compound":
                        continue
                    if not all(_word_kind(pattern.words[k], lemmas[i + k], stem_lemmas[k]) not in (None, "compound") for k in range(1, n)):
                        continue
                    kind = "phrase"
                if n == 1 and is_title(surfaces[i]):
                    kind = "title"
                hit = KeywordHit(code_id, pattern.text, " ".join(surfaces[i : i + n]), kind)
                old = best.get((code_id, p))
                if old is None or hit.weight > old[0].weight:
                    best[(code_id, p)] = (hit, i, n)
        # One hit per place in the segment: near-duplicate keywords of a code ("bakke op",
        # "bakke oppe") matching the same words are one piece of evidence, not two.
        # The reason names the keyword written as the speaker said it, if there is one.
        rank = lambda p, hit: (hit.weight, hit.keyword.lower() in hit.surface.lower(), -p)  # noqa: E731
        placed: dict[tuple[str, int, int], tuple[int, KeywordHit]] = {}
        for (code_id, p), (hit, i, n) in best.items():
            old = placed.get((code_id, i, n))
            if old is None or rank(p, hit) > rank(*old):
                placed[(code_id, i, n)] = (p, hit)
        out: dict[str, list[KeywordHit]] = {}
        for (code_id, _i, _n), (_p, hit) in sorted(placed.items(), key=lambda kv: kv[1][0]):
            out.setdefault(code_id, []).append(hit)
        return out

    def _matches(self, lemma: str) -> list[tuple[str, int, str]]:
        """Which patterns' first word this lemma matches, and how (cached per lemma)."""
        cached = self._cache.get(lemma)
        if cached is None:
            cached = self._cache[lemma] = self._index.matches(lemma)
        return cached

    def _scan(self, lemma: str) -> list[tuple[str, int, str]]:
        """The same answer by trying every pattern's first word (the definition :class:`_FirstWordIndex` is tested against)."""
        found = []
        for code_id, patterns in self.patterns_.items():
            for p, (pattern, stem_lemmas) in enumerate(patterns):
                kind = _word_kind(pattern.words[0], lemma, stem_lemmas[0])
                if kind is not None:
                    found.append((code_id, p, kind))
        return found

    @staticmethod
    def score(hits: Sequence[KeywordHit]) -> float:
        """Noisy-or of the hits: two keywords say more than one, never certainty."""
        miss = 1.0
        for hit in hits:
            miss *= 1.0 - hit.weight
        return min(MAX_SCORE, 1.0 - miss)


class _FirstWordIndex:
    """Patterns by what their first word can match, so a new lemma costs a few look-ups.

    A corpus keeps bringing new lemmas (190,000 distinct ones in 2,000
    interviews), and trying each against every pattern of the codebook was a
    third of the suggestion time. A lemma can only match a pattern exactly
    (its stem or the stem's lemma), as a compound (the stem opens or closes
    the lemma, or opens it with the linking -s), or by wildcard; the first
    three are dictionary look-ups of the lemma and its prefixes and
    suffixes. Answers come in pattern order, as :meth:`KeywordMatcher._scan`
    gives them.
    """

    def __init__(self, patterns: dict[str, list[tuple[KeywordPattern, tuple[str, ...]]]]):
        self.exact: dict[str, list[int]] = {}
        self.opening: dict[str, list[int]] = {}  # stem (and stem[:-1] + "s" for stems in -e) -> patterns
        self.closing: dict[str, list[int]] = {}
        self.wildcards: list[tuple[int, WordPattern]] = []
        self.entries: list[tuple[str, int]] = []
        for code_id, parsed in patterns.items():
            for p, (pattern, stem_lemmas) in enumerate(parsed):
                order = len(self.entries)
                self.entries.append((code_id, p))
                first = pattern.words[0]
                if first.prefix or first.suffix:
                    self.wildcards.append((order, first))
                    continue
                for key in dict.fromkeys((first.stem, stem_lemmas[0])):
                    self.exact.setdefault(key, []).append(order)
                stem = first.stem
                if len(stem) >= MIN_COMPOUND_STEM:
                    keys = [stem] + ([stem[:-1] + "s"] if stem.endswith("e") else [])
                    for key in dict.fromkeys(keys):
                        self.opening.setdefault(key, []).append(order)
                    self.closing.setdefault(stem, []).append(order)

    def matches(self, lemma: str) -> list[tuple[str, int, str]]:
        kinds: dict[int, str] = {}
        for order in self.exact.get(lemma, ()):
            kinds[order] = "exact"
        # A compound's stem leaves at least MIN_COMPOUND_REST letters of the lemma over.
        for length in range(MIN_COMPOUND_STEM, len(lemma) - MIN_COMPOUND_REST + 1):
            for order in self.opening.get(lemma[:length], ()):
                kinds.setdefault(order, "compound")
            for order in self.closing.get(lemma[-length:], ()):
                kinds.setdefault(order, "compound")
        for order, word in self.wildcards:
            if word.matches(lemma):
                kinds[order] = "wildcard"
        return [(*self.entries[order], kinds[order]) for order in sorted(kinds)]
