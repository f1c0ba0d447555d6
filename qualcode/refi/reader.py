"""Read a REFI-QDA project (.qdpx, .qde or an unzipped folder) as NVivo, ATLAS.ti, MAXQDA and QualCoder write it.

Nothing here touches a qualcode project: :func:`read_qdpx` returns plain
records (:mod:`qualcode.refi.records`): users, the codebook with each code's
GUID, variables, cases, sets, notes, and the text sources with selections
already moved into their normalised text; :mod:`qualcode.refi.importer`
stores them. What the file holds is counted by kind, and what qualcode
cannot hold (pictures, recordings, links, graphs, selections by page area
or time span) is counted with the reason, for the import summary.

Source text is taken from, in this order: ``PlainTextContent`` in the .qde;
the ``plainTextPath`` file (see :mod:`qualcode.refi.archive` for how paths
are found); the ``richTextPath`` .docx converted to plain text with
python-docx (one line per paragraph). A PDF's text is its Representation's
plain text, else the PDF's own text layer (:mod:`qualcode.refi.pdf`).
"""

from __future__ import annotations

from pathlib import Path

from qualcode.codebook.refi import read_codebook
from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.refi.archive import open_container
from qualcode.refi.reading import Reading, children, first, local
from qualcode.refi.records import (
    Dropped,
    NoteTarget,
    RefiCase,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
    canonical,
)
from qualcode.refi.reading import codings_stamped_by_code
from qualcode.refi.relations import (
    case_codings,
    link_note_targets,
    named_case_guids,
    variable_holders,
    with_case_sources,
    with_variables,
    without_case_codes,
)
from qualcode.refi.sources import read_sources
from qualcode.text import normalise

PROJECT_NS_PREFIX = "urn:QDA-XML:project:"  # 1.0 today; QualCoder has met files of earlier drafts

__all__ = ["RefiProject", "RefiSelection", "RefiSource", "read_qdpx"]


