"""Copying a whole project between a file and a server: ``qualcode server push`` and ``pull``.

Every table the migrations created is copied row by row with all its
columns, in the order the migrations created them, inside one transaction on
the receiving side with foreign keys checked at commit; ids are kept, so
codings, their events, memos and codebook versions point where they did. A
table a later migration adds is copied without a change here. Two tables are
not copied as rows:

- ``schema_migrations``: each side records its own migrations; both must be
  at the same schema.
- ``pseudonym_key``: a project file keeps its key in a file beside it and
  never inside (a snapshot may be delivered), so push reads that file into the
  server's table and pull writes it back beside the snapshot (0600). The bytes
  are kept exactly, so the anonymisation cache (which records the key's hash)
  stays valid on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _

NOT_COPIED = ("schema_migrations", "pseudonym_key")
KEY_TABLE = "pseudonym_key"


@dataclass(frozen=True)
class CopyReport:
    rows: tuple[tuple[str, int], ...]  # (table, rows copied), in copy order

    def count(self, table: str) -> int:
        return dict(self.rows).get(table, 0)


def copied_tables(db) -> list[str]:
    return [t for t in db.tables() if t not in NOT_COPIED]


def copy_project(source, target) -> CopyReport:
    """Copy every table of ``source`` into the empty project ``target`` (two open databases)."""
    if source.applied_migrations() != target.applied_migrations():
        raise ProjectError(_("{target}: is at schema {theirs}, {source} at {ours}: open both with this qualcode (a server is upgraded with 'qualcode server init') first").format(
            target=target.location, source=source.location,
            theirs=max(target.applied_migrations(), default=0), ours=max(source.applied_migrations(), default=0)))
    tables = copied_tables(source)
    missing = [t for t in tables if t not in set(target.tables())]
    if missing:
        raise ProjectError(_("{target}: has no table {table}").format(target=target.location, table=missing[0]))
    rows: list[tuple[str, int]] = []
    with target.transaction() as conn:
        target.lock("copy")  # two pushes at once: the second finds the first's rows
        for table in tables + [KEY_TABLE]:
            if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
                raise ProjectError(_("{target}: is not empty (table {table} has rows): push and pull only into a new project").format(
                    target=target.location, table=table))
        target.defer_foreign_keys()
        for table in tables:
            columns = _columns(source, table)
            n = 0
            for batch in source.read_rows(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {source.row_order(table)}"):
                target.insert_rows(conn, table, columns, batch)
                n += len(batch)
            rows.append((table, n))
        target.after_bulk_copy()
    return CopyReport(tuple(rows))


def _columns(db, table: str) -> list[str]:
    cur = db.execute(f"SELECT * FROM {table} LIMIT 0")
    return [d[0] for d in cur.description]


__all__ = ["CopyReport", "NOT_COPIED", "copied_tables", "copy_project"]
