"""SQL for autocode runs: which codings one search-and-code command made, and undoing it."""

from __future__ import annotations

import json
from typing import Sequence

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _
from qualcode.models import AutocodeRun
from qualcode.store.codings import CodingStore, NewCoding
from qualcode.store.db import Database, utc_now


class AutocodeStore:
    def __init__(self, db: Database, codings: CodingStore):
        self.db = db
        self.codings = codings

    def record(
        self,
        *,
        pattern: str,
        mode: str,
        unit: str,
        code_id: str,
        coder: str,
        status: str,
        filters: dict[str, str],
        codings: Sequence[NewCoding],
    ) -> AutocodeRun:
        """Store a run and its codings in one transaction (all or nothing)."""
        with self.db.transaction() as conn:
            row = conn.execute(
                "INSERT INTO autocode_runs (pattern, mode, unit, code_id, coder, status, filters, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (pattern, mode, unit, code_id, coder, status, json.dumps(filters, ensure_ascii=False, sort_keys=True),
                 utc_now()),
            ).fetchone()
            run_id = row[0]
            ids = self.codings.add_many(codings)
            conn.executemany(
                "INSERT INTO autocode_codings (run_id, coding_id) VALUES (?, ?)", [(run_id, i) for i in ids]
            )
        return self.get(run_id)

    def get(self, run_id: int) -> AutocodeRun:
        row = self.db.execute(
            f"{_RUNS} WHERE r.id = ? GROUP BY {_GROUP}", (run_id,)
        ).fetchone()
        if row is None:
            raise ProjectError(_("no autocode run {run} in the project").format(run=run_id))
        return _run(row)

    def runs(self) -> list[AutocodeRun]:
        return [_run(r) for r in self.db.execute(f"{_RUNS} GROUP BY {_GROUP} ORDER BY r.id")]

    def coding_ids(self, run_id: int) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT coding_id FROM autocode_codings WHERE run_id = ? ORDER BY coding_id", (run_id,)
        )]

    def undo(self, run_id: int, actor: str) -> list[int]:
        """Withdraw every coding of the run that is still in force (status 'superseded', event 'autocode-undo').

        The codings and their history stay; a coding someone already rejected
        or withdrew is left as it is. Returns the ids withdrawn.
        """
        with self.db.transaction() as conn:
            run = self.get(run_id)
            if run.undone_at is not None:
                raise ProjectError(_("autocode run {run} was already undone ({at} by {who})").format(
                    run=run_id, at=run.undone_at, who=run.undone_by))
            ids = [
                r[0] for r in conn.execute(
                    "SELECT c.id FROM autocode_codings a JOIN codings c ON c.id = a.coding_id"
                    " WHERE a.run_id = ? AND c.status NOT IN ('rejected', 'superseded') ORDER BY c.id",
                    (run_id,),
                )
            ]
            self.codings.set_status_bulk(ids, "superseded", actor, "autocode-undo")
            conn.execute("UPDATE autocode_runs SET undone_by = ?, undone_at = ? WHERE id = ?", (actor, utc_now(), run_id))
        return ids


_RUNS = (
    "SELECT r.*, count(a.coding_id) AS n FROM autocode_runs r"
    " LEFT JOIN autocode_codings a ON a.run_id = r.id"
)
_GROUP = "r.id, r.pattern, r.mode, r.unit, r.code_id, r.coder, r.status, r.filters, r.created_at, r.undone_by, r.undone_at"


def _run(row) -> AutocodeRun:
    return AutocodeRun(
        id=row["id"], pattern=row["pattern"], mode=row["mode"], unit=row["unit"], code_id=row["code_id"],
        coder=row["coder"], status=row["status"], created_at=row["created_at"], codings=row["n"],
        filters=json.loads(row["filters"]), undone_by=row["undone_by"], undone_at=row["undone_at"],
    )
