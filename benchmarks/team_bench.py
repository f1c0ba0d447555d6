"""Team benchmark: a shared project on PostgreSQL against the single-file SQLite project, same run.

    python benchmarks/team_bench.py [--interviews 200] [--coders 8] [--clicks 150] [--think-ms 250]

Starts a throwaway PostgreSQL cluster (``tests/pg_cluster.py``: temporary
folder, Unix socket, fsync and synchronous commit on, as a real server runs),
builds the same synthetic corpus (``benchmarks/corpus.py``) into a ``.qcp``
file and into a server project set up by ``qualcode server init``, and
measures on both:

- import + segmentation, suggestions (stored), the anonymised report, as
  throughput, and PostgreSQL's as a ratio to SQLite's;
- N coders at once, each a process connected as their own database user
  (row-level security on), each clicking through the coding session (code
  the sentence, next, and read what the view shows: segment, context,
  suggestions, other coders' codings, progress) with a think time between
  clicks: click latency median and p95 over all clicks.

Prints a Markdown table and writes JSON (with the machine and its load) to
``benchmarks/results/team.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from run import machine  # noqa: E402
from stages import BENCH_CODER, click, percentiles, stage_import, stage_report, stage_seed_codings, stage_suggest  # noqa: E402


def coder_clicks(location: str, coder: str, start: int, clicks: int, think_s: float, barrier, results) -> None:
    """One coder in their own process: open a session, wait for the others, click ``clicks`` times."""
    from qualcode import Project
    from qualcode.widget.session import CodingSession

    with Project.open(location, create=False) as project:
        code = project.codebook.code_ids()[-1]
        session = CodingSession(project, coder)
        session.position = start
        barrier.wait()
        times = []
        for _ in range(clicks):
            t = time.perf_counter()
            click(session, code, chips=True)
            times.append((time.perf_counter() - t) * 1000)
            time.sleep(think_s)
    results.put((coder, times))


def stage_team(locations: dict[str, str], clicks: int, think_s: float) -> dict:
    ctx = multiprocessing.get_context("spawn")
    coders = sorted(locations)
    barrier, results = ctx.Barrier(len(coders)), ctx.Queue()
    from qualcode import Project

    with Project.open(next(iter(locations.values())), create=False) as project:
        queued = project.documents.count_segments("sentence", include_interviewer=False)
    spacing = queued // (len(coders) + 1)
    procs = [ctx.Process(target=coder_clicks, args=(locations[c], c, spacing * (i + 1), clicks, think_s, barrier, results))
             for i, c in enumerate(coders)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    samples = [ms for _ in procs for ms in results.get(timeout=1800)[1]]
    for p in procs:
        p.join()
    median, p95 = percentiles(samples)
    return {"team_clicks": len(samples), "team_click_median_ms": median, "team_click_p95_ms": p95,
            "team_click_max_ms": max(samples), "team_wall_s": time.perf_counter() - t0}


def run(args) -> dict:
    from corpus import generate
    from pg_cluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL binaries (initdb, pg_ctl) not found")
    result: dict = {"machine_before": machine()}
    cluster = Cluster(bindir, fsync=True, synchronous_commit=args.synchronous_commit == "on").start()
    os.environ["PGPASSFILE"] = str(cluster.pgpass)
    try:
        with tempfile.TemporaryDirectory(prefix="qcteam-") as tmp:
            work = Path(tmp)
            files = list(generate(work / "corpus", args.interviews, words_per_interview=args.words))
            words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
            result.update(interviews=args.interviews, words=words, coders=args.coders, think_ms=args.think_ms)
            coders = [f"koder{i}" for i in range(1, args.coders + 1)]
            import psycopg

            with psycopg.connect(cluster.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE studie")
            from qualcode.team.server import add_person, init_server

            admin = cluster.url("studie")
            init_server(admin, "leder")
            for coder in coders:
                add_person(admin, coder, "coder", f"pw-{coder}")
                cluster.add_password(coder, f"pw-{coder}")
            # Warm-up (spaCy's pipeline, the codebook, the anonymiser's tables), so neither backend pays for it.
            warm = str(work / "warm.qcp")
            stage_import(warm, files[:2], work / "corpus" / "metadata.csv", 1)
            stage_seed_codings(warm)
            stage_suggest(warm, limit=50, latency_samples=5)
            stage_report(warm, work / "report-warm")
            backends = {"sqlite": str(work / "studie.qcp"), "postgresql": admin}
            result.update({name: {} for name in backends})
            # Stage by stage, each on both backends back to back, so both meet the same machine load.
            throughput = [
                lambda loc, name: stage_suggest(loc, limit=args.suggest_limit, latency_samples=50),
                lambda loc, name: stage_report(loc, work / f"report-{name}"),
            ]
            stages = [
                lambda loc, name: stage_import(loc, files, work / "corpus" / "metadata.csv", words),
                lambda loc, name: stage_seed_codings(loc),
                *([] if args.clicks_only else throughput),
                lambda loc, name: stage_team(
                    {c: (loc if name == "sqlite" else cluster.url("studie", c)) for c in coders},
                    args.clicks, args.think_ms / 1000),
            ]
            for stage in stages:
                for name, location in backends.items():
                    result[name].update(stage(location, name))
                    result[name].setdefault("load_average", []).append(os.getloadavg()[0])
                print(json.dumps({n: result[n] for n in backends}), file=sys.stderr)
    finally:
        cluster.stop()
    result["machine_after"] = machine()
    result["synchronous_commit"] = args.synchronous_commit
    s, p = result["sqlite"], result["postgresql"]
    if args.clicks_only:
        return result
    result["ratios"] = {
        "import": p["import_words_per_s"] / s["import_words_per_s"],
        "suggest": p["suggest_segments_per_s"] / s["suggest_segments_per_s"],
        "report": s["report_s"] / p["report_s"],
    }
    return result


ROWS = [
    ("import_words_per_s", "Import + segmentation, words/s", 0),
    ("suggest_segments_per_s", "Suggestions, segments/s (batch, stored)", 0),
    ("report_s", "Report (anonymised; docx, xlsx, csv), s", 1),
    ("team_clicks", "Clicks by all coders", 0),
    ("team_click_median_ms", "Click latency with all coders at once, median ms", 1),
    ("team_click_p95_ms", "Click latency with all coders at once, p95 ms", 1),
    ("team_click_max_ms", "Click latency, slowest, ms", 1),
]


def table(result: dict) -> str:
    s, p, ratio = result["sqlite"], result["postgresql"], result.get("ratios", {})
    ratio_of = {"import_words_per_s": ratio.get("import"), "suggest_segments_per_s": ratio.get("suggest"),
                "report_s": ratio.get("report")}
    lines = ["| measure | SQLite file | PostgreSQL | PostgreSQL / SQLite (throughput) |", "| --- | ---: | ---: | ---: |"]
    for key, label, digits in ROWS:
        if key not in s:
            continue
        r = ratio_of.get(key)
        lines.append(f"| {label} | {s[key]:,.{digits}f} | {p[key]:,.{digits}f} | {'' if r is None else f'{r:.2f}'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--words", type=int, default=9000, help="words per interview")
    parser.add_argument("--coders", type=int, default=8)
    parser.add_argument("--clicks", type=int, default=150, help="clicks per coder")
    parser.add_argument("--think-ms", type=int, default=250, help="pause between a coder's clicks")
    parser.add_argument("--suggest-limit", type=int, default=None, help="suggestions for the first N sentences only")
    parser.add_argument("--synchronous-commit", choices=("on", "off"), default="on",
                        help="PostgreSQL waits for each commit's WAL flush (on, the server default) or not")
    parser.add_argument("--clicks-only", action="store_true", help="import and the coders' clicks only (no throughput)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "team.json")
    args = parser.parse_args()
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nload average before {result['machine_before']['load_average']}, after {result['machine_after']['load_average']}")


if __name__ == "__main__":
    main()
