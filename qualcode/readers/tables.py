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

_TIME_HEADERS = {"tid", "time", "tidspunkt", "tidskode", "timestamp", "timecode", "tc", "start", "starttid", "tidsstempel", "in"}
_END_HEADERS = {"slut", "sluttid", "end", "stop"}
_SPEAKER_HEADERS = {"taler", "speaker", "navn", "person", "deltager", "name", "talende", "hvem"}
_TEXT_HEADERS = {"tekst", "text", "udsagn", "transskription", "transcript", "indhold", "tale", "replik", "dialog", "utterance"}
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
    """The rows of a transcript table as blocks, or ``None`` if the table is no transcript.

    A transcript table has a header naming its columns, or, without one, a column of
    recurring speaker labels beside a column of text (and perhaps one of times).
    """
    if not rows:
        return None
    columns = header_columns(rows[0])
    body = rows[1:]
    if columns is None:
        columns, body = headerless_columns(rows), rows
    if columns is None:
        return None
    time_col, speaker_col, text_col, end_col = columns
    blocks = []
    for row in body:
        cells = [normalise(c).strip() for c in row]
        if all(not c for c in cells):
            continue
        speaker = _cell(cells, speaker_col) or None
        blocks.append(Block(speaker, _cell(cells, text_col), _time_cell(cells, time_col), _time_cell(cells, end_col)))
    return blocks


def headerless_columns(rows: Sequence[Sequence[str]]) -> tuple[int | None, int, int, None] | None:
    """``(time, speaker, text, None)`` of a table without a header, judged from its cells.

    Two or three columns; the speaker column holds label-shaped cells, few distinct and
    recurring; a time column holds times; the text column is the one with the most words.
    """
    from qualcode.readers.labels import label_shape

    width = {len(r) for r in rows}
    if len(rows) < 3 or len(width) != 1 or width.pop() not in (2, 3):
        return None
    cols = list(zip(*[[normalise(c).strip() for c in r] for r in rows]))

    def share(col, test) -> float:
        cells = [c for c in col if c]
        return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0

    def is_time(cell: str) -> bool:
        try:
            return parse_time(cell) is not None
        except ValueError:
            return False

    time = next((i for i, col in enumerate(cols) if share(col, is_time) >= 0.9), None)
    speakers = [
        i for i, col in enumerate(cols)
        if i != time and share(col, lambda c: label_shape(c) is not None) >= 0.9
        and 1 <= len({c for c in col if c}) <= max(2, len(rows) // 3)
    ]
    if not speakers:
        return None
    speaker = speakers[0]
    rest = [i for i in range(len(cols)) if i not in (time, speaker)]
    if len(rest) != 1:
        return None
    return time, speaker, rest[0], None


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
