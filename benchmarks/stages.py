"""Benchmark stages; each returns a dict of measurements for run.py."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from qualcode import Project, import_files

ROOT = Path(__file__).resolve().parent.parent
CODEBOOK = ROOT / "codebooks" / "barrierer_drivkraefter.yaml"
BENCH_CODER = "benchmark"


def stage_import(project_path: Path, files: list[Path], metadata: Path, words: int, *, workers: int = 0, key: str = "import") -> dict:
    """Import + segmentation into a new project; ``workers`` as in ``import_files``."""
    t0 = time.perf_counter()
    with Project.open(project_path) as project:
        report = import_files(project, files, metadata_csv=metadata, progress=False, workers=workers)
    elapsed = time.perf_counter() - t0
    if report.failed:
        raise RuntimeError(f"import failed: {report.failed[:3]}")
    return {f"{key}_s": elapsed, f"{key}_words_per_s": words / elapsed}


def _leaf_codes(project: Project) -> list[str]:
    from qualcode.codebook import load_codebook

    codebook = load_codebook(CODEBOOK)
    project.codebook.apply(codebook, BENCH_CODER)
    return [c.id for c in codebook.leaves()]


def stage_seed_codings(project_path: Path, every: int = 20) -> dict:
    """Accepted human codings on every ``every``-th participant sentence (a coded corpus)."""
    from qualcode.store.codings import NewCoding

    t0 = time.perf_counter()
    with Project.open(project_path) as project:
        codes = _leaf_codes(project)
        batch = []
        n = 0
        for i, seg in enumerate(project.documents.segments(include_interviewer=False)):
            if i % every:
                continue
            batch.append(NewCoding(seg.document_id, seg.start, seg.end, codes[i // every % len(codes)], BENCH_CODER))
            if len(batch) >= 5000:
                n += len(project.codings.add_many(batch))
                batch = []
        n += len(project.codings.add_many(batch))
    return {"seed_codings": n, "seed_codings_s": time.perf_counter() - t0}


def stage_list_quotes(project_path: Path, *, anonymised: bool = True) -> dict:
    """Open the project cold and list the quotes for one code (raw, then anonymised).

    The raw listing is the data access a coder waits for; the anonymised one
    is what a report writer gets by default (after a report has anonymised
    the project once, from the project's anonymisation cache).
    """
    from qualcode.report import quote_table

    out = {}
    t0 = time.perf_counter()
    with Project.open(project_path, create=False) as project:
        code = project.codebook.code_ids()[1]
        quotes = quote_table(project, codes=[code], anonymise=False)
    out["open_and_list_quotes_s"] = time.perf_counter() - t0
    out["quotes_listed"] = len(quotes)
    if anonymised:
        t0 = time.perf_counter()
        with Project.open(project_path, create=False) as project:
            quote_table(project, codes=[code])
        out["list_quotes_anonymised_s"] = time.perf_counter() - t0
    return out


def stage_suggest(project_path: Path, *, latency_samples: int = 200, limit: int | None = None) -> dict:
    """Fit the suggester, store suggestions for the participant sentences, time single segments.

    Suggestions are made and stored document by document, as ``qualcode
    suggest`` does. With ``limit``, only for the first ``limit`` sentences
    (the rate is what matters at scale). Single-segment latency is measured
    with the sentence's context (the sentences around it), as the workflow
    scores it, and without.
    """
    from qualcode.suggest.workflow import build_suggester, contexts, suggest_project

    with Project.open(project_path) as project:
        t0 = time.perf_counter()
        suggester = build_suggester(project, coder=BENCH_CODER)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        stored, done = 0, 0
        for doc_id in project.documents.ids():
            if limit is not None and done >= limit:
                break
            stored += len(suggest_project(project, suggester, document_id=doc_id, coder=BENCH_CODER))
            done += project.documents.count_segments("sentence", document_id=doc_id, include_interviewer=False)
        batch_s = time.perf_counter() - t0
        total = project.documents.count_segments("sentence", include_interviewer=False)
        step = max(1, total // latency_samples)
        sample = [s for i, s in enumerate(project.documents.segments(include_interviewer=False)) if i % step == 0][:latency_samples]
        around = contexts(project, sample)
        with_context, bare = [], []
        for seg, context in zip(sample, around):
            t = time.perf_counter()
            suggester.suggest(seg, top=3, context=context)
            with_context.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            suggester.suggest(seg, top=3)
            bare.append((time.perf_counter() - t) * 1000)
    median, p95 = percentiles(with_context)
    bare_median, _ = percentiles(bare)
    return {
        "suggest_fit_s": fit_s,
        "suggest_s": batch_s,
        "suggest_segments_per_s": done / batch_s if batch_s else None,
        "suggest_segments": done,
        "participant_segments": total,
        "suggestions_stored": stored,
        "suggest_latency_median_ms": median,
        "suggest_latency_p95_ms": p95,
        "suggest_latency_no_context_median_ms": bare_median,
    }


def stage_model_update(project_path: Path, sizes=(1_000, 5_000, 20_000), repeats: int = 20) -> dict:
    """Latency of learning one decision when the model already holds N coded segments."""
    from qualcode.codebook import load_codebook
    from qualcode.suggest import Suggester, TrainingExample

    codebook = load_codebook(CODEBOOK)
    leaves = [c.id for c in codebook.leaves()]
    with Project.open(project_path, create=False) as project:
        texts = []
        for seg in project.documents.segments(include_interviewer=False):
            texts.append(seg.text)
            if len(texts) >= max(sizes) + repeats:
                break
    out = {}
    for n in sizes:
        key = f"update_ms_{n // 1000}k"
        if len(texts) < n + repeats:
            # Fewer segments than coded examples asked for: recycle texts (the
            # update cost depends on the number of examples, not their novelty).
            texts = (texts * (1 + (n + repeats) // max(1, len(texts))))[: n + repeats]
        examples = [TrainingExample(t, leaves[i % len(leaves)], i % 3 != 0) for i, t in enumerate(texts[:n])]
        suggester = Suggester(codebook).fit(texts[: min(n, 20_000)], examples)
        times = []
        for i in range(repeats):
            t = time.perf_counter()
            suggester.learn(texts[n + i], leaves[i % len(leaves)], True)
            times.append((time.perf_counter() - t) * 1000)
        out[key] = statistics.median(times)
    return out


def stage_report(project_path: Path, out: Path) -> dict:
    """The report as ``qualcode report`` writes it: anonymised, docx + xlsx + csv."""
    from qualcode.report import build_report

    t0 = time.perf_counter()
    with Project.open(project_path, create=False) as project:
        files = build_report(project, out, formats=("docx", "xlsx", "csv"))
    return {"report_s": time.perf_counter() - t0, "report_quotes": len(files.data.quotes)}


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def click(session, code: str, *, chips: bool = False) -> None:
    """One click as the widget makes it: code the sentence, move on, read what the view shows next.

    With ``chips``, also what the team view shows besides the segment: the
    suggestion chips, the codes applied and other coders' codings.
    """
    session.add_code(code)
    session.next()
    _ = session.current
    session.context()
    if chips:
        session.suggestions()
        session.applied()
        session.others()
    session.progress()


def stage_widget(project_path: Path, *, clicks: int = 40) -> dict:
    """The coding session over the whole corpus, as the widget drives it.

    Opening it (the queue of every participant sentence, this coder's
    progress), changing a filter, and one click: code the sentence, move
    on, and read what the view shows next (segment, context turns, progress).
    """
    from qualcode.widget.session import CodingSession, Filters

    with Project.open(project_path, create=False) as project:
        code = project.codebook.code_ids()[-1]
        t0 = time.perf_counter()
        session = CodingSession(project, BENCH_CODER)
        open_s = time.perf_counter() - t0
        queued = len(session.segments)
        session.position = queued // 2
        times = []
        for _ in range(clicks):
            t = time.perf_counter()
            click(session, code)
            times.append((time.perf_counter() - t) * 1000)
        t0 = time.perf_counter()
        session.set_filters(Filters(uncoded_only=True))
        filter_s = time.perf_counter() - t0
    median, p95 = percentiles(times)
    return {
        "widget_queue": queued,
        "widget_open_s": open_s,
        "widget_filter_s": filter_s,
        "widget_click_median_ms": median,
        "widget_click_p95_ms": p95,
    }
