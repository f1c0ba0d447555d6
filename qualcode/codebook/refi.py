"""REFI-QDA codebook exchange: write .qdc, read .qdc/.qdpx/.qde, validate.

A REFI codebook file (.qdc) has the root ``CodeBook`` in the namespace
``urn:QDA-XML:codebook:1.0`` and the same structure as the ``CodeBook`` part
of a REFI project (Project.xsd, namespace ``urn:QDA-XML:project:1.0``).
Project.xsd declares only ``Project`` as a root element, so a .qdc cannot be
validated against it as it stands. :func:`codebook_schema` therefore builds
the codebook schema from Project.xsd itself: the same types (CodeType,
GUIDType, RGBType, ...) with the codebook namespace as target namespace and
one added global element ``CodeBook``, whose type is the official
Codebook.xsd's (REFI-QDA 1.5, section 5.2): ``Codes``, then optional
``Sets`` of code groups whose ``MemberCode`` names its code by ``guid``
(ATLAS.ti writes them), and an ``origin`` attribute (Taguette, ATLAS.ti).
A YAML codebook has no code groups: importing one says which were left out.

REFI codes carry only a name, colour and description. What else a qualcode
code has (include, exclude, examples, keywords) is written into the
description under labelled headings ("Brug når:", "Nøgleord:" ...), readable
in NVivo, ATLAS.ti, MAXQDA and QualCoder, and read back on import, so
YAML -> QDC -> YAML keeps every field. A code's stable id is not the other
tools' business: it travels in one processing instruction before the root
element (``<?qualcode {"codes": {GUID: id}, "language": "da"}?>``), which
XML readers skip, so no description gains a line the researcher did not
write. (Files written before that carried a "Kode-id:" line; it is still read.)
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qualcode.codebook.loader import COLOR_PATTERN, ID_PATTERN
from qualcode.codebook.model import Code, Codebook
from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.i18n import ngettext
from qualcode.limits import MAX_QDE_BYTES, read_file

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
PROJECT_XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda" / "Project.xsd"
# GUIDs derive from the code id, so exporting the same codebook twice gives
# the same GUIDs and other tools recognise the codes as the same codes.
_GUID_NAMESPACE = uuid.UUID("6f1d7a52-3c39-4c0e-9a8e-0d3c1f1b6a51")
PI_TARGET = "qualcode"  # the processing instruction that carries qualcode's own ids
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Description headings: (field, Danish label, English label).
_LABELS = (
    ("include", "Brug når", "Include"),
    ("exclude", "Brug ikke når", "Exclude"),
    ("examples", "Eksempler", "Examples"),
    ("keywords", "Nøgleord", "Keywords"),
    ("id", "Kode-id", "Code id"),
)
_HEADING = re.compile(
    r"^(" + "|".join(re.escape(label) for _f, da, en in _LABELS for label in (da, en)) + r"):[ \t]*(.*)$"
)
_FIELD_OF = {label: f for f, da, en in _LABELS for label in (da, en)}


# -- export ---------------------------------------------------------------------
def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook document (UTF-8 XML)."""
    from lxml import etree

    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    codes_el = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    add_qualcode_pi(root, {code_guid(c.id): c.id for c in codebook.codes}, codebook.language)

    def add(parent_el, parent_id: str | None) -> None:
        for code in codebook.children(parent_id):
            el = etree.SubElement(parent_el, f"{{{CODEBOOK_NS}}}Code")
            el.set("guid", code_guid(code.id))
            el.set("name", code.name)
            el.set("isCodable", "true")
            if code.color:
                el.set("color", code.color)
            etree.SubElement(el, f"{{{CODEBOOK_NS}}}Description").text = describe(code, codebook.language)
            add(el, code.id)

    add(codes_el, None)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8", pretty_print=True)


def add_qualcode_pi(root, code_ids: dict[str, str], language: str | None) -> None:
    """Put qualcode's code ids (by GUID) and the codebook language before ``root``, where other tools never look."""
    from lxml import etree

    data = {"codes": code_ids}
    if language:
        data["language"] = language
    # ids match ID_PATTERN and languages are codes, so the JSON never contains "?>"
    root.addprevious(etree.ProcessingInstruction(PI_TARGET, json.dumps(data, ensure_ascii=False, sort_keys=True)))


