"""Shared CLI helpers: the user-error exception and the language option."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import click

from qualcode.i18n import N_, gettext, join_list, quote, use_language


class UserError(click.ClickException):
    """A problem with the user's input: one line on stderr, exit status 2."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        # Shown after the command's context has closed: the language is taken now.
        self.lang = current_lang()

    def show(self, file=None) -> None:
        # TRANSLATORS: the prefix of every one-line user error on stderr.
        click.echo(gettext("Error: {message}", self.lang).format(message=self.format_message()), err=True)


_ROOT_LANG = "qualcode.lang"


def current_lang() -> str:
    """User-facing output is Danish unless QUALCODE_LANG=en or --lang en says otherwise."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    while ctx is not None:
        lang = ctx.params.get("lang") if ctx.params else None
        if lang:
            return lang
        ctx = ctx.parent
    if root is not None and root.meta.get(_ROOT_LANG):
        return root.meta[_ROOT_LANG]
    return os.environ.get("QUALCODE_LANG", "da")


def _enter_language(ctx: click.Context, _param, value: str | None) -> str | None:
    # Messages made anywhere below this command (library errors included) follow --lang;
    # the language is reset when the command's context closes, so tests that invoke
    # several commands in one process do not leak it.
    if value:
        ctx.with_resource(use_language(value))
        # A library error becomes a UserError in the group, after this context has closed.
        ctx.find_root().meta[_ROOT_LANG] = value
    return value


def lang_option(f):
    return click.option(
        "--lang",
        type=click.Choice(["da", "en"]),
        default=None,
        callback=_enter_language,
        is_eager=True,
        help=N_("Language of messages and reports (default: da, or QUALCODE_LANG)."),
    )(f)


class ProjectLocation(click.ParamType):
    """``--project``: a .qcp path, or a shared project's ``postgresql://`` URL (password from libpq's sources)."""

    name = "path"  # shown as PATH (STI in Danish), as click's own path type is

    def convert(self, value, param, ctx):
        from pathlib import Path

        from qualcode.store.postgres import is_server_url

        if isinstance(value, Path) or is_server_url(value):
            return value
        return Path(value)


PROJECT = ProjectLocation()


def project_missing(location) -> bool:
    """A project file that does not exist (a server project is checked when it is opened)."""
    from pathlib import Path

    return isinstance(location, Path) and not location.is_file()


def default_coder() -> str:
    """The coder name: QUALCODE_CODER, else the configuration file, else the login name."""
    from qualcode.team.coders import resolve_coder

    return resolve_coder()


def open_project(path, *, read_only: bool = False):
    """An existing project file; ``read_only`` for commands that only read it.

    A read-only command opens the file read-only, so it works on a project
    on a read-only disk or shared read-only, and can never change it.
    """
    from qualcode.project import Project

    return Project.open(path, create=False, read_only=read_only)


def open_existing_project(path, *, read_only: bool = False):
    """:func:`open_project`, with a path that is not a file refused first as "no such project file"."""
    if project_missing(path):
        raise UserError(gettext("{path}: no such project file").format(path=path))
    return open_project(path, read_only=read_only)


def resolve_document(project, doc: str | None) -> int | None:
    """The id of the document a user named by id or name (``None`` for none named)."""
    if doc is None:
        return None
    if doc.isdigit() and int(doc) in project.documents.ids():
        return int(doc)
    found = project.documents.by_name(doc)
    if found is None:
        raise UserError(gettext("no document {name} in the project").format(name=quote(doc)))
    return found.id


@contextmanager
def new_or_existing_project(path) -> Iterator:
    """The project file, made when missing; a file this command made is removed again when the
    command fails or stores nothing in it, so a failed first import leaves no empty project behind."""
    from pathlib import Path

    from qualcode.project import Project
    from qualcode.store.files import discard
    from qualcode.store.postgres import is_server_url

    if is_server_url(path):  # a server project exists before any command: nothing to clean up
        with Project.open(path, create=True) as project:
            yield project
        return
    path = Path(path)
    made = not path.exists()
    project = Project.open(path, create=True)
    try:
        yield project
    finally:
        # Asked whether the command ended or failed: what it stored before failing is kept.
        empty = made and project.is_empty()
        project.close()
        if empty:  # only ever a file this command made, holding nothing: never a user's project
            discard(path)


def check_output_folder(path) -> None:
    """Refuse, before anything is written, an output folder that is a file or cannot be written.

    Nothing is created here: a command that fails later leaves no folder behind.
    """
    from pathlib import Path

    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UserError(f"{path}: " + gettext("is a file, not a folder; give a folder for the output", current_lang()))
    _check_writable(path, path if path.is_dir() else _existing_parent(path))


def check_output_file(path) -> None:
    """Refuse, before anything is written, an output file that is a folder or cannot be written."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path}: " + gettext("is a folder; give a file name for the output", current_lang()))
    if path.exists() and not os.access(path, os.W_OK):
        raise UserError(f"{path}: " + gettext("the file is read-only", current_lang()))
    _check_writable(path, _existing_parent(path.parent) if not path.parent.is_dir() else path.parent)


def _existing_parent(path):
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _check_writable(path, folder) -> None:
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"{path}: " + gettext("cannot be written (the folder {folder} may not be written)", current_lang()).format(
            folder=folder))


def no_anonymise_option(f):
    """``--no-anonymise``: the one way to ask any export for raw interview text (it then warns)."""
    return click.option("--no-anonymise", "no_anonymise", is_flag=True,
                        help=N_("Keep names and places (the output holds personal data; a warning is printed)."))(f)


def warn_personal_data() -> None:
    """The personal-data warning on stderr, in the words every non-anonymised output uses."""
    from qualcode.report.privacy import personal_data_warning

    click.echo(personal_data_warning(current_lang()), err=True)


def conflict_line(conflict) -> str:
    """One code two sources define differently (merge, import-qdpx): what was kept, what the other has.

    The field is the codebook's YAML key (``color``, ``definition``), as the user wrote it.
    """
    return gettext("Conflict: code {code}, {field}: kept {kept}, {origin} has {other}").format(
        code=quote(conflict.code_id), field=conflict.field, kept=_value(conflict.kept),
        origin=conflict.origin, other=_value(conflict.other))


def _value(value) -> str:
    if value is None or value == "" or value == ():
        return gettext("(none)")
    if isinstance(value, (tuple, list)):
        return join_list([quote(str(v)) for v in value])
    return quote(str(value))
