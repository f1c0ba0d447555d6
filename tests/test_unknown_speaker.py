"""The unknown speaker is stored as such (an empty label) and shown in the user's language.

Also: migration 5 turns the Danish word older readers stored into the unknown speaker and
adds turn end times, keeping every row and id of a project file made before it.
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from qualcode import Project, import_files
from qualcode.cli.main import cli
from qualcode.roles import display_speaker
from qualcode.store.db import APPLICATION_ID, _split_sql
from qualcode.store.migrations import MIGRATIONS

VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nKan I høre mig?\n\n"
    "00:00:03.000 --> 00:00:05.000\n<v Kasper Lund>Ja. Velkommen til interviewet om samarbejdet.</v>\n\n"
    "00:00:06.000 --> 00:00:09.000\n<v Pernille Juhl>Tak. Målingerne styrer alt hos os.</v>\n"
)


@pytest.mark.parametrize("lang, shown", [("da", "Ukendt"), ("en", "Unknown")])
def test_the_label_is_rendered_at_display_time(lang, shown):
    assert display_speaker("", lang) == shown
    assert display_speaker("Mette", lang) == "Mette"


@pytest.fixture
def unknown_project(tmp_path):
    path = tmp_path / "u.vtt"
    path.write_text(VTT, encoding="utf-8")
    project = Project.open(tmp_path / "p.qcp")
    import_files(project, [path], progress=False)
    yield project
    project.close()


def test_stored_text_turns_and_segments_hold_no_language(unknown_project):
    p = unknown_project
    [doc] = p.documents.all()
    assert doc.text.splitlines()[0] == "Kan I høre mig?"
    assert [t.speaker for t in p.documents.turns(doc.id)] == ["", "Kasper Lund", "Pernille Juhl"]
    assert [s.speaker for s in p.documents.segments(doc.id)][0] == ""
    assert "Ukendt" not in doc.text


def test_info_turns_shows_the_label_in_the_users_language(unknown_project):
    path = str(unknown_project.db.path)
    unknown_project.close()
    da = CliRunner().invoke(cli, ["info", "--project", path, "--turns", "u.vtt"])
    en = CliRunner().invoke(cli, ["info", "--project", path, "--turns", "1", "--lang", "en"])
    assert da.output.splitlines()[:3] == [
        "u.vtt: 3 taleture",
        "  nr.  start    taler          rolle  tekst",
        "  1    0:00:01  Ukendt         -      Kan I høre mig?",
    ]
    assert en.output.splitlines()[1:4] == [
        "  no.  start    speaker        role  text",
        "  1    0:00:01  Unknown        -     Kan I høre mig?",
        "  2    0:00:03  Kasper Lund    -     Ja. Velkommen til interviewet om samarbejdet.",
    ]
    bad = CliRunner().invoke(cli, ["info", "--project", path, "--turns", "nej.vtt"])
    assert bad.exit_code == 2
    assert bad.output.strip() == f"Fejl: {path}: intet dokument nej.vtt (angiv id eller filnavn, som 'qualcode info' viser dem)"


@pytest.mark.parametrize("lang, header", [("da", "Ukendt (ukendt rolle)"), ("en", "Unknown (unknown role)")])
def test_widget_header_and_context_show_the_label(unknown_project, lang, header):
    from qualcode.widget import CodingSession, CodingWidget
    from qualcode.widget.session import Filters

    session = CodingSession(unknown_project, "mette", suggest=lambda s: [], learn=lambda *a: None)
    session.set_filters(Filters(include_interviewer=True))
    assert session.current.text == "Kan I høre mig?"
    assert f" · {header} · 1/" in CodingWidget(session, lang=lang).header.value
    session.next()
    assert session.context()[0] == "Ukendt: Kan I høre mig?"  # the context of Kasper's turn, in the default language


def test_anonymiser_learns_no_empty_name_and_quotes_and_exports_work(unknown_project, tmp_path):
    from qualcode.anonymise.anonymiser import participants_of
    from qualcode.codebook import load_codebook
    from qualcode.refi.export import export_qdpx
    from qualcode.report import quote_table

    from conftest import CODEBOOKS

    p = unknown_project
    assert all(row.get("speaker") != "" and row.get("interviewer") != "" for row in participants_of(p))
    codebook = load_codebook(CODEBOOKS / "barrierer_drivkraefter.yaml")
    p.codebook.apply(codebook, "test")
    code = codebook.leaves()[0].id
    for seg in p.documents.segments():
        p.codings.add(seg.document_id, seg.start, seg.end, code, "anna", status="accepted", source="human")
    table = quote_table(p)
    # Adjacent quotes of one code merge; the unknown speaker's words are quoted without a role.
    assert list(table["quote"]) == ["Kan I høre mig?", "Ja. Velkommen til interviewet om samarbejdet.", "Tak. Målingerne styrer alt hos os."]
    summary = export_qdpx(p, tmp_path / "u.qdpx")
    assert summary is not None


def _old_project(path):
    """A project file as qualcode wrote it before migration 5: the unknown speaker as 'Ukendt'."""
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    for migration in (m for m in MIGRATIONS if m.id < 5):
        for statement in _split_sql(migration.sql):
            db.execute(statement)
        db.execute("INSERT INTO schema_migrations VALUES (?, ?, 'før')", (migration.id, migration.name))
    db.execute("INSERT INTO documents (id, name, source_path, format, encoding, text, content_hash, imported_at)"
               " VALUES (7, 'gammel.vtt', 'gammel.vtt', 'vtt', 'utf-8', 'Ukendt: Hallo?\nKasper: Hej.', 'h', 'nu')")
    db.execute("INSERT INTO turns (id, document_id, idx, speaker, start_char, end_char, start_time)"
               " VALUES (11, 7, 0, 'Ukendt', 8, 14, 1.0), (12, 7, 1, 'Kasper', 23, 27, 3.0)")
    db.execute("INSERT INTO segments (id, document_id, turn_idx, unit, idx, start_char, end_char, text, speaker)"
               " VALUES (21, 7, 0, 'sentence', 0, 8, 14, 'Hallo?', 'Ukendt'), (22, 7, 1, 'sentence', 1, 23, 27, 'Hej.', 'Kasper')")
    db.execute("INSERT INTO codes (code_id, name) VALUES ('k', 'Kode')")
    db.execute("INSERT INTO codings (id, document_id, start_char, end_char, code_id, coder, status, source, created_at)"
               " VALUES (31, 7, 8, 14, 'k', 'anna', 'accepted', 'human', 'nu')")
    db.commit()
    db.close()


def test_migration_5_keeps_every_row_and_id_of_an_older_project(tmp_path):
    path = tmp_path / "gammel.qcp"
    _old_project(path)
    # The columns of codings as they were before migration 5 (later migrations may add more).
    columns = "id, document_id, start_char, end_char, code_id, coder, status, source, score, reason, created_at"
    before = sqlite3.connect(path)
    codings_before = before.execute(f"SELECT {columns} FROM codings").fetchall()
    before.close()
    with Project.open(path, create=False) as p:
        turns = p.documents.turns(7)
        assert [(t.speaker, t.start, t.end, t.start_time, t.end_time) for t in turns] == [("", 8, 14, 1.0, None), ("Kasper", 23, 27, 3.0, None)]
        assert [(s.id, s.speaker) for s in p.documents.segments(7)] == [(21, ""), (22, "Kasper")]
        assert [r[0] for r in p.db.execute("SELECT id FROM turns ORDER BY id")] == [11, 12]
        assert [tuple(r) for r in p.db.execute(f"SELECT {columns} FROM codings").fetchall()] == codings_before
        assert p.documents.get(7).text == "Ukendt: Hallo?\nKasper: Hej."  # stored text is never rewritten
        assert [r[0] for r in p.db.execute("SELECT id FROM schema_migrations ORDER BY id")] == [m.id for m in MIGRATIONS]


def test_disagreement_table_shows_the_label(unknown_project):
    from qualcode.agreement import coded_units, disagreement_table
    from qualcode.codebook import load_codebook

    from conftest import CODEBOOKS

    p = unknown_project
    codebook = load_codebook(CODEBOOKS / "barrierer_drivkraefter.yaml")
    p.codebook.apply(codebook, "test")
    first, second = codebook.leaves()[0].id, codebook.leaves()[1].id
    segment = next(p.documents.segments())  # the unknown speaker's "Kan I høre mig?"
    p.codings.add(segment.document_id, segment.start, segment.end, first, "anna", status="accepted", source="human")
    p.codings.add(segment.document_id, segment.start, segment.end, second, "bo", status="accepted", source="human")
    table = disagreement_table(coded_units(p, coders=["anna", "bo"], include_interviewer=True))
    assert list(table["speaker"]) == ["Ukendt"] and list(table["text"]) == ["Kan I høre mig?"]
