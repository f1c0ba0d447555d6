"""SQL for media links: the path of a document's recording (the file itself is never stored)."""

from __future__ import annotations

from qualcode.models import MediaLink
from qualcode.store.db import Database, utc_now


class MediaStore:
    def __init__(self, db: Database):
        self.db = db

    def link(self, document_id: int, path: str, kind: str, actor: str) -> None:
        """Link (or re-link) a document to its recording."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO media_links (document_id, path, kind, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (document_id) DO UPDATE SET path = excluded.path, kind = excluded.kind,"
                " linked_by = excluded.linked_by, linked_at = excluded.linked_at",
                (document_id, path, kind, actor, utc_now()),
            )

    def unlink(self, document_id: int) -> bool:
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM media_links WHERE document_id = ?", (document_id,)).rowcount > 0

    def get(self, document_id: int) -> MediaLink | None:
        row = self.db.execute("SELECT * FROM media_links WHERE document_id = ?", (document_id,)).fetchone()
        return _link(row) if row else None

    def all(self) -> list[MediaLink]:
        return [_link(r) for r in self.db.execute("SELECT * FROM media_links ORDER BY document_id")]


def _link(row) -> MediaLink:
    return MediaLink(row["document_id"], row["path"], row["kind"], row["linked_by"], row["linked_at"])
