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
    """One document as the anonymiser left it.

    ``offsets_json`` is the flat int list ``start, end, new_start, new_end``
    of every replacement (what cutting a quote needs, with
    ``original_length``); replacements and review are the full JSON lists.
    """

    document_id: int
    text: str
    original_length: int
    offsets_json: str
    replacements_json: str
    review_json: str


@dataclass(frozen=True)
class CachedOffsets:
    """What cutting quotes from a cached document needs besides its text: a few ints per replacement."""

    document_id: int
    original_length: int
    offsets_json: str


# Ids per IN (...) list: well under SQLite's smallest limit on bound parameters (999).
_CHUNK = 500
_COLUMNS = "document_id, text, original_length, offsets_json, replacements_json, review_json"
# A row is read only while the cache's state is the one the reader checked: one statement, one
# snapshot, so a quote never mixes an offset map with a text another process rewrote meanwhile.
_VALID = (
    " FROM anonymised_documents d JOIN anonymisation_state s ON s.id = 1"
    " WHERE d.fingerprint = ? AND s.fingerprint = d.fingerprint AND s.key_hash = ?"
)


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
        # GROUP BY the raw columns reads the covering index turns_by_speaker in order, without
        # a sort (coalescing the role, as before, forced one over every turn: 5x slower).
        speakers = self.db.execute(
            "SELECT document_id, speaker, is_interviewer, role FROM turns"
            " GROUP BY document_id, speaker, is_interviewer, role"
            " ORDER BY document_id, speaker, is_interviewer, role"
        ).fetchall()
        # Sorted again here as SQLite's binary collation does (code points, NULL first): a server's
        # collation may order names otherwise, and a pushed project's cache must stay valid.
        speakers.sort(key=lambda r: (r[0], r[1], r[2], r[3] is not None, r[3] or ""))
        for row in speakers:
            digest.update(f"t\x1f{row[0]}\x1f{row[1]}\x1f{row[2]}\x1f{row[3]}\x1e".encode("utf-8"))
        return digest.hexdigest()

    # -- reading ----------------------------------------------------------------
    def is_current(self, fingerprint: str, key_hash: str) -> bool:
        """Whether the cache belongs to this fingerprint and the key file is as the cache left it."""
        row = self.db.execute("SELECT fingerprint, key_hash FROM anonymisation_state WHERE id = 1").fetchone()
        return row is not None and row[0] == fingerprint and row[1] == key_hash

    def documents(self, fingerprint: str, key_hash: str, document_ids: Iterable[int] | None = None) -> dict[int, CachedAnonymisation]:
        """The valid cached documents (all, or those of ``document_ids``), by document id."""
        sql = "SELECT " + ", ".join(f"d.{c}" for c in _COLUMNS.split(", ")) + _VALID
        return {
            r[0]: CachedAnonymisation(*r) for r in self._rows(sql, (fingerprint, key_hash), document_ids)
        }

    def offsets(self, fingerprint: str, key_hash: str, document_ids: Iterable[int] | None = None) -> dict[int, CachedOffsets]:
        """The offset maps of the valid cached documents (all, or those of ``document_ids``), without texts."""
        sql = "SELECT d.document_id, d.original_length, d.offsets_json" + _VALID
        return {r[0]: CachedOffsets(*r) for r in self._rows(sql, (fingerprint, key_hash), document_ids)}

    def _rows(self, sql: str, params: tuple, document_ids: Iterable[int] | None) -> list:
        if document_ids is None:
            return self.db.execute(sql, params).fetchall()
        ids = list(dict.fromkeys(document_ids))
        rows = []
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows += self.db.execute(f"{sql} AND d.document_id IN ({marks})", (*params, *chunk)).fetchall()
        return rows

    def document(self, fingerprint: str, key_hash: str, document_id: int) -> CachedAnonymisation | None:
        return self.documents(fingerprint, key_hash, [document_id]).get(document_id)

    def text_slice(self, fingerprint: str, key_hash: str, document_id: int, start: int, end: int) -> str | None:
        """``text[start:end]`` of a valid cached document, cut in SQL; ``None`` when it is not (or no longer) valid."""
        row = self.db.execute(
            "SELECT substr(d.text, ?, ?)" + _VALID + " AND d.document_id = ?",
            (start + 1, max(end - start, 0), fingerprint, key_hash, document_id),
        ).fetchone()
        return row[0] if row is not None else None

    def text(self, fingerprint: str, key_hash: str, document_id: int) -> str | None:
        """The whole anonymised text of a valid cached document, or ``None``."""
        row = self.db.execute(
            "SELECT d.text" + _VALID + " AND d.document_id = ?", (fingerprint, key_hash, document_id)
        ).fetchone()
        return row[0] if row is not None else None

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
            self.db.lock("anonymisation")
            state = conn.execute("SELECT fingerprint, key_hash FROM anonymisation_state WHERE id = 1").fetchone()
            if state is None or state[0] != fingerprint or state[1] != key_hash_before:
                conn.execute("DELETE FROM anonymised_documents")
                conn.execute("DELETE FROM anonymised_labels")
            for d in documents:
                conn.execute(
                    "INSERT INTO anonymised_documents"
                    " (document_id, fingerprint, text, original_length, offsets_json, replacements_json,"
                    " review_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (document_id) DO UPDATE SET fingerprint = excluded.fingerprint,"
                    " text = excluded.text, original_length = excluded.original_length,"
                    " offsets_json = excluded.offsets_json, replacements_json = excluded.replacements_json,"
                    " review_json = excluded.review_json, created_at = excluded.created_at",
                    (d.document_id, fingerprint, d.text, d.original_length, d.offsets_json,
                     d.replacements_json, d.review_json, now),
                )
            for name, label in (labels or {}).items():
                conn.execute(
                    "INSERT INTO anonymised_labels (name, fingerprint, label, created_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, label = excluded.label,"
                    " created_at = excluded.created_at",
                    (name, fingerprint, label, now),
                )
            conn.execute(
                "INSERT INTO anonymisation_state (id, fingerprint, key_hash, updated_at) VALUES (1, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, key_hash = excluded.key_hash,"
                " updated_at = excluded.updated_at",
                (fingerprint, key_hash_after, now),
            )
