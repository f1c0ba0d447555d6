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
    assert all(t.style.name == "Report Table" for t in word.tables)
    # Table cells use named paragraph styles, so a writer restyles all numbers at once.
    cell_styles = {p.style.name for t in word.tables for r in t.rows for c in r.cells for p in c.paragraphs}
    assert cell_styles == {"Table Heading", "Table Heading Number", "Table Text", "Table Number"}
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Metode", "Temaer og hyppigheder", "Citater", "Bilag: Kodebog"]
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 2"][0] == "Om kodningen"


def test_word_report_method_paragraph(word):
    paragraphs = [p.text for p in word.paragraphs]
    method = paragraphs[paragraphs.index("Metode") + 1:paragraphs.index("Om kodningen")]
    assert method[0].startswith("Analysen bygger på tre interviews med en direktør, en chef og en medarbejder.")
    assert "af én koder, gold." in method[1]
    assert "Citaterne er anonymiseret" in method[2]
    assert not any("qualcode" in p for p in method)  # the tool is named only in "Om kodningen"
    about = paragraphs[paragraphs.index("Om kodningen") + 1]
    assert "Programmet foreslog tre kodninger" in about and "Af forslagene blev ét accepteret og ét afvist" in about


def test_word_report_quotes_with_exact_attribution(report, word):
    quotes = [p for p in word.paragraphs if p.style.name == "Quote"]
    texts = [p.text for p in quotes]
    assert "»Vi har sparekrav hvert eneste år … så det første der ryger, det er det tværgående arbejde med borgerne.« (chef)" in texts
    assert "»Jeg hedder [NAVN], og det der hjælper er, at min leder giver mig råderum til at gøre det, borgeren faktisk har brug for.« (medarbejder)" in texts
    # Every shortlisted quote, and nothing else, is printed in the quote style.
    assert sorted(texts) == sorted(printed(row) for _, row in report.data.selected.iterrows())
    # The quote is italic (the style); the role after it is upright (a character style).
    assert all(p.runs[-1].style.name == "Quote Source" and p.runs[-1].text.startswith(" (") for p in quotes)
    assert word.styles["Quote"].font.italic and word.styles["Quote Source"].font.italic is False


def test_word_report_counts_are_distinct_segments_and_people(word):
    table = word.tables[0]
    rows = {r.cells[0].text.strip(): [c.text for c in r.cells[1:]] for r in table.rows}
    # One interview per interviewee: an "Interviews" column would repeat "Interviewpersoner".
    assert [c.text for c in table.rows[0].cells] == ["Kode", "Kodede segmenter", "Interviewpersoner", "Andel"]
    assert rows["Barrierer"] == ["2", "2", "67 %"]
    assert rows["Drivkræfter"] == ["3", "3", "100 %"]
    assert rows["Opbakning og mandat fra topledelsen"] == ["2", "2", "67 %"]
    by_role = {r.cells[0].text.strip(): [c.text for c in r.cells[1:]] for r in word.tables[1].rows}
    # "(n = 1)" is held together by no-break spaces, so the header wraps before it, never inside it.
    assert by_role["Kode"] == ["direktører\n(n\xa0=\xa01)", "chefer\n(n\xa0=\xa01)", "medarbejdere\n(n\xa0=\xa01)", "I alt\n(n\xa0=\xa03)"]
    assert by_role["Opbakning og mandat fra topledelsen"] == ["1", "0", "1", "2"]
    paragraphs = [p.text for p in word.paragraphs]
    assert "Nævnt af 2 af 3 interviewpersoner (67 %) i 2 kodede segmenter." in paragraphs
    assert "Nævnt af 1 af 3 interviewpersoner (33 %) i 1 kodet segment." in paragraphs  # singular


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
    assert any(p.startswith("Brug når: ") for p in appendix) and any(p.startswith("Brug ikke når: ") for p in appendix)
    assert not any(p.startswith("Nøgleord: ") for p in appendix)  # search patterns are for coders, in the workbook


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
    assert headers[:9] == ["Citat-id", "Tema-id", "Tema", "Kode-id", "Kode", "Citat", "Citat (uredigeret)", "Tilskrivning",
                           "Citat i sammenhæng"]
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
    assert rows["drivkraefter"][4:7] == (3, 3, 3)
    # Municipalities are the interviews' own (metadata), lettered in the order the interviews name them.
    assert [c.value for c in wb["Kommuner"][1]] == ["Kode-id", "Kode", "Niveau", "Kommune A", "Kommune B", "I alt"]


