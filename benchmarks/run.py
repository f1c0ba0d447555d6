"""Scale benchmark: import -> segment -> suggest -> report on synthetic corpora.

    python benchmarks/run.py --sizes 18,200,2000 [--out benchmarks/results]

Each size runs in its own process so peak resident memory is that size's
own. Results are printed as a Markdown table and written as JSON with the
machine they ran on. Not part of the test suite (a tiny run is, see
tests/test_benchmarks.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        # The machine may be shared: how busy it was says how far to trust wall times.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def peak_rss_mb() -> float:
    """The larger of this process's and its largest child's peak (import workers are children)."""
    # ru_maxrss is in kilobytes on Linux.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def bench_size(
    n: int,
    workdir: Path,
    *,
    words_per_interview: int,
    update_sizes=(1_000, 5_000, 20_000),
    suggest_limit: int | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict:
    """Run every stage for one corpus size inside this process."""
    import spacy

    from corpus import generate
    from stages import (
        stage_import,
        stage_list_quotes,
        stage_model_update,
        stage_report,
        stage_seed_codings,
        stage_suggest,
        stage_widget,
    )

    corpus = workdir / "corpus"
    files = list(generate(corpus, n, words_per_interview=words_per_interview))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    result: dict = {"interviews": n, "words": words}

    # Bare tokenizer on exactly the same text, same process, same run.
    nlp = spacy.blank("da")
    t0 = time.perf_counter()
    for doc in nlp.tokenizer.pipe(p.read_text(encoding="utf-8") for p in files):
        pass
    bare = time.perf_counter() - t0
    result["bare_tokenizer_words_per_s"] = words / bare

    notes = []
    if "parallel" not in skip:
        # The opt-in worker processes (import_files(workers=2)), in a project of their own.
        result.update(stage_import(workdir / "parallel.qcp", files, corpus / "metadata.csv", words, workers=2, key="import_2_workers"))
        for leftover in workdir.glob("parallel.qcp*"):
            leftover.unlink()
    project_path = workdir / "bench.qcp"
    result.update(stage_import(project_path, files, corpus / "metadata.csv", words))
    pipeline_s = result["import_s"]
    # Simulated human coding: not part of the pipeline's time.
    result.update(stage_seed_codings(project_path))
    if "suggest" not in skip:
        result.update(stage_suggest(project_path, limit=suggest_limit))
        pipeline_s += result["suggest_fit_s"] + result["suggest_s"]
        if suggest_limit and result["suggest_segments"] < result["participant_segments"]:
            notes.append(
                f"suggestions stored for {result['suggest_segments']:,} of {result['participant_segments']:,}"
                " participant sentences (--suggest-limit); the pipeline time extrapolates the rest at the measured rate"
            )
    if "report" not in skip:
        result.update(stage_report(project_path, workdir / "report"))
        pipeline_s += result["report_s"]
    result["pipeline_s"] = pipeline_s
    if suggest_limit and "suggest_segments_per_s" in result and result["suggest_segments"] < result["participant_segments"]:
        missing = result["participant_segments"] - result["suggest_segments"]
        result["pipeline_s"] += missing / result["suggest_segments_per_s"]
    for stage in sorted(skip):
        notes.append(f"{stage}: not run at this size (--skip)")
    result["notes"] = [f"{n} interviews: {note}" for note in notes]
    result["import_ratio_to_bare"] = result["import_words_per_s"] / result["bare_tokenizer_words_per_s"]
    if "import_2_workers_words_per_s" in result:
        result["import_2_workers_ratio_to_bare"] = result["import_2_workers_words_per_s"] / result["bare_tokenizer_words_per_s"]
    result.update(stage_list_quotes(project_path, anonymised="anonquotes" not in skip))
    if "widget" not in skip:
        result.update(stage_widget(project_path))
    if "update" not in skip:
        result.update(stage_model_update(project_path, sizes=update_sizes))
    size_mb = sum(p.stat().st_size for p in workdir.glob("bench.qcp*")) / 1024**2
    result["project_mb"] = size_mb
    result["project_mb_per_million_words"] = size_mb / (words / 1e6)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def worker(args) -> None:
    with tempfile.TemporaryDirectory(prefix="qcbench-") as tmp:
        sizes = tuple(int(x) for x in args.update_sizes.split(","))
        skip = frozenset(x for x in args.skip.split(",") if x)
        result = bench_size(
            args.worker, Path(tmp), words_per_interview=args.words, update_sizes=sizes,
            suggest_limit=args.suggest_limit, skip=skip,
        )
    print("RESULT " + json.dumps(result))


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{value:,.{digits}f}"


ROWS = [
    ("interviews", "Interviews", 0),
    ("words", "Words", 0),
    ("import_words_per_s", "Import + segmentation, words/s", 0),
    ("bare_tokenizer_words_per_s", "Bare spacy.blank('da') tokenizer, words/s", 0),
    ("import_ratio_to_bare", "Import ratio to bare tokenizer", 2),
    ("import_2_workers_words_per_s", "Import + segmentation with 2 worker processes, words/s", 0),
    ("import_2_workers_ratio_to_bare", "The same, ratio to bare tokenizer", 2),
    ("participant_segments", "Participant sentences", 0),
    ("suggest_fit_s", "Suggester fit (codebook + project IDF + decisions), s", 1),
    ("suggest_segments_per_s", "Suggestions, segments/s (batch, stored)", 0),
    ("suggest_latency_median_ms", "Suggestion latency, one segment with context, median ms", 1),
    ("suggest_latency_p95_ms", "Suggestion latency, one segment with context, p95 ms", 1),
    ("suggest_latency_no_context_median_ms", "Suggestion latency, one segment alone, median ms", 1),
    ("update_ms_1k", "Model update after a decision, 1k coded, ms", 1),
    ("update_ms_5k", "Model update after a decision, 5k coded, ms", 1),
    ("update_ms_20k", "Model update after a decision, 20k coded, ms", 1),
    ("report_quotes", "Quotes in the report", 0),
    ("report_s", "Report generation (anonymised; docx, xlsx, csv), s", 1),
    ("pipeline_s", "Import -> suggest -> report, s", 1),
    ("open_and_list_quotes_s", "Open project + list quotes for one code, s", 3),
    ("list_quotes_anonymised_s", "Same, anonymised quotes (after the report), s", 3),
    ("widget_queue", "Coding session over the whole corpus: sentences queued", 0),
    ("widget_open_s", "Coding session: open, s", 2),
    ("widget_filter_s", "Coding session: change a filter (uncoded only), s", 2),
    ("widget_click_median_ms", "Coding session: one click (code, next, show), median ms", 1),
    ("widget_click_p95_ms", "Coding session: one click, p95 ms", 1),
    ("peak_rss_mb", "Peak resident memory, MB", 0),
    ("project_mb_per_million_words", "Project file, MB per million words", 1),
]


def table(results: list[dict]) -> str:
    head = "| measure | " + " | ".join(f"{r['interviews']} interviews" for r in results) + " |"
    sep = "| --- |" + " --- |" * len(results)
    lines = [head, sep]
    for key, label, digits in ROWS:
        lines.append(f"| {label} | " + " | ".join(fmt(r.get(key), digits) for r in results) + " |")
    notes = {n for r in results for n in r.get("notes", [])}
    return "\n".join(lines + [""] + [f"- {n}" for n in sorted(notes)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="18,200,2000")
    parser.add_argument("--words", type=int, default=9000, help="words per synthetic interview")
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--update-sizes", default="1000,5000,20000", help="coded segments for the model-update latency")
    parser.add_argument("--suggest-limit", type=int, default=None, help="suggest for at most this many sentences")
    parser.add_argument("--skip", default="", help="stages to leave out: parallel,suggest,report,update,anonquotes,widget")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args)
        return
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        print(f"== {n} interviews", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", str(n), "--words", str(args.words), "--update-sizes", args.update_sizes,
             "--skip", args.skip] + (["--suggest-limit", str(args.suggest_limit)] if args.suggest_limit else []),
            capture_output=True, text=True,
        )
        sys.stderr.write(proc.stderr[-4000:])
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if proc.returncode != 0 or line is None:
            raise SystemExit(f"benchmark for {n} interviews failed (exit {proc.returncode})")
        results.append(json.loads(line[len("RESULT "):]))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    record = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "results": results}
    (out / "latest.json").write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"Machine: {record['machine']}\nRun: {record['when']}\n")
    print(table(results))


if __name__ == "__main__":
    main()
