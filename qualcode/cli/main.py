"""Entry point: the ``qualcode`` command group.

Library code raises :class:`qualcode.errors.QualcodeError`; here, and only
here, it becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import sys

import click

from qualcode.errors import QualcodeError, os_problem
from qualcode.cli.common import UserError, lang_option
from qualcode.cli.translated import TranslatedGroup
from qualcode.i18n import N_


class QualcodeGroup(TranslatedGroup):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            raise UserError(str(exc)) from exc
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            # A bad option is a user error like any other: one line, exit 2 (not click's usage block).
            raise UserError(exc.format_message()) from exc
        except BrokenPipeError:
            # The reader of our output went away (qualcode search ... | head): nothing to tell
            # anyone; click's main ends quietly with exit status 1, as Python advises.
            raise
        except OSError as exc:
            # The last net under every command: a file the system would not let us read or write.
            raise UserError(f"{exc.filename}: {os_problem(exc)}" if exc.filename else os_problem(exc)) from exc


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("qualcode: qualitative analysis of Danish interviews.\n\n"
                     "Import transcripts, segment them, code them against a codebook with suggestions,"
                     " and write anonymised quote tables and theme counts."))
# No words in the version line: it reads the same in every language.
@click.version_option(package_name="qualcode", message="%(prog)s %(version)s")
# Before the command (qualcode --lang en report ...) it sets the language of everything below.
@lang_option
def cli(lang) -> None:
    pass


def _register() -> None:
    # Each command lives in its own module; registration order is help order.
    from qualcode.cli import import_cmd

    cli.add_command(import_cmd.import_command)
    cli.add_command(import_cmd.segment_command)
    cli.add_command(import_cmd.info_command)
    cli.add_command(import_cmd.demo_command)
    from qualcode.cli import metadata_cmd; cli.add_command(metadata_cmd.metadata_command)
    from qualcode.cli import report_cmd; cli.add_command(report_cmd.report_command); cli.add_command(report_cmd.rate_command)
    from qualcode.cli import codebook_cmd; cli.add_command(codebook_cmd.codebook_group)
    from qualcode.cli import suggest_cmd, evaluate_cmd; cli.add_command(suggest_cmd.suggest_command); cli.add_command(evaluate_cmd.evaluate_command)
    from qualcode.cli import anonymise_cmd; cli.add_command(anonymise_cmd.anonymise_command)
    from qualcode.cli import team_cmd; cli.add_command(team_cmd.merge_command); cli.add_command(team_cmd.agreement_command); cli.add_command(team_cmd.consensus_command)
    from qualcode.cli import search_cmd; cli.add_command(search_cmd.search_command); cli.add_command(search_cmd.autocode_command)
    from qualcode.cli import media_cmd; cli.add_command(media_cmd.media_group)
    from qualcode.cli import refi_cmd; cli.add_command(refi_cmd.export_qdpx_command); cli.add_command(refi_cmd.import_qdpx_command)
    from qualcode.cli import server_cmd; cli.add_command(server_cmd.server_group)


_register()


def main() -> None:
    cli(prog_name="qualcode")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
