"""CLI: ``qualcode media link|unlink|list`` — a document's recording, for playback from a segment's time."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import PROJECT, UserError, default_coder, lang_option, open_existing_project, resolve_document
from qualcode.cli.translated import TranslatedGroup
from qualcode.i18n import N_, gettext as _


def project_option(f):
    return click.option("--project", "-p", "project_path", required=True, type=PROJECT,
                        help=N_("Project file (.qcp) or postgresql:// URL."))(f)


@click.group("media", cls=TranslatedGroup,
             help=N_("Link recordings to documents (stored as a path, never copied into the project)."))
def media_group() -> None:
    pass


@media_group.command("link", help=N_("Link DOC (name or id) to its recording FILE (.mp3, .m4a, .wav, .mp4, ...)."))
@click.argument("doc")
@click.argument("file", type=click.Path(path_type=Path))
@project_option
@lang_option
def link_command(doc, file, project_path, lang):
    from qualcode.media import has_times, link_media

    with open_existing_project(project_path) as project:
        document_id = resolve_document(project, doc)
        link = link_media(project, document_id, file, default_coder())
        name = project.documents.get(document_id).name
        kind = _("audio") if link.kind == "audio" else _("video")
        click.echo(_("{document} is linked to {path} ({kind}).").format(document=name, path=link.path, kind=kind))
        if not has_times(project, document_id):
            click.echo(_("Warning: {document} has no start times; the recording plays from the start, not from a segment.")
                       .format(document=name), err=True)


@media_group.command("unlink", help=N_("Remove DOC's link to its recording (the file itself is not touched)."))
@click.argument("doc")
@project_option
@lang_option
def unlink_command(doc, project_path, lang):
    with open_existing_project(project_path) as project:
        document_id = resolve_document(project, doc)
        name = project.documents.get(document_id).name
        if not project.media.unlink(document_id):
            raise UserError(_("{document} has no linked recording").format(document=name))
        click.echo(_("{document} is no longer linked to a recording.").format(document=name))


@media_group.command("list", help=N_("List the documents with a linked recording."))
@project_option
@lang_option
def list_command(project_path, lang):
    with open_existing_project(project_path) as project:
        names = {h.id: h.name for h in project.documents.headers()}
        links = project.media.all()
        if not links:
            click.echo(_("No document has a linked recording."))
        for link in links:
            missing = "" if Path(link.path).is_file() else "  " + _("(file missing)")
            click.echo(f"{names.get(link.document_id, link.document_id)}\t{link.path}{missing}")
