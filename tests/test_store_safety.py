"""The project file under stress: busy writers, read-only files, foreign SQLite files, old schemas,
concurrent suggestion runs, and commands that must leave no file behind when they fail."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.errors import ProjectError
from qualcode.store.db import APPLICATION_ID, _split_sql
from qualcode.store.migrations import MIGRATIONS
from qualcode.suggest.workflow import build_suggester, suggest_project
from team_helpers import CODEBOOK, TEXT_A, add_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "transcripts_sample" / "01_direktoer_fjordby.txt"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def old_project(path: Path, upto: int) -> sqlite3.Connection:
    """A project file as a qualcode with only migrations 1..upto made it (raw SQL, no migration code)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    for m in MIGRATIONS[:upto]:
        for statement in _split_sql(m.sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00+00:00')", (m.id, m.name))
    return conn


# -- migration 4: one open suggestion per span, code and coder ----------------------------
def test_migration_4_keeps_every_row_and_supersedes_duplicate_suggestions(tmp_path):
    path = tmp_path / "gammel.qcp"
    conn = old_project(path, 3)
    conn.execute("INSERT INTO documents VALUES (1, 'a.txt', 'a.txt', 'txt', 'utf-8', 'Vi måles kun på mål.', 'h', 't', '{}')")
    conn.execute("INSERT INTO codes (code_id, name) VALUES ('maal', 'Mål'), ('tid', 'Tid')")
    rows = [  # (id, start, end, code, coder, status)
        (1, 0, 10, "maal", "anna", "suggested"),
        (2, 0, 10, "maal", "anna", "suggested"),   # duplicate of 1: superseded
        (3, 0, 10, "maal", "anna", "suggested"),   # duplicate of 1: superseded
        (4, 0, 10, "maal", "bo", "suggested"),     # another coder's: kept open
        (5, 0, 10, "tid", "anna", "suggested"),    # another code: kept open
        (6, 0, 10, "maal", "anna", "accepted"),    # decided, not a suggestion: untouched
        (7, 0, 10, "maal", "anna", "rejected"),    # decided: untouched
    ]
    for i, s, e, code, coder, status in rows:
        conn.execute("INSERT INTO codings (id, document_id, start_char, end_char, code_id, coder, status, source, created_at)"
                     " VALUES (?, 1, ?, ?, ?, ?, ?, 'machine', '2026-01-02T00:00:00+00:00')", (i, s, e, code, coder, status))
        conn.execute("INSERT INTO coding_events (coding_id, action, actor, at) VALUES (?, 'created', ?, 't')", (i, coder))
    conn.close()

    with Project.open(path, create=False) as p:
        got = {c.id: c.status for c in p.codings.query()}
        assert got == {1: "suggested", 2: "superseded", 3: "superseded", 4: "suggested", 5: "suggested",
                       6: "accepted", 7: "rejected"}
        events = p.codings.events(2)
        assert [(e["action"], e["details"]) for e in events] == [
            ("created", {}), ("duplicate_suggestion", {"from": "suggested", "to": "superseded"})]
        assert events[1]["at"].endswith("+00:00") and "T" in events[1]["at"]
        assert [e["action"] for e in p.codings.events(1)] == ["created"]
        with pytest.raises(ProjectError) as err:  # the schema now refuses a second open suggestion
            p.codings.add(1, 0, 10, "maal", "anna", status="suggested", source="machine")
        assert str(err.value) == "the same code is already suggested for this span and coder; nothing was stored"
        assert len(p.codings.query()) == 7
        p.codings.add(1, 0, 10, "maal", "anna", status="accepted")  # a decided coding on the span is fine


def test_two_suggestion_runs_at_once_store_each_suggestion_once(tmp_path):
    path = tmp_path / "p.qcp"
    with Project.open(path) as p:
        p.codebook.apply(CODEBOOK, "anna")
        doc = add_document(p, "a.txt", TEXT_A, {"role": "leder"})
    first, second = Project.open(path), Project.open(path)
    try:
        suggester = build_suggester(first)

        class Racing:
            """Scores like the real suggester, but lets the other run store its suggestions first."""

            def __getattr__(self, name):
                return getattr(suggester, name)

            def suggest_many(self, *args, **kwargs):
                suggest_project(second, build_suggester(second), document_id=doc, min_score=0.0)
                return suggester.suggest_many(*args, **kwargs)

        stored_by_second = len(second.codings.query())
        assert stored_by_second == 0
        assert suggest_project(first, Racing(), document_id=doc, min_score=0.0) == []
        keys = [(c.start, c.end, c.code_id, c.coder) for c in first.codings.query(status="suggested")]
        assert keys and len(keys) == len(set(keys))
    finally:
        first.close()
        second.close()


def test_merging_codes_supersedes_an_open_suggestion_that_would_repeat_one(project):
    project.codebook.apply(CODEBOOK, "anna")
    doc = add_document(project, "a.txt", TEXT_A, {"role": "leder"})
    s = [x for x in project.documents.segments(doc) if not x.is_interviewer][0]
    keep = project.codings.add(doc, s.start, s.end, "barriere.tid", "m", status="suggested", source="machine")
    other = project.codings.add(doc, s.start, s.end, "barriere.maaling", "m", status="suggested", source="machine")
    result = project.codebook.merge("barriere.maaling", "barriere.tid", "lead")
    assert result.superseded == (other,)
    assert (project.codings.get(keep).status, project.codings.get(other).status) == ("suggested", "superseded")
    assert project.codings.get(other).code_id == "barriere.tid"
    assert [e["action"] for e in project.codings.events(other)] == ["created", "merge_duplicate", "merge"]


# -- busy, read-only, foreign and empty files --------------------------------------------
def _hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    ready = threading.Event()

    def hold():
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    return thread


def test_import_waits_for_another_writer_and_then_says_in_one_line_that_it_is_busy(tmp_path, monkeypatch):
    path = tmp_path / "p.qcp"
    Project.open(path).close()
    monkeypatch.setenv("QUALCODE_BUSY_TIMEOUT", "3")
    holder = _hold_write_lock(path, 1.0)  # shorter than the timeout: the import waits, then runs
    ok = CliRunner().invoke(cli, ["import", str(SAMPLE), "-p", str(path)])
    holder.join()
    assert ok.exit_code == 0, ok.output

    before = sha256(path)
    monkeypatch.setenv("QUALCODE_BUSY_TIMEOUT", "0.3")
    holder = _hold_write_lock(path, 2.0)
    busy = CliRunner().invoke(cli, ["segment", "-p", str(path)])
    holder.join()
    assert busy.exit_code == 2
    assert busy.output.splitlines() == [
        f"Fejl: {path}: et andet program bruger projektfilen (ventede 0,3 s); prøv igen, når det er færdigt"]
    assert sha256(path) == before


def test_read_only_open_reads_and_refuses_every_write_in_one_line(tmp_path):
    path = tmp_path / "p.qcp"
    with Project.open(path) as p:
        p.codebook.apply(CODEBOOK, "anna")
        doc = add_document(p, "a.txt", TEXT_A)
    before = sha256(path)
    with Project.open(path, read_only=True) as p:
        assert p.read_only
        assert [d.name for d in p.documents.all()] == ["a.txt"]
        with pytest.raises(ProjectError) as err:
            p.codings.add(doc, 0, 5, "barriere.tid", "anna")
        assert str(err.value) == f"{path}: projektfilen er åbnet skrivebeskyttet (read-only); dette ville ændre den"
    assert sha256(path) == before


def test_read_only_open_of_an_old_schema_upgrades_it_first(tmp_path):
    path = tmp_path / "gammel.qcp"
    old_project(path, 3).close()
    with Project.open(path, read_only=True) as p:
        assert p.db.applied_migrations() == [m.id for m in MIGRATIONS]


def test_an_empty_sqlite_file_of_another_program_is_never_taken_over(tmp_path):
    path = tmp_path / "andet.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")  # writes the header: a valid, empty SQLite database
    conn.close()
    before = sha256(path)
    for read_only in (False, True):
        with pytest.raises(ProjectError) as err:
            Project.open(path, create=not read_only, read_only=read_only)
        assert str(err.value) == f"{path}: er en SQLite-fil, men ikke et qualcode-projekt"
    result = CliRunner().invoke(cli, ["info", "-p", str(path)])
    assert (result.exit_code, result.output) == (2, f"Fejl: {path}: er en SQLite-fil, men ikke et qualcode-projekt\n")
    assert sha256(path) == before


