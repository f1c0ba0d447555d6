"""Records that cross module boundaries.

All are frozen dataclasses. Offsets (``start``/``end``) are character offsets
into the owning document's normalised text (see :mod:`qualcode.text`), with
``end`` exclusive, so ``text[start:end]`` is the exact span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, NamedTuple

# Roles as Danish reports print them in parentheses after a quote.
ROLES = ("direktør", "chef", "leder", "medarbejder", "frivillig", "borger")
INTERVIEWER_ROLE = "interviewer"

CODING_STATUSES = ("suggested", "accepted", "rejected", "needs_review", "superseded")
CODING_SOURCES = ("human", "machine", "consensus", "autocode")
# Sources whose codings a program proposed (the suggestion engine, or a search run by autocode).
PROPOSED_SOURCES = ("machine", "autocode")
SEGMENT_UNITS = ("sentence", "turn")
# The speaker of a turn whose source names nobody. Stored as such (an empty label), never as a
# word in some language: the label users see ("Ukendt", "Unknown") is rendered at display time
# (:func:`qualcode.roles.display_speaker`).
UNKNOWN_SPEAKER = ""


@dataclass(frozen=True)
class Turn:
    """One speaker turn: the spoken text of one speaker until the next speaker.

    ``start``/``end`` delimit the spoken text only; the speaker label (if the
    source has one in the text) lies before ``start``. ``speaker`` is
    :data:`UNKNOWN_SPEAKER` when the source names nobody. ``start_time`` and
    ``end_time`` are seconds into the recording, where the format gives them.
    """

    index: int
    speaker: str
    start: int
    end: int
    start_time: float | None = None
    is_interviewer: bool = False
    role: str | None = None
    participant_id: str | None = None
    end_time: float | None = None


@dataclass(frozen=True)
class ReadingNotes:
    """What a reader recognised in a file and where it guessed, for the per-file import summary.

    Counts and labels only; the words are chosen when the summary is shown,
    in the user's language.
    """

    layout: str = ""  # one of qualcode.readers.layout.LAYOUTS
    attached: int = 0  # cues or rows without a speaker added to the previous speaker's turn
    unsure: tuple[str, ...] = ()  # labels taken as speakers on thin evidence (seen once)
    recurring: tuple[str, ...] = ()  # labels taken as speakers only because they recur
    rejected: tuple[tuple[str, int], ...] = ()  # label-like line starts not taken as speakers, with counts
    time_marks: int = 0  # time marks kept out of the spoken text
    outside: int = 0  # visible characters in no turn: a title, a tool's header or footer


@dataclass(frozen=True)
class Transcript:
    """What a reader returns: normalised text, its turns and the metadata found in the file."""

    name: str
    source_path: str
    format: str
    text: str
    turns: tuple[Turn, ...]
    metadata: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    encoding: str = "utf-8"
    notes: ReadingNotes = field(default_factory=ReadingNotes)


@dataclass(frozen=True)
class Segment:
    """A unit of coding: a sentence or a whole turn, with its lemmas."""

    document_id: int
    turn_index: int
    unit: str
    index: int
    start: int
    end: int
    text: str
    speaker: str
    role: str | None
    is_interviewer: bool
    lemmas: tuple[str, ...] = ()
    id: int | None = None


class SegmentRow(NamedTuple):
    """A segment on its way from segmentation into the store, before it has ids.

    A study of 2,000 interviews makes millions of these; a named tuple is as
    immutable as a frozen dataclass and about ten times cheaper to build.
    ``lemmas`` is the space-joined lemma string the store keeps.
    """

    turn_index: int
    unit: str
    index: int
    start: int
    end: int
    text: str
    speaker: str
    role: str | None
    is_interviewer: bool
    lemmas: str

    def to_segment(self, document_id: int) -> "Segment":
        return Segment(
            document_id=document_id, turn_index=self.turn_index, unit=self.unit, index=self.index,
            start=self.start, end=self.end, text=self.text, speaker=self.speaker, role=self.role,
            is_interviewer=self.is_interviewer, lemmas=tuple(self.lemmas.split()),
        )


@dataclass(frozen=True)
class Document:
    """A transcript as stored in a project."""

    id: int
    name: str
    text: str
    content_hash: str
    format: str
    source_path: str
    imported_at: str
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentHeader:
    """A stored document without its text: what listings and attributions need."""

    id: int
    name: str
    content_hash: str
    format: str
    source_path: str
    imported_at: str
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Coding:
    """A code applied to a character span of a document, by a coder, with a status."""

    id: int
    document_id: int
    start: int
    end: int
    code_id: str
    coder: str
    status: str
    source: str
    score: float | None
    created_at: str
    decided_by: str | None = None
    decided_at: str | None = None
    shown_score: float | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Memo:
    """A researcher's note on a document, a span, a code or the project."""

    id: int
    author: str
    text: str
    created_at: str
    document_id: int | None = None
    start: int | None = None
    end: int | None = None
    code_id: str | None = None
    coding_id: int | None = None


@dataclass(frozen=True)
class AutocodeRun:
    """One autocode command: the search, how its hits became codings, and whether it was undone."""

    id: int
    pattern: str
    mode: str  # "lemma" or "regex"
    unit: str  # "sentence", "turn" or "hit"
    code_id: str
    coder: str
    status: str  # what the codings were given: "suggested" or "accepted"
    created_at: str
    codings: int = 0
    filters: Mapping[str, str] = field(default_factory=dict)
    undone_by: str | None = None
    undone_at: str | None = None


@dataclass(frozen=True)
class MediaLink:
    """A document's recording: a path on the user's machine (never copied into the project)."""

    document_id: int
    path: str
    kind: str  # "audio" or "video"
    linked_by: str
    linked_at: str
