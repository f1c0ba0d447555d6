"""The written report: Word, Excel, CSV and Markdown, opened and read back."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from qualcode.report import build_report
from qualcode.report.privacy import anonymisation_available
from qualcode.report.quotes import printed
from report_helpers import NAMES, fake_redactor, make_project


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    project = make_project()
    result = build_report(project, tmp_path_factory.mktemp("report"), redactor=fake_redactor(project))
    yield result
    project.close()


@pytest.fixture(scope="module")
def word(report):
    return docx.Document(str(report.out_dir / "rapport.docx"))


@pytest.fixture(scope="module")
def plain_report(tmp_path_factory):
    """Not anonymised, in English, without charts: every output must say it holds personal data."""
    project = make_project()
    result = build_report(project, tmp_path_factory.mktemp("plain"), anonymise=False, lang="en", formats=("docx", "xlsx", "csv", "md"))
    yield result
    project.close()


def test_files_written(report):
    names = sorted(p.relative_to(report.out_dir).as_posix() for p in report.files)
    assert names == [
        "citater.csv", "figurer/kode_rolle.png", "figurer/kode_rolle.svg", "figurer/temaer.png", "figurer/temaer.svg",
        "hyppigheder.csv", "rapport.docx", "rapport.md", "rapport.xlsx", "roller.csv",
    ]
    assert (report.out_dir / "figurer" / "temaer.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (report.out_dir / "figurer" / "temaer.svg").read_bytes()[:500]


def test_word_report_uses_real_styles(word):
    styles = [p.style.name for p in word.paragraphs]
    assert styles[0] == "Title"
    assert word.paragraphs[0].text == "Barrierer og drivkræfter: temaer og citater"
    for style in ("Heading 1", "Heading 2", "Heading 3", "Quote", "Caption"):
        assert style in styles
    assert all(t.style.name == "Light Grid Accent 1" for t in word.tables)
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Metode", "Temaer og hyppigheder", "Citater", "Bilag: Kodebog"]


def test_word_report_method_paragraph(word):
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Analysen bygger på 3 interviews: 1 direktør, 1 chef og 1 medarbejder." in text
    assert "af gold." in text
    assert "qualcode foreslog 3 kodninger" in text and "1 forslag blev accepteret og 1 afvist" in text
    assert "Citaterne er anonymiseret" in text


def test_word_report_quotes_with_exact_attribution(report, word):
    quotes = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    assert "\u201dVi har sparekrav hvert eneste år … så det første der ryger, det er det tværgående arbejde med borgerne.\u201d (chef)" in quotes
    assert "\u201dJeg hedder [NAVN], og det der hjælper er, at min leder giver mig råderum til at gøre det, borgeren faktisk har brug for.\u201d (medarbejder)" in quotes
    # Every shortlisted quote, and nothing else, is printed in the quote style.
    assert sorted(quotes) == sorted(printed(row) for _, row in report.data.selected.iterrows())


def test_word_report_counts_equal_the_codings(word):
    table = word.tables[0]
    rows = {r.cells[0].text.strip(): [c.text for c in r.cells[1:]] for r in table.rows}
    assert [c.text for c in table.rows[0].cells] == ["Kode", "Kodede segmenter", "Dokumenter", "Deltagere (n)", "Deltagere (%)"]
    assert rows["Barrierer"] == ["3", "2", "2", "66,7"]
    assert rows["Drivkræfter"] == ["4", "3", "3", "100,0"]
    assert rows["Opbakning og mandat fra topledelsen"] == ["2", "2", "2", "66,7"]
    by_role = {r.cells[0].text.strip(): [c.text for c in r.cells[1:]] for r in word.tables[1].rows}
    assert by_role["Kode"] == ["direktører", "chefer", "medarbejdere", "I alt"]
    assert by_role["Opbakning og mandat fra topledelsen"] == ["1", "0", "1", "2"]


def test_word_report_embeds_both_charts(word):
    assert len(word.inline_shapes) == 2
    images = [r for r in word.part.rels.values() if "image" in r.reltype]
    assert len(images) == 2 and all(r.target_part.content_type == "image/png" for r in images)


def test_word_report_codebook_appendix(word):
    paragraphs = [p.text for p in word.paragraphs]
    appendix = paragraphs[paragraphs.index("Bilag: Kodebog"):]
    assert "Barrierer (barrierer)" in appendix
    assert "Råderum for frontmedarbejdere (driver.raaderum)" in appendix
    assert any(p.startswith("Definition: ") for p in appendix)


def test_no_name_in_any_anonymised_output(report, word):
    texts = ["\n".join(p.text for p in word.paragraphs)]
    texts += ["\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)]
    for name in ("citater.csv", "hyppigheder.csv", "roller.csv", "rapport.md"):
        texts.append((report.out_dir / name).read_text(encoding="utf-8-sig"))
    wb = openpyxl.load_workbook(report.out_dir / "rapport.xlsx")
    texts += [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    blob = "\n".join(texts)
    for name in NAMES:
        assert name not in blob


def test_xlsx_has_filters_wrapped_text_and_widths(report):
    wb = openpyxl.load_workbook(report.out_dir / "rapport.xlsx")
    assert wb.sheetnames == ["Udvalgte citater", "Citater", "Hyppigheder", "Roller", "Kommuner", "Kodebog"]
    ws = wb["Citater"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["Citat-id", "Tema-id", "Tema", "Kode-id", "Kode", "Citat", "Citat (uredigeret)", "Tilskrivning"]
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}{ws.max_row}"
    assert ws.max_row == 1 + len(report.data.quotes) == 8
    assert ws.cell(2, 6).alignment.wrap_text
    quote_col = openpyxl.utils.get_column_letter(headers.index("Citat") + 1)
    assert 40 <= ws.column_dimensions[quote_col].width <= 70
    assert ws.freeze_panes == "A2"
    # Filtering the sheet by role gives the same rows as filtering the DataFrame.
    role = headers.index("Rolle")
    chef_rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[role] == "chef"]
    assert sorted(r[0] for r in chef_rows) == [3, 4]
    freq = wb["Hyppigheder"]
    rows = {r[1]: r for r in freq.iter_rows(min_row=2, values_only=True)}
    assert rows["drivkraefter"][4:7] == (4, 3, 3)


def test_csv_is_utf8_with_bom_and_keeps_danish_letters(report):
    raw = (report.out_dir / "citater.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Citat-id,Tema-id,Tema,Kode-id,Kode,Citat,")
    assert "Økonomisk pres og besparelser" in text and "tværgående" in text


def test_markdown_report(report):
    md = (report.out_dir / "rapport.md").read_text(encoding="utf-8")
    assert md.startswith("# Barrierer og drivkræfter: temaer og citater\n")
    assert "> \u201dVi har sparekrav hvert eneste år … så det første der ryger, det er det tværgående arbejde med borgerne.\u201d (chef)" in md
    assert "![themes](figurer/temaer.svg)" in md
    assert "| – Opbakning og mandat fra topledelsen | 2 | 2 | 2 | 66,7 |" in md


def test_not_anonymised_outputs_all_say_they_hold_personal_data(plain_report):
    out = plain_report.out_dir
    note = plain_report.data.personal_data_note
    assert note.startswith("WARNING: This file is NOT anonymised")
    word = docx.Document(str(out / "rapport.docx"))
    assert word.paragraphs[1].text == note
    assert "Quotes are NOT anonymised and contain personal data." in "\n".join(p.text for p in word.paragraphs)
    wb = openpyxl.load_workbook(out / "rapport.xlsx")
    assert wb.sheetnames[0] == "PERSONAL DATA" and wb["PERSONAL DATA"]["A1"].value == note
    assert all(wb[s]["A1"].comment.text == note for s in wb.sheetnames[1:])
    csv_text = (out / "citater.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Personal data,Quote id,")
    assert csv_text.splitlines()[1].startswith(f'"{note}",')
    assert "Camilla" in csv_text  # really not anonymised
    assert f"**{note}**" in (out / "rapport.md").read_text(encoding="utf-8")


def test_english_report(plain_report):
    word = docx.Document(str(plain_report.out_dir / "rapport.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Method", "Themes and frequencies", "Quotes", "Appendix: Codebook"]
    text = "\n".join(p.text for p in word.paragraphs)
    assert "The analysis is based on 3 interviews: 1 director, 1 head of department and 1 employee." in text
    assert "(head of department)" in text


@pytest.mark.skipif(not anonymisation_available(), reason="qualcode.anonymise.Anonymiser is not written yet")
def test_real_anonymiser_masks_names_and_gives_matching_municipality_pseudonyms(tmp_path):
    project = make_project(path=tmp_path / "studie.qcp")
    result = build_report(project, tmp_path / "out", formats=("csv",))
    project.close()
    quotes = result.data.quotes
    assert result.data.personal_data_note is None
    row = quotes[quotes["code"] == "barriere.maalstyring"].iloc[0]
    # The attribution's municipality pseudonym is the label the anonymiser wrote in the quote.
    assert row["municipality"] == "Kommune A" and "[Kommune A]" in row["quote"]
    assert set(quotes["municipality"]) == {"Kommune A", "Kommune B"}
    blob = "".join((tmp_path / "out" / name).read_text(encoding="utf-8-sig") for name in ("citater.csv", "hyppigheder.csv", "roller.csv"))
    for name in NAMES:
        assert name not in blob


def test_markdown_tables_use_danish_decimal_commas_unless_english():
    import pandas as pd

    from qualcode.report.export_text import markdown_table

    frame = pd.DataFrame({"deltagere_pct": [100.0, 33.3], "kode": ["Tidspres", "a|b"]})
    assert markdown_table(frame, lang="da").splitlines()[2:] == ["| 100,0 | Tidspres |", "| 33,3 | a\\|b |"]
    assert markdown_table(frame, lang="en").splitlines()[2] == "| 100.0 | Tidspres |"
