"""Sentence bounds and lemmas for all turns of a document, from spaCy token arrays.

Importing is dominated by per-token Python, so this module classifies each
*vocabulary item* once (by orth id, cached for the process) and then works on
whole-document arrays with numpy: one ``np.unique`` per document instead of a
dictionary look-up, a string test and an append per token. Only the few
tokens that can end a sentence (about one in twelve) go through a Python loop.

The result is exactly :func:`qualcode.nlp.sentence_bounds` applied to each
turn on its own (tests compare the two on the samples and on random token
sequences); that function stays the readable reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from spacy.attrs import IDX, LENGTH, ORTH
from spacy.tokens import Doc

from qualcode.nlp import _ABBREV_STEMS, CLOSERS, END_PUNCT, SPLIT_AFTER_IF_CAPITAL, lemma_of

# One bit per property of a vocabulary item that the sentence rules ask about.
NEWLINE = 1  # contains a line break: always ends a sentence
END = 2  # . ! ? and friends
DOT = 4  # exactly "." (may follow an abbreviation that lost its full stop)
CAP_SPLIT = 8  # osv., pct., …: ends a sentence only before a capital
ABSORBED = 16  # closing marks and end punctuation that stay with the sentence before
ABBREV_STEM = 32  # "fx" in "fx" + "."
UPPER_START = 64  # starts with a capital letter
WORD = 128  # has a letter, so it has a lemma
TRIGGER = NEWLINE | END | CAP_SPLIT

_ATTRS = [ORTH, IDX, LENGTH]

# orth id -> (flags, lemma or None); grows with the corpus vocabulary.
_INFO: dict[int, tuple[int, str | None]] = {}


def _classify(text: str) -> tuple[int, str | None]:
    lowered = text.lower()
    flags = 0
    if "\n" in text:
        flags |= NEWLINE
    elif text in END_PUNCT:
        flags |= END | (DOT if text == "." else 0)
    elif lowered in SPLIT_AFTER_IF_CAPITAL:
        flags |= CAP_SPLIT
    if text in CLOSERS or text in END_PUNCT:
        flags |= ABSORBED
    if lowered in _ABBREV_STEMS:
        flags |= ABBREV_STEM
    if text[:1].isupper():
        flags |= UPPER_START
    lemma = None
    if any(ch.isalpha() for ch in text):
        flags |= WORD
        lemma = lemma_of(text)
    return flags, lemma


@dataclass(frozen=True)
class TurnSentences:
    """One turn's sentences and lemmas.

    ``bounds``: (first token, end token, start char, end char) per sentence,
    chars relative to the turn's text. ``lemmas``: the lemmas of the turn's
    word tokens in order; ``words_before[k]`` counts the word tokens before
    token ``k``, so sentence (a, b) has ``lemmas[words_before[a]:words_before[b]]``.
    """

    bounds: tuple[tuple[int, int, int, int], ...]
    lemmas: tuple[str, ...]
    words_before: np.ndarray  # words_before[k]: word tokens among tokens[:k]


def turn_sentences(docs: Sequence[Doc]) -> list[TurnSentences]:
    """Sentence bounds and lemmas for each turn's Doc, computed over all of them at once."""
    if not docs:
        return []
    arrays = [d.to_array(_ATTRS) for d in docs]
    sizes = [len(a) for a in arrays]
    joined = np.concatenate(arrays) if sum(sizes) else np.zeros((0, 3), dtype="uint64")
    return _sentences(joined[:, 0], joined[:, 1].astype(np.int64), joined[:, 2].astype(np.int64), sizes, docs[0].vocab.strings)


