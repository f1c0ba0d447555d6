"""``qualcode suggest`` and ``qualcode evaluate`` from the command line."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from qualcode import Project, import_files
from qualcode.cli.main import cli
from qualcode.codebook import dump_codebook

from suggest_helpers import CODEBOOK, write_interview

# The project tests below run on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


@pytest.fixture
def codebook_file(tmp_path):
    path = tmp_path / "kodebog.yaml"
    dump_codebook(CODEBOOK, path)
    return path


@pytest.fixture
def project_path(tmp_path, new_location):
    path = new_location("studie")
    with Project.open(path) as p:
        import_files(p, [write_interview(tmp_path)], progress=False)
        p.codebook.apply(CODEBOOK, "lead")
    return path


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_adhoc_json_lines_best_first(tmp_path, codebook_file):
    inputs = _jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": "Vores nøgletal bliver ringere af det."},
        {"id": 7, "text": "øh, altså, ikke?"},
    ])
    result = CliRunner().invoke(cli, ["suggest", "--codebook", str(codebook_file), "--input", str(inputs), "--top", "2", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in lines] == ["a", 7]
    first = lines[0]["suggestions"]
    assert len(first) <= 2 and first[0]["code"] == "b.maal"
    assert first[0]["reason"].startswith("nøgleord »nøgletal*« i »nøgletal«")  # Danish quotation marks
    assert [s["score"] for s in first] == sorted((s["score"] for s in first), reverse=True)
    assert lines[1]["suggestions"] == []


def test_adhoc_training_changes_the_ranking(tmp_path, codebook_file):
    text = "Vi holder faste møder med socialrådgiverne om de fælles borgere."
    inputs = _jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": text}])
    train = _jsonl(tmp_path / "train.jsonl", [
        {"text": f"Vi holder møder med socialrådgiverne, uge {i}.", "code": "d.tillid"} for i in range(6)
    ])
    args = ["suggest", "--codebook", str(codebook_file), "--input", str(inputs), "--json", "--lang", "en"]
    before = json.loads(CliRunner().invoke(cli, args).output)["suggestions"]
    after = json.loads(CliRunner().invoke(cli, args + ["--train", str(train)]).output)["suggestions"]
    assert before[0]["code"] == "b.tid"
    assert after[0]["code"] == "d.tillid"
    assert "like 6 segments you coded “Tillid og relationer”" in after[0]["reason"]


def test_adhoc_bad_line_names_file_and_line(tmp_path, codebook_file):
    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"id": 1, "text": "ok"}\n{"id": 2}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["suggest", "--codebook", str(codebook_file), "--input", str(inputs)])
    assert result.exit_code == 2
    assert result.stderr == f'Fejl: {inputs}:2: mangler "text" (en tekst)\n'


def test_adhoc_unknown_training_code(tmp_path, codebook_file):
    inputs = _jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "Tekst."}])
    train = _jsonl(tmp_path / "train.jsonl", [{"text": "Tekst.", "code": "findes.ikke"}])
    result = CliRunner().invoke(cli, ["suggest", "--codebook", str(codebook_file), "--input", str(inputs), "--train", str(train)])
    assert result.exit_code == 2
    assert result.stderr == f"Fejl: {train}:1: ukendt kode-id »findes.ikke« (ikke i kodebogen »Testkodebog«)\n"


def test_needs_project_or_codebook_and_input():
    result = CliRunner().invoke(cli, ["suggest"])
    assert result.exit_code == 2
    assert result.stderr == "Fejl: angiv --project, eller --codebook og --input\n"


def test_project_suggest_stores_and_reports(project_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["suggest", "--project", str(project_path), "--top", "1", "--coder", "mette"])
    assert result.exit_code == 0, result.output
    with Project.open(project_path, create=False) as p:
        stored = p.codings.query(status="suggested", source="machine")
    segments = len({(c.document_id, c.start) for c in stored})
    # plurals by ngettext; the line starts with a word, not a numeral
    assert result.output == f"Gemt: {len(stored)} forslag til {segments} segmenter.\n"
    assert segments == len(stored) == 4  # four participant sentences with content, one code each
    again = runner.invoke(cli, ["suggest", "--project", str(project_path), "--lang", "en"])
    assert again.output == "No new suggestions stored.\n"  # not "0 suggestions stored for 0 segments"
    prec = runner.invoke(cli, ["suggest", "--project", str(project_path), "--precision", "--json"])
    rows = [json.loads(line) for line in prec.output.splitlines()]
    assert sum(r["open"] for r in rows) == 4 and all(r["precision"] is None for r in rows)


def test_project_next_segments(project_path):
    result = CliRunner().invoke(cli, ["suggest", "--project", str(project_path), "--next", "likely", "--limit", "2", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 2 and rows[0]["priority"] >= rows[1]["priority"]


def test_project_unknown_document(project_path):
    result = CliRunner().invoke(cli, ["suggest", "--project", str(project_path), "--doc", "nej.txt"])
    assert result.exit_code == 2
    assert result.stderr == "Fejl: dokumentet »nej.txt« findes ikke i projektet\n"


def _gold(tmp_path, project_path):
    """Gold rows for the four participant sentences with content."""
    wanted = {
        "Vi har en samarbejdsaftale, men vores nøgletal bliver ringere af det.": ["b.maal"],
        "Der er simpelthen ikke tid til møderne, travlheden er enorm.": ["b.tid"],
        "Direktøren bakker op og har givet os mandat.": ["d.ledelse"],
        "Jeg stoler på kollegerne, vi kender hinanden efter et jobbytte.": ["d.tillid"],
    }
    path = tmp_path / "gold.csv"
    with Project.open(project_path, create=False) as p, path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["document", "unit", "segment_index", "start", "end", "text", "code_id", "codebook"])
        for s in p.documents.segments():
            for code in wanted.get(s.text, []):
                w.writerow(["01_leder.txt", "sentence", s.index, s.start, s.end, s.text, code, "test"])
    return path


def test_evaluate_reports_metrics(tmp_path, project_path):
    gold = _gold(tmp_path, project_path)
    result = CliRunner().invoke(cli, ["evaluate", "--project", str(project_path), "--gold", str(gold), "--no-curve", "--json"])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)
    assert (report["segments"], report["coded_segments"]) == (4, 4)
    assert report["top1"] == 1.0 and report["top3"] == 1.0
    assert {c["code_id"]: c["support"] for c in report["per_code"]} == {"b.maal": 1, "b.tid": 1, "d.ledelse": 1, "d.tillid": 1}
    assert report["learning_curve"] == []
    text = CliRunner().invoke(cli, ["evaluate", "--project", str(project_path), "--gold", str(gold), "--no-curve", "--lang", "en"])
    assert "top-1 1.000  top-3 1.000" in text.output


def test_evaluate_gold_text_mismatch(tmp_path, project_path):
    gold = _gold(tmp_path, project_path)
    content = gold.read_text(encoding="utf-8").replace("travlheden er enorm", "travlheden er stor")
    gold.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", "--project", str(project_path), "--gold", str(gold)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Fejl: {gold}:3: teksten passer ikke med 01_leder.txt ved ")
