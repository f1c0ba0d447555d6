"""Coders: names from --coder, environment or configuration; blind mode; merging projects."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.codebook.model import Code
from qualcode.errors import InputError
from qualcode.team import merge_into, merge_projects, resolve_coder
from team_helpers import CODEBOOK, TEXT_A, TEXT_B, add_document, build_two_coder_project, code_sentence

# The project tests below run on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


# -- coder names --------------------------------------------------------------------
def test_coder_comes_from_option_then_environment_then_configuration(tmp_path):
    config = tmp_path / "config.ini"
    config.write_text("[qualcode]\ncoder = Sørine\n", encoding="utf-8")
    env = {"QUALCODE_CONFIG": str(config), "USER": "login"}
    assert resolve_coder("anna", {**env, "QUALCODE_CODER": "bo"}) == "anna"
    assert resolve_coder(None, {**env, "QUALCODE_CODER": "bo"}) == "bo"
    assert resolve_coder(None, env) == "Sørine"
    assert resolve_coder(None, {"QUALCODE_CONFIG": str(tmp_path / "none.ini"), "USER": "login"}) == "login"


def test_xdg_configuration_file_is_found(tmp_path):
    (tmp_path / "qualcode").mkdir()
    (tmp_path / "qualcode" / "config.ini").write_text("[qualcode]\ncoder = carl\n", encoding="utf-8")
    assert resolve_coder(None, {"XDG_CONFIG_HOME": str(tmp_path)}) == "carl"


def test_broken_configuration_file_names_the_file(tmp_path):
    config = tmp_path / "config.ini"
    config.write_text("coder = anna\n", encoding="utf-8")  # no [qualcode] section header
    with pytest.raises(InputError) as exc:
        resolve_coder(None, {"QUALCODE_CONFIG": str(config)})
    # configparser's class name is Python's word; the message says what to write instead
    assert str(exc.value) == f"{config}:1: ikke en gyldig konfigurationsfil (filen skal begynde med en afsnitslinje som [qualcode])"


# -- blind mode ---------------------------------------------------------------------
def test_blind_mode_hides_other_coders_in_queries_and_dataframes(project):
    a, _ = build_two_coder_project(project)
    bo_coding = project.codings.query(coder="bo")[0].id
    project.blind("anna")
    assert project.blind_coder == "anna"
    assert {c.coder for c in project.codings.query()} == {"anna"}
    assert project.codings.query(coder="bo") == []
    assert set(project.codings_df()["coder"]) == {"anna"}
    assert project.codings.coders() == ["anna"]
    seg_start = project.codings.get(project.codings.query()[0].id).start
    assert {c.coder for c in project.codings.overlapping(a, seg_start, seg_start + 1)} == {"anna"}
    with pytest.raises(KeyError):
        project.codings.get(bo_coding)
    project.blind(None)
    assert project.codings.coders() == ["anna", "bo"]
    assert project.codings.get(bo_coding).coder == "bo"


# -- merge --------------------------------------------------------------------------
def _coder_project(path, coder: str, codes: list[tuple[int, str]], *, extra_doc: str | None = None, codebook=CODEBOOK):
    with Project.open(path) as p:
        p.codebook.apply(codebook, coder)
        a = add_document(p, "a.txt", TEXT_A, {"role": "leder"})
        for idx, code in codes:
            code_sentence(p, a, idx, code, coder)
        if extra_doc:
            b = add_document(p, extra_doc, TEXT_B, {"role": "frivillig"})
            code_sentence(p, b, 0, "barriere.tid", coder)
    return path


def test_merge_matches_documents_by_content_and_keeps_every_coders_codings(tmp_path, new_location):
    team_at = new_location("team")  # the merged project: a file, or a project on the server
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling"), (1, "barriere.tid")])
    bo = _coder_project(tmp_path / "bo.qcp", "bo", [(0, "barriere.maaling"), (1, "barriere.maaling")], extra_doc="b.txt")
    with Project.open(bo) as p:  # bo accepted a machine suggestion: its fields must survive the merge
        sid = code_sentence(p, 1, 2, "driver.ledelse", "bo", status="suggested", source="machine", score=0.8)
        p.codings.decide(sid, "accepted", "bo")
        decided = p.codings.get(sid)
    reports = merge_projects([anna, bo], team_at, "lead")
    assert [(r.documents_added, r.documents_matched, r.codings_copied) for r in reports] == [
        (("a.txt",), (), 2),
        (("b.txt",), ("a.txt",), 4),
    ]
    assert reports[1].conflicts == ()
    with Project.open(team_at) as team:
        assert [d.name for d in team.documents.all()] == ["a.txt", "b.txt"]
        assert team.documents.count_segments("sentence") == (2 + 6) + (1 + 3)  # interviewer + interviewee, A and B
        df = team.codings_df()
        assert sorted(zip(df.coder, df.code_id, df.text)) == [
            ("anna", "barriere.maaling", "Vi måles kun på egne mål."),
            ("anna", "barriere.tid", "Der er ingen tid til møder."),
            ("bo", "barriere.maaling", "Der er ingen tid til møder."),
            ("bo", "barriere.maaling", "Vi måles kun på egne mål."),
            ("bo", "barriere.tid", "De frivillige er uforudsigelige."),
            ("bo", "driver.ledelse", "Ledelsen bakker op om det."),
        ]
        merged = next(c for c in team.codings.query(source="machine"))
        assert (merged.status, merged.score, merged.decided_by, merged.decided_at, merged.created_at) == (
            "accepted", 0.8, "bo", decided.decided_at, decided.created_at)
        # its history came along: created and accepted in bo.qcp, then merged
        assert [e["action"] for e in team.codings.events(merged.id)] == ["created", "status", "merge"]
        assert team.codebook.code_ids() == list(CODEBOOK.ids())


def test_merging_the_same_project_twice_duplicates_nothing(tmp_path, new_location):
    team_at = new_location("team")  # the merged project: a file, or a project on the server
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling")])
    with Project.open(team_at) as team, Project.open(anna) as source:
        merge_into(team, source, "lead")
        again = merge_into(team, source, "lead")
        assert (again.documents_added, again.documents_matched, again.codings_copied, again.codings_already_present) == (
            (), ("a.txt",), 0, 1)
        assert len(team.documents.all()) == 1 and len(team.codings.query()) == 1


def test_merge_unites_codebooks_and_reports_conflicts(tmp_path, new_location):
    team_at = new_location("team")  # the merged project: a file, or a project on the server
    changed = dataclasses.replace(
        CODEBOOK,
        codes=tuple(dataclasses.replace(c, name="Tidsmangel") if c.id == "barriere.tid" else c for c in CODEBOOK.codes)
        + (Code("driver.sprog", "Fælles sprog", "drivkraefter"),),
    )
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(1, "barriere.tid")])
    bo = _coder_project(tmp_path / "bo.qcp", "bo", [(1, "driver.sprog")], codebook=changed)
    reports = merge_projects([anna, bo], team_at, "lead")
    assert reports[1].codes_added == ("driver.sprog",)
    assert [(c.code_id, c.field, c.kept, c.other) for c in reports[1].conflicts] == [
        ("barriere.tid", "name", "Tidspres", "Tidsmangel")]
    with Project.open(team_at) as team:
        book = team.codebook.current()
        assert book.get("barriere.tid").name == "Tidspres"  # the first project's definition is kept
        assert book.get("driver.sprog").parent_id == "drivkraefter"


def test_merge_keeps_a_same_named_document_with_other_text_under_a_new_name(tmp_path, new_location):
    team_at = new_location("team")  # the merged project: a file, or a project on the server
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling")])
    with Project.open(tmp_path / "bo.qcp") as p:
        p.codebook.apply(CODEBOOK, "bo")
        add_document(p, "a.txt", TEXT_B)
    reports = merge_projects([anna, tmp_path / "bo.qcp"], team_at, "lead")
    assert reports[1].documents_renamed == (("a.txt", "a (bo.qcp).txt"),)


def test_cli_merge_writes_the_merged_project_and_reports_conflicts(tmp_path):
    changed = dataclasses.replace(
        CODEBOOK, codes=tuple(dataclasses.replace(c, color="#000000") if c.id == "barrierer" else c for c in CODEBOOK.codes))
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling")])
    bo = _coder_project(tmp_path / "bo.qcp", "bo", [(0, "barriere.tid")], codebook=changed)
    into = tmp_path / "team.qcp"
    result = CliRunner().invoke(cli, ["merge", str(anna), str(bo), "--into", str(into), "--coder", "lead"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        # singular for one (it read "1 nye dokumenter", "1 kodninger" before), »…« around what the files hold
        "anna.qcp: 1 nyt dokument, 0 genkendte, 1 kodning (anna), 6 nye koder",
        "bo.qcp: 0 nye dokumenter, 1 genkendt, 1 kodning (bo), 0 nye koder",
        "  Konflikt: kode »barrierer«, color: beholdt »#C0392B«, bo.qcp har »#000000«",
        f"Skrevet: {into}",
    ]
    again = CliRunner().invoke(cli, ["merge", str(anna), str(bo), "--into", str(into)])
    assert again.exit_code == 2
    assert again.output.strip() == f"Fejl: {into} findes allerede; vælg et nyt filnavn"


def test_cli_merge_of_coders_files_into_a_server_project(tmp_path, pg_server):
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling")])
    bo = _coder_project(tmp_path / "bo.qcp", "bo", [(0, "barriere.tid")])
    url = pg_server.new_database()
    result = CliRunner().invoke(cli, ["merge", str(anna), str(bo), "--into", url, "--coder", "lead"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "bo.qcp: 0 nye dokumenter, 1 genkendt, 1 kodning (bo), 0 nye koder"
    with Project.open(url) as team:
        assert sorted((c.coder, c.code_id) for c in team.codings.query()) == [("anna", "barriere.maaling"), ("bo", "barriere.tid")]


# -- merge is all or nothing --------------------------------------------------------
def test_cli_merge_with_a_bad_second_project_leaves_no_target_and_no_partial_file(tmp_path):
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling")])
    bad = tmp_path / "BAD.qcp"
    bad.write_text("ikke en projektfil\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    into = tmp_path / "team.qcp"
    result = CliRunner().invoke(cli, ["merge", str(anna), str(bad), "--into", str(into), "--coder", "lead"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Fejl: {bad}: ikke en qualcode-projektfil (file is not a database)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no team.qcp, no hidden partial file
    ok = CliRunner().invoke(cli, ["merge", str(anna), "--into", str(into), "--coder", "lead"])
    assert ok.exit_code == 0, ok.output


def test_a_merge_killed_half_way_leaves_no_target_and_a_rerun_completes(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling")])
    bo = _coder_project(tmp_path / "bo.qcp", "bo", [(1, "barriere.tid")])
    into = tmp_path / "team.qcp"
    # The first project is merged and committed into the partial file; the process dies at the second.
    driver = f"""
