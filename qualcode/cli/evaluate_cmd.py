"""CLI: ``qualcode evaluate`` — suggestion quality against a gold coding."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcode.cli.common import PROJECT, lang_option
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, gettext as _


@click.command("evaluate", cls=TranslatedCommand,
               help=N_("Precision, recall, F1, top-1/top-3, kappa and a learning curve against a gold coding."))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT,
              help=N_("Project file (.qcp) with the gold's documents imported."))
@click.option("--gold", "gold_path", required=True, type=click.Path(path_type=Path), help=N_("Gold codings CSV."))
@click.option("--codebook", "codebook_paths", multiple=True, type=click.Path(path_type=Path),
              help=N_("Evaluate this codebook (repeatable; default: the project's codebook)."))
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help=N_("Suggestions at or above this count as accepted (default 0.45)."))
@click.option("--curve/--no-curve", default=True, show_default=True,
              help=N_("Also compute the learning curve (0/10/25/50 examples per code)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Write the results as JSON."))
@lang_option
def evaluate_command(project_path, gold_path, codebook_paths, threshold, curve, as_json, lang):
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
    click.echo(_("Segments: {n} ({coded} with a code of this codebook); threshold {threshold}").format(
        n=format_number(ev.segments),
        coded=format_number(ev.coded_segments),
        threshold=format_number(ev.threshold, 2)))
    click.echo(_scores(ev))
    # TRANSLATORS: column headings of `qualcode evaluate`, separated by two spaces.
    click.echo(_("code  precision  recall  F1  support"))
    for s in ev.per_code:
        click.echo(f"{s.code_id}  {format_number(s.precision, 2)}  {format_number(s.recall, 2)}  {format_number(s.f1, 2)}  {s.support}")
    if points:
        click.echo(_("Learning curve (examples per code):"))
        for p in points:
            click.echo(f"  n={p.examples_per_code:<3} ({format_number(p.mean_examples_used, 1)})  {_scores(p)}")


def _scores(result) -> str:
    """top-1, top-3, kappa and macro-F1 (names of measures, the same in both languages)."""
    return "  ".join(f"{name} {format_number(value, 3)}" for name, value in
                     (("top-1", result.top1), ("top-3", result.top3), ("kappa", result.kappa), ("macro-F1", result.macro_f1)))
