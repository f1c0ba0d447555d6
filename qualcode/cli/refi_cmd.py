"""CLI: ``qualcode export-qdpx`` and ``qualcode import-qdpx`` (REFI-QDA project exchange)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import UserError, default_coder, lang_option
from qualcode.i18n import gettext as _
from qualcode.i18n import join_list, ngettext
from qualcode.project import Project


@click.command("export-qdpx")
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="REFI-QDA project to write (.qdpx).")
@lang_option
def export_qdpx_command(project_path, out, lang):
    """Export the project for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdpx)."""
    from qualcode.refi import export_qdpx

    if out.suffix.lower() != ".qdpx":
        raise UserError(_("{path}: the file must end in .qdpx").format(path=out))
    if not project_path.is_file():
        raise UserError(_("{path}: no such project file").format(path=project_path))
    with Project.open(project_path, create=False) as project:
        s = export_qdpx(project, out)
    click.echo(_("Written: {path} ({sources}, {codes}, {codings}, coders: {coders})").format(
        path=out,
        sources=ngettext("{n} source", "{n} sources", s.sources).format(n=s.sources),
        codes=ngettext("{n} code", "{n} codes", s.codes).format(n=s.codes),
        codings=ngettext("{n} coding", "{n} codings", s.codings).format(n=s.codings),
        coders=join_list(s.users) or _("none"),
    ))


@click.command("import-qdpx")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp); created if missing.")
@click.option("--coder", "actor", default=None, help="Who imports (default: QUALCODE_CODER, configuration or login name).")
@lang_option
def import_qdpx_command(file, project_path, actor, lang):
    """Import a REFI-QDA project (.qdpx, .qde or an unzipped project folder) from NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    from qualcode.refi import read_qdpx, store_refi_project

    refi = read_qdpx(file)  # read before the project file is created: a bad file leaves nothing behind
    with Project.open(project_path) as project:
        r = store_refi_project(project, refi, actor or default_coder(), origin=file.name)
    new, added, matched = len(r.codes_added), len(r.documents_added), len(r.documents_matched)
    click.echo(_("{origin}: {codes} ({new}), {sources} ({added}, {matched}), {codings}, users: {users}").format(
        origin=r.origin,
        codes=ngettext("{n} code", "{n} codes", r.codes_read).format(n=r.codes_read),
        # TRANSLATORS: new codes ("5 codes (2 new)")
        new=ngettext("{n} new", "{n} new", new).format(n=new),
        sources=ngettext("{n} source", "{n} sources", r.sources_read).format(n=r.sources_read),
        added=ngettext("{n} new document", "{n} new documents", added).format(n=added),
        # TRANSLATORS: documents the project already had ("1 matched")
        matched=ngettext("{n} matched", "{n} matched", matched).format(n=matched),
        codings=ngettext("{n} coding", "{n} codings", r.codings_added).format(n=r.codings_added),
        users=join_list(r.users) or _("none"),
    ))
    for c in r.conflicts:
        click.echo(_("  Conflict: code '{code}' {field}: kept {kept!r}, the file has {other!r}").format(
            code=c.code_id, field=c.field, kept=c.kept, other=c.other))
    click.echo("")
    click.echo(r.summary_table())
    for w in r.warnings:
        click.echo(_("Warning: {message}").format(message=w), err=True)
