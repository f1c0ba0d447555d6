"""Merge projects coded by different people on the same interviews.

Documents are matched by content hash (the SHA-256 of the normalised text),
so an interview present in both projects is stored once and every coder's
codings land on the same text. Codebooks are united by code id; where two
projects give one id different names, parents or definitions, the target's
version is kept and the difference is reported, never silently resolved.
Codings keep their coder, status, source and decision fields.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from qualcode.codebook.model import Codebook, ordered_depth_first
from qualcode.models import Transcript
from qualcode.project import Project
from qualcode.store.files import building, discard, publish
from qualcode.store.team import CopiedCoding, TeamStore

_COMPARED = ("name", "parent_id", "definition", "include", "exclude", "examples", "keywords", "color")


@dataclass(frozen=True)
class CodeConflict:
    """One code id that two projects define differently; ``kept`` is what the merged project has."""

    code_id: str
    field: str
    kept: object
    other: object
    origin: str


@dataclass(frozen=True)
class MergeReport:
    origin: str
    documents_added: tuple[str, ...] = ()
    documents_matched: tuple[str, ...] = ()
    documents_renamed: tuple[tuple[str, str], ...] = ()
    codes_added: tuple[str, ...] = ()
    conflicts: tuple[CodeConflict, ...] = ()
    codings_copied: int = 0
    codings_already_present: int = 0
    coders: tuple[str, ...] = ()
    ratings_copied: int = 0


def merge_into(target: Project, source: Project, actor: str, *, origin: str | None = None) -> MergeReport:
    """Copy ``source``'s documents, codes and codings into ``target`` in one transaction."""
    origin = origin or (source.path.stem if source.path else "kilde")
    team = TeamStore(target.db)
    histories = TeamStore(source.db).histories()
    with target.db.transaction():
        codes_added, conflicts = _unite_codebooks(target, source, actor, origin)
        doc_map, added, matched, renamed = _copy_documents(target, source, origin)
        copied, copied_from, present = [], [], 0
        same: dict[int, int] = {}  # source coding id -> the target's id of the same coding
        for c in source.codings.query():
            doc_id = doc_map[c.document_id]
            existing = team.find_coding(doc_id, c.start, c.end, c.code_id, c.coder, c.source)
            if existing is not None:
                present += 1  # the same coding reached both projects (e.g. a shared pilot)
                same[c.id] = existing
                continue
            copied_from.append(c.id)
            copied.append(
                CopiedCoding(doc_id, c.start, c.end, c.code_id, c.coder, c.status, c.source, c.created_at,
                             c.score, c.reason, c.decided_by, c.decided_at, c.shown_score, origin,
                             histories.get(c.id, ()))
            )
        new_ids = team.copy_codings(copied, "merge", actor)
        # Quote ratings follow their codings (a report prefers the quotes coders rated highly).
        ratings_copied = target.ratings.copy(source.ratings.all_rows(), {**same, **dict(zip(copied_from, new_ids))})
        from qualcode.refi.carry import carry_refi  # here: qualcode.refi imports this module

        carry_refi(target, source)  # REFI GUIDs, variables, cases, sets and memos (migration 7)
    return MergeReport(
        origin, tuple(added), tuple(matched), tuple(renamed), tuple(codes_added), tuple(conflicts),
        len(copied), present, tuple(sorted({c.coder for c in copied})), ratings_copied,
    )


def merge_projects(paths: Sequence[str | Path], into: str | Path, actor: str) -> list[MergeReport]:
    """Merge project files into a new or existing project file ``into``, all or nothing.

    A new ``into`` is built in a temporary file beside it and appears, under its
    name, only when every source is merged: a bad source, an error or a killed
    process leaves no ``into`` at all (a re-run starts afresh). An existing
    ``into`` takes all sources in one transaction. Sources are only read.
    """
    into = Path(into)
    if into.exists():
        with Project.open(into, create=False) as target, target.db.transaction():
            return _merge_all(target, paths, actor)
    partial = building(into)
    try:
        with Project.open(partial) as target:
            reports = _merge_all(target, paths, actor)
        publish(partial, into)
    finally:
        discard(partial)
    return reports


def _merge_all(target: Project, paths: Sequence[str | Path], actor: str) -> list[MergeReport]:
    reports = []
    for path in paths:
        with Project.open(path, create=False, read_only=True) as source:
            reports.append(merge_into(target, source, actor, origin=Path(path).name))
    return reports


def _unite_codebooks(target: Project, source: Project, actor: str, origin: str) -> tuple[list[str], list[CodeConflict]]:
    theirs = source.codebook.current(include_retired=True)
    return unite_codebook(target, theirs, actor, origin, retired=set(source.codebook.retired_ids()))


def unite_codebook(
    target: Project, theirs: Codebook, actor: str, origin: str, *, retired: set[str] = frozenset()
) -> tuple[list[str], list[CodeConflict]]:
    """Add the codes of ``theirs`` that ``target`` lacks; report codes defined differently.

    Returns the ids added and the conflicts (the target's definition is kept).
    Codes in ``retired`` are added retired (they may still carry codings).
    """
    mine = target.codebook.current(include_retired=True).by_id()
    retired_there = set(retired)
    conflicts = [
        CodeConflict(code.id, field, getattr(mine[code.id], field), getattr(code, field), origin)
        for code in theirs
        if code.id in mine
        for field in _COMPARED
        if getattr(mine[code.id], field) != getattr(code, field)
    ]
    new_active = [c for c in theirs if c.id not in mine and c.id not in retired_there]
    if new_active:
        current = target.codebook.current()
        base = current if current.name else dataclasses.replace(
            current, name=theirs.name, version=theirs.version, language=theirs.language)
        union = Codebook(base.name, base.version, base.language, base.description,
                         ordered_depth_first(list(current.codes) + new_active))
        target.codebook.apply(union, actor, source=f"merge:{origin}")
    # Retired codes still carry codings; they come along, retired.
    for code in theirs:
        if code.id not in mine and code.id in retired_there:
            target.codebook.ensure_code(code.id, code.name, code.parent_id if code.parent_id in _known(target) else None, actor)
            target.codebook.retire(code.id, actor)
    return [c.id for c in theirs if c.id not in mine], conflicts


def _known(project: Project) -> set[str]:
    return set(project.codebook.code_ids(include_retired=True))


def _copy_documents(target: Project, source: Project, origin: str):
    doc_map: dict[int, int] = {}
    added, matched, renamed = [], [], []
    for doc in source.documents.all():
        existing = target.documents.by_hash(doc.content_hash)
        if existing is not None:
            doc_map[doc.id] = existing.id
            matched.append(doc.name)
            continue
        name = doc.name
        if target.documents.by_name(name) is not None:
            # Same name, other text: both versions are kept and told apart.
            stem, dot, suffix = name.rpartition(".")
            name = f"{stem} ({origin}).{suffix}" if dot else f"{name} ({origin})"
            renamed.append((doc.name, name))
        transcript = Transcript(
            name=name, source_path=doc.source_path, format=doc.format, text=doc.text,
            turns=tuple(source.documents.turns(doc.id)), metadata=dict(doc.metadata),
        )
        new_id = target.documents.add(transcript)
        segments = [s for unit in ("sentence", "turn") for s in source.documents.segments(doc.id, unit)]
        target.documents.replace_segments(new_id, segments)
        doc_map[doc.id] = new_id
        added.append(name)
    return doc_map, added, matched, renamed


__all__ = ["CodeConflict", "MergeReport", "merge_into", "merge_projects", "unite_codebook"]
