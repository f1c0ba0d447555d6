"""Word (.docx) transcripts: labelled paragraphs, headings with times, or a table.

A table whose header names time, speaker and text columns (Tid | Taler |
Tekst) is read as rows of turns. Other paragraphs go through the same layout
detection as plain text (:mod:`qualcode.readers.layout`), with a bold run at
the start of a paragraph as a hint that it is a speaker label: bureaus bold
"Mette:", Otter.ai bolds the name of "Mette Hansen  00:13".
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


def read_docx(path: Path, known_speakers=(), *, max_bytes: int = MAX_TRANSCRIPT_BYTES) -> Transcript:
    document = open_docx(path, max_bytes)
    metadata = _core_metadata(document)
    paragraphs, table_rows = _body(document)
    if table_rows:
        text, turns, notes = table_turns(table_rows, [p.text for p in paragraphs])
    else:
        text, turns, notes = paragraph_turns(paragraphs, known_speakers)
    return build_transcript(path, "docx", text, turns, notes, metadata=metadata, encoding="docx")


def open_docx(path: Path, max_bytes: int = MAX_TRANSCRIPT_BYTES):
    """Open the Word file (the one place a .docx is read from disk), its inflated size checked first."""
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    invalid = _("is not a valid Word document (the .docx file is damaged or not a .docx)")
    check_office_file(path, max_bytes, invalid)
    try:
        return docx.Document(str(path))
    except XMLSyntaxError as exc:  # a truncated or damaged document.xml
        raise InputError(path, _("is not a valid Word document (damaged XML inside: {problem})").format(problem=exc.msg)) from exc
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
        raise InputError(path, invalid) from exc


def _body(document) -> tuple[list[Paragraph], list[Block]]:
    """Paragraphs in order, and the rows of any transcript table (a table of other content is text)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    paragraphs: list[Paragraph] = []
    rows: list[Block] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(_paragraph(DocxParagraph(child, document)))
        elif tag == "tbl":
            table = Table(child, document)
            cells = [[c.text for c in row.cells] for row in table.rows]
            read = table_blocks(cells)
            if read is None:
                paragraphs.extend(Paragraph(row_text(row)) for row in cells)
            else:
                paragraphs.extend(Paragraph(line) for line in read[0])
                rows.extend(read[1])
    return paragraphs, rows


def _core_metadata(document) -> dict[str, str]:
    props = document.core_properties
    meta = {}
    if props.title:
        meta["title"] = props.title
    if props.created:
        meta["created"] = props.created.date().isoformat()
    return meta


def _paragraph(paragraph) -> Paragraph:
    """The paragraph's text and its leading bold run (the whole paragraph, for a bold name alone)."""
    bold = []
    for run in paragraph.runs:
        if not run.text.strip():
            bold.append(run.text)
        elif run.bold:
            bold.append(run.text)
        else:
            break
    label = "".join(bold).strip()
    text = paragraph.text
    if label:
        return Paragraph(text, normalise(label))
    return Paragraph(text)
