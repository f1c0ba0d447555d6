"""The coding widget, driven from Python: clicks and typing end up in the project."""

from __future__ import annotations

import pytest

from qualcode import Transcript, Turn
from qualcode.codebook import Code, Codebook
from qualcode.importer import store_transcript
from qualcode.widget import CodingSession, CodingWidget
from qualcode.widget.session import Filters
from qualcode.widget.picker import code_options

# The project tests below run on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

TEXT = (
    "I: Hvad hjælper?\n"
    "IP: Ildsjæle hjælper. Men målingerne styrer alt.\n"
    "I: Og ledelsen?\n"
    "IP: Direktøren bakker op."
)
CODEBOOK = Codebook(
    "Test", "1", "da", "",
    (
        Code("barrierer", "Barrierer", None),
        Code("barriere.maaling", "Målinger og belønning", "barrierer"),
        Code("drivkraefter", "Drivkræfter", None),
        Code("driver.ildsjaele", "Ildsjæle og brobyggere", "drivkraefter"),
        Code("driver.ledelse", "Ledelsesopbakning", "drivkraefter"),
    ),
)


def fake_suggest(segment):
    # Deterministic stand-in for the engine: the widget is under test here.
    if "Ildsjæle" in segment.text:
        return [("driver.ildsjaele", 0.9, "nøgleord ildsjæl*"), ("driver.ledelse", 0.3, "lav lighed")]
    if "målingerne" in segment.text:
        return [("barriere.maaling", 0.8, "nøgleord måling*")]
    return []


@pytest.fixture
def setup(project):
    def span(piece):
        start = TEXT.index(piece)
        return start, start + len(piece)

    turns = (
        Turn(0, "I", *span("Hvad hjælper?"), is_interviewer=True, role="interviewer"),
        Turn(1, "IP", *span("Ildsjæle hjælper. Men målingerne styrer alt."), role="leder", participant_id="P1"),
        Turn(2, "I", *span("Og ledelsen?"), is_interviewer=True, role="interviewer"),
        Turn(3, "IP", *span("Direktøren bakker op."), role="leder", participant_id="P1"),
    )
    store_transcript(project, Transcript("a.txt", "a.txt", "txt", TEXT, turns))
    project.codebook.apply(CODEBOOK, "test")
    learned = []
    session = CodingSession(project, "mette", suggest=fake_suggest, learn=lambda s, c, ok: learned.append((s.text, c, ok)))
    return project, session, CodingWidget(session), learned


def chip_buttons(widget, n):
    accept, reject, _label = widget.chips.children[n].children
    return accept, reject


def test_shows_segment_in_context_with_speaker_role_and_chips(setup):
    project, session, widget, _ = setup
    assert [s.text for s in session.segments] == ["Ildsjæle hjælper.", "Men målingerne styrer alt.", "Direktøren bakker op."]
    assert "Ildsjæle hjælper." in widget.segment_html.value
    assert "IP (leder)" in widget.header.value
    # the end of the interviewer's question, then the speaker's own next sentence
    assert "I: Hvad hjælper?" in widget.context_before.value
    assert "Men målingerne styrer alt." in widget.context_after.value and "Og ledelsen" not in widget.context_after.value
    labels = [chip.children[2].value for chip in widget.chips.children]
    assert "Ildsjæle og brobyggere" in labels[0] and "(0,90)" in labels[0] and "nøgleord ildsjæl*" in labels[0]  # Danish decimal comma
    assert widget.progress_label.value == "kodet 0 / 3"
    # suggestions shown are stored at once, for this coder, as machine suggestions
    stored = project.codings.query(status="suggested")
    assert {(c.code_id, c.coder, c.source) for c in stored} == {("driver.ildsjaele", "mette", "machine"), ("driver.ledelse", "mette", "machine")}


def test_accept_click_writes_to_the_project_and_learns(setup):
    project, session, widget, learned = setup
    accept, _ = chip_buttons(widget, 0)
    accept.click()
    [coding] = project.codings.query(status="accepted")
    assert (coding.code_id, coding.decided_by, coding.shown_score) == ("driver.ildsjaele", "mette", 0.9)
    assert TEXT[coding.start : coding.end] == "Ildsjæle hjælper."
    assert learned == [("Ildsjæle hjælper.", "driver.ildsjaele", True)]
    assert widget.progress_label.value == "kodet 1 / 3"
    assert "Kodet som" in widget.applied_box.value


