"""The coding session behind the widget: navigation, decisions, undo.

No ipywidgets here, so the logic is tested directly and the widget stays a
thin view. Every action is written to the project at once (one transaction
each), so a dead kernel loses nothing but the position in the queue.
"""

from __future__ import annotations

from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from qualcode.i18n import gettext as _
from qualcode.models import Coding, Segment
from qualcode.project import Project
from qualcode.roles import display_speaker

# (segment) -> [(code_id, score, reason)], best first
SuggestFn = Callable[[Segment], Sequence[tuple[str, float, str]]]
# (segment, code_id, accepted) -> None; lets a learning model update at once
LearnFn = Callable[[Segment, str, bool], None]


class SegmentQueue(SequenceABC):
    """The segments a session's filters select: their ids in order, each loaded when shown.

    A study of 2,000 interviews has over a million sentences; holding them
    all as objects would cost gigabytes and seconds per filter change.
    """

    def __init__(self, project: Project, ids: list[int]):
        self._project = project
        self.ids = ids
        # The segment shown is asked for by every part of the view: read it once (on a server
        # each read is a round trip). Segments never change; re-segmenting gives new ids.
        self._last: tuple[int, Segment] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._project.documents.segment(x) for x in self.ids[i]]
        wanted = self.ids[i]
        if self._last is None or self._last[0] != wanted:
            self._last = (wanted, self._project.documents.segment(wanted))
        return self._last[1]


# How much a coder sees around a segment: the speaker's own sentences either side, and the
# end of the interviewer's question (long questions are cut from the front: the end is what was asked).
CONTEXT_SENTENCES = 2
CONTEXT_CHARS = 1500
QUESTION_CHARS = 220


@dataclass(frozen=True)
class Context:
    question: str = ""  # "I: …the end of the question"
    before: str = ""  # the speaker's sentences before the segment (same turn)
    after: str = ""  # the sentences after it, or the start of the next turn


@dataclass(frozen=True)
class Filters:
    document_id: int | None = None
    code_id: str | None = None
    uncoded_only: bool = False
    min_score: float = 0.0
    include_interviewer: bool = False


@dataclass(frozen=True)
class Action:
    """One undoable step: which coding changed and from what status."""

    kind: str  # "accept", "reject", "add"
    coding_id: int
    previous_status: str | None


