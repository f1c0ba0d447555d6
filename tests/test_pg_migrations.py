"""The recorded migrations on PostgreSQL: a server project made before migration 4 is upgraded to the
current schema by the same sequence as a project file, keeping every row (migrations 4, 6 and 8
landed after the server backend; 6's SQLite table rebuild is a replaced CHECK constraint there)."""

from __future__ import annotations

import re

import pytest

from qualcode import Project
from qualcode.errors import ConflictError
from qualcode.store.db import _split_sql
from qualcode.store.migrations import MIGRATIONS
from qualcode.store.postgres import ddl


def old_server_project(pg_server, upto: int) -> str:
    """A database as a qualcode with only migrations 1..upto made it (raw SQL, no migration code): its URL."""
    import psycopg

    url = pg_server.empty_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        for m in MIGRATIONS[:upto]:
            for statement in _split_sql(m.sql):
                conn.execute(ddl(statement))
            conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, '2026-01-01T00:00:00+00:00')", (m.id, m.name))
        conn.execute("INSERT INTO documents VALUES (1, 'a.txt', 'a.txt', 'txt', 'utf-8', 'Vi måles kun på mål.', 'h', 't', '{}')")
        conn.execute("INSERT INTO codes (code_id, name) VALUES ('maal', 'Mål'), ('tid', 'Tid')")
        rows = [  # (id, code, coder, status)
            (1, "maal", "anna", "suggested"),
            (2, "maal", "anna", "suggested"),  # duplicate of 1: superseded by migration 4
            (3, "maal", "bo", "suggested"),    # another coder's: kept open
            (4, "tid", "anna", "suggested"),   # another code: kept open
            (5, "maal", "anna", "accepted"),   # decided: untouched
        ]
        for i, code, coder, status in rows:
            conn.execute("INSERT INTO codings (id, document_id, start_char, end_char, code_id, coder, status, source, created_at)"
                         " VALUES (%s, 1, 0, 10, %s, %s, %s, 'machine', '2026-01-02T00:00:00+00:00')", (i, code, coder, status))
            conn.execute("INSERT INTO coding_events (coding_id, action, actor, at) VALUES (%s, 'created', %s, 't')", (i, coder))
    return url


def test_a_server_project_from_before_migration_4_reaches_the_current_schema_keeping_every_row(pg_server):
    url = old_server_project(pg_server, 3)
    with Project.open(url, create=False) as p:
        assert p.db.applied_migrations() == [m.id for m in MIGRATIONS]
        # 4: duplicates of an open suggestion are superseded, with an event in utc_now()'s shape
        assert {c.id: c.status for c in p.codings.query()} == {
            1: "suggested", 2: "superseded", 3: "suggested", 4: "suggested", 5: "accepted"}
        events = p.codings.events(2)
        assert [(e["action"], e["details"]) for e in events] == [
            ("created", {}), ("duplicate_suggestion", {"from": "suggested", "to": "superseded"})]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", events[1]["at"]), events[1]["at"]
        with pytest.raises(ConflictError) as err:  # and the partial unique index refuses a second one
            p.codings.add(1, 0, 10, "maal", "anna", status="suggested", source="machine")
        assert str(err.value) == "the same code is already suggested for this span and coder; nothing was stored"
        # 6: the CHECK on codings.source was replaced, not added to: 'autocode' is stored, nonsense is not
        checks = [r[0] for r in p.db.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'codings'::regclass"
            " AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%source%'")]
        assert len(checks) == 1 and "autocode" in checks[0]
        autocoded = p.codings.add(1, 11, 20, "tid", "anna", status="suggested", source="autocode")
        assert p.codings.get(autocoded).source == "autocode"
        with pytest.raises(ConflictError, match="violates check constraint \"codings_source_check\""):
            p.db.execute("INSERT INTO codings (document_id, start_char, end_char, code_id, coder, status, source, created_at)"
                         " VALUES (1, 0, 5, 'tid', 'anna', 'accepted', 'bogus', 't')")
        # the tables 6 and 8 make exist, and the ids go on after the copied rows
        assert {"autocode_runs", "autocode_codings", "media_links", "quote_ratings", "pseudonym_key"} <= set(p.db.tables())
        assert autocoded == 7  # after the 5 rows made by hand; 6 went to the refused duplicate (a sequence never goes back)
        p.ratings.rate(5, 4, "anna")
        assert p.ratings.all_rows()[0][:3] == (5, "anna", 4)
