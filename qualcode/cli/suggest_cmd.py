"""CLI: ``qualcode suggest`` — code suggestions for a project or for JSON Lines texts."""

from __future__ import annotations

import json
from pathlib import Path

import click
from tqdm.auto import tqdm

from qualcode.cli.common import (
    PROJECT, UserError, default_coder, lang_option, no_anonymise_option, resolve_document, warn_personal_data,
)
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, gettext as _, ngettext


def _score(value: float) -> str:
    """A score or priority as terminal output prints it: two decimals, a decimal comma in Danish."""
    return format_number(value, 2)


@click.command("suggest", cls=TranslatedCommand,
               help=N_("Suggest codes for segments, with a score and a reason: for the segments of a project"
                       " (--project), or ad hoc for JSON Lines texts (--codebook and --input)."),
               epilog="qualcode suggest --project studie.qcp [--doc D] [--top 3] [--min-score S]\n"
                      "qualcode suggest --codebook kodebog.yaml --input tekster.jsonl [--train kodet.jsonl] --json")
@click.option("--project", "-p", "project_path", type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--doc", "doc", help=N_("Only this document (id or file name)."))
@click.option("--top", type=click.IntRange(1, 50), default=3, show_default=True, help=N_("Suggestions per segment."))
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help=N_("Leave out suggestions scoring below this (project default 0.15, ad hoc 0)."))
@click.option("--coder", default=None,
              help=N_("Coder the suggestions are for; also whose decisions the model learns from (default: everyone's)."))
@click.option("--next", "next_order", type=click.Choice(["uncertain", "likely"]),
              help=N_("List the segments to code next instead of storing suggestions: the most uncertain or the most likely first."))
@click.option("--limit", type=int, default=20, show_default=True, help=N_("How many segments --next lists."))
@click.option("--precision", "show_precision", is_flag=True, help=N_("Show suggestion precision per code from the decisions made."))
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path), help=N_("Ad hoc: a codebook YAML file (with --input)."))
@click.option("--input", "input_path", type=click.Path(path_type=Path), help=N_('Ad hoc: JSON Lines {"id", "text"} to suggest for.'))
@click.option("--train", "train_path", type=click.Path(path_type=Path), help=N_('Ad hoc: JSON Lines {"text", "code"} coded examples.'))
@click.option("--json", "as_json", is_flag=True, help=N_("Write JSON Lines to stdout."))
@no_anonymise_option
@lang_option
def suggest_command(project_path, doc, top, min_score, coder, next_order, limit, show_precision, codebook_path, input_path, train_path, as_json,
                    no_anonymise, lang):
    if project_path is None and (codebook_path is None or input_path is None):
        raise UserError(_("give --project, or --codebook and --input"))
    if project_path is not None and (codebook_path is not None or input_path is not None):
        raise UserError(_("--project cannot be combined with --codebook/--input"))
    if project_path is None:
        _adhoc(codebook_path, input_path, train_path, top, min_score or 0.0, as_json, lang)
    else:
        _project(project_path, doc, top, min_score, coder, next_order, limit, show_precision, as_json, lang, not no_anonymise)


def _adhoc(codebook_path, input_path, train_path, top, min_score, as_json, lang) -> None:
    from qualcode.codebook import load_codebook
    from qualcode.suggest.adhoc import suggest_jsonl

    records = suggest_jsonl(load_codebook(codebook_path), input_path, train_path=train_path, top=top, min_score=min_score, lang=lang)
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{record['id']}:")
            for s in record["suggestions"]:
                click.echo(f"  {_score(s['score'])}  {s['code']}  ({s['reason']})")


def _project(project_path, doc, top, min_score, coder, next_order, limit, show_precision, as_json, lang, anonymise=True) -> None:
    from qualcode.project import Project
    from qualcode.store.db import may_write
    from qualcode.suggest.workflow import DEFAULT_MIN_SCORE, build_suggester, next_segments, precision_by_code, suggest_project

    # Listing only reads; it may still fill the anonymisation cache, when the project may be written.
    read_only = bool(show_precision) or (bool(next_order) and (not anonymise or not may_write(project_path)))
    with Project.open(project_path, create=False, read_only=read_only) as project:
        if show_precision:
            _print_precision(precision_by_code(project, coder=coder), as_json, lang)
            return
        document_id = resolve_document(project, doc)
        suggester = build_suggester(project, coder=coder, lang=lang)
        if next_order:
            from qualcode.report.privacy import redactor_for

            # The segments' text leaves the project here (a terminal, a pipe, a file): anonymised as reports are.
            redactor = redactor_for(project, anonymise=anonymise)
            for item in next_segments(project, suggester, order=next_order, limit=limit, document_id=document_id):
                s = item.segment
                text = redactor.quote(s.document_id, s.start, s.end)
                codes = ", ".join(f"{x.code_id} {_score(x.score)}" for x in item.suggestions)
                if as_json:
                    click.echo(json.dumps({"document_id": s.document_id, "start": s.start, "end": s.end, "text": text, "priority": item.priority, "suggestions": [{"code": x.code_id, "score": x.score, "reason": x.reason} for x in item.suggestions]}, ensure_ascii=False))
                else:
                    click.echo(f"{_score(item.priority)}  [{s.document_id}:{s.start}-{s.end}] {text}\n      {codes}")
            if not anonymise:
                warn_personal_data()
            return
        stored = segments = 0
        documents = [document_id] if document_id is not None else project.documents.ids()
        # Document by document (one transaction each), so a large study is
        # never held at once and the summary needs no second pass.
        for doc_id in tqdm(documents, desc=_("Suggesting"), unit=_("interview"),
                           disable=as_json or len(documents) < 2):
            ids = set(suggest_project(
                project, suggester, document_id=doc_id, top=top,
                min_score=DEFAULT_MIN_SCORE if min_score is None else min_score,
                coder=coder or default_coder(),
            ))
            new = [c for c in project.codings.query(document_id=doc_id) if c.id in ids] if ids else []
            stored += len(new)
            segments += len({(c.start, c.end) for c in new})
            for c in new if as_json else ():
                click.echo(json.dumps({"coding_id": c.id, "document_id": c.document_id, "start": c.start, "end": c.end, "code": c.code_id, "score": c.score, "reason": c.reason}, ensure_ascii=False))
    if as_json:
        return
    click.echo(stored_line(stored, segments))


def stored_line(stored: int, segments: int) -> str:
    """The summary of a suggest run: how many suggestions were stored, on how many segments."""
    if not stored:
        return _("No new suggestions stored.")
    return _("{suggestions} stored for {segments}.").format(
        suggestions=ngettext("{n} suggestion", "{n} suggestions", stored).format(n=format_number(stored)),
        segments=ngettext("{n} segment", "{n} segments", segments).format(n=format_number(segments)))


def _print_precision(rows, as_json, lang) -> None:
    if as_json:
        for r in rows:
            click.echo(json.dumps({"code": r.code_id, "accepted": r.accepted, "rejected": r.rejected, "open": r.open, "precision": r.precision, "mean_shown_score": r.mean_shown_score}))
        return
    if not rows:
        click.echo(_("No machine suggestions in the project yet."))
        return
    # TRANSLATORS: column headings of `qualcode suggest --precision`, separated by two spaces.
    click.echo(_("code  accepted  rejected  open  precision"))
    for r in rows:
        p = "-" if r.precision is None else _score(r.precision)
        click.echo(f"{r.code_id}  {r.accepted}  {r.rejected}  {r.open}  {p}")
