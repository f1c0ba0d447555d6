"""LibreOffice Writer (.odt) transcripts, read with odfdo.

Danish public bodies write their transcripts in LibreOffice; an .odt holds
the same shapes as a Word file (labelled paragraphs, a bold label, headings
with times, a Tid | Taler | Tekst table) and goes through the same layout
detection. odfdo resolves ODF's spaces, tabs and line breaks (``text:s``,
``text:tab``, ``text:line-break``) and the automatic styles that say a span
is bold, which we would otherwise re-implement from the ODF specification.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.limits import MAX_TRANSCRIPT_BYTES, check_office_file
from qualcode.models import Transcript
from qualcode.readers.assemble import Paragraph, build_transcript, paragraph_turns, table_turns
from qualcode.readers.render import Block
from qualcode.readers.tables import row_text, table_blocks
from qualcode.text import normalise

_CONTAINERS = ("text:section", "text:list", "text:list-item", "text:list-header", "text:soft-page-break")


def read_odt(path: Path, known_speakers=(), *, max_bytes: int = MAX_TRANSCRIPT_BYTES) -> Transcript:
    document = open_odt(path, max_bytes)
    paragraphs: list[Paragraph] = []
    rows: list[Block] = []
    bold_styles: dict[str, bool] = {}
    for element in _flow(document.body):
        if element.tag == "table:table":
            cells = [[_cell_text(c) for c in row.get_elements("table:table-cell")]
                     for row in element.get_elements("table:table-row")]
            read = table_blocks(cells)
            if read is None:
                paragraphs.extend(Paragraph(row_text(row)) for row in cells)
            else:
                paragraphs.extend(Paragraph(line) for line in read[0])
                rows.extend(read[1])
        else:
            paragraphs.append(Paragraph(element.inner_text, _bold_start(document, element, bold_styles)))
    if rows:
        text, turns, notes = table_turns(rows, [p.text for p in paragraphs])
    else:
        text, turns, notes = paragraph_turns(paragraphs, known_speakers)
    return build_transcript(path, "odt", text, turns, notes, metadata=_metadata(document), encoding="odt")


def open_odt(path: Path, max_bytes: int = MAX_TRANSCRIPT_BYTES):
    """Open the LibreOffice file (the one place an .odt is read from disk), its inflated size checked first."""
    from lxml.etree import XMLSyntaxError
    from odfdo import Document

    invalid = _("is not a valid LibreOffice text document (the .odt file is damaged or not an .odt)")
    check_office_file(path, max_bytes, invalid)
    try:
        document = Document(str(path))
        body = document.body
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, XMLSyntaxError) as exc:
        raise InputError(path, invalid) from exc
    if body is None or body.tag != "office:text":
        raise InputError(path, _("is not a LibreOffice text document (an .odt with a text body)"))
    return document


def _flow(element):
    """Paragraphs, headings and tables in reading order, through sections and lists."""
    for child in element.children:
        if child.tag in ("text:p", "text:h", "table:table"):
            yield child
        elif child.tag in _CONTAINERS:
            yield from _flow(child)


def _cell_text(cell) -> str:
    return " ".join(p.inner_text for p in cell.get_elements("text:p"))


def _bold_start(document, paragraph, cache: dict[str, bool]) -> str | None:
    """The text of a bold span that opens the paragraph (nothing but spaces before it)."""
    if (paragraph.text or "").strip():
        return None
    for child in paragraph.children:
        if child.tag != "text:span":
            return None
        name = child.get_attribute("text:style-name")
        if name not in cache:
            style = document.get_style("text", name) if name else None
            cache[name] = style is not None and (style.get_properties() or {}).get("fo:font-weight") == "bold"
        if cache[name]:
            return normalise(child.inner_text)
        return None
    return None


def _metadata(document) -> dict[str, str]:
    meta = {}
    title = document.meta.get_title()
    if title:
        meta["title"] = title
    created = document.meta.get_creation_date()
    if created:
        meta["created"] = created.date().isoformat()
    return meta
