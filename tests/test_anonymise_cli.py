"""`qualcode anonymise`: copies, report and key outside the export, evaluation."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli.main import cli

A = "I: Hvem er du?\nMette: Jeg er leder i Hedelund Kommune. Ring 23 45 67 89.\nI: Og Qwelin?\nMette: Qwelin er min makker.\n"
B = "I: Hvad med dig?\nJonas: Jeg arbejder med Mette i Hedelund.\nI: Tak.\nJonas: Ja.\n"


def write_samples(tmp_path: Path) -> list[Path]:
    (tmp_path / "in").mkdir()
    paths = [tmp_path / "in" / "a.txt", tmp_path / "in" / "b.txt"]
    paths[0].write_text(A, encoding="utf-8")
    paths[1].write_text(B, encoding="utf-8")
    return paths


def run(*args: str):
    return CliRunner().invoke(cli, ["anonymise", *args], catch_exceptions=False)


def test_writes_copies_key_and_report_beside_the_export(tmp_path):
    paths = write_samples(tmp_path)
    out = tmp_path / "anon"
    result = run(*map(str, paths), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]
    assert (out / "a.txt").read_text(encoding="utf-8") == (
        "I: Hvem er du?\n[Person 1]: Jeg er leder i [Kommune A]. Ring [Telefon].\nI: Og Qwelin?\n[Person 1]: Qwelin er min makker.\n"
    )
    assert (out / "b.txt").read_text(encoding="utf-8") == (
        "I: Hvad med dig?\n[Person 2]: Jeg arbejder med [Person 1] i [Kommune A].\nI: Tak.\n[Person 2]: Ja.\n"
    )
    key = json.loads((tmp_path / "anon.pseudonyms.json").read_text(encoding="utf-8"))
    assert sorted(e["key"] for e in key["entities"]) == ["kommune:hedelund", "person:jonas", "person:mette"]
    with (tmp_path / "anon.rapport.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file"], r["action"], r["original"], r["replacement"]) for r in rows] == [
        ("a.txt", "erstattet", "Mette", "[Person 1]"),
        ("a.txt", "erstattet", "Hedelund Kommune", "[Kommune A]"),
        ("a.txt", "erstattet", "23 45 67 89", "[Telefon]"),
        ("a.txt", "erstattet", "Mette", "[Person 1]"),
        ("a.txt", "tjek", "Qwelin", ""),
        ("b.txt", "erstattet", "Jonas", "[Person 2]"),
        ("b.txt", "erstattet", "Mette", "[Person 1]"),
        ("b.txt", "erstattet", "Hedelund", "[Kommune A]"),
        ("b.txt", "erstattet", "Jonas", "[Person 2]"),
    ]
    md = (tmp_path / "anon.rapport.md").read_text(encoding="utf-8")
    assert "- a.txt @79: **Qwelin** (PERSON)" in md
    assert result.output.splitlines()[0] == "Anonymiseret 2 filer til " + str(out) + ": 8 erstatninger, 1 til tjek."


def test_strict_masks_review_candidates(tmp_path):
    paths = write_samples(tmp_path)
    result = run(str(paths[0]), "--out", str(tmp_path / "anon"), "--strict")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "anon" / "a.txt").read_text(encoding="utf-8") == (
        "I: Hvem er du?\n[Person 1]: Jeg er leder i [Kommune A]. Ring [Telefon].\nI: Og [Person 2]?\n[Person 1]: [Person 2] er min makker.\n"
    )


def test_metadata_roles_with_the_role_operator(tmp_path):
    paths = write_samples(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("file,participant_id,speaker,role,title,municipality\na.txt,P1,Mette,leder,teamleder,Hedelund Kommune\n", encoding="utf-8")
    result = run(str(paths[0]), "--out", str(tmp_path / "anon"), "--metadata", str(meta), "--operator", "role")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "anon" / "a.txt").read_text(encoding="utf-8").splitlines()[1] == "[teamlederen]: Jeg er leder i [Kommune A]. Ring [Telefon]."


def test_key_inside_the_export_folder_is_refused(tmp_path):
    paths = write_samples(tmp_path)
    result = CliRunner().invoke(cli, ["anonymise", str(paths[0]), "--out", str(tmp_path / "anon"), "--key", str(tmp_path / "anon" / "k.json")])
    assert result.exit_code == 2
    assert result.output.strip() == f"Fejl: {tmp_path / 'anon' / 'k.json'}: pseudonymnøglen må ikke ligge i eksportmappen {tmp_path / 'anon'}"


def test_missing_out_is_a_user_error(tmp_path):
    paths = write_samples(tmp_path)
    result = CliRunner().invoke(cli, ["anonymise", str(paths[0])])
    assert result.exit_code == 2
    assert result.output.strip() == "Fejl: angiv en outputmappe med --out"


def test_evaluate_prints_recall_and_precision_per_type(tmp_path):
    paths = write_samples(tmp_path)
    text = paths[0].read_text(encoding="utf-8").strip()
    gold = tmp_path / "in" / "gold.csv"
    rows = [("Mette", "PERSON"), ("Hedelund Kommune", "PLACE"), ("23 45 67 89", "PHONE"), ("Qwelin", "PERSON")]
    with gold.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "start", "end", "type", "text"])
        for surface, type_ in rows:
            start = text.index(surface)
            w.writerow(["a.txt", start, start + len(surface), type_, surface])
    result = run("--evaluate", str(gold))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Danish headings and decimal commas (the table was English inside a Danish run before)
    assert lines[:2] == ["| type | guld | fundet | genkaldelse | forudsagt | korrekte | præcision |", "|---|---:|---:|---:|---:|---:|---:|"]
    assert lines[2:] == [
        "| PERSON | 2 | 1 | 0,50 | 2 | 1 | 0,50 |",
        "| PLACE | 1 | 1 | 1,00 | 1 | 1 | 1,00 |",
        "| PHONE | 1 | 1 | 1,00 | 1 | 1 | 1,00 |",
        "| PLACE+ORG | 1 | 1 | 1,00 | 1 | 1 | 1,00 |",
        "| alle | 4 | 3 | 0,75 | 4 | 3 | 0,75 |",
        "Overset: a.txt @79: Qwelin (PERSON)",  # an unknown name: a review candidate, not masked
        "Fejlagtigt fundet: a.txt @87: Mette (PERSON, metadata)",  # the gold file left out the second label
    ]


def test_evaluate_table_in_english(tmp_path):
    paths = write_samples(tmp_path)
    text = paths[0].read_text(encoding="utf-8").strip()
    gold = tmp_path / "in" / "gold.csv"
    start = text.index("Mette")
    gold.write_text(f"file,start,end,type,text\na.txt,{start},{start + 5},PERSON,Mette\n", encoding="utf-8")
    result = run("--evaluate", str(gold), "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "| type | gold | found | recall | predicted | correct | precision |"
    # gold has only the first Mette: everything else found is a false positive
    assert lines[2] == "| PERSON | 1 | 1 | 1.00 | 2 | 1 | 0.50 |"
    assert lines[6:] == [
        "| all | 1 | 1 | 1.00 | 4 | 1 | 0.25 |",
        "False positive: a.txt @37: Hedelund Kommune (PLACE, place-pattern)",
        "False positive: a.txt @60: 23 45 67 89 (PHONE, phone)",
        "False positive: a.txt @87: Mette (PERSON, metadata)",
    ]


def test_evaluate_hard_cases_file(tmp_path):
    cases = tmp_path / "hard.tsv"
    cases.write_text("text\texpected\nMin kollega Bo kom.\tBo=PERSON\nPå vejen hjem.\t\nBo i et hus.\tBo=PERSON\n", encoding="utf-8")
    result = run("--evaluate", str(cases))
    assert result.output.splitlines() == [
        # spans as the file writes them (not Python's list of tuples); no sentence starts with a numeral
        f"{cases}:4: 'Bo i et hus.': forventet Bo=PERSON, fundet (intet)",
        "Korrekte svære tilfælde: 2 af 3.",
    ]


def test_anonymise_command_is_registered_with_help():
    result = CliRunner().invoke(cli, ["--help"])
    assert "anonymise" in result.output


@pytest.mark.parametrize(
    "files, replaced, review, lang, line",
    [
        # one file, one replacement: singular (it read "Anonymiseret 1 filer" before)
        (1, 1, 0, "da", "Anonymiseret 1 fil til ud: 1 erstatning, 0 til tjek."),
        (2, 8, 1, "da", "Anonymiseret 2 filer til ud: 8 erstatninger, 1 til tjek."),
        # no replacement: the plural, as Danish counts zero
        (1, 0, 0, "da", "Anonymiseret 1 fil til ud: 0 erstatninger, 0 til tjek."),
        # thousands with a point in Danish, a comma in English
        (1200, 15000, 2500, "da", "Anonymiseret 1.200 filer til ud: 15.000 erstatninger, 2.500 til tjek."),
        (1, 1, 0, "en", "Anonymised 1 file into ud: 1 replacement, 0 to review."),
        (1200, 15000, 2500, "en", "Anonymised 1,200 files into ud: 15,000 replacements, 2,500 to review."),
    ],
)
def test_summary_line_plurals_in_both_languages(files, replaced, review, lang, line):
    from qualcode.cli.anonymise_cmd import summary_line
    from qualcode.i18n import use_language

    with use_language(lang):
        assert summary_line(files, Path("ud"), replaced, review) == line


def test_one_file_says_one_file_on_the_command_line(tmp_path):
    paths = write_samples(tmp_path)
    out = tmp_path / "anon1"
    result = run(str(paths[0]), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f"Anonymiseret 1 fil til {out}: ")
    english = run(str(paths[0]), "--out", str(tmp_path / "anon2"), "--lang", "en")
    assert english.output.splitlines()[0].startswith(f"Anonymised 1 file into {tmp_path / 'anon2'}: ")
