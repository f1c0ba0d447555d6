"""A shared project on PostgreSQL: set-up, people, roles and blind coding enforced by the database.

Every test connects as the person it is about (passwords from the pgpass file
that PGPASSFILE names, as libpq reads them), so what is proved is what the
database allows, not what the client chooses to do.
"""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.errors import AccessDeniedError, ProjectError
from qualcode.store.keys import KeyStore
from report_helpers import make_project


def _seeded_team(pg_server):
    """A project with the report helpers' three interviews, codings by anna and bo, a memo each, a stored key."""
    urls = pg_server.team()
    with make_project(path=urls["admin"], codings=[
        (0, 1, "driver.ledelsesopbakning", "anna", "suggested", "machine"),
        (0, 3, "barriere.maalstyring", "anna", "accepted", "human"),
        (1, 1, "driver.tillid_relationer", "bo", "accepted", "human"),
        (2, 1, "driver.raaderum", "bo", "suggested", "machine"),
    ]) as p:
        doc = p.documents.ids()[0]
        p.memos.add("anna", "Annas note om Birgitte Holm", document_id=doc)
        p.memos.add("bo", "Bos note", document_id=doc)
        KeyStore(p.db).save('{"format": "qualcode-pseudonym-key", "entities": []}\n')
    return urls


@pytest.fixture
def team(pg_server):
    return _seeded_team(pg_server)


@pytest.fixture(scope="module")
def shared_team(pg_server):
    """One seeded project for the privilege table: every statement there is rolled back."""
    return _seeded_team(pg_server)


def _as(urls, person) -> Project:
    return Project.open(urls[person], create=False)


def _coding_of(project, coder: str) -> int:
    with Project.open(project) as p:
        return p.db.execute("SELECT min(id) FROM codings WHERE coder = ?", (coder,)).fetchone()[0]


def _try(project: Project, sql: str, params=()):
    """Run one statement in a transaction that is rolled back: 'ok', 'denied' or the rows it changed."""
    db = project.db
    db.conn.execute("BEGIN")
    try:
        cur = db.conn.raw.execute(sql.replace("?", "%s"), params) if params else db.conn.raw.execute(sql)
        changed = cur.rowcount if cur.description is None else None
    except Exception as exc:  # noqa: BLE001 - the test classifies the database's answer
        import psycopg

        assert isinstance(exc, psycopg.errors.InsufficientPrivilege), exc
        return "denied"
    finally:
        db.conn.raw.execute("ROLLBACK")
    return "ok" if changed is None or changed > 0 else "0 rows"


