"""CLI: ``qualcode anonymise`` (anonymised copies of transcripts) and ``--evaluate``."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import UserError, check_output_file, check_output_folder, current_lang, lang_option
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, gettext as _, ngettext


@click.command("anonymise", cls=TranslatedCommand,
               help=N_("Write anonymised copies of transcripts, with a report of every replacement.\n\n"
                       "Names, places, organisations, phone numbers, e-mail and web addresses, street addresses"
                       " and CPR numbers are replaced; the same person gets the same pseudonym in every file."
                       " The report and the key hold the original names and are written beside the output folder,"
                       " never inside it."))
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help=N_("Folder for the anonymised copies."))
@click.option("--register", "register_path", type=click.Path(path_type=Path),
              help=N_("Project register (.yaml or .csv) of names and aliases."))
@click.option("--operator", type=click.Choice(["tag", "surrogate", "role", "redact"]), default="tag", show_default=True,
              help=N_("How identifiers are replaced: a tag ([Person 1]), an invented name, the speaker's role, or blacked out."))
@click.option("--strict", is_flag=True, help=N_("Also mask review candidates (capitalised unknown words)."))
@click.option("--metadata", "metadata_csv", type=click.Path(path_type=Path), help=N_("Participant metadata CSV."))
@click.option("--key", "key_path", type=click.Path(path_type=Path),
              help=N_("Pseudonym key (JSON). Default: <out>.pseudonyms.json beside the output folder."))
@click.option("--evaluate", "gold_path", type=click.Path(path_type=Path),
              help=N_("Measure detection against a gold CSV (or a hard-cases TSV) instead of writing copies."))
@click.option("--text-only", is_flag=True,
              help=N_("With --evaluate: each file alone, without metadata, speaker labels or other files."))
@lang_option
def anonymise_command(files, out_dir, register_path, operator, strict, metadata_csv, key_path, gold_path, text_only, lang):
    from qualcode.anonymise import Anonymiser, load_register
    from qualcode.metadata import read_metadata

    lang = lang or current_lang()
    register = load_register(register_path) if register_path else None
    participants = read_metadata(metadata_csv) if metadata_csv else {}
    if gold_path is not None:
        _evaluate(gold_path, list(files), register, participants, operator, strict, lang, text_only)
        return
    if not files:
        raise UserError(_("give at least one transcript"))
    if out_dir is None:
        raise UserError(_("give an output folder with --out"))
    from qualcode.anonymise.files import anonymise_files, participant_rows, read_files, write_report

    out_dir = Path(out_dir)
    key_path = Path(key_path) if key_path else out_dir.parent / f"{out_dir.name}.pseudonyms.json"
    check_output_folder(out_dir)
    for beside in (key_path, key_path.with_name(f"{out_dir.name}.rapport.csv")):
        check_output_file(beside)
    transcripts = read_files(files, participants)
    anonymiser = Anonymiser(operator, register, participant_rows(transcripts, participants), strict, key_path, lang=lang)
    written = anonymise_files(transcripts, out_dir, anonymiser)
    anonymiser.save_key()
    csv_path = key_path.with_name(f"{out_dir.name}.rapport.csv")
    md_path = key_path.with_name(f"{out_dir.name}.rapport.md")
    write_report(written, csv_path, md_path, lang)
    replaced = sum(len(f.result.replacements) for f in written)
    review = sum(len(f.result.review) for f in written)
    click.echo(summary_line(len(written), out_dir, replaced, review))
    click.echo(_("Key: {path}").format(path=key_path))
    click.echo(_("Report: {csv}, {md}").format(csv=csv_path, md=md_path))


def summary_line(files: int, out_dir: Path, replaced: int, review: int) -> str:
    """What ``qualcode anonymise`` did: files written, replacements made, candidates left to check."""
    return _("Anonymised {files} into {folder}: {replacements}, {review} to review.").format(
        files=ngettext("{n} file", "{n} files", files).format(n=format_number(files)),
        folder=out_dir,
        replacements=ngettext("{n} replacement", "{n} replacements", replaced).format(n=format_number(replaced)),
        review=format_number(review))


def _pairs(pairs) -> str:
    """Expected or found spans as a hard-cases file writes them: ``Bo=PERSON | Hedelund=PLACE``."""
    return " | ".join(f"{surface}={type_}" for surface, type_ in pairs) or _("(nothing)")


def _evaluate(gold_path: Path, files: list[Path], register, participants, operator, strict, lang, text_only=False) -> None:
    from qualcode.anonymise import Anonymiser
    from qualcode.anonymise.evaluate import read_gold, read_hard_cases, run_hard_cases, score
    from qualcode.anonymise.files import participant_rows, read_files

    if gold_path.suffix.lower() == ".tsv":
        cases = read_hard_cases(gold_path)
        results = run_hard_cases(cases, lambda: Anonymiser(operator, register, strict=strict, lang=lang))
        failed = [(c, found) for c, found in results if sorted(found) != sorted(c.expected)]
        for case, found in failed:
            click.echo(f"{gold_path}:{case.line}: {case.text!r}: "
                       + _("expected {expected}, found {found}").format(expected=_pairs(case.expected), found=_pairs(found)))
        click.echo(ngettext("{correct} of {n} hard case correct.", "{correct} of {n} hard cases correct.", len(cases)).format(
            correct=format_number(len(cases) - len(failed)), n=format_number(len(cases))))
        return
    gold = read_gold(gold_path)
    names = list(dict.fromkeys(g.file for g in gold))
    by_name = {Path(f).name: Path(f) for f in files}
    paths = []
    for name in names:
        path = by_name.get(name) or _find(gold_path, name)
        if path is None:
            raise UserError(_("{path}: cannot find {name}; give the file as an argument").format(path=gold_path, name=name))
        paths.append(path)
    transcripts = read_files(paths, {} if text_only else participants)
    predicted = {}
    if text_only:
        # Each file alone, knowing nothing: no metadata, no speaker labels, no other documents.
        for t in transcripts:
            anonymiser = Anonymiser(operator, register, [], strict, lang=lang)
            predicted[t.name] = _predict(anonymiser, t.text, strict)
    else:
        anonymiser = Anonymiser(operator, register, participant_rows(transcripts, participants), strict, lang=lang)
        anonymiser.learn(t.text for t in transcripts)
        for t in transcripts:
            predicted[t.name] = _predict(anonymiser, t.text, strict)
    result = score(gold, predicted, {t.name: t.text for t in transcripts})
    click.echo(result.table())
    for g in result.missed:
        click.echo(_("Missed: {file} @{start}: {text} ({type})").format(file=g.file, start=g.start, text=g.text, type=g.type))
    for file, s in result.false_positives:
        click.echo(_("False positive: {file} @{start}: {text} ({type}, {source})").format(
            file=file, start=s.start, text=s.text, type=s.type, source=s.source))


def _predict(anonymiser, text: str, strict: bool) -> list:
    # Exactly what anonymise() would replace (in strict mode: the review candidates too).
    return anonymiser.masked_spans(text)[0]


def _find(gold_path: Path, name: str) -> Path | None:
    for folder in (gold_path.parent, gold_path.parent.parent):
        if (folder / name).exists():
            return folder / name
    return None