def read_qualcode_pi(root) -> dict:
    """What :func:`add_qualcode_pi` wrote ({} for files from other tools, or if it cannot be read)."""
    node = root.getprevious()
    while node is not None:
        if getattr(node, "target", None) == PI_TARGET:
            try:
                data = json.loads(node.text or "{}")
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}
        node = node.getprevious()
    return {}


def export_qdc(codebook: Codebook, path: str | Path, *, validate: bool = True) -> Path:
    """Write a .qdc file; with ``validate`` it is checked against the REFI schema first."""
    data = codebook_to_qdc(codebook)
    if validate:
        problems = qdc_problems(data)
        if problems:  # a bug in this module, not in the user's input
            raise AssertionError("generated .qdc does not match the REFI-QDA schema: " + "; ".join(problems))
    path = Path(path)
    path.write_bytes(data)
    return path


def code_guid(code_id: str) -> str:
    return str(uuid.uuid5(_GUID_NAMESPACE, code_id))


def describe(code: Code, language: str = "da") -> str:
    """The REFI description: the definition, then labelled sections for the other fields."""
    col = 1 if language == "da" else 2
    label = {f: (da, en)[col - 1] for f, da, en in _LABELS}
    parts = [code.definition] if code.definition else []
    if code.include:
        parts.append(f"{label['include']}: {code.include}")
    if code.exclude:
        parts.append(f"{label['exclude']}: {code.exclude}")
    if code.examples:
        parts.append(f"{label['examples']}:\n" + "\n".join(f"- {' '.join(x.split())}" for x in code.examples))
    if code.keywords:
        parts.append(f"{label['keywords']}:\n" + "\n".join(f"- {k}" for k in code.keywords))
    return "\n\n".join(parts)


# -- validation -------------------------------------------------------------------
@lru_cache(maxsize=2)
def codebook_schema(namespace: str = CODEBOOK_NS):
    """An XML schema for a standalone CodeBook document, built from Project.xsd's own types."""
    import xmlschema

    source = PROJECT_XSD.read_text(encoding="utf-8")
    declaration = 'xmlns="urn:QDA-XML:project:1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:QDA-XML:project:1.0"'
    if source.count(declaration) != 1:
        raise RuntimeError(f"{PROJECT_XSD}: unexpected schema header; cannot derive the codebook schema")
    source = source.replace(declaration, declaration.replace(PROJECT_NS, namespace))
    anchor = "<!-- ===== Type Definitions ===== -->"
    source = source.replace(anchor, '<xsd:element name="CodeBook" type="QdcCodeBookType"/>\n\t'
                            + _QDC_TYPES + "\n\t" + anchor, 1)
    return xmlschema.XMLSchema(source)


# Codebook.xsd's own CodeBook type (REFI-QDA 1.5, 5.2), under names Project.xsd does not use.
_QDC_TYPES = """<xsd:complexType name="QdcCodeBookType">
		<xsd:sequence>
			<xsd:element name="Codes" type="CodesType"/>
			<xsd:element name="Sets" type="QdcSetsType" minOccurs="0"/>
		</xsd:sequence>
		<xsd:attribute name="origin" type="xsd:string"/>
	</xsd:complexType>
	<xsd:complexType name="QdcSetsType">
		<xsd:sequence>
			<xsd:element name="Set" type="QdcSetType" maxOccurs="unbounded"/>
		</xsd:sequence>
	</xsd:complexType>
	<xsd:complexType name="QdcSetType">
		<xsd:sequence>
			<xsd:element name="Description" type="xsd:string" minOccurs="0"/>
			<xsd:element name="MemberCode" type="QdcMemberCodeType" minOccurs="0" maxOccurs="unbounded"/>
		</xsd:sequence>
		<xsd:attribute name="guid" type="GUIDType" use="required"/>
		<xsd:attribute name="name" type="xsd:string" use="required"/>
	</xsd:complexType>
	<xsd:complexType name="QdcMemberCodeType">
		<xsd:attribute name="guid" type="GUIDType" use="required"/>
	</xsd:complexType>"""


