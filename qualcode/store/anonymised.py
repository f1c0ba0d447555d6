"""SQL for the anonymisation cache: anonymised documents and municipality pseudonyms.

The store knows nothing about detection: it keeps text and JSON under a
fingerprint computed by :mod:`qualcode.anonymise.cache`, and the pseudonym
key's hash after the last write. Rows are returned only for the fingerprint
and key hash asked for, so a stale row is never read; writing under a new
fingerprint or key hash drops every other row in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Mapping

from qualcode.store.db import Database, utc_now


@dataclass(frozen=True)
class CachedAnonymisation:
    """One document as the anonymiser left it (replacements and review as JSON lists)."""

    document_id: int
    text: str
    replacements_json: str
    review_json: str


class AnonymisedStore:
    def __init__(self, db: Database):
        self.db = db

    # -- what the cache depends on in the project file --------------------------
    def inputs_digest(self) -> str:
        """SHA-256 over everything stored that the anonymiser reads about the documents.

        Every document's id, content hash and metadata (its participant row),
        and each document's distinct speakers with their interviewer flag and
        role (the names the anonymiser learns from speaker labels). A new,
        removed or re-labelled document changes it.
        """
        digest = hashlib.sha256()
        for row in self.db.execute("SELECT id, content_hash, metadata_json FROM documents ORDER BY id"):
            digest.update(f"d\x1f{row[0]}\x1f{row[1]}\x1f{row[2]}\x1e".encode("utf-8"))
        for row in self.db.execute(
            "SELECT DISTINCT document_id, speaker, is_interviewer, coalesce(role, '') FROM turns"
            " ORDER BY document_id, speaker, is_interviewer, 4"
        ):
            digest.update(f"t\x1f{row[0]}\x1f{row[1]}\x1f{row[2]}\x1f{row[3]}\x1e".encode("utf-8"))
        return digest.hexdigest()

    # -- reading ----------------------------------------------------------------
    def is_current(self, fingerprint: str, key_hash: str) -> bool:
        """Whether the cache belongs to this fingerprint and the key file is as the cache left it."""
        row = self.db.execute("SELECT fingerprint, key_hash FROM anonymisation_state WHERE id = 1").fetchone()
        return row is not None and row[0] == fingerprint and row[1] == key_hash

    def documents(self, fingerprint: str, key_hash: str, document_ids: Iterable[int] | None = None) -> dict[int, CachedAnonymisation]:
        """The valid cached documents (all, or those of ``document_ids``), by document id."""
        if not self.is_current(fingerprint, key_hash):
            return {}
        sql = "SELECT document_id, text, replacements_json, review_json FROM anonymised_documents WHERE fingerprint = ?"
        rows = self.db.execute(sql, (fingerprint,)).fetchall()
        wanted = None if document_ids is None else set(document_ids)
        return {
            r[0]: CachedAnonymisation(r[0], r[1], r[2], r[3]) for r in rows if wanted is None or r[0] in wanted
        }

    def document(self, fingerprint: str, key_hash: str, document_id: int) -> CachedAnonymisation | None:
        if not self.is_current(fingerprint, key_hash):
            return None
        r = self.db.execute(
            "SELECT document_id, text, replacements_json, review_json FROM anonymised_documents"
            " WHERE document_id = ? AND fingerprint = ?",
            (document_id, fingerprint),
        ).fetchone()
        return CachedAnonymisation(r[0], r[1], r[2], r[3]) if r else None

    def labels(self, fingerprint: str, key_hash: str) -> dict[str, str | None]:
        if not self.is_current(fingerprint, key_hash):
            return {}
        rows = self.db.execute("SELECT name, label FROM anonymised_labels WHERE fingerprint = ?", (fingerprint,))
        return {r[0]: r[1] for r in rows}

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM anonymised_documents").fetchone()[0]

    # -- writing ----------------------------------------------------------------
    def save(
        self,
        fingerprint: str,
        key_hash_before: str,
        key_hash_after: str,
        documents: Iterable[CachedAnonymisation] = (),
        labels: Mapping[str, str | None] | None = None,
    ) -> None:
        """Store a batch in one transaction and record the key file's hash after it.

        Rows written under another fingerprint, or while the key file was not
        ``key_hash_before`` (edited by hand, or by a run whose write never
        got here), are dropped first: they may disagree with a fresh run.
        """
        now = utc_now()
        with self.db.transaction() as conn:
            state = conn.execute("SELECT fingerprint, key_hash FROM anonymisation_state WHERE id = 1").fetchone()
            if state is None or state[0] != fingerprint or state[1] != key_hash_before:
                conn.execute("DELETE FROM anonymised_documents")
                conn.execute("DELETE FROM anonymised_labels")
            for d in documents:
                conn.execute(
                    "INSERT OR REPLACE INTO anonymised_documents"
                    " (document_id, fingerprint, text, replacements_json, review_json, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (d.document_id, fingerprint, d.text, d.replacements_json, d.review_json, now),
                )
            for name, label in (labels or {}).items():
                conn.execute(
                    "INSERT OR REPLACE INTO anonymised_labels (name, fingerprint, label, created_at) VALUES (?, ?, ?, ?)",
                    (name, fingerprint, label, now),
                )
            conn.execute(
                "INSERT OR REPLACE INTO anonymisation_state (id, fingerprint, key_hash, updated_at) VALUES (1, ?, ?, ?)",
                (fingerprint, key_hash_after, now),
            )

    def clear(self) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM anonymised_documents")
            conn.execute("DELETE FROM anonymised_labels")
            conn.execute("DELETE FROM anonymisation_state")
