"""Word layout for reports: A4, the proofing language, real styles, and tables that fit the page.

python-docx starts from a US template (Letter, en-US proofing, Calibri and
theme fonts). :func:`new_document` turns it into a Danish report page: A4
with 2.5 cm margins, proofing language ``da-DK`` (``en-GB`` in English) on
every style, Arial throughout, named paragraph styles for body, headings,
quotes, captions and table cells (changing a style in Word changes the whole
report), and page numbers in the footer.

:func:`add_table` sizes columns from their content with Arial's metrics
(:mod:`qualcode.report.fontmetrics`): no column is narrower than its
longest word, number columns are as narrow as their numbers and
right-aligned, and text columns take the rest. The header row repeats on
every page and no row breaks across pages. A table too wide for a portrait
page goes on a landscape page; one too wide for that is split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qualcode.i18n import PROOFING_LANGUAGES, resolve_lang
from qualcode.report import fontmetrics

PAGE_CM = (21.0, 29.7)                  # A4
MARGIN_CM = 2.5
TEXT_WIDTH_CM = PAGE_CM[0] - 2 * MARGIN_CM          # 16.0
LANDSCAPE_TEXT_WIDTH_CM = PAGE_CM[1] - 2 * MARGIN_CM  # 24.7
FONT = "Arial"
BODY_PT = 10.5
TABLE_PT = 9
CELL_PADDING_CM = 0.19 * 2              # Word's default cell margins, left and right
INDENT_CM = 0.35                        # per code level in a table's first column
SAFETY = 1.04                           # widths are estimates: a word must fit with room to spare
HEADING_COLOUR = RGBColor(0x1F, 0x3A, 0x5F)
THEME_FILL = "E8EEF4"                   # shading of a theme row (barriers, drivers)
HEADER_FILL = "D5DFEA"

TABLE_TEXT = "Table Text"
TABLE_NUMBER = "Table Number"
TABLE_HEADING = "Table Heading"
TABLE_HEADING_NUMBER = "Table Heading Number"
QUOTE = "Quote"
QUOTE_SOURCE = "Quote Source"
TABLE_STYLE = "Report Table"


# -- the document ------------------------------------------------------------------------
def new_document(lang: str | None = None):
    """An empty report: A4 portrait, proofing language of ``lang``, the report's styles, page numbers."""
    lang = resolve_lang(lang)
    doc = WordDocument()
    section = doc.sections[0]
    page_setup(section, landscape=False)
    _language(doc, PROOFING_LANGUAGES[lang])
    _styles(doc)
    _page_numbers(section)
    doc.core_properties.language = PROOFING_LANGUAGES[lang]
    return doc


def page_setup(section, *, landscape: bool) -> None:
    """A4 with the report's margins, portrait or landscape."""
    width, height = (PAGE_CM[1], PAGE_CM[0]) if landscape else PAGE_CM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.header_distance, section.footer_distance = Cm(1.25), Cm(1.25)


def _language(doc, tag: str) -> None:
    """Proofing language on the document defaults and every style that names its own."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_lang(r_pr, tag)
    for lang in styles.iter(qn("w:lang")):
        for attr in ("w:val", "w:eastAsia"):
            lang.set(qn(attr), tag)
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.append(theme)
    theme.set(qn("w:val"), tag)
    # The template claims its spelling was checked; let Word check the Danish text.
    for state in settings.findall(qn("w:proofState")):
        settings.remove(state)


def _set_lang(r_pr, tag: str) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _fonts(r_pr) -> None:
    """Arial for every script, replacing the template's theme fonts (which win over a plain name)."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _styles(doc) -> None:
    styles = doc.styles
    _fonts(styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")))
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) and style.element.rPr is not None:
            if style.element.rPr.find(qn("w:rFonts")) is not None:
                _fonts(style.element.rPr)
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before, after in (("Title", 22, 0, 12), ("Heading 1", 15, 18, 6), ("Heading 2", 12.5, 14, 4),
                                      ("Heading 3", 11, 10, 3), ("Heading 4", 10.5, 8, 2)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = HEADING_COLOUR
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title.font.color.rgb = HEADING_COLOUR
    # Quotes stand apart from the analysis: indented, italic, the role after them upright.
    quote = styles[QUOTE]
    quote.font.italic = True
    quote.font.color.rgb = RGBColor(0x26, 0x26, 0x26)
    quote.paragraph_format.left_indent = Cm(1)
    quote.paragraph_format.right_indent = Cm(1)
    quote.paragraph_format.space_after = Pt(8)
    quote.paragraph_format.keep_together = True
    source = styles.add_style(QUOTE_SOURCE, WD_STYLE_TYPE.CHARACTER)
    source.font.italic = False
    caption = _paragraph_style(styles, "Caption", "Normal")
    caption.font.size = Pt(9)
    caption.font.italic = True
    caption.font.bold = False
    caption.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    caption.paragraph_format.space_before = Pt(3)
    caption.paragraph_format.space_after = Pt(10)
    for name, align, bold in ((TABLE_TEXT, WD_ALIGN_PARAGRAPH.LEFT, False), (TABLE_NUMBER, WD_ALIGN_PARAGRAPH.RIGHT, False),
                              (TABLE_HEADING, WD_ALIGN_PARAGRAPH.LEFT, True), (TABLE_HEADING_NUMBER, WD_ALIGN_PARAGRAPH.RIGHT, True)):
        style = _paragraph_style(styles, name, "Normal")
        style.font.size = Pt(TABLE_PT)
        style.font.bold = bold
        style.paragraph_format.alignment = align
        style.paragraph_format.space_before = Pt(1)
        style.paragraph_format.space_after = Pt(1)
        style.paragraph_format.line_spacing = 1.0
    _table_style(styles)


def _paragraph_style(styles, name: str, base: str):
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        return style


def _table_style(styles) -> None:
    """A plain report table: rules above and below, thin lines between rows, no vertical lines."""
    style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    tbl_pr.append(_borders("w:tblBorders", top=("single", 8, "1F3A5F"), bottom=("single", 8, "1F3A5F"),
                           insideH=("single", 4, "BFBFBF")))


def _borders(tag: str, **edges) -> OxmlElement:
    borders = OxmlElement(tag)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in edges:
            kind, size, colour = edges[edge]
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), kind)
            element.set(qn("w:sz"), str(size))
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), colour)
            borders.append(element)
    return borders


def _page_numbers(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(9)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def landscape_section(doc) -> None:
    """Continue on a landscape page (for a table too wide for portrait)."""
    page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)


def portrait_section(doc) -> None:
    page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)


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
