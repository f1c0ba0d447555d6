"""Connection handling and migrations for the single-file SQLite project."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from qualcode.errors import ProjectError
from qualcode.i18n import N_, format_number, gettext as _
from qualcode.store.migrations import MIGRATIONS, Migration

APPLICATION_ID = 0x51434F44  # "QCOD": marks a file as a qualcode project
READ_ONLY = N_("the project file is read-only; this command would change it")


def utc_now() -> str:
    """Timestamps are stored as ISO 8601 UTC strings with seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# How long a command waits for another program (a second coder's notebook, a
# running import) to finish writing before it gives up with one line.
BUSY_TIMEOUT_SECONDS = 30.0


def busy_timeout() -> float:
    """Seconds to wait for the write lock: QUALCODE_BUSY_TIMEOUT, else :data:`BUSY_TIMEOUT_SECONDS`."""
    try:
        return max(0.0, float(os.environ.get("QUALCODE_BUSY_TIMEOUT", BUSY_TIMEOUT_SECONDS)))
    except ValueError:
        return BUSY_TIMEOUT_SECONDS


class Database:
    """An open project file.

    Every user action runs in its own transaction (:meth:`transaction`), so an
    error leaves the file exactly as it was before the action.

    ``read_only``: open the file for reading only (commands that only read use
    this), so a project on a read-only disk or shared read-only can be read,
    and any write is refused with a "read-only" error. ``create``: make the
    file when it is missing. The schema is only ever created in a file that is
    new or has no bytes at all: an SQLite file of another program is never taken over.
    """

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False):
        self.path = Path(path) if str(path) != ":memory:" else None
        self.read_only = read_only and self.path is not None
        fresh = self.path is None  # an in-memory project is always new
        if self.path is not None:
            if self.path.is_dir():
                raise ProjectError(_("{path}: is a folder, not a project file").format(path=path))
            exists = self.path.exists()
            if not exists and (not create or self.read_only):
                raise ProjectError(_("{path}: no such project file").format(path=path))
            fresh = not exists or self.path.stat().st_size == 0
            if fresh and (not create or self.read_only):
                raise ProjectError(_("{path}: is empty, not a qualcode project file").format(path=path))
            if not exists:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise ProjectError(f"{path}: " + _("cannot create the project file ({reason})").format(
                        reason=exc.strerror or exc)) from None
            if not self.read_only and not may_write(self.path):
                # Said before SQLite tries: it would fail later, as "unable to open database file".
                raise ProjectError(f"{path}: " + (_(READ_ONLY) if exists else _("cannot create the project file (the folder may not be written)")))
        self._depth = 0
        self.conn = _connect_sqlite(self.path, self.read_only)
        try:
            self._check_file(fresh)
            if self.read_only:
                self._check_schema_readable()
            else:
                _configure_sqlite(self.conn)
                self.migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise _project_error(exc, self.path, _("not a qualcode project file ({reason})")) from exc
        except BaseException:
            self.conn.close()
            raise

    def _check_file(self, fresh: bool) -> None:
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id == APPLICATION_ID:
            return
        tables = self.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
        if app_id == 0 and tables == 0 and fresh:
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        else:
            raise ProjectError(_("{path}: is an SQLite file but not a qualcode project").format(path=self.path))

    def _check_schema_readable(self) -> None:
        """A read-only open cannot migrate: upgrade the file first if it is writable, else say why not."""
        pending = {m.id for m in MIGRATIONS} - set(self.applied_migrations())
        if not pending:
            return
        try:
            Database(self.path, create=False).close()  # upgrades in one transaction, as any writer would
        except ProjectError as exc:
            raise ProjectError(_("{path}: was written by an older qualcode and cannot be upgraded while it is read-only ({reason})").format(
                path=self.path, reason=exc)) from None
        self.conn.close()
        self.conn = _connect_sqlite(self.path, True)

    # -- migrations ---------------------------------------------------------
    def applied_migrations(self) -> list[int]:
        exists = self.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return []
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
        if not done:
            with self.transaction():
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
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
        """One user action. Nested calls join the outer transaction.

        A busy or read-only file becomes a :class:`ProjectError` saying so, after the rollback.
        """
        if self.read_only:
            raise ProjectError(_("{path}: the project file is open read-only; this would change it").format(path=self.path))
        if self._depth == 0:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _project_error(exc, self.path) from exc
        self._depth += 1
        try:
            yield self.conn
        except BaseException as exc:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise _project_error(exc, self.path) from exc
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    self.conn.execute("ROLLBACK")
                    raise _project_error(exc, self.path) from exc

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def copy_to(self, path: str | Path) -> None:
        """A consistent copy of the whole project in a new file (SQLite's online backup; works read-only too)."""
        target = sqlite3.connect(str(path))
        try:
            self.conn.backup(target)
        finally:
            target.close()

    def close(self) -> None:
        self.conn.close()


def may_write(path: Path) -> bool:
    """The file (when it exists) and its folder, where the journal is kept, may be written."""
    return (not path.exists() or os.access(path, os.W_OK)) and os.access(path.parent, os.W_OK)


# -- SQLite specifics: the connection, its settings, its error codes -------------------
def _connect_sqlite(path: Path | None, read_only: bool) -> sqlite3.Connection:
    """The SQLite connection: autocommit (we issue BEGIN/COMMIT ourselves, so the transaction
    boundaries are exactly the user actions) with a busy timeout; read-only through a URI."""
    try:
        if path is None:
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        elif read_only and may_write(path):
            # An ordinary connection that refuses writes: unlike mode=ro it tidies up the WAL
            # files on close, so reading a project leaves nothing beside it.
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=busy_timeout())
            conn.execute("PRAGMA query_only = ON")
        elif read_only:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=False, timeout=busy_timeout())
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                conn.close()
                conn = _connect_immutable(path)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=busy_timeout())
    except sqlite3.DatabaseError as exc:
        raise _project_error(exc, path, _("not a qualcode project file ({reason})")) from exc
    conn.row_factory = sqlite3.Row
    return conn


def _connect_immutable(path: Path) -> sqlite3.Connection:
    """A WAL project in a folder nobody may write to: SQLite cannot make the shared-memory
    file it reads through, so read the file as immutable, which is exact when no WAL is left."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ProjectError(_("{path}: read-only, and its last changes are still in {wal}; open it once where it may be written").format(
            path=path, wal=wal.name))
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None,
                           check_same_thread=False)


def _configure_sqlite(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


def _project_error(exc: sqlite3.DatabaseError, path: Path | None, fallback: str | None = None) -> ProjectError:
    """One line for what SQLite reports: busy, read-only, cannot open, full; else ``fallback``."""
    code = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        problem = _("another program is using the project file (waited {seconds} s); try again when it has finished").format(
            seconds=format_number(busy_timeout()))
    elif code.startswith("SQLITE_READONLY") or "readonly database" in text:
        problem = _(READ_ONLY)
    elif code.startswith("SQLITE_CANTOPEN") or "unable to open database file" in text:
        problem = _("cannot open the project file (the folder is missing or may not be written)")
    elif code.startswith("SQLITE_FULL") or "database or disk is full" in text:
        problem = _("the disk is full; nothing was changed")
    elif fallback is not None:
        problem = fallback.format(reason=text)
    else:
        problem = text
    return ProjectError(f"{path or ':memory:'}: {problem}")


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (our migrations contain no ';' in literals)."""
    statements = []
    for chunk in script.split(";"):
        lines = [ln for ln in chunk.splitlines() if not ln.strip().startswith("--")]
        statement = "\n".join(lines).strip()
        if statement:
            statements.append(statement)
    return statements