def qdc_problems(data: bytes) -> list[str]:
    """Schema violations of a .qdc document (empty if it is valid)."""
    from lxml import etree

    root = etree.fromstring(data, parser=_parser())
    namespace = etree.QName(root).namespace or CODEBOOK_NS
    schema = codebook_schema(namespace)
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(data.decode("utf-8"))]


def validate_qdc(path: str | Path) -> None:
    """Raise :class:`InputError` if a .qdc file does not match the REFI-QDA codebook schema."""
    problems = qdc_problems(read_file(path, MAX_QDE_BYTES))
    if problems:
        raise InputError(path, _("not a valid REFI-QDA codebook: {problem}").format(problem=problems[0]))


# -- import -----------------------------------------------------------------------
@dataclass(frozen=True)
class RefiCodebook:
    """A codebook read from a REFI file, with each code's GUID and isCodable as the file gave them."""

    codebook: Codebook
    guids: tuple[str, ...]  # one per code, in codebook order, as written in the file
    codable: tuple[bool, ...]


def import_refi_codebook(path: str | Path, *, name: str | None = None, version: str = "1",
                         warnings: list[str] | None = None) -> Codebook:
    """Read the codebook of a .qdc, .qdpx or .qde file (NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette).

    What a YAML codebook cannot hold (code groups) is said in ``warnings``, if given.
    """
    from lxml import etree

    from qualcode.refi.archive import open_container

    path = Path(path)
    if not path.exists():
        raise InputError(path, _("no such file"))
    suffix = path.suffix.lower()
    if suffix == ".qdpx" or path.is_dir():
        with open_container(path) as container:  # the one place archives are opened and read
            data = container.qde()
    elif suffix in (".qdc", ".qde", ".xml"):
        data = read_file(path, MAX_QDE_BYTES)
    else:
        raise InputError(path, _("unknown file type '{suffix}': use .qdc, .qdpx or .qde").format(suffix=path.suffix))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(path, _("not well-formed XML: {problem}").format(problem=exc.msg), line=exc.lineno) from None
    book = read_codebook(root, path, name=name, version=version)
    if book is None:
        raise InputError(path, _("no codebook in the file (no CodeBook/Codes element)"))
    groups = [(s.get("name") or "").strip() for s in _code_groups(root)]
    if groups and warnings is not None:
        warnings.append(ngettext("{path}: {count} code group is not part of a YAML codebook and was not imported: {names}",
                                 "{path}: {count} code groups are not part of a YAML codebook and were not imported:"
                                 " {names}", len(groups)).format(path=path, count=len(groups), names=", ".join(groups)))
    return book.codebook


def _code_groups(root) -> list:
    """The Sets of a .qdc's CodeBook (code groups; a project's Sets are read with the project)."""
    from lxml import etree

    if etree.QName(root).localname != "CodeBook":
        return []
    sets = next((el for el in root if isinstance(el.tag, str) and etree.QName(el).localname == "Sets"), None)
    return [el for el in (sets if sets is not None else ()) if isinstance(el.tag, str) and etree.QName(el).localname == "Set"]


