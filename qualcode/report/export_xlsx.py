"""Excel export: one sheet per table, with filters, wrapped text and sensible widths."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qualcode.i18n import gettext as _
from qualcode.report.data import ReportData
from qualcode.report.wording import header

MAX_WIDTH = 70
MIN_WIDTH = 6
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_WARNING_FILL = PatternFill("solid", fgColor="F8D7DA")


def write_xlsx(
    path: str | Path,
    sheets: Sequence[tuple[str, pd.DataFrame]],
    *,
    personal_data_note: str | None = None,
    lang: str | None = None,
    index_sheets: Sequence[str] = (),
) -> Path:
    """Write ``(sheet title, DataFrame)`` pairs; headers are printed in ``lang``.

    With ``personal_data_note`` (a non-anonymised export) the workbook opens on
    a warning sheet and every sheet's first header cell carries the note.
    Rows are streamed to the file (openpyxl's write-only mode): a study's
    60,000 quotes held as cell objects took over 2 GB.
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    if personal_data_note:
        ws = wb.create_sheet(_("PERSONAL DATA", lang))
        ws.column_dimensions["A"].width = 100
        ws.row_dimensions[1].height = 45
        note = WriteOnlyCell(ws, value=personal_data_note)
        note.font = Font(bold=True, color="9C0006")
        note.fill = _WARNING_FILL
        note.alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([note])
    for title, frame in sheets:
        frame = frame.reset_index() if title in index_sheets else frame
        _write_frame(wb.create_sheet(_sheet_title(title)), frame, lang, personal_data_note)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _sheet_title(title: str) -> str:
    # Excel forbids these characters and more than 31 characters in sheet names.
    for ch in '[]:*?/\\':
        title = title.replace(ch, " ")
    return title[:31]


def _write_frame(ws, frame: pd.DataFrame, lang: str | None, note: str | None = None) -> None:
    """One sheet: bold header with a filter, frozen under the header, widths from the content.

    In write-only mode everything about the sheet is set before its first row.
    """
    columns = list(frame.columns)
    headers = [header(str(c), lang) for c in columns]
    wrapped = []
    for i, column in enumerate(columns, 1):
        texts = [headers[i - 1]] + [str(v) for v in frame[column].head(500) if v is not None]
        longest = max((len(line) for t in texts for line in t.split("\n")), default=MIN_WIDTH)
        width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
        # Only text wider than its column needs wrapping; styling every cell
        # of a 60,000-quote sheet doubled the time to write it.
        wrapped.append(_needs_wrap(frame[column], width))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{len(frame) + 1}"
    head = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        head.append(cell)
    if note and head:
        head[0].comment = Comment(note, "qualcode")
    ws.append(head)
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in frame.itertuples(index=False):
        row = []
        for value, needs in zip(values, wrapped):
            value = _cell(value)
            if needs:
                value = WriteOnlyCell(ws, value=value)
                value.alignment = wrap
            row.append(value)
        ws.append(row)


def _needs_wrap(values: pd.Series, width: float) -> bool:
    """Whether any cell of the column is wider than the column or has a line break."""
    if values.empty or pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return False
    texts = values.dropna().astype(str)
    return bool(len(texts)) and bool((texts.str.len() + 2 > width).any() or texts.str.contains("\n", regex=False).any())


def _cell(value):
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def report_sheets(data: ReportData) -> list[tuple[str, pd.DataFrame]]:
    """The report's workbook: the selected quotes first, then every quote, the counts and the codebook."""
    lang = data.lang
    codebook = pd.DataFrame(
        [
            {"code": c.id, "code_name": c.name, "theme": data.codebook.theme_of(c.id), "level": data.codebook.depth(c.id),
             "definition": c.definition, "include": c.include, "exclude": c.exclude, "keywords": ", ".join(c.keywords)}
            for c in data.codebook.codes
        ]
    )
    return [
        (_("Selected quotes", lang), data.selected),
        (_("Quotes", lang), data.quotes),
        (_("Frequencies", lang), data.frequencies),
        (_("Roles", lang), data.by_role.reset_index()),
        (_("Municipalities", lang), data.by_municipality.reset_index()),
        (_("Codebook", lang), codebook),
    ]
