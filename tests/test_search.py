"""Search (lemma-aware and regular expressions), keyword in context, autocode runs and undoing them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode import Transcript, Turn
from qualcode.cli.main import cli
from qualcode.codebook import Code, Codebook
from qualcode.errors import ProjectError, QualcodeError
from qualcode.importer import store_transcript
from qualcode.search import autocode, kwic, search, undo_autocode
from qualcode.search.patterns import Pattern, inflects

TEXT = (
    "I: Hvad med budgettet?\n"
    "IP: Budgettet er for lille. Vi har ingen budgetter til det fælles. Ledelsen bakker op.\n"
    "I: Og så?\n"
    "IP: Så er der budgetopfølgningen hver måned. Det tager tid.\n"
)
CODEBOOK = Codebook("T", "1", "da", "", (
    Code("barrierer", "Barrierer", None),
    Code("barriere.oekonomi", "Økonomisk pres", "barrierer"),
    Code("drivkraefter", "Drivkræfter", None),
    Code("driver.ledelse", "Ledelsesopbakning", "drivkraefter"),
))


def span(piece: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(piece, after)
    return start, start + len(piece)


@pytest.fixture
def interview(project):
    turns = (
        Turn(0, "I", *span("Hvad med budgettet?"), start_time=0.0, is_interviewer=True, role="interviewer"),
        Turn(1, "IP", *span("Budgettet er for lille. Vi har ingen budgetter til det fælles. Ledelsen bakker op."),
             start_time=4.5, role="leder", participant_id="P1"),
        Turn(2, "I", *span("Og så?"), start_time=20.0, is_interviewer=True, role="interviewer"),
        Turn(3, "IP", *span("Så er der budgetopfølgningen hver måned. Det tager tid."), start_time=22.0, role="leder"),
    )
    store_transcript(project, Transcript("a.txt", "a.txt", "txt", TEXT, turns))
    project.codebook.apply(CODEBOOK, "test")
    return project


def found(project, pattern, **kw):
    return [TEXT[h.start:h.end] for h in search(project, pattern, **kw)]


@pytest.mark.parametrize("pattern, regex, expected", [
    # a word finds its inflections, also where the lemma table calls them another word class
    ("budget", False, ["budgettet", "Budgettet", "budgetter"]),
    # a trailing * also finds compounds
    ("budget*", False, ["budgettet", "Budgettet", "budgetter", "budgetopfølgningen"]),
    # a phrase of lemmas: "bakke op" finds "bakker op"
    ("bakke op", False, ["bakker op"]),
    # a regular expression, case-insensitive, may span words
    (r"budget\w*\s+(er|til)", True, ["Budgettet er", "budgetter til"]),
    # letters outside ASCII stay intact
    ("fælles", False, ["fælles"]),
])
def test_search_patterns(interview, pattern, regex, expected):
    assert found(interview, pattern, regex=regex) == expected


def test_hits_carry_document_speaker_role_offsets_sentence_and_time(interview):
    first, second, third = search(interview, "budget")
    assert (first.speaker, first.role, first.is_interviewer, first.start_time) == ("I", "interviewer", True, 0.0)
    assert (second.document, second.speaker, second.role, second.turn_index) == ("a.txt", "IP", "leder", 1)
    assert TEXT[second.sentence_start:second.sentence_end] == "Budgettet er for lille."
    assert TEXT[third.sentence_start:third.sentence_end] == "Vi har ingen budgetter til det fælles."
    assert TEXT[third.turn_start:third.turn_end].endswith("Ledelsen bakker op.")
    assert second.start_time == 4.5


def test_role_and_code_filters(interview):
    assert found(interview, "budget", role="leder") == ["Budgettet", "budgetter"]
    assert found(interview, "budget", role="interviewer") == ["budgettet"]
    assert found(interview, "budget", include_interviewer=False) == ["Budgettet", "budgetter"]
    interview.codings.add(1, *span("Vi har ingen budgetter til det fælles."), "barriere.oekonomi", "mette")
    # inside the accepted codings of the code or its children
    assert found(interview, "budget", code="barrierer") == ["budgetter"]
    assert found(interview, "budget", code="barriere.oekonomi", coder="bo") == []


def test_kwic_and_dataframe(interview):
    start, end = span("budgetter")
    assert kwic(TEXT, start, end, width=12) == ("Vi har ingen ", "budgetter", " til det fæll")
    df = interview.search("budget", role="leder")
    assert list(df["hit"]) == ["Budgettet", "budgetter"]
    assert list(df[["speaker", "role", "start", "end"]].itertuples(index=False, name=None))[1] == ("IP", "leder", start, end)


@pytest.mark.parametrize("pattern, regex, message", [
    ("", False, "søgemønstret er tomt"),
    ("(", True, "ikke et gyldigt regulært udtryk: ( (en parentes er ikke lukket, ved tegn 1)"),
    ("x" * 501, False, "søgemønstret er længere end 500 tegn"),
    ("b*dget", False, "ikke et brugbart søgemønster: nøgleord »b*dget«: '*' må kun stå først eller sidst i et ord"),
])
def test_bad_patterns_say_what_is_wrong(pattern, regex, message):
    with pytest.raises(QualcodeError) as exc:
        Pattern(pattern, regex=regex)
    assert str(exc.value) == message


def test_inflection_rule():
    assert inflects("budgetter", "budget") and inflects("budgettet", "budget") and inflects("bakker", "bakke")
    assert not inflects("budgetopfølgning", "budget") and not inflects("bud", "budget")


def test_autocode_sentences_as_suggestions_then_undo_the_run(interview):
    result = autocode(interview, "budget", "barriere.oekonomi", "mette")
    assert len(result.hits) == 2 and result.coded == 2  # interviewer turns are left out
    codings = interview.codings.query(source="autocode")
    assert [TEXT[c.start:c.end] for c in codings] == ["Budgettet er for lille.", "Vi har ingen budgetter til det fælles."]
    assert {(c.status, c.coder, c.reason) for c in codings} == {("suggested", "mette", "autokodning: søgning efter »budget«")}
    run = result.run
    assert (run.pattern, run.mode, run.unit, run.code_id, run.status, run.codings) == ("budget", "lemma", "sentence", "barriere.oekonomi", "suggested", 2)
    # the coder accepts one, then the run is undone as a whole
    interview.codings.decide(codings[0].id, "accepted", "mette")
    assert undo_autocode(interview, run.id, "mette") == [c.id for c in codings]
    assert [c.status for c in interview.codings.query(source="autocode")] == ["superseded", "superseded"]
    assert [e["action"] for e in interview.codings.events(codings[0].id)] == ["created", "status", "autocode-undo"]
    assert interview.autocode_runs.get(run.id).undone_by == "mette"
    with pytest.raises(ProjectError, match=f"autokodningskørsel {run.id} er allerede fortrudt"):
        undo_autocode(interview, run.id, "mette")


def test_autocode_units_accept_and_no_duplicates(interview):
    turn = autocode(interview, "budget", "barriere.oekonomi", "mette", unit="turn", accept=True)
    [coding] = interview.codings.query(source="autocode")
    assert TEXT[coding.start:coding.end].startswith("Budgettet er for lille.") and coding.status == "accepted"
    assert turn.coded == 1 and turn.run.status == "accepted"
    hits = autocode(interview, "budget", "barriere.oekonomi", "mette", unit="hit", regex=False)
    assert [TEXT[c.start:c.end] for c in interview.codings.query(source="autocode")][1:] == ["Budgettet", "budgetter"]
    again = autocode(interview, "budget", "barriere.oekonomi", "mette", unit="hit")
    assert (again.run, again.coded, again.already) == (None, 0, 2)
    regex = autocode(interview, r"tager tid", "barriere.oekonomi", "mette", regex=True)
    assert regex.run.mode == "regex" and interview.codings.get(interview.autocode_runs.coding_ids(regex.run.id)[0]).reason == "autokodning: regulært udtryk »tager tid«"
    assert [r.id for r in interview.autocode_runs.runs()] == [turn.run.id, hits.run.id, regex.run.id]


def test_autocode_refuses_an_unknown_code(interview):
    with pytest.raises(QualcodeError, match="ukendt kode-id »nope«"):
        autocode(interview, "budget", "nope", "mette")
    assert interview.autocode_runs.runs() == []


@pytest.fixture
def project_path(tmp_path, interview):
    # the in-memory interview, written to a file the CLI can open
    path = tmp_path / "s.qcp"
    interview.db.conn.execute(f"VACUUM INTO '{path}'")
    return path


def run(*args):
    result = CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_search_prints_keyword_in_context(project_path):
    code, out = run("search", "budget", "--project", project_path, "--lang", "en")
    lines = out.splitlines()
    s, e = span("budgetter")
    assert code == 0 and len(lines) == 4
    assert lines[2] == f"a.txt  IP (leder)  {s}-{e}  {'Budgettet er for lille. Vi har ingen ':>41}[budgetter] til det fælles. Ledelsen bakker op."
    assert lines[3] == "3 hits in 1 interview."
    code, out = run("search", "budget", "--project", project_path, "--role", "interviewer")
    assert out.splitlines()[-1] == "Søgningen gav 1 fund i 1 interview."


def test_cli_autocode_and_undo(project_path):
    code, out = run("autocode", "budget", "--code", "barriere.oekonomi", "--coder", "mette", "--project", project_path)
    assert code == 0
    assert out.splitlines() == [
        "Kørsel 1: 2 sætninger kodet »Økonomisk pres« som forslag til gennemsyn (2 fund).",
        f"Fortryd med: qualcode autocode --undo 1 --project {project_path}",
    ]
    code, out = run("autocode", "--runs", "--project", project_path)
    assert "»budget« (ord, sætning)\tbarriere.oekonomi\t2 kodninger\tforslag" in out
    code, out = run("autocode", "--undo", "1", "--coder", "mette", "--project", project_path)
    assert (code, out.strip()) == (0, "Kørsel 1 fortrudt: 2 kodninger trukket tilbage.")
    result = CliRunner().invoke(cli, ["autocode", "--undo", "1", "--project", str(project_path)])
    assert result.exit_code == 2 and result.output.startswith("Fejl: autokodningskørsel 1 er allerede fortrudt")
    result = CliRunner().invoke(cli, ["autocode", "--undo", "7", "--project", str(project_path)])
    assert (result.exit_code, result.output.strip()) == (2, "Fejl: der er ingen autokodningskørsel 7 i projektet")
    result = CliRunner().invoke(cli, ["search", "(", "--regex", "--project", str(project_path)])
    assert (result.exit_code, result.output.strip()) == (2, "Fejl: ikke et gyldigt regulært udtryk: ( (en parentes er ikke lukket, ved tegn 1)")
    result = CliRunner().invoke(cli, ["autocode", "budget", "--project", str(project_path)])
    assert (result.exit_code, result.output.strip()) == (2, "Fejl: angiv MØNSTER og --code (eller --undo KØRSEL, eller --runs)")