import os, signal
import qualcode.team.merge as merge
real = merge.merge_into
def dying(target, source, actor, *, origin=None):
    if origin == "bo.qcp":
        os.kill(os.getpid(), signal.SIGKILL)
    return real(target, source, actor, origin=origin)
merge.merge_into = dying
merge.merge_projects([{str(anna)!r}, {str(bo)!r}], {str(into)!r}, "lead")
"""
    done = subprocess.run([sys.executable, "-c", driver], cwd=tmp_path, capture_output=True)
    assert done.returncode == -signal.SIGKILL
    assert not into.exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".team.qcp.")]
    assert leftovers and all(n.endswith((".partial", ".partial-wal", ".partial-shm")) for n in leftovers)
    result = CliRunner().invoke(cli, ["merge", str(anna), str(bo), "--into", str(into), "--coder", "lead"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".team.qcp.")] == []  # the dead run's file is gone
    with Project.open(into, read_only=True) as team:
        assert sorted((c.coder, c.code_id) for c in team.codings.query()) == [("anna", "barriere.maaling"), ("bo", "barriere.tid")]
    assert os.stat(into).st_size > 0


def test_merge_carries_quote_ratings_with_their_codings(tmp_path):
    # anna rates her two quotes; bo rates the one coding he shares with anna (a shared pilot coding).
    anna = _coder_project(tmp_path / "anna.qcp", "anna", [(0, "barriere.maaling"), (1, "barriere.tid")])
    with Project.open(anna) as p:
        first, second = sorted(c.id for c in p.codings.query())
        p.ratings.rate(first, 5, "anna")
        p.ratings.rate(second, 2, "anna")
        p.ratings.rate(second, 4, "lis")  # a second judge of the same quote
    with Project.open(tmp_path / "team.qcp") as team:
        with Project.open(anna, read_only=True) as source:
            report = merge_into(team, source, "lead")
        assert report.ratings_copied == 3
        text = team.documents.all()[0].text
        by_text = {text[c.start:c.end]: c.id for c in (team.codings.get(i) for i in team.ratings.ratings())}
        means = team.ratings.ratings()
        assert {t: means[i] for t, i in by_text.items()} == {
            "Vi måles kun på egne mål.": 5.0,
            "Der er ingen tid til møder.": 3.0,
        }
        # A second merge of the same project finds the codings already there and adds no rating twice;
        # a rating the team project changed since is its own judgement and is kept.
        kept = next(i for t, i in by_text.items() if t.startswith("Vi"))
        team.ratings.rate(kept, 1, "anna")
        with Project.open(anna, read_only=True) as source:
            again = merge_into(team, source, "lead")
        assert (again.codings_copied, again.codings_already_present, again.ratings_copied) == (0, 2, 0)
        assert team.ratings.ratings()[kept] == 1.0
