"""Search a project: every occurrence of a pattern, with document, speaker, role and offsets.

Turns are searched (so a regular expression may span sentences of one
speaker); each hit also carries the sentence it starts in, which is what
keyword-in-context listings and autocoding by sentence need.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator

from qualcode.models import INTERVIEWER_ROLE
from qualcode.project import Project
from qualcode.search.patterns import Pattern

KWIC_WIDTH = 40


@dataclass(frozen=True)
class SearchHit:
    """One occurrence: ``text[start:end]`` of the document is the matched text."""

    document_id: int
    document: str
    turn_index: int
    speaker: str
    role: str | None
    is_interviewer: bool
    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    turn_start: int
    turn_end: int
    start_time: float | None = None


def search(
    project: Project,
    pattern: str | Pattern,
    *,
    regex: bool = False,
    role: str | None = None,
    code: str | None = None,
    coder: str | None = None,
    document_id: int | None = None,
    include_interviewer: bool = True,
) -> list[SearchHit]:
    """Every hit of ``pattern`` in document order.

    ``role``: only turns of speakers with this role ("interviewer" for the
    interviewer's turns). ``code``: only inside the accepted codings of this
    code or its children (``coder``: one coder's). In blind mode only the
    blind coder's codings count.
    """
    return list(iter_hits(project, pattern, regex=regex, role=role, code=code, coder=coder,
                          document_id=document_id, include_interviewer=include_interviewer))


def iter_hits(project, pattern, *, regex=False, role=None, code=None, coder=None, document_id=None,
              include_interviewer=True) -> Iterator[SearchHit]:
    compiled = pattern if isinstance(pattern, Pattern) else Pattern(pattern, regex=regex)
    within = _coded_spans(project, code, coder) if code is not None else None
    names = {h.id: h.name for h in project.documents.headers()}
    doc_ids = [document_id] if document_id is not None else list(names)
    for doc_id in doc_ids:
        if within is not None and doc_id not in within:
            continue
        times = {t.index: t.start_time for t in project.documents.turns(doc_id)}
        sentences: list | None = None
        for turn in project.documents.segments(doc_id, "turn"):
            if turn.is_interviewer and not include_interviewer:
                continue
            if role is not None and (INTERVIEWER_ROLE if turn.is_interviewer else turn.role) != role:
                continue
            if not compiled.might_occur(turn.text.lower(), turn.lemmas):
                continue
            for a, b in compiled.find(turn.text):
                start, end = turn.start + a, turn.start + b
                if within is not None and not _inside(within[doc_id], start, end):
                    continue
                if sentences is None:
                    sentences = list(project.documents.segments(doc_id, "sentence"))
                    starts = [s.start for s in sentences]
                s_start, s_end = _sentence_span(sentences, starts, start, end, turn)
                yield SearchHit(doc_id, names[doc_id], turn.turn_index, turn.speaker, turn.role, turn.is_interviewer,
                                start, end, turn.text[a:b], s_start, s_end, turn.start, turn.end,
                                times.get(turn.turn_index))


def _sentence_span(sentences, starts, start: int, end: int, turn) -> tuple[int, int]:
    """From the start of the sentence the hit starts in to the end of the one it ends in (within the turn)."""
    i = max(0, bisect.bisect_right(starts, start) - 1)
    j = max(0, bisect.bisect_left(starts, end) - 1)
    if not sentences:
        return turn.start, turn.end
    return max(sentences[i].start, turn.start), min(max(sentences[j].end, end), turn.end)


def _coded_spans(project: Project, code: str, coder: str | None) -> dict[int, list[tuple[int, int]]]:
    codebook = project.codebook.current()
    ids = [code] + [c.id for c in codebook.descendants(code)] if code in codebook else [code]
    spans: dict[int, list[tuple[int, int]]] = {}
    for c in project.codings.query(code_id=ids, status="accepted", coder=coder):
        spans.setdefault(c.document_id, []).append((c.start, c.end))
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def kwic(text: str, start: int, end: int, width: int = KWIC_WIDTH, within: tuple[int, int] | None = None) -> tuple[str, str, str]:
    """Keyword in context: up to ``width`` characters either side of the hit (inside ``within``), on one line."""
    low, high = within or (0, len(text))
    left = " ".join(text[max(low, start - width * 2):start].split())[-width:]
    right = " ".join(text[end:min(high, end + width * 2)].split())[:width]
    if text[max(0, start - 1):start].isspace():
        left += " "
    if text[end:end + 1].isspace():
        right = " " + right
    return left, " ".join(text[start:end].split()), right
