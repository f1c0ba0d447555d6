"""Agreement when one coder coded far less: the warning, and ``--coded-only`` (units at least one coder coded)."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score

from qualcode import Project
from qualcode.agreement import agreement, coded_units, coverage_warnings
from qualcode.cli.main import cli
from qualcode.i18n import use_language
from qualcode.refi import import_qdpx
from refi_helpers import DATA
from team_helpers import CODEBOOK, add_document, code_sentence

SENTENCES = 40
TEXT = "I: Fortæl.\n" + "".join(f"IP: Det er udsagn nummer {k + 1} om samarbejdet.\n" for k in range(SENTENCES))


def sparse_project(project):
    """anna codes sentences 0-7 with tidspres; bo codes only sentence 0 (like 27 spans against 303)."""
    project.codebook.apply(CODEBOOK, "test")
    doc = add_document(project, "lang.txt", TEXT)
    for k in range(8):
        code_sentence(project, doc, k, "barriere.tid", "anna")
    code_sentence(project, doc, 0, "barriere.tid", "bo")
    return doc


def test_units_nobody_coded_make_agreement_look_high_and_coded_only_shows_it():
    with Project.in_memory() as project:
        sparse_project(project)
        everything = agreement(project, coders=["anna", "bo"])
        coded = agreement(project, coders=["anna", "bo"], coded_only=True)
    row = everything[everything.code_id == "barriere.tid"].iloc[0]
    anna, bo = [True] * 8 + [False] * 32, [True] + [False] * 39
    assert row.units == 40
    assert row.percent_agreement == pytest.approx(33 / 40)
    assert row.cohen_kappa == pytest.approx(cohen_kappa_score(anna, bo))
    assert row.cohen_kappa == pytest.approx((33 / 40 - (8 / 40 * 1 / 40 + 32 / 40 * 39 / 40)) / (1 - 0.785))
    row = coded[coded.code_id == "barriere.tid"].iloc[0]
    assert row.units == 8  # only the units anna or bo gave a code
    assert row.percent_agreement == pytest.approx(1 / 8)
    assert row.cohen_kappa == pytest.approx(0.0)  # anna said yes to all of them: no agreement beyond chance


@pytest.mark.parametrize("lang, expected", [
    ("da", "bo har givet koder til 1 enhed, anna til 8 (12 %): enigheden er mest om enheder, ingen af dem har"
           " kodet; --coded-only måler den på de enheder, mindst én koder har kodet"),
    ("en", "bo gave codes to 1 unit, anna to 8 (12%): agreement is mostly on units neither coded;"
           " --coded-only measures it on the units at least one coder coded"),
])
def test_warning_names_both_coders_and_their_counts(lang, expected):
    with Project.in_memory() as project:
        sparse_project(project)
        cu = coded_units(project, coders=["anna", "bo"])
        with use_language(lang):
            assert coverage_warnings(cu) == [expected]
        with use_language("en"):  # with --coded-only no unit is left that neither coded: the warning says what is
            assert coverage_warnings(coded_units(project, coded_only=True)) == [
                "bo gave codes to 1 unit, anna to 8 (12%): if bo did not code all of the text, the units only anna"
                " coded count as disagreements"]


def test_no_warning_when_coders_coded_about_as_much():
    from team_helpers import build_two_coder_project

    with Project.in_memory() as project:
        build_two_coder_project(project)
        assert coverage_warnings(coded_units(project, coders=["anna", "bo"])) == []


def test_nvivo_shape_second_coder_coded_two_spans_against_thirteen():
    with Project.in_memory() as project:
        import_qdpx(project, DATA / "nvivo_shape.qdpx", "tester")
        cu = coded_units(project, coders=["Mette", "Jonas"])
        assert cu.units_with_codes() == [13, 2]
        with use_language("en"):
            assert coverage_warnings(cu) == [
                "Jonas gave codes to 2 units, Mette to 13 (15%): agreement is mostly on units neither coded;"
                " --coded-only measures it on the units at least one coder coded"]
        table = agreement(project, coders=["Mette", "Jonas"], coded_only=True)
        overall = table[table.level == "overall"].iloc[0]  # all codes pooled
        # Jonas coded only Birgitte's interview: its 12 sentences are the units both coded
        assert overall.units == 12
        assert not math.isnan(overall.cohen_kappa)


def test_cli_coded_only_and_the_warning_on_stderr(tmp_path):
    path = tmp_path / "p.qcp"
    with Project.open(path) as project:
        sparse_project(project)
    result = CliRunner().invoke(cli, ["agreement", "--project", str(path), "--coded-only"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "Kun enheder, som mindst én koder har givet en kode: 8"
    assert result.stderr == ("Advarsel: bo har givet koder til 1 enhed, anna til 8 (12 %): har bo ikke kodet hele"
                             " teksten, tæller de enheder, kun anna har kodet, som uenighed\n")
    plain = CliRunner().invoke(cli, ["agreement", "--project", str(path)])
    assert "--coded-only måler den" in plain.stderr
