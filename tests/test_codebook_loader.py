"""The YAML codebook format: loading, the Codebook model, checking, keywords."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli.main import cli
from qualcode.codebook import (
    Code,
    Codebook,
    CodebookValidationError,
    dump_codebook,
    load_codebook,
    parse_keyword,
)
from qualcode.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CODEBOOKS = ROOT / "codebooks"

SMALL = """\
codebook: Lille kodebog
version: "2.0"
language: da
description: |
  To temaer.
codes:
  - id: barrierer
    name: Barrierer
    color: "#C0392B"
    children:
      - id: barriere.tid
        name: Tidspres
        definition: Mangel på tid.
        include: Travlhed.
        exclude: Økonomi.
        examples:
          - "Der er ikke tid."
          - "Vi når det ikke."
        keywords: [travlhed, "tidspres*", ikke tid]
      - id: barriere.budget
        name: Økonomi
        children:
          - id: barriere.budget.spar
            name: Besparelser
  - id: drivkraefter
    name: Drivkræfter
    children:
      - id: driver.ildsjaele
        name: Ildsjæle
"""


def write(tmp_path: Path, text: str, name: str = "kodebog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(CodebookValidationError) as info:
        load_codebook(path)
    return [str(issue) for issue in info.value.issues]


# -- the model ----------------------------------------------------------------
def test_codes_are_flattened_depth_first_with_parents_and_lines(tmp_path):
    codebook = load_codebook(write(tmp_path, SMALL))
    assert codebook.ids() == ("barrierer", "barriere.tid", "barriere.budget", "barriere.budget.spar", "drivkraefter", "driver.ildsjaele")
    assert (codebook.name, codebook.version, codebook.language, codebook.description) == ("Lille kodebog", "2.0", "da", "To temaer.")
    tid = codebook.get("barriere.tid")
    assert tid == Code(
        "barriere.tid", "Tidspres", "barrierer", "Mangel på tid.", "Travlhed.", "Økonomi.",
        ("Der er ikke tid.", "Vi når det ikke."), ("travlhed", "tidspres*", "ikke tid"), None,
    )
    assert tid.line == 11
    assert codebook.get("barrierer").color == "#C0392B"


def test_tree_navigation(tmp_path):
    codebook = load_codebook(write(tmp_path, SMALL))
    assert [c.id for c in codebook.roots()] == ["barrierer", "drivkraefter"]
    assert [c.id for c in codebook.children("barrierer")] == ["barriere.tid", "barriere.budget"]
    assert codebook.children("barriere.tid") == ()
    assert codebook.path("barriere.budget.spar") == ("barrierer", "barriere.budget", "barriere.budget.spar")
    assert codebook.theme_of("barriere.budget.spar") == "barrierer"
    assert codebook.theme_of("drivkraefter") == "drivkraefter"
    assert [c.id for c in codebook.leaves()] == ["barriere.tid", "barriere.budget.spar", "driver.ildsjaele"]
    assert [c.id for c in codebook.descendants("barrierer")] == ["barriere.tid", "barriere.budget", "barriere.budget.spar"]
    assert codebook.depth("barriere.budget.spar") == 2
    assert set(codebook.by_id()) == set(codebook.ids())
    with pytest.raises(KeyError):
        codebook.get("findes.ikke")


def test_line_numbers_do_not_make_codes_different(tmp_path):
    a = load_codebook(write(tmp_path, SMALL, "a.yaml"))
    b = load_codebook(write(tmp_path, "# en kommentar\n\n" + SMALL, "b.yaml"))
    assert a == b
    assert a.get("barrierer").line != b.get("barrierer").line


def test_dumped_yaml_loads_back_to_the_same_codebook(tmp_path):
    codebook = load_codebook(write(tmp_path, SMALL))
    again = load_codebook(write(tmp_path, dump_codebook(codebook), "igen.yaml"))
    assert again == codebook
    assert "Drivkræfter" in dump_codebook(codebook)  # æøå written as is, not escaped


# -- checking: every problem, with file, line and code id ------------------------
def test_all_problems_are_reported_at_once_with_exact_messages(tmp_path, english):
    path = write(
        tmp_path,
        """\