# (what is tried, SQL ({me} is the role's own name, {anna_coding}/{bo_coding} ids), lead, coder anna, reader rita)
PRIVILEGES = [
    ("read a transcript's text", "SELECT text FROM documents", "ok", "ok", "denied"),
    ("read document names and metadata", "SELECT id, name, metadata_json FROM documents", "ok", "ok", "ok"),
    ("read raw sentences", "SELECT text FROM segments", "ok", "ok", "denied"),
    ("read sentences' lemmas", "SELECT lemmas FROM segments", "ok", "ok", "denied"),
    ("read where sentences are (agreement units)", "SELECT id, document_id, start_char, end_char FROM segments", "ok", "ok", "ok"),
    ("read memos", "SELECT text FROM memos", "ok", "ok", "denied"),
    ("read the pseudonym key", "SELECT key_json FROM pseudonym_key", "ok", "denied", "denied"),
    ("read the key's hash", "SELECT key_hash FROM pseudonym_key", "ok", "ok", "ok"),
    ("read anonymised texts", "SELECT text FROM anonymised_documents", "ok", "ok", "ok"),
    ("read codings, turns and the codebook", "SELECT c.id, t.role, k.name FROM codings c, turns t, codes k", "ok", "ok", "ok"),
    ("add a coding of one's own",
     "INSERT INTO codings (document_id, start_char, end_char, code_id, coder, status, source, created_at)"
     " VALUES (1, 0, 5, 'driver.raaderum', '{me}', 'accepted', 'human', 'now')", "ok", "ok", "denied"),
    ("add a coding in someone else's name",
     "INSERT INTO codings (document_id, start_char, end_char, code_id, coder, status, source, created_at)"
     " VALUES (1, 0, 5, 'driver.raaderum', 'bo', 'accepted', 'human', 'now')", "ok", "denied", "denied"),
    ("decide anna's coding", "UPDATE codings SET status = 'accepted', decided_by = '{me}' WHERE id = {anna_coding}",
     "ok", "ok", "denied"),
    # Row-level security: bo's row is not anna's to update, so her UPDATE finds nothing to change.
    ("decide bo's coding", "UPDATE codings SET status = 'rejected', decided_by = '{me}' WHERE id = {bo_coding}",
     "ok", "0 rows", "denied"),
    ("move a coding to another span", "UPDATE codings SET start_char = 1 WHERE id = {anna_coding}", "ok", "denied", "denied"),
    ("delete a coding (history is never lost)", "DELETE FROM codings WHERE id = {anna_coding}", "denied", "denied", "denied"),
    ("empty the anonymisation cache", "DELETE FROM anonymised_documents", "0 rows", "denied", "denied"),
    ("log an event on one's own coding",
     "INSERT INTO coding_events (coding_id, action, actor, at) VALUES ({anna_coding}, 'status', '{me}', 'now')",
     "ok", "ok", "denied"),
    ("log an event on bo's coding",
     "INSERT INTO coding_events (coding_id, action, actor, at) VALUES ({bo_coding}, 'status', '{me}', 'now')",
     "ok", "denied", "denied"),
    ("write a memo of one's own", "INSERT INTO memos (author, text, created_at) VALUES ('{me}', 'x', 'now')", "ok", "ok", "denied"),
    ("write a memo as bo", "INSERT INTO memos (author, text, created_at) VALUES ('bo', 'x', 'now')", "ok", "denied", "denied"),
    ("read quote ratings (the report prefers well-rated quotes)", "SELECT coding_id, rating FROM quote_ratings", "ok", "ok", "ok"),
    ("rate a quote in one's own name",
     "INSERT INTO quote_ratings (coding_id, rated_by, rating, rated_at) VALUES ({anna_coding}, '{me}', 4, 'now')",
     "ok", "ok", "denied"),
    ("rate a quote as bo",
     "INSERT INTO quote_ratings (coding_id, rated_by, rating, rated_at) VALUES ({anna_coding}, 'bo', 4, 'now')",
     "ok", "denied", "denied"),
    ("record an autocode run of one's own",
     "INSERT INTO autocode_runs (pattern, mode, unit, code_id, coder, status, created_at)"
     " VALUES ('budget', 'lemma', 'sentence', 'driver.raaderum', '{me}', 'suggested', 'now')", "ok", "ok", "denied"),
    ("record an autocode run as bo",
     "INSERT INTO autocode_runs (pattern, mode, unit, code_id, coder, status, created_at)"
     " VALUES ('budget', 'lemma', 'sentence', 'driver.raaderum', 'bo', 'suggested', 'now')", "ok", "denied", "denied"),
    ("rename a code", "UPDATE codes SET name = 'X' WHERE code_id = 'driver.raaderum'", "ok", "denied", "denied"),
    ("import a document",
     "INSERT INTO documents (name, source_path, format, encoding, text, content_hash, imported_at)"
     " VALUES ('ny.txt', 'ny.txt', 'txt', 'utf-8', 'IP: Hej.', 'h', 'now')", "ok", "denied", "denied"),
    ("write the anonymisation cache", "UPDATE anonymised_documents SET text = 'x'", "0 rows", "denied", "denied"),
    ("replace the pseudonym key", "UPDATE pseudonym_key SET key_json = '{{}}'", "ok", "denied", "denied"),
    ("turn blind coding on", "INSERT INTO settings (key, value) VALUES ('blind_coding', '1')", "ok", "denied", "denied"),
    ("add a person", "SELECT qualcode_add_person('eva', 'coder', NULL)", "ok", "denied", "denied"),
    ("change the schema", "CREATE TABLE extra (x INTEGER)", "denied", "denied", "denied"),
    ("record a migration", "INSERT INTO schema_migrations VALUES (99, 'x', 'now')", "denied", "denied", "denied"),
]


