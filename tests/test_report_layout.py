"""The Word report's page: A4, proofing language, column widths, alignment, header rows, landscape, figure sizes."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from qualcode.report import build_report
from qualcode.report import docx_layout as layout
from qualcode.report import docx_tables as tables
from qualcode.report.charts import MIN_FONT_PT, code_role_heatmap_figure, theme_bars_figure
from report_helpers import INTERVIEWS, fake_redactor, make_project

A4 = (Cm(21), Cm(29.7))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project()
    result = build_report(project, tmp_path_factory.mktemp("layout"), redactor=fake_redactor(project), formats=("docx",))
    yield result, docx.Document(str(result.out_dir / "rapport.docx"))
    project.close()


def _within_a_twip(a, b) -> bool:
    return abs(int(a) - int(b)) <= 635  # 1/20 pt: Word stores page sizes in twips


def test_every_page_is_a4(built):
    _result, word = built
    for section in word.sections:
        size = (section.page_width, section.page_height)
        if section.orientation == WD_ORIENT.LANDSCAPE:
            size = size[::-1]
        assert _within_a_twip(size[0], A4[0]) and _within_a_twip(size[1], A4[1])
        assert _within_a_twip(section.left_margin, Cm(2.5)) and _within_a_twip(section.right_margin, Cm(2.5))


@pytest.mark.parametrize("lang, tag", [("da", "da-DK"), ("en", "en-GB")])
def test_proofing_language_is_the_reports(tmp_path, lang, tag):
    project = make_project()
    result = build_report(project, tmp_path, redactor=fake_redactor(project), formats=("docx",), lang=lang)
    project.close()
    word = docx.Document(str(result.out_dir / "rapport.docx"))
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == tag
    # No style may bring back the template's en-US.
    assert {el.get(qn("w:val")) for el in word.styles.element.iter(qn("w:lang"))} == {tag}
    assert not [el for el in word.element.body.iter(qn("w:lang")) if el.get(qn("w:val")) != tag]
    assert word.core_properties.language == tag
    assert word.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == tag
    assert word.settings.element.find(qn("w:proofState")) is None  # Word checks the spelling itself


def _widths(table) -> list[float]:
    return [int(c.get(qn("w:w"))) / 1440 * 2.54 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_columns_follow_their_content(built):
    _result, word = built
    table = word.tables[0]  # Kode | Kodede segmenter | Interviewpersoner | Andel
    widths = _widths(table)
    assert abs(sum(widths) - layout.TEXT_WIDTH_CM) < 0.05  # the table spans the text width
    assert widths[0] > 2 * max(widths[1:])  # the code column is wide, number columns narrow
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            assert abs(cell.width.cm - width) < 0.01
    # No word is wider than its column (so none can be broken).
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            bold = any(r.bold for p in cell.paragraphs for r in p.runs) or row is table.rows[0]
            indent = cell.paragraphs[0].paragraph_format.left_indent
            room = widths[i] - tables.CELL_PADDING_CM - (indent.cm if indent else 0)
            assert tables.longest_word_cm(cell.text, bold=bold) <= room, (cell.text, widths[i])


def test_numbers_are_right_aligned_and_headers_repeat(built):
    _result, word = built
    for table in word.tables:
        header, *rows = table.rows
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on a new page
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)  # no row breaks across pages
        for row in rows:
            for cell in row.cells[1:]:
                assert cell.paragraphs[0].style.name == "Table Number"
            assert row.cells[0].paragraphs[0].style.name == "Table Text"
    assert word.styles["Table Number"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert word.styles["Table Heading Number"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_codes_are_indented_under_their_theme_and_themes_are_bold(built):
    _result, word = built
    rows = word.tables[0].rows
    theme = next(r for r in rows if r.cells[0].text == "Barrierer")
    code = next(r for r in rows if r.cells[0].text == "Tidspres")
    assert all(run.bold for run in theme.cells[0].paragraphs[0].runs)
    assert theme.cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == tables.THEME_FILL
    assert code.cells[0].paragraphs[0].paragraph_format.left_indent.cm == pytest.approx(tables.INDENT_CM, abs=0.01)


def _many_municipalities(n: int):
    base = INTERVIEWS[0][2]
    return [(f"{i:02d}_leder.txt", {"participant_id": f"P{i}", "role": "leder", "municipality": f"By{i} Kommune"},
             [(label, who, f"{said} ({i})", t) for label, who, said, t in base])  # each interview its own text
            for i in range(n)]


@pytest.mark.parametrize("municipalities, landscape, parts", [
    (4, False, 1),   # fits the portrait page
    (7, True, 1),    # too wide for portrait: its own landscape page
    (15, True, 2),   # too wide even for landscape: split, the code column repeated
])
def test_wide_tables_go_landscape_or_are_split(tmp_path, municipalities, landscape, parts):
    project = make_project(codings=[(0, 1, "driver.ledelsesopbakning", "gold", "accepted", "human")],
                           interviews=_many_municipalities(municipalities))
    result = build_report(project, tmp_path, redactor=fake_redactor(project), formats=("docx",))
    project.close()
    word = docx.Document(str(result.out_dir / "rapport.docx"))
    municipality_tables = [t for t in word.tables if t.rows[0].cells[1].text.startswith("Kommune ")]
    assert len(municipality_tables) == parts
    for table in municipality_tables:
        assert table.rows[0].cells[0].text == "Kode"  # every part carries the code column
    columns = sum(len(t.columns) - 1 for t in municipality_tables)
    assert columns == municipalities + 1  # every municipality and the total, once
    orientations = [s.orientation for s in word.sections]
    assert (WD_ORIENT.LANDSCAPE in orientations) == landscape
    assert word.sections[-1].orientation == WD_ORIENT.PORTRAIT  # back to portrait after the wide table
    widths = [sum(_widths(t)) for t in municipality_tables]
    limit = layout.LANDSCAPE_TEXT_WIDTH_CM if landscape else layout.TEXT_WIDTH_CM
    assert all(w <= limit + 0.05 for w in widths)


def test_figures_print_at_the_size_they_were_drawn(built):
    result, word = built
    shapes = word.inline_shapes
    assert len(shapes) == 2
    for shape, figure in zip(shapes, result.figures):
        assert abs(shape.width.cm - figure.width_cm) < 0.01
        with Image.open(figure.png) as image:
            dpi = image.info["dpi"][0]
            drawn_cm = image.width / dpi * 2.54
        assert drawn_cm == pytest.approx(figure.width_cm, rel=0.01)  # scale 1: 8 pt labels print at 8 pt


def _font_sizes(fig) -> list[float]:
    from matplotlib.text import Text

    fig.canvas.draw()
    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]


def test_chart_labels_are_at_least_8_pt(built):
    result, _word = built
    data = result.data
    for fig in (theme_bars_figure(data.frequencies), code_role_heatmap_figure(data.by_role, sizes=data.role_sizes)):
        sizes = _font_sizes(fig)
        assert sizes and min(sizes) >= MIN_FONT_PT


def test_theme_bars_run_to_everyone_with_whole_numbers_and_the_legend_outside(built):
    result, _word = built
    fig = theme_bars_figure(result.data.frequencies)
    ax = fig.axes[0]
    n = int(result.data.frequencies["N"].iloc[0])
    ticks = list(ax.get_xticks())
    assert max(ticks) == n and ax.get_xlim()[1] >= n  # the axis runs to N, not to the longest bar
    assert all(float(t).is_integer() for t in ticks)  # counts of people
    assert ax.get_legend() is None and fig.legends  # a figure legend, outside the bars
    fig.canvas.draw()
    legend = fig.legends[0].get_window_extent()
    assert legend.y0 >= ax.get_window_extent().y1 - 1  # above the axes, covering no bar


def test_heat_map_shows_shares_with_n_in_the_headers(built):
    result, _word = built
    data = result.data
    fig = code_role_heatmap_figure(data.by_role, sizes=data.role_sizes)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["direktører\n(n = 1)", "chefer\n(n = 1)", "medarbejdere\n(n = 1)"]
    cells = [t.get_text() for t in ax.texts]
    assert set(cells) <= {"0 %", "100 %"}  # one interviewee per role here: shares are 0 or 100 %
    without = code_role_heatmap_figure(data.by_role)
    assert {t.get_text() for t in without.axes[0].texts} <= {"0", "1"}  # counts when sizes are not given


def test_column_widths_refuse_a_word_that_cannot_fit():
    columns = [tables.Column("Kode", ("Organisationsudviklingskonsulentfunktion",)),
               tables.Column("n", ("1",), numeric=True)]
    assert tables.column_widths(columns, 3.0) is None
    assert tables.column_widths(columns, 12.0) is not None


def test_text_width_uses_arial_metrics():
    # Arial's "m" is 0.833 em, its "i" 0.222 em: at 9 pt a word of ten m's is 2.65 cm wide.
    assert tables.text_width_cm("m" * 10, 9) == pytest.approx(0.833 * 9 / 72 * 2.54 * 10, rel=0.01)
    assert tables.text_width_cm("i" * 10, 9) < tables.text_width_cm("m" * 10, 9) / 3
    assert tables.text_width_cm("Kode", 9, bold=True) > tables.text_width_cm("Kode", 9)