codebook: Test
codes:
  - id: barrierer
    name: Barrierer
    colour: "#ff0000"
    children:
      - id: b.tid
        name: Tid
        keywords: [tid, "*", "sam*arbejde", "ar*", ""]
        color: #ff00ff
      - id: b.tid
        name: Tid igen
        color: "red"
      - name: Budget
        examples: "ikke en liste"
      - id: "Bar riere"
        name: ""
  - id: drivkraefter
""",
    )
    p = str(path)
    assert problems(path) == [
        f"{p}:5: code “barrierer”: unknown key 'colour' (did you mean 'color'?)",
        f"{p}:9: code “b.tid”: empty item in 'keywords'",
        f"{p}:9: code “b.tid”: keyword “*”: '*' alone matches every word",
        f"{p}:9: code “b.tid”: keyword “sam*arbejde”: '*' may only stand at the start or end of a word",
        f"{p}:9: code “b.tid”: keyword “ar*”: the stem “ar” is too short for '*' (at least 3 letters)",
        f"{p}:10: code “b.tid”: colour is read as a YAML comment: put it in quotes, e.g. color: \"#1f77b4\"",
        f"{p}:11: code “b.tid”: duplicate id (first used at line 7)",
        f"{p}:13: code “b.tid”: bad colour “red”: use a hex colour such as \"#1f77b4\"",
        f"{p}:14: code without id (name “Budget”): missing 'id'",
        f"{p}:15: code without id (name “Budget”): 'examples' must be a list (one '- ' line per item)",
        f"{p}:16: code “Bar riere”: bad id: use only ASCII letters, digits, '_', '-' and '.', starting with a letter or digit",
        f"{p}:17: code “Bar riere”: 'name' is empty",
        f"{p}:18: code “drivkraefter”: missing 'name'",
    ]


def test_validation_error_is_an_input_error_naming_file_line_and_code(tmp_path, english):
    path = write(tmp_path, "codebook: T\ncodes:\n  - id: a\n    name: A\n  - id: a\n    name: B\n")
    with pytest.raises(InputError) as info:
        load_codebook(path)
    assert str(info.value) == f"{path}:5: code “a”: duplicate id (first used at line 3)"
    assert (info.value.path, info.value.line) == (str(path), 5)


@pytest.mark.parametrize(
    "text, expected",
    [
        # YAML syntax: the line of the problem, PyYAML's explanation in the user's words (yaml_problems)
        ("codebook: T\ncodes:\n  - id: a\n    name: [A\n", ":5: YAML syntax error: in a list in [ ]: expected ',' or ']', found '<stream end>'"),
        # an alias-looking keyword must be quoted
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    keywords: [*pres]\n", ":5: YAML syntax error: unknown alias 'pres' (put values that start with '*' in quotes, e.g. \"*måling\")"),
        ("", ":1: empty file: expected 'codebook', 'version', 'language', 'description' and 'codes'"),
        ("- a\n- b\n", ":1: expected a mapping with 'codebook' and 'codes' at the top of the file"),
        ("codebook: T\nversion: 1\n", ":1: missing 'codes'"),
        ("codes:\n  - id: a\n    name: A\n", ":1: missing 'codebook' (the codebook's name)"),
        ("codebook: T\ncodes: []\n", ":2: 'codes' must be a non-empty list of codes"),
        ("codebook: T\nversjon: 1\ncodes:\n  - id: a\n    name: A\n", ":2: unknown key 'versjon' (did you mean 'version'?)"),
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    name: B\n", ":5: code “a”: key 'name' appears twice (first at line 4)"),
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    definition: [x]\n", ":5: code “a”: 'definition' must be text, not a list or mapping"),
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    children: x\n", ":5: code “a”: 'children' must be a list of codes"),
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    children:\n      - x\n", ":6: each code under “a” must be a mapping with at least 'id' and 'name'"),
        ("codebook: T\ncodes:\n  - id: æble\n    name: A\n", ":3: code “æble”: bad id: use only ASCII letters, digits, '_', '-' and '.', starting with a letter or digit"),
        ("codebook: T\ncodes:\n  - id:\n    name: A\n", ":3: code without id (name “A”): 'id' is empty"),
        ("codebook: T\ncodes:\n  - id: [a]\n    name: A\n", ":3: code without id (name “A”): 'id' must be text, not a list or mapping"),
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    hjælp: x\n", ":5: code “a”: unknown key 'hjælp' (allowed: id, name, definition, include, exclude, examples, keywords, color, children)"),
    ],
)
def test_single_problems(tmp_path, text, expected, english):
    path = write(tmp_path, text)
    assert problems(path) == [f"{path}{expected}"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the same problems in Danish, the default language: »…« around what the user wrote
        ("codebook: T\ncodes:\n  - id: a\n    name: [A\n", ":5: YAML-syntaksfejl: i en liste i [ ]: forventede ',' eller ']', fandt '<stream end>'"),
        ("codebook: T\nversion: 1\n", ":1: mangler 'codes'"),
        ("codebook: T\nversjon: 1\ncodes:\n  - id: a\n    name: A\n", ":2: ukendt nøgle 'versjon' (mente du 'version'?)"),
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    name: B\n", ":5: kode »a«: nøglen 'name' står to gange (første gang i linje 4)"),
        ("codebook: T\ncodes:\n  - id: a\n    name: A\n    children:\n      - x\n", ":6: hver kode under »a« skal være en opslagstabel med mindst 'id' og 'name'"),
        ("codebook: T\ncodes:\n  - id:\n    name: A\n", ":3: kode uden id (navn »A«): 'id' er tom"),
    ],
)
def test_single_problems_in_danish(tmp_path, text, expected):
    path = write(tmp_path, text)
    assert problems(path) == [f"{path}{expected}"]


def test_missing_file_and_non_utf8_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_codebook(tmp_path / "mangler.yaml")
    assert str(info.value) == f"{tmp_path / 'mangler.yaml'}: filen findes ikke"
    path = tmp_path / "latin1.yaml"
    path.write_bytes("codebook: T\ncodes:\n  - id: a\n    name: Økonomi\n".encode("cp1252"))
    assert problems(path) == [f"{path}:4: ikke UTF-8-tekst: gem filen som UTF-8"]


# -- the CLI ------------------------------------------------------------------------
@pytest.mark.parametrize("name, count", [("barrierer_drivkraefter.yaml", 26), ("relationel_koordinering.yaml", 9)])
def test_shipped_codebooks_pass_check(name, count):
    result = CliRunner().invoke(cli, ["codebook", "check", str(CODEBOOKS / name)])
    assert result.exit_code == 0, result.output
    assert result.output == f"OK: {CODEBOOKS / name} ({count} koder)\n"


def test_check_lists_every_problem_and_exits_2(tmp_path):
    good = write(tmp_path, SMALL, "god.yaml")
    bad = write(tmp_path, "codebook: T\ncodes:\n  - id: a\n    name: A\n    color: blå\n  - id: a\n", "dårlig.yaml")
    result = CliRunner().invoke(cli, ["codebook", "check", str(good), str(bad)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"OK: {good} (6 koder)",
        # the problems in Danish, as the OK line: no English inside a Danish run
        f"{bad}:5: kode »a«: ugyldig farve »blå«: brug en hex-farve som \"#1f77b4\"",
        f"{bad}:6: kode »a«: id'et er brugt før (første gang i linje 3)",
        f"{bad}:6: kode »a«: mangler 'name'",
    ]


def test_readme_example_passes_check(tmp_path):
    readme = (CODEBOOKS / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S).group(1)
    codebook = load_codebook(write(tmp_path, example))
    assert codebook.ids() == ("barrierer", "barriere.tidspres")


# -- the shipped codebooks' content ------------------------------------------------
def test_barriers_and_drivers_are_complete():
    codebook = load_codebook(CODEBOOKS / "barrierer_drivkraefter.yaml")
    assert [(c.id, c.name) for c in codebook.roots()] == [("barrierer", "Barrierer"), ("drivkraefter", "Drivkræfter")]
    barriers, drivers = codebook.children("barrierer"), codebook.children("drivkraefter")
    assert (len(barriers), len(drivers)) == (13, 11)
    for code in barriers + drivers:
        assert code.definition and code.include and code.exclude and code.color, code.id
        assert len(code.examples) >= 2 and len(code.keywords) >= 4, code.id
        assert re.fullmatch(r"(barriere|driver)\.[a-z_]+", code.id), code.id
    assert codebook.get("driver.ildsjaele").name == "Ildsjæle og brobyggere"
    assert "samarbejdet" in codebook.get("barriere.maalstyring").examples[1]


def test_relational_coordination_has_gittells_seven_dimensions():
    codebook = load_codebook(CODEBOOKS / "relationel_koordinering.yaml")
    assert [c.id for c in codebook.children("rk.kommunikation")] == [
        "rk.hyppig_kommunikation", "rk.rettidig_kommunikation", "rk.praecis_kommunikation", "rk.problemloesende_kommunikation",
    ]
    assert [c.name for c in codebook.children("rk.relationer")] == ["Fælles mål", "Fælles viden", "Gensidig respekt"]
    for code in codebook.leaves():
        assert code.definition and code.include and code.exclude and len(code.examples) >= 2 and code.keywords, code.id


# -- keywords ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "keyword, lemmas, spans",
    [
        ("samarbejd*", ["vi", "samarbejdsaftale"], [(1, 2)]),  # prefix catches a compound
        ("*måling", ["effektmåling", "måling", "målt"], [(0, 1), (1, 2)]),  # suffix
        ("*strategi*", ["sammenhængsstrategien"], [(0, 1)]),  # both ends: contains
        ("fælles mål", ["et", "fælles", "mål"], [(1, 3)]),  # a phrase: consecutive lemmas
        ("fælles mål", ["fælles", "for", "mål"], []),
        ("Tillid", ["tillid"], [(0, 1)]),  # keywords written with capitals still match lemmas
        ("tillid", ["tillidsrepræsentant"], []),  # no '*': exact lemma only
    ],
)
def test_keyword_patterns(keyword, lemmas, spans):
    assert parse_keyword(keyword).find(lemmas) == spans


def test_bad_keyword_is_a_value_error(english):
    with pytest.raises(ValueError, match=r"^keyword “a\*”: the stem “a” is too short for '\*' \(at least 3 letters\)$"):
        parse_keyword("a*")


def test_shipped_examples_are_found_by_their_own_keywords():
    """The suggestion engine matches keywords on lemmas: each example should fire its own code."""
    from qualcode.nlp import lemmatise

    for name in ("barrierer_drivkraefter.yaml", "relationel_koordinering.yaml"):
        codebook = load_codebook(CODEBOOKS / name)
        for code in codebook.leaves():
            patterns = [parse_keyword(k) for k in code.keywords]
            for example in code.examples:
                lemmas = lemmatise(example)
                assert any(p.matches(lemmas) for p in patterns), (code.id, example, lemmas)


def test_codebook_is_hashable_and_frozen():
    codebook = Codebook("T", "1", "da", "", (Code("a", "A", None),))
    with pytest.raises(AttributeError):
        codebook.name = "X"  # type: ignore[misc]
    assert hash(codebook) == hash(Codebook("T", "1", "da", "", (Code("a", "A", None, line=3),)))


def test_every_codebook_command_has_help_and_is_documented():
    from qualcode.cli.codebook_cmd import codebook_group

    readme = (CODEBOOKS / "README.md").read_text(encoding="utf-8")
    assert sorted(codebook_group.commands) == [
        "apply", "check", "diff", "export", "import", "log", "merge", "move", "rename", "retire", "split", "usage",
    ]
    for name, command in codebook_group.commands.items():
        result = CliRunner().invoke(cli, ["codebook", name, "--help"])
        assert result.exit_code == 0 and command.help, name
        assert f"qualcode codebook {name} " in readme, name
