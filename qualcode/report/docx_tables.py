"""Tables in the Word report whose columns follow their content, and never break a word.

Columns are sized with Arial's metrics (:mod:`qualcode.report.fontmetrics`):
no column is narrower than its longest word, number columns are as narrow as
their numbers and right-aligned, text columns take the rest. The header row
repeats on every page and no row breaks across pages. :func:`orientation`
says whether a table fits a portrait page, needs a landscape one, or must be
split (:func:`split_columns`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from qualcode.report import fontmetrics
from qualcode.report.docx_layout import (
    LANDSCAPE_TEXT_WIDTH_CM, TABLE_HEADING, TABLE_HEADING_NUMBER, TABLE_NUMBER, TABLE_PT, TABLE_STYLE, TABLE_TEXT,
    TEXT_WIDTH_CM,
)

CELL_PADDING_CM = 0.19 * 2              # Word's default cell margins, left and right
INDENT_CM = 0.35                        # per code level in a table's first column
SAFETY = 1.04                           # widths are estimates: a word must fit with room to spare
THEME_FILL = "E8EEF4"                   # shading of a theme row (barriers, drivers)
HEADER_FILL = "D5DFEA"


# -- measuring text ---------------------------------------------------------------------
def text_width_cm(text: str, pt: float = TABLE_PT, *, bold: bool = False) -> float:
    """The printed width of ``text`` in Arial at ``pt`` points."""
    table = fontmetrics.BOLD if bold else fontmetrics.REGULAR
    units = sum(table.get(ch, fontmetrics.DEFAULT) for ch in text)
    return units / 1000 * pt / 72 * 2.54


def words(text: str) -> list[str]:
    """The pieces a line may break between: spaces and line breaks, not no-break spaces ("n\u00a0=\u00a02")."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


def longest_word_cm(text: str, pt: float = TABLE_PT, *, bold: bool = False) -> float:
    return max((text_width_cm(w, pt, bold=bold) for w in words(text)), default=0.0)


# -- tables ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A table column: header, cell texts, whether it holds numbers, and the indent of each cell."""

    header: str
    cells: tuple[str, ...]
    numeric: bool = False
    indents: tuple[int, ...] = ()   # code level of each row, for the first column


MIN_TEXT_CM = 6.0  # a code column narrower than this wraps most code names onto three lines


def column_widths(columns: Sequence[Column], available_cm: float, bold_rows: Sequence[bool] = ()) -> list[float] | None:
    """Widths (cm) that keep every word whole within ``available_cm``; ``None`` if no such widths exist.

    A number column needs its widest number and header word; a text column
    its longest word and at least :data:`MIN_TEXT_CM` (or all it needs, if
    less). Room left over goes first to text columns, up to their longest
    cell, then to number columns, until their header lines need not wrap
    (keep "(n = 2)" together with no-break spaces), and what remains to the
    first text column, so the table spans the text width.
    """
    minimum, ideal = [], []
    for col in columns:
        indents = col.indents or (0,) * len(col.cells)
        bolds = list(bold_rows) + [False] * (len(col.cells) - len(bold_rows))
        cells = [text_width_cm(c, bold=b) + i * INDENT_CM for c, b, i in zip(col.cells, bolds, indents)]
        if col.numeric:
            lines = [text_width_cm(line, bold=True) for line in col.header.split("\n")]
            minimum.append(max([longest_word_cm(col.header, bold=True), *cells], default=0.0) * SAFETY + CELL_PADDING_CM)
            ideal.append(max([*lines, *cells], default=0.0) * SAFETY + CELL_PADDING_CM)
            continue
        words_cm = [longest_word_cm(col.header, bold=True)] + [
            longest_word_cm(c, bold=b) + i * INDENT_CM for c, b, i in zip(col.cells, bolds, indents)]
        low = max(words_cm, default=0.0) * SAFETY + CELL_PADDING_CM
        high = max([low, *(w * SAFETY + CELL_PADDING_CM for w in cells)])
        minimum.append(max(low, min(high, MIN_TEXT_CM)))
        ideal.append(high)
    if sum(minimum) > available_cm:
        return None
    widths = list(minimum)
    text = [i for i, c in enumerate(columns) if not c.numeric]
    numbers = [i for i, c in enumerate(columns) if c.numeric]
    for group in (text, numbers):
        spare = available_cm - sum(widths)
        wants = [ideal[i] - widths[i] for i in group]
        if spare <= 0 or not sum(wants):
            continue
        share = min(1.0, spare / sum(wants))
        for i, want in zip(group, wants):
            widths[i] += want * share
    spare = available_cm - sum(widths)
    if text and spare > 0:
        widths[text[0]] += spare
    return widths


