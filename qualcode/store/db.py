"""Connection handling and migrations for the single-file SQLite project."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from qualcode.errors import ProjectError
from qualcode.store.migrations import MIGRATIONS, Migration

APPLICATION_ID = 0x51434F44  # "QCOD": marks a file as a qualcode project


def utc_now() -> str:
    """Timestamps are stored as ISO 8601 UTC strings with seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Database:
    """An open project file.

    Every user action runs in its own transaction (:meth:`transaction`), so an
    error leaves the file exactly as it was before the action.
    """

    def __init__(self, path: str | Path, *, create: bool = True):
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path is not None:
            if not self.path.exists() and not create:
                raise ProjectError(f"{path}: no such project file")
            if self.path.exists() and self.path.is_dir():
                raise ProjectError(f"{path}: is a folder, not a project file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so the
        # transaction boundaries are exactly the user actions.
        self.conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        try:
            self._check_file()
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path is not None:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise ProjectError(f"{path}: not a qualcode project file ({exc})") from exc

    def _check_file(self) -> None:
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        tables = self.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
        if app_id == 0 and tables == 0:
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        elif app_id != APPLICATION_ID:
            raise ProjectError(
                f"{self.path}: is an SQLite file but not a qualcode project"
            )

    # -- migrations ---------------------------------------------------------
    def applied_migrations(self) -> list[int]:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        return [r[0] for r in self.conn.execute("SELECT id FROM schema_migrations ORDER BY id")]

    def migrate(self, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
        """Apply the migrations this file has not seen yet; return their ids."""
        done = set(self.applied_migrations())
        known = {m.id for m in migrations}
        newer = done - known
        if newer:
            raise ProjectError(
                f"{self.path}: was written by a newer qualcode (schema {max(newer)}); upgrade qualcode"
            )
        applied = []
        for migration in sorted(migrations, key=lambda m: m.id):
            if migration.id in done:
                continue
            # executescript would commit on its own; run statements one by one
            # inside our transaction so a failing migration leaves no trace.
            with self.transaction():
                # A migration may rebuild a table others point at (SQLite cannot alter a
                # CHECK): foreign keys are checked at the commit, and checked here first,
                # so a rebuild that lost a referenced row rolls back with a clear error.
                self.conn.execute("PRAGMA defer_foreign_keys = ON")
                for table, old, new in migration.rebuild:
                    self._rebuild(table, old, new)
                for statement in _split_sql(migration.sql):
                    self.conn.execute(statement)
                broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise ProjectError(
                        f"{self.path}: migration {migration.id} would break {len(broken)} references"
                        f" (first: table {broken[0][0]}, row {broken[0][1]}); nothing was changed"
                    )
                self.conn.execute(
                    "INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)",
                    (migration.id, migration.name, utc_now()),
                )
            applied.append(migration.id)
        return applied

    def _rebuild(self, table: str, old: str, new: str) -> None:
        """Recreate ``table`` from its own CREATE statement with ``old`` replaced by ``new``.

        The rows are copied out and back with every column and id (columns
        that later migrations added included: the table's current statement is
        the one rebuilt), and its indexes are recreated. Inserting the rows back
        satisfies the references that dropping the table broke, so with foreign
        keys deferred the commit finds none broken.
        """
        conn = self.conn
        row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        if row is None or old not in row[0]:
            raise ProjectError(f"{self.path}: table {table} does not have the form this migration rebuilds")
        indexes = [r[0] for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
        columns = ", ".join(f'"{r[1]}"' for r in conn.execute(f'PRAGMA table_info("{table}")'))
        copy = f"{table}_before_rebuild"
        conn.execute(f'CREATE TABLE "{copy}" AS SELECT {columns} FROM "{table}"')
        conn.execute(f'DROP TABLE "{table}"')
        conn.execute(row[0].replace(old, new))
        conn.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{copy}" ORDER BY rowid')
        conn.execute(f'DROP TABLE "{copy}"')
        for sql in indexes:
            conn.execute(sql)

    # -- transactions -------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user action. Nested calls join the outer transaction."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("COMMIT")

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def close(self) -> None:
        self.conn.close()


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (our migrations contain no ';' in literals)."""
    statements = []
    for chunk in script.split(";"):
        lines = [ln for ln in chunk.splitlines() if not ln.strip().startswith("--")]
        statement = "\n".join(lines).strip()
        if statement:
            statements.append(statement)
    return statements