def read_codebook(root, path: str | Path, *, name: str | None = None, version: str = "1") -> RefiCodebook | None:
    """The codebook under a parsed CodeBook or Project root; ``None`` if the file has no Codes element."""
    from lxml import etree

    codes_el = _find_codes(root)
    if codes_el is None:
        return None
    extra = read_qualcode_pi(root)
    known_ids = extra.get("codes") if isinstance(extra.get("codes"), dict) else {}
    known_ids = {_canonical(g): i for g, i in known_ids.items() if isinstance(i, str)}
    codes: list[Code] = []
    guids: list[str] = []
    codable: list[bool] = []
    used: set[str] = set()

    def walk(parent_el, parent_id: str | None) -> None:
        for el in parent_el:
            if not isinstance(el.tag, str) or etree.QName(el).localname != "Code":
                continue  # comments and processing instructions between codes
            code = _code(el, parent_id, used, known_ids.get(_canonical(el.get("guid"))))
            used.add(code.id)
            codes.append(code)
            guids.append((el.get("guid") or "").strip())
            codable.append((el.get("isCodable") or "true").strip().lower() not in ("false", "0"))
            walk(el, code.id)

    walk(codes_el, None)
    if not codes:
        raise InputError(path, _("the codebook has no codes"))
    project_name = root.get("name") if etree.QName(root).localname == "Project" else None
    language = extra.get("language") if isinstance(extra.get("language"), str) else None
    language = language or root.get(XML_LANG) or codes_el.getparent().get(XML_LANG) or ""
    codebook = Codebook(name or project_name or Path(path).stem, version, language, "", tuple(codes))
    return RefiCodebook(codebook, tuple(guids), tuple(codable))


def _canonical(guid: str | None) -> str:
    """GUIDs compared as REFI allows them written: with or without braces, any case."""
    return (guid or "").strip().strip("{}").lower()


def _code(el, parent_id: str | None, used: set[str], known_id: str | None = None) -> Code:
    from lxml import etree

    name = (el.get("name") or "").strip() or _("(no name)")
    description = ""
    for child in el:
        if isinstance(child.tag, str) and etree.QName(child).localname == "Description":
            description = child.text or ""
    if any(_HEADING.match(line) for line in description.splitlines()):
        fields = parse_description(description.strip())
    else:  # another tool's description is the definition, kept exactly as written
        fields = {"definition": description} if description.strip() else {}
    code_id = known_id or fields.pop("id", None)
    fields.pop("id", None)
    if not code_id or not ID_PATTERN.match(code_id) or code_id in used:
        code_id = _new_id(name, parent_id, used)
    color = el.get("color")
    if color and not COLOR_PATTERN.match(color):
        color = None
    return Code(id=code_id, name=name, parent_id=parent_id, color=color, **fields)


def parse_description(text: str) -> dict:
    """Split a description written by :func:`describe` back into fields (plain text: all definition)."""
    sections: dict[str, list[str]] = {"definition": []}
    current = "definition"
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            current = _FIELD_OF[match.group(1)]
            sections[current] = [match.group(2)] if match.group(2) else []
        else:
            sections.setdefault(current, []).append(line)
    out: dict = {}
    for field, lines in sections.items():
        if field in ("examples", "keywords"):
            out[field] = tuple(l.strip()[2:].strip() for l in lines if l.strip().startswith("- ") and l.strip()[2:].strip())
        else:
            value = "\n".join(lines).strip()
            if value:
                out[field] = value
    return out


def slugify(name: str) -> str:
    """An ASCII id from a code name: "Fælles mål" -> "faelles_maal"."""
    text = name.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text or "kode"


def _new_id(name: str, parent_id: str | None, used: set[str]) -> str:
    # A name used twice (NVivo allows "citizenship" under several parents) is
    # told apart by its parent's id; a number is the last resort.
    base = slugify(name)
    candidates = [base] + ([f"{parent_id}.{base}"] if parent_id else [])
    for candidate in candidates:
        if candidate not in used:
            return candidate
    n = 2
    while f"{candidates[-1]}_{n}" in used:
        n += 1
    return f"{candidates[-1]}_{n}"


def _find_codes(root):
    from lxml import etree

    if etree.QName(root).localname == "CodeBook":
        book = root
    else:
        book = next((el for el in root if isinstance(el.tag, str) and etree.QName(el).localname == "CodeBook"), None)
    if book is None:
        return None
    return next((el for el in book if isinstance(el.tag, str) and etree.QName(el).localname == "Codes"), None)


def _parser():
    from lxml import etree

    # Exchange files come from other people: no external entities, no network. Internal entities
    # are legal XML and are expanded (libxml2 caps their amplification: no billion laughs).
    return etree.XMLParser(resolve_entities="internal", no_network=True, remove_blank_text=True)
