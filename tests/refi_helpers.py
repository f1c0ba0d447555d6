"""What a REFI-QDA round trip must keep, as plain data, and the project.qde compared byte for byte."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from qualcode.store.refi import RefiStore

DATA = Path(__file__).resolve().parent / "data" / "refi"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PEERS = SHARED / "peers"
NS = {"q": "urn:QDA-XML:project:1.0"}


def snapshot(project) -> dict:
    """Sources, codes (with GUIDs), codings (with GUIDs), memos, sets, variables, cases and users, by content."""
    store = RefiStore(project.db)
    docs = {d.id: d for d in project.documents.all()}
    hashes = {i: d.content_hash for i, d in docs.items()}
    guids = store.code_guids()
    coding_guids = store.coding_guids()
    codings = {c.id: c for c in project.codings.query()}

    def coding_key(c):
        return (hashes[c.document_id], c.start, c.end, c.code_id, c.coder)

    memos = []
    for m in store.memos():
        target = (hashes.get(m.document_id), m.start, m.end, m.code_id,
                  coding_key(codings[m.coding_id]) if m.coding_id else None)
        memos.append((m.kind, m.guid, m.title, m.description, m.text, m.author, _utc(m.created_at), target))
    return {
        "sources": sorted((d.content_hash, d.name, tuple(sorted(d.metadata.items()))) for d in docs.values()),
        "document_guids": sorted((hashes[i], g) for i, (g, _a, _b) in store.document_sources().items()),
        "codes": [(c.id, c.name, c.parent_id, c.color, c.definition, guids.get(c.id))
                  for c in project.codebook.current(include_retired=True).codes],
        "uncodable": sorted(store.uncodable()),
        "codings": sorted(coding_key(c) + (_utc(c.created_at), *coding_guids.get(c.id, (None, None)), c.status)
                          for c in codings.values()),
        "description": store.project_description(),
        "memos": sorted(memos, key=repr),
        "sets": [(s.guid, s.name, s.description, s.code_ids, tuple(hashes[d] for d in s.document_ids), s.memo_guids)
                 for s in store.sets()],
        "variables": [(v.name, v.guid, v.type, v.description) for v in store.variables()],
        "cases": [(c.guid, c.name, c.description, tuple(sorted(c.values.items())), tuple(hashes[d] for d in c.document_ids))
                  for c in store.cases()],
        "users": sorted(store.coder_guids().items()),
    }


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def without_creation_time(qde: bytes) -> bytes:
    """The project.qde with the Project element's creationDateTime (the export's own time) taken out."""
    out, n = re.subn(rb'(<Project [^>]*?)creationDateTime="[^"]*"', rb"\1", qde, count=1)
    assert n == 1
    return out


def _utc(stamp: str) -> str:
    """qualcode writes UTC as "+00:00", REFI files as "Z": the same time."""
    return stamp.replace("+00:00", "Z")
