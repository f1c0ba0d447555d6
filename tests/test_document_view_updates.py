"""The document view after each coding action: what the kernel sends, and stripes that stay beside their text.

A coding action sends a patch (the rows it changed), not the document's whole
list; the tests check that the patched list is exactly what a full re-read
gives, in Python and in the browser. The front end re-measures only the turns
whose markup changed and moves the stripes of the turns below; the browser
tests check every stripe against its text's line boxes after changes that
make a turn taller, add parallel stripes, move a coding to another turn,
filter and resize, and check the result against a fresh full render.
"""

from __future__ import annotations

import pytest

from qualcode import Transcript, Turn
from qualcode.codebook import Code, Codebook
from qualcode.importer import store_transcript
from qualcode.widget import DocumentView
import qualcode.widget.document_view as document_view
from view_harness import connect, state_of, write_page

ANSWERS = (
    "Vi har et godt samarbejde med forvaltningen. Men budgettet er skåret ned tre år i træk, og det mærker borgerne. "
    "Når ældreområdet skal spare, er det altid de små tilbud, der ryger først.",
    "Ledelsen bakker op om de nye arbejdsgange. Det betyder meget, at direktøren selv kommer ud på plejecentrene. "
    "Så føler medarbejderne sig hørt, og så går det lettere med forandringerne.",
    "Ildsjælene bærer meget af arbejdet i lokalområdet. De arrangerer fællesspisning og følger de ensomme borgere hjem. "
    "Uden dem ville mange af tilbuddene slet ikke eksistere.",
    "Reglerne for refusion er svære at gennemskue. Vi bruger for meget tid på dokumentation og for lidt tid på borgerne. "
    "Det frustrerer både sygeplejersker og social- og sundhedsassistenter.",
    "Samarbejdet på tværs af afdelinger er blevet bedre. Vi holder fælles møder hver fjortende dag og deler erfaringer. "
    "Det giver en fælles forståelse af, hvad målet er.",
    "Økonomien styrer alt i øjeblikket. Selv gode idéer bliver lagt i skuffen, fordi der ikke er penge til at afprøve dem. "
    "Det er en skam, for medarbejderne har masser af forslag.",
)
QUESTIONS = ("Hvordan oplever du samarbejdet?", "Hvad betyder ledelsen?", "Hvem driver arbejdet?",
             "Hvad står i vejen?", "Hvad er blevet bedre?", "Hvad fylder mest lige nu?")
CODEBOOK = Codebook("T", "1", "da", "", (
    Code("barrierer", "Barrierer", None),
    Code("barriere.oekonomi", "Økonomisk pres", "barrierer"),
    Code("barriere.regler", "Regler og dokumentation", "barrierer"),
    Code("drivkraefter", "Drivkræfter", None),
    Code("driver.ledelse", "Ledelsesopbakning", "drivkraefter"),
    Code("driver.ildsjaele", "Ildsjæle", "drivkraefter"),
    Code("driver.samarbejde", "Samarbejde på tværs", "drivkraefter"),
))


def interview_text() -> tuple[str, list[tuple[int, int, bool]]]:
    parts, spans, at = [], [], 0
    for question, answer in zip(QUESTIONS, ANSWERS):
        for body, is_interviewer in ((question, True), (answer, False)):
            label = "I: " if is_interviewer else "IP: "
            start = at + len(label)
            parts.append(label + body + "\n")
            spans.append((start, start + len(body), is_interviewer))
            at += len(label) + len(body) + 1
    return "".join(parts), spans


TEXT, TURN_SPANS = interview_text()


def answer(n: int) -> tuple[int, int]:
    """Offsets of answer n (0-based): turn 2n + 1."""
    start, end, _ = TURN_SPANS[2 * n + 1]
    return start, end


def sentence(n: int, k: int) -> tuple[int, int]:
    """Offsets of sentence k of answer n."""
    start, end = answer(n)
    at = start
    for i, part in enumerate(TEXT[start:end].split(". ")):
        piece = part if part.endswith(".") else part + "."
        if i == k:
            return at, at + len(piece)
        at += len(part) + 2
    raise IndexError(k)


