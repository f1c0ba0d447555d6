"""CLI: ``qualcode merge``, ``qualcode agreement`` and ``qualcode consensus`` (team coding)."""

from __future__ import annotations

import math
from pathlib import Path

import click
import pandas as pd

from qualcode.cli.common import (
    PROJECT, UserError, check_output_file, conflict_line, default_coder, lang_option, no_anonymise_option, open_existing_project,
    project_missing, warn_personal_data,
)
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, format_percent, gettext as _, join_list, ngettext, pgettext, quote
from qualcode.store.db import may_write

TABLE_SUFFIXES = (".csv", ".xlsx")
UNIT_NAMES = {"sentence": N_("sentence"), "turn": N_("turn")}


@click.command("merge", cls=TranslatedCommand,
               help=N_("Merge projects coded by different coders: documents matched by content, every coder's codings kept."))
@click.argument("projects", nargs=-1, required=True, type=PROJECT)
@click.option("--into", "into", required=True, type=PROJECT,
              help=N_("New project file to create (.qcp), or a server project (postgresql:// URL)."))
@click.option("--coder", "actor", default=None, help=N_("Who merges (default: QUALCODE_CODER, configuration or login name)."))
@lang_option
def merge_command(projects, into, actor, lang):
    if isinstance(into, Path):  # a server project exists already and takes the sources in one transaction
        if into.exists():
            raise UserError(_("{path} already exists; choose a new file name").format(path=into))
        check_output_file(into)
    for path in projects:
        if project_missing(path):
            raise UserError(_("{path}: no such project file").format(path=path))
    from qualcode.team.merge import merge_projects

    reports = merge_projects(projects, into, actor or default_coder())
    for r in reports:
        click.echo(_("{origin}: {added}, {matched}, {codings} ({coders}), {codes}").format(
            origin=r.origin,
            added=ngettext("{n} new document", "{n} new documents", len(r.documents_added)).format(n=format_number(len(r.documents_added))),
            matched=ngettext("{n} matched", "{n} matched", len(r.documents_matched)).format(n=format_number(len(r.documents_matched))),
            codings=ngettext("{n} coding", "{n} codings", r.codings_copied).format(n=format_number(r.codings_copied)),
            coders=join_list(r.coders) or _("none"),
            codes=ngettext("{n} new code", "{n} new codes", len(r.codes_added)).format(n=format_number(len(r.codes_added))),
        ))
        for old, new in r.documents_renamed:
            click.echo("  " + _("{old} exists with other text; stored as {new}").format(old=quote(old), new=quote(new)))
        for c in r.conflicts:
            click.echo("  " + conflict_line(c))
    click.echo(_("Written: {path}").format(path=into))


@click.command("agreement", cls=TranslatedCommand,
               help=N_("Inter-coder agreement per code and overall: percent, Cohen's kappa, Krippendorff's alpha."))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--coders", default=None, help=N_("Comma-separated coders to compare (default: everyone who coded)."))
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence", show_default=True,
              help=N_("Unit of agreement: the sentence or the whole turn."))
@click.option("--docs", "docs", multiple=True, help=N_("Only these documents (names or ids; repeat or comma-separate)."))
@click.option("--include-interviewer", is_flag=True, help=N_("Also count the interviewer's segments (left out by default)."))
@click.option("--coded-only", is_flag=True, help=N_("Only units at least one coder gave a code (units nobody coded left out)."))
@click.option("--confusion", is_flag=True, help=N_("Also show which codes are swapped for which."))
@click.option("--disagreements", type=click.Path(path_type=Path), default=None,
              help=N_("Write the disagreement table for a consensus meeting (.csv or .xlsx; anonymised unless --no-anonymise)."))
