"""CLI: ``qualcode report`` writes the Word report, spreadsheets and tables; ``qualcode rate`` rates a quote.

Help texts are English message ids (``N_``) translated when shown
(:mod:`qualcode.cli.translated`), so ``--help`` follows ``--lang`` and QUALCODE_LANG.
"""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import PROJECT, UserError, check_output_folder, default_coder, lang_option, open_existing_project
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, gettext as _, resolve_lang
from qualcode.models import CODING_STATUSES
from qualcode.project import Project
from qualcode.store.db import may_write
from qualcode.report.build import FORMATS

CSV_SEPARATORS = {"semicolon": ";", "comma": ",", "tab": "tab", ";": ";", ",": ","}


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UserError(_("--format {value}: use one or more of {formats}").format(value=value, formats=",".join(FORMATS)))
    return formats


def _project(project_path: Path) -> Project:
    # A project that may not be written is reported from read-only (nothing is cached in it).
    return open_existing_project(project_path, read_only=not may_write(project_path))


# -- qualcode report ---------------------------------------------------------------------
@click.command("report", cls=TranslatedCommand,
               help=N_("Write anonymised quote tables, theme counts, charts and a Word report."))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help=N_("Folder for the report files."))
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True, help=N_("Comma-separated: docx,xlsx,csv,md."))
@click.option("--no-anonymise", "no_anonymise", is_flag=True, help=N_("Keep names and places (outputs are marked as personal data)."))
@click.option("--status", type=click.Choice(("all", *CODING_STATUSES)), default="accepted", show_default=True,
              help=N_("Coding status to count and quote ('all' for every status)."))
@click.option("--coder", default=None, help=N_("Only this coder's codings."))
# What the report covers (each repeatable).
@click.option("--code", "codes", multiple=True, metavar="ID", help=N_("Only this code and the codes below it (repeatable)."))
@click.option("--role", "roles", multiple=True, metavar="ROLE", help=N_("Only what interviewees in this role said (repeatable)."))
@click.option("--document", "documents", multiple=True, metavar="NAME", help=N_("Only this interview, by file name or id (repeatable)."))
# How quotes are chosen and printed.
@click.option("--per-code", type=click.IntRange(min=1), default=3, show_default=True, help=N_("Quotes per code in the report."))
@click.option("--max-per-participant", type=click.IntRange(min=1), default=1, show_default=True,
              help=N_("At most this many quotes per interviewee and code."))
@click.option("--repeat-quotes", is_flag=True, help=N_("Allow a quote under more than one code (by default each quote is used once)."))
@click.option("--pseudonyms", type=click.Choice(["tag", "role"]), default="tag", show_default=True,
              help=N_("How names in quotes print: 'tag' ([Person 3]) or 'role' ([leder], [navn])."))
@click.option("--participant-ids", is_flag=True, help=N_("Add participant numbers (IP1, IP2, …) to attributions."))
@click.option("--no-clean", is_flag=True, help=N_("Keep fillers (øh, æh) and transcription notes ([pause]) in printed quotes."))
# Files.
@click.option("--csv-sep", type=click.Choice(sorted(CSV_SEPARATORS)), default=None,
              help=N_("CSV field separator (default: semicolon with decimal commas in Danish, comma in English)."))
@lang_option
def report_command(project_path, out_dir, formats, no_anonymise, status, coder, codes, roles, documents, per_code,
                   max_per_participant, repeat_quotes, pseudonyms, participant_ids, no_clean, csv_sep, lang):
    from qualcode.report import build_report

    check_output_folder(out_dir)
    with _project(project_path) as project:
        result = build_report(
            project,
            out_dir,
            formats=_formats(formats),
            csv_sep=CSV_SEPARATORS[csv_sep] if csv_sep else None,
            lang=resolve_lang(lang),
            anonymise=not no_anonymise,
            status=None if status == "all" else status,
            coder=coder,
            codes=codes or None,
            roles=roles or None,
            documents=documents or None,
            per_code=per_code,
            max_per_participant=max_per_participant,
            repeats=repeat_quotes,
            pseudonyms=pseudonyms,
            with_participant=participant_ids,
            clean=not no_clean,
        )
    echo_files(result)


def echo_files(result) -> None:
    if result.data.personal_data_note:
        click.echo(result.data.personal_data_note, err=True)
    click.echo(_("Report written to {folder}:").format(folder=result.out_dir))
    for path in result.files:
        click.echo(f"  {path}")


# -- qualcode rate ---------------------------------------------------------------------------
@click.command("rate", cls=TranslatedCommand,
               help=N_("Rate how well a quote works in a report, from 1 (do not use) to 5 (use this one).\n\n"
                       "QUOTE_ID is the quote id of the report's quote sheets; the report prefers higher-rated quotes."))
@click.argument("quote_id", type=int)
@click.argument("rating", type=click.IntRange(1, 5))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--coder", default=None, help=N_("Who rates (default: QUALCODE_CODER or login name)."))
@lang_option
def rate_command(quote_id, rating, project_path, coder, lang):
    who = coder or default_coder()
    with _project(project_path) as project:
        project.ratings.rate(quote_id, rating, who)
    click.echo(_("Quote {id} rated {rating} by {coder}.").format(id=quote_id, rating=rating, coder=who))
