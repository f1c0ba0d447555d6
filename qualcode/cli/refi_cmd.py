"""CLI: ``qualcode export-qdpx`` and ``qualcode import-qdpx`` (REFI-QDA project exchange)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import UserError, check_output_file, default_coder, lang_option, new_or_existing_project
from qualcode.i18n import choose
from qualcode.project import Project


@click.command("export-qdpx")
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="REFI-QDA project to write (.qdpx).")
@lang_option
def export_qdpx_command(project_path, out, lang):
    """Export the project for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdpx)."""
    from qualcode.refi import export_qdpx

    if out.suffix.lower() != ".qdpx":
        raise UserError(choose(f"{out}: filen skal hedde .qdpx", f"{out}: the file must end in .qdpx", lang))
    if not project_path.is_file():
        raise UserError(choose(f"{project_path}: projektfilen findes ikke", f"{project_path}: no such project file", lang))
    check_output_file(out)
    with Project.open(project_path, create=False, read_only=True) as project:
        s = export_qdpx(project, out)
    click.echo(choose(
        f"Skrevet: {out} ({s.sources} kilder, {s.codes} koder, {s.codings} kodninger, kodere: {', '.join(s.users) or 'ingen'})",
        f"Written: {out} ({s.sources} sources, {s.codes} codes, {s.codings} codings, coders: {', '.join(s.users) or 'none'})",
        lang,
    ))


@click.command("import-qdpx")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp); created if missing.")
@click.option("--coder", "actor", default=None, help="Who imports (default: QUALCODE_CODER, configuration or login name).")
@lang_option
def import_qdpx_command(file, project_path, actor, lang):
    """Import a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    from qualcode.refi import import_qdpx

    with new_or_existing_project(project_path) as project:
        r = import_qdpx(project, file, actor or default_coder())
    click.echo(choose(
        f"{r.origin}: {r.codes_read} koder ({len(r.codes_added)} nye), {r.sources_read} kilder"
        f" ({len(r.documents_added)} nye dokumenter, {len(r.documents_matched)} genkendt),"
        f" {r.codings_added} kodninger, brugere: {', '.join(r.users) or 'ingen'}",
        f"{r.origin}: {r.codes_read} codes ({len(r.codes_added)} new), {r.sources_read} sources"
        f" ({len(r.documents_added)} new documents, {len(r.documents_matched)} matched),"
        f" {r.codings_added} codings, users: {', '.join(r.users) or 'none'}",
        lang,
    ))
    for c in r.conflicts:
        click.echo(choose(f"  Konflikt: kode '{c.code_id}' {c.field}: beholdt {c.kept!r}, filen har {c.other!r}",
                          f"  Conflict: code '{c.code_id}' {c.field}: kept {c.kept!r}, the file has {c.other!r}", lang))
    for w in r.warnings:
        click.echo(choose("Advarsel: ", "Warning: ", lang) + w, err=True)
