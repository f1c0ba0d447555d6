"""Quote ratings (migration 8): stored per coder and coding, recorded in the history, read as a mean."""

from __future__ import annotations

import pytest

from qualcode.errors import ProjectError
from qualcode.project import Project
from qualcode.store.db import Database
from report_helpers import make_project


def test_a_rating_is_stored_replaced_and_recorded():
    p = make_project()
    p.ratings.rate(1, 4, "anna")
    p.ratings.rate(1, 2, "anna")  # anna changes her mind: one rating per coder
    p.ratings.rate(1, 5, "bo")
    assert p.ratings.ratings([1, 2]) == {1: 3.5}
    assert p.ratings.ratings() == {1: 3.5}
    events = [e for e in p.codings.events(1) if e["action"] == "rated"]
    assert [(e["actor"], e["details"]["rating"]) for e in events] == [("anna", 4), ("anna", 2), ("bo", 5)]
    p.close()


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_1_to_5_is_refused(rating):
    p = make_project()
    with pytest.raises(ProjectError, match=rf"^vurdering {rating}: brug et helt tal fra 1 \(brug det ikke\) til 5 \(brug dette\)$"):
        p.ratings.rate(1, rating, "anna")
    assert p.ratings.ratings() == {}
    p.close()


def test_rating_a_coding_that_does_not_exist_is_refused():
    p = make_project()
    with pytest.raises(ProjectError, match="^ingen kodning med id 999$"):
        p.ratings.rate(999, 3, "anna")
    p.close()


def test_many_ids_are_read_in_chunks():
    p = make_project()
    p.ratings.rate(2, 5, "anna")
    assert p.ratings.ratings(range(1, 2000)) == {2: 5.0}
    p.close()


def test_migration_8_on_a_project_made_before_it(tmp_path):
    path = tmp_path / "gammel.qcp"
    make_project(path=path).close()
    # The file as a qualcode without migration 8 left it: codings, no quote_ratings table.
    db = Database(path)
    db.conn.execute("DELETE FROM schema_migrations WHERE id = 8")
    db.conn.execute("DROP TABLE quote_ratings")
    db.conn.commit()
    db.close()
    import sqlite3

    raw = sqlite3.connect(path)
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'quote_ratings'").fetchone()[0] == 0
    before = raw.execute("SELECT * FROM codings ORDER BY id").fetchall()
    raw.close()
    with Project.open(path) as p:
        assert 8 in [r[0] for r in p.db.execute("SELECT id FROM schema_migrations")]
        assert [tuple(r) for r in p.db.execute("SELECT * FROM codings ORDER BY id")] == before  # every row, every id
        p.ratings.rate(1, 5, "anna")
    with Project.open(path) as p:
        assert p.ratings.ratings() == {1: 5.0}
