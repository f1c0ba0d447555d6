"""Transcripts as a table: a header naming time, speaker and text columns (Tid | Taler | Tekst).

Transcription bureaus deliver these in Word and LibreOffice tables; RTF and
text exports write the same rows with ``|`` or tabs between the cells. Every
reader hands its rows (lists of cell texts) to :func:`table_blocks`.
"""

from __future__ import annotations

import re
from typing import Sequence

from qualcode.readers.render import Block
from qualcode.readers.timecodes import parse_time
from qualcode.text import normalise

_TIME_HEADERS = {"tid", "time", "tidspunkt", "tidskode", "timestamp", "start", "starttid", "tidsstempel"}
_END_HEADERS = {"slut", "sluttid", "end", "stop"}
_SPEAKER_HEADERS = {"taler", "speaker", "navn", "person", "deltager", "name", "talende", "hvem"}
_TEXT_HEADERS = {"tekst", "text", "udsagn", "transskription", "indhold", "tale", "replik", "utterance"}
_CELL_SEPARATORS = ("\t", "|")


def _key(cell: str) -> str:
    return normalise(cell).strip().strip(":").strip().casefold()


def header_columns(cells: Sequence[str]) -> tuple[int | None, int, int, int | None] | None:
    """``(time, speaker, text, end)`` column numbers if ``cells`` is a transcript table's header."""
    keys = [_key(c) for c in cells]
    speaker = next((i for i, k in enumerate(keys) if k in _SPEAKER_HEADERS), None)
    text = next((i for i, k in enumerate(keys) if k in _TEXT_HEADERS), None)
    if speaker is None or text is None:
        return None
    time = next((i for i, k in enumerate(keys) if k in _TIME_HEADERS), None)
    end = next((i for i, k in enumerate(keys) if k in _END_HEADERS), None)
    return time, speaker, text, end


def table_blocks(rows: Sequence[Sequence[str]]) -> list[Block] | None:
    """The rows after a transcript header as blocks, or ``None`` if the first row is no such header."""
    if not rows:
        return None
    columns = header_columns(rows[0])
    if columns is None:
        return None
    time_col, speaker_col, text_col, end_col = columns
    blocks = []
    for row in rows[1:]:
        cells = [normalise(c).strip() for c in row]
        if all(not c for c in cells):
            continue
        speaker = _cell(cells, speaker_col) or None
        blocks.append(Block(speaker, _cell(cells, text_col), _time_cell(cells, time_col), _time_cell(cells, end_col)))
    return blocks


def split_text_table(text: str) -> tuple[list[str], list[list[str]], list[str]] | None:
    """``(lines before, rows, lines after)`` of a table written as text, or ``None``.

    A header line such as ``Tid|Taler|Tekst|`` (RTF) or ``Tid<TAB>Taler<TAB>Tekst``
    starts the table; it runs while lines carry the same separator.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines[:50]):
        for sep in _CELL_SEPARATORS:
            if sep in line and header_columns(_cells(line, sep)) is not None:
                j = i + 1
                rows = [_cells(line, sep)]
                while j < len(lines) and (sep in lines[j] or not lines[j].strip()):
                    if lines[j].strip():
                        rows.append(_cells(lines[j], sep))
                    j += 1
                return lines[:i], rows, lines[j:]
    return None


def _cells(line: str, sep: str) -> list[str]:
    cells = line.split(sep)
    if sep == "|" and cells and not cells[-1].strip():
        cells = cells[:-1]  # RTF rows end with the cell separator
    return cells


def _cell(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def _time_cell(cells: list[str], col: int | None) -> float | None:
    value = _cell(cells, col)
    if not value:
        return None
    try:
        return parse_time(re.sub(r"\s+", "", value))
    except ValueError:
        return None
