"""SQL for team work: copying codings between projects (and from other tools) verbatim.

Merging projects and importing REFI-QDA files must keep a coding exactly as
its coder left it (status, who decided and when, the score shown), so they
cannot go through :meth:`CodingStore.add_many`, which records a new coding
made now. A copied coding keeps the events it had where it came from, and
gets one more ``coding_events`` row saying where it came from, so its history
stays whole and traceable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from qualcode.errors import ProjectError
from qualcode.models import CODING_SOURCES, CODING_STATUSES
from qualcode.store.db import Database, utc_now


@dataclass(frozen=True)
class CopiedCoding:
    """A coding to store as it was elsewhere (another project, another tool)."""

    document_id: int
    start: int
    end: int
    code_id: str
    coder: str
    status: str
    source: str
    created_at: str
    score: float | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    shown_score: float | None = None
    origin: str = ""  # where it came from, for the event log
    # Its events where it came from (action, actor, at, details as JSON), oldest first: copied
    # before the copy's own event, so a merged coding keeps who created and decided it, and when.
    history: tuple[tuple[str, str, str, str], ...] = ()


class TeamStore:
    def __init__(self, db: Database):
        self.db = db

    def copy_codings(self, codings: Iterable[CopiedCoding], action: str, actor: str) -> list[int]:
        """Insert codings with their original fields in one transaction; all or none are stored."""
        ids: list[int] = []
        now = utc_now()
        with self.db.transaction() as conn:
            lengths: dict[int, int] = {}
            for c in codings:
                if c.status not in CODING_STATUSES or c.source not in CODING_SOURCES:
                    raise ProjectError(f"coding with status {c.status!r} and source {c.source!r} cannot be stored")
                if c.document_id not in lengths:
                    row = conn.execute("SELECT length(text) FROM documents WHERE id = ?", (c.document_id,)).fetchone()
                    if row is None:
                        raise ProjectError(f"no document with id {c.document_id}")
                    lengths[c.document_id] = row[0]
                if not 0 <= c.start < c.end <= lengths[c.document_id]:
                    raise ProjectError(
                        f"span {c.start}-{c.end} lies outside document {c.document_id} (0-{lengths[c.document_id]})"
                    )
                if conn.execute("SELECT 1 FROM codes WHERE code_id = ?", (c.code_id,)).fetchone() is None:
                    raise ProjectError(f"unknown code id {c.code_id!r}: add it to the project's codebook first")
                cur = conn.execute(
                    "INSERT INTO codings (document_id, start_char, end_char, code_id, coder, status, source,"
                    " score, reason, created_at, decided_by, decided_at, shown_score)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (c.document_id, c.start, c.end, c.code_id, c.coder, c.status, c.source, c.score,
                     c.reason, c.created_at, c.decided_by, c.decided_at, c.shown_score),
                )
                ids.append(cur.lastrowid)
                events = [*c.history, (action, actor, now, json.dumps({"status": c.status, "from": c.origin}, ensure_ascii=False))]
                conn.executemany(
                    "INSERT INTO coding_events (coding_id, action, actor, at, details) VALUES (?, ?, ?, ?, ?)",
                    [(cur.lastrowid, *event) for event in events],
                )
        return ids

    def histories(self) -> dict[int, tuple[tuple[str, str, str, str], ...]]:
        """Every coding's events (action, actor, at, details JSON) in order, read in one query."""
        out: dict[int, list[tuple[str, str, str, str]]] = {}
        for r in self.db.execute("SELECT coding_id, action, actor, at, details FROM coding_events ORDER BY coding_id, id"):
            out.setdefault(r[0], []).append((r[1], r[2], r[3], r[4]))
        return {k: tuple(v) for k, v in out.items()}

    def coding_exists(self, document_id: int, start: int, end: int, code_id: str, coder: str, source: str) -> bool:
        """Is this exact coding already stored? Keeps a repeated merge or import from duplicating."""
        return self.find_coding(document_id, start, end, code_id, coder, source) is not None

    def find_coding(self, document_id: int, start: int, end: int, code_id: str, coder: str, source: str) -> int | None:
        """The id of this exact coding (span, code, coder and source), or ``None``."""
        row = self.db.execute(
            "SELECT id FROM codings WHERE document_id = ? AND start_char = ? AND end_char = ?"
            " AND code_id = ? AND coder = ? AND source = ? ORDER BY id LIMIT 1",
            (document_id, start, end, code_id, coder, source),
        ).fetchone()
        return None if row is None else int(row[0])