@pytest.fixture
def view(project):
    turns = tuple(Turn(i, "I" if interviewer else "IP", s, e, is_interviewer=interviewer,
                       role="interviewer" if interviewer else "leder")
                  for i, (s, e, interviewer) in enumerate(TURN_SPANS))
    store_transcript(project, Transcript("b.txt", "b.txt", "txt", TEXT, turns))
    project.codebook.apply(CODEBOOK, "test")
    add = project.codings.add
    for n, code in enumerate(("barriere.oekonomi", "driver.ledelse", "driver.ildsjaele", "barriere.regler",
                              "driver.samarbejde", "barriere.oekonomi")):
        add(1, *sentence(n, 0), code, "mette")
        # overlapping the first: parallel stripes
        add(1, sentence(n, 0)[0] + 10, sentence(n, 1)[1], "driver.samarbejde" if n % 2 else "barriere.regler", "mette")
    add(1, sentence(2, 2)[0], sentence(3, 1)[1], "driver.ildsjaele", "mette")  # across three turns
    return DocumentView(project, coder="mette")


# -- what the kernel sends -----------------------------------------------------------------------------

def updates(view, monkeypatch) -> list[dict]:
    sent: list[dict] = []
    send = view._send
    monkeypatch.setattr(view, "_send", lambda msg, buffers=None: (sent.append(msg), send(msg, buffers)))
    return sent


def coding_id(view, start: int, end: int) -> int:
    return next(r[0] for r in view.codings if (r[1], r[2]) == (start, end))


# Each action, as the browser sends it, from the view fixture's codings (row per action):
ACTIONS = [
    # a new coding inside a coded sentence
    lambda v: {"type": "add", "start": sentence(1, 1)[0], "end": sentence(1, 1)[1], "code": "driver.ledelse"},
    # recode the first coding of answer 0
    lambda v: {"type": "recode", "id": coding_id(v, *sentence(0, 0)), "code": "barriere.regler"},
    # move a coding to another turn: its place in the (start, id) order changes
    lambda v: {"type": "respan", "id": coding_id(v, *sentence(0, 0)), "start": sentence(4, 2)[0], "end": sentence(4, 2)[1]},
    # a memo is part of the row
    lambda v: {"type": "memo", "id": coding_id(v, *sentence(2, 0)), "text": "Frivillige – også de ældre"},
    # deleted: the row goes
    lambda v: {"type": "delete", "id": coding_id(v, *sentence(3, 0))},
    # undo the deletion: the row comes back
    lambda v: {"type": "undo"},
    # undo the memo does nothing (memos are not undone); then undo the respan
    lambda v: {"type": "undo"},
    # nothing left of this view's own history but the recode and the add
    lambda v: {"type": "undo"},
    lambda v: {"type": "undo"},
    lambda v: {"type": "undo"},  # nothing to undo
]


def test_every_action_sends_a_patch_that_equals_a_full_re_read(view, monkeypatch):
    sent = updates(view, monkeypatch)
    base = [list(r) for r in view.codings]
    for make in ACTIONS:
        message = make(view)
        sent.clear()
        view._on_msg(view, message, [])
        assert view.codings == view.workspace.codings_payload(), message
        states = [m["state"] for m in sent if m["method"] == "update"]
        assert all("codings" not in s for s in states), message  # never the whole list again
    # what the browser rebuilds from the list it got and the patches equals the kernel's list
    rows = {r[0]: r for r in base}
    for upsert, removed in view.codings_patches:
        for i in removed:
            rows.pop(i, None)
        rows.update({r[0]: r for r in upsert})
    assert sorted(rows.values(), key=lambda r: (r[1], r[0])) == view.codings
    assert len(view.codings_patches) == 9  # "nothing to undo" changed nothing and sent nothing


def test_the_whole_list_is_sent_with_the_patches_cleared_in_one_message(view, monkeypatch):
    sent = updates(view, monkeypatch)
    monkeypatch.setattr(document_view, "MAX_PATCHES", 2)
    for k in range(3):
        view._on_msg(view, {"type": "add", "start": sentence(5, k)[0], "end": sentence(5, k)[1], "code": "driver.ledelse"}, [])
    [whole] = [m["state"] for m in sent if "codings" in m.get("state", {})]
    assert whole == {"codings": view.codings, "codings_patches": []}
    # a reload that finds nothing new sends nothing; one that does sends both at once
    sent.clear()
    view.reload()
    assert [m for m in sent if "codings" in m["state"] or "codings_patches" in m["state"]] == []
    view.project.codings.add(1, *sentence(4, 1), "driver.samarbejde", "mette")
    view.reload()
    assert [set(m["state"]) for m in sent if "codings" in m["state"]] == [{"codings", "codings_patches"}]
    assert view.codings == view.workspace.codings_payload()


