"""Word layout for reports: A4, the proofing language, real styles, and tables that fit the page.

python-docx starts from a US template (Letter, en-US proofing, Calibri and
theme fonts). :func:`new_document` turns it into a Danish report page: A4
with 2.5 cm margins, proofing language ``da-DK`` (``en-GB`` in English) on
every style, Arial throughout, named paragraph styles for body, headings,
quotes, captions and table cells (changing a style in Word changes the whole
report), and page numbers in the footer.

Tables are :mod:`qualcode.report.docx_tables`.
"""

from __future__ import annotations

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qualcode.i18n import PROOFING_LANGUAGES, resolve_lang

PAGE_CM = (21.0, 29.7)                  # A4
MARGIN_CM = 2.5
TEXT_WIDTH_CM = PAGE_CM[0] - 2 * MARGIN_CM          # 16.0
LANDSCAPE_TEXT_WIDTH_CM = PAGE_CM[1] - 2 * MARGIN_CM  # 24.7
FONT = "Arial"
BODY_PT = 10.5
TABLE_PT = 9
HEADING_COLOUR = RGBColor(0x1F, 0x3A, 0x5F)

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
