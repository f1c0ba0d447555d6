"""Usage figures that guide codebook refinement.

Per code: codings, documents and participants; codes never used; codes on a
large share of segments (too broad to tell anything apart); and pairs of
codes that often sit on the same segment (candidates for merging, or a sign
that definitions overlap). A coding counts on every segment it overlaps.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from itertools import combinations
from typing import TYPE_CHECKING, Sequence

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from qualcode.project import Project

USAGE_COLUMNS = ["code_id", "name", "theme", "codings", "documents", "participants", "segments", "share_of_segments"]
PAIR_COLUMNS = ["code_a", "code_b", "name_a", "name_b", "both", "segments_a", "segments_b", "jaccard"]
# Only decided codings describe the data; suggestions nobody looked at do not.
DEFAULT_STATUSES = ("accepted",)


def code_usage(
    project: "Project",
    *,
    statuses: Sequence[str] = DEFAULT_STATUSES,
    unit: str = "sentence",
    include_interviewer: bool = False,
    include_retired: bool = False,
) -> pd.DataFrame:
    """One row per code of the project's codebook (unused codes included, with zeros).

    ``participants`` counts distinct participant ids of the turns a coding
    overlaps (the document's participant id where turns carry none);
    ``share_of_segments`` is the share of all segments of ``unit`` that carry
    the code.
    """
    index = _SegmentIndex(project, unit, include_interviewer)
    codebook = project.codebook.current(include_retired=include_retired)
    per_code: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    counts: dict[str, int] = defaultdict(int)
    for coding in project.codings.query(status=list(statuses)):
        counts[coding.code_id] += 1
        entry = per_code[coding.code_id]
        entry["documents"].add(coding.document_id)
        entry["participants"].update(index.participants(coding.document_id, coding.start, coding.end))
        entry["segments"].update(index.segments(coding.document_id, coding.start, coding.end))
    rows = []
    for code in codebook.codes:
        entry = per_code.get(code.id, {})
        segments = len(entry.get("segments", ()))
        rows.append(
            {
                "code_id": code.id,
                "name": code.name,
                "theme": codebook.theme_of(code.id),
                "codings": counts.get(code.id, 0),
                "documents": len(entry.get("documents", ())),
                "participants": len(entry.get("participants", ())),
                "segments": segments,
                "share_of_segments": segments / index.total if index.total else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=USAGE_COLUMNS)


def unused_codes(project: "Project", **kwargs) -> pd.DataFrame:
    """Codes without a single coding (of the given statuses)."""
    usage = code_usage(project, **kwargs)
    return usage[usage["codings"] == 0].reset_index(drop=True)


def broad_codes(project: "Project", threshold: float = 0.2, **kwargs) -> pd.DataFrame:
    """Codes on at least ``threshold`` of all segments, broadest first."""
    usage = code_usage(project, **kwargs)
    broad = usage[(usage["segments"] > 0) & (usage["share_of_segments"] >= threshold)]
    return broad.sort_values(["share_of_segments", "code_id"], ascending=[False, True]).reset_index(drop=True)


def co_occurrence(
    project: "Project",
    *,
    statuses: Sequence[str] = DEFAULT_STATUSES,
    unit: str = "sentence",
    include_interviewer: bool = False,
    min_count: int = 1,
) -> pd.DataFrame:
    """Pairs of codes on the same segment: how often, and their Jaccard index.

    Jaccard = segments with both / segments with either. Sorted by count,
    then Jaccard, both descending.
    """
    index = _SegmentIndex(project, unit, include_interviewer)
    codes_on: dict[int, set[str]] = defaultdict(set)
    segments_of: dict[str, set[int]] = defaultdict(set)
    for coding in project.codings.query(status=list(statuses)):
        for segment_id in index.segments(coding.document_id, coding.start, coding.end):
            codes_on[segment_id].add(coding.code_id)
            segments_of[coding.code_id].add(segment_id)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for codes in codes_on.values():
        for a, b in combinations(sorted(codes), 2):
            both[(a, b)] += 1
    names = {c.id: c.name for c in project.codebook.current(include_retired=True).codes}
    rows = []
    for (a, b), n in both.items():
        if n < min_count:
            continue
        union = len(segments_of[a] | segments_of[b])
        rows.append(
            {
                "code_a": a,
                "code_b": b,
                "name_a": names.get(a, a),
                "name_b": names.get(b, b),
                "both": n,
                "segments_a": len(segments_of[a]),
                "segments_b": len(segments_of[b]),
                "jaccard": n / union,
            }
        )
    frame = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    return frame.sort_values(["both", "jaccard", "code_a", "code_b"], ascending=[False, False, True, True]).reset_index(drop=True)


class _SegmentIndex:
    """Segments and turns per document, searchable by character span."""

    def __init__(self, project: "Project", unit: str, include_interviewer: bool):
        self.project = project
        self.unit = unit
        self.include_interviewer = include_interviewer
        self._segments: dict[int, tuple[list[int], list]] = {}
        self._turns: dict[int, tuple[list[int], list]] = {}
        self.total = sum(
            1 for _ in project.documents.segments(unit=unit, include_interviewer=include_interviewer)
        )

    def segments(self, document_id: int, start: int, end: int) -> list[int]:
        if document_id not in self._segments:
            segs = list(self.project.documents.segments(document_id, self.unit, include_interviewer=self.include_interviewer))
            self._segments[document_id] = ([s.start for s in segs], segs)
        return [s.id for s in _overlapping(self._segments[document_id], start, end)]

    def participants(self, document_id: int, start: int, end: int) -> set[str]:
        if document_id not in self._turns:
            turns = self.project.documents.turns(document_id)
            self._turns[document_id] = ([t.start for t in turns], turns)
        found = {
            t.participant_id
            for t in _overlapping(self._turns[document_id], start, end)
            if t.participant_id and not t.is_interviewer
        }
        if not found:
            doc = self.project.documents.get(document_id)
            found = {doc.metadata.get("participant_id") or f"document:{document_id}"}
        return found


def _overlapping(index: tuple[list[int], list], start: int, end: int) -> list:
    starts, items = index
    # Items are sorted by start and do not overlap each other, so only the one
    # item starting before ``start`` can reach into the span.
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    out = []
    while i < len(items) and items[i].start < end:
        if items[i].end > start:
            out.append(items[i])
        i += 1
    return out