def document_turn_sentences(text: str, turns: Sequence, tokenizer) -> list[TurnSentences] | None:
    """:func:`turn_sentences` for the turns of one text, tokenised as one Doc.

    spaCy tokenises each whitespace-separated chunk on its own, so when every
    turn starts and ends at a chunk edge (whitespace or the text's edge on
    the outside, none on the inside) its tokens are those of the turn alone,
    and one Doc per interview replaces one per turn (tens of thousands of
    small Docs per study). ``None`` when a turn does not meet that: the
    caller then tokenises turn by turn.
    """
    previous_end = 0
    for t in turns:
        if t.start < previous_end or t.end <= t.start:
            return None
        inside = text[t.start].isspace() or text[t.end - 1].isspace()
        outside = (t.start > 0 and not text[t.start - 1].isspace()) or (t.end < len(text) and not text[t.end].isspace())
        if inside or outside:
            return None
        previous_end = t.end
    doc = tokenizer(text)
    arrays = doc.to_array(_ATTRS)
    idx = arrays[:, 1].astype(np.int64)
    starts = np.searchsorted(idx, [t.start for t in turns], side="left")
    ends = np.searchsorted(idx, [t.end for t in turns], side="left")
    keep = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends)]) if len(turns) else np.zeros(0, dtype=np.int64)
    sizes = (ends - starts).tolist()
    # IDX made relative to each turn's start, as a Doc of the turn alone would have it.
    offsets = np.repeat(np.asarray([t.start for t in turns], dtype=np.int64), sizes)
    kept = arrays[keep]
    return _sentences(kept[:, 0], idx[keep] - offsets, kept[:, 2].astype(np.int64), sizes, doc.vocab.strings)


def _sentences(orth: np.ndarray, idx: np.ndarray, length: np.ndarray, sizes: list[int], strings) -> list[TurnSentences]:
    """The sentence rules over the concatenated tokens of several turns (``sizes`` tokens each)."""
    uniques, inverse = np.unique(orth, return_inverse=True)
    info = _INFO
    flags_u = np.empty(len(uniques), dtype=np.int64)
    lemma_u: list[str | None] = []
    for k, o in enumerate(uniques.tolist()):
        entry = info.get(o)
        if entry is None:
            entry = info[o] = _classify(strings[o])
        flags_u[k] = entry[0]
        lemma_u.append(entry[1])
    flags = flags_u[inverse]
    is_word = (flags & WORD) != 0
    word_pos = np.flatnonzero(is_word)
    lemma_arr = np.array(lemma_u, dtype=object)
    all_lemmas = lemma_arr[inverse[word_pos]].tolist() if len(word_pos) else []
    words_before_all = np.concatenate([[0], np.cumsum(is_word)])
    triggers = np.flatnonzero(flags & TRIGGER).tolist()
    # Plain ints: the loop below indexes single tokens, where numpy scalars are slow.
    flag_list = flags.tolist()

    out = []
    offset = 0
    t = 0  # position in triggers
    for size in sizes:
        end = offset + size
        bounds = []
        start = offset
        while t < len(triggers) and triggers[t] < end:
            i = triggers[t]
            t += 1
            if i < start:
                # Swallowed by the closing run of the previous sentence.
                continue
            f = flag_list[i]
            if f & NEWLINE:
                split = True
            elif f & END:
                split = not (f & DOT and i > offset and flag_list[i - 1] & ABBREV_STEM)
            else:
                split = i + 1 < end and bool(flag_list[i + 1] & UPPER_START)
            if not split:
                continue
            j = i + 1
            while j < end and flag_list[j] & ABSORBED:
                j += 1
            bounds.append((start, j))
            start = j
        if start < end:
            bounds.append((start, end))
        # IDX is relative to each turn's own Doc, i.e. to the turn's text.
        spans = tuple((a - offset, b - offset, int(idx[a]), int(idx[b - 1] + length[b - 1])) for a, b in bounds)
        w0 = int(words_before_all[offset])
        w1 = int(words_before_all[end])
        out.append(TurnSentences(spans, tuple(all_lemmas[w0:w1]), words_before_all[offset : end + 1] - w0))
        offset = end
    return out
