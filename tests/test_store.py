"""The project file: migrations, transactions, codings as spans, history."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode import Project, Transcript, Turn
from qualcode.errors import ProjectError, UnknownCodeError
from qualcode.importer import resegment, store_transcript
from qualcode.store.migrations import MIGRATIONS, Migration

TEXT = "I: Hvad virker?\nIP: Ildsjæle virker. Men budgettet er presset.\nI: Tak."


def add_doc(project, name="a.txt", text=TEXT):
    transcript = Transcript(
        name=name,
        source_path=name,
        format="txt",
        text=text,
        turns=(
            Turn(0, "I", 3, 15, is_interviewer=True, role="interviewer"),
            Turn(1, "IP", 20, 62, role="leder", participant_id="P1"),
            Turn(2, "I", 66, 70, is_interviewer=True, role="interviewer"),
        ),
    )
    return store_transcript(project, transcript).document_id


def test_new_file_records_every_migration_and_settings(project_file):
    rows = project_file.db.execute("SELECT id, name FROM schema_migrations ORDER BY id").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(m.id, m.name) for m in MIGRATIONS]
    assert project_file.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert project_file.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_applies_nothing_twice_and_keeps_data(tmp_path):
    path = tmp_path / "p.qcp"
    with Project.open(path) as p:
        doc_id = add_doc(p)
    with Project.open(path, create=False) as p:
        assert p.db.migrate() == []
        assert p.documents.get(doc_id).text == TEXT


def test_a_new_migration_is_applied_once(tmp_path):
    path = tmp_path / "p.qcp"
    Project.open(path).close()
    extra = MIGRATIONS + (Migration(MIGRATIONS[-1].id + 1, "test_extra", "CREATE TABLE extra (x INTEGER)"),)
    with Project.open(path) as p:
        assert p.db.migrate(extra) == [extra[-1].id]
        assert p.db.migrate(extra) == []


def test_file_from_a_newer_qualcode_is_refused(tmp_path):
    path = tmp_path / "p.qcp"
    with Project.open(path) as p:
        p.db.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    with pytest.raises(ProjectError, match="written by a newer qualcode \\(schema 999\\)"):
        Project.open(path)


def test_other_sqlite_files_are_not_projects(tmp_path):
    path = tmp_path / "andet.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError) as err:
        Project.open(path)
    assert str(err.value) == f"{path}: er en SQLite-fil, men ikke et qualcode-projekt"


def test_missing_project_is_an_error_when_not_creating(tmp_path):
    with pytest.raises(ProjectError, match="projektfilen findes ikke"):
        Project.open(tmp_path / "nope.qcp", create=False)


def test_codings_are_spans_that_survive_resegmentation(project):
    doc_id = add_doc(project)
    project.codebook.ensure_code("driver.ildsjaele", "Ildsjæle")
    cid = project.codings.add(doc_id, 20, 36, "driver.ildsjaele", "mette")
    resegment(project)
    coding = project.codings.get(cid)
    assert TEXT[coding.start : coding.end] == "Ildsjæle virker."
    overlapping = project.documents.segments_overlapping(doc_id, coding.start, coding.end)
    assert [s.text for s in overlapping] == ["Ildsjæle virker."]


def test_accept_and_reject_record_who_when_and_score_shown(project):
    doc_id = add_doc(project)
    project.codebook.ensure_code("barriere.budget", "Budgetpres")
    cid = project.codings.add(doc_id, 37, 62, "barriere.budget", "model", status="suggested", source="machine", score=0.72)
    project.codings.decide(cid, "accepted", "mette")
    c = project.codings.get(cid)
    assert (c.status, c.decided_by, c.shown_score) == ("accepted", "mette", 0.72)
    assert c.decided_at is not None
    assert [e["action"] for e in project.codings.events(cid)] == ["created", "status"]
    assert project.codings.events(cid)[1]["details"] == {"from": "suggested", "to": "accepted"}


@pytest.mark.parametrize(
    "start, end, code, error",
    [
        (0, 500, "c", "span 0-500 lies outside document 1 (0-70)"),  # past the end
        (10, 10, "c", "span 10-10 lies outside document 1 (0-70)"),  # empty span
        (0, 5, "ukendt", "unknown code id 'ukendt': add it to the project's codebook first"),
    ],
)
def test_bad_codings_are_refused_and_nothing_is_written(project, start, end, code, error):
    add_doc(project)
    project.codebook.ensure_code("c", "C")
    before = len(project.codings.query())
    with pytest.raises((ProjectError, UnknownCodeError)) as err:
        project.codings.add(1, start, end, code, "mette")
    assert str(err.value) == error
    assert len(project.codings.query()) == before


def test_failed_batch_leaves_no_partial_codings(project):
    from qualcode.store.codings import NewCoding

    add_doc(project)
    project.codebook.ensure_code("c", "C")
    with pytest.raises(UnknownCodeError):
        project.codings.add_many([NewCoding(1, 0, 5, "c", "a"), NewCoding(1, 5, 9, "missing", "a")])
    assert project.codings.query() == []


def test_documents_with_codings_cannot_be_deleted_behind_our_back(project):
    doc_id = add_doc(project)
    project.codebook.ensure_code("c", "C")
    project.codings.add(doc_id, 20, 36, "c", "a")
    with pytest.raises(sqlite3.IntegrityError):
        project.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def test_dataframes(project):
    doc_id = add_doc(project)
    project.codebook.ensure_code("c", "C")
    project.codings.add(doc_id, 20, 36, "c", "mette")
    assert list(project.turns_df()["speaker"]) == ["I", "IP", "I"]
    seg = project.segments_df()
    assert list(seg["text"]) == ["Hvad virker?", "Ildsjæle virker.", "Men budgettet er presset.", "Tak."]
    assert list(seg["role"]) == ["interviewer", "leder", "leder", "interviewer"]
    cod = project.codings_df()
    assert cod.loc[0, "text"] == "Ildsjæle virker."
    assert project.documents_df().loc[0, "name"] == "a.txt"


# -- codings with their turns, slices of stored texts (quote listings) -------------

def test_with_turns_finds_the_turn_a_coding_starts_in_label_gaps_included(project):
    from qualcode.codebook import Codebook, Code

    project.codebook.apply(Codebook("t", "1", "da", "", (Code("a", "A", None),)), "mette")
    doc = add_doc(project)
    spans = [
        (3, 15),   # the first question: turn 0
        (0, 2),    # inside "I:" before the first turn's text: turn 0
        (15, 18),  # the line break and "IP" label after turn 0 ends: the next turn, 1
        (20, 38),  # "Ildsjæle virker.": turn 1
        (39, 62),  # its second sentence: turn 1
        (66, 70),  # "Tak.": turn 2
    ]
    ids = [project.codings.add(doc, s, e, "a", "mette") for s, e in spans]
    found = {c.id: (c.start, turn.index, turn.role) for c, turn in project.codings.with_turns(code_id="a")}
    assert [found[i][1] for i in ids] == [0, 0, 1, 1, 1, 2]
    assert found[ids[3]] == (20, 1, "leder")
    project.codings.add(doc, 20, 38, "a", "bo")
    project.blind("bo")
    assert [(c.coder, t.index) for c, t in project.codings.with_turns()] == [("bo", 1)]
    project.blind(None)
    assert len(project.codings.with_turns(coder=["mette", "bo"], status="accepted")) == 7


def test_text_slicer_cuts_character_offsets_in_sql_and_in_memory_alike(project):
    text = "IP: Ærø, Æbeltoft og Øster Åby – “søjlerne” … ✓ 😀 slut.\nI: Tak."
    doc = add_doc(project, "u.txt", text)
    slicer = project.documents.slicer()
    emoji = text.index("😀")
    cuts = [(4, 7), (9, 18), (21, 30), (33, 42), (45, 48), (emoji, emoji + 1), (0, len(text)), (5, 5)]
    sql_cut = [slicer(doc, s, e) for s, e in cuts]
    assert sql_cut == [text[s:e] for s, e in cuts]
    assert sql_cut[0] == "Ærø" and sql_cut[5] == "😀"
    for _ in range(slicer.LOAD_AFTER):
        slicer(doc, 0, 3)
    assert doc in slicer._texts  # now served from memory, with the same answers
    assert [slicer(doc, s, e) for s, e in cuts] == sql_cut


def test_add_many_returns_each_rows_id_in_order_with_its_event_and_stores_all_or_nothing(project):
    from qualcode.codebook import Code, Codebook
    from qualcode.store.codings import NewCoding

    project.codebook.apply(Codebook("t", "1", "da", "", (Code("a", "A", None), Code("b", "B", None))), "mette")
    doc = add_doc(project)
    project.codings.add(doc, 3, 15, "a", "mette")  # ids do not start at 1
    rows = [NewCoding(doc, 20 + i, 30 + i, "ab"[i % 2], f"coder{i}", "suggested", "machine", i / 10, f"r{i}") for i in range(7)]
    ids = project.codings.add_many(rows)
    assert len(ids) == 7 and ids == sorted(ids) and ids[0] > 1
    for i, new in zip(ids, rows):
        got = project.codings.get(i)
        assert (got.start, got.code_id, got.coder, got.score, got.reason) == (new.start, new.code_id, new.coder, new.score, new.reason)
        assert [e["action"] for e in project.codings.events(i)] == ["created"]
    before = len(project.codings.query())
    bad = rows[:3] + [NewCoding(doc, 20, 30, "no-such-code", "bo")] + rows[3:]
    with pytest.raises(UnknownCodeError, match="unknown code id 'no-such-code'"):
        project.codings.add_many(bad)
    assert len(project.codings.query()) == before
    assert project.codings.add_many([]) == []


def test_status_counts_count_in_sql_with_the_query_filters_and_blind_mode(project):
    from collections import Counter

    from qualcode.codebook import Code, Codebook
    from qualcode.store.codings import NewCoding

    project.codebook.apply(Codebook("t", "1", "da", "", (Code("a", "A", None), Code("b", "B", None))), "mette")
    doc = add_doc(project)
    statuses = ["suggested", "accepted", "rejected", "suggested", "needs_review", "suggested"]
    project.codings.add_many(
        [NewCoding(doc, 20 + i, 30 + i, "ab"[i % 2], "qualcode", s, "machine", 0.5) for i, s in enumerate(statuses)]
        + [NewCoding(doc, 3, 15, "a", "bo"), NewCoding(doc, 20, 38, "b", "mette")]
    )
    for filters in ({}, {"source": "machine"}, {"code_id": "a"}, {"coder": ["bo", "mette"]}, {"source": "human", "code_id": "b"}):
        expected = Counter(c.status for c in project.codings.query(**filters))
        assert project.codings.status_counts(**filters) == dict(expected), filters
    assert project.codings.status_counts(source="machine") == {"suggested": 3, "accepted": 1, "rejected": 1, "needs_review": 1}
    project.blind("bo")
    assert project.codings.status_counts() == {"accepted": 1}