def test_reject_then_undo_restores_the_suggestion(setup):
    project, session, widget, _ = setup
    _, reject = chip_buttons(widget, 1)
    reject.click()
    rejected = project.codings.query(status="rejected")
    assert [c.code_id for c in rejected] == ["driver.ledelse"]
    widget.undo_button.click()
    assert project.codings.query(status="rejected") == []
    assert [e["action"] for e in project.codings.events(rejected[0].id)] == ["created", "status", "status"]


def test_search_picker_add_code_and_memo(setup):
    project, session, widget, _ = setup
    widget.next_button.click()
    widget.search.value = "ledelse"
    assert widget.picker.options == (("Drivkræfter", "drivkraefter"), ("    Ledelsesopbakning", "driver.ledelse"))
    widget.picker.value = "driver.ledelse"
    widget.add_button.click()
    [coding] = project.codings.query(status="accepted")
    assert (coding.code_id, coding.coder, coding.source) == ("driver.ledelse", "mette", "human")
    assert TEXT[coding.start : coding.end] == "Men målingerne styrer alt."
    widget.memo.value = "Tvivl: måske også styring?"
    widget.memo_button.click()
    [memo] = project.memos.query()
    assert (memo.text, memo.start, memo.end) == ("Tvivl: måske også styring?", coding.start, coding.end)
    widget.undo_button.click()
    assert project.codings.get(coding.id).status == "superseded"


def test_keyboard_commands(setup):
    project, session, widget, _ = setup
    widget._on_command("1")
    assert [c.code_id for c in project.codings.query(status="accepted")] == ["driver.ildsjaele"]
    widget._on_command("n")
    assert session.current.text == "Men målingerne styrer alt."
    widget._on_command("r")
    assert [c.code_id for c in project.codings.query(status="rejected")] == ["barriere.maaling"]
    widget._on_command("x")
    assert widget.status.value == "Ukendt genvej 'x'."


def test_filters_uncoded_only_and_threshold(setup):
    project, session, widget, _ = setup
    chip_buttons(widget, 0)[0].click()
    widget.uncoded.value = True
    assert [s.text for s in session.segments] == ["Men målingerne styrer alt.", "Direktøren bakker op."]
    widget.uncoded.value = False
    widget.next_button.click()  # view the second segment so its suggestion is stored
    # only segments with an open suggestion at or above the threshold remain
    widget.threshold.value = 0.75
    assert [s.text for s in session.segments] == ["Men målingerne styrer alt."]


def test_blind_mode_hides_other_coders(project, setup):
    project, session, widget, _ = setup
    seg = session.segments[0]
    project.codings.add(seg.document_id, seg.start, seg.end, "driver.ledelse", "ole")
    other = CodingSession(project, "mette")
    assert [c.code_id for c in other.applied()] == []


def test_code_options_fold_danish_letters():
    assert code_options(CODEBOOK, "maal") == [("Barrierer", "barrierer"), ("    Målinger og belønning", "barriere.maaling")]


def test_alt_key_shortcuts_over_the_widget(setup):
    project, session, widget, _ = setup
    # what ipyevents sends for Alt+1 (the key itself may be a symbol on some layouts)
    widget._on_key({"type": "keydown", "key": "¡", "code": "Digit1", "altKey": True, "ctrlKey": False, "metaKey": False})
    assert [c.code_id for c in project.codings.query(status="accepted")] == ["driver.ildsjaele"]
    widget._on_key({"type": "keydown", "key": "u", "code": "KeyU", "altKey": True})
    assert project.codings.query(status="accepted") == []
    widget._on_key({"type": "keydown", "key": "n", "code": "KeyN", "altKey": False})  # typing, not a shortcut
    assert session.current.text == "Ildsjæle hjælper."
    widget._on_key({"type": "keydown", "key": "n", "code": "KeyN", "altKey": True})
    assert session.current.text == "Men målingerne styrer alt."


