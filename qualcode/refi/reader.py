"""Read a REFI-QDA project (.qdpx or .qde) as NVivo, ATLAS.ti, MAXQDA and QualCoder write it.

Nothing here touches a qualcode project: :func:`read_qdpx` returns plain
records (users, codebook, text sources with normalised text, selections with
positions already moved into that text); :mod:`qualcode.refi.importer`
stores them.

Source text is taken from, in this order: ``PlainTextContent`` in the .qde;
the ``plainTextPath`` file (``internal://`` = inside the archive's
``sources/`` folder); the ``richTextPath`` .docx converted to plain text
with python-docx (one line per paragraph) when no plain text is present.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook.model import Codebook
from qualcode.codebook.refi import import_refi_codebook
from qualcode.errors import InputError
from qualcode.limits import (
    MAX_QDE_BYTES, MAX_REFI_READ_BYTES, MAX_TRANSCRIPT_BYTES, ReadBudget, check_members, open_archive, read_file, read_member,
)
from qualcode.refi.positions import normalise_with_map


@dataclass(frozen=True)
class RefiSelection:
    """One coding of a span: code (by GUID), coder name, when; positions in the normalised text."""

    start: int
    end: int
    code_guid: str
    coder: str
    created_at: str | None


@dataclass(frozen=True)
class RefiSource:
    guid: str
    name: str
    text: str
    selections: tuple[RefiSelection, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefiProject:
    name: str
    origin: str
    users: dict[str, str]  # GUID -> user name
    codebook: Codebook | None
    code_ids: dict[str, str]  # code GUID -> qualcode code id
    sources: tuple[RefiSource, ...]
    warnings: tuple[str, ...] = ()


def read_qdpx(path: str | Path) -> RefiProject:
    """Read a .qdpx archive (or a bare .qde, whose sources must then be inline)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.suffix.lower() == ".qde":
        return _read(_parse_qde(read_file(path, MAX_QDE_BYTES), path), path, None)
    if path.suffix.lower() != ".qdpx":
        raise InputError(path, f"unknown file type '{path.suffix}': use .qdpx or .qde")
    archive = _Archive(open_archive(path, "not a REFI-QDA project: a .qdpx file must be a zip archive"), path)
    try:
        qde_names = [n for n in archive.zip.namelist() if n.lower().endswith(".qde") and "/" not in n.strip("/")]
        if not qde_names:
            raise InputError(path, "no project.qde inside the .qdpx archive")
        root = _parse_qde(archive.read(qde_names[0], MAX_QDE_BYTES), path)
        archive.check_sources(root)
        return _read(root, path, archive)
    finally:
        archive.close()


def _parse_qde(data: bytes, path: Path):
    from lxml import etree

    try:
        # Internal entities are legal XML and are expanded (libxml2 caps their amplification);
        # external ones never are, and nothing is fetched.
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities="internal", no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"project.qde is not well-formed XML: {exc.msg}", line=exc.lineno) from None
    if _local(root) != "Project":
        raise InputError(path, f"not a REFI-QDA project (root element is {_local(root)}, not Project)")
    return root


class _Archive:
    """The .qdpx being read: every member through the size limits, and all of them within one budget."""

    def __init__(self, archive: zipfile.ZipFile, path: Path):
        self.zip = archive
        self.path = path
        self.budget = ReadBudget(path, MAX_REFI_READ_BYTES)
        self.names = {n.lower(): n for n in archive.namelist()}

    def read(self, name: str, limit: int = MAX_TRANSCRIPT_BYTES) -> bytes:
        self.budget.take(min(self.zip.getinfo(name).file_size, limit + 1))
        return read_member(self.zip, name, self.path, limit)

    def member(self, reference: str) -> str | None:
        """The archive member a source reference names, or None (an absolute path is never ours to read)."""
        if reference.startswith("internal://"):
            member = "sources/" + reference[len("internal://"):]
        elif reference.startswith("relative://"):
            member = reference[len("relative://"):].lstrip("/")
        else:
            return None
        return self.names.get(member.lower())

    def check_sources(self, root) -> None:
        """Refuse, before any is inflated, source members that are too large alone or together."""
        names = {self.member(ref) for el in _all(root, "TextSource")
                 for ref in (el.get("plainTextPath"), el.get("richTextPath")) if ref}
        names.discard(None)
        check_members(self.zip, self.path, each=MAX_TRANSCRIPT_BYTES, total=MAX_REFI_READ_BYTES, names=sorted(names))

    def close(self) -> None:
        self.zip.close()


