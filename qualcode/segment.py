"""Segmentation of turns into sentences (and whole-turn segments).

Each turn's text is processed on its own, so a sentence never spans two
speakers; sentence offsets are the turn's start plus spaCy's character
offset within the turn.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from qualcode.models import Segment, Turn
from qualcode.nlp import BOUNDS_KEY, get_nlp, orth_lemmas

BATCH_SIZE = 256


def segment_document(
    document_id: int,
    text: str,
    turns: Sequence[Turn],
    *,
    model: str | None = None,
) -> list[Segment]:
    """Sentence and turn segments for one document, in document order per unit."""
    return list(iter_segments(document_id, text, turns, model=model))


def iter_segments(
    document_id: int, text: str, turns: Sequence[Turn], *, model: str | None = None
) -> Iterator[Segment]:
    nlp = get_nlp(model)
    spoken = [t for t in turns if t.end > t.start]
    docs = nlp.pipe((text[t.start : t.end] for t in spoken), batch_size=BATCH_SIZE)
    sentence_index = 0
    for turn_index, (turn, doc) in enumerate(zip(spoken, docs)):
        bounds, texts = doc.user_data.pop(BOUNDS_KEY, (None, None))
        lemmas = orth_lemmas(doc, texts)
        yield Segment(
            document_id=document_id,
            turn_index=turn.index,
            unit="turn",
            index=turn_index,
            start=turn.start,
            end=turn.end,
            text=text[turn.start : turn.end],
            speaker=turn.speaker,
            role=turn.role,
            is_interviewer=turn.is_interviewer,
            lemmas=tuple(x for x in lemmas if x is not None),
        )
        for first, last, start, end in _sentence_spans(doc, bounds, texts):
            start, end = _strip(text[turn.start + start : turn.start + end], start, end)
            if start == end:
                continue
            yield Segment(
                document_id=document_id,
                turn_index=turn.index,
                unit="sentence",
                index=sentence_index,
                start=turn.start + start,
                end=turn.start + end,
                text=text[turn.start + start : turn.start + end],
                speaker=turn.speaker,
                role=turn.role,
                is_interviewer=turn.is_interviewer,
                lemmas=tuple(x for x in lemmas[first:last] if x is not None),
            )
            sentence_index += 1


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


def _strip(sent_text: str, start: int, end: int) -> tuple[int, int]:
    lead = len(sent_text) - len(sent_text.lstrip())
    trail = len(sent_text) - len(sent_text.rstrip())
    return start + lead, max(start + lead, end - trail)


def sentences(text: str) -> list[str]:
    """Split a text into sentences with qualcode's rules (for ad-hoc use)."""
    return [s.text.strip() for s in get_nlp()(text).sents if s.text.strip()]
