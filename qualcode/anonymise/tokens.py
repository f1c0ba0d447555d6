"""Word tokens with the facts name detection needs: capitalisation and position.

Tokens are runs of letters (digits and hyphens split them), so
"Vordingborg-modellen" gives "Vordingborg" + "modellen" and a span over the
first token leaves "-modellen" in place. Whether a word starts a sentence
matters because Danish capitalises nouns only there: a capitalised "Vejen"
mid-sentence is a name, at the start of a sentence it may be "the road".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial
from itertools import accumulate
from operator import sub
from typing import NamedTuple

_WORD = re.compile(r"[^\W\d_]+")
# Splitting on captured words alternates gaps and words, so every word's end
# offset is the running sum of the lengths before it.
_WORD_SPLIT = re.compile(r"([^\W\d_]+)")
# Characters after which the next word starts a sentence (or a turn: the
# colon after a speaker label, a line break between paragraphs).
_SENTENCE_END = set(".!?:\n…")
# Characters skipped when looking back for a sentence end: spaces, opening
# quotes and brackets, dashes.
_SKIP_BACK = set(" \t\"'«»“”„‘’([{–—-")
_SKIP_BACK_CHARS = "".join(sorted(_SKIP_BACK))


class Token(NamedTuple):
    """One word. A tuple subclass rather than a dataclass because a 9,000-word
    interview has 10,000 of them and detection reads their fields in every
    detector: tuples are built and read in C (see :func:`tokenize`)."""

    start: int
    end: int
    text: str
    sentence_initial: bool
    # Precomputed: every detector asks for them, many times per token.
    lower: str
    # Starts with a capital and is not all capitals (acronyms are not names here).
    capitalised: bool


_make_token = partial(tuple.__new__, Token)


@lru_cache(maxsize=4096)
def _gap_starts_sentence(gap: str) -> bool | None:
    """Whether the word after ``gap`` starts a sentence; ``None``: only if nothing precedes the gap.

    Looking back from a word over spaces, quotes and dashes never passes a
    letter, so the answer lies in the gap unless the gap is all skippable
    characters; then the previous word (no sentence end) or the start of the
    text (a sentence start) decides.
    """
    stripped = gap.rstrip(_SKIP_BACK_CHARS)
    if not stripped:
        return None
    return stripped[-1] in _SENTENCE_END


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or not word.isupper())


# Per-word facts, shared by all documents of a process (vocabularies overlap).
_WORD_FACTS: dict[str, tuple[str, bool]] = {}
_WORD_FACTS_LIMIT = 500_000


def _facts(words: set[str]) -> dict[str, tuple[str, bool]]:
    facts = _WORD_FACTS
    if len(facts) > _WORD_FACTS_LIMIT:
        facts.clear()  # bounded memory for very large, varied corpora
    for w in words.difference(facts):
        facts[w] = (w.lower(), _capitalised(w))
    return facts


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` with offsets, sentence-start flag, lowercase form and capitalisation.

    Built column by column with C-level operations (one regex split, running
    sums for the offsets, cached per-word and per-gap facts) because this runs
    on every document several times and a per-character Python loop was
    detection's hot spot.
    """
    # [gap, word, gap, word, ..., gap]: the split covers the whole text.
    parts = _WORD_SPLIT.split(text)
    words = parts[1::2]
    if not words:
        return []
    ends = list(accumulate(map(len, parts)))[1::2]
    starts = list(map(sub, ends, map(len, words)))
    initial = list(map(_gap_starts_sentence, parts[0:-1:2]))
    if initial[0] is None:
        initial[0] = True  # only skippable characters before the first word: the text starts here
    initial = [flag is True for flag in initial]
    facts = _facts(set(words))
    word_facts = list(map(facts.__getitem__, words))
    lowers = [f[0] for f in word_facts]
    caps = [f[1] for f in word_facts]
    return list(map(_make_token, zip(starts, ends, words, initial, lowers, caps)))


def gap(text: str, left: Token, right: Token) -> str:
    """The characters between two tokens."""
    return text[left.end : right.start]


def normalise_name(name: str) -> str:
    """The matching form of a name: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def entity_key(kind: str, name: str) -> str:
    return f"{kind}:{normalise_name(name)}"


def genitive_base(word: str) -> str | None:
    """"Sørens" -> "Søren", "Jens'" -> "Jens"; ``None`` when the word has no genitive ending."""
    if word.endswith(("'", "’")) and len(word) > 2:
        return word[:-1]
    if word.endswith("s") and len(word) > 2:
        return word[:-1]
    return None


def initials(name: str) -> str:
    """"Søren Sønderby Kjær" -> "SSK"."""
    return "".join(part[0].upper() for part in re.split(r"[\s-]+", name) if part[:1].isalpha())
