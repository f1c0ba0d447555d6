"""Quotes that stand on their own: the coded span widened to whole sentences of its turn.

A coder marks what is relevant, often one sentence or part of one; a report
needs a quote a reader understands without the interview: no fragment
("Delvist."), no answer word that needs the question ("Ja, …"), no "han" or
"hun" whose person was named a sentence earlier. :func:`widen` extends the
span to whole sentences of the same turn, then adds the next sentence while
the quote is short and the sentence before when it opens with a pronoun that
needs a referent, never beyond :data:`MAX_CHARS`. :func:`stands_alone`
judges the result, for the selection to prefer quotes that pass.

Lengths are in characters (offsets), so widening needs no text: Danish
speech averages about six characters a word.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

MIN_CHARS = 80    # about twelve words: shorter quotes rarely stand alone
MAX_CHARS = 450   # about seventy words: longer ones are cut by report writers anyway
ELLIPSIS = "…"
DENSE_QUOTES = 10  # quotes in one document from which its sentences are read in one look-up

# Words that answer the interviewer rather than say something: "Ja, …", "Nej, men …", "Delvist."
_ANSWER_WORDS = {
    "ja", "jah", "jo", "nej", "næ", "nå", "nåh", "nåe", "okay", "ok", "jamen", "jaja", "nejnej", "tja", "tjo",
    "delvist", "præcis", "præcist", "netop", "nemlig", "absolut", "klart", "bestemt", "selvfølgelig", "sikkert",
    "rigtigt", "korrekt", "måske", "yes", "no", "yeah", "exactly", "right", "partly", "well",
}
# Words that are answers on their own even without a comma ("Jamen det er …").
_ALWAYS_ANSWER = {"jamen", "jaja", "nejnej", "tja", "tjo"}
# Pronouns that point at a person (or group) named earlier.
_PERSON_PRONOUNS = {"han", "hun", "ham", "hende", "hans", "hendes", "de", "dem", "deres", "he", "she", "they", "him", "her", "them"}
# Pronouns that stand for something said before; a problem only in a short quote ("Det var der.").
_THING_PRONOUNS = {"det", "den", "der", "dét", "dette", "denne", "disse", "it", "that", "this"}
SHORT_WORDS = 6
_WORD = re.compile(r"[\wæøåÆØÅ]+")


def _first_words(text: str, n: int = 2) -> list[tuple[str, str]]:
    """The first ``n`` words, each with what follows it up to the next word."""
    out = []
    for match in _WORD.finditer(text):
        following = text[match.end() : match.end() + 3]
        out.append((match.group(0).lower(), following))
        if len(out) == n:
            break
    return out


def opens_with_answer(text: str) -> bool:
    """ "Ja, det er …", "Nej, men …", "Delvist." — an answer word followed by a pause or "men"."""
    words = _first_words(text.lstrip(f"{ELLIPSIS}. "), 2)
    if not words or words[0][0] not in _ANSWER_WORDS:
        return False
    word, following = words[0]
    if word in _ALWAYS_ANSWER:
        return True
    return following[:1] in {",", ".", "!", "?", ELLIPSIS, "–", "-"} or (len(words) > 1 and words[1][0] == "men")


def needs_referent(text: str) -> bool:
    """Whether the quote opens with a pronoun whose referent is not in it ("Han spørger …")."""
    words = _first_words(text.lstrip(f"{ELLIPSIS}. "), 1)
    if not words:
        return False
    first = words[0][0]
    if first in _PERSON_PRONOUNS:
        return True
    return first in _THING_PRONOUNS and len(text.split()) < SHORT_WORDS


def stands_alone(text: str, *, min_words: int = 4) -> bool:
    """A quote a reader understands without the interview: long enough, no answer word, no loose pronoun."""
    if len(text.split()) < min_words:
        return False
    return not (opens_with_answer(text) or needs_referent(text))


@dataclass(frozen=True)
class Passage:
    """The printed quote: offsets into the document and the text as printed."""

    start: int
    end: int
    text: str


class Widener:
    """Widens coded spans to whole sentences of their turn.

    ``sentences(document_id, start, end, margin)`` returns the sentences
    within ``margin`` characters of the span as (start, end, turn index), in
    document order (:meth:`DocumentStore.sentences_around`); ``text_of`` cuts
    the printed text of a span (anonymised and cleaned).
    """

    def __init__(self, sentences: Callable[[int, int, int, int], Sequence[tuple[int, int, int]]],
                 text_of: Callable[[int, int, int], str], *, min_chars: int = MIN_CHARS, max_chars: int = MAX_CHARS):
        self._sentences = sentences
        self._text_of = text_of
        self._rows: Sequence[tuple[int, int, int]] | None = None
        self._starts: list[int] = []
        self.min_chars = min_chars
        self.max_chars = max_chars

    @classmethod
    def from_bounds(cls, bounds: dict[int, list[tuple[int, int, int]]], text_of: Callable[[int, int, int], str],
                    **limits) -> "Widener":
        """A widener over sentences held in memory (document id -> its sentences, in order)."""
        return cls(lambda doc, _start, _end, _margin: bounds.get(doc, []), text_of, **limits)

    @classmethod
    def clustered(cls, sentences: Callable[[int, int, int, int], Sequence[tuple[int, int, int]]],
                  spans: Iterable[tuple[int, int, int]], text_of: Callable[[int, int, int], str], **limits) -> "Widener":
        """A widener that reads sentences once per cluster of nearby quotes (``spans``: document, start, end).

        Quotes less than two widening margins apart share one look-up, and a
        document quoted :data:`DENSE_QUOTES` times or more is read in one, so a
        report reads each document's sentences once and a one-code listing
        reads only around its few quotes. Quotes are widened
        in document order, so one cluster's sentences are held at a time.
        """
        margin = limits.get("max_chars", MAX_CHARS)
        by_document: dict[int, list[tuple[int, int]]] = {}
        for doc, start, end in sorted(spans):
            by_document.setdefault(doc, []).append((start, end))
        clusters: dict[int, list[list[int]]] = {}
        for doc, found in by_document.items():
            runs = clusters.setdefault(doc, [])
            # A densely quoted document (a whole report) is read in one look-up.
            dense = len(found) >= DENSE_QUOTES
            for start, end in found:
                if runs and (dense or start - runs[-1][1] < 2 * margin):
                    runs[-1][1] = max(runs[-1][1], end)
                else:
                    runs.append([start, end])
        lows = {doc: [lo for lo, _hi in runs] for doc, runs in clusters.items()}
        held: dict[tuple[int, int], Sequence[tuple[int, int, int]]] = {}

        def around(doc: int, start: int, end: int, margin: int) -> Sequence[tuple[int, int, int]]:
            i = max(0, bisect.bisect_right(lows.get(doc, []), start) - 1)
            if (doc, i) not in held:
                held.clear()
                low, high = clusters[doc][i] if doc in clusters else (start, end)
                held[(doc, i)] = sentences(doc, low, high, margin)
            return held[(doc, i)]

        return cls(around, text_of, **limits)

    def widen(self, document_id: int, start: int, end: int) -> Passage:
        rows = self._sentences(document_id, start, end, self.max_chars)
        if rows is not self._rows:
            # A per-document source hands the same rows for every quote of the document: index them once.
            self._rows, self._starts = rows, [s for s, _e, _t in rows]
        starts = self._starts
        first = _sentence_at(rows, starts, start, after=True)
        last = _sentence_at(rows, starts, max(start, end - 1), after=False)
        if first is None or last is None or last < first or rows[first][0] >= end or rows[last][1] <= start:
            return self._passage(document_id, start, end)
        turn = rows[first][2]
        lo, hi = first, last
        if rows[hi][1] - rows[lo][0] > self.max_chars:
            # The coded span is long already: print it as coded, marking cut sentences with "…".
            return self._passage(document_id, start, end, cut_before=start > rows[lo][0], cut_after=end < rows[hi][1])
        while (rows[hi][1] - rows[lo][0] < self.min_chars and hi + 1 < len(rows)
               and rows[hi + 1][2] == turn and rows[hi + 1][1] - rows[lo][0] <= self.max_chars):
            hi += 1
        passage = self._passage(document_id, rows[lo][0], rows[hi][1])
        if (needs_referent(passage.text) and lo > 0 and rows[lo - 1][2] == turn
                and rows[hi][1] - rows[lo - 1][0] <= self.max_chars):
            passage = self._passage(document_id, rows[lo - 1][0], rows[hi][1])
        return passage

    def _passage(self, document_id: int, start: int, end: int, *, cut_before: bool = False,
                 cut_after: bool = False) -> Passage:
        text = self._text_of(document_id, start, end)
        if cut_before and not text.startswith(ELLIPSIS):
            text = f"{ELLIPSIS} {text}"
        if cut_after and not text.endswith(ELLIPSIS):
            text = f"{text} {ELLIPSIS}"
        return Passage(start, end, text)


def _sentence_at(rows: Sequence[tuple[int, int, int]], starts: list[int], offset: int, *, after: bool) -> int | None:
    """The sentence holding ``offset``; in a gap between sentences, the next one (``after``) or the one before."""
    if not rows:
        return None
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and offset < rows[i][1]:
        return i
    if after:
        return i + 1 if i + 1 < len(rows) else None
    return i if i >= 0 else None


__all__ = ["MAX_CHARS", "MIN_CHARS", "Passage", "Widener", "needs_referent", "opens_with_answer", "stands_alone"]
