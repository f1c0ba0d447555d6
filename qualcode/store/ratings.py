"""SQL for quote ratings: a coder's judgement of how well a coded passage works as a quote.

A rating is 1 (do not use) to 5 (use this one), one per coder and coding; a
new rating by the same coder replaces the old one, and every rating is also
recorded in the coding's event history.
"""

from __future__ import annotations

import json
from typing import Iterable

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _
from qualcode.store.db import Database, utc_now

RATINGS = range(1, 6)
_CHUNK = 500  # ids per IN (...) list, well under every database's parameter limit


class QuoteRatingStore:
    def __init__(self, db: Database):
        self.db = db

    def rate(self, coding_id: int, rating: int, coder: str) -> None:
        """Record ``coder``'s rating (1-5) of the coding as a quote."""
        if rating not in RATINGS:
            raise ProjectError(_("rating {rating}: use a whole number from 1 (do not use) to 5 (use this one)").format(rating=rating))
        now = utc_now()
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM codings WHERE id = ?", (coding_id,)).fetchone() is None:
                raise ProjectError(_("no coding with id {id}").format(id=coding_id))
            conn.execute(
                "INSERT INTO quote_ratings (coding_id, rated_by, rating, rated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (coding_id, rated_by) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at",
                (coding_id, coder, rating, now),
            )
            conn.execute(
                "INSERT INTO coding_events (coding_id, action, actor, at, details) VALUES (?, 'rated', ?, ?, ?)",
                (coding_id, coder, now, json.dumps({"rating": rating})),
            )

    def ratings(self, coding_ids: Iterable[int] | None = None) -> dict[int, float]:
        """The mean rating of each rated coding among ``coding_ids`` (all rated codings if ``None``)."""
        if coding_ids is None:
            rows = self.db.execute("SELECT coding_id, avg(rating) FROM quote_ratings GROUP BY coding_id")
            return {r[0]: float(r[1]) for r in rows}
        ids = sorted(set(int(i) for i in coding_ids))
        out: dict[int, float] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            rows = self.db.execute(
                f"SELECT coding_id, avg(rating) FROM quote_ratings WHERE coding_id IN ({', '.join('?' * len(chunk))})"
                " GROUP BY coding_id",
                chunk,
            )
            out.update({r[0]: float(r[1]) for r in rows})
        return out

    def all_rows(self) -> list[tuple[int, str, int, str]]:
        """Every rating as (coding_id, rated_by, rating, rated_at), for copying into another project."""
        return [tuple(r) for r in self.db.execute(
            "SELECT coding_id, rated_by, rating, rated_at FROM quote_ratings ORDER BY coding_id, rated_by")]

    def copy(self, rows: Iterable[tuple[int, str, int, str]], coding_ids: dict[int, int]) -> int:
        """Store ratings read from another project, their coding ids mapped by ``coding_ids``.

        A coder's rating already here is kept (it is this project's own judgement);
        ratings of codings that did not come along are left out. Returns how many were stored.
        """
        stored = 0
        with self.db.transaction() as conn:
            for coding_id, rated_by, rating, rated_at in rows:
                target = coding_ids.get(coding_id)
                if target is None:
                    continue
                stored += conn.execute(
                    "INSERT INTO quote_ratings (coding_id, rated_by, rating, rated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (coding_id, rated_by) DO NOTHING",
                    (target, rated_by, rating, rated_at),
                ).rowcount
        return stored
