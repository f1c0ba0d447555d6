"""CLI: ``qualcode export-qdpx`` and ``qualcode import-qdpx`` (REFI-QDA project exchange)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import (
    PROJECT, UserError, check_output_file, conflict_line, default_coder, lang_option, new_or_existing_project, project_missing,
    warn_personal_data,
)
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, gettext as _
from qualcode.i18n import join_list, ngettext
from qualcode.project import Project
from qualcode.store.db import may_write
from qualcode.store.postgres import database_name, is_server_url


@click.command("export-qdpx", cls=TranslatedCommand,
               help=N_("Export the project for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdpx).\n\n"
                       "The export carries the interviews' full text, as other tools need it: it is not anonymised"
                       " unless --anonymise is given, and says so."))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help=N_("REFI-QDA project to write (.qdpx)."))
@click.option("--anonymise", is_flag=True,
              help=N_("Write anonymised sources (as reports quote them), with every coding moved to the same words."))
@lang_option
def export_qdpx_command(project_path, out, anonymise, lang):
    from qualcode.refi import export_qdpx

    if out.suffix.lower() != ".qdpx":
        raise UserError(_("{path}: the file must end in .qdpx").format(path=out))
    if project_missing(project_path):
        raise UserError(_("{path}: no such project file").format(path=project_path))
    check_output_file(out)
    # Exporting only reads; an anonymised export may fill the anonymisation cache, where the project may be written.
    with Project.open(project_path, create=False, read_only=not anonymise or not may_write(project_path)) as project:
        if anonymise:
            from qualcode.anonymise.project_copy import anonymised_copy

            with anonymised_copy(project) as copy:
                s = export_qdpx(copy, out, name=database_name(project_path) if is_server_url(project_path) else project_path.stem)
        else:
            s = export_qdpx(project, out)
    if not anonymise:
        warn_personal_data()
        click.echo(_("(export-qdpx --anonymise writes an anonymised copy)"), err=True)
    click.echo(_("Written: {path} ({sources}, {codes}, {codings}, coders: {coders})").format(
        path=out,
        sources=ngettext("{n} source", "{n} sources", s.sources).format(n=format_number(s.sources)),
        codes=ngettext("{n} code", "{n} codes", s.codes).format(n=format_number(s.codes)),
        codings=ngettext("{n} coding", "{n} codings", s.codings).format(n=format_number(s.codings)),
        coders=join_list(s.users) or _("none"),
    ))


@click.command("import-qdpx", cls=TranslatedCommand,
               help=N_("Import a REFI-QDA project (.qdpx, .qde or an unzipped project folder) from NVivo, ATLAS.ti, MAXQDA"
                       " or QualCoder."))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT,
              help=N_("Project file (.qcp; created if missing) or postgresql:// URL."))
@click.option("--coder", "actor", default=None, help=N_("Who imports (default: QUALCODE_CODER, configuration or login name)."))
@lang_option
def import_qdpx_command(file, project_path, actor, lang):
    from qualcode.refi import read_qdpx, store_refi_project

    refi = read_qdpx(file)  # read before the project file is created: a bad file leaves nothing behind
    with new_or_existing_project(project_path) as project:
        r = store_refi_project(project, refi, actor or default_coder(), origin=file.name)
    new, added, matched = len(r.codes_added), len(r.documents_added), len(r.documents_matched)
    click.echo(_("{origin}: {codes} ({new}), {sources} ({added}, {matched}), {codings}, users: {users}").format(
        origin=r.origin,
        codes=ngettext("{n} code", "{n} codes", r.codes_read).format(n=format_number(r.codes_read)),
        # TRANSLATORS: new codes ("5 codes (2 new)"; "kode" is common gender: "1 ny", "2 nye")
        new=ngettext("{n} new", "{n} new", new).format(n=format_number(new)),
        sources=ngettext("{n} source", "{n} sources", r.sources_read).format(n=format_number(r.sources_read)),
        added=ngettext("{n} new document", "{n} new documents", added).format(n=format_number(added)),
        # TRANSLATORS: documents the project already had ("1 matched")
        matched=ngettext("{n} matched", "{n} matched", matched).format(n=format_number(matched)),
        codings=ngettext("{n} coding", "{n} codings", r.codings_added).format(n=format_number(r.codings_added)),
        users=join_list(r.users) or _("none"),
    ))
    for c in r.conflicts:
        click.echo("  " + conflict_line(c))
    click.echo("")
    click.echo(r.summary_table())
    for w in r.warnings:
        click.echo(_("Warning: {message}").format(message=w), err=True)
