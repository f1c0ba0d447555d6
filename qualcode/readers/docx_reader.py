"""Word (.docx) transcripts: labelled paragraphs (often a bold "Navn:") or a table.

A table whose header names time, speaker and text columns (Tid | Taler |
Tekst) is read as rows of turns; other paragraphs are read like plain text,
with a bold run at the start of a paragraph taken as the speaker label.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from qualcode.errors import InputError
from qualcode.limits import DOCX_TOTAL_FACTOR, DOCX_XML_FACTOR, MAX_TRANSCRIPT_BYTES, check_members, open_archive
from qualcode.models import Transcript
from qualcode.readers.render import Block, render_blocks
from qualcode.readers.speakers import find_turns, parse_time, single_speaker_warnings
from qualcode.text import normalise

_NOT_DOCX = "is not a valid Word document (the .docx file is damaged or not a .docx)"
_TIME_HEADERS = {"tid", "time", "tidspunkt", "tidskode", "timestamp", "start"}
_SPEAKER_HEADERS = {"taler", "speaker", "navn", "person", "deltager", "name"}
_TEXT_HEADERS = {"tekst", "text", "udsagn", "transskription", "indhold"}


def read_docx(path: Path, known_speakers=(), *, max_bytes: int = MAX_TRANSCRIPT_BYTES) -> Transcript:
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
        from lxml.etree import XMLSyntaxError
    except ImportError as exc:  # pragma: no cover - dependency is required
        raise InputError(path, "python-docx is not installed") from exc
    check_docx_size(path, max_bytes)
    try:
        document = docx.Document(str(path))
    except XMLSyntaxError as exc:
        raise InputError(path, f"is not a valid Word document (damaged XML inside: {exc.msg})") from exc
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
        raise InputError(path, _NOT_DOCX) from exc

    metadata = _core_metadata(document)
    paragraphs: list[tuple[str, str | None]] = []  # (text, bold label)
    table_blocks: list[Block] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(_paragraph(docx.text.paragraph.Paragraph(child, document)))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            blocks = _table_blocks(table)
            if blocks is None:
                for row in table.rows:
                    paragraphs.append((" ".join(c.text for c in row.cells), None))
            else:
                table_blocks.extend(blocks)

    if table_blocks:
        preamble = [p for p, _ in paragraphs]
        text, turns = render_blocks(table_blocks, preamble)
    else:
        text, turns = _paragraph_turns(paragraphs, known_speakers)
    if not text.strip():
        raise InputError(path, "has no transcript text")
    warnings = single_speaker_warnings(path, turns)
    return Transcript(
        name=path.name,
        source_path=str(path),
        format="docx",
        text=text,
        turns=tuple(turns),
        metadata=metadata,
        warnings=warnings,
        encoding="docx",
    )


def check_docx_size(path: Path, max_bytes: int, source=None) -> None:
    """Refuse a .docx whose members inflate past the limits before python-docx reads them all into memory.

    ``source``: the .docx as a file object (a source inside a REFI-QDA archive) named ``path``.
    """
    with open_archive(path, _NOT_DOCX, source) as archive:
        check_members(archive, path, each=DOCX_XML_FACTOR * max_bytes, total=DOCX_TOTAL_FACTOR * max_bytes)


def _core_metadata(document) -> dict[str, str]:
    props = document.core_properties
    meta = {}
    if props.title:
        meta["title"] = props.title
    if props.created:
        meta["created"] = props.created.date().isoformat()
    return meta


def _paragraph(paragraph) -> tuple[str, str | None]:
    text = normalise(paragraph.text)
    bold = []
    for run in paragraph.runs:
        if run.bold and run.text.strip():
            bold.append(run.text)
        elif run.text.strip():
            break
        else:
            bold.append(run.text)
    label = "".join(bold).strip().rstrip(":").strip()
    rest = text[len("".join(bold)) :].strip() if bold else text
    if label and rest and len(label) <= 40 and len(label.split()) <= 4:
        return text, normalise(label)
    return text, None


def _paragraph_turns(paragraphs, known_speakers):
    parts, extra, offset = [], {}, 0
    for text, label in paragraphs:
        line = text.strip()
        if not line:
            continue
        if label is not None and line.startswith(label):
            extra[offset] = label
        parts.append(line)
        offset += len(line) + 1
    text = "\n".join(parts)
    turns, _ = find_turns(text, list(known_speakers) + list(set(extra.values())), extra_labels=extra)
    return text, turns


def _table_blocks(table) -> list[Block] | None:
    rows = list(table.rows)
    if not rows:
        return None
    header = [normalise(c.text).strip().casefold() for c in rows[0].cells]
    time_col = _column(header, _TIME_HEADERS)
    speaker_col = _column(header, _SPEAKER_HEADERS)
    text_col = _column(header, _TEXT_HEADERS)
    if speaker_col is None or text_col is None:
        return None
    blocks = []
    for row in rows[1:]:
        cells = [normalise(c.text).strip() for c in row.cells]
        speaker = cells[speaker_col] or None
        time = None
        if time_col is not None and cells[time_col]:
            try:
                time = parse_time(cells[time_col])
            except ValueError:
                time = None
        blocks.append(Block(speaker, cells[text_col], time))
    return blocks


def _column(header: list[str], names: set[str]) -> int | None:
    for i, name in enumerate(header):
        if name in names:
            return i
    return None
