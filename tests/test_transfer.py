"""`qualcode server push` and `pull`: a file project to the server and back, every table row by row."""

from __future__ import annotations

import os
import sqlite3
import stat

import openpyxl
import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.anonymise.key import default_key_path
from qualcode.cli.main import cli
from qualcode.store.transfer import NOT_COPIED
from report_helpers import make_project


@pytest.fixture
def studie(tmp_path):
    """A file project with everything push must carry: codings and their history, memos, two codebook
    versions, the anonymisation cache and the pseudonym key beside it."""
    from qualcode.codebook import load_codebook
    from qualcode.report import build_report
    from report_helpers import CODEBOOK

    path = tmp_path / "studie.qcp"
    with make_project(path=path) as p:
        coding = p.codings.query(status="suggested")[0]
        p.codings.decide(coding.id, "accepted", "gold", shown_score=0.8)
        p.memos.add("gold", "Citatet er stærkt – æøå", document_id=coding.document_id, start=coding.start, end=coding.end)
        p.codebook.rename("driver.raaderum", "Råderum og frihed", "lead")
        p.codebook.apply(load_codebook(CODEBOOK), "lead")  # a second version
        build_report(p, tmp_path / "rapport", formats=("xlsx",))  # fills the cache, writes the key
    assert default_key_path(path).is_file()
    return path


def _rows(path) -> dict[str, list[tuple]]:
    """Every table of a project file, every row, in a stable order."""
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    out = {}
    for table in tables:
        columns = "id, name" if table == "schema_migrations" else "*"  # applied_at: when each side migrated
        out[table] = conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
    conn.close()
    return out


def test_pull_of_a_push_equals_the_original_row_by_row(studie, pg_server, tmp_path):
    team = pg_server.team()
    pushed = CliRunner().invoke(cli, ["server", "push", str(studie), team["mette"]])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.output.startswith(f"{studie} er lagt op på {team['mette']}: 3 dokumenter, 9 kodninger, ")
    snapshot = tmp_path / "arkiv" / "snapshot.qcp"
    snapshot.parent.mkdir()
    pulled = CliRunner().invoke(cli, ["server", "pull", team["mette"], str(snapshot)])
    assert pulled.exit_code == 0, pulled.output
    key = default_key_path(snapshot)
    assert pulled.output.splitlines()[-1] == (
        f"Pseudonymnøglen er skrevet til {key} (hold den adskilt fra øjebliksbilledet, når du afleverer det)")
    original, copy = _rows(studie), _rows(snapshot)
    assert set(original) == set(copy)
    for table in original:
        assert copy[table] == original[table], table
    # What the tables hold, so the comparison above compared something.
    counts = {t: len(rows) for t, rows in original.items()}
    assert counts["codings"] == 9 and counts["coding_events"] == 10 and counts["memos"] == 1
    assert counts["codebook_versions"] == 2 and counts["anonymised_documents"] == 3 and counts["pseudonym_key"] == 0
    assert key.read_bytes() == default_key_path(studie).read_bytes()
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert sorted(p.name for p in snapshot.parent.iterdir()) == ["snapshot.pseudonyms.json", "snapshot.qcp"]


def test_every_table_is_copied_but_the_two_each_side_keeps(studie, pg_server):
    team = pg_server.team()
    with Project.open(studie) as p:
        tables = set(p.db.tables())
    from qualcode.team.server import push

    report = push(studie, team["mette"])
    assert {t for t, _ in report.rows} == tables - set(NOT_COPIED)
    with Project.open(team["admin"]) as server:
        for table, n in report.rows:
            assert server.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, table
        # The server continues numbering after the copied ids.
        doc = server.documents.ids()[0]
        new = server.codings.add(doc, 0, 3, "driver.raaderum", "mette")
        assert new == max(c.id for c in server.codings.query())
        assert new > report.count("codings")


def test_a_pushed_cache_serves_the_reader_at_once(studie, pg_server, tmp_path):
    """The key's bytes and the input digest survive the move, so the reader needs no lead to re-anonymise."""
    team = pg_server.team()
    assert CliRunner().invoke(cli, ["server", "push", str(studie), team["mette"]]).exit_code == 0
    result = CliRunner().invoke(cli, ["report", "-p", team["rita"], "--out", str(tmp_path / "rita"), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    mine = openpyxl.load_workbook(tmp_path / "rapport" / "rapport.xlsx").worksheets[0]
    theirs = openpyxl.load_workbook(tmp_path / "rita" / "rapport.xlsx").worksheets[0]
    assert [[c.value for c in r] for r in theirs.iter_rows()] == [[c.value for c in r] for r in mine.iter_rows()]


def test_push_into_a_project_that_has_data_is_refused_and_changes_nothing(studie, pg_server):
    team = pg_server.team()
    runner = CliRunner()
    assert runner.invoke(cli, ["server", "push", str(studie), team["mette"]]).exit_code == 0
    again = runner.invoke(cli, ["server", "push", str(studie), team["mette"], "--lang", "en"])
    assert again.exit_code == 2
    assert again.output == (f"Error: {team['mette']}: is not empty (table documents has rows): push and pull only"
                            " into a new project\n")
    with Project.open(team["admin"]) as server:
        assert len(server.documents.ids()) == 3


def test_a_failed_pull_leaves_nothing_and_an_existing_file_is_kept(studie, pg_server, tmp_path):
    team = pg_server.team()
    assert CliRunner().invoke(cli, ["server", "push", str(studie), team["mette"]]).exit_code == 0
    out = tmp_path / "ud"
    out.mkdir()
    reader = CliRunner().invoke(cli, ["server", "pull", team["rita"], str(out / "snap.qcp"), "--lang", "en"])
    assert reader.exit_code == 2
    assert reader.output.startswith(f"Error: {team['rita']}: your role in this project does not allow this (permission denied for table")
    assert list(out.iterdir()) == []
    existing = CliRunner().invoke(cli, ["server", "pull", team["mette"], str(studie), "--lang", "en"])
    assert (existing.exit_code, existing.output) == (2, f"Error: {studie} already exists; choose a new file name\n")
    delivered = CliRunner().invoke(cli, ["server", "pull", team["mette"], str(out / "levering.qcp"), "--no-key"])
    assert delivered.exit_code == 0, delivered.output
    assert sorted(p.name for p in out.iterdir()) == ["levering.qcp"]
