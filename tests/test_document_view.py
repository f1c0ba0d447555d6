"""The document view: its workspace (every action one transaction, undoable) and its front end's offsets.

The front-end tests load the shipped ES module on a plain page in Debian's
Chromium (tests/view_harness.py; no JupyterLab, so they are quick) and select
text with the mouse: the offsets sent back must slice the stored NFC text to
exactly the selected characters, whatever UTF-16 makes of emoji.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from qualcode import Transcript, Turn
from qualcode.codebook import Code, Codebook
from qualcode.errors import ProjectError
from qualcode.importer import store_transcript
from qualcode.widget import DocumentView, DocumentWorkspace
from view_harness import STATIC, write_page

TEXT = (
    "I: Hvad betyder ledelsen?\n"
    "IP: Ledelsen bakker op 😀 om samarbejdet på tværs. Men økonomien styrer alt, også på ældreområdet.\n"
    "Det ændrer sig først, når 👩‍👩‍👧 familierne bliver hørt.\n"
    "I: Og så?\n"
    "IP: Så går vi videre med ildsjælene."
)
CODEBOOK = Codebook("T", "1", "da", "", (
    Code("barrierer", "Barrierer", None),
    Code("barriere.oekonomi", "Økonomisk pres", "barrierer"),
    Code("drivkraefter", "Drivkræfter", None),
    Code("driver.ledelse", "Ledelsesopbakning", "drivkraefter"),
    Code("driver.ildsjaele", "Ildsjæle", "drivkraefter"),
))


def at(piece: str, after: int = 0) -> int:
    return TEXT.index(piece, after)


def span(piece: str) -> tuple[int, int]:
    return at(piece), at(piece) + len(piece)


@pytest.fixture
def interview(project):
    answer = TEXT[at("Ledelsen bakker"):at("\nI: Og så?")]
    turns = (
        Turn(0, "I", *span("Hvad betyder ledelsen?"), start_time=1.0, is_interviewer=True, role="interviewer"),
        Turn(1, "IP", at("Ledelsen bakker"), at("Ledelsen bakker") + len(answer), start_time=4.0, role="leder"),
        Turn(2, "I", *span("Og så?"), is_interviewer=True, role="interviewer"),
        Turn(3, "IP", *span("Så går vi videre med ildsjælene."), start_time=65.5, role="leder"),
    )
    store_transcript(project, Transcript("a.txt", "a.txt", "txt", TEXT, turns))
    project.codebook.apply(CODEBOOK, "test")
    return project


# -- the workspace -----------------------------------------------------------------------------------

def test_every_action_is_stored_and_undone_with_its_history(interview):
    ws = DocumentWorkspace(interview, "mette")
    a, b = span("økonomien styrer alt")
    cid = ws.add(a, b, "barriere.oekonomi")
    assert TEXT[interview.codings.get(cid).start:interview.codings.get(cid).end] == "økonomien styrer alt"
    ws.recode(cid, "driver.ledelse")
    ws.respan(cid, a, b + len(", også på ældreområdet"))
    ws.memo(cid, "  Måske også styring?  ")
    ws.delete(cid)
    c = interview.codings.get(cid)
    assert (c.status, c.code_id, TEXT[c.start:c.end]) == ("superseded", "driver.ledelse", "økonomien styrer alt, også på ældreområdet")
    assert [m.text for m in interview.memos.query(coding_id=cid)] == ["Måske også styring?"]
    ws.undo()  # the deletion
    ws.undo()  # the new span
    ws.undo()  # the recoding
    c = interview.codings.get(cid)
    assert (c.status, c.code_id, c.start, c.end) == ("accepted", "barriere.oekonomi", a, b)
    ws.undo()  # the coding itself: withdrawn, never deleted
    assert interview.codings.get(cid).status == "superseded"
    assert [e["action"] for e in interview.codings.events(cid)] == [
        "created", "recode", "span", "delete", "undo", "span", "undo", "undo"]
    assert ws.undo() is None
    assert ws.recent == ["driver.ledelse", "barriere.oekonomi"]


def test_suggestions_are_accepted_and_rejected_with_the_score_shown(interview):
    a, b = span("Ledelsen bakker op 😀 om samarbejdet på tværs.")
    sid = interview.codings.add(1, a, b, "driver.ledelse", "mette", status="suggested", source="machine", score=0.7)
    other = interview.codings.add(1, a, b, "barriere.oekonomi", "mette", status="suggested", source="machine", score=0.2)
    ws = DocumentWorkspace(interview, "mette")
    ws.accept(sid)
    ws.reject(other)
    assert [(c.status, c.shown_score, c.decided_by) for c in map(interview.codings.get, (sid, other))] == [
        ("accepted", 0.7, "mette"), ("rejected", 0.2, "mette")]
    ws.undo()
    assert interview.codings.get(other).status == "suggested"


def test_bad_spans_and_other_documents_are_refused(interview):
    ws = DocumentWorkspace(interview, "mette")
    with pytest.raises(ProjectError, match="ligger uden for dokumentet"):
        ws.add(10, len(TEXT) + 1, "driver.ledelse")
    with pytest.raises(ProjectError, match="ukendt kode-id"):
        ws.recode(ws.add(0, 5, "driver.ledelse"), "nope")


def test_blind_mode_never_sends_other_coders(interview):
    interview.codings.add(1, 4, 20, "driver.ledelse", "bo")
    mine = interview.codings.add(1, 30, 40, "driver.ledelse", "mette")
    view = DocumentView(interview, coder="mette")
    assert [c[0] for c in view.codings] == [mine]
    view.show_others = True
    assert sorted(c[4] for c in view.codings) == ["bo", "mette"]
    interview.blind("mette")
    view.reload()
    assert view.others_allowed is False and [c[4] for c in view.codings] == ["mette"]


def test_view_payload_and_messages(interview):
    view = DocumentView(interview, "a.txt", coder="mette")
    assert view.doc["text"] == TEXT
    assert view.doc["turns"][1][:6] == [at("Ledelsen bakker"), at("\nI: Og så?"), "IP", "leder", 4.0, False]
    assert view.doc["turns"][3][6] == "00:01:05"
    assert [c[0] for c in view.codes] == ["barrierer", "barriere.oekonomi", "drivkraefter", "driver.ledelse", "driver.ildsjaele"]
    assert view.labels["accept"] == "Acceptér" and view.labels["decimal"] == ","
    a, b = span("ildsjælene")
    view._on_msg(view, {"type": "add", "start": a, "end": b, "code": "driver.ildsjaele"}, [])
    assert view.status == "Kodet: Ildsjæle." and view.codings[0][1:4] == [a, b, "driver.ildsjaele"]
    view._on_msg(view, {"type": "add", "start": a, "end": len(TEXT) + 5, "code": "driver.ildsjaele"}, [])
    assert view.status.startswith("Ikke gemt: udsnittet")
    view._on_msg(view, {"type": "search", "query": "ledelse"}, [])
    assert [TEXT[s:e] for s, e in view.search_hits] == ["ledelsen", "Ledelsen"] and view.status == "2 fund"
    view._on_msg(view, {"type": "autocode", "query": "ledelse", "code": "driver.ledelse", "unit": "sentence"}, [])
    assert view.status == "Autokodning 1: 1 forslag gemt (Fortryd tager hele kørslen tilbage)."
    view._on_msg(view, {"type": "undo"}, [])
    assert interview.autocode_runs.get(1).undone_by == "mette"


def test_a_linked_recording_is_sent_in_chunks(interview, tmp_path, monkeypatch):
    from qualcode.media import link_media
    import qualcode.widget.workspace as workspace

    recording = tmp_path / "optagelse.mp3"
    recording.write_bytes(bytes(range(256)) * 10)
    link_media(interview, 1, recording, "mette")
    monkeypatch.setattr(workspace, "MEDIA_CHUNK", 1000)
    view = DocumentView(interview, coder="mette")
    assert view.media == {"name": "optagelse.mp3", "kind": "audio", "mime": "audio/mpeg", "size": 2560}
    sent = []
    monkeypatch.setattr(view, "send", lambda content, buffers=None: sent.append((content, buffers)))
    view._on_msg(view, {"type": "media"}, [])
    assert [c["type"] for c, _ in sent] == ["media_chunk"] * 3 + ["media_done"]
    assert b"".join(b[0] for _, b in sent[:3]) == recording.read_bytes()


# -- the front end -------------------------------------------------------------------------------------

def test_the_front_end_module_parses():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    source = (STATIC / "document_view.js").read_text(encoding="utf-8")
    result = subprocess.run([node, "--input-type=module", "--check"], input=source, text=True, capture_output=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def browser_page(chromium, tmp_path, interview):
    a, b = span("bakker op 😀 om")
    interview.codings.add(1, a, b, "driver.ledelse", "mette")
    view = DocumentView(interview, coder="mette")
    page_file = write_page(view, tmp_path / "view.html")
    page = chromium.new_page(viewport={"width": 1300, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    page.locator(".qc-t").first.wait_for()
    yield page
    page.close()
    assert errors == []


def drag(page, start: int, end: int) -> None:
    from test_browser import drag_select

    drag_select(page, start, end)


@pytest.mark.browser
@pytest.mark.parametrize("start, end", [
    # æøå in two sentences of one turn
    (at("samarbejdet"), at("også på") + 4),
    # after an emoji (two UTF-16 units, one code point): offsets must not drift
    (at("om samarbejdet"), at("på tværs") + 8),
    # a ZWJ family emoji (five code points, eight UTF-16 units) inside the selection
    (at("først"), at("familierne") + 10),
    # across a line break inside the turn
    (at("ældreområdet"), at("ændrer") + 6),
    # starting inside a highlight ("bakker op 😀 om" is coded)
    (at("op 😀"), at("samarbejdet") + 11),
    # ending inside a highlight
    (at("Ledelsen bakker"), at("😀") + 1),
])
def test_mouse_selections_become_exact_code_point_offsets(browser_page, start, end):
    page = browser_page
    page.evaluate("window.qcSent.length = 0")
    drag(page, start, end)
    page.locator(".qc-picker").wait_for()
    selected = page.evaluate("window.getSelection().toString()")
    page.locator(".qc-picker .qc-opt", has_text="Ildsjæle").click()
    [sent] = [m for m in page.evaluate("window.qcSent") if m["type"] == "add"]
    assert (sent["start"], sent["end"], sent["code"]) == (start, end, "driver.ildsjaele")
    assert TEXT[start:end] == selected.replace("\u00a0", " ") or not selected  # the input may take the selection


@pytest.mark.browser
def test_a_selection_across_turns_spans_both_and_a_speaker_head_snaps_to_the_text(browser_page):
    page = browser_page
    start = at("hørt")
    end = at("Så går") + 6
    drag(page, start, end)
    page.locator(".qc-picker .qc-opt", has_text="Ildsjæle").click()
    [sent] = [m for m in page.evaluate("window.qcSent") if m["type"] == "add"]
    assert (sent["start"], sent["end"]) == (start, end)
    # a selection that begins on a speaker line (the head is not text) starts where the turn's text starts
    page.evaluate("window.qcSent.length = 0")
    page.evaluate("""(cp) => {
        const qc = document.querySelector('.qc-dv').__qc, S = qc.S;
        let i = 0; while (i + 1 < S.pieceStarts.length && S.pieceStarts[i + 1] <= cp) i++;
        const piece = S.pieces[i], r = document.createRange();
        r.setStart(document.querySelectorAll('.qc-turn')[3].querySelector('.qc-head'), 0);
        r.setEnd(piece.firstChild, qc.toU16(cp) - qc.toU16(+piece.dataset.s));
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
        piece.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    }""", at("videre"))
    page.locator(".qc-picker .qc-opt", has_text="Ildsjæle").click()
    [sent] = [m for m in page.evaluate("window.qcSent") if m["type"] == "add"]
    assert (sent["start"], sent["end"]) == (at("Så går"), at("videre"))
    # a triple click takes the whole answer
    page.evaluate("window.qcSent.length = 0")
    page.locator(".qc-turn").nth(3).locator(".qc-t").first.click(click_count=3)
    page.locator(".qc-picker .qc-opt", has_text="Ildsjæle").click()
    [sent] = [m for m in page.evaluate("window.qcSent") if m["type"] == "add"]
    assert (sent["start"], sent["end"]) == span("Så går vi videre med ildsjælene.")


@pytest.mark.browser
def test_a_busy_page_opens_the_picker_for_the_last_click_of_a_triple_click(browser_page):
    # On a loaded machine the third mousedown can arrive before the timer of the second mouseup
    # has run. The picker that timer would open takes the focus and with it the selection, so
    # the third click found nothing to code (seen as a flaky CI failure). Replayed here in order.
    page = browser_page
    a, b = span("Så går vi videre med ildsjælene.")
    page.evaluate("""async ([a, b, w]) => {
        const qc = document.querySelector('.qc-dv').__qc, S = qc.S;
        const select = (from, to) => {
            const pieceOf = (cp) => { let i = 0; while (i + 1 < S.pieceStarts.length && S.pieceStarts[i + 1] <= cp) i++; return S.pieces[i]; };
            const p = pieceOf(from), q = pieceOf(to - 1), r = document.createRange();
            r.setStart(p.firstChild, qc.toU16(from) - qc.toU16(+p.dataset.s));
            r.setEnd(q.firstChild, qc.toU16(to) - qc.toU16(+q.dataset.s));
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
            return p;
        };
        const fire = (node, type, detail) => node.dispatchEvent(new MouseEvent(type, { bubbles: true, detail }));
        const word = select(a, a + w);                       // the double click selected a word ...
        fire(word, 'mouseup', 2); fire(word, 'click', 2);
        fire(word, 'mousedown', 3); select(a, b);            // ... the third press took the sentence ...
        await new Promise((r) => setTimeout(r, 20));         // ... and the second mouseup's timer ran
        fire(word, 'mouseup', 3); fire(word, 'click', 3);
    }""", [a, b, len("Så")])
    page.locator(".qc-picker .qc-opt", has_text="Ildsjæle").click()
    [sent] = [m for m in page.evaluate("window.qcSent") if m["type"] == "add"]
    assert (sent["start"], sent["end"]) == (a, b)


@pytest.mark.browser
def test_highlights_stripes_and_suggestion_chips(browser_page):
    page = browser_page
    coded = page.locator(".qc-t.qc-coded")
    assert "".join(coded.all_inner_texts()) == "bakker op 😀 om"
    # Stripes are laid out in the next animation frame: wait for them, never read them at once.
    expect(page.locator(".qc-stripe")).to_have_text(["Ledelsesopbakning"])
    a, b = span("Så går vi videre med ildsjælene.")
    codings = page.evaluate("window.qcState.codings")
    codings.append([99, a, b, "driver.ildsjaele", "mette", "suggested", "machine", 0.62, "nøgleord ildsjæl", ""])
    page.evaluate("(c) => window.qcUpdate('codings', c)", codings)
    chip = page.locator(".qc-chip")
    assert chip.inner_text().replace("\n", " ").split()[:2] == ["Ildsjæle", "0,62"]
    chip.locator(".qc-ok").click()
    assert page.evaluate("window.qcSent.filter(m => m.type === 'accept')") == [{"type": "accept", "id": 99}]
    # below the threshold it is not shown
    page.evaluate("() => window.qcUpdate('threshold', 0.7)")
    assert page.locator(".qc-chip").count() == 0


@pytest.mark.browser
def test_filters_by_code_with_children_status_and_coder(browser_page):
    page = browser_page
    codings = page.evaluate("window.qcState.codings")
    a, b = span("økonomien styrer alt")
    codings.append([98, a, b, "barriere.oekonomi", "bo", "accepted", "human", None, "", "Et memo"])
    page.evaluate("(c) => window.qcUpdate('codings', c)", codings)
    expect(page.locator(".qc-stripe")).to_have_count(2)
    page.select_option(".qc-f-code", "barrierer")  # a theme: its children's codings stay
    expect(page.locator(".qc-stripe")).to_have_text(["Økonomisk pres"])
    page.select_option(".qc-f-code", "")
    page.select_option(".qc-f-coder", "mette")
    expect(page.locator(".qc-stripe")).to_have_text(["Ledelsesopbakning"])
    page.select_option(".qc-f-coder", "")
    page.select_option(".qc-f-status", "rejected")
    expect(page.locator(".qc-stripe")).to_have_count(0)
