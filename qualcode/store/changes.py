"""What changed in a project since a session last looked: the signal live widgets refresh on.

A marker is the highest id of the rows every change leaves behind: an event
for each coding created or decided, a row in the codebook's changelog, a memo.
It is read as the session's user, so on a server row-level security applies:
in blind mode a coder's marker moves only with codings that coder may see.

On a server, a listener waits on PostgreSQL's ``LISTEN`` (the triggers of
:mod:`qualcode.store.server` notify on every change) and the marker is read
only when something happened; a project file is polled.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from qualcode.store.server import CHANNEL


@dataclass(frozen=True)
class Marker:
    codings: int
    codebook: int
    memos: int

    def changed(self, before: "Marker | None") -> frozenset[str]:
        """Which kinds of thing changed since ``before`` ('codings', 'codebook', 'memos')."""
        if before is None:
            return frozenset()
        return frozenset(k for k in ("codings", "codebook", "memos") if getattr(self, k) != getattr(before, k))


def marker(db) -> Marker:
    row = db.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM coding_events),"
        " (SELECT coalesce(max(id), 0) FROM codebook_changes),"
        " (SELECT coalesce(max(id), 0) FROM memos)"
    ).fetchone()
    return Marker(int(row[0]), int(row[1]), int(row[2]))


class Listener:
    """Waits until the project may have changed: a notification on a server, the poll interval on a file."""

    def __init__(self, db):
        self._conn = None
        if db.dialect == "postgresql":
            import psycopg

            self._conn = psycopg.connect(db.url, autocommit=True)
            self._conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> None:
        if self._conn is None:
            time.sleep(timeout)
            return
        # Returns at the first notification (or after timeout, and then the marker is read anyway:
        # a notification sent while the listener reconnected is never missed for long).
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            break

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
