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

_TIME_HEADERS = {"tid", "time", "tidspunkt", "tidskode", "tidskoder", "tidsmærke", "timestamp", "timecode", "time code",
                 "tc", "tc in", "start", "starttid", "start time", "begin", "tidsstempel", "in"}
_END_HEADERS = {"slut", "sluttid", "end", "end time", "stop", "out", "tc out"}
_SPEAKER_HEADERS = {"taler", "talere", "speaker", "speaker name", "navn", "person", "deltager", "name", "talende", "hvem",
                    "who"}
_TEXT_HEADERS = {"tekst", "text", "udsagn", "transskription", "transcript", "transcription", "indhold", "tale", "replik",
                 "replikker", "dialog", "dialogue", "utterance", "ytring", "speech", "content", "udskrift"}
_CELL_SEPARATORS = ("\t", "|")
# A bureau may put a title row (often merged across the columns) above the header row.
_HEADER_SEARCH = 4
# A column name's explanation in brackets ("Tid (tt:mm:ss)", "Tekst [dansk]") is not part of it.
_EXPLANATION = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def _key(cell: str) -> str:
    key = normalise(cell).strip().strip(":").strip()
    return _EXPLANATION.sub("", key).strip(":").strip().casefold()


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


def row_text(cells: Sequence[str]) -> str:
    """A row that is no turn, as a line: a merged cell (which Word repeats per column) once."""
    out: list[str] = []
    for cell in cells:
        cell = normalise(cell).strip()
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return " ".join(out)


def table_blocks(rows: Sequence[Sequence[str]]) -> tuple[list[str], list[Block]] | None:
    """``(lines above the header, blocks)`` of a transcript table, or ``None`` if it is none.

    A transcript table has a header naming its columns (perhaps under a title
    row or two), a header naming a column per speaker, or, without a header, a
    column of recurring speaker labels beside a column of text (and perhaps one
    of times).
    """
    if not rows:
        return None
    found = next(((i, c) for i, row in enumerate(rows[:_HEADER_SEARCH]) if (c := header_columns(row)) is not None), None)
    if found is None:
        by_column = speaker_columns(rows)
        if by_column is not None:
            return by_column
    if found is not None:
        i, columns = found
        before, body = [row_text(r) for r in rows[:i]], rows[i + 1 :]
    else:
        judged = headerless_columns(rows)
        if judged is None:
            return None
        columns, skip = judged
        before, body = [row_text(r) for r in rows[:skip]], rows[skip:]
    time_col, speaker_col, text_col, end_col = columns
    blocks = []
    for row in body:
        cells = [normalise(c).strip() for c in row]
        if all(not c for c in cells):
            continue
        speaker = _cell(cells, speaker_col) or None
        blocks.append(Block(speaker, _cell(cells, text_col), _time_cell(cells, time_col), _time_cell(cells, end_col)))
    return [b for b in before if b], blocks


def speaker_columns(rows: Sequence[Sequence[str]]) -> tuple[list[str], list[Block]] | None:
    """A table with a column per speaker ("Tid | Interviewer | Informant"): each row's words
    stand in the column of the one who speaks. ``None`` if ``rows`` is no such table."""
    from qualcode.readers.labels import label_shape

    for i, header in enumerate(rows[:_HEADER_SEARCH]):
        keys = [_key(c) for c in header]
        time_col = next((k for k, key in enumerate(keys) if key in _TIME_HEADERS), None)
        end_col = next((k for k, key in enumerate(keys) if key in _END_HEADERS), None)
        speakers = {k: label for k, c in enumerate(header)
                    if k not in (time_col, end_col) and (label := label_shape(normalise(c).strip())) is not None}
        others = [k for k, key in enumerate(keys) if key and k not in speakers and k not in (time_col, end_col)]
        body = [[normalise(c).strip() for c in r] for r in rows[i + 1 :] if any(c.strip() for c in r)]
        if len(speakers) < 2 or others or not body:
            continue
        filled = [[k for k in speakers if k < len(r) and r[k]] for r in body]
        if sum(1 for f in filled if len(f) == 1) < 0.8 * len(body):
            continue
        blocks = [Block(speakers[k], r[k], _time_cell(r, time_col), _time_cell(r, end_col))
                  for r, f in zip(body, filled) for k in f]
        return [line for line in (row_text(r) for r in rows[:i]) if line], blocks
    return None


def headerless_columns(rows: Sequence[Sequence[str]]) -> tuple[tuple[int | None, int, int, None], int] | None:
    """``((time, speaker, text, None), skip)`` of a table without a known header, judged from its cells.

    Two or three columns; the speaker column holds label-shaped cells, few distinct and
    recurring; a time column holds times; the text column is the one with the most words.
    ``skip`` is 1 when the first row names the columns in words we do not know
    ("Tidskode | Hvem | Sagt"): short cells above a column of times.
    """
    columns = _judge_columns(rows)
    if columns is not None:
        return columns, 0
    if len(rows) > 3 and all(0 < len(c.split()) <= 3 and not _is_time(c) for c in map(str.strip, rows[0])):
        columns = _judge_columns(rows[1:])
        if columns is not None:
            return columns, 1
    return None


def _is_time(cell: str) -> bool:
    try:
        return parse_time(cell) is not None
    except ValueError:
        return False


def _judge_columns(rows: Sequence[Sequence[str]]) -> tuple[int | None, int, int, None] | None:
    from qualcode.readers.labels import label_shape

    width = {len(r) for r in rows}
    if len(rows) < 3 or len(width) != 1 or width.pop() not in (2, 3):
        return None
    cols = list(zip(*[[normalise(c).strip() for c in r] for r in rows]))

    def share(col, test) -> float:
        cells = [c for c in col if c]
        return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0

    time = next((i for i, col in enumerate(cols) if share(col, _is_time) >= 0.9), None)
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
    starts the table; it runs while lines carry the same separator. Without a
    header, a run of RTF rows (``00:00:05|I|Hvordan …|``: striprtf ends every
    row with the separator) is a table when its columns look like one.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines[:50]):
        for sep in _CELL_SEPARATORS:
            if sep in line and header_columns(_cells(line, sep)) is not None:
                return _table_from(lines, i, sep)
    for i, line in enumerate(lines[:50]):
        if line.rstrip().endswith("|") and line.count("|") >= 2:
            before, rows, after = _table_from(lines, i, "|")
            if headerless_columns(rows) is not None or speaker_columns(rows) is not None:
                return before, rows, after
            break
    return None


def _table_from(lines: list[str], i: int, sep: str) -> tuple[list[str], list[list[str]], list[str]]:
    j = i + 1
    rows = [_cells(lines[i], sep)]
    while j < len(lines) and (sep in lines[j] or not lines[j].strip()):
        if lines[j].strip():
            rows.append(_cells(lines[j], sep))
        j += 1
    return lines[:i], rows, lines[j:]


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
