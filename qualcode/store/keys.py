"""SQL for the pseudonym key of a project on a server (migration 9's ``pseudonym_key``).

A project file keeps its key in a file beside it (:mod:`qualcode.anonymise.key`);
a server has no "beside", so the key is one row here, readable whole only by
leads (:mod:`qualcode.store.server`). Its SHA-256 is stored with it, readable
by everyone in the project: the anonymisation cache records that hash, so a
reader can tell the cache is current without seeing the key.
"""

from __future__ import annotations

import hashlib

from qualcode.store.db import utc_now


def text_hash(text: str) -> str:
    """What :func:`qualcode.anonymise.cache.key_hash` computes of a key file holding ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class KeyStore:
    def __init__(self, db):
        self.db = db

    @property
    def location(self) -> str:
        return f"{self.db.location} (pseudonym_key)"

    def digest(self) -> str | None:
        row = self.db.execute("SELECT key_hash FROM pseudonym_key WHERE id = 1").fetchone()
        return row[0] if row is not None else None

    def load(self) -> str | None:
        row = self.db.execute("SELECT key_json FROM pseudonym_key WHERE id = 1").fetchone()
        return row[0] if row is not None else None

    def save(self, text: str) -> str:
        """Store the key's JSON text (one transaction); returns its hash."""
        digest = text_hash(text)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO pseudonym_key (id, key_json, key_hash, updated_at) VALUES (1, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET key_json = excluded.key_json, key_hash = excluded.key_hash,"
                " updated_at = excluded.updated_at",
                (text, digest, utc_now()),
            )
        return digest
