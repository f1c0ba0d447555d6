"""The Word report, built with real Word styles so the writer can restyle it.

Title, Heading 1-3, Quote, Caption and a table style from the default
template: changing a style in Word changes the whole report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from docx import Document as WordDocument
from docx.shared import Cm, RGBColor

from qualcode.i18n import choose
from qualcode.report.build import ReportData
from qualcode.report.quotes import printed
from qualcode.report.wording import header

TABLE_STYLE = "Light Grid Accent 1"
QUOTE_STYLE = "Quote"
IMAGE_WIDTH = Cm(16)


def write_docx(path: str | Path, data: ReportData) -> Path:
    path = Path(path)
    doc = WordDocument()
    doc.core_properties.title = data.title
    doc.core_properties.language = data.lang
    doc.add_paragraph(data.title, style="Title")
    if data.personal_data_note:
        run = doc.add_paragraph().add_run(data.personal_data_note)
        run.bold = True
        run.font.color.rgb = RGBColor(0x9C, 0x00, 0x06)

    lang = data.lang
    doc.add_heading(choose("Metode", "Method", lang), level=1)
    for paragraph in data.method:
        doc.add_paragraph(paragraph)

    _frequency_section(doc, data)
    _quote_section(doc, data)
    _codebook_appendix(doc, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def _frequency_section(doc, data: ReportData) -> None:
    lang = data.lang
    freq = data.frequencies
    n = int(freq["N"].iloc[0]) if len(freq) else 0
    doc.add_heading(choose("Temaer og hyppigheder", "Themes and frequencies", lang), level=1)
    doc.add_paragraph(
        choose(
            f"Tabellen viser for hvert tema og hver kode antal kodede segmenter, antal interviews og antal "
            f"interviewpersoner, der nævner det (n og procent af alle N = {n}).",
            f"For each theme and code the table shows coded segments, interviews and interviewees raising it "
            f"(n and percent of all N = {n}).",
            lang,
        )
    )
    table = freq.assign(code_name=[("" if lvl == 0 else "   ") + name for name, lvl in zip(freq["code_name"], freq["level"])])
    _table(doc, table[["code_name", "segments", "documents", "participants", "participants_pct"]], lang, bold_rows=list(freq["level"] == 0))
    _chart(doc, data, "themes", choose("Figur 1. Interviewpersoner, der nævner hvert tema.", "Figure 1. Interviewees raising each theme.", lang))

    doc.add_heading(choose("Fordelt på roller", "By role", lang), level=2)
    sizes = ", ".join(f"{role} {count}" for role, count in data.role_sizes.items())
    doc.add_paragraph(choose(f"Antal interviewpersoner, der nævner koden, pr. rolle (N pr. rolle: {sizes}).",
                             f"Interviewees raising each code, by role (N per role: {sizes}).", lang))
    by_role = data.by_role.drop(columns=["level"])
    _table(doc, by_role, lang, bold_rows=list(data.by_role["level"] == 0))
    _chart(doc, data, "code_role", choose("Figur 2. Interviewpersoner pr. kode og rolle.", "Figure 2. Interviewees per code and role.", lang))

    doc.add_heading(choose("Fordelt på kommuner", "By municipality", lang), level=2)
    themes_only = data.by_municipality[data.by_municipality["level"] <= 1].drop(columns=["level"])
    _table(doc, themes_only, lang, bold_rows=list(data.by_municipality.loc[data.by_municipality["level"] <= 1, "level"] == 0))


def _quote_section(doc, data: ReportData) -> None:
    lang = data.lang
    doc.add_heading(choose("Citater", "Quotes", lang), level=1)
    freq = data.frequencies.set_index("code")
    selected = data.selected
    for theme in data.codebook.roots():
        doc.add_heading(theme.name, level=2)
        row = freq.loc[theme.id]
        doc.add_paragraph(_raised(row, lang))
        for code in (theme, *data.codebook.descendants(theme.id)):
            quotes = selected[selected["code"] == code.id].sort_values("rank")
            if code.id == theme.id and quotes.empty:
                continue  # quotes usually sit on sub-codes; the theme heading needs none of its own
            if freq.loc[code.id, "segments"] == 0:
                continue  # nobody raised it: the frequency table already shows the zero
            if code.id != theme.id:
                doc.add_heading(code.name, level=3)
                doc.add_paragraph(_raised(freq.loc[code.id], lang))
            if quotes.empty:
                doc.add_paragraph(choose("Ingen citater.", "No quotes.", lang))
            for _, quote in quotes.iterrows():
                doc.add_paragraph(printed(quote), style=QUOTE_STYLE)


def _raised(row, lang: str | None) -> str:
    segments = row["segments"]
    return choose(
        f"Nævnt af {row['participants']} af {row['N']} interviewpersoner ({_pct(row['participants_pct'], lang)}) "
        f"i {segments} {'kodet segment' if segments == 1 else 'kodede segmenter'}.",
        f"Raised by {row['participants']} of {row['N']} interviewees ({_pct(row['participants_pct'], lang)}) "
        f"in {segments} coded {'segment' if segments == 1 else 'segments'}.",
        lang,
    )


def _pct(value: float, lang: str | None) -> str:
    text = f"{value:.0f} %"
    return text if lang == "en" else text.replace(".", ",")


def _codebook_appendix(doc, data: ReportData) -> None:
    lang = data.lang
    doc.add_heading(choose("Bilag: Kodebog", "Appendix: Codebook", lang), level=1)
    if data.codebook.name:
        doc.add_paragraph(f"{data.codebook.name} {data.codebook.version}".strip())
    for code in data.codebook.codes:
        level = min(2 + data.codebook.depth(code.id), 4)
        doc.add_heading(f"{code.name} ({code.id})", level=level)
        for label, text in (
            (choose("Definition", "Definition", lang), code.definition),
            (choose("Medtag", "Include", lang), code.include),
            (choose("Udelad", "Exclude", lang), code.exclude),
            (choose("Nøgleord", "Keywords", lang), ", ".join(code.keywords)),
        ):
            if text:
                p = doc.add_paragraph()
                p.add_run(f"{label}: ").bold = True
                p.add_run(text.strip())


def _table(doc, frame: pd.DataFrame, lang: str | None, bold_rows: list[bool] | None = None):
    frame = frame.reset_index(drop=frame.index.name is None)
    if "code" in frame.columns and "code_name" in frame.columns:
        frame = frame.drop(columns=["code"])
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = TABLE_STYLE
    for cell, column in zip(table.rows[0].cells, frame.columns):
        cell.text = header(str(column), lang)
    for i, values in enumerate(frame.itertuples(index=False)):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = _format(value, lang)
            if bold_rows and bold_rows[i]:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    return table


def _format(value, lang: str | None) -> str:
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text if lang == "en" else text.replace(".", ",")
    return str(value)


def _chart(doc, data: ReportData, name: str, caption: str) -> None:
    paths = data.charts.get(name, [])
    png = next((p for p in paths if p.suffix == ".png"), None)
    if png is None:
        return
    doc.add_picture(str(png), width=IMAGE_WIDTH)
    doc.add_paragraph(caption, style="Caption")