@no_anonymise_option
@lang_option
def agreement_command(project_path, coders, unit, docs, include_interviewer, coded_only, confusion, disagreements,
                      no_anonymise, lang):
    from qualcode.agreement import agreement_table, coded_units, confusion_table, coverage_warnings, disagreement_table

    if disagreements is not None and disagreements.suffix.lower() not in TABLE_SUFFIXES:
        raise UserError(_("{path}: use .csv or .xlsx").format(path=disagreements))
    if disagreements is not None:
        check_output_file(disagreements)
    coder_list = [c.strip() for c in coders.split(",") if c.strip()] if coders else None
    doc_list = [d.strip() for item in docs for d in item.split(",") if d.strip()] or None
    # Agreement only reads; an anonymised table may fill the anonymisation cache, where the project may be written.
    with open_existing_project(project_path, read_only=disagreements is None or no_anonymise or not may_write(project_path)) as project:
        cu = coded_units(project, coders=coder_list, unit=unit, documents=doc_list,
                         include_interviewer=include_interviewer, coded_only=coded_only)
        table = agreement_table(cu, lang)
        for line in coverage_warnings(cu):
            click.echo(_("Warning: {message}").format(message=line), err=True)
        click.echo(_("Coders: {coders}; unit: {unit}; documents: {n}").format(
            coders=", ".join(cu.coders), unit=_(UNIT_NAMES[unit]), n=format_number(len(cu.document_names))))
        if coded_only:
            click.echo(_("Only units at least one coder gave a code: {n}").format(n=format_number(len(cu.segments))))
        click.echo(_format_agreement(table))
        if confusion:
            conf = confusion_table(cu)
            click.echo("")
            click.echo(_("Swapped codes:"))
            if conf.empty:
                click.echo("  " + _("(none)"))
            for r in conf.itertuples():
                click.echo(f"  {r.code_1} <-> {r.code_2}: {r.swaps}")
        if disagreements is not None:
            from qualcode.report.privacy import redactor_for

            redactor = redactor_for(project, anonymise=not no_anonymise)
            dis = disagreement_table(cu, redactor=redactor)
            _write_table(dis, disagreements, lang, redactor.personal_data_note(lang))
            if no_anonymise:
                warn_personal_data()
            click.echo(ngettext("Disagreements: {n} unit written to {path}", "Disagreements: {n} units written to {path}",
                                len(dis)).format(n=format_number(len(dis)), path=disagreements))


@click.command("consensus", cls=TranslatedCommand,
               help=N_("Record the codes a consensus meeting agreed on as consensus codings; originals are kept."))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--table", "table_path", required=True, type=click.Path(path_type=Path),
              help=N_("Disagreement table with the 'agreed' column filled in (.csv or .xlsx)."))
@click.option("--coder", "actor", default=None,
              help=N_("Who records the consensus (default: QUALCODE_CODER, configuration or login name)."))
@lang_option
def consensus_command(project_path, table_path, actor, lang):
    from qualcode.agreement.consensus import read_consensus_table, record_consensus_table

    if not table_path.is_file():
        raise UserError(_("{path}: no such file").format(path=table_path))
    if table_path.suffix.lower() not in TABLE_SUFFIXES:
        raise UserError(_("{path}: use .csv or .xlsx").format(path=table_path))
    table, lines = read_consensus_table(table_path)
    with open_existing_project(project_path) as project:
        result = record_consensus_table(project, table, actor or default_coder(), source=table_path, lines=lines)
    click.echo(_("Consensus: {stored}, {no_code}, {already}, {open}").format(
        stored=ngettext("{n} coding stored", "{n} codings stored", len(result.added)).format(n=format_number(len(result.added))),
        no_code=ngettext("{n} without code", "{n} without code", result.agreed_no_code).format(n=format_number(result.agreed_no_code)),
        already=ngettext("{n} already recorded", "{n} already recorded", result.already_recorded).format(
            n=format_number(result.already_recorded)),
        open=ngettext("{n} open", "{n} open", result.left_open).format(n=format_number(result.left_open)),
    ))


def _format_agreement(table: pd.DataFrame) -> str:
    headers = [pgettext("agreement column", "Code"), pgettext("agreement column", "Units"),
               pgettext("agreement column", "Agreement"), "Kappa", "Alpha"]
    lines = [f"{headers[0]:<40} {headers[1]:>8} {headers[2]:>9} {headers[3]:>7} {headers[4]:>7}"]
    for r in table.itertuples():
        label = r.code_id if r.level == "code" else r.name
        lines.append(f"{str(label)[:40]:<40} {r.units:>8} {_pct(r.percent_agreement):>9}"
                     f" {_num(r.cohen_kappa):>7} {_num(r.krippendorff_alpha):>7}")
    return "\n".join(lines)


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else format_percent(x, 1)


def _num(x: float) -> str:
    return "-" if math.isnan(x) else format_number(x, 3)


def _write_table(table: pd.DataFrame, path: Path, lang: str | None, personal_data_note: str | None) -> None:
    if path.suffix.lower() == ".xlsx":
        if personal_data_note:
            table = table.copy()
            table.insert(0, "personal_data", personal_data_note)
        table.to_excel(path, index=False)
    else:
        from qualcode.report.export_text import write_csv

        # As Danish Excel opens it: semicolons, decimal commas, a byte order mark (the report's CSV rule).
        write_csv(path, table, lang=lang, personal_data_note=personal_data_note, translate_headers=False)
