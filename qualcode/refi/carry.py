"""Carry what REFI-QDA exchange keeps (migration 7) from one project into another, as a merge does.

A merge copies documents, codes and codings; without this, a project merged
from two REFI imports lost every GUID they came with, so exporting the merged
project gave NVivo or MAXQDA new GUIDs and duplicated their codebook. Here,
after the merge, the source's GUIDs go to the same objects in the target,
matched by content as the merge matches them (documents by content hash,
codings by document, span, code, coder and source) and only where the target
has none yet (the target's own GUIDs win; a GUID already held by another
object is never given twice). Variables, cases, sets, memos (with their
targets) and the project description come along the same way: a case, set or
memo whose GUID the target knows is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.project import Project
from qualcode.store.refi import NewMemo, RefiStore


@dataclass(frozen=True)
class Carried:
    """How many of each thing went from the source to the target."""

    code_guids: int = 0
    document_guids: int = 0
    coding_guids: int = 0
    users: int = 0
    variables: int = 0
    cases: int = 0
    sets: int = 0
    memos: int = 0


def carry_refi(target: Project, source: Project) -> Carried:
    """Give ``target`` the REFI fields of ``source`` for what the two share (call after merging ``source``)."""
    theirs, mine = RefiStore(source.db), RefiStore(target.db)
    doc_map = _documents(source, target)
    coding_map = _codings(source, target, doc_map)
    known_codes = set(target.codebook.current(include_retired=True).ids())
    uncodable = theirs.uncodable()
    codes = sum(mine.keep_code_guid(code_id, guid, code_id not in uncodable)
                for code_id, guid in theirs.code_guids().items() if code_id in known_codes)
    before = {d for d, (g, _a, _b) in mine.document_sources().items() if g}
    for doc_id, (guid, created_at, created_by) in theirs.document_sources().items():
        if guid and doc_id in doc_map:
            mine.keep_document_source(doc_map[doc_id], guid, created_at, created_by)
    documents = len({d for d, (g, _a, _b) in mine.document_sources().items() if g} - before)
    had = set(mine.coder_guids())
    for coder, (guid, short_id) in theirs.coder_guids().items():
        mine.keep_coder_guid(coder, guid, short_id)
    users = len(set(mine.coder_guids()) - had)
    pairs = [(coding_map[c], guid, selection) for c, (guid, selection) in theirs.coding_guids().items() if c in coding_map]
    without = set(coding_map.values()) - set(mine.coding_guids())
    mine.keep_coding_guids(pairs)
    codings = len(without & set(mine.coding_guids()))
    variables = sum(mine.add_variable(v.name, v.guid, v.type, v.description) for v in theirs.variables())
    cases = sum(mine.add_case(c.guid, c.name, c.description, dict(c.values),
                              [doc_map[d] for d in c.document_ids if d in doc_map]) for c in theirs.cases())
    sets = sum(mine.add_set(s.guid, s.name, s.description, [c for c in s.code_ids if c in known_codes],
                            [doc_map[d] for d in s.document_ids if d in doc_map], s.memo_guids) for s in theirs.sets())
    memos, _present = mine.add_memos(_memo(m, doc_map, coding_map, known_codes) for m in theirs.memos())
    description = theirs.project_description()
    if description:
        mine.keep_project_description(description)
    return Carried(codes, documents, codings, users, variables, cases, sets, memos)


def _documents(source: Project, target: Project) -> dict[int, int]:
    ours = {h.content_hash: h.id for h in target.documents.headers()}
    return {h.id: ours[h.content_hash] for h in source.documents.headers() if h.content_hash in ours}


def _codings(source: Project, target: Project, doc_map: dict[int, int]) -> dict[int, int]:
    ours = {}
    for c in target.codings.query():
        ours.setdefault((c.document_id, c.start, c.end, c.code_id, c.coder, c.source), c.id)
    out = {}
    for c in source.codings.query():
        key = (doc_map.get(c.document_id), c.start, c.end, c.code_id, c.coder, c.source)
        if key in ours:
            out[c.id] = ours[key]
    return out


def _memo(m, doc_map: dict[int, int], coding_map: dict[int, int], known_codes: set[str]) -> NewMemo:
    # a memo whose document, coding or code did not come along stays, on the project
    doc_id = doc_map.get(m.document_id) if m.document_id is not None else None
    coding_id = coding_map.get(m.coding_id) if m.coding_id is not None else None
    code_id = m.code_id if m.code_id in known_codes else None
    start, end = (m.start, m.end) if doc_id is not None else (None, None)
    return NewMemo(m.author, m.text, m.created_at, doc_id, start, end, code_id, coding_id, m.guid, m.title,
                   m.description, m.kind)


__all__ = ["Carried", "carry_refi"]