def _recount(session):
    # The definition progress() keeps up to date incrementally: one overlap query per segment.
    return sum(1 for s in session.segments if session._accepted(s)), len(session.segments)


def test_progress_kept_action_by_action_equals_a_full_recount(setup):
    project, session, _widget, _ = setup
    assert session.progress() == _recount(session) == (0, 3)
    first = session.suggestions()
    session.accept(first[0].id)
    assert session.progress() == _recount(session) == (1, 3)
    session.accept(first[1].id)  # a second code on the same sentence still counts it once
    assert session.progress() == _recount(session) == (1, 3)
    session.next()
    session.reject(session.suggestions()[0].id)
    assert session.progress() == _recount(session) == (1, 3)
    session.next()
    session.add_code("driver.ledelse")
    assert session.progress() == _recount(session) == (2, 3)
    session.undo()  # the added code is withdrawn
    assert session.progress() == _recount(session) == (1, 3)
    session.undo()  # the rejection is reopened: still not accepted
    session.undo()  # the second acceptance undone: the first still holds
    assert session.progress() == _recount(session) == (1, 3)
    session.undo()
    assert session.progress() == _recount(session) == (0, 3)
    # Another coder's work never counts (blind by construction).
    project.codings.add(session.segments[2].document_id, session.segments[2].start, session.segments[2].end, "driver.ledelse", "bo")
    session.refresh()
    assert session.progress() == (0, 3)


def test_queue_filters_in_sql_match_the_per_segment_definitions(setup):
    project, session, _widget, _ = setup
    session.accept(session.suggestions()[0].id)
    session.next()
    session.suggestions()  # stores the suggestion for "Men målingerne styrer alt." (0.8)
    everything = list(session.segments)
    for filters in (Filters(code_id="driver.ildsjaele"), Filters(code_id="barriere.maaling"), Filters(uncoded_only=True),
                    Filters(min_score=0.5), Filters(min_score=0.85), Filters(uncoded_only=True, min_score=0.5)):
        session.set_filters(filters)
        expected = [
            s for s in everything
            if (filters.code_id is None or any(c.code_id == filters.code_id for c in session._codings(s)))
            and (not filters.uncoded_only or not session._accepted(s))
            and (filters.min_score <= 0 or any((c.score or 0) >= filters.min_score for c in session._codings(s) if c.status == "suggested"))
        ]
        assert [s.id for s in session.segments] == [s.id for s in expected], filters
    session.set_filters(Filters(code_id="barriere.maaling"))
    assert [s.text for s in session.segments] == ["Men målingerne styrer alt."]
    session.go_to(session.segments[0].id)
    with pytest.raises(KeyError):
        session.go_to(10_000)


def test_context_is_the_question_and_the_speakers_own_sentences(setup):
    project, session, widget, _ = setup
    session.next()  # "Men målingerne styrer alt.": its turn's previous sentence, and the interviewer's follow-up
    parts = session.context_parts()
    assert (parts.question, parts.before, parts.after) == ("I: Hvad hjælper?", "Ildsjæle hjælper.", "I: Og ledelsen?")
    session.next()
    assert session.context_parts() == type(parts)("I: Og ledelsen?", "", "")
    assert session.context() == ("I: Og ledelsen?", "")


def test_a_segment_without_suggestions_says_so(setup):
    project, session, widget, _ = setup
    widget.next_button.click()
    widget.next_button.click()  # "Direktøren bakker op.": the fake engine has nothing
    [note] = widget.chips.children
    assert "Ingen forslag til dette segment." in note.value


def test_open_the_segment_in_the_document_view_and_play_it(setup, tmp_path):
    from qualcode.media import link_media

    project, session, widget, _ = setup
    widget.next_button.click()
    assert widget.play_button.layout.display == "none"  # no recording, no times
    view = widget._open_document()
    assert widget.document_box.children == (view,)
    assert view.focus == [session.current.start, session.current.end]
    assert view.doc["text"] == TEXT
    recording = tmp_path / "optagelse.wav"
    recording.write_bytes(b"RIFF")
    link_media(project, 1, recording, "mette")
    widget.render()
    assert widget.play_button.layout.display == "none"  # the recording is there, but the turn has no time