@pytest.mark.parametrize("what, sql, lead, coder, reader", PRIVILEGES, ids=[row[0] for row in PRIVILEGES])
def test_each_role_may_do_exactly_what_its_role_allows(shared_team, what, sql, lead, coder, reader):
    team = shared_team
    ids = {"anna_coding": _coding_of(team["admin"], "anna"), "bo_coding": _coding_of(team["admin"], "bo")}
    for person, expected in (("mette", lead), ("anna", coder), ("rita", reader)):
        with _as(team, person) as p:
            assert _try(p, sql.format(me=person, **ids)) == expected, (person, what)


def test_blind_coding_is_a_policy_no_query_gets_around(team):
    lead = CliRunner().invoke(cli, ["server", "blind", "on", "-p", team["mette"]])
    assert (lead.exit_code, lead.output) == (0, "Blind kodning er slået til: kodere ser kun deres egne kodninger\n")
    with _as(team, "anna") as anna:
        assert {c.coder for c in anna.codings.query()} == {"anna"}
        # Raw SQL, blind mode of the client off: the database still shows anna only her own rows.
        assert anna.blind_coder is None
        assert anna.db.execute("SELECT DISTINCT coder FROM codings").fetchall() == [("anna",)]
        assert {r[0] for r in anna.db.execute("SELECT actor FROM coding_events")} == {"anna"}
        assert [r[0] for r in anna.db.execute("SELECT author FROM memos")] == ["anna"]
    with _as(team, "mette") as mette:
        assert {c.coder for c in mette.codings.query()} == {"anna", "bo"}
    with _as(team, "rita") as rita:
        assert {c.coder for c in rita.codings.query()} == {"anna", "bo"}
    CliRunner().invoke(cli, ["server", "blind", "off", "-p", team["mette"]])
    with _as(team, "anna") as anna:
        assert {c.coder for c in anna.codings.query()} == {"anna", "bo"}
        assert sorted(r[0] for r in anna.db.execute("SELECT author FROM memos")) == ["anna", "bo"]


def test_a_coder_cannot_turn_blind_coding_off(team):
    CliRunner().invoke(cli, ["server", "blind", "on", "-p", team["mette"]])
    result = CliRunner().invoke(cli, ["server", "blind", "off", "-p", team["anna"], "--lang", "en"])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {team['anna']}: your role in this project does not allow this (permission denied for table settings)")
    assert len(result.output.splitlines()) == 1


def test_a_coder_cannot_change_the_codebook_and_gets_one_line(team):
    result = CliRunner().invoke(cli, ["codebook", "rename", "driver.raaderum", "Frihed", "-p", team["anna"], "--lang", "en"])
    assert result.exit_code == 2
    assert result.output == f"Error: {team['anna']}: your role in this project does not allow this (permission denied for table codes)\n"
    with _as(team, "mette") as mette:
        assert mette.codebook.current().get("driver.raaderum").name != "Frihed"


def test_a_coder_autocodes_undoes_and_rates_quotes_under_their_own_name(pg_server):
    from qualcode.search import autocode, undo_autocode

    team = pg_server.team()
    make_project(path=team["admin"], segmented=True, codings=[(0, 1, "driver.tillid_relationer", "anna", "accepted", "human")]).close()
    with _as(team, "anna") as anna:
        result = autocode(anna, "råderum", "driver.raaderum", "anna")
        assert result.coded > 0 and result.run is not None
        made = [c for c in anna.codings.query(coder="anna", source="autocode")]
        assert len(made) == result.coded and {c.status for c in made} == {"suggested"}
        assert sorted(undo_autocode(anna, result.run.id, "anna")) == sorted(c.id for c in made)
        own = anna.codings.query(coder="anna", status="accepted")[0]
        anna.ratings.rate(own.id, 5, "anna")
        assert anna.ratings.ratings([own.id]) == {own.id: 5.0}
    with _as(team, "bo") as bo:  # ratings are shared (blind mode off)
        assert bo.ratings.ratings([own.id]) == {own.id: 5.0}


