"""Two coders in two JupyterLab sessions code one server project at once and see each other's work.

Each coder has a JupyterLab server of their own (their own kernel and
database user, passwords from the pgpass file); each runs a notebook with
both widgets: the coding widget (CodingWidget) and the whole interview
(DocumentView, other coders shown). Anna accepts her suggestion in her
browser; within seconds bo's widgets, untouched, show it, pushed by the live
refresh: "anna: …" under "Andre kodere", and a stripe beside the sentence in
the document view; then the other way round. Nothing downloads a browser:
Debian's Chromium.
"""

from __future__ import annotations

import json
import os

import pytest

from qualcode import Project
from qualcode.store.codings import NewCoding
from team_helpers import CODEBOOK, TEXT_A, add_document, sentences
from test_browser import (  # noqa: F401 - requirements is the fixture
    CHROMIUM, CHROMIUM_ARGS, requirements, run_all_cells, start_jupyterlab, stop_jupyterlab,
)

CELLS = ("""\
from qualcode import Project
from qualcode.widget import CodingSession, CodingWidget, DocumentView
project = Project.open({url!r})
widget = CodingWidget(CodingSession(project, {coder!r}))
widget.live.interval = 0.5
widget
""", """\
view = DocumentView(project, coder={coder!r})
view.live.interval = 0.5
view.show_others = True
view
""")


def _notebook(path, url: str, coder: str) -> None:
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": cell.format(url=url, coder=coder)} for cell in CELLS]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")


def _start_lab(folder, coder: str):
    token = f"qualcode-{coder}"
    proc, log, base = start_jupyterlab(folder, token, dict(os.environ, MPLBACKEND="Agg"))
    return proc, log, f"{base}/lab/tree/kodning.ipynb?token={token}"


def _run_notebook(page, url: str) -> None:
    run_all_cells(page, url)
    page.locator(".jp-OutputArea-output button", has_text="Acceptér").first.wait_for(timeout=300_000)
    page.locator(".qc-dv .qc-t").first.wait_for(timeout=120_000)


@pytest.mark.browser
def test_two_coders_in_two_jupyterlab_sessions_see_each_others_work(requirements, pg_server, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    urls = pg_server.team(coders=("anna", "bo"))
    with Project.open(urls["admin"]) as p:
        p.codebook.apply(CODEBOOK, "mette")
        doc = add_document(p, "a.txt", TEXT_A, {"role": "leder"})
        first = sentences(p, doc)[0]
        anna_id, bo_id = p.codings.add_many([
            NewCoding(doc, first.start, first.end, "barriere.maaling", "anna", "suggested", "machine", 0.8, "nøgleord måles"),
            NewCoding(doc, first.start, first.end, "barriere.tid", "bo", "suggested", "machine", 0.7, "lav lighed"),
        ])
    labs = []
    try:
        for coder in ("anna", "bo"):
            folder = tmp_path / coder
            folder.mkdir()
            _notebook(folder / "kodning.ipynb", urls[coder], coder)
            labs.append(_start_lab(folder, coder))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            anna, bo = browser.new_page(), browser.new_page()
            try:
                for page, (_, _, url) in zip((anna, bo), labs):
                    _run_notebook(page, url)
                widget = lambda page: page.locator(".jp-Cell").nth(0).locator(".jp-OutputArea-output")  # noqa: E731
                stripe = lambda page, cid: page.locator(f'.qc-dv .qc-stripe[data-id="{cid}"]')  # noqa: E731
                expect(widget(bo)).not_to_contain_text("Andre kodere")
                expect(stripe(bo, anna_id)).to_have_count(0)
                widget(anna).locator("button", has_text="Acceptér").first.click()
                # Bo clicks nothing: the live refresh brings anna's coding to both his widgets.
                expect(widget(bo)).to_contain_text("anna: Målinger og belønning", timeout=20_000)
                expect(stripe(bo, anna_id)).to_have_count(1, timeout=20_000)
                expect(stripe(bo, anna_id)).to_contain_text("Målinger og belønning")
                widget(bo).locator("button", has_text="Acceptér").first.click()
                expect(widget(anna)).to_contain_text("bo: Tidspres", timeout=20_000)
                expect(stripe(anna, bo_id)).to_have_count(1, timeout=20_000)
                expect(stripe(anna, anna_id)).to_have_count(1)  # her own, drawn when she accepted
            finally:
                for name, page in (("anna", anna), ("bo", bo)):
                    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
                    if page.locator(".qc-dv").count():
                        page.locator(".qc-dv").screenshot(path=str(tmp_path / f"{name}_dokumentvisning.png"))
                browser.close()
    finally:
        for proc, log, _ in labs:
            stop_jupyterlab(proc, log)
    with Project.open(urls["admin"]) as p:
        decided = sorted((c.coder, c.code_id, c.decided_by) for c in p.codings.query(status="accepted"))
    assert decided == [("anna", "barriere.maaling", "anna"), ("bo", "barriere.tid", "bo")]
