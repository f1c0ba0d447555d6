"""Text preparation shared by every suggestion source: tokens, lemmas, content words.

Keywords are matched on *all* lemmas (phrases such as "ikke tid" need the
small words), while similarity and the learned model see only content lemmas:
spoken Danish is full of fillers ("øh", "altså", "ikke?") that would otherwise
make every segment look like every other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.da.stop_words import STOP_WORDS

from qualcode.models import Segment
from qualcode.nlp import get_nlp, lemma_of

# Spoken-language fillers and discourse particles that carry no topic.
FILLERS = frozenset(
    {
        "øh", "øhm", "æh", "æhm", "eh", "ehm", "hm", "hmm", "mm", "mhm", "ah", "åh", "nå", "nåh", "altså",
        "ikke", "ikk", "ik", "jo", "ja", "jah", "nej", "nja", "okay", "ok", "okej", "lige", "bare", "sådan",
        "også", "vel", "da", "så", "nu", "godt", "jamen", "men", "griner", "pause", "utydeligt", "latter",
        "ligesom", "faktisk", "egentlig", "simpelthen", "hvad", "vist", "nok", "ret", "rigtig", "meget",
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
    words = [t.text for t in get_nlp().tokenizer(text) if any(ch.isalpha() for ch in t.text)]
    lemmas = tuple(lemma_of(w) for w in words)
    # Check the written form too: the lookup table lemmatises some function
    # words oddly ("med" -> "mede"), and those must not count as content.
    content = tuple(
        l for w, l in zip(words, lemmas) if l not in STOPWORDS and w.lower() not in STOPWORDS and len(l) > 1
    )
    return Analysed(text, tuple(words), lemmas, content)


def text_of(item: Segment | str) -> str:
    return item.text if isinstance(item, Segment) else item


def content_text(text: str) -> str:
    """Content lemmas as one string: what the vectorisers read."""
    return analyse(text).content_text