def test_a_coder_decides_their_own_codings_through_the_store(team):
    with _as(team, "anna") as anna:
        own = anna.codings.query(coder="anna", status="suggested")[0]
        anna.codings.decide(own.id, "accepted", "anna")
        assert anna.codings.get(own.id).status == "accepted"
        assert [e["action"] for e in anna.codings.events(own.id)] == ["created", "status"]
        bo_coding = anna.codings.query(coder="bo")[0]
        with pytest.raises(ProjectError, match=f"no coding with id {bo_coding.id}"):
            anna.codings.decide(bo_coding.id, "rejected", "anna")
        with pytest.raises(AccessDeniedError) as refused:
            anna.codings.add(own.document_id, own.start, own.end, own.code_id, "bo")
        assert str(refused.value) == (
            f"{team['anna']}: en koder gemmer kun kodninger, hændelser og memoer under sit eget databasebrugernavn;"
            ' intet er ændret (new row violates row-level security policy for table "codings")')
    with _as(team, "mette") as mette:
        assert mette.codings.get(bo_coding.id).status == bo_coding.status


def test_a_reader_writes_the_anonymised_report_without_reading_a_transcript(team, tmp_path):
    from qualcode.report import build_report

    # A lead's report anonymises the interviews once and leaves them (and the key) in the database.
    with _as(team, "mette") as mette:
        lead_report = build_report(mette, tmp_path / "leder", formats=("xlsx",), status=None)
        assert KeyStore(mette.db).load().startswith('{\n  "format": "qualcode-pseudonym-key"')
    result = CliRunner().invoke(cli, ["report", "-p", team["rita"], "--out", str(tmp_path / "rita"),
                                      "--format", "xlsx,csv", "--status", "all"])
    assert result.exit_code == 0, result.output
    sheets = [openpyxl.load_workbook(path / "rapport.xlsx") for path in (tmp_path / "rita", tmp_path / "leder")]
    quotes = [[tuple(c.value for c in row) for row in wb.worksheets[0].iter_rows()] for wb in sheets]
    assert quotes[0] == quotes[1] and len(quotes[0]) == 1 + 4
    printed = " ".join(str(v) for row in quotes[0] for v in row)
    assert "Birgitte" not in printed and "[Person 1]" in printed
    assert lead_report.data.anonymised
    with _as(team, "rita") as rita:
        with pytest.raises(AccessDeniedError, match="permission denied for table documents"):
            rita.documents.get(1)
        with pytest.raises(AccessDeniedError, match="permission denied for table pseudonym_key"):
            KeyStore(rita.db).load()
    raw = CliRunner().invoke(cli, ["report", "-p", team["rita"], "--out", str(tmp_path / "raa"), "--no-anonymise", "--lang", "en"])
    assert raw.exit_code == 2
    assert raw.output.splitlines()[-1] == f"Error: {team['rita']}: your role in this project does not allow this (permission denied for table documents)"


def test_a_readers_report_joins_adjacent_codings_as_the_leads_does_and_says_what_to_do_when_it_cannot(pg_server, tmp_path):
    """Joining two coded sentences into one passage looks at the text between them: the anonymised text for a reader."""
    team = pg_server.team()
    with make_project(path=team["admin"], segmented=True, codings=[]) as p:
        doc = p.documents.ids()[0]
        sentences = [s for s in p.documents.segments(doc, "sentence") if not s.is_interviewer]
        first, second = next((a, b) for a, b in zip(sentences, sentences[1:]) if a.turn_index == b.turn_index)
        ids = [p.codings.add(doc, s.start, s.end, "driver.ledelsesopbakning", "anna") for s in (first, second)]
    report = lambda who, lang="da": CliRunner().invoke(  # noqa: E731
        cli, ["report", "-p", team[who], "--out", str(tmp_path / f"{who}-{lang}"), "--format", "csv", "--lang", lang])
    refused = report("rita", "en")
    assert refused.exit_code == 2
    assert refused.output == (f"Error: {team['rita']}: this report needs interviews that are not anonymised in the project yet, "
                              "and your role may not read transcripts; ask a lead to make the same report once (it stores "
                              "the anonymised texts in the project)\n")
    assert report("mette").exit_code == 0
    result = report("rita")
    assert result.exit_code == 0, result.output
    lead, reader = ((tmp_path / f"{who}-da" / "citater.csv").read_text(encoding="utf-8-sig") for who in ("mette", "rita"))
    assert reader == lead
    assert f";{ids[0]},{ids[1]}\n" in reader and "Birgitte" not in reader  # one passage of both sentences


