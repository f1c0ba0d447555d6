"""Export a project as a REFI-QDA project (.qdpx): project.qde plus sources/.

Each document's stored text (NFC, "\\n" line endings) is written as UTF-8 to
``sources/<guid>.txt`` and referenced as ``internal://<guid>.txt``, so the
positions in the .qde are exactly qualcode's offsets. Everything that came
from another tool goes back with the GUID it came with (codes, sources,
users, selections, codings, notes, sets, cases, variables); what qualcode
made itself gets a GUID derived from what it is, so exporting the same
project twice, or exporting a project imported from our own export, gives
the same file. Codings become PlainTextSelections (one per span and coder,
or the selection they came in) holding one Coding per code. Memos become
Notes with NoteRefs on their targets; a comment on a span becomes the
selection's Description. Cases are participants (NVivo's case per person).
qualcode's own code ids travel in a processing instruction before the root
element (:func:`qualcode.codebook.refi.add_qualcode_pi`), which other tools skip.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from qualcode.codebook.model import Codebook
from qualcode.codebook.refi import PROJECT_NS, add_qualcode_pi, code_guid, describe
from qualcode.models import Coding, Document
from qualcode.project import Project
from qualcode.refi.schema import qde_problems
from qualcode.refi.values import typed_value
from qualcode.store.db import utc_now
from qualcode.store.refi import RefiStore, StoredMemo

EXPORTED_STATUSES = ("accepted", "needs_review")
# Metadata exported as REFI variables when the project has no variable of that name:
# what reports split by. (The participant is the Case, not a variable.)
VARIABLES = ("role", "municipality", "department", "title", "date")
_NS = uuid.UUID("0b8f5a8e-8d4c-4a53-9c38-2b0a4f6c7d11")


def guid(kind: str, key: str) -> str:
    """Stable GUIDs: exporting the same project twice gives the same file."""
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    sources: int
    codes: int
    selections: int
    codings: int
    users: tuple[str, ...]
    notes: int = 0
    sets: int = 0
    cases: int = 0


@dataclass
class _Out:
    """What the element writers share: GUIDs of everything already decided."""

    q: object
    user_guids: dict[str, str]
    code_guids: dict[str, str]
    doc_guids: dict[int, str]
    variables: list[tuple[str, str, str]]  # (name, guid, type)
    note_guids: dict[int, str] = field(default_factory=dict)  # memo id -> Note GUID


def project_to_qde(
    project: Project, *, statuses: Sequence[str] = EXPORTED_STATUSES, name: str | None = None
) -> tuple[bytes, dict[str, str], ExportSummary]:
    """The .qde document, the source texts by file name, and counts."""
    from lxml import etree

    store = RefiStore(project.db)
    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"  # noqa: E731
    documents = project.documents.all()
    codings = list(project.codings.query(status=list(statuses)))
    codebook = _codebook_with_used(project, {c.code_id for c in codings})
    exported = {c.id for c in codings}
    memos = [m for m in store.memos() if m.coding_id is None or m.coding_id in exported]
    stored_codes = store.code_guids()
    sources = store.document_sources()
    users = _users(store, codings, memos)
    out = _Out(q, {u: g for u, (g, _s) in users.items()},
               {c.id: stored_codes.get(c.id) or code_guid(c.id) for c in codebook.codes},
               {d.id: sources.get(d.id, (None,))[0] or guid("source", d.content_hash) for d in documents},
               _variables(store, documents))
    for m in memos:
        out.note_guids[m.id] = m.guid or guid("note", f"{m.author}|{m.created_at}|{m.text}")

    root = etree.Element(q("Project"), nsmap={None: PROJECT_NS})
    root.set("name", name or (project.path.stem if project.path else "qualcode"))
    root.set("origin", "qualcode")
    root.set("creationDateTime", _datetime(utc_now()))
    add_qualcode_pi(root, {out.code_guids[c.id]: c.id for c in codebook.codes}, codebook.language)
    if users:
        users_el = etree.SubElement(root, q("Users"))
        for coder, (user_guid, short_id) in sorted(users.items()):
            user = etree.SubElement(users_el, q("User"), guid=user_guid, name=_xml(coder))
            if short_id:
                user.set("id", _xml(short_id))
    notes_on = _notes_by_target(memos)
    if codebook.codes:
        codes_el = etree.SubElement(etree.SubElement(root, q("CodeBook")), q("Codes"))
        _add_codes(codes_el, codebook, None, store.uncodable(), notes_on, out)
    if out.variables:
        variables_el = etree.SubElement(root, q("Variables"))
        stored = {v.name: v for v in store.variables()}
        for var, var_guid, type_ in out.variables:
            el = etree.SubElement(variables_el, q("Variable"), guid=var_guid, name=_xml(var), typeOfVariable=type_)
            if var in stored and stored[var].description:
                etree.SubElement(el, q("Description")).text = _xml(stored[var].description)
    cases = _cases(project, store, documents, out)
    if cases:
        cases_el = etree.SubElement(root, q("Cases"))
        for case_guid, case_name, description, values, doc_ids in cases:
            case = etree.SubElement(cases_el, q("Case"), guid=case_guid, name=_xml(case_name))
            if description:
                etree.SubElement(case, q("Description")).text = _xml(description)
            _add_values(case, values, out)
            for doc_id in doc_ids:
                etree.SubElement(case, q("SourceRef"), targetGUID=out.doc_guids[doc_id])
    files: dict[str, str] = {}
    n_selections = 0
    if documents:
        sources_el = etree.SubElement(root, q("Sources"))
        by_doc: dict[int, list[Coding]] = {}
        for c in codings:
            by_doc.setdefault(c.document_id, []).append(c)
        coding_guids = store.coding_guids()
        for doc in documents:
            source_guid = out.doc_guids[doc.id]
            files[f"{source_guid}.txt"] = doc.text
            _guid, created_at, created_by = sources.get(doc.id, (None, None, None))
            el = etree.SubElement(sources_el, q("TextSource"), guid=source_guid, name=_xml(doc.name),
                                  plainTextPath=f"internal://{source_guid}.txt")
            if created_by in out.user_guids:
                el.set("creatingUser", out.user_guids[created_by])
            el.set("creationDateTime", _datetime(created_at or doc.imported_at))
            comments = [m for m in notes_on.get(("doc", doc.id), []) if m.kind == "description"]
            if comments:
                etree.SubElement(el, q("Description")).text = _xml("\n\n".join(m.text for m in comments))
            n_selections += _add_selections(el, doc, by_doc.get(doc.id, []), coding_guids, notes_on, out)
            _note_refs(el, notes_on.get(("doc", doc.id), []), out)
            _add_values(el, {k: v for k, v in doc.metadata.items()}, out)
    notes = _unique_notes(memos, out)
    if notes:
        notes_el = etree.SubElement(root, q("Notes"))
        for m in notes:
            note = etree.SubElement(notes_el, q("Note"), guid=out.note_guids[m.id])
            if m.title:
                note.set("name", _xml(m.title))
            if m.author in out.user_guids:
                note.set("creatingUser", out.user_guids[m.author])
            note.set("creationDateTime", _datetime(m.created_at))
            if m.description:
                etree.SubElement(note, q("Description")).text = _xml(m.description)
            etree.SubElement(note, q("PlainTextContent")).text = _xml(m.text)
    sets = store.sets()
    exported_notes = {out.note_guids[m.id] for m in notes}
    if sets:
        sets_el = etree.SubElement(root, q("Sets"))
        for s in sets:
            el = etree.SubElement(sets_el, q("Set"), guid=s.guid, name=_xml(s.name))
            if s.description:
                etree.SubElement(el, q("Description")).text = _xml(s.description)
            for code_id in s.code_ids:
                if code_id in out.code_guids:
                    etree.SubElement(el, q("MemberCode"), targetGUID=out.code_guids[code_id])
            for doc_id in s.document_ids:
                if doc_id in out.doc_guids:
                    etree.SubElement(el, q("MemberSource"), targetGUID=out.doc_guids[doc_id])
            for memo_guid in s.memo_guids:
                if memo_guid in exported_notes:
                    etree.SubElement(el, q("MemberNote"), targetGUID=memo_guid)
    project_notes = notes_on.get(("project",), [])
    comments = [m.text for m in project_notes if m.kind == "description"]
    description = store.project_description()
    if description or comments:
        etree.SubElement(root, q("Description")).text = _xml("\n\n".join(([description] if description else []) + comments))
    _note_refs(root, project_notes, out)
    data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8", pretty_print=True)
    summary = ExportSummary(Path(), len(documents), len(codebook.codes), n_selections, len(codings),
                            tuple(sorted({c.coder for c in codings})), len(notes), len(sets), len(cases))
    return data, files, summary


def export_qdpx(project: Project, path: str | Path, *, statuses: Sequence[str] = EXPORTED_STATUSES,
                name: str | None = None) -> ExportSummary:
    """Write ``path`` (.qdpx); the .qde is validated against Project.xsd before anything is written."""
    data, files, summary = project_to_qde(project, statuses=statuses, name=name)
    problems = qde_problems(data)
    if problems:  # a bug in this module, not in the user's project
        raise AssertionError("generated project.qde does not match the REFI-QDA schema: " + "; ".join(problems[:3]))
    path = Path(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", data)
        for file_name, text in files.items():
            archive.writestr(f"sources/{file_name}", text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())  # written whole: no half-written archive on error
    return ExportSummary(path, *(getattr(summary, f) for f in ("sources", "codes", "selections", "codings", "users",
                                                              "notes", "sets", "cases")))


# -- the parts ----------------------------------------------------------------------------
def _users(store: RefiStore, codings: list[Coding], memos: list[StoredMemo]) -> dict[str, tuple[str, str | None]]:
    known = store.coder_guids()
    names = set(known) | {c.coder for c in codings} | {m.author for m in memos}
    return {n: known.get(n, (guid("user", n), None)) for n in names}


def _variables(store: RefiStore, documents: list[Document]) -> list[tuple[str, str, str]]:
    out = []
    for v in store.variables():
        values = [d.metadata.get(v.name) for d in documents if d.metadata.get(v.name)]
        type_ = v.type if all(typed_value(v.type, x) for x in values) else "Text"
        out.append((v.name, v.guid, type_))
    stored = {name for name, _g, _t in out}
    out += [(var, guid("variable", var), "Text") for var in VARIABLES
            if var not in stored and any(d.metadata.get(var) for d in documents)]
    return out


def _cases(project: Project, store: RefiStore, documents: list[Document], out: _Out):
    """Stored cases as they came, then one case per participant the project knows of itself."""
    doc_ids = {d.id for d in documents}
    cases = [(c.guid, c.name, c.description, c.values, [d for d in c.document_ids if d in doc_ids])
             for c in store.cases()]
    named = {c[1] for c in cases}
    native: dict[str, tuple[dict[str, str], list[int]]] = {}
    for doc in documents:
        turns = project.documents.turns(doc.id)
        pids = list(dict.fromkeys(t.participant_id for t in turns if t.participant_id and not t.is_interviewer))
        if not pids and doc.metadata.get("participant_id"):
            pids = [doc.metadata["participant_id"]]
        for pid in pids:
            if pid in named:
                continue
            values, docs = native.setdefault(pid, ({}, []))
            docs.append(doc.id)
            if doc.metadata.get("participant_id") == pid:
                own = doc.metadata
            else:
                own = {"role": next((t.role for t in turns if t.participant_id == pid and t.role), "")}
            for var, _g, _t in out.variables:
                if own.get(var) and var not in values:
                    values[var] = own[var]
    cases += [(guid("case", pid), pid, "", values, docs) for pid, (values, docs) in native.items()]
    return cases


def _codebook_with_used(project: Project, used: set[str]) -> Codebook:
    """Active codes, plus retired codes that exported codings still point at."""
    everything = project.codebook.current(include_retired=True)
    retired = set(project.codebook.retired_ids())
    keep = {c.id for c in everything if c.id not in retired or c.id in used}
    # a kept code needs its ancestors to sit in the tree
    for code_id in list(keep):
        keep.update(everything.path(code_id))
    return Codebook(everything.name, everything.version, everything.language, everything.description,
                    tuple(c for c in everything.codes if c.id in keep))


def _add_codes(parent_el, codebook: Codebook, parent_id: str | None, uncodable: set[str], notes_on, out: _Out) -> None:
    from lxml import etree

    for code in codebook.children(parent_id):
        el = etree.SubElement(parent_el, out.q("Code"), guid=out.code_guids[code.id], name=_xml(code.name),
                              isCodable="false" if code.id in uncodable else "true")
        if code.color:
            el.set("color", code.color)
        description = describe(code, codebook.language or "da")
        if description:
            etree.SubElement(el, out.q("Description")).text = _xml(description)
        _note_refs(el, notes_on.get(("code", code.id), []), out)
        _add_codes(el, codebook, code.id, uncodable, notes_on, out)


def _add_selections(source_el, doc: Document, codings: list[Coding], coding_guids, notes_on, out: _Out) -> int:
    """One PlainTextSelection per selection GUID (else per span and coder), and one for each other commented span."""
    from lxml import etree

    groups: dict[tuple[int, int, str], list[Coding]] = {}
    for c in codings:
        selection = coding_guids.get(c.id, (None, None))[1]
        key = selection or guid("selection", f"{doc.content_hash}:{c.start}:{c.end}:{c.coder}")
        groups.setdefault((c.start, c.end, key), []).append(c)
    spans = {(s, e) for s, e, _k in groups}
    for key in notes_on:
        if key[0] == "span" and key[1] == doc.id and (key[2], key[3]) not in spans:
            groups[(key[2], key[3], guid("selection", f"{doc.content_hash}:{key[2]}:{key[3]}:"))] = []
            spans.add((key[2], key[3]))
    used_guids: set[str] = set()
    commented: set[tuple[int, int]] = set()
    for (start, end, sel_guid), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        if sel_guid in used_guids:
            sel_guid = guid("selection", f"{doc.content_hash}:{start}:{end}:{sel_guid}")
        used_guids.add(sel_guid)
        excerpt = " ".join(doc.text[start:end].split())
        span_memos = notes_on.get(("span", doc.id, start, end), []) if (start, end) not in commented else []
        commented.add((start, end))
        comments = [m for m in span_memos if m.kind == "description"]
        # the selection's user and time: its first coding's, else its comment's (a comment is the selection's own)
        owner = comments[0].author if comments else (group[0].coder if group else None)
        times = [c.created_at for c in group] or [m.created_at for m in comments]
        sel = etree.SubElement(source_el, out.q("PlainTextSelection"), guid=sel_guid, name=_xml(excerpt[:60]),
                               startPosition=str(start), endPosition=str(end))
        if owner in out.user_guids:
            sel.set("creatingUser", out.user_guids[owner])
        if times:
            sel.set("creationDateTime", _datetime(min(comments[0].created_at, *times) if comments else min(times)))
        if comments:
            etree.SubElement(sel, out.q("Description")).text = _xml("\n\n".join(m.text for m in comments))
        for c in sorted(group, key=lambda c: (out.code_guids.get(c.code_id, ""), c.coder, c.id)):
            coding_guid = coding_guids.get(c.id, (None, None))[0] or guid(
                "coding", f"{sel_guid}:{out.code_guids[c.code_id]}:{c.coder}")
            coding = etree.SubElement(sel, out.q("Coding"), guid=coding_guid, creatingUser=out.user_guids[c.coder],
                                      creationDateTime=_datetime(c.created_at))
            etree.SubElement(coding, out.q("CodeRef"), targetGUID=out.code_guids[c.code_id])
            _note_refs(coding, notes_on.get(("coding", c.id), []), out)
        _note_refs(sel, span_memos, out)
    return len(groups)


def _notes_by_target(memos: list[StoredMemo]) -> dict[tuple, list[StoredMemo]]:
    out: dict[tuple, list[StoredMemo]] = {}
    for m in memos:
        if m.coding_id is not None:
            key = ("coding", m.coding_id)
        elif m.document_id is not None and m.start is not None and m.end is not None and m.end > m.start:
            key = ("span", m.document_id, m.start, m.end)
        elif m.document_id is not None:
            key = ("doc", m.document_id)
        elif m.code_id is not None:
            key = ("code", m.code_id)
        else:
            key = ("project",)
        out.setdefault(key, []).append(m)
    return out


def _unique_notes(memos: list[StoredMemo], out: _Out) -> list[StoredMemo]:
    """One Note per GUID (a note on several targets is several memo rows)."""
    seen: dict[str, StoredMemo] = {}
    for m in memos:
        if m.kind == "note":
            seen.setdefault(out.note_guids[m.id], m)
    return list(seen.values())


def _note_refs(el, memos: list[StoredMemo], out: _Out) -> None:
    from lxml import etree

    for note_guid in dict.fromkeys(out.note_guids[m.id] for m in memos if m.kind == "note"):
        etree.SubElement(el, out.q("NoteRef"), targetGUID=note_guid)


def _add_values(el, values: dict[str, str], out: _Out) -> None:
    from lxml import etree

    for var, var_guid, type_ in out.variables:
        value = values.get(var)
        if value:
            vv = etree.SubElement(el, out.q("VariableValue"))
            etree.SubElement(vv, out.q("VariableRef"), targetGUID=var_guid)
            element, text = typed_value(type_, str(value)) or ("TextValue", str(value))
            etree.SubElement(vv, out.q(element)).text = _xml(text)


def _xml(text: str) -> str:
    """Drop control characters XML 1.0 cannot carry (Word leaves some in transcripts)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


def _datetime(stamp: str) -> str:
    # Stored stamps are ISO 8601 UTC ("2026-11-22T21:39:09+00:00"); xsd:dateTime wants the "Z" form or an offset.
    return stamp.replace("+00:00", "Z")