def test_a_zero_byte_file_becomes_a_project_only_when_a_command_creates_one(tmp_path):
    path = tmp_path / "tom.qcp"
    path.touch()
    info = CliRunner().invoke(cli, ["info", "-p", str(path)])
    assert (info.exit_code, info.output) == (2, f"Fejl: {path}: er tom, ikke en qualcode-projektfil\n")
    assert path.stat().st_size == 0
    with Project.open(path) as p:
        assert p.db.applied_migrations() == [m.id for m in MIGRATIONS]


def test_a_failed_import_into_a_new_path_leaves_no_project_file(tmp_path):
    bad = tmp_path / "tom.txt"
    bad.write_bytes(b"")
    path = tmp_path / "ny.qcp"
    result = CliRunner().invoke(cli, ["import", str(bad), "-p", str(path)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Fejl: {bad}: er tom"]
    assert sorted(tmp_path.iterdir()) == [bad]
    # An existing project keeps what it had when an import into it fails.
    CliRunner().invoke(cli, ["import", str(SAMPLE), "-p", str(path)])
    again = CliRunner().invoke(cli, ["import", str(bad), "-p", str(path)])
    assert again.exit_code == 2 and path.exists()
    with Project.open(path, read_only=True) as p:
        assert [d.name for d in p.documents.all()] == [SAMPLE.name]
