"""CLI: import, segment, info and demo."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import PROJECT, UserError, check_output_folder, lang_option, new_or_existing_project, open_project
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, ngettext
from qualcode.i18n import gettext as _
from qualcode.import_summary import summary_lines
from qualcode.importer import import_files, resegment
from qualcode.project import Project
from qualcode.readers import DEFAULT_MAX_BYTES
from qualcode.readers.timecodes import format_time
from qualcode.roles import display_speaker


@click.command("import", cls=TranslatedCommand,
               help=N_("Import transcripts (.txt, .md, .docx, .odt, .rtf, .vtt, .srt) into a project."))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp; created if missing) or postgresql:// URL."))
@click.option("--metadata", "metadata_csv", type=click.Path(path_type=Path), help=N_("Participant metadata CSV."))
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_MAX_BYTES / 1024 / 1024, show_default=True,
              help=N_("Largest transcript in MB."))
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help=N_("Processes that read and segment files (default: one per core for 64 files or more; 0: none)."))
@click.option("--quiet", "-q", is_flag=True, help=N_("One line per file, without the summary of what was recognised."))
@lang_option
def import_command(files, project_path, metadata_csv, max_size, workers, quiet, lang):
    with new_or_existing_project(project_path) as project:
        report = import_files(project, files, metadata_csv=metadata_csv, max_bytes=int(max_size * 1024 * 1024), workers=workers)
    for doc in report.imported:
        click.echo(
            _("Imported: {path} ({turns}, {sentences})").format(
                path=doc.path,
                turns=ngettext("{n} turn", "{n} turns", doc.turns).format(n=format_number(doc.turns)),
                sentences=ngettext("{n} sentence", "{n} sentences", doc.sentences).format(n=format_number(doc.sentences)),
            )
        )
        if not quiet:
            for line in summary_lines(doc):
                click.echo("  " + line)
    for path in report.unchanged:
        if metadata_csv:
            click.echo(_("Unchanged, skipped: {path} (to attach the metadata to it: qualcode metadata)").format(path=path))
        else:
            click.echo(_("Unchanged, skipped: {path}").format(path=path))
    for path, name in report.duplicates:
        click.echo(_("Same text as {name}, which is already in the project; skipped: {path}").format(name=name, path=path))
    for warning in report.warnings:
        click.echo(_("Warning: {warning}").format(warning=warning), err=True)
    for _path, message in report.failed:
        click.echo(_("Error: {message}").format(message=message), err=True)
    if report.failed or report.changed:
        raise SystemExit(2)


@click.command("segment", cls=TranslatedCommand, help=N_("Re-segment every document (codings are spans and are kept)."))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@lang_option
def segment_command(project_path, lang):
    with open_project(project_path) as project:
        n = resegment(project)
    click.echo(ngettext("{n} segment written.", "{n} segments written.", n).format(n=format_number(n)))


@click.command("info", cls=TranslatedCommand, help=N_("Show the documents, speakers and codings in a project."))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--turns", "turns_of", metavar="DOC", default=None,
              help=N_("List the turns of one document (its id or file name): speaker, role and start time."))
@lang_option
def info_command(project_path, turns_of, lang):
    with open_project(project_path, read_only=True) as project:
        if turns_of is not None:
            _show_turns(project, turns_of)
            return
        headers = project.documents.headers()
        click.echo(_("Documents: {n}").format(n=format_number(len(headers))))
        for d in headers:
            turns = project.documents.turns(d.id)
            role = d.metadata.get("role", "-")
            count = ngettext("{n} turn", "{n} turns", len(turns)).format(n=format_number(len(turns)))
            click.echo(f"  {d.id:>3}  {d.name:<40} {count:>12}  {role}")
        click.echo(_("Sentences: {n}").format(n=format_number(project.documents.count_segments("sentence"))))
        click.echo(_("Codings: {n}").format(n=format_number(len(project.codings.query()))))


def _show_turns(project: Project, wanted: str) -> None:
    header = next((h for h in project.documents.headers() if h.name == wanted or str(h.id) == wanted), None)
    if header is None:
        raise UserError(_("{project}: no document {doc} (give its id or file name, as 'qualcode info' lists them)").format(
            project=project.db.path, doc=wanted))
    turns = project.documents.turns(header.id)
    text = project.documents.get(header.id).text
    click.echo(ngettext("{name}: {n} turn", "{name}: {n} turns", len(turns)).format(name=header.name, n=format_number(len(turns))))
    rows = [(_("no."), _("start"), _("speaker"), _("role"), _("text"))]
    for t in turns:
        role = t.role or "-"
        spoken = " ".join(text[t.start : t.end].split())
        rows.append((str(t.index + 1), format_time(t.start_time) or "-", display_speaker(t.speaker), role,
                     spoken if len(spoken) <= 60 else spoken[:59] + "…"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        click.echo("  " + "  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])


@click.command("demo", cls=TranslatedCommand, help=N_("Run the whole pipeline on the shipped sample transcripts."))
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(path_type=Path),
              help=N_("Folder for the report (the project and its key go beside it, in <out>.projekt)."))
@click.option("--samples", type=click.Path(path_type=Path), default=None,
              help=N_("Folder with transcripts and metadata.csv (default: the shipped samples)."))
@lang_option
def demo_command(out_dir, samples, lang):
    from qualcode.demo import demo_project_path, run_demo

    check_output_folder(out_dir)
    check_output_folder(demo_project_path(out_dir).parent)
    try:
        run_demo(out_dir, samples=samples, lang=lang)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc
