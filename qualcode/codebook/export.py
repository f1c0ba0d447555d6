"""Codebook to Word (the appendix table reports print) and to Excel."""

from __future__ import annotations

from pathlib import Path

from qualcode.codebook.model import Codebook
from qualcode.i18n import choose

APPENDIX_COLUMNS = (
    ("Kode", "Code"),
    ("Definition", "Definition"),
    ("Brug når", "Include"),
    ("Brug ikke når", "Exclude"),
    ("Eksempel", "Example"),
)
SHEET_COLUMNS = (
    ("id", "id", 28),
    ("navn", "name", 34),
    ("overordnet", "parent", 20),
    ("tema", "theme", 16),
    ("niveau", "level", 8),
    ("definition", "definition", 50),
    ("brug når", "include", 50),
    ("brug ikke når", "exclude", 50),
    ("eksempler", "examples", 60),
    ("nøgleord", "keywords", 30),
    ("farve", "colour", 10),
)


def quote(text: str) -> str:
    """An example as reports print quotes: in quotation marks."""
    return f"\u201d{text.strip()}\u201d" if text else ""


def export_docx(codebook: Codebook, path: str | Path, *, lang: str | None = None) -> Path:
    """A Word document with the codebook as an appendix table: code, definition, include, exclude, example.

    Each theme (top-level code) is a shaded row spanning the table, followed by
    its sub-codes; deeper levels are indented with a dash.
    """
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    # Five text columns need the width of a landscape page.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    title = f"{choose('Bilag: Kodebog', 'Appendix: Codebook', lang)} – {codebook.name}"
    document.add_heading(title, level=1)
    if codebook.version:
        document.add_paragraph(f"{choose('Version', 'Version', lang)} {codebook.version}")
    if codebook.description:
        document.add_paragraph(" ".join(codebook.description.split()))

    table = document.add_table(rows=1, cols=len(APPENDIX_COLUMNS))
    table.style = "Table Grid"
    for cell, (da, en) in zip(table.rows[0].cells, APPENDIX_COLUMNS):
        cell.text = ""
        cell.paragraphs[0].add_run(choose(da, en, lang)).bold = True
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
        values = (name, code.definition, code.include, code.exclude, quote(code.examples[0]) if code.examples else "")
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
    sheet.title = choose("Kodebog", "Codebook", lang)
    sheet.append([choose(da, en, lang) for da, en, _w in SHEET_COLUMNS])
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
    for index, (_da, _en, width) in enumerate(SHEET_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"

    about = workbook.create_sheet(choose("Om", "About", lang))
    for key, value in (
        (choose("Kodebog", "Codebook", lang), codebook.name),
        ("Version", codebook.version),
        (choose("Sprog", "Language", lang), codebook.language),
        (choose("Beskrivelse", "Description", lang), codebook.description),
        (choose("Antal koder", "Number of codes", lang), len(codebook.codes)),
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
