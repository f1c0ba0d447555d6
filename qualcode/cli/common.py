"""Shared CLI helpers: the user-error exception and the language option."""

from __future__ import annotations

import os
from pathlib import Path

import click

from qualcode.i18n import gettext, use_language


class UserError(click.ClickException):
    """A problem with the user's input: one line on stderr, exit status 2."""

    exit_code = 2

    def __init__(self, message: str, lang: str | None = None):
        super().__init__(message)
        # The prefix is in the language the message was made in (the command's --lang has ended by show()).
        self.lang = lang or current_lang()

    def show(self, file=None) -> None:
        # TRANSLATORS: the prefix of every one-line user error on stderr.
        click.echo(gettext("Error: {message}", self.lang).format(message=self.format_message()), err=True)


def current_lang() -> str:
    """User-facing output is Danish unless QUALCODE_LANG=en or --lang en says otherwise."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        lang = ctx.params.get("lang") if ctx.params else None
        if lang:
            return lang
        ctx = ctx.parent
    return os.environ.get("QUALCODE_LANG", "da")


def _enter_language(ctx: click.Context, _param, value: str | None) -> str | None:
    # Messages made anywhere below this command (library errors included) follow --lang;
    # the language is reset when the command's context closes, so tests that invoke
    # several commands in one process do not leak it.
    if value:
        ctx.with_resource(use_language(value))
        ctx.meta["qualcode_lang"] = value  # shared with the group, which turns library errors into UserError
    return value


def lang_option(f):
    return click.option(
        "--lang",
        type=click.Choice(["da", "en"]),
        default=None,
        callback=_enter_language,
        is_eager=True,
        help="Language of messages and reports (default: da, or QUALCODE_LANG).",
    )(f)


class ProjectLocation(click.ParamType):
    """``--project``: a .qcp path, or a shared project's ``postgresql://`` URL (password from libpq's sources)."""

    name = "project"

    def convert(self, value, param, ctx):
        from qualcode.store.postgres import is_server_url

        if isinstance(value, Path) or is_server_url(value):
            return value
        return Path(value)


PROJECT = ProjectLocation()


def project_missing(location) -> bool:
    """A project file that does not exist (a server project is checked when it is opened)."""
    return isinstance(location, Path) and not location.is_file()


def default_coder() -> str:
    """The coder name: QUALCODE_CODER, else the configuration file, else the login name."""
    from qualcode.team.coders import resolve_coder

    return resolve_coder()
