"""Segmentation of turns into sentences (and whole-turn segments).

Each turn's text is processed on its own, so a sentence never spans two
speakers; sentence offsets are the turn's start plus spaCy's character
offset within the turn.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator, Sequence

import numpy as np

from qualcode.models import Segment, SegmentRow, Turn
from qualcode.nlp import _ABBREV_STEMS, BOUNDS_KEY, END_PUNCT, configured_model, get_nlp, orth_lemmas

BATCH_SIZE = 256


def segment_document(
    document_id: int,
    text: str,
    turns: Sequence[Turn],
    *,
    model: str | None = None,
) -> list[Segment]:
    """Sentence and turn segments for one document, in document order per unit."""
    return [row.to_segment(document_id) for row in segment_rows(text, turns, model=model)]


def segment_rows(text: str, turns: Sequence[Turn], *, model: str | None = None) -> list[SegmentRow]:
    """Segments as store rows: per spoken turn its turn row, then its sentences.

    The blank Danish pipeline runs only its tokenizer here and the sentence
    rules work on the whole document's token arrays
    (:mod:`qualcode.token_arrays`), which makes import several times faster;
    a trained pipeline decides sentences with its own parser or senter.
    """
    return list(iter_segment_rows(text, turns, model=model))


# Turns are segmented this many characters at a time: a day-long recording is never one
# spaCy Doc (a Doc and its arrays cost some 100 bytes a character), and the rows go to the
# store as they are made. A longer turn is cut into pieces of about this size (see _pieces).
CHUNK_CHARS = 100_000


def iter_segment_rows(text: str, turns: Sequence[Turn], *, model: str | None = None) -> Iterator[SegmentRow]:
    """:func:`segment_rows` made and yielded a chunk of turns at a time, so memory stays flat.

    Every turn is segmented on its own either way (sentences never span two
    speakers), and a long turn is only cut where every sentence rule ends a
    sentence, so the rows are the same as for the whole text at once.
    """
    model = model or configured_model()
    nlp = get_nlp(model) if model else None
    tokenizer = get_nlp().tokenizer

    def found(pieces: Sequence[Turn]):
        return _found_by_pipeline(text, pieces, nlp) if nlp is not None else _found_by_arrays(text, pieces)

    turn_index = sentence_index = 0
    batch: list[Turn] = []
    size = 0

    def flush() -> Iterator[SegmentRow]:
        nonlocal turn_index, sentence_index, batch, size
        for row in _rows(text, batch, found(batch), turn_index, sentence_index) if batch else ():
            sentence_index += row.unit == "sentence"
            yield row
        turn_index += len(batch)
        batch, size = [], 0

    for turn in (t for t in turns if t.end > t.start):
        pieces = _pieces(text, turn, tokenizer)
        if len(pieces) == 1:
            batch.append(turn)
            size += turn.end - turn.start
            if size >= CHUNK_CHARS:
                yield from flush()
            continue
        yield from flush()
        # A long turn, piece by piece, twice: its turn row (all its lemmas) comes before its
        # sentences, and holding every piece's analysis at once would cost what pieces save.
        lemmas = [lemma for piece in pieces for lemma in found([piece])[0].lemmas]
        yield _turn_row(text, turn, turn_index, lemmas)
        del lemmas
        for piece in pieces:
            for row in _sentence_rows(text, turn, piece.start, found([piece])[0], sentence_index):
                sentence_index += 1
                yield row
        turn_index += 1
    yield from flush()


def _pieces(text: str, turn: Turn, tokenizer) -> list[Turn]:
    """A turn longer than :data:`CHUNK_CHARS` as consecutive pieces, cut only where every sentence
    rule ends a sentence, so the pieces' sentences are the turn's; a turn with no such place stays whole."""
    if turn.end - turn.start <= CHUNK_CHARS:
        return [turn]
    pieces, start = [], turn.start
    while turn.end - start > CHUNK_CHARS:
        cut = _safe_cut(text, start + CHUNK_CHARS // 2, start + CHUNK_CHARS, tokenizer)
        if cut is None:
            break
        pieces.append(replace(turn, start=start, end=cut))
        start = cut
    pieces.append(replace(turn, start=start, end=turn.end))
    return pieces


_SENTENCE_END = re.compile(r"[.!?](\s+)(?=\w)")


def _safe_cut(text: str, lo: int, hi: int, tokenizer) -> int | None:
    """The last place in [lo, hi) where a sentence certainly starts, or None.

    After a line break before a letter or digit (a line break always ends a
    sentence and only closing marks stay with it), or after . ! ? and spaces
    before a capital letter, where the tokenizer makes the mark a token of its
    own and the word before it is no abbreviation (nlp.sentence_bounds).
    """
    newline = text.rfind("\n", lo, hi)
    while newline != -1:
        p = newline + 1
        while p < hi and text[p].isspace():
            p += 1
        if p < hi and text[p].isalnum():
            return p
        newline = text.rfind("\n", lo, newline)
    for match in reversed(list(_SENTENCE_END.finditer(text, lo, hi))):
        p = match.end(1)
        if not text[p].isupper():
            continue
        word_start = match.start()
        while word_start > lo and not text[word_start - 1].isspace():
            word_start -= 1  # the whitespace-separated chunk the mark ends: spaCy tokenises it alone
        tokens = [t.text for t in tokenizer(text[word_start : match.start(1)])]
        if len(tokens) >= 2 and tokens[-1] in END_PUNCT and not (tokens[-1] == "." and tokens[-2].lower() in _ABBREV_STEMS):
            return p
    return None


def _rows_from_arrays(text: str, spoken: Sequence[Turn], *, whole_document: bool = True) -> list[SegmentRow]:
    return list(_rows(text, spoken, _found_by_arrays(text, spoken, whole_document=whole_document)))


def _found_by_arrays(text: str, spoken: Sequence[Turn], *, whole_document: bool = True):
    from qualcode.token_arrays import document_turn_sentences, turn_sentences

    tokenizer = get_nlp().tokenizer
    found = None
    if whole_document and spoken:
        # Only the stretch of text these turns cover is tokenised, with the turns moved to match.
        base, end = spoken[0].start, spoken[-1].end
        shifted = [replace(t, start=t.start - base, end=t.end - base) for t in spoken]
        found = document_turn_sentences(text[base:end], shifted, tokenizer)
    if found is None:
        docs = list(tokenizer.pipe((text[t.start : t.end] for t in spoken), batch_size=BATCH_SIZE))
        found = turn_sentences(docs)
    return found


def _rows_from_pipeline(text: str, spoken: Sequence[Turn], nlp) -> list[SegmentRow]:
    """Rows through a full spaCy pipeline: a trained model named by the user, or (as the
    reference the array path is tested against) the blank pipeline with ``danish_sentencizer``."""
    return list(_rows(text, spoken, _found_by_pipeline(text, spoken, nlp)))


def _found_by_pipeline(text: str, spoken: Sequence[Turn], nlp):
    from qualcode.token_arrays import TurnSentences

    found = []
    for doc in nlp.pipe((text[t.start : t.end] for t in spoken), batch_size=BATCH_SIZE):
        bounds, texts = doc.user_data.pop(BOUNDS_KEY, (None, None))
        lemmas = orth_lemmas(doc, texts)
        words_before = np.concatenate([[0], np.cumsum([x is not None for x in lemmas], dtype=np.int64)])
        found.append(TurnSentences(tuple(_sentence_spans(doc, bounds, texts)), tuple(x for x in lemmas if x is not None), words_before))
    return found


def _rows(text: str, spoken: Sequence[Turn], found, first_turn: int = 0, first_sentence: int = 0) -> Iterator[SegmentRow]:
    """Per spoken turn its turn row, then its sentences (stripped; empty ones dropped), numbered in order
    from ``first_turn`` and ``first_sentence``."""
    sentence_index = first_sentence
    for turn_index, (turn, info) in enumerate(zip(spoken, found), first_turn):
        yield _turn_row(text, turn, turn_index, info.lemmas)
        for row in _sentence_rows(text, turn, turn.start, info, sentence_index):
            sentence_index += 1
            yield row


def _turn_row(text: str, turn: Turn, turn_index: int, lemmas: Sequence[str]) -> SegmentRow:
    return SegmentRow(turn.index, "turn", turn_index, turn.start, turn.end, text[turn.start : turn.end], turn.speaker,
                      turn.role, turn.is_interviewer, " ".join(lemmas))


def _sentence_rows(text: str, turn: Turn, base: int, info, first_index: int) -> Iterator[SegmentRow]:
    """The sentences found in ``info`` for the text from ``base`` (a turn, or a piece of one)."""
    before = info.words_before
    index = first_index
    for first, last, start, end in info.bounds:
        start, end = _strip(text, base + start, base + end)
        if start == end:
            continue
        lemmas = " ".join(info.lemmas[before[first] : before[last]])
        yield SegmentRow(turn.index, "sentence", index, start, end, text[start:end], turn.speaker,
                         turn.role, turn.is_interviewer, lemmas)
        index += 1


def _sentence_spans(doc, bounds, texts):
    """(first token, end token, start char, end char) per sentence."""
    if bounds is None:
        # A trained pipeline decided the sentences (parser or senter).
        for sent in doc.sents:
            yield sent.start, sent.end, sent.start_char, sent.end_char
        return
    idx = doc.to_array("IDX").tolist()
    for first, last in bounds:
        yield first, last, idx[first], idx[last - 1] + len(texts[last - 1])


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace (empty spans collapse to start == end)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[str]:
    """Split a text into sentences with qualcode's rules (for ad-hoc use)."""
    return [s.text.strip() for s in get_nlp()(text).sents if s.text.strip()]
