"""CLI: ``qualcode merge``, ``qualcode agreement`` and ``qualcode consensus`` (team coding)."""

from __future__ import annotations

import math
from pathlib import Path

import click
import pandas as pd

from qualcode.cli.common import UserError, check_output_file, default_coder, lang_option, no_anonymise_option, warn_personal_data
from qualcode.i18n import choose, gettext
from qualcode.project import Project
from qualcode.store.db import may_write

TABLE_SUFFIXES = (".csv", ".xlsx")


@click.command("merge")
@click.argument("projects", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(path_type=Path), help="New project file to create (.qcp).")
@click.option("--coder", "actor", default=None, help="Who merges (default: QUALCODE_CODER, configuration or login name).")
@lang_option
def merge_command(projects, into, actor, lang):
    """Merge projects coded by different coders: documents matched by content, every coder's codings kept."""
    if into.exists():
        raise UserError(choose(f"{into} findes allerede; vælg et nyt filnavn", f"{into} already exists; choose a new file name", lang))
    check_output_file(into)
    for path in projects:
        if not path.is_file():
            raise UserError(choose(f"{path}: projektfilen findes ikke", f"{path}: no such project file", lang))
    from qualcode.team.merge import merge_projects

    reports = merge_projects(projects, into, actor or default_coder())
    for r in reports:
        click.echo(choose(
            f"{r.origin}: {len(r.documents_added)} nye dokumenter, {len(r.documents_matched)} genkendt,"
            f" {r.codings_copied} kodninger ({', '.join(r.coders) or 'ingen'}), {len(r.codes_added)} nye koder",
            f"{r.origin}: {len(r.documents_added)} new documents, {len(r.documents_matched)} matched,"
            f" {r.codings_copied} codings ({', '.join(r.coders) or 'none'}), {len(r.codes_added)} new codes",
            lang,
        ))
        for old, new in r.documents_renamed:
            click.echo(choose(f"  '{old}' findes med anden tekst; gemt som '{new}'",
                              f"  '{old}' exists with other text; stored as '{new}'", lang))
        for c in r.conflicts:
            click.echo(choose(
                f"  Konflikt: kode '{c.code_id}' {c.field}: beholdt {c.kept!r}, {r.origin} har {c.other!r}",
                f"  Conflict: code '{c.code_id}' {c.field}: kept {c.kept!r}, {r.origin} has {c.other!r}",
                lang,
            ))
    click.echo(choose(f"Skrevet: {into}", f"Written: {into}", lang))


@click.command("agreement")
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp).")
@click.option("--coders", default=None, help="Comma-separated coders to compare (default: everyone who coded).")
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence", show_default=True, help="Unit of agreement.")
@click.option("--docs", "docs", multiple=True, help="Only these documents (names or ids; repeat or comma-separate).")
@click.option("--include-interviewer", is_flag=True, help="Also count the interviewer's segments (left out by default).")
@click.option("--coded-only", is_flag=True, help="Only units at least one coder gave a code (units nobody coded left out).")
@click.option("--confusion", is_flag=True, help="Also show which codes are swapped for which.")
@click.option("--disagreements", type=click.Path(path_type=Path), default=None,
              help="Write the disagreement table for a consensus meeting (.csv or .xlsx; anonymised unless --no-anonymise).")
