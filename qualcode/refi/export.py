"""Export a project as a REFI-QDA project (.qdpx): project.qde plus sources/.

Each document's stored text (NFC, "\\n" line endings) is written as UTF-8 to
``sources/<guid>.txt`` and referenced as ``internal://<guid>.txt``, so the
positions in the .qde are exactly qualcode's offsets. Codings become
PlainTextSelections (one per span and coder) holding one Coding per code,
with the coder as ``creatingUser``. The codebook element reuses the codebook
package's GUIDs and descriptions (:mod:`qualcode.codebook.refi`), so the
codes of a project export are the codes of a .qdc export of its codebook.
Document metadata becomes Variables, one Case per document, and
VariableValues on the TextSource.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from qualcode.codebook.model import Codebook
from qualcode.codebook.refi import PROJECT_NS, code_guid, describe
from qualcode.models import Coding, Document
from qualcode.project import Project
from qualcode.refi.schema import qde_problems
from qualcode.store.db import utc_now

EXPORTED_STATUSES = ("accepted", "needs_review")
# Metadata exported as REFI variables (all text): what reports split by.
VARIABLES = ("role", "municipality", "department", "title", "participant_id", "date")
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


def project_to_qde(
    project: Project, *, statuses: Sequence[str] = EXPORTED_STATUSES, name: str | None = None
) -> tuple[bytes, dict[str, str], ExportSummary]:
    """The .qde document, the source texts by file name, and counts."""
    from lxml import etree

    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"  # noqa: E731
    documents = project.documents.all()
    codings = [c for c in project.codings.query(status=list(statuses))]
    codebook = _codebook_with_used(project, {c.code_id for c in codings})
    coders = sorted({c.coder for c in codings})
    now = utc_now()

    root = etree.Element(q("Project"), nsmap={None: PROJECT_NS})
    root.set("name", name or (project.path.stem if project.path else "qualcode"))
    root.set("origin", "qualcode")
    root.set("creationDateTime", _datetime(now))
    if coders:
        users = etree.SubElement(root, q("Users"))
        for coder in coders:
            etree.SubElement(users, q("User"), guid=guid("user", coder), name=_xml(coder), id=_xml(coder))
    if codebook.codes:
        codes_el = etree.SubElement(etree.SubElement(root, q("CodeBook")), q("Codes"))
        _add_codes(codes_el, codebook, None, q)
    used_vars = [v for v in VARIABLES if any(d.metadata.get(v) for d in documents)]
    if used_vars:
        variables = etree.SubElement(root, q("Variables"))
        for var in used_vars:
            etree.SubElement(variables, q("Variable"), guid=guid("variable", var), name=var, typeOfVariable="Text")
    if documents and used_vars:
        cases = etree.SubElement(root, q("Cases"))
        for doc in documents:
            case = etree.SubElement(cases, q("Case"), guid=guid("case", doc.content_hash), name=_xml(_case_name(doc)))
            _add_values(case, doc, used_vars, q)
            etree.SubElement(case, q("SourceRef"), targetGUID=guid("source", doc.content_hash))
    files: dict[str, str] = {}
    n_selections = 0
    if documents:
        sources = etree.SubElement(root, q("Sources"))
        by_doc: dict[int, list[Coding]] = {}
        for c in codings:
            by_doc.setdefault(c.document_id, []).append(c)
        for doc in documents:
            source_guid = guid("source", doc.content_hash)
            files[f"{source_guid}.txt"] = doc.text
            el = etree.SubElement(sources, q("TextSource"), guid=source_guid, name=_xml(doc.name),
                                  plainTextPath=f"internal://{source_guid}.txt", creationDateTime=_datetime(doc.imported_at))
            n_selections += _add_selections(el, doc, by_doc.get(doc.id, []), q)
            _add_values(el, doc, used_vars, q)
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    summary = ExportSummary(Path(), len(documents), len(codebook.codes), n_selections, len(codings), tuple(coders))
    return data, files, summary


def export_qdpx(project: Project, path: str | Path, *, statuses: Sequence[str] = EXPORTED_STATUSES) -> ExportSummary:
    """Write ``path`` (.qdpx); the .qde is validated against Project.xsd before anything is written."""
    data, files, summary = project_to_qde(project, statuses=statuses)
    problems = qde_problems(data)
    if problems:  # a bug in this module, not in the user's project
        raise AssertionError("generated project.qde does not match the REFI-QDA schema: " + "; ".join(problems[:3]))
    path = Path(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", data)
        for name, text in files.items():
            archive.writestr(f"sources/{name}", text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())  # written whole: no half-written archive on error
    return ExportSummary(path, summary.sources, summary.codes, summary.selections, summary.codings, summary.users)


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


def _add_codes(parent_el, codebook: Codebook, parent_id: str | None, q) -> None:
    from lxml import etree

    for code in codebook.children(parent_id):
        el = etree.SubElement(parent_el, q("Code"), guid=code_guid(code.id), name=_xml(code.name), isCodable="true")
        if code.color:
            el.set("color", code.color)
        etree.SubElement(el, q("Description")).text = _xml(describe(code, codebook.language or "da"))
        _add_codes(el, codebook, code.id, q)


def _add_selections(source_el, doc: Document, codings: list[Coding], q) -> int:
    from lxml import etree

    spans: dict[tuple[int, int, str], list[Coding]] = {}
    for c in codings:
        spans.setdefault((c.start, c.end, c.coder), []).append(c)
    for (start, end, coder), group in sorted(spans.items()):
        excerpt = " ".join(doc.text[start:end].split())
        sel = etree.SubElement(
            source_el, q("PlainTextSelection"),
            guid=guid("selection", f"{doc.content_hash}:{start}:{end}:{coder}"),
            name=_xml(excerpt[:60]), startPosition=str(start), endPosition=str(end),
            creatingUser=guid("user", coder), creationDateTime=_datetime(min(c.created_at for c in group)),
        )
        for c in sorted({c.code_id: c for c in group}.values(), key=lambda c: c.code_id):
            coding = etree.SubElement(sel, q("Coding"), guid=guid("coding", str(c.id)),
                                      creatingUser=guid("user", coder), creationDateTime=_datetime(c.created_at))
            etree.SubElement(coding, q("CodeRef"), targetGUID=code_guid(c.code_id))
    return len(spans)


def _add_values(el, doc: Document, variables: Sequence[str], q) -> None:
    from lxml import etree

    for var in variables:
        value = doc.metadata.get(var)
        if value:
            vv = etree.SubElement(el, q("VariableValue"))
            etree.SubElement(vv, q("VariableRef"), targetGUID=guid("variable", var))
            etree.SubElement(vv, q("TextValue")).text = _xml(str(value))


def _case_name(doc: Document) -> str:
    return str(doc.metadata.get("participant_id") or doc.name)


def _xml(text: str) -> str:
    """Drop control characters XML 1.0 cannot carry (Word leaves some in transcripts)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


def _datetime(stamp: str) -> str:
    # Stored stamps are ISO 8601 UTC ("2026-11-22T21:39:09+00:00"); xsd:dateTime wants the "Z" form or an offset.
    return stamp.replace("+00:00", "Z")
