"""SQL for memos."""

from __future__ import annotations

from qualcode.models import Memo
from qualcode.store.db import Database, utc_now


class MemoStore:
    def __init__(self, db: Database):
        self.db = db

    def add(
        self,
        author: str,
        text: str,
        *,
        document_id: int | None = None,
        start: int | None = None,
        end: int | None = None,
        code_id: str | None = None,
        coding_id: int | None = None,
    ) -> int:
        with self.db.transaction() as conn:
            memo_id = conn.execute(
                "INSERT INTO memos (author, text, created_at, document_id, start_char, end_char,"
                " code_id, coding_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (author, text, utc_now(), document_id, start, end, code_id, coding_id),
            ).fetchone()[0]
        return memo_id

    def query(self, *, document_id: int | None = None, code_id: str | None = None,
              coding_id: int | None = None) -> list[Memo]:
        clauses, params = [], []
        for column, value in (("document_id", document_id), ("code_id", code_id), ("coding_id", coding_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM memos" + (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY id"
        return [
            Memo(
                id=r["id"], author=r["author"], text=r["text"], created_at=r["created_at"],
                document_id=r["document_id"], start=r["start_char"], end=r["end_char"],
                code_id=r["code_id"], coding_id=r["coding_id"],
            )
            for r in self.db.execute(sql, params)
        ]
