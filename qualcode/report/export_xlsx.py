"""Excel export: one sheet per table, with filters, wrapped text and sensible widths."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qualcode.i18n import choose
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
    """
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    if personal_data_note:
        ws = wb.create_sheet(choose("PERSONDATA", "PERSONAL DATA", lang))
        ws["A1"] = personal_data_note
        ws["A1"].font = Font(bold=True, color="9C0006")
        ws["A1"].fill = _WARNING_FILL
        ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 100
        ws.row_dimensions[1].height = 45
    for title, frame in sheets:
        frame = frame.reset_index() if title in index_sheets else frame
        ws = wb.create_sheet(_sheet_title(title))
        _write_frame(ws, frame, lang)
        if personal_data_note:
            ws["A1"].comment = Comment(personal_data_note, "qualcode")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _sheet_title(title: str) -> str:
    # Excel forbids these characters and more than 31 characters in sheet names.
    for ch in '[]:*?/\\':
        title = title.replace(ch, " ")
    return title[:31]


def _write_frame(ws, frame: pd.DataFrame, lang: str | None) -> None:
    columns = list(frame.columns)
    ws.append([header(str(c), lang) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in frame.itertuples(index=False):
        ws.append([_cell(v) for v in values])
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, column in enumerate(columns, 1):
        texts = [header(str(column), lang)] + [str(v) for v in frame[column].head(500) if v is not None]
        longest = max((len(line) for t in texts for line in t.split("\n")), default=MIN_WIDTH)
        width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
        if _needs_wrap(frame[column], width):
            # Only text wider than its column needs wrapping; styling every
            # cell of a 60,000-quote sheet doubled the time to write it.
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = wrap
    last = get_column_letter(max(1, len(columns)))
    ws.auto_filter.ref = f"A1:{last}{max(1, ws.max_row)}"
    ws.freeze_panes = "A2"


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