def test_blind_mode_switched_on_while_others_are_shown_takes_them_away_at_the_next_action(view):
    view.project.codings.add(1, *sentence(4, 0), "driver.ledelse", "bo")
    view.show_others = True
    assert {r[4] for r in view.codings} == {"mette", "bo"}
    view.project.blind("mette")
    view._on_msg(view, {"type": "add", "start": sentence(4, 2)[0], "end": sentence(4, 2)[1], "code": "driver.ledelse"}, [])
    assert view.others_allowed is False and {r[4] for r in view.codings} == {"mette"}
    assert view.codings_patches == []  # the whole list, not a patch on top of one with bo's codings


def test_an_autocode_run_and_its_undo_send_the_whole_list(view, monkeypatch):
    sent = updates(view, monkeypatch)
    view._on_msg(view, {"type": "autocode", "query": "borgerne", "code": "barriere.oekonomi", "unit": "sentence"}, [])
    assert [set(m["state"]) for m in sent if "codings" in m.get("state", {})] == [{"codings", "codings_patches"}]
    # "borgerne" twice and "borgere" once (the search is lemma-aware): three sentences
    assert sum(r[5] == "suggested" for r in view.codings) == 3
    sent.clear()
    view._on_msg(view, {"type": "undo"}, [])
    assert [set(m["state"]) for m in sent if "codings" in m.get("state", {})] == [{"codings", "codings_patches"}]
    assert view.codings == view.workspace.codings_payload() and not any(r[5] == "suggested" for r in view.codings)


# -- in the browser ----------------------------------------------------------------------------------------

SETTLE = """async () => {
  // until no stripe pass is queued two frames in a row (a resize observer may queue one more)
  const S = document.querySelector('.qc-dv').__qc.S;
  let quiet = 0;
  while (quiet < 2) {
    await new Promise((r) => requestAnimationFrame(r));
    quiet = S.stripesQueued ? 0 : quiet + 1;
  }
}"""

# Every stripe against its coding's text, read from the page alone: from the first line box of
# the first piece coded with it to the last line box of the last (at least 14 px tall).
MISPLACED = """() => {
  const out = [];
  for (const s of document.querySelectorAll('.qc-stripe')) {
    const pieces = [...document.querySelectorAll(`.qc-t[data-c~="${s.dataset.id}"]`)];
    if (!pieces.length) { out.push([s.dataset.id, 'no text']); continue; }
    const first = pieces[0].getClientRects()[0], rects = pieces[pieces.length - 1].getClientRects();
    const want = Math.max(14, rects[rects.length - 1].bottom - first.top), r = s.getBoundingClientRect();
    if (Math.abs(r.top - first.top) > 1 || Math.abs(r.height - want) > 1) out.push([s.dataset.id, r.top, first.top, r.height, want]);
  }
  return out;
}"""

# Stripes as drawn: id, top and height relative to the margin, lane (left); and stripes that
# overlap by more than 3 px in one lane.
LAYOUT = """() => {
  const origin = document.querySelector('.qc-stripes').getBoundingClientRect().top;
  const bars = [...document.querySelectorAll('.qc-stripe')].map((s) => {
    const r = s.getBoundingClientRect();
    return [+s.dataset.id, Math.round((r.top - origin) * 10) / 10, Math.round(r.height * 10) / 10, s.style.left];
  });
  const clash = [];
  for (const a of bars) for (const b of bars) {
    if (a[0] < b[0] && a[3] === b[3] && a[1] < b[1] + b[2] - 3 && b[1] < a[1] + a[2] - 3) clash.push([a[0], b[0]]);
  }
  return { bars: bars.sort((a, b) => a[0] - b[0]), clash };
}"""