def _read(root, path: Path, archive: _Archive | None) -> RefiProject:
    warnings: list[str] = []
    users = {_g(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid")) for u in _all(root, "User")}
    default_user = users.get(_g(root.get("creatingUserGUID")))
    codebook, code_ids = _codebook(root, path)
    variables = {_g(v.get("guid")): v.get("name") or v.get("guid") for v in _all(root, "Variable")}
    case_values: dict[str, dict[str, str]] = {}
    for case in _all(root, "Case"):
        values = _values(case, variables)
        for ref in _children(case, "SourceRef"):
            case_values.setdefault(_g(ref.get("targetGUID")), {}).update(values)

    sources = []
    for el in _all(root, "TextSource"):
        source_guid = el.get("guid")
        name = el.get("name") or source_guid
        raw = _source_text(el, path, archive, warnings)
        if raw is None:
            continue
        text, positions = normalise_with_map(raw)
        selections = []
        for sel in _children(el, "PlainTextSelection"):
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                warnings.append(f"{path}: source '{name}': selection {sel.get('guid')} has no valid positions; skipped")
                continue
            if not 0 <= start < end <= len(raw):
                warnings.append(
                    f"{path}: source '{name}': selection {start}-{end} lies outside the text (0-{len(raw)}); skipped"
                )
                continue
            for coding in _children(sel, "Coding"):
                selections.append(_selection(coding, positions[start], positions[end], users,
                                             sel.get("creatingUser"), default_user, sel.get("creationDateTime")))
        # Codings directly on the source code the whole text.
        for coding in _children(el, "Coding"):
            selections.append(_selection(coding, 0, len(text), users, el.get("creatingUser"), default_user,
                                         el.get("creationDateTime")))
        values = {**case_values.get(_g(source_guid), {}), **_values(el, variables)}
        sources.append(RefiSource(source_guid, name, text, tuple(s for s in selections if s.end > s.start), values))
    return RefiProject(
        name=root.get("name") or path.stem,
        origin=root.get("origin") or "",
        users=users,
        codebook=codebook,
        code_ids=code_ids,
        sources=tuple(sources),
        warnings=tuple(warnings),
    )


def _codebook(root, path: Path) -> tuple[Codebook | None, dict[str, str]]:
    book = next(iter(_children(root, "CodeBook")), None)
    codes_el = next(iter(_children(book, "Codes")), None) if book is not None else None
    elements = [el for el in codes_el.iter() if _local(el) == "Code"] if codes_el is not None else []
    if not elements:
        return None, {}
    # The codebook package reads the tree depth-first in document order, which
    # is the order of .iter(): the n-th code read is the n-th Code element.
    codebook = import_refi_codebook(path)
    if len(codebook.codes) != len(elements):  # pragma: no cover - both read the same elements
        raise InputError(path, "the codebook could not be read consistently")
    return codebook, {_g(el.get("guid")): code.id for el, code in zip(elements, codebook.codes)}


def _selection(coding, start, end, users, selection_user, default_user, selection_time) -> RefiSelection:
    ref = next(iter(_children(coding, "CodeRef")), None)
    user_guid = coding.get("creatingUser") or selection_user
    coder = users.get(_g(user_guid)) if user_guid else None
    return RefiSelection(
        start=start,
        end=end,
        code_guid=_g(ref.get("targetGUID")) if ref is not None else "",
        coder=coder or user_guid or default_user or "refi-import",
        created_at=coding.get("creationDateTime") or selection_time,
    )


def _source_text(el, path: Path, archive, warnings: list[str]) -> str | None:
    name = el.get("name") or el.get("guid")
    content = next(iter(_children(el, "PlainTextContent")), None)
    if content is not None:
        return content.text or ""
    plain, rich = el.get("plainTextPath"), el.get("richTextPath")
    if plain:
        data = _internal(plain, path, archive)
        if data is not None:
            try:
                return data.decode("utf-8-sig")  # a BOM is not text: positions do not count it
            except UnicodeDecodeError:
                raise InputError(path, f"source '{name}': {plain} is not UTF-8 text") from None
    if rich and rich.lower().endswith(".docx"):
        data = _internal(rich, path, archive)
        if data is not None:
            return _docx_text(data, path, f"{name} ({rich})")
    warnings.append(f"{path}: source '{name}': no plain text or .docx found in the archive; skipped")
    return None


def _internal(reference: str, path: Path, archive) -> bytes | None:
    actual = archive.member(reference) if archive is not None else None
    return archive.read(actual) if actual else None


def _docx_text(data: bytes, path: Path, name: str) -> str:
    """A rich-text source's paragraphs, one per line; a damaged .docx names the source."""
    import docx
    from lxml.etree import XMLSyntaxError

    from qualcode.readers.docx_reader import check_docx_size

    try:
        check_docx_size(path, MAX_TRANSCRIPT_BYTES, io.BytesIO(data))
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    except InputError as exc:
        raise InputError(path, f"source '{name}': {exc.problem}") from None
    except (XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise InputError(path, f"source '{name}' is not a valid Word document ({exc})") from None


def _values(el, variables: dict[str, str]) -> dict[str, str]:
    out = {}
    for vv in _children(el, "VariableValue"):
        ref = next(iter(_children(vv, "VariableRef")), None)
        value = next((c for c in vv if _local(c) != "VariableRef"), None)
        if ref is not None and value is not None and value.text is not None:
            out[variables.get(_g(ref.get("targetGUID")), ref.get("targetGUID"))] = value.text.strip()
    return out


def _g(guid: str | None) -> str:
    """GUIDs compared as REFI allows them written: with or without braces, any case."""
    return (guid or "").strip().strip("{}").lower()


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _children(el, name: str) -> list:
    return [c for c in el if _local(c) == name] if el is not None else []


def _all(root, name: str) -> list:
    return [el for el in root.iter() if _local(el) == name]
