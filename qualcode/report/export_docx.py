"""The Word report: a Danish evaluation report's method, tables, figures and quotes, ready to paste.

Layout (page, language, styles, table widths) is :mod:`qualcode.report.docx_layout`;
this module decides what goes on the pages. Reads only :class:`ReportData`
and the figures drawn for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd
from docx.shared import Cm, RGBColor

from qualcode.i18n import format_number, format_percent, gettext as _, ngettext, number_in_words, pgettext
from qualcode.report import docx_layout as layout
from qualcode.report import docx_tables as tables
from qualcode.report.data import Figure, ReportData
from qualcode.report.quotes import quote_marks

MUNICIPALITY_LEVELS = 1  # the municipality table shows themes and their codes, not deeper levels


class _Numbering:
    """Table and figure numbers, in the order they appear."""

    def __init__(self):
        self.tables = 0
        self.figures = 0


def write_docx(path: str | Path, data: ReportData, figures: Sequence[Figure] = ()) -> Path:
    path = Path(path)
    lang = data.lang
    doc = layout.new_document(lang)
    doc.core_properties.title = data.title
    doc.add_paragraph(data.title, style="Title")
    if data.personal_data_note:
        run = doc.add_paragraph().add_run(data.personal_data_note)
        run.bold = True
        run.font.color.rgb = RGBColor(0x9C, 0x00, 0x06)
    numbers = _Numbering()
    _method_section(doc, data)
    _frequency_section(doc, data, {f.name: f for f in figures}, numbers)
    _quote_section(doc, data)
    _codebook_appendix(doc, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def _method_section(doc, data: ReportData) -> None:
    doc.add_heading(_("Method"), level=1)
    for paragraph in data.method:
        doc.add_paragraph(paragraph)
    if data.about_coding:
        doc.add_heading(_("About the coding"), level=2)
        for paragraph in data.about_coding:
            doc.add_paragraph(paragraph)


# -- tables and figures ---------------------------------------------------------------------
def _frequency_section(doc, data: ReportData, figures: dict[str, Figure], numbers: _Numbering) -> None:
    freq = data.frequencies
    n = int(freq["N"].iloc[0]) if len(freq) else 0
    doc.add_heading(_("Themes and frequencies"), level=1)
    numbers.tables += 1
    doc.add_paragraph(_(
        "Table {table} shows for each theme and code how many coded segments there are and how many of the {n} "
        "interviewees raised it; a theme counts every code below it."
    ).format(table=numbers.tables, n=number_in_words(n)))
    columns = [tables.Column(pgettext("table", "Code"), tuple(freq["code_name"]), indents=tuple(freq["level"]))]
    columns.append(tables.Column(pgettext("table", "Coded segments"), tuple(_int(v) for v in freq["segments"]), numeric=True))
    if data.show_documents:
        columns.append(tables.Column(pgettext("table", "Interviews"), tuple(_int(v) for v in freq["documents"]), numeric=True))
    columns.append(tables.Column(pgettext("table", "Interviewees"), tuple(_int(v) for v in freq["participants"]), numeric=True))
    columns.append(tables.Column(pgettext("table", "Share"), tuple(format_percent(v / 100) for v in freq["participants_pct"]), numeric=True))
    themes = list(freq["level"] == 0)
    where = tables.orientation(columns, themes)
    if where != "portrait":
        layout.landscape_section(doc)
    _caption(doc, _("Table {n}. Coded segments and interviewees per theme and code (N = {total}).").format(n=numbers.tables, total=n))
    _table(doc, columns, themes, where)
    if where != "portrait":
        layout.portrait_section(doc)
    _figure(doc, figures.get("themes"), numbers)

    by_role = data.by_role
    _table_section(
        doc, numbers, _("By role"),
        _("Table {table} shows how many interviewees in each role raised each code; n under the role is the number of "
          "interviewees in that role."),
        _("Table {n}. Interviewees per code and role."),
        _crosstab_columns(by_role, data.role_sizes, data.total_label, n), list(by_role["level"] == 0),
    )
    _figure(doc, figures.get("code_role"), numbers)

    by_municipality = data.by_municipality[data.by_municipality["level"] <= MUNICIPALITY_LEVELS]
    if len(data.municipality_sizes) > 1:
        _table_section(
            doc, numbers, _("By municipality"),
            _("Table {table} shows how many interviewees in each municipality raised each theme and code."),
            _("Table {n}. Interviewees per code and municipality."),
            _crosstab_columns(by_municipality, data.municipality_sizes, data.total_label, n),
            list(by_municipality["level"] == 0),
        )


def _table_section(doc, numbers: _Numbering, heading: str, intro: str, caption: str, columns: list[tables.Column],
                   themes: list[bool]) -> None:
    """A heading, a sentence, a caption and a table; on a landscape page of their own when the table needs one."""
    numbers.tables += 1
    where = tables.orientation(columns, themes)
    if where != "portrait":
        layout.landscape_section(doc)
    doc.add_heading(heading, level=2)
    doc.add_paragraph(intro.format(table=numbers.tables))
    _caption(doc, caption.format(n=numbers.tables))
    _table(doc, columns, themes, where)
    if where != "portrait":
        layout.portrait_section(doc)


def _crosstab_columns(table: pd.DataFrame, sizes, total_label: str, n: int) -> list[tables.Column]:
    columns = [tables.Column(pgettext("table", "Code"), tuple(table["code_name"]), indents=tuple(table["level"]))]
    for group in [c for c in table.columns if c not in ("code_name", "level")]:
        size = n if group == total_label else sizes.get(group, 0)
        columns.append(tables.Column(f"{group}\n{_n(size)}", tuple(_int(v) for v in table[group]), numeric=True))
    return columns


def _table(doc, columns: list[tables.Column], themes: list[bool], where: str = "portrait") -> None:
    """The table at the width of its page; too wide even for landscape, it is split into parts that fit."""
    width = layout.TEXT_WIDTH_CM if where == "portrait" else layout.LANDSCAPE_TEXT_WIDTH_CM
    parts = [columns] if where != "split" else tables.split_columns(columns, width, themes)
    for part in parts:
        tables.add_table(doc, part, bold_rows=themes, shaded_rows=themes, available_cm=width)
        _after_table(doc)


def _after_table(doc) -> None:
    # Space between a table and what follows (Word puts none).
    doc.add_paragraph().paragraph_format.space_after = 0


def _caption(doc, text: str) -> None:
    paragraph = doc.add_paragraph(text, style="Caption")
    paragraph.paragraph_format.keep_with_next = True


def _figure(doc, figure: Figure | None, numbers: _Numbering) -> None:
    if figure is None:
        return
    numbers.figures += 1
    # Inserted at the width it was drawn for, so its 8 pt labels print at 8 pt.
    doc.add_picture(str(figure.png), width=Cm(figure.width_cm))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph(_("Figure {n}. {caption}").format(n=numbers.figures, caption=figure.caption), style="Caption")


# -- quotes --------------------------------------------------------------------------------------
def _quote_section(doc, data: ReportData) -> None:
    _chapter(doc, _("Quotes"))
    freq = data.frequencies.set_index("code")
    selected = data.selected
    for theme in data.codebook.roots():
        doc.add_heading(theme.name, level=2)
        _lead(doc, _raised(freq.loc[theme.id]))
        for code in (theme, *data.codebook.descendants(theme.id)):
            quotes = selected[selected["code"] == code.id].sort_values("rank")
            if code.id == theme.id and quotes.empty:
                continue  # quotes usually sit on sub-codes; the theme heading needs none of its own
            if freq.loc[code.id, "segments"] == 0:
                continue  # nobody raised it: the frequency table already shows the zero
            if code.id != theme.id:
                doc.add_heading(code.name, level=3)
                _lead(doc, _raised(freq.loc[code.id]))
            if quotes.empty:
                doc.add_paragraph(_("Each quote for this code is printed under another code."))
            for _i, row in quotes.iterrows():
                _quote(doc, row, data.lang)


def _lead(doc, text: str) -> None:
    # The count line stays on the page of the quote it introduces.
    doc.add_paragraph(text).paragraph_format.keep_with_next = True


def _quote(doc, row, lang: str) -> None:
    text = row["passage"] if isinstance(row.get("passage"), str) and row["passage"] else row["quote"]
    paragraph = doc.add_paragraph(style=layout.QUOTE)
    paragraph.add_run(quote_marks(text, lang))
    paragraph.add_run(" " + row["attribution"], style=layout.QUOTE_SOURCE)


def _raised(row) -> str:
    """ "Nævnt af 8 af 9 interviewpersoner (89 %) i 25 kodede segmenter." """
    participants, total, segments = int(row["participants"]), int(row["N"]), int(row["segments"])
    share = format_percent(row["participants_pct"] / 100)
    return ngettext(
        "Raised by {n} of {total} interviewees ({share}) in {segments} coded segment.",
        "Raised by {n} of {total} interviewees ({share}) in {segments} coded segments.",
        segments,
    ).format(n=format_number(participants), total=format_number(total), share=share, segments=format_number(segments))


# -- appendix ------------------------------------------------------------------------------------
def _codebook_appendix(doc, data: ReportData) -> None:
    """Each code's definition and when to use it; keywords (search patterns) are for coders, in the workbook."""
    _chapter(doc, _("Appendix: Codebook"))
    book = data.codebook
    if book.name:
        doc.add_paragraph(f"{book.name} {book.version}".strip())
    for code in book.codes:
        level = min(2 + book.depth(code.id), 4)
        doc.add_heading(f"{code.name} ({code.id})", level=level)
        for label, text in (
            (pgettext("codebook appendix", "Definition"), code.definition),
            (pgettext("codebook appendix", "Include"), code.include),
            (pgettext("codebook appendix", "Exclude"), code.exclude),
        ):
            if text:
                p = doc.add_paragraph()
                p.add_run(f"{label}: ").bold = True
                p.add_run(" ".join(text.split()))


def _chapter(doc, title: str) -> None:
    """A level-1 heading that starts a new page, as a report's chapters do."""
    doc.add_heading(title, level=1).paragraph_format.page_break_before = True


def _n(size: int) -> str:
    """ "(n = 2)" held together by no-break spaces, so a header wraps before it, never inside it."""
    return f"(n\u00a0=\u00a0{size})"


def _int(value) -> str:
    return format_number(int(value))