@dataclass
class CodingSession:
    project: Project
    coder: str
    unit: str = "sentence"
    suggest: SuggestFn | None = None
    learn: LearnFn | None = None
    filters: Filters = field(default_factory=Filters)
    # Suggestions below this score are noise to a coder; not shown or stored.
    min_suggestion_score: float = 0.15
    position: int = 0
    history: list[Action] = field(default_factory=list)
    # The codings on the segment shown, read once per view of it (see _shown_codings).
    _shown: tuple | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.refresh()

    # -- the queue ------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the segments the filters select (in SQL: fast at any corpus size)."""
        f = self.filters
        codings = self.project.codings
        ids = self.project.documents.segment_ids(f.document_id, self.unit, include_interviewer=f.include_interviewer)
        # Blind by construction: only this coder's codings and the suggestions made for them.
        mine = {"unit": self.unit, "document_id": f.document_id, "coder": self.coder}
        if f.code_id is not None:
            keep = codings.overlapped_segments(**mine, code_id=f.code_id)
            ids = [i for i in ids if i in keep]
        coded = codings.overlapped_segments(**mine, status="accepted")
        if f.uncoded_only:
            ids = [i for i in ids if i not in coded]
        if f.min_score > 0:
            keep = codings.overlapped_segments(**mine, status="suggested", min_score=f.min_score)
            ids = [i for i in ids if i in keep]
        self._shown = None
        self.segments = SegmentQueue(self.project, ids)
        self._queued = np.sort(np.asarray(ids, dtype=np.int64))
        # Progress is kept up to date action by action (see _recount), not recounted per click.
        self._coded = {i for i in coded if self._in_queue(i)}
        self.position = min(self.position, max(0, len(ids) - 1))

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.position = 0
        self.refresh()

    @property
    def current(self) -> Segment | None:
        return self.segments[self.position] if self.segments else None

    def next(self) -> None:
        self.position = min(self.position + 1, max(0, len(self.segments) - 1))

    def previous(self) -> None:
        self.position = max(self.position - 1, 0)

    def go_to(self, segment_id: int) -> None:
        try:
            self.position = self.segments.ids.index(segment_id)
        except ValueError:
            raise KeyError(segment_id) from None

    # -- what the view shows --------------------------------------------------
    def context(self) -> tuple[str, str]:
        """What a coder reads around the segment, as two texts: before it and after it (see :meth:`context_parts`)."""
        parts = self.context_parts()
        before = " ".join(p for p in (parts.question, parts.before) if p)
        return before, parts.after

    def context_parts(self) -> "Context":
        """The end of the turn before the segment's (the interviewer's question), and the speaker's own
        sentences around the segment (up to ``CONTEXT_SENTENCES`` each side, same turn)."""
        seg = self.current
        if seg is None:
            return Context()
        doc = self.project.documents
        near = doc.segments_overlapping(seg.document_id, max(0, seg.start - CONTEXT_CHARS), seg.end + CONTEXT_CHARS, seg.unit)
        same = [s for s in near if s.turn_index == seg.turn_index]
        before = " ".join([s.text for s in same if s.end <= seg.start][-CONTEXT_SENTENCES:])
        after = " ".join([s.text for s in same if s.start >= seg.end][:CONTEXT_SENTENCES])
        question = ""
        turns = {t.index: t for t in doc.turns(seg.document_id) if abs(t.index - seg.turn_index) <= 1}
        asked = turns.get(seg.turn_index - 1)
        # What was said just before the turn: in an interview, the end of the interviewer's question
        # (in a group interview it may be another participant, and the coder needs it as much).
        if asked is not None and asked.speaker != seg.speaker:
            text = doc.slicer()(seg.document_id, max(asked.start, asked.end - QUESTION_CHARS), asked.end)
            cut = "…" if asked.end - asked.start > QUESTION_CHARS else ""
            question = f"{display_speaker(asked.speaker)}: {cut}{text.lstrip()}"
        if not after:
            follow = turns.get(seg.turn_index + 1)
            if follow is not None:
                text = doc.slicer()(seg.document_id, follow.start, min(follow.end, follow.start + QUESTION_CHARS))
                after = f"{display_speaker(follow.speaker)}: {text}{'…' if follow.end - follow.start > QUESTION_CHARS else ''}"
        return Context(question, before, after)

    def turn_text(self) -> str:
        seg = self.current
        if seg is None:
            return ""
        return self.project.documents.turns_with_text(seg.document_id, (seg.turn_index,))[seg.turn_index][1]

    def suggestions(self) -> list[Coding]:
        """Open suggestions for the current segment; generated and stored on first view."""
        seg = self.current
        if seg is None:
            return []
        stored = self._codings(seg)
        if self.suggest is not None and not any(c.source == "machine" for c in stored):
            from qualcode.store.codings import NewCoding

            new = [
                NewCoding(seg.document_id, seg.start, seg.end, code, self.coder, "suggested", "machine", score, reason)
                for code, score, reason in self.suggest(seg)
                if score >= max(self.filters.min_score, self.min_suggestion_score)
            ]
            if new:
                self.project.codings.add_many(new)
                self._shown = None
            stored = self._codings(seg)
        return [c for c in stored if c.status == "suggested"]

    def applied(self) -> list[Coding]:
        seg = self.current
        return [] if seg is None else self._accepted(seg)

    def others(self) -> list[Coding]:
        """Other coders' accepted codings on the current segment (none in blind mode: the
        project's, or on a server the database's row-level security)."""
        seg = self.current
        if seg is None:
            return []
        return [c for c in self._shown_codings(seg) if c.status == "accepted" and c.coder != self.coder]

    def reload(self) -> None:
        """Recompute the queue after others' changes, staying on the segment shown."""
        shown = self.current.id if self.current is not None else None
        self.refresh()
        if shown is not None and shown in self.segments.ids:
            self.go_to(shown)

    def progress(self) -> tuple[int, int]:
        """(segments with an accepted coding by this coder, segments in the queue)."""
        return len(self._coded), len(self.segments)

    # -- actions ----------------------------------------------------------------
    def accept(self, coding_id: int) -> None:
        self._decide(coding_id, "accepted", "accept")

    def reject(self, coding_id: int) -> None:
        self._decide(coding_id, "rejected", "reject")

    def add_code(self, code_id: str) -> int:
        seg = self._require_segment()
        cid = self.project.codings.add(seg.document_id, seg.start, seg.end, code_id, self.coder)
        self.history.append(Action("add", cid, None))
        self._recount(seg.document_id, seg.start, seg.end)
        if self.learn is not None:
            self.learn(seg, code_id, True)
        return cid

    def add_memo(self, text: str) -> int | None:
        seg = self._require_segment()
        if not text.strip():
            return None
        return self.project.memos.add(self.coder, text.strip(), document_id=seg.document_id, start=seg.start, end=seg.end)

    def undo(self) -> Action | None:
        """Revert the last action (the coding's history keeps both steps)."""
        if not self.history:
            return None
        action = self.history.pop()
        if action.kind == "add":
            # Withdrawn, not deleted: the event log still shows it was added.
            self.project.codings.set_status_bulk([action.coding_id], "superseded", self.coder, "undo")
        else:
            self.project.codings.decide(action.coding_id, action.previous_status or "suggested", self.coder)
        coding = self.project.codings.get(action.coding_id)
        self._recount(coding.document_id, coding.start, coding.end)
        return action

    # -- internals ----------------------------------------------------------------
    def _decide(self, coding_id: int, status: str, kind: str) -> None:
        coding = self.project.codings.get(coding_id)
        self.project.codings.decide(coding_id, status, self.coder, shown_score=coding.score)
        self.history.append(Action(kind, coding_id, coding.status))
        self._recount(coding.document_id, coding.start, coding.end)
        if self.learn is not None:
            seg = self._require_segment()
            self.learn(seg, coding.code_id, status == "accepted")

    def _in_queue(self, segment_id: int) -> bool:
        i = int(np.searchsorted(self._queued, segment_id))
        return i < len(self._queued) and int(self._queued[i]) == segment_id

    def _recount(self, document_id: int, start: int, end: int) -> None:
        """After a change to one coding (on this span), update the progress of the segments it spans."""
        self._shown = None  # what the view shows changed
        for seg in self.project.documents.segments_overlapping(document_id, start, end, self.unit):
            if not self._in_queue(seg.id):
                continue
            if self._accepted(seg):
                self._coded.add(seg.id)
            else:
                self._coded.discard(seg.id)

    def _require_segment(self) -> Segment:
        if self.current is None:
            raise LookupError(_("no segment selected (the filters select nothing)"))
        return self.current

    def _shown_codings(self, seg: Segment) -> list[Coding]:
        """Every visible coding on the segment (best score first), read once while nothing changes.

        Suggestions, codes applied and other coders' codings are all cut from
        it; an action, a new queue or a refresh reads it again.
        """
        if self._shown is None or self._shown[0] != seg.id:
            self._shown = (seg.id, self.project.codings.overlapping(seg.document_id, seg.start, seg.end))
        return self._shown[1]

    def _codings(self, seg: Segment) -> list[Coding]:
        # Blind by construction: only this coder's codings and the suggestions made for them.
        return [c for c in self._shown_codings(seg) if c.coder == self.coder]

    def _accepted(self, seg: Segment) -> list[Coding]:
        return [c for c in self._codings(seg) if c.status == "accepted"]
