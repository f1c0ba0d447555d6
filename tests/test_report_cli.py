"""`qualcode report` and `qualcode demo` from the command line."""

from __future__ import annotations

import csv
import re
import sys
import time
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from qualcode.cli.main import cli
from qualcode.report.privacy import anonymisation_available
from report_helpers import make_project

# The project tests below run on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
GOLD_PII = SAMPLES / "annotations" / "gold_pii.csv"


@pytest.fixture
def project_path(new_location):
    path = new_location("studie")
    make_project(path=path).close()
    return path


def test_report_help_lists_the_options():
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert result.exit_code == 0
    for option in ("--project", "--out", "--format", "--lang", "--no-anonymise"):
        assert option in result.output


def test_report_writes_the_requested_formats(project_path, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", "--project", str(project_path), "--out", str(out), "--format", "xlsx,csv", "--no-anonymise"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["citater.csv", "hyppigheder.csv", "rapport.xlsx", "roller.csv"]
    assert f"Rapport skrevet til {out}:" in result.output
    assert "ADVARSEL: Denne fil er IKKE anonymiseret" in result.output


def test_report_in_english(project_path, tmp_path):
    out = tmp_path / "en"
    result = CliRunner().invoke(cli, ["report", "-p", str(project_path), "--out", str(out), "--format", "xlsx", "--lang", "en", "--no-anonymise"])
    assert result.exit_code == 0, result.output
    assert f"Report written to {out}:" in result.output
    wb = openpyxl.load_workbook(out / "rapport.xlsx")
    assert wb.sheetnames == ["PERSONAL DATA", "Selected quotes", "Quotes", "Frequencies", "Roles", "Municipalities", "Codebook"]
    assert [c.value for c in wb["Quotes"][1]][5:8] == ["Quote", "Quote (unedited)", "Attribution"]


def test_report_rejects_an_unknown_format(project_path, tmp_path):
    result = CliRunner().invoke(cli, ["report", "-p", str(project_path), "--out", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2
    assert result.output.strip() == "Fejl: --format pdf: use one or more of docx,xlsx,csv,md"


def test_report_on_a_missing_project(tmp_path):
    missing = tmp_path / "nope.qcp"
    result = CliRunner().invoke(cli, ["report", "-p", str(missing), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip() == f"Fejl: {missing}: no such project file"
    assert not missing.exists()


def test_report_refuses_to_write_unanonymised_by_default(project_path, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "qualcode.anonymise", None)  # as if not installed
    result = CliRunner().invoke(cli, ["report", "-p", str(project_path), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "anonymisation is not available in this installation" in result.output
    assert not (tmp_path / "x" / "rapport.docx").exists()


# -- the demo, end to end ----------------------------------------------------------
def _identifiers(path: Path) -> list[str]:
    """Surface forms from the gold PII annotations (rows typed KEEP are ordinary words)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        sample = f.read(2048)
        f.seek(0)
        reader = csv.DictReader(f, dialect=csv.Sniffer().sniff(sample, delimiters=",\t;"))
        column = next((c for c in reader.fieldnames if c.lower() in ("surface", "text", "identifier", "value", "span")), reader.fieldnames[0])
        type_column = next((c for c in reader.fieldnames if c.lower() in ("type", "label", "entity")), None)
        rows = [r for r in reader if not (type_column and (r[type_column] or "").upper() == "KEEP")]
    return sorted({r[column].strip() for r in rows if r[column] and r[column].strip()})


def _output_texts(out: Path) -> str:
    texts = []
    word = docx.Document(str(out / "rapport.docx"))
    texts += [p.text for p in word.paragraphs]
    texts += [c.text for t in word.tables for r in t.rows for c in r.cells]
    wb = openpyxl.load_workbook(out / "rapport.xlsx")
    texts += [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    for name in ("citater.csv", "hyppigheder.csv", "roller.csv", "rapport.md"):
        texts.append((out / name).read_text(encoding="utf-8-sig"))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if not any(SAMPLES.glob("0*")):
        pytest.skip("the sample transcripts (transcripts_sample/0*) are not written yet")
    out = tmp_path_factory.mktemp("demo")
    began = time.perf_counter()
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    return out, result, time.perf_counter() - began


@pytest.mark.slow
def test_demo_writes_the_report(demo):
    out, result, seconds = demo
    assert result.exit_code == 0, result.output
    for name in ("rapport.docx", "rapport.xlsx", "citater.csv", "rapport.md", "figurer/temaer.png"):
        assert (out / name).is_file(), name
        assert str(out / name) in result.output  # the demo says where the files are
    word = docx.Document(str(out / "rapport.docx"))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Analysen bygger på 9 interviews: 1 direktør, 2 chefer, 2 ledere, 2 medarbejdere, 1 frivillig og 1 borger." in text
    quotes = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    if (SAMPLES / "gold_codings.csv").is_file():
        assert "gold (eksempelkodningen fra gold_codings.csv" in text  # the gold coding is labelled
        assert quotes and all(re.search(r"\((direktør|chef|leder|medarbejder|frivillig|borger)\)$", q) for q in quotes)
        assert len(word.inline_shapes) == 2
    assert seconds < 120


@pytest.mark.slow
def test_demo_outputs_contain_no_identifier_from_the_gold_annotations(demo):
    out, result, _ = demo
    assert result.exit_code == 0, result.output
    if not GOLD_PII.is_file():
        pytest.skip(f"{GOLD_PII.relative_to(ROOT)} is not written yet (anonymisation engineer)")
    if not anonymisation_available():
        pytest.skip("qualcode.anonymise is not installed yet: the demo wrote an unanonymised report marked as personal data")
    blob = _output_texts(out)
    leaks = [s for s in _identifiers(GOLD_PII) if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", blob)]
    assert leaks == []


def _tiny_samples(folder: Path) -> Path:
    """Two interviews, metadata and a gold coding file: the demo's inputs in miniature."""
    folder.mkdir()
    (folder / "01_chef_a.txt").write_text(
        "I: Hvad virker?\nIP: Øh, vi har en direktør, der bakker op og giver os mandat til at prøve noget nyt på tværs af forvaltningerne.\n"
        "I: Og hvad blokerer?\nIP: Man får det, man måler, ikke? Og ingen måler på samarbejdet, så hver forvaltning passer sin egen kasse.\n",
        encoding="utf-8",
    )
    (folder / "02_leder_b.txt").write_text(
        "I: Hvad hjælper?\nIP: Det der hjælper er, at min chef giver mig råderum til at gøre det, borgeren faktisk har brug for.\n",
        encoding="utf-8",
    )
    (folder / "metadata.csv").write_text(
        "file,participant_id,speaker,role,title,municipality,department,date,interviewer\n"
        "01_chef_a.txt,P01,IP,chef,jobcenterchef,Fjordby Kommune,Jobcenter,2026-03-02,I\n"
        "02_leder_b.txt,P02,IP,leder,teamleder,Hedelund Kommune,Jobcenter,2026-03-03,I\n",
        encoding="utf-8",
    )
    # The shipped gold file's columns; rows without a code, or coded against another codebook, are skipped.
    (folder / "gold_codings.csv").write_text(
        "document,unit,segment_index,start,end,text,code_id,codebook\n"
        "01_chef_a.txt,sentence,1,,,der bakker op og giver os mandat til at prøve noget nyt på tværs af forvaltningerne.,driver.ledelsesopbakning,barrierer_drivkraefter\n"
        "01_chef_a.txt,sentence,2,,,\"Man får det, man måler, ikke?\",barriere.maalstyring,barrierer_drivkraefter\n"
        "01_chef_a.txt,sentence,2,,,\"Man får det, man måler, ikke?\",rk.faelles_maal,relationel_koordinering\n"
        "01_chef_a.txt,sentence,3,,,Og hvad blokerer?,,\n"
        "02_leder_b.txt,sentence,1,,,\"Det der hjælper er, at min chef giver mig råderum til at gøre det, borgeren faktisk har brug for.\",driver.raaderum,barrierer_drivkraefter\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.slow
def test_demo_pipeline_on_tiny_samples(tmp_path):
    samples = _tiny_samples(tmp_path / "samples")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out), "--samples", str(samples)])
    assert result.exit_code == 0, result.output
    assert "Menneskelig kodning: 3 kodninger fra gold_codings.csv, gemt som koder \u201dgold\u201d" in result.output
    assert str(out / "rapport.docx") in result.output
    word = docx.Document(str(out / "rapport.docx"))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Analysen bygger på 2 interviews: 1 chef og 1 leder." in text
    assert "af gold (eksempelkodningen fra gold_codings.csv, brugt som menneskelig kodning i demoen)." in text
    quotes = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    assert "\u201dMan får det, man måler, ikke?\u201d (chef)" in quotes
    wb = openpyxl.load_workbook(out / "rapport.xlsx")
    coder = [c.value for c in wb["Citater"][1]].index("Koder")
    assert {r[coder] for r in wb["Citater"].iter_rows(min_row=2, values_only=True)} == {"gold"}


def test_gold_codings_by_text_skip_uncoded_rows_and_other_codebooks(tmp_path):
    from qualcode.demo import read_gold_codings

    project = make_project(codings=[])
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "document,unit,segment_index,start,end,text,code_id,codebook\n"
        "02_chef_fjordby.txt,sentence,1,,,Min kollega Camilla ringede bare til jobcentret,driver.tillid_relationer,barrierer_drivkraefter\n"
        "02_chef_fjordby.txt,sentence,1,,,Min kollega Camilla ringede bare til jobcentret,rk.faelles_maal,relationel_koordinering\n"
        "02_chef_fjordby.txt,sentence,2,,,Fortæl om et forløb.,,\n",
        encoding="utf-8",
    )
    [coding] = read_gold_codings(gold, project)
    text = project.documents.get(coding.document_id).text
    assert (text[coding.start : coding.end], coding.code_id, coding.coder, coding.status, coding.source) == (
        "Min kollega Camilla ringede bare til jobcentret", "driver.tillid_relationer", "gold", "accepted", "human")
    project.close()


def test_gold_codings_with_wrong_offsets_fail_loudly(tmp_path):
    from qualcode.demo import read_gold_codings
    from qualcode.errors import InputError

    project = make_project()
    gold = tmp_path / "gold.csv"
    gold.write_text("file,code_id,start,end,text\n02_chef_fjordby.txt,driver.raaderum,0,5,Hvad\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_gold_codings(gold, project)
    assert str(err.value) == f"{gold}:2: offsets 0-5 do not slice to the given text in 02_chef_fjordby.txt"
    project.close()


def test_report_on_a_project_without_codebook(tmp_path):
    from qualcode.project import Project

    path = tmp_path / "tom.qcp"
    Project.open(path).close()
    result = CliRunner().invoke(cli, ["report", "-p", str(path), "--out", str(tmp_path / "out"), "--no-anonymise"])
    assert result.exit_code == 2
    assert result.output.strip() == "Fejl: the project has no codebook: apply one before writing a report"
