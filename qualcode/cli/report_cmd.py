"""CLI: ``qualcode report`` writes the Word report, spreadsheets and tables."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import UserError, check_output_folder, lang_option
from qualcode.i18n import choose, resolve_lang
from qualcode.models import CODING_STATUSES
from qualcode.project import Project
from qualcode.store.db import may_write
from qualcode.report.build import FORMATS


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UserError(f"--format {value}: use one or more of {','.join(FORMATS)}")
    return formats


@click.command("report")
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp).")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for the report files.")
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True, help="Comma-separated: docx,xlsx,csv,md.")
@click.option("--no-anonymise", "no_anonymise", is_flag=True, help="Keep names and places (outputs are marked as personal data).")
@click.option("--status", type=click.Choice(("all", *CODING_STATUSES)), default="accepted", show_default=True,
              help="Coding status to count and quote ('all' for every status).")
@click.option("--coder", default=None, help="Only this coder's codings.")
@click.option("--per-code", type=click.IntRange(min=1), default=3, show_default=True, help="Quotes per code in the report.")
@click.option("--max-per-participant", type=click.IntRange(min=1), default=1, show_default=True,
              help="At most this many quotes per interviewee and code.")
@click.option("--pseudonyms", is_flag=True, help="Add participant pseudonyms (IP1, IP2, …) to attributions.")
@click.option("--no-clean", is_flag=True, help="Keep fillers (øh, æh) in printed quotes.")
@lang_option
def report_command(project_path, out_dir, formats, no_anonymise, status, coder, per_code, max_per_participant, pseudonyms, no_clean, lang):
    """Write anonymised quote tables, theme counts, charts and a Word report."""
    from qualcode.report import build_report

    if not project_path.exists():
        raise UserError(f"{project_path}: no such project file")
    check_output_folder(out_dir)
    # A project that may not be written is reported from read-only (nothing is cached in it).
    with Project.open(project_path, create=False, read_only=not may_write(project_path)) as project:
        result = build_report(
            project,
            out_dir,
            formats=_formats(formats),
            lang=resolve_lang(lang),
            anonymise=not no_anonymise,
            status=None if status == "all" else status,
            coder=coder,
            per_code=per_code,
            max_per_participant=max_per_participant,
            with_participant=pseudonyms,
            clean=not no_clean,
        )
    echo_files(result, lang)


def echo_files(result, lang: str | None) -> None:
    if result.data.personal_data_note:
        click.echo(result.data.personal_data_note, err=True)
    click.echo(choose(f"Rapport skrevet til {result.out_dir}:", f"Report written to {result.out_dir}:", lang))
    for path in result.files:
        click.echo(f"  {path}")
