"""How the parts of a project.qde point at each other, beyond the elements that hold them.

Three shapes real tools write that a reader taking each element at its word
gets wrong:

- **Links that attach a note.** ATLAS.ti ties a memo to a quotation or a
  document with a ``<Link>`` ("Memo-Quotation Relation"); NVivo writes an
  annotation as a selection without a Coding, tied by a Link to a Note whose
  text file holds the annotation. Such a Link gives the note its target (a
  span, a source, a code). Links between other objects (code relations)
  cannot be held and are reported.
- **Cases that are codes.** NVivo puts a case into the code book as well,
  with the case's GUID, and codes the parts of a source that belong to the
  case with it. That code is the case, not a code of the codebook, and its
  codings say which source the case is in.
- **Cases without a name.** MAXQDA and Quirkos carry a document's variables
  in a ``<Case>`` with no name and the document's ``SourceRef``: those
  values are the document's variables, not a participant.
"""

from __future__ import annotations

import dataclasses

from qualcode.codebook.refi import RefiCodebook
from qualcode.i18n import gettext as _
from qualcode.refi.reading import Reading, children, local
from qualcode.refi.records import NoteTarget, RefiCase, RefiSource, canonical


def named_case_guids(root) -> set[str]:
    return {canonical(c.get("guid")) for c in root.iter() if local(c) == "Case" and (c.get("name") or "").strip()}


def without_case_codes(book: RefiCodebook | None, case_guids: set[str]) -> tuple[RefiCodebook | None, set[str]]:
    """The codebook without codes that are cases (same GUID as a named Case, no child codes), and their GUIDs."""
    if book is None or not case_guids:
        return book, set()
    parents = {c.parent_id for c in book.codebook.codes}
    drop = {k for k, (code, guid) in enumerate(zip(book.codebook.codes, book.guids))
            if canonical(guid) in case_guids and code.id not in parents}
    if not drop:
        return book, set()
    keep = [k for k in range(len(book.guids)) if k not in drop]
    codes = tuple(book.codebook.codes[k] for k in keep)
    codebook = dataclasses.replace(book.codebook, codes=codes)
    return (RefiCodebook(codebook, tuple(book.guids[k] for k in keep), tuple(book.codable[k] for k in keep)),
            {canonical(book.guids[k]) for k in drop})


def case_codings(sources: list[RefiSource], case_codes: set[str], r: Reading) -> tuple[list[RefiSource], dict[str, set[str]]]:
    """Sources without the codings of case codes, and for each case GUID the sources those codings were in."""
    if not case_codes:
        return sources, {}
    in_case: dict[str, set[str]] = {}
    out = []
    for source in sources:
        kept = tuple(s for s in source.selections if s.code_guid not in case_codes)
        for s in source.selections:
            if s.code_guid in case_codes:
                in_case.setdefault(s.code_guid, set()).add(source.guid)
        n = len(source.selections) - len(kept)
        if n:
            r.found["codings"] -= n
            r.found["case_parts"] += n
            r.drop("case_parts", n, _("a case holds whole sources in qualcode, not parts of them"))
            source = dataclasses.replace(source, selections=kept)
        out.append(source)
    return out, in_case


def with_case_sources(cases: list[RefiCase], in_case: dict[str, set[str]]) -> list[RefiCase]:
    """Cases with the sources their case codings lie in (NVivo codes a case on the parts of a source)."""
    out = []
    for case in cases:
        extra = sorted(in_case.get(canonical(case.guid), set()) - {canonical(g) for g in case.source_guids})
        out.append(dataclasses.replace(case, source_guids=case.source_guids + tuple(extra)) if extra else case)
    return out


def variable_holders(root, r: Reading) -> dict[str, dict[str, str]]:
    """Source GUID -> variables carried by nameless Cases (MAXQDA, Quirkos); counted as cases read as variables."""
    out: dict[str, dict[str, str]] = {}
    for case in root.iter():
        if local(case) != "Case" or (case.get("name") or "").strip():
            continue
        r.found["cases"] += 1
        r.drop("cases", 1, _("a case without a name: its values are its source's variables"))
        values = r.values(case)
        for ref in children(case, "SourceRef"):
            for name, value in values.items():
                out.setdefault(canonical(ref.get("targetGUID")), {}).setdefault(name, value)
    return out


def with_variables(sources: list[RefiSource], holders: dict[str, dict[str, str]]) -> list[RefiSource]:
    """Sources with the variables their nameless Cases carry (the source's own values win)."""
    if not holders:
        return sources
    out = []
    for s in sources:
        extra = {}
        for guid in (s.guid, *s.aliases):
            extra.update(holders.get(canonical(guid), {}))
        out.append(dataclasses.replace(s, variables={**extra, **dict(s.variables)}) if extra else s)
    return out


def link_note_targets(root, r: Reading, code_guids: set[str], source_guids: set[str], note_guids: set[str]) -> dict[str, int]:
    """Give notes the targets their Links name; count and report the other Links. Returns links per note GUID."""
    per_note: dict[str, int] = {}
    for link in root.iter():
        if local(link) != "Link":
            continue
        r.found["links"] += 1
        ends = canonical(link.get("originGUID")), canonical(link.get("targetGUID"))
        target = None
        for note, other in (ends, ends[::-1]):
            if note in note_guids:
                target = _target(other, r, code_guids, source_guids)
                if target is not None:
                    r.note_targets.setdefault(note, []).append(target)
                    per_note[note] = per_note.get(note, 0) + 1
                    break
        if target is None:
            r.drop("links", 1, _("links between objects cannot be held"))
    return per_note


def _target(guid: str, r: Reading, code_guids: set[str], source_guids: set[str]) -> NoteTarget | None:
    if guid in r.selection_targets:
        return r.selection_targets[guid]
    if guid in source_guids:
        return NoteTarget(source_guid=guid)
    if guid in code_guids:
        return NoteTarget(code_guid=guid)
    return None


__all__ = ["case_codings", "link_note_targets", "named_case_guids", "variable_holders", "with_case_sources",
           "with_variables", "without_case_codes"]