def open_page(chromium, tmp_path, state, name: str, width: int = 1100):
    page = chromium.new_page(viewport={"width": width, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(write_page(state, tmp_path / name).as_uri())
    page.evaluate(SETTLE)
    return page, errors


def turn_height(page, n: int) -> float:
    return page.evaluate("(n) => document.querySelectorAll('.qc-turn')[n].getBoundingClientRect().height", n)


def check(page, chromium, tmp_path, view, what: str, style: str = "") -> dict:
    """Every stripe beside its text, no clashing lanes, and the same stripes as a fresh page (with style) draws."""
    page.evaluate(SETTLE)
    assert page.evaluate(MISPLACED) == [], what
    drawn = page.evaluate(LAYOUT)
    assert drawn["clash"] == [], what
    width = page.viewport_size["width"]
    fresh, errors = open_page(chromium, tmp_path, state_of(view), "fresh.html", width)
    try:
        if style:
            fresh.add_style_tag(content=style)
            fresh.evaluate(SETTLE)
        assert fresh.evaluate(LAYOUT) == drawn, what
    finally:
        fresh.close()
    assert errors == []
    return drawn


@pytest.mark.browser
def test_stripes_follow_their_text_through_every_change(chromium, tmp_path, view):
    page, errors = open_page(chromium, tmp_path, state_of(view), "view.html")
    deliver = connect(view, page)
    shown = check(page, chromium, tmp_path, view, "opened")
    lanes = {b[3] for b in shown["bars"]}
    assert len(shown["bars"]) == 13 and len(lanes) >= 2  # overlapping codings stand in parallel lanes

    # Suggestions in the third turn (answer 1): their chips make it taller and push every turn below down.
    before = turn_height(page, 3)
    for k in range(3):
        view.project.codings.add(1, *sentence(1, k), ("driver.ledelse", "barriere.regler", "driver.ildsjaele")[k], "mette",
                                 status="suggested", source="machine", score=0.8)
    view.reload()
    assert turn_height(page, 3) > before + 10, "the chips should have made the turn taller"
    check(page, chromium, tmp_path, view, "a turn grew")

    # Accept one with a click on its chip: the chip goes (the turn shrinks), a stripe comes.
    page.locator(".qc-chip .qc-ok").first.click()
    assert [m["type"] for m in deliver()] == ["accept"]
    assert view.status == "Forslaget er accepteret."
    drawn = check(page, chromium, tmp_path, view, "a suggestion accepted")
    assert len(drawn["bars"]) == 14

    # A coding that overlaps two others, a coding moved to another turn, a deletion.
    first = coding_id(view, *sentence(0, 0))
    page.evaluate("(m) => window.qcSent.push(m)", {"type": "add", "start": sentence(0, 0)[0] + 4, "end": sentence(0, 1)[1],
                                                  "code": "driver.ledelse"})
    page.evaluate("(m) => window.qcSent.push(m)", {"type": "respan", "id": first, "start": sentence(5, 1)[0], "end": sentence(5, 2)[1]})
    page.evaluate("(m) => window.qcSent.push(m)", {"type": "delete", "id": coding_id(view, *sentence(3, 0))})
    deliver()
    check(page, chromium, tmp_path, view, "added, moved, deleted")
    assert page.locator(f'.qc-stripe[data-id="{first}"]').count() == 1

    # A filter hides and brings back stripes; the stripes of the turns that did not change stay put.
    page.select_option(".qc-f-code", "barrierer")
    page.evaluate(SETTLE)
    assert page.evaluate(MISPLACED) == []
    assert set(page.locator(".qc-stripe span").all_inner_texts()) == {"Økonomisk pres", "Regler og dokumentation"}
    page.select_option(".qc-f-code", "")
    check(page, chromium, tmp_path, view, "filter off again")

    # JupyterLab's theme gives the text another font: the turns keep their width, but wrap anew.
    font = ".qc-dv { --jp-content-font-family: 'DejaVu Sans Mono', monospace; }"
    page.add_style_tag(content=font)
    check(page, chromium, tmp_path, view, "another font", font)

    # A narrower window: the text wraps anew, every turn is measured again.
    page.set_viewport_size({"width": 760, "height": 800})
    check(page, chromium, tmp_path, view, "narrower window", font)
    page.close()
    assert errors == []


@pytest.mark.browser
def test_a_view_opened_later_shows_the_codings_with_the_patches_applied(chromium, tmp_path, view):
    for make in ACTIONS[:5]:
        view._on_msg(view, make(view), [])
    state = state_of(view)
    assert state["codings_patches"], "the actions should have left patches"
    # a view displayed now gets the current list and the patches since the whole list was sent: applied again, nothing changes
    page, errors = open_page(chromium, tmp_path, state, "later.html")
    assert page.evaluate("() => document.querySelector('.qc-dv').__qc.S.rows") == view.codings
    page.close()
    assert errors == []
