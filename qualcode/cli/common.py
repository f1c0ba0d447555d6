"""Shared CLI helpers: the user-error exception and the language option."""

from __future__ import annotations

import os

import click


class UserError(click.ClickException):
    """A problem with the user's input: one line on stderr, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Fejl: {self.format_message()}" if current_lang() == "da" else f"Error: {self.format_message()}", err=True)


def current_lang() -> str:
    """User-facing output is Danish unless QUALCODE_LANG=en or --lang en says otherwise."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        lang = ctx.params.get("lang") if ctx.params else None
        if lang:
            return lang
        ctx = ctx.parent
    return os.environ.get("QUALCODE_LANG", "da")


def lang_option(f):
    return click.option(
        "--lang",
        type=click.Choice(["da", "en"]),
        default=None,
        help="Language of messages and reports (default: da, or QUALCODE_LANG).",
    )(f)


def default_coder() -> str:
    """The coder name: QUALCODE_CODER, else the configuration file, else the login name."""
    from qualcode.team.coders import resolve_coder

    return resolve_coder()
