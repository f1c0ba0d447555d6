"""CLI: import, segment, info and demo."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import UserError, check_output_folder, lang_option, new_or_existing_project, open_project
from qualcode.i18n import choose
from qualcode.importer import import_files, resegment
from qualcode.readers import DEFAULT_MAX_BYTES


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, help="Project file (.qcp); created if missing.")
@click.option("--metadata", "metadata_csv", type=click.Path(path_type=Path), help="Participant metadata CSV.")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_MAX_BYTES / 1024 / 1024, show_default=True,
              help="Largest transcript in MB.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Processes that read and segment files (default: one per core for 64 files or more; 0: none).")
@lang_option
def import_command(files, project_path, metadata_csv, max_size, workers, lang):
    """Import transcripts (.txt, .md, .docx, .vtt, .srt) into a project."""
    with new_or_existing_project(project_path) as project:
        report = import_files(project, files, metadata_csv=metadata_csv, max_bytes=int(max_size * 1024 * 1024), workers=workers)
    for doc in report.imported:
        click.echo(
            choose(
                f"Importeret: {doc.path} ({doc.turns} taleture, {doc.sentences} sætninger, talere: {', '.join(doc.speakers)})",
                f"Imported: {doc.path} ({doc.turns} turns, {doc.sentences} sentences, speakers: {', '.join(doc.speakers)})",
                lang,
            )
        )
    for path in report.unchanged:
        click.echo(choose(f"Uændret, springes over: {path}", f"Unchanged, skipped: {path}", lang))
    for warning in report.warnings:
        click.echo(choose(f"Advarsel: {warning}", f"Warning: {warning}", lang), err=True)
    for _path, message in report.failed:
        click.echo(choose(f"Fejl: {message}", f"Error: {message}", lang), err=True)
    if report.failed or report.changed:
        raise SystemExit(2)


@click.command("segment")
@click.option("--project", "-p", "project_path", required=True)
@lang_option
def segment_command(project_path, lang):
    """Re-segment every document (codings are spans and are kept)."""
    with open_project(project_path) as project:
        n = resegment(project)
    click.echo(choose(f"{n} segmenter skrevet.", f"{n} segments written.", lang))


@click.command("info")
@click.option("--project", "-p", "project_path", required=True)
@lang_option
def info_command(project_path, lang):
    """Show the documents, speakers and codings in a project."""
    with open_project(project_path, read_only=True) as project:
        docs = project.documents_df()
        click.echo(choose(f"Dokumenter: {len(docs)}", f"Documents: {len(docs)}", lang))
        for d in project.documents.all():
            turns = project.documents.turns(d.id)
            role = d.metadata.get("role", "-")
            click.echo(f"  {d.id:>3}  {d.name:<40} {len(turns):>4} {choose('ture', 'turns', lang)}  {role}")
        click.echo(choose("Sætninger", "Sentences", lang) + f": {project.documents.count_segments('sentence')}")
        click.echo(choose("Kodninger", "Codings", lang) + f": {len(project.codings.query())}")


@click.command("demo")
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(path_type=Path))
@click.option("--samples", type=click.Path(path_type=Path), default=None, help="Folder with transcripts and metadata.csv (default: the shipped samples).")
@lang_option
def demo_command(out_dir, samples, lang):
    """Run the whole pipeline on the shipped sample transcripts."""
    from qualcode.demo import demo_project_path, run_demo

    check_output_folder(out_dir)
    check_output_folder(demo_project_path(out_dir).parent)
    try:
        run_demo(out_dir, samples=samples, lang=lang)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc
