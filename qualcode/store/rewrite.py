"""SQL that rewrites a copy of a project in place: the anonymised copy a whole-document export is made from.

Used only on a temporary copy (:mod:`qualcode.anonymise.project_copy`), never on
a user's project: it replaces texts, names and metadata and moves every span
(turns, codings, memos) through an offset map. Segments are dropped (no export
reads them) and so is the anonymisation cache (it described the original texts).
"""

from __future__ import annotations

import json
from typing import Callable

from qualcode.store.db import Database
from qualcode.text import content_hash

Span = Callable[[int, int], tuple[int, int]]


class CopyRewriter:
    def __init__(self, db: Database):
        self.db = db

    def clear_derived(self) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM segments")
            for table in ("anonymised_documents", "anonymised_labels", "anonymisation_state"):
                conn.execute(f"DELETE FROM {table}")

    def rewrite_document(self, document_id: int, *, name: str, text: str, metadata: dict[str, str], span: Span,
                         label: Callable[[str], str], participant: Callable[[str | None], str | None]) -> None:
        """A document's new name, text and metadata, and its turns, codings and memos moved by ``span``."""
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE documents SET name = ?, source_path = '', text = ?, content_hash = ?, metadata_json = ? WHERE id = ?",
                (name, text, content_hash(text), json.dumps(metadata, ensure_ascii=False, sort_keys=True), document_id),
            )
            turns = conn.execute("SELECT id, start_char, end_char, speaker, participant_id FROM turns WHERE document_id = ?",
                                 (document_id,)).fetchall()
            for r in turns:
                start, end = span(r[1], r[2])
                conn.execute("UPDATE turns SET start_char = ?, end_char = ?, speaker = ?, participant_id = ? WHERE id = ?",
                             (start, end, label(r[3]), participant(r[4]), r[0]))
            for r in conn.execute("SELECT id, start_char, end_char FROM codings WHERE document_id = ?", (document_id,)).fetchall():
                start, end = span(r[1], r[2])
                conn.execute("UPDATE codings SET start_char = ?, end_char = ? WHERE id = ?", (start, end, r[0]))
            rows = conn.execute("SELECT id, start_char, end_char FROM memos WHERE document_id = ? AND start_char IS NOT NULL"
                                " AND end_char IS NOT NULL", (document_id,)).fetchall()
            for r in rows:
                start, end = span(r[1], r[2])
                conn.execute("UPDATE memos SET start_char = ?, end_char = ? WHERE id = ?", (start, end, r[0]))

    def rewrite_free_text(self, anonymise: Callable[[str], str]) -> None:
        """Memos, case names and values, and the project's description: text people wrote, anonymised."""
        with self.db.transaction() as conn:
            for r in conn.execute("SELECT id, text, title, description FROM memos").fetchall():
                conn.execute("UPDATE memos SET text = ?, title = ?, description = ? WHERE id = ?",
                             (anonymise(r[1]), _maybe(anonymise, r[2]), _maybe(anonymise, r[3]), r[0]))
            for r in conn.execute("SELECT id, name, description, values_json FROM cases").fetchall():
                values = {k: anonymise(str(v)) for k, v in json.loads(r[3] or "{}").items()}
                conn.execute("UPDATE cases SET name = ?, description = ?, values_json = ? WHERE id = ?",
                             (anonymise(r[1]), anonymise(r[2] or ""), json.dumps(values, ensure_ascii=False), r[0]))
            row = conn.execute("SELECT value FROM settings WHERE key = 'refi.description'").fetchone()
            if row is not None:
                conn.execute("UPDATE settings SET value = ? WHERE key = 'refi.description'", (anonymise(row[0]),))


def _maybe(fn: Callable[[str], str], value: str | None) -> str | None:
    return fn(value) if value else value
