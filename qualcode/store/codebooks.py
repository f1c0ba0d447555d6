"""SQL for the project's codebook: codes, applied versions and the changelog.

Codings point at stable code ids. Every change to the codebook is one
transaction and leaves a row in ``codebook_changes`` (who, when, what), and
no code or coding is ever deleted: a code leaves the codebook by being
retired, and codings it had stay visible in the project and its history.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager, nullcontext
from typing import Any, Iterator, Sequence

from qualcode.codebook.diff import diff_codebooks
from qualcode.codebook.model import Code, Codebook, ordered_depth_first
from qualcode.codebook.records import (
    ApplyPlan,
    CodebookChange,
    CodebookVersion,
    MergeResult,
    SplitResult,
)
from qualcode.codebook.serialize import codebook_from_dict, codebook_to_dict
from qualcode.errors import ProjectError, UnknownCodeError
from qualcode.i18n import gettext as _, quote
from qualcode.store.codings import CodingStore
from qualcode.store.db import Database, utc_now

# When merging leaves two codings of one coder on the same span, the one kept
# is the most decided: an accepted coding outranks one still to be reviewed.
_STATUS_RANK = {"accepted": 0, "needs_review": 1, "suggested": 2, "rejected": 3}


class CodebookStore:
    def __init__(self, db: Database):
        self.db = db

    # -- reading --------------------------------------------------------------
    def current(self, *, include_retired: bool = False) -> Codebook:
        """The project's codebook: its active codes (all codes with ``include_retired``)."""
        sql = "SELECT * FROM codes"
        if not include_retired:
            sql += " WHERE status = 'active'"
        rows = self.db.execute(sql + " ORDER BY position, code_id").fetchall()
        codes = ordered_depth_first([_code(r) for r in rows])
        meta = self.db.execute(
            "SELECT name, version, snapshot FROM codebook_versions ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if meta is None:
            return Codebook("", "", "da", "", codes)
        snapshot = json.loads(meta["snapshot"])
        return Codebook(meta["name"], meta["version"], snapshot.get("language", ""), snapshot.get("description", ""), codes)

    def code_ids(self, *, include_retired: bool = False) -> list[str]:
        sql = "SELECT code_id FROM codes"
        if not include_retired:
            sql += " WHERE status = 'active'"
        return [r[0] for r in self.db.execute(sql + " ORDER BY position, code_id")]

    def retired_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT code_id FROM codes WHERE status = 'retired' ORDER BY position, code_id")]

    def status(self, code_id: str) -> str:
        """'active' or 'retired'; :class:`UnknownCodeError` if the project has no such code."""
        return self._row(self.db.conn, code_id)["status"]

    def versions(self) -> list[CodebookVersion]:
        return [
            CodebookVersion(r["id"], r["name"], r["version"], r["source"], r["added_by"], r["added_at"])
            for r in self.db.execute("SELECT * FROM codebook_versions ORDER BY id")
        ]

    def snapshot(self, version_id: int) -> Codebook:
        """The codebook exactly as it was applied in that version."""
        row = self.db.execute("SELECT snapshot FROM codebook_versions WHERE id = ?", (version_id,)).fetchone()
        if row is None:
            raise ProjectError(_("no codebook version {version} in this project").format(version=version_id))
        return codebook_from_dict(json.loads(row["snapshot"]))

    def changes(self, code_id: str | None = None) -> list[CodebookChange]:
        """The changelog, oldest first; only entries about ``code_id`` if given."""
        sql, params = "SELECT * FROM codebook_changes", ()
        if code_id is not None:
            sql, params = sql + " WHERE code_id = ?", (code_id,)
        return [
            CodebookChange(r["id"], r["operation"], r["code_id"], json.loads(r["details"]), r["changed_by"], r["changed_at"])
            for r in self.db.execute(sql + " ORDER BY id", params)
        ]

    # -- applying a codebook version ------------------------------------------
    def plan(self, codebook: Codebook) -> ApplyPlan:
        """What :meth:`apply` would change, without writing anything."""
        return self.apply(codebook, actor="", dry_run=True)

    def apply(self, codebook: Codebook, actor: str, *, source: str | None = None, dry_run: bool = False) -> ApplyPlan:
        """Make ``codebook`` the project's codebook, matching codes by id.

        Codes with a known id are updated in place, so their codings follow;
        new ids are created; codes missing from ``codebook`` are retired with
        their codings kept. A snapshot of the version is stored.
        """
        _check_consistent(codebook)
        # A dry run only reads, so it works on a project opened read-only.
        with nullcontext(self.db.conn) if dry_run else self._change() as conn:
            known = {r["code_id"]: r for r in conn.execute("SELECT * FROM codes")}
            old = self.current()
            diff = diff_codebooks(old, codebook)
            reactivated = tuple(c.id for c in diff.added if c.id in known)
            counts = self._coding_counts(conn, [c.id for c in diff.removed])
            if dry_run:
                return ApplyPlan(diff, reactivated, counts, None)
            now = utc_now()
            version_id = conn.execute(
                "INSERT INTO codebook_versions (name, version, source, snapshot, added_by, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (codebook.name, codebook.version, source, _json(codebook_to_dict(codebook)), actor, now),
            ).fetchone()[0]
            changed = {c.code_id: {} for c in diff.changed}
            for change in diff.changed:
                changed[change.code_id][change.field] = {"from": _plain(change.old), "to": _plain(change.new)}
            renamed = {cid: (a, b) for cid, a, b in diff.renamed}
            moved = {cid: (a, b) for cid, a, b in diff.moved}
            for position, code in enumerate(codebook.codes):
                values = (
                    code.parent_id, code.name, code.definition, code.include, code.exclude,
                    _json(list(code.examples)), _json(list(code.keywords)), code.color, position, version_id,
                )
                if code.id not in known:
                    conn.execute(
                        "INSERT INTO codes (parent_id, name, definition, include_text, exclude_text, examples,"
                        " keywords, color, position, version_id, code_id, status)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
                        values + (code.id,),
                    )
                    self._record(conn, "add", code.id, {"name": code.name, "parent_id": code.parent_id, "version_id": version_id}, actor, now)
                    continue
                conn.execute(
                    "UPDATE codes SET parent_id = ?, name = ?, definition = ?, include_text = ?, exclude_text = ?,"
                    " examples = ?, keywords = ?, color = ?, position = ?, version_id = ?, status = 'active'"
                    " WHERE code_id = ?",
                    values + (code.id,),
                )
                if code.id in reactivated:
                    self._record(conn, "reactivate", code.id, {"version_id": version_id}, actor, now)
                if code.id in renamed:
                    self._record(conn, "rename", code.id, {"from": renamed[code.id][0], "to": renamed[code.id][1], "version_id": version_id}, actor, now)
                if code.id in moved:
                    self._record(conn, "move", code.id, {"from": moved[code.id][0], "to": moved[code.id][1], "version_id": version_id}, actor, now)
                if code.id in changed:
                    self._record(conn, "update", code.id, {**changed[code.id], "version_id": version_id}, actor, now)
            for code in diff.removed:
                conn.execute("UPDATE codes SET status = 'retired' WHERE code_id = ?", (code.id,))
                self._record(conn, "retire", code.id, {"codings_kept": counts.get(code.id, 0), "version_id": version_id}, actor, now)
            self._record(
                conn, "apply", None,
                {"version_id": version_id, "name": codebook.name, "version": codebook.version, "source": source,
                 "added": len(diff.added) - len(reactivated), "reactivated": len(reactivated),
                 "retired": len(diff.removed), "renamed": len(diff.renamed), "moved": len(diff.moved),
                 "updated": len(changed)},
                actor, now,
            )
        return ApplyPlan(diff, reactivated, counts, version_id)

    def ensure_code(self, code_id: str, name: str, parent_id: str | None = None, actor: str = "qualcode") -> None:
        """Create a code if it does not exist (used by tests and importers before the codebook module)."""
        with self._change() as conn:
            if conn.execute("SELECT 1 FROM codes WHERE code_id = ?", (code_id,)).fetchone():
                return
            self._insert(conn, Code(code_id, name, parent_id), actor, utc_now())

    # -- refinement -------------------------------------------------------------
    def rename(self, code_id: str, name: str, actor: str) -> None:
        """Give a code a new name; its id, and so its codings, stay."""
        name = name.strip()
        if not name:
            raise ProjectError(_("code {code}: the new name is empty").format(code=quote(code_id)))
        with self._change() as conn:
            row = self._row(conn, code_id, active=True)
            if row["name"] == name:
                raise ProjectError(_("code {code} is already named {name}").format(code=quote(code_id), name=quote(name)))
            conn.execute("UPDATE codes SET name = ? WHERE code_id = ?", (name, code_id))
            self._record(conn, "rename", code_id, {"from": row["name"], "to": name}, actor, utc_now())

    def move(self, code_id: str, parent_id: str | None, actor: str) -> None:
        """Put a code under another parent (``None``: make it a top-level theme)."""
        with self._change() as conn:
            row = self._row(conn, code_id, active=True)
            if parent_id is not None:
                self._row(conn, parent_id, active=True)
                if parent_id == code_id or code_id in self._ancestors(conn, parent_id):
                    raise ProjectError(_("code {code} cannot be moved under itself or its own sub-code {parent}").format(
                        code=quote(code_id), parent=quote(parent_id)))
            if row["parent_id"] == parent_id:
                if parent_id is None:
                    raise ProjectError(_("code {code} is already at the top level").format(code=quote(code_id)))
                raise ProjectError(_("code {code} is already under {parent}").format(code=quote(code_id), parent=quote(parent_id)))
            conn.execute(
                "UPDATE codes SET parent_id = ?, position = ? WHERE code_id = ?",
                (parent_id, self._next_position(conn), code_id),
            )
            self._record(conn, "move", code_id, {"from": row["parent_id"], "to": parent_id}, actor, utc_now())

    def retire(self, code_id: str, actor: str) -> int:
        """Take a code out of the codebook; its codings are kept. Returns their number."""
        with self._change() as conn:
            self._row(conn, code_id, active=True)
            kids = self._active_children(conn, code_id)
            if kids:
                raise ProjectError(_("code {code} has active sub-codes ({codes}): move, merge or retire them first").format(
                    code=quote(code_id), codes=", ".join(kids)))
            kept = self._coding_counts(conn, [code_id]).get(code_id, 0)
            conn.execute("UPDATE codes SET status = 'retired' WHERE code_id = ?", (code_id,))
            self._record(conn, "retire", code_id, {"codings_kept": kept}, actor, utc_now())
        return kept

    def merge(self, source_id: str, target_id: str, actor: str) -> MergeResult:
        """Merge code A (source) into B (target).

        A's codings are recoded to B; where that leaves one coder with two
        codings of B on the same span, the extra one is marked 'superseded'
        (never deleted). A's sub-codes move under B and A is retired.
        """
        if source_id == target_id:
            raise ProjectError(_("cannot merge code {code} into itself").format(code=quote(source_id)))
        codings = CodingStore(self.db)
        now = utc_now()
        with self._change() as conn:
            self._row(conn, source_id, active=True)
            self._row(conn, target_id, active=True)
            if source_id in self._ancestors(conn, target_id):
                raise ProjectError(_("cannot merge code {code} into its own sub-code {target}").format(
                    code=quote(source_id), target=quote(target_id)))
            moved = self._active_children(conn, source_id)
            for child in moved:
                conn.execute("UPDATE codes SET parent_id = ? WHERE code_id = ?", (target_id, child))
                self._record(conn, "move", child, {"from": source_id, "to": target_id, "reason": "merge"}, actor, now)
            recoded = [r[0] for r in conn.execute(
                "SELECT id FROM codings WHERE code_id = ? ORDER BY id" + self.db.for_update, (source_id,))]
            # An open suggestion of A where the same coder has one of B on the span would be a
            # second open suggestion of B (which the schema forbids): it is superseded first.
            clashing = self._open_suggestion_clashes(conn, source_id, target_id)
            if clashing:
                codings.set_status_bulk(clashing, "superseded", actor, "merge_duplicate")
            for coding_id in recoded:
                codings.recode(coding_id, target_id, actor, operation="merge")
            later = self._duplicates_after_merge(conn, target_id, set(recoded))
            if later:
                codings.set_status_bulk(later, "superseded", actor, "merge_duplicate")
            superseded = sorted(clashing + later)
            conn.execute("UPDATE codes SET status = 'retired' WHERE code_id = ?", (source_id,))
            self._record(
                conn, "merge", source_id,
                {"into": target_id, "recoded": len(recoded), "superseded": superseded, "moved_children": moved},
                actor, now,
            )
        return MergeResult(source_id, target_id, tuple(recoded), tuple(superseded), tuple(moved))

    def split(self, code_id: str, new_codes: Sequence[Code], actor: str, *, retire_source: bool = True) -> SplitResult:
        """Split a code into new codes; its codings are set to 'needs_review' for a coder to re-assign.

        Rejected and superseded codings keep their status: reviewing them
        again would bring back decisions already made.

        Each new code is placed under its own ``parent_id`` (usually the split
        code's parent, or the split code itself when refining it into
        sub-codes, in which case it cannot also be retired).
        """
        if not new_codes:
            raise ProjectError(_("code {code}: name at least one new code to split it into").format(code=quote(code_id)))
        now = utc_now()
        with self._change() as conn:
            self._row(conn, code_id, active=True)
            new_ids = [c.id for c in new_codes]
            for code in new_codes:
                if conn.execute("SELECT 1 FROM codes WHERE code_id = ?", (code.id,)).fetchone() or new_ids.count(code.id) > 1:
                    raise ProjectError(_("code {code} already exists: choose a new id for each part of the split").format(code=quote(code.id)))
                if code.parent_id is not None and code.parent_id not in new_ids:
                    self._row(conn, code.parent_id, active=True)
                if retire_source and code.parent_id == code_id:
                    raise ProjectError(_("code {code} cannot be retired while new code {new} is placed under it").format(
                        code=quote(code_id), new=quote(code.id)))
            if retire_source and self._active_children(conn, code_id):
                raise ProjectError(
                    _("code {code} has active sub-codes ({codes}): move them before splitting it").format(
                        code=quote(code_id), codes=", ".join(self._active_children(conn, code_id)))
                )
            for code in ordered_depth_first(list(new_codes)):
                self._insert(conn, code, actor, now, details={"split_from": code_id})
            queued = [
                r[0] for r in conn.execute(
                    "SELECT id FROM codings WHERE code_id = ? AND status NOT IN ('rejected', 'superseded', 'needs_review') ORDER BY id",
                    (code_id,),
                )
            ]
            if queued:
                CodingStore(self.db).set_status_bulk(queued, "needs_review", actor, "split")
            if retire_source:
                conn.execute("UPDATE codes SET status = 'retired' WHERE code_id = ?", (code_id,))
            self._record(conn, "split", code_id, {"into": new_ids, "queued_for_review": len(queued), "retired": retire_source}, actor, now)
        return SplitResult(code_id, tuple(new_ids), tuple(queued), retire_source)

    # -- helpers ----------------------------------------------------------------
    @contextmanager
    def _change(self) -> Iterator:
        """A codebook change: one transaction, and one lead at a time on a shared server."""
        with self.db.transaction() as conn:
            self.db.lock("codebook")
            yield conn

    def _row(self, conn: sqlite3.Connection, code_id: str, *, active: bool = False) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM codes WHERE code_id = ?", (code_id,)).fetchone()
        if row is None:
            raise UnknownCodeError(_("no code {code} in the project's codebook").format(code=quote(code_id)))
        if active and row["status"] != "active":
            raise ProjectError(_("code {code} is retired").format(code=quote(code_id)))
        return row

    def _ancestors(self, conn: sqlite3.Connection, code_id: str) -> list[str]:
        out, seen = [], {code_id}
        parent = conn.execute("SELECT parent_id FROM codes WHERE code_id = ?", (code_id,)).fetchone()[0]
        while parent is not None and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = conn.execute("SELECT parent_id FROM codes WHERE code_id = ?", (parent,)).fetchone()[0]
        return out

    def _active_children(self, conn: sqlite3.Connection, code_id: str) -> list[str]:
        return [r[0] for r in conn.execute(
            "SELECT code_id FROM codes WHERE parent_id = ? AND status = 'active' ORDER BY position, code_id", (code_id,)
        )]

    def _next_position(self, conn: sqlite3.Connection) -> int:
        return conn.execute("SELECT coalesce(max(position), -1) + 1 FROM codes").fetchone()[0]

    def _insert(self, conn: sqlite3.Connection, code: Code, actor: str, now: str, details: dict | None = None) -> None:
        conn.execute(
            "INSERT INTO codes (code_id, parent_id, name, definition, include_text, exclude_text, examples,"
            " keywords, color, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code.id, code.parent_id, code.name, code.definition, code.include, code.exclude,
             _json(list(code.examples)), _json(list(code.keywords)), code.color, self._next_position(conn)),
        )
        self._record(conn, "add", code.id, {"name": code.name, "parent_id": code.parent_id, **(details or {})}, actor, now)

    def _coding_counts(self, conn: sqlite3.Connection, code_ids: list[str]) -> dict[str, int]:
        if not code_ids:
            return {}
        rows = conn.execute(
            f"SELECT code_id, count(*) FROM codings WHERE code_id IN ({', '.join('?' * len(code_ids))}) GROUP BY code_id",
            code_ids,
        )
        return {r[0]: r[1] for r in rows}

    @staticmethod
    def _open_suggestion_clashes(conn: sqlite3.Connection, source_id: str, target_id: str) -> list[int]:
        return [r[0] for r in conn.execute(
            "SELECT a.id FROM codings a JOIN codings b ON b.document_id = a.document_id AND b.start_char = a.start_char"
            " AND b.end_char = a.end_char AND b.coder = a.coder AND b.code_id = ? AND b.status = 'suggested'"
            " WHERE a.code_id = ? AND a.status = 'suggested' ORDER BY a.id",
            (target_id, source_id),
        )]

    def _duplicates_after_merge(self, conn: sqlite3.Connection, target_id: str, recoded: set[int]) -> list[int]:
        groups: dict[tuple, list[sqlite3.Row]] = {}
        for r in conn.execute(
            "SELECT id, document_id, start_char, end_char, coder, status FROM codings"
            " WHERE code_id = ? AND status != 'superseded' ORDER BY id" + self.db.for_update,
            (target_id,),
        ):
            groups.setdefault((r["document_id"], r["start_char"], r["end_char"], r["coder"]), []).append(r)
        extra: list[int] = []
        for rows in groups.values():
            if len(rows) < 2 or not any(r["id"] in recoded for r in rows):
                continue  # duplicates the merge did not create are left for the coders
            rows.sort(key=lambda r: (_STATUS_RANK.get(r["status"], 9), r["id"] in recoded, r["id"]))
            extra.extend(r["id"] for r in rows[1:])
        return sorted(extra)

    @staticmethod
    def _record(conn: sqlite3.Connection, operation: str, code_id: str | None, details: dict, actor: str, now: str) -> None:
        conn.execute(
            "INSERT INTO codebook_changes (operation, code_id, details, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)",
            (operation, code_id, _json(details), actor, now),
        )


def _code(row: sqlite3.Row) -> Code:
    return Code(
        id=row["code_id"],
        name=row["name"],
        parent_id=row["parent_id"],
        definition=row["definition"],
        include=row["include_text"],
        exclude=row["exclude_text"],
        examples=tuple(json.loads(row["examples"])),
        keywords=tuple(json.loads(row["keywords"])),
        color=row["color"],
    )


def _check_consistent(codebook: Codebook) -> None:
    seen: set[str] = set()
    for code in codebook.codes:
        if code.id in seen:
            raise ProjectError(_("codebook {name}: code id {code} is used twice").format(name=quote(codebook.name), code=quote(code.id)))
        if code.parent_id is not None and code.parent_id not in seen:
            raise ProjectError(_("codebook {name}: code {code} comes before its parent {parent}").format(
                name=quote(codebook.name), code=quote(code.id), parent=quote(code.parent_id)))
        seen.add(code.id)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
