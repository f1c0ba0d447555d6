"""CLI: ``qualcode codebook`` — check, diff, export, import, usage, apply and refinement."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import (
    PROJECT, UserError, check_output_file, check_output_folder, default_coder, lang_option, new_or_existing_project, open_project,
    project_missing,
)
from qualcode.cli.translated import TranslatedGroup
from qualcode.codebook.loader import check_codebook, load_codebook
from qualcode.codebook.model import Code, Codebook
from qualcode.i18n import N_, format_number, format_percent, gettext as _, ngettext, pgettext
from qualcode.project import Project

REFI_SUFFIXES = (".qdc", ".qdpx", ".qde")
YAML_SUFFIXES = (".yaml", ".yml")


def read_codebook(path: Path) -> Codebook:
    """A codebook from YAML or from a REFI-QDA file, by suffix."""
    if path.suffix.lower() in REFI_SUFFIXES:
        from qualcode.codebook.refi import import_refi_codebook

        return import_refi_codebook(path)
    return load_codebook(path)


def project_option(f):
    return click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))(f)


def actor_option(f):
    return click.option("--actor", default=None, help=N_("Who makes the change (default: QUALCODE_CODER or login name)."))(f)


@click.group("codebook", cls=TranslatedGroup, help=N_("Check, compare, exchange and refine codebooks."))
def codebook_group() -> None:
    pass


@codebook_group.command("check", help=N_("Check YAML codebooks; list every problem as FILE:LINE: code 'ID': problem."))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option
def check_command(files, lang):
    failed = False
    for path in files:
        codebook, issues = check_codebook(path)
        for issue in issues:
            click.echo(str(issue))
        if issues:
            failed = True
        else:
            n = len(codebook.codes)
            click.echo(ngettext("OK: {path} ({n} code)", "OK: {path} ({n} codes)", n).format(path=path, n=n))
    if failed:
        raise SystemExit(2)


@codebook_group.command("diff", help=N_('Show codes added, removed, renamed, moved and changed between two codebook versions.'))
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--markdown", is_flag=True, help=N_("Write Markdown instead of terminal text."))
@click.option("--output", "-o", type=click.Path(path_type=Path), help=N_("Write to a file instead of the terminal."))
@lang_option
def diff_command(old, new, markdown, output, lang):
    from qualcode.codebook.diff import diff_codebooks
    from qualcode.codebook.render import diff_markdown, diff_text

    diff = diff_codebooks(read_codebook(old), read_codebook(new))
    text = diff_markdown(diff, lang) if markdown else diff_text(diff, lang)
    if output:
        check_output_file(output)
        output.write_text(text, encoding="utf-8")
        click.echo(_("Written: {path}").format(path=output))
    else:
        click.echo(text, nl=False)


@codebook_group.command("export", help=N_("Export a codebook to .docx (appendix table), .xlsx, .qdc (REFI-QDA) or .yaml.\n\n"
                                               "SOURCE is a YAML or REFI-QDA codebook; with --project, give only OUTPUT."))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="[SOURCE] OUTPUT")
@click.option("--project", "-p", "project_path", type=PROJECT, help=N_("Export the project's current codebook instead of a file."))
@lang_option
def export_command(paths, project_path, lang):
    if len(paths) != (1 if project_path is not None else 2):
        raise UserError(_("give a codebook file and an output file, or --project and an output file"))
    output = paths[-1]
    if project_path is not None:
        with open_project(project_path, read_only=True) as project:
            codebook = project.codebook.current()
        if not codebook.codes:
            raise UserError(_("{path}: the project has no codebook").format(path=project_path))
    else:
        codebook = read_codebook(paths[0])
    write_codebook(codebook, output, lang)
    n = len(codebook.codes)
    click.echo(ngettext("Written: {path} ({n} code)", "Written: {path} ({n} codes)", n).format(path=output, n=n))


def write_codebook(codebook: Codebook, output: Path, lang: str | None) -> None:
    check_output_file(output)
    suffix = output.suffix.lower()
    if suffix == ".docx":
        from qualcode.codebook.export import export_docx

        export_docx(codebook, output, lang=lang)
    elif suffix == ".xlsx":
        from qualcode.codebook.export import export_xlsx

        export_xlsx(codebook, output, lang=lang)
    elif suffix == ".qdc":
        from qualcode.codebook.refi import export_qdc

        export_qdc(codebook, output)
    elif suffix in YAML_SUFFIXES:
        from qualcode.codebook.serialize import dump_codebook

        dump_codebook(codebook, output)
    else:
        raise UserError(_("{path}: unknown file type '{suffix}'; use .docx, .xlsx, .qdc or .yaml").format(
            path=output, suffix=output.suffix))


@codebook_group.command("import", help=N_('Import the codebook of a REFI-QDA file (.qdc, .qdpx) into a YAML codebook.'))
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help=N_("YAML codebook to write."))
@click.option("--name", default=None, help=N_("Codebook name (default: the project's or file's name)."))
@lang_option
def import_command(source, output, name, lang):
    from qualcode.codebook.refi import import_refi_codebook
    from qualcode.codebook.serialize import dump_codebook

    warnings: list[str] = []
    codebook = import_refi_codebook(source, name=name, warnings=warnings)
    check_output_file(output)
    dump_codebook(codebook, output)
    load_codebook(output)  # what we write must pass our own check
    roots = len(codebook.roots())
    n = len(codebook.codes)
    click.echo(ngettext("Imported: {n} code ({roots} at the top level) from {source} to {output}",
                        "Imported: {n} codes ({roots} at the top level) from {source} to {output}", n).format(
        n=n, roots=roots, source=source, output=output))
    for w in warnings:
        click.echo(_("Warning: {message}").format(message=w), err=True)


@codebook_group.command("apply", help=N_('Apply a codebook version to a project: codes matched by id, missing codes retired (codings kept).'))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp; created if missing) or postgresql:// URL."))
@click.option("--dry-run", is_flag=True, help=N_("Only show what would change."))
@actor_option
@lang_option
def apply_command(file, project_path, dry_run, actor, lang):
    from qualcode.codebook.render import plan_text

    codebook = read_codebook(file)
    if dry_run and project_missing(project_path):
        # A dry run creates nothing: show the plan against an empty project.
        click.echo(_("{path} does not exist yet; applying will create it.").format(path=project_path))
        project = Project.in_memory()
    elif dry_run:
        project = open_project(project_path, read_only=True)
    else:
        project = None
    if project is None:
        with new_or_existing_project(project_path) as project:
            plan = project.codebook.apply(codebook, actor or default_coder(), source=str(file))
    else:
        with project:
            plan = project.codebook.apply(codebook, actor or default_coder(), source=str(file), dry_run=True)
    click.echo(plan_text(plan, lang), nl=False)


@codebook_group.command("usage", help=N_('Codings, documents and participants per code; unused, broad and co-occurring codes.'))
@project_option
@click.option("--status", "statuses", multiple=True, default=("accepted",), show_default=True, help=N_("Coding statuses to count (repeatable)."))
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence", show_default=True)
@click.option("--broad", type=float, default=0.2, show_default=True, help=N_("Share of segments from which a code counts as broad."))
@click.option("--pairs", type=int, default=10, show_default=True, help=N_("How many co-occurring pairs to show."))
@click.option("--csv", "csv_dir", type=click.Path(path_type=Path), help=N_("Also write usage.csv and co_occurrence.csv to this folder."))
@lang_option
def usage_command(project_path, statuses, unit, broad, pairs, csv_dir, lang):
    from qualcode.codebook.usage import co_occurrence, code_usage

    with open_project(project_path, read_only=True) as project:
        usage = code_usage(project, statuses=statuses, unit=unit)
        pair_frame = co_occurrence(project, statuses=statuses, unit=unit)
    if usage.empty:
        raise UserError(_("{path}: the project has no codebook").format(path=project_path))
    # Babel does not look inside f-strings: the headers are translated first.
    headers = (_("Code"), _("Codings"), pgettext("usage column", "Docs"), pgettext("usage column", "Part."), _("Share"))
    click.echo("{:<40} {:>9} {:>5} {:>5} {:>7}".format(*headers))
    for row in usage.itertuples():
        share = format_percent(row.share_of_segments, 1)
        click.echo(f"{row.code_id:<40} {row.codings:>9} {row.documents:>5} {row.participants:>5} {share:>7}")
    unused = usage[usage["codings"] == 0]["code_id"].tolist()
    click.echo("\n" + _("Unused codes ({n}): {codes}").format(n=len(unused), codes=", ".join(unused) or "–"))
    wide = usage[(usage["segments"] > 0) & (usage["share_of_segments"] >= broad)]
    codes = ", ".join(f"{r.code_id} {format_percent(r.share_of_segments)}" for r in wide.itertuples()) or "–"
    click.echo(_("Broad codes (at least {share} of segments) ({n}): {codes}").format(
        share=format_percent(broad), n=len(wide), codes=codes))
    click.echo("\n" + _("Codes on the same segment:"))
    if pair_frame.empty:
        click.echo("  –")
    for row in pair_frame.head(pairs).itertuples():
        click.echo(f"  {row.code_a} + {row.code_b}: {row.both} (Jaccard {format_number(row.jaccard, 2)})")
    if csv_dir:
        check_output_folder(csv_dir)
        csv_dir.mkdir(parents=True, exist_ok=True)
        from qualcode.report.export_text import write_csv

        # As Danish Excel opens it: semicolons, decimal commas, a byte order mark (the report's CSV rule).
        write_csv(csv_dir / "usage.csv", usage, lang=lang, translate_headers=False)
        write_csv(csv_dir / "co_occurrence.csv", pair_frame, lang=lang, translate_headers=False)
        click.echo(_("Written: {path}").format(path=f"{csv_dir / 'usage.csv'}, {csv_dir / 'co_occurrence.csv'}"))


# -- refinement ------------------------------------------------------------------
@codebook_group.command("rename", help=N_('Give a code a new name (its id and codings stay).'))
@click.argument("code_id")
@click.argument("name")
@project_option
@actor_option
@lang_option
def rename_command(code_id, name, project_path, actor, lang):
    with open_project(project_path) as project:
        project.codebook.rename(code_id, name, actor or default_coder())
    click.echo(_("Renamed: {code} -> '{name}'").format(code=code_id, name=name))


@codebook_group.command("move", help=N_('Move a code under PARENT_ID (or to the top level with --top).'))
@click.argument("code_id")
@click.argument("parent_id", required=False)
@click.option("--top", is_flag=True, help=N_("Make the code a top-level theme."))
@project_option
@actor_option
@lang_option
def move_command(code_id, parent_id, top, project_path, actor, lang):
    if top == (parent_id is not None):
        raise UserError(_("give either a new parent code or --top"))
    with open_project(project_path) as project:
        project.codebook.move(code_id, None if top else parent_id, actor or default_coder())
    where = _("the top level") if top else parent_id
    click.echo(_("Moved: {code} to {where}").format(code=code_id, where=where))


@codebook_group.command("merge", help=N_('Merge SOURCE_ID into TARGET_ID: codings recoded, duplicates superseded, SOURCE_ID retired.'))
@click.argument("source_id")
@click.argument("target_id")
@project_option
@actor_option
@lang_option
def merge_command(source_id, target_id, project_path, actor, lang):
    with open_project(project_path) as project:
        result = project.codebook.merge(source_id, target_id, actor or default_coder())
    recoded, superseded = len(result.recoded), len(result.superseded)
    click.echo(_("Merged: {source} into {target} ({recoded}, {superseded})").format(
        source=source_id, target=target_id,
        recoded=ngettext("{n} coding recoded", "{n} codings recoded", recoded).format(n=format_number(recoded)),
        superseded=ngettext("{n} duplicate marked 'superseded'", "{n} duplicates marked 'superseded'", superseded).format(
            n=format_number(superseded))))


@codebook_group.command("split", help=N_("Split a code into new codes; its codings are queued for review ('needs_review')."))
@click.argument("code_id")
@click.option("--into", "parts", multiple=True, required=True, metavar="ID=NAME", help=N_("A new code (repeatable)."))
@click.option("--as-children", is_flag=True, help=N_("Place the new codes under CODE_ID and keep it (default: beside it, and retire it)."))
@project_option
@actor_option
@lang_option
def split_command(code_id, parts, as_children, project_path, actor, lang):
    with open_project(project_path) as project:
        project.codebook.status(code_id)  # an unknown id is reported before anything else
        parent = code_id if as_children else project.codebook.current(include_retired=True).get(code_id).parent_id
        new_codes = []
        for part in parts:
            new_id, sep, name = part.partition("=")
            if not sep or not new_id.strip() or not name.strip():
                raise UserError(_("--into '{part}': write ID=NAME").format(part=part))
            new_codes.append(Code(new_id.strip(), name.strip(), parent))
        result = project.codebook.split(code_id, new_codes, actor or default_coder(), retire_source=not as_children)
    queued = len(result.queued)
    click.echo(_("Split: {code} into {parts} ({queued})").format(
        code=code_id, parts=", ".join(result.new_ids),
        queued=ngettext("{n} coding queued for review", "{n} codings queued for review", queued).format(n=format_number(queued))))


@codebook_group.command("retire", help=N_('Take a code out of the codebook; its codings are kept.'))
@click.argument("code_id")
@project_option
@actor_option
@lang_option
def retire_command(code_id, project_path, actor, lang):
    with open_project(project_path) as project:
        kept = project.codebook.retire(code_id, actor or default_coder())
    click.echo(ngettext("Retired: {code} ({n} coding kept)", "Retired: {code} ({n} codings kept)", kept).format(code=code_id, n=kept))


@codebook_group.command("log", help=N_('Show the codebook changelog (who changed what, when).'))
@click.argument("code_id", required=False)
@project_option
@lang_option
def log_command(code_id, project_path, lang):
    with open_project(project_path, read_only=True) as project:
        changes = project.codebook.changes(code_id)
    if not changes:
        click.echo(_("No changes."))
    for change in changes:
        details = ", ".join(f"{k}={v}" for k, v in change.details.items())
        click.echo(f"{change.changed_at}  {change.changed_by:<12} {change.operation:<10} {change.code_id or '-':<32} {details}")
