"""End to end in a real browser: JupyterLab + Debian's Chromium driven by Playwright.

Opens notebook 02, runs it, clicks "Acceptér" on a suggestion in the coding
widget, and checks that the coding is in the project file. Nothing downloads
a browser: Playwright is pointed at the system Chromium. Elsewhere the test
says what is missing (and fails instead of skipping when
QUALCODE_REQUIRE_BROWSER=1, as in CI).
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

from qualcode import Project

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CODER = "browser-test"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


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


@pytest.fixture
def jupyterlab(tmp_path, requirements):
    shutil.copy(NOTEBOOKS / "02_kodning_med_forslag.ipynb", tmp_path)
    port, token = free_port(), "qualcode-e2e"
    env = dict(os.environ, QUALCODE_WORKDIR=str(tmp_path / "arbejde"), QUALCODE_CODER=CODER, MPLBACKEND="Agg")
    log = open(tmp_path / "jupyterlab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail(f"JupyterLab did not start; log: {(tmp_path / 'jupyterlab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", token, tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_accepted(project_file: Path, n: int, seconds: float = 30) -> list:
    """Poll the project file until the browser coder has ``n`` accepted codings (or time runs out)."""
    deadline = time.time() + seconds
    while True:
        with Project.open(project_file, create=False) as project:
            accepted = project.codings.query(status="accepted", coder=CODER)
        if len(accepted) == n or time.time() > deadline:
            return accepted
        time.sleep(0.5)


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
            run_all_cells(page, f"{base}/lab/tree/02_kodning_med_forslag.ipynb?token={token}")
            accept = page.locator(".jp-OutputArea-output button", has_text="Acceptér").first
            accept.wait_for(timeout=300_000)
            accept.click()
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
