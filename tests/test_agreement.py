"""Agreement on a project: units, per-code tables, confusion, disagreements, consensus, CLI."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score

from qualcode import Project
from qualcode.agreement import (
    agreement,
    agreement_table,
    coded_units,
    confusion_matrix,
    confusion_table,
    disagreement_table,
    record_consensus,
    record_consensus_table,
)
from qualcode.cli.main import cli
from qualcode.errors import ProjectError
from team_helpers import build_two_coder_project, sentences

# The project tests below run on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

# What build_two_coder_project codes on document A's six sentences (both coders).
ANNA = [{"barriere.maaling"}, {"barriere.tid"}, {"driver.ledelse"}, {"driver.tillid"}, set(), {"driver.ledelse"}]
BO = [{"barriere.maaling"}, {"barriere.maaling"}, {"driver.ledelse", "driver.tillid"}, {"driver.tillid"},
      {"barriere.tid"}, {"barriere.tid"}]
CODES = ["barriere.maaling", "barriere.tid", "driver.ledelse", "driver.tillid"]


@pytest.fixture
def team(project):
    p = project
    a, b = build_two_coder_project(p)
    yield p, a, b


def test_units_hold_each_coders_codes_and_missing_documents_are_none(team):
    project, a, b = team
    cu = coded_units(project)
    assert cu.coders == ("anna", "bo")
    assert len(cu.segments) == 9  # six sentences in A, three in B; interviewer questions left out
    assert [set(s) for s in cu.codes[0][:6]] == ANNA
    assert [set(s) for s in cu.codes[1][:6]] == BO
    # anna coded B; bo did not, so bo's values there are missing, not "no code"
    assert [set(s) for s in cu.codes[0][6:]] == [{"barriere.tid"}, {"driver.tillid"}, set()]
    assert cu.codes[1][6:] == (None, None, None)
    assert cu.code_ids == tuple(CODES)


def test_rejected_codings_do_not_count_as_applied(team):
    project, a, _ = team
    cu = coded_units(project, documents=["a.txt"])
    # the rejected machine suggestion of barriere.maaling on sentence 3 is not anna's code
    assert cu.codes[0][3] == frozenset({"driver.tillid"})


@pytest.mark.parametrize("code", CODES)
def test_per_code_numbers_match_sklearn_and_krippendorff(team, code):
    project, _, _ = team
    table = agreement(project)
    row = table[table.code_id == code].iloc[0]
    anna = [int(code in s) for s in ANNA]
    bo = [int(code in s) for s in BO]
    assert row.units == 6
    assert row.percent_agreement == pytest.approx(sum(x == y for x, y in zip(anna, bo)) / 6)
    assert row.cohen_kappa == pytest.approx(cohen_kappa_score(anna, bo))
    expected_alpha = krippendorff.alpha(reliability_data=np.array([anna, bo], dtype=float), level_of_measurement="nominal")
    assert row.krippendorff_alpha == pytest.approx(expected_alpha)
    assert row["applied_anna"] == sum(anna) and row["applied_bo"] == sum(bo)


def test_overall_rows_pool_codes_and_compare_whole_code_sets(team):
    project, _, _ = team
    table = agreement(project, lang="en")
    pooled, sets = table[table.level == "overall"].itertuples()
    anna = [int(c in s) for c in CODES for s in ANNA]
    bo = [int(c in s) for c in CODES for s in BO]
    assert pooled.name == "Overall (all codes)"
    assert pooled.cohen_kappa == pytest.approx(cohen_kappa_score(anna, bo))
    assert pooled.percent_agreement == pytest.approx(sum(x == y for x, y in zip(anna, bo)) / 24)
    labels_a = ["+".join(sorted(s)) for s in ANNA]
    labels_b = ["+".join(sorted(s)) for s in BO]
    assert sets.name == "Overall (code set per unit)"
    assert sets.percent_agreement == pytest.approx(2 / 6)  # sentences 0 and 3 have identical sets
    assert sets.cohen_kappa == pytest.approx(cohen_kappa_score(labels_a, labels_b))


def test_three_coders_give_alpha_with_missing_data_and_no_kappa(team):
    project, a, b = team
    # carl codes only document B, so B's units now have two coders (anna, carl)
    for idx, code in ((0, "barriere.tid"), (1, "barriere.tid")):
        seg = sentences(project, b)[idx]
        project.codings.add(b, seg.start, seg.end, code, "carl")
    cu = coded_units(project)
    table = agreement_table(cu)
    row = table[table.code_id == "barriere.tid"].iloc[0]
    data = np.array([
        [int("barriere.tid" in s) for s in ANNA] + [1, 0, 0],
        [int("barriere.tid" in s) for s in BO] + [np.nan] * 3,
        [np.nan] * 6 + [1, 1, 0],
    ], dtype=float)
    assert row.units == 9
    assert math.isnan(row.cohen_kappa)
    assert row.krippendorff_alpha == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_subset_of_documents_and_turn_units(team):
    project, a, b = team
    by_turn = coded_units(project, unit="turn", documents=[a])
    assert len(by_turn.segments) == 2  # the two interviewee turns of A
    assert [set(s) for s in by_turn.codes[0]] == [
        {"barriere.maaling", "barriere.tid", "driver.ledelse"}, {"driver.tillid", "driver.ledelse"}]
    assert [set(s) for s in by_turn.codes[1]] == [
        {"barriere.maaling", "driver.ledelse", "driver.tillid"}, {"driver.tillid", "barriere.tid"}]


def test_consensus_codings_are_not_a_coder(team):
    project, a, _ = team
    seg = sentences(project, a)[1]
    record_consensus(project, a, seg.start, seg.end, ["barriere.tid"], "anna")
    assert coded_units(project).codes[0][1] == frozenset({"barriere.tid"})
    assert len(agreement(project)) == 6  # four codes + two overall rows, unchanged


def test_confusion_table_lists_swapped_codes(team):
    project, _, _ = team
    table = confusion_table(coded_units(project))
    assert table[["code_1", "code_2", "swaps"]].values.tolist() == [
        ["barriere.maaling", "barriere.tid", 1],
        ["barriere.tid", "driver.ledelse", 1],
        ["barriere.tid", "-", 1],
        ["driver.tillid", "-", 1],
    ]
    assert table.iloc[0]["name_1"] == "Målinger og belønning"


def test_disagreement_table_shows_segment_in_context_and_each_coders_codes(team):
    project, a, _ = team
    table = disagreement_table(coded_units(project))
    assert table["text"].tolist() == [
        "Der er ingen tid til møder.",
        "Ledelsen bakker op om det.",
        "Budgettet er stramt, men vi prøver.",
        "Direktøren går forrest.",
    ]
    first = table.iloc[0]
    assert first["before"] == "Vi måles kun på egne mål."
    assert first["after"] == "Ledelsen bakker op om det."
    assert (first["codes_anna"], first["codes_bo"]) == ("barriere.tid", "barriere.maaling")
    assert table.iloc[1]["codes_bo"] == "driver.ledelse, driver.tillid"
    assert table.iloc[2]["codes_anna"] == "-"
    doc = project.documents.get(a)
    assert all(doc.text[r.start:r.end] == r.text for r in table.itertuples())
    assert table["agreed"].tolist() == ["", "", "", ""]


def test_consensus_table_adds_consensus_codings_and_keeps_the_originals(team):
    project, a, _ = team
    before = {c.id: c for c in project.codings.query()}
    table = disagreement_table(coded_units(project))
    table.loc[0, "agreed"] = "barriere.tid"
    table.loc[1, "agreed"] = "driver.ledelse, driver.tillid"
    table.loc[2, "agreed"] = "-"
    result = record_consensus_table(project, table, "mødet")
    assert (len(result.added), result.agreed_no_code, result.left_open) == (3, 1, 1)
    consensus = project.codings.query(source="consensus")
    doc = project.documents.get(a)
    assert [(c.code_id, c.coder, c.status, doc.text[c.start:c.end]) for c in consensus] == [
        ("barriere.tid", "mødet", "accepted", "Der er ingen tid til møder."),
        ("driver.ledelse", "mødet", "accepted", "Ledelsen bakker op om det."),
        ("driver.tillid", "mødet", "accepted", "Ledelsen bakker op om det."),
    ]
    assert {c.id: c for c in project.codings.query(source=["human", "machine"])} == before
    again = record_consensus_table(project, table, "mødet")
    assert (len(again.added), again.already_recorded) == (0, 3)


def test_agreement_needs_two_coders(team, english):
    project, _, b = team
    with pytest.raises(ProjectError) as exc:
        coded_units(project, documents=["b.txt"])
    assert str(exc.value) == "agreement needs at least two coders; found: anna"
    with pytest.raises(ProjectError) as exc:
        coded_units(project, coders=["anna", "eva"])
    assert str(exc.value) == "no codings by eva in the chosen documents; coders found: anna, bo"


def test_cli_agreement_then_consensus_round_trip(tmp_path, new_location):
    path = new_location("team")
    with Project.open(path) as p:
        build_two_coder_project(p)
    runner = CliRunner()
    out = tmp_path / "uenigheder.csv"
    result = runner.invoke(cli, ["agreement", "--project", str(path), "--coders", "anna,bo", "--unit", "sentence",
                                 "--confusion", "--disagreements", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Kodere: anna, bo; enhed: sætning; dokumenter: 2"
    row = next(line for line in lines if line.startswith("barriere.maaling"))
    # by hand: 5 of 6 agree; kappa = (30/36 - 22/36) / (14/36) = 0.571; alpha = 1 - 11 * 2 / (2 * 3 * 9) = 0.593
    assert row.split()[1:] == ["6", "83,3", "%", "0,571", "0,593"]  # Danish decimal comma
    assert "  barriere.maaling <-> barriere.tid: 1" in lines
    assert lines[-1] == f"Uenigheder: 4 enheder skrevet til {out}"
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdocument_id;document;")  # as Danish Excel opens it
    table = pd.read_csv(out, sep=";", encoding="utf-8-sig", keep_default_na=False)
    assert table["codes_bo"].tolist()[:2] == ["barriere.maaling", "driver.ledelse, driver.tillid"]
    table.loc[0, "agreed"] = "barriere.tid"
    table.to_csv(out, index=False, sep=";", encoding="utf-8-sig")  # saved again by Danish Excel
    result = runner.invoke(cli, ["consensus", "--project", str(path), "--table", str(out), "--coder", "mødet"])
    assert result.exit_code == 0, result.output
    # one coding: singular (it read "1 kodninger" before)
    assert result.output.strip() == "Konsensus: 1 kodning gemt, 0 uden kode, 0 fandtes allerede, 3 åbne"
    with Project.open(path) as p:
        assert [c.code_id for c in p.codings.query(source="consensus")] == ["barriere.tid"]


def test_cli_agreement_reports_unknown_document(tmp_path, new_location):
    path = new_location("team")
    with Project.open(path) as p:
        build_two_coder_project(p)
    result = CliRunner().invoke(cli, ["agreement", "--project", str(path), "--docs", "c.txt"])
    assert result.exit_code == 2
    assert result.output.strip() == "Fejl: dokumentet »c.txt« findes ikke i projektet"


def test_confusion_matrix_sets_one_coders_codes_against_the_others(team):
    project, _, _ = team
    matrix = confusion_matrix(coded_units(project))
    assert (matrix.index.name, matrix.columns.name) == ("anna", "bo")
    assert list(matrix.index) == CODES + ["-"]
    nonzero = {(x, y): int(n) for x, row in matrix.iterrows() for y, n in row.items() if n}
    assert nonzero == {
        ("barriere.maaling", "barriere.maaling"): 1,  # sentence 0: both
        ("barriere.tid", "barriere.maaling"): 1,      # sentence 1: anna tid, bo maaling
        ("driver.ledelse", "driver.ledelse"): 1,      # sentence 2: both ledelse ...
        ("-", "driver.tillid"): 1,                    # ... and only bo added tillid
        ("driver.tillid", "driver.tillid"): 1,        # sentence 3
        ("-", "barriere.tid"): 1,                     # sentence 4: only bo
        ("driver.ledelse", "barriere.tid"): 1,        # sentence 5
    }


def test_cli_disagreements_as_excel_for_the_meeting(tmp_path, new_location):
    path = new_location("team")
    with Project.open(path) as p:
        build_two_coder_project(p)
    out = tmp_path / "uenigheder.xlsx"
    runner = CliRunner()
    result = runner.invoke(cli, ["agreement", "-p", str(path), "--disagreements", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"Disagreements: 4 units written to {out}"
    table = pd.read_excel(out, dtype={"agreed": str})
    assert table["text"].tolist()[0] == "Der er ingen tid til møder."
    table.loc[3, "agreed"] = "driver.ledelse"
    table.to_excel(out, index=False)
    result = runner.invoke(cli, ["consensus", "-p", str(path), "--table", str(out), "--coder", "mødet", "--lang", "en"])
    assert result.output.strip() == "Consensus: 1 coding stored, 0 without code, 0 already recorded, 3 open"
