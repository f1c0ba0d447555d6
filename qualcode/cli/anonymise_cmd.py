"""CLI: ``qualcode anonymise`` (anonymised copies of transcripts) and ``--evaluate``."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import UserError, check_output_file, check_output_folder, current_lang, lang_option


@click.command("anonymise")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Folder for the anonymised copies.")
@click.option("--register", "register_path", type=click.Path(path_type=Path), help="Project register (.yaml or .csv) of names and aliases.")
@click.option("--operator", type=click.Choice(["tag", "surrogate", "role", "redact"]), default="tag", show_default=True,
              help="How identifiers are replaced.")
@click.option("--strict", is_flag=True, help="Also mask review candidates (capitalised unknown words).")
@click.option("--metadata", "metadata_csv", type=click.Path(path_type=Path), help="Participant metadata CSV.")
@click.option("--key", "key_path", type=click.Path(path_type=Path),
              help="Pseudonym key (JSON). Default: <out>.pseudonyms.json beside the output folder.")
@click.option("--evaluate", "gold_path", type=click.Path(path_type=Path),
              help="Measure detection against a gold CSV (or a hard-cases TSV) instead of writing copies.")
@click.option("--text-only", is_flag=True,
              help="With --evaluate: each file alone, without metadata, speaker labels or other files.")
@lang_option
def anonymise_command(files, out_dir, register_path, operator, strict, metadata_csv, key_path, gold_path, text_only, lang):
    """Write anonymised copies of transcripts, with a report of every replacement.

    Names, places, organisations, phone numbers, e-mail and web addresses,
    street addresses and CPR numbers are replaced; the same person gets the
    same pseudonym in every file. The report and the key hold the original
    names and are written beside the output folder, never inside it.
    """
    from qualcode.anonymise import Anonymiser, load_register
    from qualcode.metadata import read_metadata

    lang = lang or current_lang()
    register = load_register(register_path) if register_path else None
    participants = read_metadata(metadata_csv) if metadata_csv else {}
    if gold_path is not None:
        _evaluate(gold_path, list(files), register, participants, operator, strict, lang, text_only)
        return
    if not files:
        raise UserError(_t("angiv mindst én transskription", "give at least one transcript", lang))
    if out_dir is None:
        raise UserError(_t("angiv en outputmappe med --out", "give an output folder with --out", lang))
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
    click.echo(_t(f"Anonymiseret {len(written)} filer til {out_dir}: {replaced} erstatninger, {review} til tjek.",
                  f"Anonymised {len(written)} files into {out_dir}: {replaced} replacements, {review} to review.", lang))
    click.echo(_t(f"Nøgle: {key_path}", f"Key: {key_path}", lang))
    click.echo(_t(f"Rapport: {csv_path}, {md_path}", f"Report: {csv_path}, {md_path}", lang))


def _t(da: str, en: str, lang: str) -> str:
    return da if lang == "da" else en


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
                       + _t(f"forventet {list(case.expected)}, fundet {list(found)}", f"expected {list(case.expected)}, found {list(found)}", lang))
        click.echo(_t(f"{len(cases) - len(failed)} af {len(cases)} svære tilfælde korrekte.",
                      f"{len(cases) - len(failed)} of {len(cases)} hard cases correct.", lang))
        return
    gold = read_gold(gold_path)
    names = list(dict.fromkeys(g.file for g in gold))
    by_name = {Path(f).name: Path(f) for f in files}
    paths = []
    for name in names:
        path = by_name.get(name) or _find(gold_path, name)
        if path is None:
            raise UserError(_t(f"{gold_path}: finder ikke {name}; angiv filen som argument",
                               f"{gold_path}: cannot find {name}; give the file as an argument", lang))
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
        click.echo(_t(f"Overset: {g.file} @{g.start}: {g.text} ({g.type})", f"Missed: {g.file} @{g.start}: {g.text} ({g.type})", lang))
    for file, s in result.false_positives:
        click.echo(_t(f"Fejlagtigt: {file} @{s.start}: {s.text} ({s.type}, {s.source})",
                      f"False positive: {file} @{s.start}: {s.text} ({s.type}, {s.source})", lang))


def _predict(anonymiser, text: str, strict: bool) -> list:
    # Exactly what anonymise() would replace (in strict mode: the review candidates too).
    return anonymiser.masked_spans(text)[0]


def _find(gold_path: Path, name: str) -> Path | None:
    for folder in (gold_path.parent, gold_path.parent.parent):
        if (folder / name).exists():
            return folder / name
    return None
