"""Measurements for the scale benchmark (benchmarks/run.py and benchmarks/suggest_bench.py)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from qualcode.project import Project
from qualcode.suggest.engine import Suggester, TrainingExample
from qualcode.suggest.workflow import build_suggester, contexts, suggest_project

LATENCY_SAMPLES = 200
UPDATES = 30


def _percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def single_latency_ms(suggester: Suggester, segments, n: int = LATENCY_SAMPLES, contexts=None) -> tuple[float, float]:
    """Median and p95 of suggesting for one segment at a time (what a coder waits for).

    With ``contexts`` (the sentences around each segment, as the workflow
    passes them) the context is scored too, as in real use.
    """
    step = max(1, len(segments) // n)
    times = []
    for i in list(range(0, len(segments), step))[:n]:
        context = contexts[i] if contexts is not None else None
        t0 = time.perf_counter()
        suggester.suggest(segments[i], top=3, context=context)
        times.append((time.perf_counter() - t0) * 1000)
    return _percentiles(times)


def suggest_stage(project_path: Path) -> dict:
    with Project.open(project_path, create=False) as project:
        t0 = time.perf_counter()
        suggester = build_suggester(project)
        build_s = time.perf_counter() - t0
        segments = list(project.documents.segments(include_interviewer=False))
        median, p95 = single_latency_ms(suggester, segments, contexts=contexts(project, segments))
        t0 = time.perf_counter()
        stored = suggest_project(project, suggester)
        batch_s = time.perf_counter() - t0
    return {
        "suggest_build_s": build_s,
        "suggest_segments_per_s": len(segments) / batch_s if batch_s else None,
        "suggest_latency_median_ms": median,
        "suggest_latency_p95_ms": p95,
        "suggestions_stored": len(stored),
    }


def update_latency_ms(suggester: Suggester, texts: list[str], codes: list[str], n: int = UPDATES) -> float:
    """Median time of one decision's model update (alternating accept/reject)."""
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        suggester.learn(texts[i % len(texts)], codes[i % len(codes)], i % 3 != 0)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def trained_suggester(codebook, texts: list[str], coded: int) -> tuple[Suggester, list[str]]:
    """A suggester trained on ``coded`` decisions spread round-robin over the leaf codes."""
    leaves = [c.id for c in codebook.leaves()]
    examples = [TrainingExample(texts[i % len(texts)] + f" ({i})", leaves[i % len(leaves)]) for i in range(coded)]
    return Suggester(codebook).fit(texts[:2000], examples), leaves


def update_stage(project_path: Path, sizes=(1000, 5000, 20000)) -> dict:
    with Project.open(project_path, create=False) as project:
        codebook = project.codebook.current()
        texts = [s.text for s in project.documents.segments(include_interviewer=False)]
    out = {}
    for n in sizes:
        suggester, leaves = trained_suggester(codebook, texts, n)
        out[f"update_ms_{n // 1000}k"] = update_latency_ms(suggester, texts, leaves)
    return out
