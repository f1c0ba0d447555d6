"""No identifier of the sample interviews in any export made with default flags.

The demo project (the nine sample interviews, the shipped codebook, machine
suggestions and the gold coding as a second coder) is built once; then every
command that writes interview content out of a project writes it with its
default flags: the demo's report folder, ``report``, the agreement and
disagreement (consensus) tables as CSV and Excel, ``suggest --next`` as JSON
and as text, ``evaluate --json``, the anonymised copies of ``anonymise``,
``export-qdpx --anonymise``, and the codebook exports. Every identifier in
transcripts_sample/annotations/gold_pii.csv (names, places, organisations,
phone numbers, e-mail and street addresses, CPR numbers) is then looked for,
as a whole word, in every file and every line printed. The raw REFI export
and ``--no-anonymise`` are the explicit exceptions: they must warn.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
GOLD_PII = SAMPLES / "annotations" / "gold_pii.csv"
WARNING_DA = "ADVARSEL: Denne fil er IKKE anonymiseret og indeholder persondata"

pytestmark = pytest.mark.slow


def identifiers() -> list[str]:
    with GOLD_PII.open(encoding="utf-8", newline="") as f:
        return sorted({r["text"].strip() for r in csv.DictReader(f) if r["text"].strip()})


def text_of(path: Path) -> str:
    """What a person opening the file would read (Word paragraphs and tables, every sheet cell, archive members)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    if suffix == ".qdpx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".qde", ".txt")))
    if suffix == ".png":
        return ""  # pixels; the same chart is scanned as SVG
    return path.read_text(encoding="utf-8-sig")


def leaks(text: str, names: list[str]) -> list[str]:
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Every export of the demo project, made with default flags: {what: text}."""
    tmp = tmp_path_factory.mktemp("privacy")
    runner = CliRunner()
    out: dict[str, str] = {}

    def run(name: str, args: list[str]) -> str:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (name, result.output)
        out[f"{name} (printed)"] = result.output
        return result.output

    report = tmp / "rapport"
    run("demo", ["demo", "--out", str(report)])
    project = tmp / "rapport.projekt" / "demo.qcp"
    assert project.is_file() and not any(p.suffix == ".qcp" or "pseudonym" in p.name for p in report.rglob("*"))
    for f in sorted(report.rglob("*")):
        if f.is_file():
            out[f"demo: {f.relative_to(report)}"] = text_of(f)

    again = tmp / "rapport2"
    run("report", ["report", "-p", str(project), "--out", str(again)])
    for f in sorted(again.rglob("*")):
        if f.is_file():
            out[f"report: {f.relative_to(again)}"] = text_of(f)

    for suffix in (".csv", ".xlsx"):
        table = tmp / f"uenigheder{suffix}"
        run(f"agreement {suffix}", ["agreement", "-p", str(project), "--confusion", "--disagreements", str(table)])
        out[f"disagreement/consensus table {suffix}"] = text_of(table)
    assert len(csv.DictReader(io.StringIO(out["disagreement/consensus table .csv"]), delimiter=";").fieldnames) > 5

    run("suggest --next uncertain --json", ["suggest", "-p", str(project), "--next", "uncertain", "--limit", "40", "--json"])
    run("suggest --next likely", ["suggest", "-p", str(project), "--next", "likely", "--limit", "40"])
    run("evaluate --json", ["evaluate", "-p", str(project), "--gold", str(SAMPLES / "gold_codings.csv"), "--no-curve", "--json"])

    copies = tmp / "anonym"
    run("anonymise", ["anonymise", *map(str, sorted(SAMPLES.glob("0*"))), "--out", str(copies),
                      "--metadata", str(SAMPLES / "metadata.csv")])
    for f in sorted(copies.iterdir()):
        out[f"anonymise: {f.name}"] = text_of(f)

    qdpx = tmp / "anonym.qdpx"
    run("export-qdpx --anonymise", ["export-qdpx", "-p", str(project), "--out", str(qdpx), "--anonymise"])
    out["export-qdpx --anonymise"] = text_of(qdpx)

    for suffix in (".docx", ".xlsx", ".qdc"):
        book = tmp / f"kodebog{suffix}"
        run(f"codebook export {suffix}", ["codebook", "export", "-p", str(project), str(book)])
        out[f"codebook export {suffix}"] = text_of(book) if suffix != ".qdc" else book.read_text(encoding="utf-8")
    usage = tmp / "brug"
    run("codebook usage", ["codebook", "usage", "-p", str(project), "--csv", str(usage)])
    for f in sorted(usage.iterdir()):
        out[f"codebook usage: {f.name}"] = text_of(f)
    return tmp, project, out


def test_no_identifier_from_the_gold_annotations_in_any_default_export(exports):
    _tmp, _project, out = exports
    names = identifiers()
    assert len(names) > 100 and len(out) > 25
    found = {what: leaks(text, names) for what, text in out.items()}
    found = {what: hits for what, hits in found.items() if hits}
    print(f"\nprivacy scan: {len(names)} identifiers x {len(out)} outputs, {sum(map(len, found.values()))} found")
    assert found == {}


def test_the_exports_did_carry_the_interviews(exports):
    """A scan of empty files would pass: the outputs hold anonymised quotes, with their pseudonyms."""
    _tmp, _project, out = exports
    assert "[Person" in out["disagreement/consensus table .csv"] and "Interview 0" in out["disagreement/consensus table .csv"]
    lines = [json.loads(ln) for ln in out["suggest --next uncertain --json (printed)"].splitlines() if ln.startswith("{")]
    assert len(lines) == 40 and all(x["text"].strip() for x in lines) and sum(len(x["text"]) for x in lines) > 1000
    assert "[Person" in out["export-qdpx --anonymise"] and "[Kommune A]" in out["export-qdpx --anonymise"]
    assert "[Person" in out["anonymise: 01_direktoer_fjordby.txt"]


def test_raw_outputs_need_a_flag_and_print_the_one_warning(exports):
    tmp, project, _out = exports
    runner = CliRunner()
    commands = [
        ["report", "-p", str(project), "--out", str(tmp / "raw"), "--format", "csv", "--no-anonymise"],
        ["agreement", "-p", str(project), "--disagreements", str(tmp / "raw.csv"), "--no-anonymise"],
        ["suggest", "-p", str(project), "--next", "likely", "--limit", "2", "--json", "--no-anonymise"],
        ["export-qdpx", "-p", str(project), "--out", str(tmp / "raw.qdpx")],  # a REFI export carries raw text by default
    ]
    for args in commands:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert WARNING_DA in result.stderr, args
    names = identifiers()
    assert leaks(text_of(tmp / "raw.csv"), names)  # the flag really gives the raw text
    assert leaks(text_of(tmp / "raw.qdpx"), names)


def test_key_and_replacement_report_are_private_and_outside_the_export_folder(exports):
    tmp, project, _out = exports
    for private in (tmp / "anonym.pseudonyms.json", tmp / "anonym.rapport.csv", tmp / "anonym.rapport.md",
                    project.with_name("demo.pseudonyms.json")):
        assert private.is_file(), private
        assert stat.S_IMODE(private.stat().st_mode) == 0o600, private
    assert {p.name for p in (tmp / "anonym").iterdir()} == {p.stem + ".txt" for p in SAMPLES.glob("0*")}