def test_danish_csv_opens_in_danish_excel(report):
    raw = (report.out_dir / "citater.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Citat-id;Tema-id;Tema;Kode-id;Kode;Citat;")
    assert "Økonomisk pres og besparelser" in text and "tværgående" in text
    frequencies = (report.out_dir / "hyppigheder.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "drivkraefter;drivkraefter;Drivkræfter;0;3;3;3;100,0;3" in frequencies  # a decimal comma, not a point
    assert ";66,7;" in (report.out_dir / "hyppigheder.csv").read_text(encoding="utf-8-sig")
    scores = [line for line in text.splitlines() if ";machine;" in line]
    assert scores and all(";0,8;" in line for line in scores)


def test_markdown_report(report):
    md = (report.out_dir / "rapport.md").read_text(encoding="utf-8")
    assert md.startswith("# Barrierer og drivkræfter: temaer og citater\n")
    assert "> »Vi har sparekrav hvert eneste år … så det første der ryger, det er det tværgående arbejde med borgerne.« (chef)" in md
    # Alt texts say what the figure shows, in the report's language.
    assert "![Interviewpersoner, der nævner hvert tema.](figurer/temaer.svg)" in md
    assert "| – Opbakning og mandat fra topledelsen | 2 | 2 | 67 % |" in md
    assert "### Om kodningen" in md


def test_not_anonymised_outputs_all_say_they_hold_personal_data(plain_report):
    out = plain_report.out_dir
    note = plain_report.data.personal_data_note
    assert note.startswith("WARNING: This file is NOT anonymised")
    word = docx.Document(str(out / "rapport.docx"))
    assert word.paragraphs[1].text == note
    assert "The quotes are NOT anonymised and contain personal data." in "\n".join(p.text for p in word.paragraphs)
    wb = openpyxl.load_workbook(out / "rapport.xlsx")
    assert wb.sheetnames[0] == "PERSONAL DATA" and wb["PERSONAL DATA"]["A1"].value == note
    assert all(wb[s]["A1"].comment.text == note for s in wb.sheetnames[1:])
    csv_text = (out / "citater.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Personal data,Quote id,")  # English CSV: commas
    assert csv_text.splitlines()[1].startswith(f'"{note}",')
    assert "Camilla" in csv_text  # really not anonymised
    assert f"**{note}**" in (out / "rapport.md").read_text(encoding="utf-8")


def test_english_report(plain_report):
    word = docx.Document(str(plain_report.out_dir / "rapport.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Method", "Themes and frequencies", "Quotes", "Appendix: Codebook"]
    text = "\n".join(p.text for p in word.paragraphs)
    assert "The analysis is based on three interviews with one director, one head of department and one employee." in text
    assert "(head of department)" in text
    assert word.core_properties.language == "en-GB"


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


def test_interviews_column_appears_when_someone_was_interviewed_twice(tmp_path):
    from report_helpers import INTERVIEWS

    second = ("03_direktoer_igen.txt", dict(INTERVIEWS[0][1]), [(l, w, f"{t} (igen)", s) for l, w, t, s in INTERVIEWS[0][2]])
    project = make_project(codings=[(0, 1, "driver.ledelsesopbakning", "gold", "accepted", "human"),
                                    (3, 1, "driver.ledelsesopbakning", "gold", "accepted", "human")],
                           interviews=[*INTERVIEWS, second])
    result = build_report(project, tmp_path, redactor=fake_redactor(project), formats=("docx",))
    project.close()
    assert result.data.show_documents
    table = docx.Document(str(tmp_path / "rapport.docx")).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Kode", "Kodede segmenter", "Interviews", "Interviewpersoner", "Andel"]
    row = next(r for r in table.rows if r.cells[0].text == "Opbakning og mandat fra topledelsen")
    assert [c.text for c in row.cells[1:]] == ["2", "2", "1", "33 %"]  # two interviews, one person



def test_a_failing_exporter_leaves_no_half_written_file(tmp_path, monkeypatch):
    import qualcode.report.export_xlsx as export_xlsx

    def broken(path, *args, **kwargs):
        path.write_bytes(b"PK half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(export_xlsx, "write_xlsx", broken)
    project = make_project()
    with pytest.raises(OSError, match="disk full"):
        build_report(project, tmp_path, redactor=fake_redactor(project), formats=("csv", "xlsx"))
    project.close()
    # The workbook is written before the CSV files: nothing at all is left, not even the partial file.
    assert list(tmp_path.iterdir()) == []
