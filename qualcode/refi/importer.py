"""Store a REFI-QDA project read by :func:`qualcode.refi.reader.read_qdpx` in a qualcode project.

Like merging, everything is matched, never duplicated: codes by GUID (a
qualcode code's GUID is the one it came with, else the one made from its
id), then by id; sources by content hash; codings by span, code, coder and
source; notes, sets and cases by GUID. Every GUID that came in is kept, so
an export gives the other tool back its own objects. Cases are
participants: their variables become the document's metadata and, where
a case names a speaker, that speaker's role. The whole import is one
transaction, and :attr:`RefiImportReport.summary` says per kind what was
imported, what was already there and what was not imported, and why.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qualcode.codebook.model import Codebook
from qualcode.codebook.refi import code_guid
from qualcode.i18n import gettext as _
from qualcode.i18n import ngettext
from qualcode.metadata import Participant
from qualcode.models import Transcript, Turn
from qualcode.project import Project
from qualcode.readers.speakers import find_turns
from qualcode.refi.reader import RefiProject, read_qdpx
from qualcode.refi.records import Dropped, RefiCase, RefiSource, canonical
from qualcode.refi.summary import SummaryRow, format_summary, summary_rows
from qualcode.roles import assign_roles
from qualcode.store.db import utc_now
from qualcode.store.refi import NewMemo, RefiStore
from qualcode.store.team import CopiedCoding, TeamStore
from qualcode.team.merge import CodeConflict, unite_codebook
from qualcode.text import content_hash

SOURCE_KINDS = ("text", "pdf", "picture", "audio", "video")  # a transcript belongs to its audio or video source
_PARTICIPANT_FIELDS = ("role", "title", "municipality", "department", "date", "interviewer")


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
    summary: tuple[SummaryRow, ...] = ()

    def summary_table(self) -> str:
        """:attr:`summary` as the table the CLI prints (in the current language)."""
        return format_summary(self.summary)


def import_qdpx(project: Project, path: str | Path, actor: str) -> RefiImportReport:
    """Import a .qdpx file, a .qde file or an unzipped project folder; see :func:`store_refi_project`."""
    return store_refi_project(project, read_qdpx(path), actor, origin=Path(path).name)


def store_refi_project(project: Project, refi: RefiProject, actor: str, *, origin: str) -> RefiImportReport:
    run = _Import(project, refi, actor, origin)
    with project.db.transaction():
        run.users()
        run.codes()
        run.sources()
        run.variables()
        run.cases()
        run.sets()
        run.notes()
    return run.report()


class _Import:
    def __init__(self, project: Project, refi: RefiProject, actor: str, origin: str):
        self.project, self.refi, self.actor, self.origin = project, refi, actor, origin
        self.store = RefiStore(project.db)
        self.team = TeamStore(project.db)
        self.imported: Counter = Counter()
        self.matched: Counter = Counter()
        self.dropped: list[Dropped] = list(refi.dropped)
        self.warnings: list[str] = list(refi.warnings)
        self.code_ids: dict[str, str] = {}  # canonical GUID in the file -> project code id
        self.doc_ids: dict[str, int] = {}  # canonical source GUID (and aliases) -> document id
        self.coding_ids: dict[str, int] = {}  # canonical Coding GUID -> coding id
        self.codes_added: list[str] = []
        self.conflicts: list[CodeConflict] = []
        self.added_docs: list[str] = []
        self.matched_docs: list[str] = []
        self.codings_added = 0
        self.codings_present = 0

    # -- users ----------------------------------------------------------------------------
    def users(self) -> None:
        known = self.store.coder_guids()
        for user in self.refi.user_records:
            if user.name in known:
                self.matched["users"] += 1
            else:
                self.store.keep_coder_guid(user.name, user.guid, user.short_id)
                self.imported["users"] += 1

    # -- codes ------------------------------------------------------------------------------
    def codes(self) -> None:
        book = self.refi.codebook
        if book is None:
            return
        mine = self.project.codebook.current(include_retired=True)
        stored = self.store.code_guids()
        effective = {canonical(stored.get(c.id) or code_guid(c.id)): c.id for c in mine.codes}
        renamed: dict[str, str] = {}
        taken = set(mine.ids()) | set(book.ids())
        for code in book.codes:
            guid = self.refi.code_guids.get(code.id)
            target = effective.get(canonical(guid)) if guid else None
            if target is None and code.id in stored:
                # the project has this id for a code that came from a tool with another GUID: another code.
                # (A code made in qualcode has no stored GUID: one of the same id is the same code, as before.)
                target = _free_id(code.id, taken)
                taken.add(target)
            renamed[code.id] = target or code.id
        codes = tuple(dataclasses.replace(c, id=renamed[c.id], parent_id=renamed.get(c.parent_id, c.parent_id))
                      for c in book.codes)
        remapped = Codebook(book.name, book.version, book.language, book.description, codes)
        self.codes_added, self.conflicts = unite_codebook(self.project, remapped, self.actor, self.origin)
        self.imported["codes"] = len(self.codes_added)
        self.matched["codes"] = len(codes) - len(self.codes_added)
        for code in book.codes:
            # a code that came without a GUID of its own (a duplicate) gets the one its id gives
            guid = self.refi.code_guids.get(code.id) or code_guid(renamed[code.id])
            self.store.keep_code_guid(renamed[code.id], guid, code.id not in self.refi.uncodable)
        for key, old_id in self.refi.code_ids.items():
            self.code_ids[key] = renamed[old_id]

    # -- sources and codings -----------------------------------------------------------------
    def sources(self) -> None:
        cases_of: dict[str, list[RefiCase]] = {}
        for case in self.refi.cases:
            for guid in case.source_guids:
                cases_of.setdefault(canonical(guid), []).append(case)
        copied: list[CopiedCoding] = []
        guids: list[tuple[str | None, str | None]] = []
        existing_pairs: list[tuple[int, str | None, str | None]] = []
        seen: dict[tuple, int] = {}  # coding key -> the source it came from
        for index, source in enumerate(self.refi.sources):
            if not source.text.strip():
                self.warnings.append(_("{origin}: source '{name}' has no text; not imported").format(
                    origin=self.origin, name=source.name))
                self.dropped.append(Dropped(source.kind, 1, _("it has no text")))
                self.dropped.append(Dropped("codings", len(source.selections), _("on a source that was not imported")))
                continue
            existing = self.project.documents.by_hash(content_hash(source.text))
            if existing is not None:
                doc_id = existing.id
                self.matched_docs.append(existing.name)
                self.matched[source.kind] += 1
            else:
                cases = [c for guid in (source.guid, *source.aliases) for c in cases_of.get(canonical(guid), [])]
                doc_id = self._store_source(source, list({c.guid: c for c in cases}.values()))
                self.added_docs.append(self.project.documents.get(doc_id).name)
                self.imported[source.kind] += 1
            self.store.keep_document_source(doc_id, source.guid, source.created_at, source.created_by)
            for guid in (source.guid, *source.aliases):
                self.doc_ids.setdefault(canonical(guid), doc_id)
            for sel in source.selections:
                code_id = self.code_ids.get(sel.code_guid)
                if code_id is None:
                    self.warnings.append(_("{origin}: source '{name}': a coding points at code {guid}, which is not"
                                           " in the codebook; skipped").format(
                        origin=self.origin, name=source.name, guid=sel.code_guid or _("(none)")))
                    self.dropped.append(Dropped("codings", 1, _("its code is not in the codebook")))
                    continue
                key = (doc_id, sel.start, sel.end, code_id, sel.coder)
                if key in seen:
                    if seen[key] == index:  # twice in one source: nothing the project had before
                        self.dropped.append(Dropped("codings", 1, _("the same span, code and coder twice in the file")))
                    else:  # another source of the same text (a transcript that is also a text source)
                        self.codings_present += 1
                    continue
                seen[key] = index
                present = self.store.coding_id(*key)
                if present is not None:
                    self.codings_present += 1
                    existing_pairs.append((present, sel.guid, sel.selection_guid))
                    if sel.guid:
                        self.coding_ids[canonical(sel.guid)] = present
                    continue
                copied.append(CopiedCoding(doc_id, sel.start, sel.end, code_id, sel.coder, "accepted", "human",
                                           sel.created_at or _now(), origin=self.origin))
                guids.append((sel.guid, sel.selection_guid))
        ids = self.team.copy_codings(copied, "refi_import", self.actor)
        self.store.keep_coding_guids([(i, g, s) for i, (g, s) in zip(ids, guids)] + existing_pairs)
        for coding_id, (guid, _selection) in zip(ids, guids):
            if guid:
                self.coding_ids[canonical(guid)] = coding_id
        self.codings_added = len(ids)
        self.imported["codings"] = len(ids)
        self.matched["codings"] = self.codings_present

    def _store_source(self, source: RefiSource, cases: list[RefiCase]) -> int:
        from qualcode.importer import store_transcript

        name = source.name
        n = 2
        while self.project.documents.by_name(name) is not None:
            name = f"{source.name} ({n})"  # same name, other text: keep both
            n += 1
        # The text is the canonical text: find speaker turns in it without changing a character.
        turns, _warnings = find_turns(source.text)
        turns = _timed(turns, source.sync_points)
        participants = [_participant(case, name, len(cases) > 1) for case in cases]
        turns, metadata, _role_warnings = assign_roles(turns, source.text, participants, dict(source.variables))
        metadata.pop("speaker", None)
        transcript = Transcript(name=name, source_path=f"{self.origin}#{source.name}", format="refi",
                                text=source.text, turns=tuple(turns), metadata=metadata)
        return store_transcript(self.project, transcript).document_id

    # -- variables, cases, sets ----------------------------------------------------------------
    def variables(self) -> None:
        for v in self.refi.variables:
            if self.store.add_variable(v.name, v.guid, v.type, v.description):
                self.imported["variables"] += 1
            else:
                self.matched["variables"] += 1

    def cases(self) -> None:
        for case in self.refi.cases:
            docs = [self.doc_ids[canonical(g)] for g in case.source_guids if canonical(g) in self.doc_ids]
            if self.store.add_case(case.guid, case.name, case.description, dict(case.values), docs):
                self.imported["cases"] += 1
            else:
                self.matched["cases"] += 1

    def sets(self) -> None:
        notes = {canonical(n.guid): n.guid for n in self.refi.notes if n.guid}
        for s in self.refi.sets:
            codes = [self.code_ids[canonical(g)] for g in s.code_guids if canonical(g) in self.code_ids]
            docs = [self.doc_ids[canonical(g)] for g in s.source_guids if canonical(g) in self.doc_ids]
            memos = [notes[canonical(g)] for g in s.note_guids if canonical(g) in notes]
            lost = len(s.code_guids) + len(s.source_guids) + len(s.note_guids) - len(codes) - len(docs) - len(memos)
            if lost:
                self.warnings.append(ngettext("{origin}: set '{name}': {count} of its members was not imported",
                                              "{origin}: set '{name}': {count} of its members were not imported",
                                              lost).format(origin=self.origin, name=s.name, count=lost))
            if self.store.add_set(s.guid, s.name, s.description, codes, docs, memos):
                self.imported["sets"] += 1
            else:
                self.matched["sets"] += 1

    # -- notes ----------------------------------------------------------------------------------
    def notes(self) -> None:
        if self.refi.description:
            stored = self.store.project_description()
            if stored is None and self.store.keep_project_description(self.refi.description):
                self.imported["comments"] += 1
            elif stored == self.refi.description:
                self.matched["comments"] += 1
            else:
                self.dropped.append(Dropped("comments", 1, _("the project already has another description")))
        for note in self.refi.notes:
            memos = [self._memo(note, target) for target in note.targets]
            added, present = self.store.add_memos(memos)
            kind = "notes" if note.kind == "note" else "comments"
            self.imported[kind] += 1 if added else 0
            self.matched[kind] += 1 if not added and present else 0
            if note.links:  # the Links that said what the note is about came in with it
                (self.imported if added else self.matched)["links"] += note.links

    def _memo(self, note, target) -> NewMemo:
        doc_id = self.doc_ids.get(canonical(target.source_guid)) if target.source_guid else None
        code_id = self.code_ids.get(canonical(target.code_guid)) if target.code_guid else None
        coding_id = self.coding_ids.get(canonical(target.coding_guid)) if target.coding_guid else None
        if coding_id is not None:  # a note on a coding is about that coding (its span and code follow from it)
            doc_id = code_id = None
        start, end = (target.start, target.end) if doc_id is not None else (None, None)
        return NewMemo(note.author or self.actor, note.text, note.created_at or _now(), doc_id, start, end,
                       code_id, coding_id, note.guid, note.title, note.description, note.kind)

    # -- report ---------------------------------------------------------------------------------
    def report(self) -> RefiImportReport:
        refi = self.refi
        return RefiImportReport(
            origin=self.origin,
            users=tuple(sorted(set(refi.users.values()))),
            codes_read=len(refi.codebook.codes) if refi.codebook else 0,
            codes_added=tuple(self.codes_added),
            conflicts=tuple(self.conflicts),
            sources_read=sum(refi.found.get(k, 0) for k in SOURCE_KINDS),
            documents_added=tuple(self.added_docs),
            documents_matched=tuple(self.matched_docs),
            codings_added=self.codings_added,
            codings_already_present=self.codings_present,
            warnings=tuple(self.warnings),
            summary=summary_rows(refi.found, self.imported, self.matched, self.dropped),
        )


def _now() -> str:
    """Now, written as REFI files write times (a file without times gets the time of the import)."""
    return utc_now().replace("+00:00", "Z")


def _free_id(code_id: str, taken: set[str]) -> str:
    n = 2
    while f"{code_id}_{n}" in taken:
        n += 1
    return f"{code_id}_{n}"


def _participant(case: RefiCase, file: str, several: bool) -> Participant:
    values = dict(case.values)
    fields = {k: values.pop(k) for k in _PARTICIPANT_FIELDS if k in values}
    values.pop("participant_id", None)
    # With several cases on one source, a case is matched to the speaker it names.
    return Participant(file=file, participant_id=case.name, speaker=case.name if several else "", extra=values, **fields)


def _timed(turns: list[Turn], sync_points: tuple[tuple[int, int], ...]) -> list[Turn]:
    """Turns of a transcript get the time of the last sync point between the previous turn and their start."""
    if not sync_points:
        return turns
    out, previous_end, k = [], 0, 0
    for turn in turns:
        time = None
        while k < len(sync_points) and sync_points[k][0] <= turn.start:
            if sync_points[k][0] >= previous_end:
                time = sync_points[k][1] / 1000
            k += 1
        out.append(dataclasses.replace(turn, start_time=time) if time is not None else turn)
        previous_end = turn.end
    return out
