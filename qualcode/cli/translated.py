"""Click help in the user's language: help texts are gettext message ids, translated when shown.

Click evaluates ``help=`` when a module is imported, long before ``--lang``
is parsed, and a ``str`` cannot change its value later. So help texts are
written as English message ids marked with :func:`N_` (for extraction) and
these command classes translate them at the moment help is formatted:
the command's help, each option's help, the short help in a group's command
list, and click's own words ("Usage:", "Options", "default: …"). A command's
``epilog`` holds example command lines, printed as written under "Examples".

The language is the one ``--lang`` names anywhere on the command line (also
after ``--help``), else ``QUALCODE_LANG``, else Danish. Use
``@click.command(..., cls=TranslatedCommand)`` and
``@click.group(..., cls=TranslatedGroup)``; a translated group's subcommands
are translated commands by default.
"""

from __future__ import annotations

import inspect
import os
import re

import click

from qualcode.i18n import LANGUAGES, N_, gettext, pgettext, pgettext_noop

_META_KEY = "qualcode.help_lang"
# Click's own help for --help; in the catalogue so it reads Danish too.
HELP_OPTION_HELP = N_("Show this message and exit.")
VERSION_OPTION_HELP = N_("Show the version and exit.")
# Click's placeholders in the usage line (its defaults for options_metavar and subcommand_metavar).
USAGE_PLACEHOLDERS = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]...")}
# Placeholders for values: click's names of its types (PATH, TEXT, ...) and the ones the help texts
# name ("Find PATTERN ..." reads "Find MØNSTER ..."), so the usage line and the options say the same.
METAVAR = "metavar"
METAVARS = (
    pgettext_noop("metavar", "INTEGER RANGE"), pgettext_noop("metavar", "FLOAT RANGE"),
    pgettext_noop("metavar", "INTEGER"), pgettext_noop("metavar", "FLOAT"), pgettext_noop("metavar", "TEXT"),
    pgettext_noop("metavar", "PATH"), pgettext_noop("metavar", "PATTERN"), pgettext_noop("metavar", "ID=NAME"),
)
_METAVAR_WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(m) for m in METAVARS) + r")(?![\w-])")


def translate_metavars(text: str, lang: str) -> str:
    """``-p, --project PATH`` -> ``-p, --project STI`` in Danish (option names and choices unchanged)."""
    return _METAVAR_WORDS.sub(lambda m: pgettext(METAVAR, m.group(1), lang), text)


def _lang_in_args(args: list[str]) -> str | None:
    """The value of ``--lang`` on the command line, wherever it stands (``--lang en`` or ``--lang=en``)."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGUAGES:
            return args[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return None


def help_lang(ctx: click.Context | None) -> str:
    """The language help is shown in: ``--lang`` on the command line, else QUALCODE_LANG, else Danish."""
    while ctx is not None:
        found = ctx.meta.get(_META_KEY) or (ctx.params or {}).get("lang")
        if found:
            return found
        ctx = ctx.parent
    env = os.environ.get("QUALCODE_LANG")
    return env if env in LANGUAGES else "da"


def translate(text: str | None, ctx: click.Context | None) -> str | None:
    return gettext(text, help_lang(ctx)) if text else text


class _Translated:
    """What translated commands and groups share (mixed into click's classes)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --help is eager and may come before --lang: read the language first.
        lang = _lang_in_args(args)
        if lang:
            ctx.meta[_META_KEY] = lang
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        pieces = [gettext(USAGE_PLACEHOLDERS[p], lang) if p in USAGE_PLACEHOLDERS else translate_metavars(p, lang)
                  for p in self.collect_usage_pieces(ctx)]
        # TRANSLATORS: the prefix of click's usage line; keep the trailing space.
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=gettext("Usage: ", lang))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = translate(self.help, ctx)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(inspect.cleandoc(text).partition("\f")[0])

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The epilog holds example command lines (no prose, so nothing to translate), one a line as written.
        if self.epilog:
            with formatter.section(gettext("Examples", help_lang(ctx))):
                for line in inspect.cleandoc(self.epilog).splitlines():
                    formatter.write(f"{'':>{formatter.current_indent}}{line}\n")

    def get_short_help_str(self, limit: int = 45) -> str:
        ctx = click.get_current_context(silent=True)
        original = self.help
        self.help = translate(original, ctx)
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = original

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        records = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                records.append(_option_record(param, ctx, lang))
        if records:
            with formatter.section(gettext("Options", lang)):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section(gettext("Commands", help_lang(ctx))):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])


def _option_record(option: click.Option, ctx: click.Context, lang: str) -> tuple[str, str]:
    """Click's help record of an option, with its help and click's own words translated."""
    text = gettext(option.help, lang) if option.help else ""
    extra = option.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(gettext("env var: {var}", lang).format(var=", ".join(extra["envvars"])))
    if "default" in extra:
        items.append(gettext("default: {default}", lang).format(default=extra["default"]))
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append(gettext("required", lang))
    if items:
        text = f"{text}  [{'; '.join(items)}]" if text else f"[{'; '.join(items)}]"
    return translate_metavars(option.get_help_spec(ctx), lang), text


class TranslatedCommand(_Translated, click.Command):
    """A click command whose help follows ``--lang`` / QUALCODE_LANG."""


class TranslatedGroup(_Translated, click.Group):
    """A click group whose help, and whose subcommands' help, follow ``--lang`` / QUALCODE_LANG."""

    command_class = TranslatedCommand


__all__ = ["HELP_OPTION_HELP", "TranslatedCommand", "TranslatedGroup", "help_lang", "translate"]
