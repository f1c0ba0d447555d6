"""A test-sized run of the scale benchmark, so benchmarks/ cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_benchmark_runs_end_to_end_on_three_small_interviews(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "3", "--words", "900", "--update-sizes", "100", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    record = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    [row] = record["results"]
    assert row["interviews"] == 3
    assert 2700 <= row["words"] <= 4000
    for key in ("import_words_per_s", "bare_tokenizer_words_per_s", "import_ratio_to_bare", "suggest_segments_per_s",
                "suggest_latency_median_ms", "report_s", "open_and_list_quotes_s", "peak_rss_mb",
                "project_mb_per_million_words", "update_ms_0k", "import_2_workers_words_per_s", "suggest_fit_s",
                "suggest_latency_no_context_median_ms", "list_quotes_anonymised_s", "pipeline_s",
                "widget_open_s", "widget_click_median_ms", "widget_filter_s"):
        assert isinstance(row[key], (int, float)) and row[key] > 0, key
    assert row["report_quotes"] > 0 and row["quotes_listed"] > 0
    assert row["widget_queue"] == row["participant_segments"]
    assert row["suggest_segments"] == row["participant_segments"] > 0
    assert row["pipeline_s"] >= row["import_s"] + row["suggest_s"] + row["report_s"]
    assert record["machine"]["cores"] >= 1 and len(record["machine"]["load_average"]) == 3
    assert "| Import + segmentation, words/s |" in result.stdout


def test_sample_import_benchmark_runs(tmp_path):
    script = BENCH.parent / "import_samples.py"
    sample = BENCH.parent.parent / "transcripts_sample" / "03_leder_hedelund.txt"
    result = subprocess.run([sys.executable, str(script), "--rounds", "1", "--files", str(sample), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    record = json.loads((tmp_path / "import_samples.json").read_text(encoding="utf-8"))
    assert record["result"]["files"] == 1 and record["result"]["words"] > 1000
    for key in ("read_s", "import_s", "import_ratio_to_bare", "read_cpu_s", "import_cpu_ratio_to_bare"):
        assert record["result"][key] > 0, key


@pytest.mark.browser
def test_document_view_benchmark_runs(tmp_path, chromium):
    # chromium: skips with the reason where Debian's Chromium or Playwright is missing
    script = BENCH.parent / "document_view_bench.py"
    result = subprocess.run([sys.executable, str(script), "--words", "2500", "--codings", "60", "--suggestions", "40",
                             "--repeat", "2", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    record = json.loads((tmp_path / "document_view.json").read_text(encoding="utf-8"))
    kernel, browser = record["kernel"], record["browser"]
    assert 2000 <= kernel["words"] <= 3200 and kernel["codings_sent"] == 60 + 40 + 2
    assert 0 < kernel["action_sent_bytes"] < 5000  # a patch, not the whole list
    for key in ("open", "idle", "click", "select", "rerender", "accepted_early", "reloaded"):
        assert browser[key]["median_ms"] > 0, key
    breakdown = browser["breakdown_rerender"]
    assert breakdown["main_thread_ms"]["layout"] > 0 and breakdown["front_end_ms"]["turnsMeasured"] >= 1
    assert record["uptime_start"].split("load average:")[1]