def orientation(columns: Sequence[Column], bold_rows: Sequence[bool] = ()) -> str:
    """Where a table fits: "portrait", "landscape", or "split" (landscape, in parts)."""
    if column_widths(columns, TEXT_WIDTH_CM, bold_rows) is not None:
        return "portrait"
    if column_widths(columns, LANDSCAPE_TEXT_WIDTH_CM, bold_rows) is not None:
        return "landscape"
    return "split"


def add_table(doc, columns: Sequence[Column], *, bold_rows: Sequence[bool] = (), shaded_rows: Sequence[bool] = (),
              available_cm: float = TEXT_WIDTH_CM):
    """A table with the given columns at ``available_cm`` width; ``None`` if it cannot fit without breaking words."""
    widths = column_widths(columns, available_cm, bold_rows)
    if widths is None:
        return None
    rows = len(columns[0].cells) if columns else 0
    table = doc.add_table(rows=rows + 1, cols=len(columns))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _fixed_layout(table, widths)
    header = table.rows[0]
    _repeat_header(header)
    for cell, col, width in zip(header.cells, columns, widths):
        _cell(cell, col.header, TABLE_HEADING_NUMBER if col.numeric else TABLE_HEADING, width, fill=HEADER_FILL)
    for r in range(rows):
        row = table.rows[r + 1]
        _cant_split(row)
        bold = r < len(bold_rows) and bold_rows[r]
        shade = r < len(shaded_rows) and shaded_rows[r]
        for cell, col, width in zip(row.cells, columns, widths):
            indent = col.indents[r] if col.indents else 0
            _cell(cell, col.cells[r], TABLE_NUMBER if col.numeric else TABLE_TEXT, width, bold=bold,
                  fill=THEME_FILL if shade else None, indent_cm=indent * INDENT_CM)
    return table


def split_columns(columns: Sequence[Column], available_cm: float, bold_rows: Sequence[bool] = ()) -> list[list[Column]]:
    """The columns in groups that each fit ``available_cm`` with the first (label) column repeated."""
    label, rest = columns[0], list(columns[1:])
    groups: list[list[Column]] = []
    current: list[Column] = []
    for col in rest:
        if current and column_widths([label, *current, col], available_cm, bold_rows) is None:
            groups.append([label, *current])
            current = []
        current.append(col)
    if current:
        groups.append([label, *current])
    return groups


def _cell(cell, text: str, style: str, width_cm: float, *, bold: bool = False, fill: str | None = None,
          indent_cm: float = 0.0) -> None:
    cell.width = Cm(width_cm)
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if indent_cm:
        paragraph.paragraph_format.left_indent = Cm(indent_cm)
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)


def _fixed_layout(table, widths: Sequence[float]) -> None:
    """Fixed layout with the grid's column widths: Word and LibreOffice then keep exactly these widths."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(sum(widths) / 2.54 * 1440)))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        grid_col.set(qn("w:w"), str(round(width / 2.54 * 1440)))


def _repeat_header(row) -> None:
    # A table that runs over a page starts the next page with its header row again.
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
    _cant_split(row)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