def read_qdpx(path: str | Path) -> RefiProject:
    """Read a .qdpx archive, a .qde file with its ``sources/`` folder beside it, or such a folder."""
    from lxml import etree

    path = Path(path)
    with open_container(path) as container:
        data = container.qde()
        try:
            # Internal entities are legal XML and are expanded (libxml2 caps their amplification);
            # external ones never are, and nothing is fetched.
            parser = etree.XMLParser(resolve_entities="internal", no_network=True, huge_tree=True)
            root = etree.fromstring(data, parser=parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(path, _("project.qde is not well-formed XML: {problem}").format(problem=exc.msg),
                             line=exc.lineno) from None
        if local(root) != "Project":
            raise InputError(path, _("not a REFI-QDA project (root element is {name}, not Project)").format(
                name=local(root) or "?"))
        namespace = etree.QName(root).namespace or ""
        if not namespace.startswith(PROJECT_NS_PREFIX):
            raise InputError(path, _("not a REFI-QDA project: its Project element is in the namespace {namespace},"
                                     " not urn:QDA-XML:project:1.0").format(namespace=namespace or _("(none)")),
                             line=root.sourceline)
        container.check_sources(root)  # before any source is inflated
        return _read(root, path, container)


def _read(root, path: Path, container) -> RefiProject:
    warnings: list[str] = []
    users = _users(root)
    users += _undeclared_users(root, users, path, warnings)
    user_names = {canonical(u.guid): u.name for u in users}
    book, case_codes = without_case_codes(read_codebook(root, path), named_case_guids(root))
    code_ids: dict[str, str] = {}
    code_guids: dict[str, str] = {}
    uncodable: set[str] = set()
    if book is not None:
        names = {c.id: c.name for c in book.codebook.codes}
        for code, guid, codable in zip(book.codebook.codes, book.guids, book.codable):
            key = canonical(guid)
            if not codable:
                uncodable.add(code.id)
            if key in code_ids:
                warnings.append(_("{path}: codes '{first}' and '{second}' have the same GUID {guid}; its codings go to"
                                  " '{first}' and '{second}' gets a new GUID").format(
                    path=path, first=names[code_ids[key]], second=code.name, guid=guid))
                continue
            code_ids[key] = code.id
            code_guids[code.id] = guid
    variables = tuple(_variables(root))
    notes_by_guid = {canonical(n.get("guid")): n for n in _all(root, "Note")}
    sources_el = first(root, "Sources")
    r = Reading(path, container, user_names, user_names.get(canonical(root.get("creatingUserGUID"))),
                code_ids, {canonical(v.guid): v.name for v in variables}, notes_by_guid,
                coder_in_selection=codings_stamped_by_code(sources_el))
    r.found["codings"] = sum(1 for el in sources_el.iter() if local(el) == "Coding") if sources_el is not None else 0
    sources = read_sources(sources_el, r) if sources_el is not None else []
    sources, in_case = case_codings(sources, case_codes, r)
    sources = with_variables(sources, variable_holders(root, r))
    cases = tuple(with_case_sources(list(_cases(root, r)), in_case))
    sets = tuple(_sets(root))
    source_guids = {canonical(g) for s in sources for g in (s.guid, *s.aliases)}
    links = link_note_targets(root, r, set(code_ids), source_guids, set(notes_by_guid))
    notes = tuple(_notes(root, r, links)) + tuple(r.comments)
    description = first(root, "Description")
    description = (description.text or "").strip() if description is not None else ""
    if description:
        r.found["comments"] += 1
    r.found["graphs"] += len(_all(root, "Graph"))
    r.drop("graphs", r.found["graphs"], _("networks (graphs) cannot be held"))
    r.found["users"] = len(users)
    r.found["codes"] = len(book.codebook.codes) if book is not None else 0
    r.found["variables"] = len(variables)
    r.found["cases"] += len(cases)
    r.found["sets"] = len(sets)
    return RefiProject(
        name=root.get("name") or path.stem,
        origin=root.get("origin") or "",
        users=user_names,
        user_records=tuple(users),
        codebook=book.codebook if book is not None else None,
        code_ids=code_ids,
        code_guids=code_guids,
        uncodable=frozenset(uncodable),
        sources=tuple(_unique_sources(sources)),
        variables=variables,
        cases=cases,
        sets=sets,
        notes=notes,
        description=description or None,
        found=dict(r.found),
        dropped=tuple(Dropped(kind, n, reason) for (kind, reason), n in r.dropped.items()),
        warnings=tuple(warnings + r.warnings),
    )


def _users(root) -> list[RefiUser]:
    out: list[RefiUser] = []
    taken: set[str] = set()
    for u in _all(root, "User"):
        guid = (u.get("guid") or "").strip()
        name = (u.get("name") or u.get("id") or guid).strip() or guid
        if name in taken:  # two users of one name stay two coders
            name = f"{name} ({u.get('id') or guid[:8]})"
        taken.add(name)
        out.append(RefiUser(guid, name, u.get("id")))
    return out


_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


def _variables(root):
    seen: set[str] = set()
    for v in _all(root, "Variable"):
        name = (v.get("name") or v.get("guid") or "").strip()
        if not name or name in seen:
            continue
        seen.add(name)
        type_ = v.get("typeOfVariable") if v.get("typeOfVariable") in _TYPES else "Text"
        description = first(v, "Description")
        yield RefiVariable(v.get("guid") or "", name, type_, (description.text or "").strip() if description is not None else "")


def _cases(root, r: Reading):
    for case in _all(root, "Case"):
        if not (case.get("name") or "").strip():
            continue  # a nameless case carries its source's variables (relations.variable_holders)
        description = first(case, "Description")
        parts = len(children(case, "SelectionRef"))
        r.found["case_parts"] += parts
        r.drop("case_parts", parts, _("a case holds whole sources in qualcode, not parts of them"))
        yield RefiCase(case.get("guid") or "", (case.get("name") or case.get("guid") or "").strip(),
                       (description.text or "").strip() if description is not None else "",
                       r.values(case), tuple(ref.get("targetGUID") or "" for ref in children(case, "SourceRef")))


def _sets(root):
    def members(s, kind):
        # a project's members name their target by targetGUID; Codebook.xsd's MemberCode by guid (ATLAS.ti)
        return tuple(m.get("targetGUID") or m.get("guid") or "" for m in children(s, kind))

    for s in _all(root, "Set"):
        description = first(s, "Description")
        yield RefiSet(
            s.get("guid") or "", (s.get("name") or "").strip(),
            (description.text or "").strip() if description is not None else "",
            members(s, "MemberCode"), members(s, "MemberSource"), members(s, "MemberNote"),
        )


def _notes(root, r: Reading, links: dict[str, int]):
    # NoteRefs not met while reading the sources: on the project, on codes, on what was not imported.
    for ref in _all(root, "NoteRef"):
        if ref in r.handled_refs:
            continue
        parent = ref.getparent()
        target = NoteTarget(code_guid=parent.get("guid")) if local(parent) == "Code" else NoteTarget()
        r.note_ref(ref, target)
    notes_el = first(root, "Notes")
    for note in children(notes_el, "Note"):
        r.found["notes"] += 1
        name = note.get("name") or None
        text, reason = r.text_of(note, name or note.get("guid") or "")
        if text is None:
            r.drop("notes", 1, reason)
            continue
        text = normalise(text)  # a note's text file is text like any other ("\r\n" from NVivo)
        coded = sum(len(children(sel, "Coding")) for sel in children(note, "PlainTextSelection"))
        r.drop("codings", coded, _("codings inside a note cannot be held"))
        r.found["codings"] += coded
        description = first(note, "Description")
        targets = tuple(dict.fromkeys(r.note_targets.get(canonical(note.get("guid")), ()))) or (NoteTarget(),)
        yield RefiNote(note.get("guid"), name, text.strip(), r.user_name(note.get("creatingUser")),
                       note.get("creationDateTime"), targets,
                       (description.text or "").strip() or None if description is not None else None,
                       links=links.get(canonical(note.get("guid")), 0))


def _undeclared_users(root, users: list[RefiUser], path: Path, warnings: list[str]) -> list[RefiUser]:
    """Users named by a creatingUser but missing from <Users>: kept under their GUID, so their work stays theirs."""
    known = {canonical(u.guid) for u in users}
    out = []
    for el in root.iter():
        for attribute in ("creatingUser", "creatingUserGUID"):
            guid = (el.get(attribute) or "").strip() if isinstance(el.tag, str) else ""
            if guid and canonical(guid) not in known:
                known.add(canonical(guid))
                out.append(RefiUser(guid, guid))
                warnings.append(_("{path}: user {guid} is not among the file's users; their codings and notes are kept"
                                  " under that GUID").format(path=path, guid=guid))
    return out


def _unique_sources(sources: list[RefiSource]) -> list[RefiSource]:
    """Sources in file order; a GUID written twice is read once (the first)."""
    seen: set[str] = set()
    out = []
    for s in sources:
        key = canonical(s.guid)
        if key and key in seen:
            continue
        seen.add(key)
        out.append(s)
    return out


def _all(root, name: str) -> list:
    return [el for el in root.iter() if local(el) == name]
