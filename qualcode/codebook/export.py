"""Codebook to Word (the appendix table reports print) and to Excel."""

from __future__ import annotations

from pathlib import Path

from qualcode.codebook.model import Codebook
from qualcode.i18n import gettext, pgettext, quote as quote_marks

# Column headers: English message ids, translated in the "codebook appendix" / "codebook sheet" contexts.
APPENDIX_COLUMNS = (
    lambda lang: pgettext("codebook appendix", "Code", lang),
    lambda lang: pgettext("codebook appendix", "Definition", lang),
    lambda lang: pgettext("codebook appendix", "Include", lang),
    lambda lang: pgettext("codebook appendix", "Exclude", lang),
    lambda lang: pgettext("codebook appendix", "Example", lang),
)
SHEET_COLUMNS = (
    (lambda lang: pgettext("codebook sheet", "id", lang), 28),
    (lambda lang: pgettext("codebook sheet", "name", lang), 34),
    (lambda lang: pgettext("codebook sheet", "parent", lang), 20),
    (lambda lang: pgettext("codebook sheet", "theme", lang), 16),
    (lambda lang: pgettext("codebook sheet", "level", lang), 8),
    (lambda lang: pgettext("codebook sheet", "definition", lang), 50),
    (lambda lang: pgettext("codebook sheet", "include", lang), 50),
    (lambda lang: pgettext("codebook sheet", "exclude", lang), 50),
    (lambda lang: pgettext("codebook sheet", "examples", lang), 60),
    (lambda lang: pgettext("codebook sheet", "keywords", lang), 30),
    (lambda lang: pgettext("codebook sheet", "colour", lang), 10),
)


def quote(text: str, lang: str | None = None) -> str:
    """An example as reports print quotes: »…« in Danish, “…” in English."""
    return quote_marks(text.strip(), lang) if text else ""


def export_docx(codebook: Codebook, path: str | Path, *, lang: str | None = None) -> Path:
    """A Word document with the codebook as an appendix table: code, definition, include, exclude, example.

    Each theme (top-level code) is a shaded row spanning the table, followed by
    its sub-codes; deeper levels are indented with a dash.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from qualcode.report.docx_layout import new_document, page_setup

    # A4, the language's proofing, Arial: the same page as the report it is an appendix of.
    document = new_document(lang)
    # Five text columns need the width of a landscape page.
    page_setup(document.sections[0], landscape=True)
    title = gettext("Appendix: Codebook – {name}", lang).format(name=codebook.name)
    document.add_heading(title, level=1)
    if codebook.version:
        document.add_paragraph(gettext("Version {version}", lang).format(version=codebook.version))
    if codebook.description:
        document.add_paragraph(" ".join(codebook.description.split()))

    table = document.add_table(rows=1, cols=len(APPENDIX_COLUMNS))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, APPENDIX_COLUMNS):
        cell.text = ""
        cell.paragraphs[0].add_run(label(lang)).bold = True
    _repeat_header(table.rows[0], OxmlElement, qn)

    for code in codebook.codes:
        depth = codebook.depth(code.id)
        if depth == 0 and codebook.children(code.id):
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = ""
            merged.paragraphs[0].add_run(code.name).bold = True
            if code.definition:
                merged.paragraphs[0].add_run(f" – {code.definition}")
            _shade(merged, "D9D9D9", OxmlElement, qn)
            continue
        row = table.add_row().cells
        name = ("– " * max(depth - 1, 0)) + code.name
        values = (name, code.definition, code.include, code.exclude, quote(code.examples[0], lang) if code.examples else "")
        for cell, value in zip(row, values):
            cell.text = value
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    path = Path(path)
    document.save(str(path))
    return path


def export_xlsx(codebook: Codebook, path: str | Path, *, lang: str | None = None) -> Path:
    """An Excel workbook: one row per code with every field, and a sheet about the codebook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Codebook", lang)
    sheet.append([label(lang) for label, _w in SHEET_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for code in codebook.codes:
        sheet.append(
            [
                code.id,
                code.name,
                code.parent_id or "",
                codebook.theme_of(code.id),
                codebook.depth(code.id),
                code.definition,
                code.include,
                code.exclude,
                "\n".join(code.examples),
                ", ".join(code.keywords),
                code.color or "",
            ]
        )
        if code.color and len(code.color) == 7:
            sheet.cell(row=sheet.max_row, column=len(SHEET_COLUMNS)).fill = PatternFill("solid", fgColor=code.color[1:].upper())
    for index, (_label, width) in enumerate(SHEET_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"

    about = workbook.create_sheet(gettext("About", lang))
    for key, value in (
        (gettext("Codebook", lang), codebook.name),
        (gettext("Version", lang), codebook.version),
        (gettext("Language", lang), codebook.language),
        (gettext("Description", lang), codebook.description),
        (gettext("Number of codes", lang), len(codebook.codes)),
    ):
        about.append([key, value])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 80
    path = Path(path)
    workbook.save(str(path))
    return path


def _repeat_header(row, OxmlElement, qn) -> None:
    # Long codebooks run over several pages; Word repeats a marked header row.
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _shade(cell, fill: str, OxmlElement, qn) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
