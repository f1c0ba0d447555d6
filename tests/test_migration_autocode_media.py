"""Migration 6 on a project file made before it: the codings table is rebuilt with every row, id and reference.

The file is made by every migration but 6, as qualcode had them before it
(migration 7, which adds REFI GUID columns to codings, included): the rebuild
must keep columns a later migration added, whatever the order they ran in.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode import Project, Transcript, Turn
from qualcode.cli.main import cli
from qualcode.codebook import Code, Codebook
from qualcode.errors import ProjectError
from qualcode.importer import store_transcript
from qualcode.store.db import Database
from qualcode.store.migrations import MIGRATIONS, Migration

TEXT = "IP: Ildsjæle hjælper. Men målingerne styrer alt 😀."
BEFORE_6 = tuple(m for m in MIGRATIONS if m.id != 6)


class OldDatabase(Database):
    """A qualcode from before migration 6."""

    def migrate(self, migrations=BEFORE_6):
        return super().migrate(migrations)


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "old.qcp"
    p = Project(OldDatabase(path))
    store_transcript(p, Transcript("a.txt", "a.txt", "txt", TEXT, (Turn(0, "IP", 4, len(TEXT), start_time=3.0),)))
    p.codebook.apply(Codebook("T", "1", "da", "", (Code("a", "A", None), Code("b", "B", None))), "t")
    ids = [
        p.codings.add(1, 4, 21, "a", "mette"),
        p.codings.add(1, 22, len(TEXT), "b", "qualcode", status="suggested", source="machine", score=0.42, reason="nøgleord"),
        p.codings.add(1, 4, len(TEXT), "a", "bo", source="consensus"),
    ]
    p.codings.decide(ids[1], "rejected", "mette", shown_score=0.42)
    p.codings.set_status_bulk([ids[0]], "superseded", "mette", "undo")
    p.memos.add("mette", "memo om afvisningen", coding_id=ids[1], document_id=1, start=22, end=len(TEXT))
    p.db.execute("UPDATE codings SET guid = 'A1B2', selection_guid = 'S9' WHERE id = ?", (ids[2],))
    p.db.execute("INSERT INTO quote_ratings VALUES (?, 'mette', 5, '2026-12-01T00:00:00+00:00')", (ids[2],))
    assert 6 not in p.db.applied_migrations()
    with pytest.raises(Exception):
        p.codings.add(1, 4, 10, "a", "mette", source="autocode")  # not allowed before 6
    rows = _dump(p)
    p.close()
    return path, ids, rows


def _dump(p):
    return {
        table: [tuple(r) for r in p.db.execute(f"SELECT * FROM {table} ORDER BY id")]
        for table in ("codings", "coding_events", "memos")
    }


def test_rebuild_keeps_every_row_id_and_reference(old_file):
    path, ids, rows = old_file
    with Project.open(path) as p:
        assert 6 in p.db.applied_migrations()
        assert _dump(p) == rows  # every column, the GUIDs migration 7 added among them
        assert tuple(p.db.execute("SELECT guid, selection_guid FROM codings WHERE id = ?", (ids[2],)).fetchone()) == ("A1B2", "S9")
        assert sorted(c.id for c in p.codings.query()) == ids
        assert [tuple(r) for r in p.db.execute("SELECT coding_id, rating FROM quote_ratings")] == [(ids[2], 5)]
        assert p.db.execute("PRAGMA foreign_key_check").fetchall() == []
        # the references still hold: a referenced coding cannot vanish
        with pytest.raises(Exception, match="FOREIGN KEY"):
            p.db.execute("DELETE FROM codings WHERE id = ?", (ids[1],))
        # the indexes are back
        names = {r[0] for r in p.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'codings'")}
        assert {"codings_by_code", "codings_by_position"} <= names
        # new ids continue after the old ones; the new source is allowed
        new = p.codings.add(1, 4, 10, "a", "mette", source="autocode")
        assert new == max(ids) + 1 and p.codings.get(new).source == "autocode"
        assert [e["action"] for e in p.codings.events(ids[1])] == ["created", "status"]
        assert p.memos.query(coding_id=ids[1])[0].text == "memo om afvisningen"


def test_a_rebuild_that_would_lose_a_referenced_row_rolls_back(old_file):
    path, ids, rows = old_file
    losing = BEFORE_6 + (Migration(6, "broken", "CREATE TABLE c AS SELECT * FROM codings; DROP TABLE codings;"
                                             " CREATE TABLE codings (id INTEGER PRIMARY KEY); DROP TABLE c"),)
    losing = tuple(sorted(losing, key=lambda m: m.id))
    db = OldDatabase(path, create=False)
    with pytest.raises(ProjectError, match="migration 6 would break 7 references"):
        db.migrate(losing)
    db.close()
    with Project(OldDatabase(path)) as p:
        assert _dump(p) == rows and 6 not in p.db.applied_migrations()


def test_respan_records_the_old_span(project):
    store_transcript(project, Transcript("a.txt", "a.txt", "txt", TEXT, (Turn(0, "IP", 4, len(TEXT)),)))
    project.codebook.apply(Codebook("T", "1", "da", "", (Code("a", "A", None),)), "t")
    cid = project.codings.add(1, 4, 21, "a", "mette")
    project.codings.respan(cid, 4, 20, "mette")
    assert (project.codings.get(cid).start, project.codings.get(cid).end) == (4, 20)
    assert project.codings.events(cid)[-1]["details"] == {"from": [4, 21], "to": [4, 20]}
    with pytest.raises(ProjectError, match="outside"):
        project.codings.respan(cid, 10, len(TEXT) + 1, "mette")


def test_media_link_cli(tmp_path, old_file):
    path, _ids, _rows = old_file
    recording = tmp_path / "optagelse.wav"
    recording.write_bytes(b"RIFF")
    runner = CliRunner()
    result = runner.invoke(cli, ["media", "link", "a.txt", str(recording), "--project", str(path)])
    assert (result.exit_code, result.output.strip()) == (0, f"a.txt er linket til {recording.resolve()} (lyd).")
    with Project.open(path) as p:
        link = p.media.get(1)
        assert (link.path, link.kind) == (str(recording.resolve()), "audio")
    assert runner.invoke(cli, ["media", "list", "--project", str(path)]).output == f"a.txt\t{recording.resolve()}\n"
    bad = runner.invoke(cli, ["media", "link", "a.txt", str(tmp_path / "x.doc"), "--project", str(path)])
    assert (bad.exit_code, bad.output.strip()) == (2, f"Fejl: {tmp_path / 'x.doc'}: ikke en optagelse, qualcode kan afspille"
                                                    " (brug .m4a, .m4v, .mp3, .mp4, .ogg, .opus, .wav, .webm)")
    missing = runner.invoke(cli, ["media", "link", "a.txt", str(tmp_path / "nej.mp3"), "--project", str(path)])
    assert (missing.exit_code, missing.output.strip()) == (2, f"Fejl: {tmp_path / 'nej.mp3'}: filen findes ikke")
    nodoc = runner.invoke(cli, ["media", "link", "b.txt", str(recording), "--project", str(path)])
    assert (nodoc.exit_code, nodoc.output.strip()) == (2, "Fejl: dokumentet »b.txt« findes ikke i projektet")
    result = runner.invoke(cli, ["media", "unlink", "a.txt", "--project", str(path)])
    assert result.output.strip() == "a.txt er ikke længere linket til en optagelse."
    with Project.open(path) as p:
        assert p.media.get(1) is None
