"""SQL for what REFI-QDA exchange keeps beside codes, documents and codings (migration 7).

GUIDs of codes, documents, users, codings and selections as other tools
wrote them; variables, cases, sets, and the REFI fields of memos. Nothing
here is needed to code a project; it is what lets an export give another
tool back its own objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Sequence

from qualcode.models import Memo
from qualcode.store.db import Database


@dataclass(frozen=True)
class StoredVariable:
    name: str
    guid: str
    type: str
    description: str


@dataclass(frozen=True)
class StoredCase:
    id: int
    guid: str
    name: str
    description: str
    values: dict[str, str]
    document_ids: tuple[int, ...]


@dataclass(frozen=True)
class StoredSet:
    id: int
    guid: str
    name: str
    description: str
    code_ids: tuple[str, ...]
    document_ids: tuple[int, ...]
    memo_guids: tuple[str, ...]


@dataclass(frozen=True)
class StoredMemo(Memo):
    """A memo with its REFI fields (the GUID of its Note, title, description, kind)."""

    guid: str | None = None
    title: str | None = None
    description: str | None = None
    kind: str = "note"


@dataclass(frozen=True)
class NewMemo:
    author: str
    text: str
    created_at: str
    document_id: int | None = None
    start: int | None = None
    end: int | None = None
    code_id: str | None = None
    coding_id: int | None = None
    guid: str | None = None
    title: str | None = None
    description: str | None = None
    kind: str = "note"


class RefiStore:
    def __init__(self, db: Database):
        self.db = db

    # -- codes ------------------------------------------------------------------
    def code_guids(self) -> dict[str, str]:
        """Code id -> GUID, for codes that came with one."""
        return {r[0]: r[1] for r in self.db.execute("SELECT code_id, guid FROM codes WHERE guid IS NOT NULL")}

    def uncodable(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT code_id FROM codes WHERE codable = 0")}

    def keep_code_guid(self, code_id: str, guid: str, codable: bool = True) -> bool:
        """Record a code's GUID unless it has one or another code holds it; False if not recorded."""
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM codes WHERE guid = ?", (guid,)).fetchone():
                return False
            cur = conn.execute(
                "UPDATE codes SET guid = ?, codable = ? WHERE code_id = ? AND guid IS NULL",
                (guid, int(codable), code_id),
            )
        return cur.rowcount == 1

    # -- documents ----------------------------------------------------------------
    def document_sources(self) -> dict[int, tuple[str | None, str | None, str | None]]:
        """Document id -> (GUID, creation time, creating user) as the source file gave them."""
        rows = self.db.execute("SELECT id, guid, source_created_at, source_created_by FROM documents")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def keep_document_source(self, document_id: int, guid: str, created_at: str | None, created_by: str | None) -> None:
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE guid = ?", (guid,)).fetchone():
                return
            conn.execute(
                "UPDATE documents SET guid = ?, source_created_at = ?, source_created_by = ?"
                " WHERE id = ? AND guid IS NULL",
                (guid, created_at, created_by, document_id),
            )

    # -- users ------------------------------------------------------------------------
    def coder_guids(self) -> dict[str, tuple[str, str | None]]:
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT coder, guid, short_id FROM coder_guids")}

    def keep_coder_guid(self, coder: str, guid: str, short_id: str | None) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO coder_guids (coder, guid, short_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (coder, guid, short_id),
            )

    # -- codings ------------------------------------------------------------------------
    def coding_guids(self) -> dict[int, tuple[str | None, str | None]]:
        """Coding id -> (Coding GUID, selection GUID), for codings that came with them."""
        rows = self.db.execute(
            "SELECT id, guid, selection_guid FROM codings WHERE guid IS NOT NULL OR selection_guid IS NOT NULL"
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    def keep_coding_guids(self, pairs: Iterable[tuple[int, str | None, str | None]]) -> None:
        """(coding id, Coding GUID, selection GUID): recorded where the coding has none yet."""
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE codings SET guid = coalesce(guid, ?), selection_guid = coalesce(selection_guid, ?) WHERE id = ?",
                [(guid, selection, coding_id) for coding_id, guid, selection in pairs],
            )

    def coding_id(self, document_id: int, start: int, end: int, code_id: str, coder: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM codings WHERE document_id = ? AND start_char = ? AND end_char = ? AND code_id = ?"
            " AND coder = ? AND source = 'human' ORDER BY id LIMIT 1",
            (document_id, start, end, code_id, coder),
        ).fetchone()
        return row[0] if row else None

    # -- variables ------------------------------------------------------------------------
    def variables(self) -> list[StoredVariable]:
        rows = self.db.execute("SELECT name, guid, type, description FROM variables ORDER BY position, name")
        return [StoredVariable(r[0], r[1], r[2], r[3]) for r in rows]

    def add_variable(self, name: str, guid: str, type_: str, description: str) -> bool:
        """Store a variable unless one of that name (or GUID) exists; True if stored."""
        with self.db.transaction() as conn:
            position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM variables").fetchone()[0]
            cur = conn.execute(
                "INSERT INTO variables (name, guid, type, description, position) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (name, guid, type_, description, position),
            )
        return cur.rowcount == 1

    # -- cases --------------------------------------------------------------------------------
    def cases(self) -> list[StoredCase]:
        links: dict[int, list[int]] = {}
        for r in self.db.execute("SELECT case_id, document_id FROM case_documents ORDER BY document_id"):
            links.setdefault(r[0], []).append(r[1])
        rows = self.db.execute("SELECT id, guid, name, description, values_json FROM cases ORDER BY id")
        return [StoredCase(r[0], r[1], r[2], r[3], json.loads(r[4]), tuple(links.get(r[0], ()))) for r in rows]

    def add_case(self, guid: str, name: str, description: str, values: dict[str, str],
                 document_ids: Sequence[int]) -> bool:
        """Store a case and its documents; a known GUID only gains the documents. True if new."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT id FROM cases WHERE guid = ?", (guid,)).fetchone()
            new = row is None
            if new:
                row = conn.execute(
                    "INSERT INTO cases (guid, name, description, values_json) VALUES (?, ?, ?, ?) RETURNING id",
                    (guid, name, description, json.dumps(values, ensure_ascii=False)),
                ).fetchone()
            conn.executemany(
                "INSERT INTO case_documents (case_id, document_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(row[0], d) for d in document_ids],
            )
        return new

    # -- sets ---------------------------------------------------------------------------------
    def sets(self) -> list[StoredSet]:
        members: dict[int, tuple[list, list, list]] = {}
        for r in self.db.execute("SELECT set_id, code_id, document_id, memo_guid FROM set_members ORDER BY set_id, position"):
            codes, docs, memos = members.setdefault(r[0], ([], [], []))
            if r[1] is not None:
                codes.append(r[1])
            elif r[2] is not None:
                docs.append(r[2])
            else:
                memos.append(r[3])
        out = []
        for r in self.db.execute("SELECT id, guid, name, description FROM sets ORDER BY id"):
            codes, docs, memos = members.get(r[0], ([], [], []))
            out.append(StoredSet(r[0], r[1], r[2], r[3], tuple(codes), tuple(docs), tuple(memos)))
        return out

    def add_set(self, guid: str, name: str, description: str, code_ids: Sequence[str],
                document_ids: Sequence[int], memo_guids: Sequence[str]) -> bool:
        """Store a set with its members; a set whose GUID is known is left as it is. True if new."""
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM sets WHERE guid = ?", (guid,)).fetchone():
                return False
            set_id = conn.execute(
                "INSERT INTO sets (guid, name, description) VALUES (?, ?, ?) RETURNING id", (guid, name, description)
            ).fetchone()[0]
            rows = [(c, None, None) for c in dict.fromkeys(code_ids)]
            rows += [(None, d, None) for d in dict.fromkeys(document_ids)]
            rows += [(None, None, m) for m in dict.fromkeys(memo_guids)]
            conn.executemany(
                "INSERT INTO set_members (set_id, position, code_id, document_id, memo_guid) VALUES (?, ?, ?, ?, ?)",
                [(set_id, k, *row) for k, row in enumerate(rows)],
            )
        return True

    # -- the project ----------------------------------------------------------------------------
    def project_description(self) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = 'refi.description'").fetchone()
        return row[0] if row else None

    def keep_project_description(self, text: str) -> bool:
        """The REFI project's Description, unless the project has one; True if stored."""
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO settings (key, value) VALUES ('refi.description', ?) ON CONFLICT DO NOTHING", (text,)
            )
        return cur.rowcount == 1

    # -- memos --------------------------------------------------------------------------------
    def memos(self) -> list[StoredMemo]:
        rows = self.db.execute(
            "SELECT id, author, text, created_at, document_id, start_char, end_char, code_id, coding_id,"
            " guid, title, description, kind FROM memos ORDER BY id"
        )
        return [StoredMemo(*tuple(r)) for r in rows]

    def add_memos(self, memos: Iterable[NewMemo]) -> tuple[int, int]:
        """Store memos not already stored (same GUID or text, kind and target); (added, already there)."""
        added = present = 0
        with self.db.transaction() as conn:
            for m in memos:
                target = (m.document_id, m.start, m.end, m.code_id, m.coding_id)
                same = conn.execute(
                    "SELECT 1 FROM memos WHERE kind = ? AND coalesce(guid, '') = coalesce(?, '') AND"
                    " (guid IS NOT NULL OR text = ?) AND coalesce(document_id, -1) = coalesce(?, -1)"
                    " AND coalesce(start_char, -1) = coalesce(?, -1) AND coalesce(end_char, -1) = coalesce(?, -1)"
                    " AND coalesce(code_id, '') = coalesce(?, '') AND coalesce(coding_id, -1) = coalesce(?, -1)",
                    (m.kind, m.guid, m.text, *target),
                ).fetchone()
                if same:
                    present += 1
                    continue
                conn.execute(
                    "INSERT INTO memos (author, text, created_at, document_id, start_char, end_char, code_id,"
                    " coding_id, guid, title, description, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (m.author, m.text, m.created_at, *target, m.guid, m.title, m.description, m.kind),
                )
                added += 1
        return added, present
