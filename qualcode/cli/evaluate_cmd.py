"""CLI: ``qualcode evaluate`` — suggestion quality against a gold coding."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcode.cli.common import lang_option
from qualcode.i18n import choose


@click.command("evaluate")
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp) with the gold's documents imported.")
@click.option("--gold", "gold_path", required=True, type=click.Path(path_type=Path), help="Gold codings CSV.")
@click.option("--codebook", "codebook_paths", multiple=True, type=click.Path(path_type=Path), help="Evaluate this codebook (repeatable; default: the project's codebook).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None, help="Suggestions at or above this count as accepted (default 0.45).")
@click.option("--curve/--no-curve", default=True, show_default=True, help="Also compute the learning curve (0/10/25/50 examples per code).")
@click.option("--json", "as_json", is_flag=True, help="Write the results as JSON.")
@lang_option
def evaluate_command(project_path, gold_path, codebook_paths, threshold, curve, as_json, lang):
    """Precision, recall, F1, top-1/top-3, kappa and a learning curve against a gold coding."""
    from qualcode.codebook import load_codebook
    from qualcode.project import Project
    from qualcode.suggest.evaluation import DEFAULT_THRESHOLD, evaluate, learning_curve
    from qualcode.suggest.gold import gold_contexts, read_gold
    from qualcode.suggest.workflow import project_codebook
    from qualcode.suggest.engine import Suggester

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    results = []
    given = [load_codebook(p) for p in codebook_paths]  # a broken codebook is reported before any work
    with Project.open(project_path, create=False, read_only=True) as project:
        gold = read_gold(gold_path, project)
        around = gold_contexts(project, gold)
        codebooks = given or [project_codebook(project)]
        corpus = [s.text for s in project.documents.segments(include_interviewer=False)]
    for codebook in codebooks:
        suggester = Suggester(codebook, lang=lang).fit(corpus)
        ev = evaluate(suggester, gold, contexts=around, threshold=threshold)
        points = learning_curve(codebook, gold, corpus=corpus, contexts=around, threshold=threshold, lang=lang) if curve else []
        results.append((codebook, ev, points))
    if as_json:
        click.echo(json.dumps([_as_dict(cb, ev, points) for cb, ev, points in results], ensure_ascii=False, indent=2))
        return
    for codebook, ev, points in results:
        _print(codebook, ev, points, lang)


def _as_dict(codebook, ev, points) -> dict:
    return {
        "codebook": codebook.name,
        "segments": ev.segments,
        "coded_segments": ev.coded_segments,
        "threshold": ev.threshold,
        "top1": ev.top1,
        "top3": ev.top3,
        "kappa": ev.kappa,
        "macro_f1": ev.macro_f1,
        "per_code": [vars(s) for s in ev.per_code],
        "learning_curve": [vars(p) for p in points],
    }


def _print(codebook, ev, points, lang) -> None:
    click.echo(f"== {codebook.name}")
    click.echo(choose(
        f"Segmenter: {ev.segments} (heraf {ev.coded_segments} med en kode fra kodebogen); tærskel {ev.threshold:.2f}",
        f"Segments: {ev.segments} ({ev.coded_segments} with a code of this codebook); threshold {ev.threshold:.2f}",
        lang,
    ))
    click.echo(f"top-1 {ev.top1:.3f}  top-3 {ev.top3:.3f}  kappa {ev.kappa:.3f}  macro-F1 {ev.macro_f1:.3f}")
    click.echo(choose("kode  præcision  genkaldelse  F1  antal", "code  precision  recall  F1  support", lang))
    for s in ev.per_code:
        click.echo(f"{s.code_id}  {s.precision:.2f}  {s.recall:.2f}  {s.f1:.2f}  {s.support}")
    if points:
        click.echo(choose("Læringskurve (eksempler pr. kode):", "Learning curve (examples per code):", lang))
        for p in points:
            click.echo(f"  n={p.examples_per_code:<3} ({p.mean_examples_used:.1f})  top-1 {p.top1:.3f}  top-3 {p.top3:.3f}  kappa {p.kappa:.3f}  macro-F1 {p.macro_f1:.3f}")