def test_people_are_added_with_a_prompted_password_and_removed(team, pg_server):
    runner = CliRunner()
    added = runner.invoke(cli, ["server", "add", "ida", "--role", "coder", "-p", team["mette"], "--set-password"],
                          input="hemmeligt-ø\nhemmeligt-ø\n")
    assert added.exit_code == 0, added.output
    assert added.output.splitlines()[-1] == f"ida er nu koder i {team['mette']}"
    assert "hemmeligt" not in added.output
    pg_server.cluster.add_password("ida", "hemmeligt-ø")
    ida_url = team["mette"].replace("mette@", "ida@")
    with Project.open(ida_url) as ida:
        assert ida.db.user == "ida" and ida.codings.query()
    result = runner.invoke(cli, ["server", "remove", "ida", "-p", team["mette"]])
    assert (result.exit_code, result.output) == (0, f"ida har ikke længere en rolle i {team['mette']}; kodningerne bevares\n")
    gone = runner.invoke(cli, ["info", "-p", ida_url, "--lang", "en"])
    assert gone.exit_code == 2 and "permission denied for database" in gone.output
    last = runner.invoke(cli, ["server", "remove", "mette", "-p", team["mette"], "--lang", "en"])
    assert last.exit_code == 2
    assert "qualcode: mette is the project's last lead" in last.output
    admin = runner.invoke(cli, ["server", "add", "qualcode_admin", "--role", "reader", "-p", team["mette"], "--lang", "en"])
    assert admin.exit_code == 2 and "is a database administrator and is not managed by qualcode" in admin.output


def test_server_init_on_a_new_database_and_a_wrong_url(pg_server):
    with pg_server.admin() as conn:
        conn.execute('CREATE DATABASE "ny_studie"')
    url = pg_server.cluster.url("ny_studie")
    result = CliRunner().invoke(cli, ["server", "init", url, "--lead", "mette"])
    assert result.exit_code == 0, result.output
    assert result.output == (f"Projektet er klar på {url} (skema 9); roller qc_ny_studie_coder, qc_ny_studie_lead,"
                             " qc_ny_studie_reader; leder: mette\n")
    again = CliRunner().invoke(cli, ["server", "init", url, "--lead", "mette"])
    assert again.exit_code == 0, again.output  # idempotent: re-run after an upgrade
    wrong = CliRunner().invoke(cli, ["server", "init", "studie.qcp", "--lead", "mette", "--lang", "en"])
    assert (wrong.exit_code, wrong.output) == (2, "Error: studie.qcp: not a server project; give a postgresql:// URL\n")
    nowhere = pg_server.cluster.url("findes_ikke")
    missing = CliRunner().invoke(cli, ["info", "-p", nowhere, "--lang", "en"])
    assert missing.exit_code == 2
    assert missing.output.startswith(f"Error: {nowhere}: cannot connect to the database server (")
    assert len(missing.output.splitlines()) == 1


def test_a_coder_stores_a_batch_of_suggestions_under_their_own_name(team):
    from team_helpers import TEXT_A, add_document

    with Project.open(team["admin"]) as admin:  # a segmented interview (the report helpers' have no segments)
        add_document(admin, "segmenteret.txt", TEXT_A, {"role": "leder"})
    with _as(team, "anna") as anna:
        before = len(anna.codings.query(coder="anna"))
        result = CliRunner().invoke(cli, ["suggest", "-p", team["anna"], "--coder", "anna", "--top", "2", "--min-score", "0"])
        assert result.exit_code == 0, result.output
        mine = anna.codings.query(coder="anna", source="machine", status="suggested")
        stored = len(anna.codings.query(coder="anna")) - before
        assert stored > 1 and result.output.splitlines()[-2].endswith(f"Gemt: {stored} forslag til 6 segmenter.")
        assert all(e["actor"] == "anna" for c in mine for e in anna.codings.events(c.id))
    from qualcode.store.codings import NewCoding

    with _as(team, "anna") as anna:  # a batch in bo's name: refused whole, one line
        seg = next(anna.documents.segments(include_interviewer=False))
        batch = [NewCoding(seg.document_id, seg.start, seg.end, code, "bo", "suggested", "machine", 0.5)
                 for code in ("barriere.maalstyring", "driver.raaderum")]
        with pytest.raises(AccessDeniedError, match="en koder gemmer kun kodninger, hændelser og memoer under sit eget"):
            anna.codings.add_many(batch)
        assert anna.codings.query(coder="bo", document_id=seg.document_id) == []
