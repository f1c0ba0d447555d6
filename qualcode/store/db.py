"""Connection handling and migrations for the single-file SQLite project.

The PostgreSQL backend (:mod:`qualcode.store.postgres`) offers the same
interface; the few places where the two dialects differ are methods here
(``for_update``, :meth:`Database.lock`, :meth:`Database.insert_rows`,
:meth:`Database.insert_returning_ids`), so the stores' SQL stays one text.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from qualcode.errors import ConflictError, ProjectError
from qualcode.i18n import gettext as _
from qualcode.store.migrations import MIGRATIONS, Migration

APPLICATION_ID = 0x51434F44  # "QCOD": marks a file as a qualcode project


def utc_now() -> str:
    """Timestamps are stored as ISO 8601 UTC strings with seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def open_database(location: str | Path, *, create: bool = True):
    """The project at ``location``: a ``.qcp`` path, or a ``postgresql://`` URL of a shared project."""
    from qualcode.store.postgres import PgDatabase, is_server_url

    if is_server_url(location):
        return PgDatabase(str(location), create=create)
    return Database(location, create=create)


class Database:
    """An open project file.

    Every user action runs in its own transaction (:meth:`transaction`), so an
    error leaves the file exactly as it was before the action.
    """

    dialect = "sqlite"
    # Row locks a read-then-write needs on a server; BEGIN IMMEDIATE already serialises writers here.
    for_update = ""

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
                for statement in _split_sql(migration.sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)",
                    (migration.id, migration.name, utc_now()),
                )
            applied.append(migration.id)
        return applied

    # -- transactions -------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user action. Nested calls join the outer transaction."""
        if self._depth == 0:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                conflict = _conflict(exc, self.location)
                if conflict is None:
                    raise
                raise conflict from exc
        self._depth += 1
        try:
            yield self.conn
        except BaseException as exc:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
                conflict = _conflict(exc, self.location) if isinstance(exc, sqlite3.DatabaseError) else None
                if conflict is not None:
                    raise conflict from exc
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("COMMIT")

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @property
    def location(self) -> str:
        """What messages call this project: its path."""
        return str(self.path) if self.path is not None else ":memory:"

    # -- where the dialects differ ------------------------------------------
    def may_read(self, table: str, column: str) -> bool:
        """Whether this user may read the column (everyone may, in a file)."""
        return True

    def lock(self, name: str) -> None:
        """Serialise a read-modify-write against other clients (a no-op: the write lock is held)."""

    def insert_rows(self, conn, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Insert many rows into ``table`` (the server streams them with COPY)."""
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def insert_returning_ids(self, conn, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> list[int]:
        """Insert rows into ``table`` in one statement and return their new ids, in order."""
        if not rows:
            return []
        before = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        self.insert_rows(conn, table, columns, rows)
        ids = list(range(before + 1, before + 1 + len(rows)))
        # SQLite gives each new row max(id) + 1 inside our write transaction;
        # check it did, rather than assume, before the ids are used.
        check = conn.execute(f"SELECT count(*), min(id), max(id) FROM {table} WHERE id > ?", (before,)).fetchone()
        if tuple(check) != (len(ids), ids[0], ids[-1]):
            raise ProjectError("the project file assigned ids out of order; nothing was stored")
        return ids

    # -- what copying a whole project needs (qualcode.store.transfer) --------
    def tables(self) -> list[str]:
        """The project's tables in the order the migrations created them."""
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        )]

    def row_order(self, table: str) -> str:
        """An ORDER BY for reading every row of ``table`` in a stable order (insertion order here)."""
        return "rowid"

    def defer_foreign_keys(self) -> None:
        """Check foreign keys at commit, not per row, for the rest of this transaction."""
        self.conn.execute("PRAGMA defer_foreign_keys = ON")

    def after_bulk_copy(self) -> None:
        """Nothing to do here: SQLite's next id is always max(id) + 1."""

    def read_rows(self, sql: str, batch: int = 2000) -> Iterator[list]:
        """All rows of a query in batches (memory stays bounded)."""
        cur = self.conn.execute(sql)
        while rows := cur.fetchmany(batch):
            yield rows

    def close(self) -> None:
        self.conn.close()
        self.closed = True

    closed = False


def _conflict(exc: Exception, location: str) -> ConflictError | None:
    """A uniqueness violation or a busy file as the one line a user sees; ``None`` for other errors."""
    message = str(exc)
    if message.startswith("UNIQUE constraint failed"):
        return ConflictError(_("{location}: already stored (someone may have done the same at the same moment); nothing was changed ({detail})").format(location=location, detail=message))
    if "database is locked" in message:
        return ConflictError(_("{location}: another user or process is writing to the project; nothing was changed, try again").format(location=location))
    return None


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (our migrations contain no ';' in literals)."""
    statements = []
    for chunk in script.split(";"):
        lines = [ln for ln in chunk.splitlines() if not ln.strip().startswith("--")]
        statement = "\n".join(lines).strip()
        if statement:
            statements.append(statement)
    return statements
