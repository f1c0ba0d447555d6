"""SQL for codings and their event history.

A coding is never deleted by a user action: status changes, recoding and
merging are recorded in ``coding_events`` so the history of every span stays
visible.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Iterable, Sequence

from qualcode.errors import ProjectError, UnknownCodeError
from qualcode.models import CODING_SOURCES, CODING_STATUSES, Coding, Turn
from qualcode.store.db import Database, utc_now
from qualcode.store.documents import turn_from_row


@dataclass(frozen=True)
class NewCoding:
    """A coding to insert (no id yet)."""

    document_id: int
    start: int
    end: int
    code_id: str
    coder: str
    status: str = "accepted"
    source: str = "human"
    score: float | None = None
    reason: str | None = None


class CodingStore:
    def __init__(self, db: Database):
        self.db = db
        # Blind mode: when set, every read shows only this coder's codings, so
        # coders working in one project do not see (and anchor on) each other's.
        self.blind_coder: str | None = None

    # -- writing ------------------------------------------------------------
    def add(
        self,
        document_id: int,
        start: int,
        end: int,
        code_id: str,
        coder: str,
        *,
        status: str = "accepted",
        source: str = "human",
        score: float | None = None,
        reason: str | None = None,
    ) -> int:
        return self.add_many(
            [NewCoding(document_id, start, end, code_id, coder, status, source, score, reason)]
        )[0]

    def add_many(self, codings: Iterable[NewCoding]) -> list[int]:
        """Insert codings in one transaction; all or none are stored. Returns their ids in order."""
        codings = list(codings)
        if not codings:
            return []
        now = utc_now()
        with self.db.transaction() as conn:
            lengths: dict[int, int] = {}
            known_codes: set[str] = set()
            for c in codings:
                self._validate(conn, c, lengths, known_codes)
            before = conn.execute("SELECT coalesce(max(id), 0) FROM codings").fetchone()[0]
            # One statement for all rows: storing a 2,000-interview study's
            # suggestions row by row spent more time in SQLite calls than in scoring.
            try:
                conn.executemany(
                    "INSERT INTO codings (document_id, start_char, end_char, code_id, coder,"
                    " status, source, score, reason, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(c.document_id, c.start, c.end, c.code_id, c.coder, c.status, c.source, c.score, c.reason, now)
                     for c in codings],
                )
            except sqlite3.IntegrityError as exc:
                raise _duplicate_suggestion(exc) from exc
            ids = list(range(before + 1, before + 1 + len(codings)))
            # SQLite gives each new row max(id) + 1 inside our write transaction;
            # check it did, rather than assume, before the ids are used.
            check = conn.execute("SELECT count(*), min(id), max(id) FROM codings WHERE id > ?", (before,)).fetchone()
            if tuple(check) != (len(ids), ids[0], ids[-1]):
                raise ProjectError("the project file assigned coding ids out of order; nothing was stored")
            conn.executemany(
                "INSERT INTO coding_events (coding_id, action, actor, at, details)"
                " VALUES (?, 'created', ?, ?, ?)",
                [(i, c.coder, now, json.dumps({"status": c.status})) for i, c in zip(ids, codings)],
            )
        return ids

    def _validate(self, conn: sqlite3.Connection, c: NewCoding, lengths: dict[int, int], known_codes: set[str]) -> None:
        if c.status not in CODING_STATUSES:
            raise ProjectError(f"unknown coding status {c.status!r}; use one of {', '.join(CODING_STATUSES)}")
        if c.source not in CODING_SOURCES:
            raise ProjectError(f"unknown coding source {c.source!r}; use one of {', '.join(CODING_SOURCES)}")
        if c.document_id not in lengths:
            row = conn.execute(
                "SELECT length(text) FROM documents WHERE id = ?", (c.document_id,)
            ).fetchone()
            if row is None:
                raise ProjectError(f"no document with id {c.document_id}")
            lengths[c.document_id] = row[0]
        if not 0 <= c.start < c.end <= lengths[c.document_id]:
            raise ProjectError(
                f"span {c.start}-{c.end} lies outside document {c.document_id}"
                f" (0-{lengths[c.document_id]})"
            )
        if c.code_id in known_codes:
            return
        if conn.execute("SELECT 1 FROM codes WHERE code_id = ?", (c.code_id,)).fetchone() is None:
            raise UnknownCodeError(f"unknown code id {c.code_id!r}: add it to the project's codebook first")
        known_codes.add(c.code_id)

    def decide(
        self,
        coding_id: int,
        status: str,
        actor: str,
        *,
        shown_score: float | None = None,
    ) -> None:
        """Accept or reject (or reopen) a coding, recording who, when and the score shown."""
        if status not in CODING_STATUSES:
            raise ProjectError(f"unknown coding status {status!r}")
        now = utc_now()
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT status, score FROM codings WHERE id = ?", (coding_id,)
            ).fetchone()
            if row is None:
                raise ProjectError(f"no coding with id {coding_id}")
            shown = shown_score if shown_score is not None else row["score"]
            try:
                conn.execute(
                    "UPDATE codings SET status = ?, decided_by = ?, decided_at = ?, shown_score = ?"
                    " WHERE id = ?",
                    (status, actor, now, shown, coding_id),
                )
            except sqlite3.IntegrityError as exc:
                raise _duplicate_suggestion(exc) from exc
            self._event(conn, coding_id, "status", actor, now, {"from": row["status"], "to": status})

    def recode(self, coding_id: int, code_id: str, actor: str, *, operation: str = "recode") -> None:
        now = utc_now()
        with self.db.transaction() as conn:
            row = conn.execute("SELECT code_id FROM codings WHERE id = ?", (coding_id,)).fetchone()
            if row is None:
                raise ProjectError(f"no coding with id {coding_id}")
            conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (code_id, coding_id))
            self._event(conn, coding_id, operation, actor, now, {"from": row["code_id"], "to": code_id})

    def respan(self, coding_id: int, start: int, end: int, actor: str) -> None:
        """Move a coding to another span of its document (event 'span' keeps the old one)."""
        now = utc_now()
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT c.start_char, c.end_char, length(d.text) FROM codings c JOIN documents d ON d.id = c.document_id"
                " WHERE c.id = ?", (coding_id,)
            ).fetchone()
            if row is None:
                raise ProjectError(f"no coding with id {coding_id}")
            if not 0 <= start < end <= row[2]:
                raise ProjectError(f"span {start}-{end} lies outside the coding's document (0-{row[2]})")
            conn.execute("UPDATE codings SET start_char = ?, end_char = ? WHERE id = ?", (start, end, coding_id))
            self._event(conn, coding_id, "span", actor, now, {"from": [row[0], row[1]], "to": [start, end]})

    def set_status_bulk(self, coding_ids: Sequence[int], status: str, actor: str, action: str) -> None:
        now = utc_now()
        with self.db.transaction() as conn:
            for cid in coding_ids:
                row = conn.execute("SELECT status FROM codings WHERE id = ?", (cid,)).fetchone()
                conn.execute("UPDATE codings SET status = ? WHERE id = ?", (status, cid))
                self._event(conn, cid, action, actor, now, {"from": row["status"], "to": status})

    @staticmethod
    def _event(conn, coding_id: int, action: str, actor: str, at: str, details: dict) -> None:
        conn.execute(
            "INSERT INTO coding_events (coding_id, action, actor, at, details) VALUES (?, ?, ?, ?, ?)",
            (coding_id, action, actor, at, json.dumps(details, ensure_ascii=False)),
        )

    # -- reading ------------------------------------------------------------
    def get(self, coding_id: int) -> Coding:
        row = self.db.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
        if row is None or (self.blind_coder is not None and row["coder"] != self.blind_coder):
            raise KeyError(coding_id)
        return _coding(row)

    def query(
        self,
        *,
        document_id: int | None = None,
        code_id: str | Sequence[str] | None = None,
        coder: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        source: str | Sequence[str] | None = None,
    ) -> list[Coding]:
        where, params = self._where(document_id=document_id, code_id=code_id, coder=coder, status=status, source=source)
        sql = f"SELECT * FROM codings{where} ORDER BY document_id, start_char, id"
        return [_coding(r) for r in self.db.execute(sql, params)]

    def status_counts(
        self,
        *,
        code_id: str | Sequence[str] | None = None,
        coder: str | Sequence[str] | None = None,
        source: str | Sequence[str] | None = None,
    ) -> dict[str, int]:
        """How many codings (filtered as :meth:`query`) have each status, counted in SQL.

        A study of 2,000 interviews stores millions of suggestions; building a
        Coding for each only to count them took gigabytes.
        """
        where, params = self._where(code_id=code_id, coder=coder, source=source)
        rows = self.db.execute(f"SELECT status, count(*) FROM codings{where} GROUP BY status", params)
        return {r[0]: r[1] for r in rows}

    def with_turns(
        self,
        *,
        code_id: str | Sequence[str] | None = None,
        coder: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        source: str | Sequence[str] | None = None,
    ) -> list[tuple[Coding, Turn | None]]:
        """Codings (filtered as :meth:`query`) with the turn each one starts in.

        The turn is found in SQL by the coding's start offset (an index
        look-up), so listing one code's quotes never reads the other turns or
        the text of the documents involved. A coding that starts in the gap
        before a turn's text (its speaker label) belongs to the next turn.
        """
        where, params = self._where(code_id=code_id, coder=coder, status=status, source=source, table="c")
        turn_columns = "idx, speaker, start_char, end_char, start_time, is_interviewer, role, participant_id, end_time"
        sql = (
            f"SELECT c.*, {', '.join(f'p.{x} AS p_{x}' for x in turn_columns.split(', '))},"
            f" {', '.join(f'n.{x} AS n_{x}' for x in turn_columns.split(', '))}"
            " FROM (SELECT c.*,"
            "  (SELECT id FROM turns t WHERE t.document_id = c.document_id AND t.start_char <= c.start_char"
            "   ORDER BY t.start_char DESC, t.idx DESC LIMIT 1) AS prev_turn,"
            "  (SELECT id FROM turns t WHERE t.document_id = c.document_id AND t.start_char > c.start_char"
            "   ORDER BY t.start_char, t.idx LIMIT 1) AS next_turn"
            f"  FROM codings c{where}) c"
            " LEFT JOIN turns p ON p.id = c.prev_turn LEFT JOIN turns n ON n.id = c.next_turn"
            " ORDER BY c.document_id, c.start_char, c.id"
        )
        out = []
        for row in self.db.execute(sql, params):
            coding = _coding(row)
            before, after = turn_from_row(row, "p_"), turn_from_row(row, "n_")
            if before is None or (coding.start >= before.end and after is not None):
                before = after
            out.append((coding, before))
        return out

    def overlapped_segments(
        self,
        unit: str,
        *,
        document_id: int | None = None,
        code_id: str | Sequence[str] | None = None,
        coder: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        min_score: float | None = None,
    ) -> set[int]:
        """Ids of the ``unit`` segments that a coding matching the filters overlaps.

        Segments of one unit never overlap each other, so a coding can only
        overlap the last segment starting at or before it and those starting
        inside it: two index look-ups per coding, whatever the corpus size.
        """
        where, params = self._where(document_id=document_id, code_id=code_id, coder=coder, status=status, table="c")
        if min_score is not None:
            where += (" AND " if where else " WHERE ") + "c.score >= ?"
            params = [*params, min_score]
        sql = (
            "SELECT s.id FROM codings c JOIN segments s ON s.id = ("
            "  SELECT x.id FROM segments x WHERE x.document_id = c.document_id AND x.unit = ?"
            "  AND x.start_char <= c.start_char ORDER BY x.start_char DESC LIMIT 1)"
            f" AND s.end_char > c.start_char{where}"
            " UNION"
            " SELECT s.id FROM codings c JOIN segments s ON s.document_id = c.document_id AND s.unit = ?"
            f" AND s.start_char > c.start_char AND s.start_char < c.end_char{where}"
        )
        return {r[0] for r in self.db.execute(sql, [unit, *params, unit, *params])}

    def _where(self, *, table: str | None = None, **filters) -> tuple[str, list]:
        """A WHERE clause (with a leading space, or empty) for the filters, blind mode included."""
        prefix = f"{table}." if table else ""
        clauses, params = [], []
        if self.blind_coder is not None:
            clauses.append(f"{prefix}coder = ?")
            params.append(self.blind_coder)
        for column, value in filters.items():
            if value is None:
                continue
            if isinstance(value, (list, tuple, set, frozenset)):
                values = list(value)
                clauses.append(f"{prefix}{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
            else:
                clauses.append(f"{prefix}{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def overlapping(
        self,
        document_id: int,
        start: int,
        end: int,
        *,
        status: str | Sequence[str] | None = None,
        coder: str | None = None,
    ) -> list[Coding]:
        """Codings of a document whose span overlaps [start, end)."""
        sql = "SELECT * FROM codings WHERE document_id = ? AND start_char < ? AND end_char > ?"
        params: list = [document_id, end, start]
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            sql += f" AND status IN ({', '.join('?' * len(statuses))})"
            params.extend(statuses)
        for who in (coder, self.blind_coder):
            if who is not None:
                sql += " AND coder = ?"
                params.append(who)
        return [_coding(r) for r in self.db.execute(sql + " ORDER BY score DESC, id", params)]

    def events(self, coding_id: int) -> list[dict]:
        return [
            {**dict(r), "details": json.loads(r["details"])}
            for r in self.db.execute(
                "SELECT * FROM coding_events WHERE coding_id = ? ORDER BY id", (coding_id,)
            )
        ]

    def coders(self) -> list[str]:
        if self.blind_coder is not None:
            return [self.blind_coder]
        return [r[0] for r in self.db.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]


def _duplicate_suggestion(exc: sqlite3.IntegrityError) -> ProjectError:
    if "codings_one_open_suggestion" in str(exc) or "codings.document_id" in str(exc):
        return ProjectError("the same code is already suggested for this span and coder; nothing was stored")
    return ProjectError(f"the coding cannot be stored ({exc})")


def _coding(row) -> Coding:
    return Coding(
        id=row["id"],
        document_id=row["document_id"],
        start=row["start_char"],
        end=row["end_char"],
        code_id=row["code_id"],
        coder=row["coder"],
        status=row["status"],
        source=row["source"],
        score=row["score"],
        created_at=row["created_at"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        shown_score=row["shown_score"],
        reason=row["reason"],
    )
