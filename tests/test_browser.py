"""End to end in a real browser: JupyterLab + Debian's Chromium driven by Playwright.

Opens notebook 02 and runs it. In the queue widget: clicks "Acceptér" on a
suggestion and checks that the coding is in the project file. In the
document view: selects a span across two sentences with the mouse, codes it
with the picker, accepts an inline suggestion, changes a coding's span, sees
the stripe, and plays a linked (generated) recording from a turn's time. The
project is prepared as a user would before opening the notebook (samples
imported, a recording linked with ``qualcode media link``). Nothing downloads
a browser: Playwright is pointed at the system Chromium. Elsewhere the tests
say what is missing (and fail instead of skipping when
QUALCODE_REQUIRE_BROWSER=1, as in CI).

The document view's screenshots go to the test's folder, and into ``docs/``
when QUALCODE_SCREENSHOTS=1 or the file is not there yet (so an ordinary run
leaves the work tree as it was).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from qualcode import Project, import_files

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CODER = "browser-test"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # the recording starts once its bytes have arrived, after the click that asked for it
    "--autoplay-policy=no-user-gesture-required",
]
DOCS = Path(__file__).resolve().parent.parent / "docs"
MEDIA_DOCUMENT = "02_chef_fjordby.txt"


def missing() -> str | None:
    if CHROMIUM is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        return "jupyterlab is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
def requirements():
    reason = missing()
    if reason:
        if os.environ.get("QUALCODE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser test cannot run: {reason}")
        pytest.skip(f"browser test cannot run: {reason}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_jupyterlab(folder: Path, token: str, env: dict):
    """JupyterLab serving ``folder`` on a free port, once it answers: (process, log, base URL)."""
    port = free_port()
    log = open(folder / "jupyterlab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
            return proc, log, f"http://127.0.0.1:{port}"
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                stop_jupyterlab(proc, log)
                pytest.fail(f"JupyterLab did not start; log: {(folder / 'jupyterlab.log').read_text()[-2000:]}")
            time.sleep(0.5)


def stop_jupyterlab(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def write_tone(path: Path, seconds: int = 1500, rate: int = 4000) -> Path:
    """A quiet 440 Hz tone as long as an interview: a stand-in recording, made here (nothing is downloaded)."""
    import math
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)  # 8-bit: 6 MB for 25 minutes
        out.setframerate(rate)
        second = bytes(128 + int(20 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(rate))
        for _ in range(seconds):
            out.writeframes(second)
    return path


# Coding done before the notebook is opened (document view test): sentence n of turn t gets a code.
EARLIER_CODING = (
    (11, 0, 1, "barriere.lovgivning_finansiering"), (11, 1, 4, "barriere.oekonomi"), (13, 0, 2, "barriere.revirkampe"),
    (13, 1, 3, "driver.tillid_relationer"), (15, 0, 2, "barriere.maalstyring"), (15, 2, 5, "driver.raaderum"),
    (17, 0, 1, "driver.faelles_maal"),
)


def precode(project: Project) -> None:
    doc = project.documents.by_name(MEDIA_DOCUMENT)
    by_turn: dict[int, list] = {}
    for s in project.documents.segments(doc.id, "sentence"):
        by_turn.setdefault(s.turn_index, []).append(s)
    for turn, first, last, code in EARLIER_CODING:
        sentences = by_turn[turn]
        project.codings.add(doc.id, sentences[first].start, sentences[min(last, len(sentences) - 1)].end, code, CODER)


def prepare_project(folder: Path, *, precoded: bool = False) -> Path:
    """What a user does before opening notebook 02: import the samples, link a recording (and code a little)."""
    from click.testing import CliRunner

    from qualcode.cli.main import cli
    from qualcode.demo import sample_dir, sample_files

    project_file = folder / "arbejde" / "studie.qcp"
    project_file.parent.mkdir(parents=True)
    with Project.open(project_file) as project:
        import_files(project, sample_files(sample_dir()), metadata_csv=sample_dir() / "metadata.csv", progress=False)
        if precoded:
            from qualcode.codebook import load_codebook

            project.codebook.apply(load_codebook(sample_dir().parent / "codebooks" / "barrierer_drivkraefter.yaml"), CODER)
            precode(project)
    recording = write_tone(folder / "optagelse.wav")
    result = CliRunner().invoke(cli, ["media", "link", MEDIA_DOCUMENT, str(recording), "--project", str(project_file)])
    assert result.exit_code == 0, result.output
    return project_file


@pytest.fixture
def jupyterlab(request, tmp_path, requirements):
    shutil.copy(NOTEBOOKS / "02_kodning_med_forslag.ipynb", tmp_path)
    prepare_project(tmp_path, precoded=request.node.get_closest_marker("precoded") is not None)
    token = "qualcode-e2e"
    # No "news" toast over the widgets (and no attempt to fetch news).
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # Every cell stays in the page (JupyterLab otherwise drops cells far out of view from the DOM).
    notebook_settings = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = dict(os.environ, QUALCODE_WORKDIR=str(tmp_path / "arbejde"), QUALCODE_CODER=CODER, MPLBACKEND="Agg",
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"))
    proc, log, base = start_jupyterlab(tmp_path, token, env)
    try:
        yield base, token, tmp_path
    finally:
        stop_jupyterlab(proc, log)


def wait_for_accepted(project_file: Path, n: int, seconds: float = 30) -> list:
    """Poll the project file until the browser coder has ``n`` accepted codings (or time runs out)."""
    deadline = time.time() + seconds
    while True:
        with Project.open(project_file, create=False) as project:
            accepted = project.codings.query(status="accepted", coder=CODER)
        if len(accepted) == n or time.time() > deadline:
            return accepted
        time.sleep(0.5)


def reveal(locator, seconds: float = 300) -> None:
    """Wait for an output of the running notebook and scroll it into view.

    Run All scrolls to the last cell, and JupyterLab does not lay out cells
    far out of view, so an output can exist without being visible yet.
    """
    locator.wait_for(state="attached", timeout=seconds * 1000)
    locator.scroll_into_view_if_needed()
    locator.wait_for()


def open_and_run(page, base: str, token: str) -> None:
    """Open notebook 02 in JupyterLab and run all its cells."""
    run_all_cells(page, f"{base}/lab/tree/02_kodning_med_forslag.ipynb?token={token}")


def run_all_cells(page, url: str) -> None:
    """Open a notebook, take the kernel JupyterLab offers, and run every cell."""
    page.goto(url)
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    # JupyterLab may ask which kernel to start (late, on a busy machine):
    # take the preselected Python 3, and go on once the kernel is idle.
    select = page.locator(".jp-Dialog button", has_text="Select")
    idle = page.locator(".jp-StatusBar-TextItem", has_text="Idle")
    deadline = time.time() + 120
    while time.time() < deadline:
        if select.count():
            select.first.click()
        elif idle.count():
            break
        time.sleep(0.5)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells").first.click()


@pytest.mark.browser
def test_accept_a_suggestion_in_jupyterlab(jupyterlab):
    from playwright.sync_api import sync_playwright

    base, token, folder = jupyterlab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        try:
            open_and_run(page, base, token)
            queue = page.locator(".jp-OutputArea-output .widget-vbox").first
            reveal(queue.locator("button", has_text="Næste"))
            accept = queue.locator("button", has_text="Acceptér")
            for _ in range(20):  # an introduction may have no suggestion: go on to a segment that has one
                if accept.count():
                    break
                queue.locator("button", has_text="Næste").click()
                time.sleep(0.5)
            accept.first.click()
            project_file = folder / "arbejde" / "studie.qcp"
            accepted = wait_for_accepted(project_file, 1)
            assert len(accepted) == 1, "clicking 'Acceptér' in the widget did not store an accepted coding"
            # Keyboard shortcuts need the mouse over the widget: Alt+U undoes, Alt+1 accepts again.
            page.locator(".jp-OutputArea-output .widget-vbox").first.hover()
            page.keyboard.press("Alt+KeyU")
            assert wait_for_accepted(project_file, 0) == [], "Alt+U did not undo the acceptance"
            page.keyboard.press("Alt+Digit1")
            accepted = wait_for_accepted(project_file, 1)
        finally:
            # Kept for whoever debugs a failure: what the browser showed last.
            page.screenshot(path=str(folder / "widget.png"))
            browser.close()
    assert len(accepted) == 1, "Alt+1 did not accept the first suggestion"
    coding = accepted[0]
    with Project.open(project_file, create=False) as project:
        text = project.documents.get(coding.document_id).text
        segments = project.documents.segments_overlapping(coding.document_id, coding.start, coding.end)
        assert coding.decided_by == CODER and coding.source == "machine"
        assert [text[coding.start : coding.end]] == [s.text for s in segments]


# -- the document view ----------------------------------------------------------------------------

CHAR_POINT = """([cp, edge]) => {
  // Viewport point just inside the left edge of character cp (code point offset) of the document view.
  const root = document.querySelector('.qc-dv'), qc = root.__qc, S = qc.S;
  let i = 0;
  while (i + 1 < S.pieceStarts.length && S.pieceStarts[i + 1] <= cp) i++;
  const piece = S.pieces[i], node = piece.firstChild;
  const u = qc.toU16(cp) - qc.toU16(+piece.dataset.s);
  const r = document.createRange();
  r.setStart(node, u); r.setEnd(node, u + 1);
  const rect = r.getBoundingClientRect();
  return { x: rect.left + edge, y: rect.top + rect.height / 2 };
}"""


def drag_select(page, start: int, end: int) -> None:
    """Select [start, end) of the document with the mouse, as a coder does."""
    page.evaluate("""(cp) => { const S = document.querySelector('.qc-dv').__qc.S;
        let i = 0; while (i + 1 < S.pieceStarts.length && S.pieceStarts[i + 1] <= cp) i++;
        S.pieces[i].scrollIntoView({ block: 'center' }); }""", start)
    a = page.evaluate(CHAR_POINT, [start, 1])
    b = page.evaluate(CHAR_POINT, [end, 1])
    page.mouse.move(a["x"], a["y"])
    page.mouse.down()
    page.mouse.move(b["x"], b["y"], steps=8)
    page.mouse.up()


def poll(fn, seconds: float = 30):
    deadline = time.time() + seconds
    while True:
        value = fn()
        if value or time.time() > deadline:
            return value
        time.sleep(0.3)


def coding_state(project_file: Path, coding_id: int):
    with Project.open(project_file, create=False) as project:
        return project.codings.get(coding_id), project.codings.events(coding_id)


def pick_span(project_file: Path) -> tuple[int, int, int, int, str]:
    """Two neighbouring sentences of one answer with æ, ø or å: from a word in the first to a word in the second."""
    import re

    with Project.open(project_file, create=False) as project:
        doc = project.documents.by_name(MEDIA_DOCUMENT)
        sentences = [s for s in project.documents.segments(doc.id, "sentence") if not s.is_interviewer]
        for s1, s2 in zip(sentences, sentences[1:]):
            if s1.turn_index != s2.turn_index or s1.turn_index < 11:
                continue
            w1 = [m for m in re.finditer(r"\w*[æøåÆØÅ]\w*", s1.text) if m.start() > 0]
            w2 = list(re.finditer(r"\w*[æøåÆØÅ]\w*", s2.text))
            if w1 and w2 and len(s1.text) > 30:
                start, end = s1.start + w1[0].start(), s2.start + w2[0].end()
                return doc.id, start, end, s1.end, doc.text


def save_screenshot(locator, folder: Path, name: str) -> None:
    locator.screenshot(path=str(folder / name))
    target = DOCS / name
    if os.environ.get("QUALCODE_SCREENSHOTS") == "1" or not target.exists():
        DOCS.mkdir(exist_ok=True)
        shutil.copy(folder / name, target)


@pytest.mark.browser
@pytest.mark.precoded
def test_code_in_the_document_view_in_jupyterlab(jupyterlab):
    from playwright.sync_api import sync_playwright

    base, token, folder = jupyterlab
    project_file = folder / "arbejde" / "studie.qcp"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            open_and_run(page, base, token)
            view = page.locator(".qc-dv")
            reveal(view.locator(".qc-t").first)
            doc_id, start, end, first_end, text = pick_span(project_file)
            assert any(ch in text[start:first_end] for ch in "æøå") and any(ch in text[first_end:end] for ch in "æøå")

            # 1. select across two sentences with the mouse and code it with the picker
            # What the coder selected: the text of the selection, without the suggestion chips between sentences.
            page.evaluate("""document.addEventListener('mouseup', () => {
                if (!window.getSelection().rangeCount) return;
                const part = window.getSelection().getRangeAt(0).cloneContents();
                part.querySelectorAll('.qc-chip, .qc-head').forEach((e) => e.remove());
                window.qcSelected = part.textContent; }, true)""")
            drag_select(page, start, end)
            picker = view.locator(".qc-picker")
            picker.wait_for()
            picker.locator(".qc-p-q").fill("ildsj")
            picker.locator(".qc-opt", has_text="Ildsjæle og brobyggere").first.wait_for()
            view.locator(".qc-picker .qc-p-wait").wait_for(state="detached", timeout=30_000)  # suggestions arrived
            save_screenshot(view, folder, "dokumentvisning_kodevaelger.png")
            picker.locator(".qc-p-q").press("Enter")

            def new_coding():
                with Project.open(project_file, create=False) as project:
                    return [c for c in project.codings.query(document_id=doc_id, coder=CODER, source="human")
                            if (c.start, c.end) == (start, end)]
            [coding] = poll(new_coding)
            assert (coding.start, coding.end, coding.code_id, coding.status) == (start, end, "driver.ildsjaele", "accepted")
            assert text[coding.start:coding.end] == page.evaluate("window.qcSelected")

            # 2. the stripe appears, labelled with the code
            stripe = view.locator(f'.qc-stripe[data-id="{coding.id}"]')
            stripe.wait_for()
            assert stripe.inner_text().strip() == "Ildsjæle og brobyggere"
            # it runs beside the coded text, from its first line to its last
            box = stripe.bounding_box()
            pieces = view.locator(f'.qc-t[data-c~="{coding.id}"]')
            first, last = pieces.first.bounding_box(), pieces.last.bounding_box()
            assert box["y"] <= first["y"] + 2 and box["y"] + box["height"] >= last["y"] + last["height"] - 2

            # 3. accept an inline suggestion with a click, another with the keyboard
            ok = view.locator(".qc-chip .qc-ok").first
            suggestion_id = int(ok.get_attribute("data-sug"))
            ok.click()
            assert poll(lambda: coding_state(project_file, suggestion_id)[0].status == "accepted")
            cells = page.locator(".jp-Cell").count()
            view.locator(".qc-help").click()  # focus the view, not a text field
            page.keyboard.press("n")
            focused = int(view.locator(".qc-chip.qc-focus").get_attribute("data-sug"))
            page.keyboard.press("a")
            assert poll(lambda: coding_state(project_file, focused)[0].status == "accepted")
            assert page.locator(".jp-Cell").count() == cells, "a key in the view reached JupyterLab's notebook shortcuts"

            # 4. change the coding's span: click its stripe, "Ændr udsnit", select from inside the highlight to after it
            view.locator(f'.qc-stripe[data-id="{coding.id}"]').click()
            assert view.locator(".qc-side .qc-side-code").inner_text().strip() == "Ildsjæle og brobyggere"
            view.locator(".qc-b-respan").click()
            new_start = start + 2
            new_end = min(len(text), end + 12)
            drag_select(page, new_start, new_end)
            assert poll(lambda: coding_state(project_file, coding.id)[0].start == new_start)
            moved, events = coding_state(project_file, coding.id)
            assert (moved.start, moved.end) == (new_start, new_end)
            assert events[-1]["action"] == "span" and events[-1]["details"] == {"from": [start, end], "to": [new_start, new_end]}
            view.locator(f'.qc-stripe[data-id="{coding.id}"]').click()
            view.locator(".qc-side .qc-quote").wait_for()
            save_screenshot(view, folder, "dokumentvisning.png")

            # 5. play the linked recording from the turn's time
            turn_start = view.locator(".qc-turn", has=page.locator(f'.qc-t[data-c~="{coding.id}"]')).first
            play = turn_start.locator(".qc-head .qc-play")
            seconds = float(play.get_attribute("data-t"))
            play.click()
            playing = poll(lambda: page.evaluate(
                "(t) => { const m = document.querySelector('.qc-dv .qc-media');"
                " return !!m && m.src.startsWith('blob:') && !m.paused && m.currentTime >= t && m.currentTime < t + 5; }", seconds), 60)
            assert playing, f"the recording did not play from {seconds} s"
        finally:
            page.screenshot(path=str(folder / "document_view_page.png"))
            browser.close()
    assert errors == []
