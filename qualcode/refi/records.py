"""What :func:`qualcode.refi.reader.read_qdpx` returns: plain records, positions already in normalised text.

GUIDs are kept exactly as the file spells them (MAXQDA writes upper case,
ATLAS.ti sometimes braces), so an export gives them back unchanged; they
are compared through :func:`canonical`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from qualcode.codebook.model import Codebook


def canonical(guid: str | None) -> str:
    """GUIDs compared as REFI allows them written: with or without braces, any case."""
    return (guid or "").strip().strip("{}").lower()


@dataclass(frozen=True)
class RefiUser:
    guid: str
    name: str
    short_id: str | None = None


@dataclass(frozen=True)
class RefiSelection:
    """One Coding of a span: code (by GUID), coder name, when; positions in the normalised text."""

    start: int
    end: int
    code_guid: str
    coder: str
    created_at: str | None
    guid: str | None = None  # the Coding element's GUID
    selection_guid: str | None = None  # the PlainTextSelection (or TranscriptSelection) it sits in


@dataclass(frozen=True)
class RefiSource:
    """A text qualcode can hold: a TextSource, a PDF's text, or a media source's Transcript."""

    guid: str
    name: str
    text: str
    selections: tuple[RefiSelection, ...] = ()
    variables: Mapping[str, str] = field(default_factory=dict)
    kind: str = "text"  # text | pdf | transcript
    created_at: str | None = None
    created_by: str | None = None  # user name
    sync_points: tuple[tuple[int, int], ...] = ()  # (position in text, milliseconds), transcripts only
    aliases: tuple[str, ...] = ()  # other GUIDs that name this text (a PDF's Representation)


@dataclass(frozen=True)
class NoteTarget:
    """What a note is about; all ``None``: the project."""

    source_guid: str | None = None
    start: int | None = None
    end: int | None = None
    code_guid: str | None = None
    coding_guid: str | None = None


@dataclass(frozen=True)
class RefiNote:
    """A Note (``kind='note'``), or the Description of a source, selection or project (``'description'``)."""

    guid: str | None
    title: str | None
    text: str
    author: str | None
    created_at: str | None
    targets: tuple[NoteTarget, ...] = (NoteTarget(),)
    description: str | None = None
    kind: str = "note"
    links: int = 0  # Links that gave this note a target (ATLAS.ti memos, NVivo annotations)


@dataclass(frozen=True)
class RefiVariable:
    guid: str
    name: str
    type: str = "Text"
    description: str = ""


@dataclass(frozen=True)
class RefiCase:
    guid: str
    name: str
    description: str
    values: Mapping[str, str]
    source_guids: tuple[str, ...]


@dataclass(frozen=True)
class RefiSet:
    guid: str
    name: str
    description: str
    code_guids: tuple[str, ...] = ()
    source_guids: tuple[str, ...] = ()
    note_guids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dropped:
    """``count`` things of one kind the data model cannot hold, and why (in the user's language)."""

    kind: str
    count: int
    reason: str


@dataclass(frozen=True)
class RefiProject:
    name: str
    origin: str
    users: Mapping[str, str]  # canonical user GUID -> user name
    user_records: tuple[RefiUser, ...]
    codebook: Codebook | None
    code_ids: Mapping[str, str]  # canonical code GUID -> qualcode code id
    code_guids: Mapping[str, str]  # qualcode code id -> GUID as written (the first code holding it)
    uncodable: frozenset[str]  # ids of codes with isCodable="false"
    sources: tuple[RefiSource, ...]
    variables: tuple[RefiVariable, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    sets: tuple[RefiSet, ...] = ()
    notes: tuple[RefiNote, ...] = ()
    description: str | None = None  # the project's own Description
    found: Mapping[str, int] = field(default_factory=dict)  # kind -> how many the file holds
    dropped: tuple[Dropped, ...] = ()
    warnings: tuple[str, ...] = ()
