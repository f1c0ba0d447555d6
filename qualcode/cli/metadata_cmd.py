"""CLI: attach participant metadata to documents already in a project."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.attach import attach_metadata
from qualcode.cli.common import PROJECT, lang_option
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, ngettext
from qualcode.i18n import gettext as _
from qualcode.project import Project


@click.command("metadata", cls=TranslatedCommand,
               help=N_("Attach or update participant metadata (role, participant id, municipality, …) of imported documents.\n\n"
                       "Roles, participant ids and interviewer flags of every turn and segment are derived again;"
                       " codings are kept exactly as they are."))
@click.argument("metadata_csv", type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@lang_option
def metadata_command(metadata_csv, project_path, lang):
    with Project.open(project_path, create=False) as project:
        report = attach_metadata(project, metadata_csv)
    for name in report.updated:
        click.echo(_("Updated: {name}").format(name=name))
    n = len(report.unchanged)
    if n:
        click.echo(ngettext("{n} document unchanged.", "{n} documents unchanged.", n).format(n=format_number(n)))
    for warning in report.warnings:
        click.echo(_("Warning: {warning}").format(warning=warning), err=True)
