"""Text preparation shared by every suggestion source: tokens, lemmas, content words.

Keywords are matched on *all* lemmas (phrases such as "ikke tid" need the
small words), while similarity and the learned model see only content lemmas:
spoken Danish is full of fillers ("øh", "altså", "ikke?") that would otherwise
make every segment look like every other.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.da.stop_words import STOP_WORDS
from spacy.tokenizer import Tokenizer

from qualcode.models import Segment
from qualcode.nlp import get_nlp, lemma_of

# Spoken-language fillers and discourse particles that carry no topic.
FILLERS = frozenset(
    {
        "øh", "øhm", "æh", "æhm", "eh", "ehm", "hm", "hmm", "mm", "mhm", "ah", "åh", "nå", "nåh", "altså",
        "ikke", "ikk", "ik", "jo", "ja", "jah", "nej", "nja", "okay", "ok", "okej", "lige", "bare", "sådan",
        "også", "vel", "da", "så", "nu", "godt", "jamen", "men", "griner", "pause", "utydeligt", "latter",
        "ligesom", "faktisk", "egentlig", "simpelthen", "hvad", "vist", "nok", "ret", "rigtig", "meget",
        # answer words: "Ja, selvfølgelig." / "Nemlig." say yes, not what about
        "selvfølgelig", "klart", "præcis", "præcist", "absolut", "bestemt", "nemlig", "netop", "javel", "jaja", "jep",
    }
)
# Stop words that still tell something about coordination (how often, together, alone).
_MEANINGFUL = frozenset({"aldrig", "altid", "tit", "sammen", "alene", "ingen", "tilbage", "imod", "selv", "egen"})
STOPWORDS = frozenset(STOP_WORDS - _MEANINGFUL) | FILLERS


@dataclass(frozen=True)
class Analysed:
    """A text as the suggesters see it."""

    text: str
    surfaces: tuple[str, ...]  # word tokens as written
    lemmas: tuple[str, ...]  # one lowercase lemma per word token
    content: tuple[str, ...]  # lemmas without fillers and stop words

    @property
    def content_text(self) -> str:
        return " ".join(self.content)

    @property
    def is_empty(self) -> bool:
        return not self.content


@lru_cache(maxsize=20_000)
def analyse(text: str) -> Analysed:
    """Tokenise and lemmatise with qualcode's Danish pipeline (cached: segments repeat)."""
    tokenizer = get_nlp().tokenizer
    if not chunkwise(tokenizer):
        return _analyse_whole(text, tokenizer)
    # spaCy's tokenizer never makes a token across whitespace, so a text's
    # words are its whitespace-separated chunks' words in order: each chunk
    # ("samarbejdet,") is tokenised once per process, and a context (the
    # sentences around a segment, joined) costs only dictionary look-ups.
    chunks = text.split()
    cache = _chunk_cache(tokenizer)
    missing = [c for c in chunks if c not in cache]
    if missing:
        _fill_chunks(dict.fromkeys(missing), tokenizer, cache)
    surfaces: list[str] = []
    lemmas: list[str] = []
    content: list[str] = []
    for c in chunks:
        s, l, k = cache[c]
        if s:
            surfaces += s
            lemmas += l
            content += k
    return Analysed(text, tuple(surfaces), tuple(lemmas), tuple(content))


def _is_content(word: str, lemma: str) -> bool:
    # Check the written form too: the lookup table lemmatises some function
    # words oddly ("med" -> "mede"), and those must not count as content.
    return lemma not in STOPWORDS and word.lower() not in STOPWORDS and len(lemma) > 1


def _analyse_whole(text: str, tokenizer) -> Analysed:
    """The reference analysis: the whole text through the tokenizer at once."""
    words = [t.text for t in tokenizer(text) if any(ch.isalpha() for ch in t.text)]
    lemmas = tuple(lemma_of(w) for w in words)
    content = tuple(l for w, l in zip(words, lemmas) if _is_content(w, l))
    return Analysed(text, tuple(words), lemmas, content)


# Chunk -> (surfaces, lemmas, content lemmas); bounded, and emptied when full
# (a 2,000-interview study has far fewer distinct chunks than sentences).
MAX_CHUNKS = 400_000
_CHUNKS: dict = {"tokenizer": None, "cache": {}, "chunkwise": None}


def chunkwise(tokenizer) -> bool:
    """Whether ``tokenizer`` is spaCy's rule-based tokenizer without special cases spanning whitespace."""
    if _CHUNKS["tokenizer"] is not tokenizer:
        rules = getattr(tokenizer, "rules", None) or {}
        safe = type(tokenizer) is Tokenizer and not any(
            any(ch.isspace() for ch in key) and not key.isspace() for key in rules
        )
        _CHUNKS.update(tokenizer=tokenizer, cache={}, chunkwise=safe)
    return _CHUNKS["chunkwise"]


def _chunk_cache(tokenizer) -> dict:
    chunkwise(tokenizer)
    cache = _CHUNKS["cache"]
    if len(cache) > MAX_CHUNKS:
        cache.clear()
    return cache


def _fill_chunks(chunks, tokenizer, cache: dict) -> None:
    """Tokenise the new chunks in one call (joined by single spaces) and file each token under its chunk."""
    chunks = list(chunks)
    starts, pos = [], 0
    for c in chunks:
        starts.append(pos)
        pos += len(c) + 1
    found: list[list[str]] = [[] for _ in chunks]
    for token in tokenizer(" ".join(chunks)):
        word = token.text
        if any(ch.isalpha() for ch in word):
            found[bisect_right(starts, token.idx) - 1].append(word)
    for c, words in zip(chunks, found):
        lemmas = tuple(lemma_of(w) for w in words)
        cache[c] = (tuple(words), lemmas, tuple(l for w, l in zip(words, lemmas) if _is_content(w, l)))


def text_of(item: Segment | str) -> str:
    return item.text if isinstance(item, Segment) else item


def content_text(text: str) -> str:
    """Content lemmas as one string: what the vectorisers read."""
    return analyse(text).content_text
