"""Shared CLI helpers: the user-error exception and the language option."""

from __future__ import annotations

import os

import click

from qualcode.i18n import N_, gettext, use_language


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


def default_coder() -> str:
    """The coder name: QUALCODE_CODER, else the configuration file, else the login name."""
    from qualcode.team.coders import resolve_coder

    return resolve_coder()
