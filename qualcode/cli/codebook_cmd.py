"""CLI: ``qualcode codebook`` — check, diff, export, import, usage, apply and refinement."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import UserError, default_coder, lang_option
from qualcode.codebook.loader import check_codebook, load_codebook
from qualcode.codebook.model import Code, Codebook
from qualcode.i18n import choose
from qualcode.i18n import gettext as _
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
    return click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp).")(f)


def actor_option(f):
    return click.option("--actor", default=None, help="Who makes the change (default: QUALCODE_CODER or login name).")(f)


def _open(project_path: Path) -> Project:
    return Project.open(project_path, create=False)


@click.group("codebook")
def codebook_group() -> None:
    """Check, compare, exchange and refine codebooks."""


@codebook_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option
def check_command(files, lang):
    """Check YAML codebooks; list every problem as FILE:LINE: code 'ID': problem."""
    failed = False
    for path in files:
        codebook, issues = check_codebook(path)
        for issue in issues:
            click.echo(str(issue))
        if issues:
            failed = True
        else:
            click.echo(choose(f"OK: {path} ({len(codebook.codes)} koder)", f"OK: {path} ({len(codebook.codes)} codes)", lang))
    if failed:
        raise SystemExit(2)


@codebook_group.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--markdown", is_flag=True, help="Write Markdown instead of terminal text.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of the terminal.")
@lang_option
def diff_command(old, new, markdown, output, lang):
    """Show codes added, removed, renamed, moved and changed between two codebook versions."""
    from qualcode.codebook.diff import diff_codebooks
    from qualcode.codebook.render import diff_markdown, diff_text

    diff = diff_codebooks(read_codebook(old), read_codebook(new))
    text = diff_markdown(diff, lang) if markdown else diff_text(diff, lang)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(choose(f"Skrevet: {output}", f"Written: {output}", lang))
    else:
        click.echo(text, nl=False)


@codebook_group.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="[SOURCE] OUTPUT")
@click.option("--project", "-p", "project_path", type=click.Path(path_type=Path), help="Export the project's current codebook instead of a file.")
@lang_option
def export_command(paths, project_path, lang):
    """Export a codebook to .docx (appendix table), .xlsx, .qdc (REFI-QDA) or .yaml.

    SOURCE is a YAML or REFI-QDA codebook; with --project, give only OUTPUT.
    """
    if len(paths) != (1 if project_path is not None else 2):
        raise UserError(choose(
            "angiv en kodebogsfil og en outputfil, eller --project og en outputfil",
            "give a codebook file and an output file, or --project and an output file",
            lang,
        ))
    output = paths[-1]
    if project_path is not None:
        with _open(project_path) as project:
            codebook = project.codebook.current()
        if not codebook.codes:
            raise UserError(choose(f"{project_path}: projektet har ingen kodebog", f"{project_path}: the project has no codebook", lang))
    else:
        codebook = read_codebook(paths[0])
    write_codebook(codebook, output, lang)
    click.echo(choose(f"Skrevet: {output} ({len(codebook.codes)} koder)", f"Written: {output} ({len(codebook.codes)} codes)", lang))


def write_codebook(codebook: Codebook, output: Path, lang: str | None) -> None:
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
        raise UserError(choose(
            f"{output}: ukendt filtype '{output.suffix}'; brug .docx, .xlsx, .qdc eller .yaml",
            f"{output}: unknown file type '{output.suffix}'; use .docx, .xlsx, .qdc or .yaml",
            lang,
        ))


@codebook_group.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help="YAML codebook to write.")
@click.option("--name", default=None, help="Codebook name (default: the project's or file's name).")
@lang_option
def import_command(source, output, name, lang):
    """Import the codebook of a REFI-QDA file (.qdc, .qdpx) into a YAML codebook."""
    from qualcode.codebook.refi import import_refi_codebook
    from qualcode.codebook.serialize import dump_codebook

    warnings: list[str] = []
    codebook = import_refi_codebook(source, name=name, warnings=warnings)
    dump_codebook(codebook, output)
    load_codebook(output)  # what we write must pass our own check
    roots = len(codebook.roots())
    click.echo(choose(
        f"Importeret: {len(codebook.codes)} koder ({roots} på øverste niveau) fra {source} til {output}",
        f"Imported: {len(codebook.codes)} codes ({roots} at the top level) from {source} to {output}",
        lang,
    ))
    for w in warnings:
        click.echo(_("Warning: {message}").format(message=w), err=True)


@codebook_group.command("apply")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", required=True, type=click.Path(path_type=Path), help="Project file (.qcp); created if missing.")
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
@actor_option
@lang_option
def apply_command(file, project_path, dry_run, actor, lang):
    """Apply a codebook version to a project: codes matched by id, missing codes retired (codings kept)."""
    from qualcode.codebook.render import plan_text

    codebook = read_codebook(file)
    if dry_run and not project_path.exists():
        # A dry run creates nothing: show the plan against an empty project.
        click.echo(choose(f"{project_path} findes ikke endnu; den oprettes ved anvendelse.", f"{project_path} does not exist yet; applying will create it.", lang))
        project = Project.in_memory()
    else:
        project = Project.open(project_path, create=True)
    with project:
        plan = project.codebook.apply(codebook, actor or default_coder(), source=str(file), dry_run=dry_run)
    click.echo(plan_text(plan, lang), nl=False)


@codebook_group.command("usage")
@project_option
@click.option("--status", "statuses", multiple=True, default=("accepted",), show_default=True, help="Coding statuses to count (repeatable).")
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence", show_default=True)
@click.option("--broad", type=float, default=0.2, show_default=True, help="Share of segments from which a code counts as broad.")
@click.option("--pairs", type=int, default=10, show_default=True, help="How many co-occurring pairs to show.")
@click.option("--csv", "csv_dir", type=click.Path(path_type=Path), help="Also write usage.csv and co_occurrence.csv to this folder.")
@lang_option
def usage_command(project_path, statuses, unit, broad, pairs, csv_dir, lang):
    """Codings, documents and participants per code; unused, broad and co-occurring codes."""
    from qualcode.codebook.usage import co_occurrence, code_usage

    with _open(project_path) as project:
        usage = code_usage(project, statuses=statuses, unit=unit)
        pair_frame = co_occurrence(project, statuses=statuses, unit=unit)
    if usage.empty:
        raise UserError(choose(f"{project_path}: projektet har ingen kodebog", f"{project_path}: the project has no codebook", lang))
    t = lambda da, en: choose(da, en, lang)  # noqa: E731
    click.echo(f"{t('Kode', 'Code'):<40} {t('Kodninger', 'Codings'):>9} {t('Dok.', 'Docs'):>5} {t('Delt.', 'Part.'):>5} {t('Andel', 'Share'):>6}")
    for row in usage.itertuples():
        click.echo(f"{row.code_id:<40} {row.codings:>9} {row.documents:>5} {row.participants:>5} {row.share_of_segments:>6.1%}")
    unused = usage[usage["codings"] == 0]["code_id"].tolist()
    click.echo(f"\n{t('Ubrugte koder', 'Unused codes')} ({len(unused)}): {', '.join(unused) or '–'}")
    wide = usage[(usage["segments"] > 0) & (usage["share_of_segments"] >= broad)]
    click.echo(t(f"Brede koder (mindst {broad:.0%} af segmenterne)", f"Broad codes (at least {broad:.0%} of segments)") + f" ({len(wide)}): "
               + (", ".join(f"{r.code_id} {r.share_of_segments:.0%}" for r in wide.itertuples()) or "–"))
    click.echo(f"\n{t('Koder på samme segment', 'Codes on the same segment')}:")
    if pair_frame.empty:
        click.echo("  –")
    for row in pair_frame.head(pairs).itertuples():
        click.echo(f"  {row.code_a} + {row.code_b}: {row.both} (Jaccard {row.jaccard:.2f})")
    if csv_dir:
        csv_dir.mkdir(parents=True, exist_ok=True)
        usage.to_csv(csv_dir / "usage.csv", index=False)
        pair_frame.to_csv(csv_dir / "co_occurrence.csv", index=False)
        click.echo(t(f"Skrevet: {csv_dir / 'usage.csv'}, {csv_dir / 'co_occurrence.csv'}", f"Written: {csv_dir / 'usage.csv'}, {csv_dir / 'co_occurrence.csv'}"))


# -- refinement ------------------------------------------------------------------
@codebook_group.command("rename")
@click.argument("code_id")
@click.argument("name")
@project_option
@actor_option
@lang_option
def rename_command(code_id, name, project_path, actor, lang):
    """Give a code a new name (its id and codings stay)."""
    with _open(project_path) as project:
        project.codebook.rename(code_id, name, actor or default_coder())
    click.echo(choose(f"Omdøbt: {code_id} -> '{name}'", f"Renamed: {code_id} -> '{name}'", lang))


@codebook_group.command("move")
@click.argument("code_id")
@click.argument("parent_id", required=False)
@click.option("--top", is_flag=True, help="Make the code a top-level theme.")
@project_option
@actor_option
@lang_option
def move_command(code_id, parent_id, top, project_path, actor, lang):
    """Move a code under PARENT_ID (or to the top level with --top)."""
    if top == (parent_id is not None):
        raise UserError(choose("angiv enten en ny overordnet kode eller --top", "give either a new parent code or --top", lang))
    with _open(project_path) as project:
        project.codebook.move(code_id, None if top else parent_id, actor or default_coder())
    where = choose("øverste niveau", "the top level", lang) if top else parent_id
    click.echo(choose(f"Flyttet: {code_id} til {where}", f"Moved: {code_id} to {where}", lang))


@codebook_group.command("merge")
@click.argument("source_id")
@click.argument("target_id")
@project_option
@actor_option
@lang_option
def merge_command(source_id, target_id, project_path, actor, lang):
    """Merge SOURCE_ID into TARGET_ID: codings recoded, duplicates superseded, SOURCE_ID retired."""
    with _open(project_path) as project:
        result = project.codebook.merge(source_id, target_id, actor or default_coder())
    click.echo(choose(
        f"Sammenlagt: {source_id} ind i {target_id} ({len(result.recoded)} kodninger omkodet, {len(result.superseded)} dubletter markeret 'superseded')",
        f"Merged: {source_id} into {target_id} ({len(result.recoded)} codings recoded, {len(result.superseded)} duplicates marked 'superseded')",
        lang,
    ))


@codebook_group.command("split")
@click.argument("code_id")
@click.option("--into", "parts", multiple=True, required=True, metavar="ID=NAME", help="A new code (repeatable).")
@click.option("--as-children", is_flag=True, help="Place the new codes under CODE_ID and keep it (default: beside it, and retire it).")
@project_option
@actor_option
@lang_option
def split_command(code_id, parts, as_children, project_path, actor, lang):
    """Split a code into new codes; its codings are queued for review ('needs_review')."""
    with _open(project_path) as project:
        project.codebook.status(code_id)  # an unknown id is reported before anything else
        parent = code_id if as_children else project.codebook.current(include_retired=True).get(code_id).parent_id
        new_codes = []
        for part in parts:
            new_id, sep, name = part.partition("=")
            if not sep or not new_id.strip() or not name.strip():
                raise UserError(choose(f"--into '{part}': skriv ID=NAVN", f"--into '{part}': write ID=NAME", lang))
            new_codes.append(Code(new_id.strip(), name.strip(), parent))
        result = project.codebook.split(code_id, new_codes, actor or default_coder(), retire_source=not as_children)
    click.echo(choose(
        f"Opdelt: {code_id} i {', '.join(result.new_ids)} ({len(result.queued)} kodninger sat til gennemsyn)",
        f"Split: {code_id} into {', '.join(result.new_ids)} ({len(result.queued)} codings queued for review)",
        lang,
    ))


@codebook_group.command("retire")
@click.argument("code_id")
@project_option
@actor_option
@lang_option
def retire_command(code_id, project_path, actor, lang):
    """Take a code out of the codebook; its codings are kept."""
    with _open(project_path) as project:
        kept = project.codebook.retire(code_id, actor or default_coder())
    click.echo(choose(f"Udgået: {code_id} ({kept} kodninger bevaret)", f"Retired: {code_id} ({kept} codings kept)", lang))


@codebook_group.command("log")
@click.argument("code_id", required=False)
@project_option
@lang_option
def log_command(code_id, project_path, lang):
    """Show the codebook changelog (who changed what, when)."""
    with _open(project_path) as project:
        changes = project.codebook.changes(code_id)
    if not changes:
        click.echo(choose("Ingen ændringer.", "No changes.", lang))
    for change in changes:
        details = ", ".join(f"{k}={v}" for k, v in change.details.items())
        click.echo(f"{change.changed_at}  {change.changed_by:<12} {change.operation:<10} {change.code_id or '-':<32} {details}")