@no_anonymise_option
@lang_option
def agreement_command(project_path, coders, unit, docs, include_interviewer, coded_only, confusion, disagreements,
                      no_anonymise, lang):
    """Inter-coder agreement per code and overall: percent, Cohen's kappa, Krippendorff's alpha."""
    from qualcode.agreement import agreement_table, coded_units, confusion_table, coverage_warnings, disagreement_table

    if disagreements is not None and disagreements.suffix.lower() not in TABLE_SUFFIXES:
        raise UserError(choose(f"{disagreements}: brug .csv eller .xlsx", f"{disagreements}: use .csv or .xlsx", lang))
    if disagreements is not None:
        check_output_file(disagreements)
    coder_list = [c.strip() for c in coders.split(",") if c.strip()] if coders else None
    doc_list = [d.strip() for item in docs for d in item.split(",") if d.strip()] or None
    # Agreement only reads; an anonymised table may fill the anonymisation cache, where the project may be written.
    with _open(project_path, lang, read_only=disagreements is None or no_anonymise or not may_write(project_path)) as project:
        cu = coded_units(project, coders=coder_list, unit=unit, documents=doc_list,
                         include_interviewer=include_interviewer, coded_only=coded_only)
        table = agreement_table(cu, lang)
        for line in coverage_warnings(cu):
            click.echo(gettext("Warning: {message}").format(message=line), err=True)
        click.echo(choose(
            f"Kodere: {', '.join(cu.coders)}; enhed: {'sætning' if unit == 'sentence' else 'tur'};"
            f" dokumenter: {len(cu.document_names)}",
            f"Coders: {', '.join(cu.coders)}; unit: {unit}; documents: {len(cu.document_names)}",
            lang,
        ))
        if coded_only:
            click.echo(gettext("Only units at least one coder gave a code: {n}").format(n=len(cu.segments)))
        click.echo(_format_agreement(table, lang))
        if confusion:
            conf = confusion_table(cu)
            click.echo("")
            click.echo(choose("Ombyttede koder:", "Swapped codes:", lang))
            if conf.empty:
                click.echo(choose("  (ingen)", "  (none)", lang))
            for r in conf.itertuples():
                click.echo(f"  {r.code_1} <-> {r.code_2}: {r.swaps}")
        if disagreements is not None:
            from qualcode.report.privacy import redactor_for

            dis = disagreement_table(cu, redactor=redactor_for(project, anonymise=not no_anonymise))
            _write_table(dis, disagreements)
            if no_anonymise:
                warn_personal_data()
            click.echo(choose(f"Uenigheder: {len(dis)} enheder skrevet til {disagreements}",
                              f"Disagreements: {len(dis)} units written to {disagreements}", lang))


@click.command("consensus")
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp).")
@click.option("--table", "table_path", required=True, type=click.Path(path_type=Path),
              help="Disagreement table with the 'agreed' column filled in (.csv or .xlsx).")
@click.option("--coder", "actor", default=None, help="Who records the consensus (default: QUALCODE_CODER, configuration or login name).")
@lang_option
def consensus_command(project_path, table_path, actor, lang):
    """Record the codes a consensus meeting agreed on as consensus codings; originals are kept."""
    from qualcode.agreement.consensus import read_consensus_table, record_consensus_table

    if not table_path.is_file():
        raise UserError(choose(f"{table_path}: filen findes ikke", f"{table_path}: no such file", lang))
    if table_path.suffix.lower() not in TABLE_SUFFIXES:
        raise UserError(choose(f"{table_path}: brug .csv eller .xlsx", f"{table_path}: use .csv or .xlsx", lang))
    table, lines = read_consensus_table(table_path)
    with _open(project_path, lang) as project:
        result = record_consensus_table(project, table, actor or default_coder(), source=table_path, lines=lines)
    click.echo(choose(
        f"Konsensus: {len(result.added)} kodninger gemt, {result.agreed_no_code} uden kode,"
        f" {result.already_recorded} fandtes allerede, {result.left_open} åbne",
        f"Consensus: {len(result.added)} codings stored, {result.agreed_no_code} without code,"
        f" {result.already_recorded} already recorded, {result.left_open} open",
        lang,
    ))


def _open(path: Path, lang, *, read_only: bool = False) -> Project:
    if not path.is_file():
        raise UserError(choose(f"{path}: projektfilen findes ikke", f"{path}: no such project file", lang))
    return Project.open(path, create=False, read_only=read_only)


def _format_agreement(table: pd.DataFrame, lang) -> str:
    headers = [choose("Kode", "Code", lang), choose("Enheder", "Units", lang), choose("Enighed", "Agreement", lang),
               "Kappa", "Alpha"]
    lines = [f"{headers[0]:<40} {headers[1]:>8} {headers[2]:>9} {headers[3]:>7} {headers[4]:>7}"]
    for r in table.itertuples():
        label = r.code_id if r.level == "code" else r.name
        lines.append(f"{str(label)[:40]:<40} {r.units:>8} {_pct(r.percent_agreement):>9}"
                     f" {_num(r.cohen_kappa):>7} {_num(r.krippendorff_alpha):>7}")
    return "\n".join(lines)


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.1f} %"


def _num(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:.3f}"


def _write_table(table: pd.DataFrame, path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        table.to_excel(path, index=False)
    else:
        table.to_csv(path, index=False, encoding="utf-8")
