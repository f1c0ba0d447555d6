"""SQL for the project's codebook: codes, versions and the change log.

Minimal first version: the codebook issue extends this with refinement
operations (rename, move, merge, split, retire) and version migration.
"""

from __future__ import annotations

import json

from qualcode.store.db import Database, utc_now


class CodebookStore:
    def __init__(self, db: Database):
        self.db = db

    def ensure_code(self, code_id: str, name: str, parent_id: str | None = None, actor: str = "qualcode") -> None:
        """Create a code if it does not exist (used by tests and importers before the codebook module)."""
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM codes WHERE code_id = ?", (code_id,)).fetchone():
                return
            conn.execute(
                "INSERT INTO codes (code_id, parent_id, name) VALUES (?, ?, ?)",
                (code_id, parent_id, name),
            )
            conn.execute(
                "INSERT INTO codebook_changes (operation, code_id, details, changed_by, changed_at)"
                " VALUES ('add', ?, ?, ?, ?)",
                (code_id, json.dumps({"name": name, "parent_id": parent_id}, ensure_ascii=False), actor, utc_now()),
            )

    def code_ids(self, *, include_retired: bool = False) -> list[str]:
        sql = "SELECT code_id FROM codes"
        if not include_retired:
            sql += " WHERE status = 'active'"
        return [r[0] for r in self.db.execute(sql + " ORDER BY position, code_id")]
