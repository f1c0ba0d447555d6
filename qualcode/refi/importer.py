"""Store a REFI-QDA project read by :func:`qualcode.refi.reader.read_qdpx` in a qualcode project.

Like merging, everything is matched, never duplicated: codes by id (the id
written in a qualcode export's descriptions, else one made from the name),
sources by content hash, codings by span, code, coder and source. The whole
import is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.models import Transcript
from qualcode.project import Project
from qualcode.readers.speakers import find_turns
from qualcode.refi.reader import RefiProject, read_qdpx
from qualcode.roles import assign_roles
from qualcode.store.db import utc_now
from qualcode.store.team import CopiedCoding, TeamStore
from qualcode.team.merge import CodeConflict, unite_codebook
from qualcode.text import content_hash


@dataclass(frozen=True)
class RefiImportReport:
    origin: str
    users: tuple[str, ...]
    codes_read: int
    codes_added: tuple[str, ...]
    conflicts: tuple[CodeConflict, ...]
    sources_read: int
    documents_added: tuple[str, ...]
    documents_matched: tuple[str, ...]
    codings_added: int
    codings_already_present: int
    warnings: tuple[str, ...]


def import_qdpx(project: Project, path: str | Path, actor: str) -> RefiImportReport:
    """Import a .qdpx (or .qde) file; see :func:`store_refi_project`."""
    return store_refi_project(project, read_qdpx(path), actor, origin=Path(path).name)


def store_refi_project(project: Project, refi: RefiProject, actor: str, *, origin: str) -> RefiImportReport:
    warnings = list(refi.warnings)
    team = TeamStore(project.db)
    added_docs, matched_docs = [], []
    codes_added, conflicts = [], []
    copied: list[CopiedCoding] = []
    present = 0
    seen: set[tuple] = set()
    with project.db.transaction():
        if refi.codebook is not None:
            codes_added, conflicts = unite_codebook(project, refi.codebook, actor, origin)
        for source in refi.sources:
            if not source.text.strip():
                warnings.append(f"{origin}: source '{source.name}' has no text; not imported")
                continue
            existing = project.documents.by_hash(content_hash(source.text))
            if existing is not None:
                doc_id = existing.id
                matched_docs.append(existing.name)
            else:
                doc_id = _store_source(project, source, origin)
                added_docs.append(project.documents.get(doc_id).name)
            for sel in source.selections:
                code_id = refi.code_ids.get(sel.code_guid)
                if code_id is None:
                    warnings.append(
                        f"{origin}: source '{source.name}': a coding points at code {sel.code_guid or '(none)'},"
                        " which is not in the codebook; skipped"
                    )
                    continue
                key = (doc_id, sel.start, sel.end, code_id, sel.coder)
                if key in seen or team.coding_exists(*key, "human"):
                    present += 1
                    continue
                seen.add(key)
                copied.append(CopiedCoding(doc_id, sel.start, sel.end, code_id, sel.coder, "accepted", "human",
                                           sel.created_at or utc_now(), origin=origin))
        team.copy_codings(copied, "refi_import", actor)
    return RefiImportReport(
        origin=origin,
        users=tuple(sorted(set(refi.users.values()))),
        codes_read=len(refi.codebook.codes) if refi.codebook else 0,
        codes_added=tuple(codes_added),
        conflicts=tuple(conflicts),
        sources_read=len(refi.sources),
        documents_added=tuple(added_docs),
        documents_matched=tuple(matched_docs),
        codings_added=len(copied),
        codings_already_present=present,
        warnings=tuple(warnings),
    )


def _store_source(project: Project, source, origin: str) -> int:
    from qualcode.importer import store_transcript

    name = source.name
    n = 2
    while project.documents.by_name(name) is not None:
        name = f"{source.name} ({n})"  # same name, other text: keep both
        n += 1
    # The text is the canonical text: find speaker turns in it without changing a character.
    turns, _ = find_turns(source.text)
    turns, metadata, _warnings = assign_roles(turns, source.text, (), source.variables)
    transcript = Transcript(name=name, source_path=f"{origin}#{source.name}", format="refi", text=source.text,
                            turns=tuple(turns), metadata=metadata)
    return store_transcript(project, transcript).document_id
