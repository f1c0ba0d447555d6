"""Segmentation of turns into sentences (and whole-turn segments).

Each turn's text is processed on its own, so a sentence never spans two
speakers; sentence offsets are the turn's start plus spaCy's character
offset within the turn.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from qualcode.models import Segment, SegmentRow, Turn
from qualcode.nlp import BOUNDS_KEY, configured_model, get_nlp, orth_lemmas

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
    model = model or configured_model()
    spoken = [t for t in turns if t.end > t.start]
    if model:
        return _rows_from_pipeline(text, spoken, get_nlp(model))
    return _rows_from_arrays(text, spoken)


def _rows_from_arrays(text: str, spoken: Sequence[Turn], *, whole_document: bool = True) -> list[SegmentRow]:
    from qualcode.token_arrays import document_turn_sentences, turn_sentences

    tokenizer = get_nlp().tokenizer
    found = document_turn_sentences(text, spoken, tokenizer) if whole_document else None
    if found is None:
        docs = list(tokenizer.pipe((text[t.start : t.end] for t in spoken), batch_size=BATCH_SIZE))
        found = turn_sentences(docs)
    return _rows(text, spoken, found)


def _rows_from_pipeline(text: str, spoken: Sequence[Turn], nlp) -> list[SegmentRow]:
    """Rows through a full spaCy pipeline: a trained model named by the user, or (as the
    reference the array path is tested against) the blank pipeline with ``danish_sentencizer``."""
    from qualcode.token_arrays import TurnSentences

    found = []
    for doc in nlp.pipe((text[t.start : t.end] for t in spoken), batch_size=BATCH_SIZE):
        bounds, texts = doc.user_data.pop(BOUNDS_KEY, (None, None))
        lemmas = orth_lemmas(doc, texts)
        words_before = np.concatenate([[0], np.cumsum([x is not None for x in lemmas], dtype=np.int64)])
        found.append(TurnSentences(tuple(_sentence_spans(doc, bounds, texts)), tuple(x for x in lemmas if x is not None), words_before))
    return _rows(text, spoken, found)


def _rows(text: str, spoken: Sequence[Turn], found) -> list[SegmentRow]:
    """Per spoken turn its turn row, then its sentences (stripped; empty ones dropped), numbered in order."""
    rows: list[SegmentRow] = []
    sentence_index = 0
    for turn_index, (turn, info) in enumerate(zip(spoken, found)):
        base = turn.start
        rows.append(
            SegmentRow(turn.index, "turn", turn_index, base, turn.end, text[base : turn.end], turn.speaker,
                       turn.role, turn.is_interviewer, " ".join(info.lemmas))
        )
        before = info.words_before
        for first, last, start, end in info.bounds:
            start, end = _strip(text, base + start, base + end)
            if start == end:
                continue
            lemmas = " ".join(info.lemmas[before[first] : before[last]])
            rows.append(
                SegmentRow(turn.index, "sentence", sentence_index, start, end, text[start:end], turn.speaker,
                           turn.role, turn.is_interviewer, lemmas)
            )
            sentence_index += 1
    return rows


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
