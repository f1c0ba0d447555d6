"""Live refresh: two coders' widgets on one project see each other's work; the lead's codebook reaches both."""

from __future__ import annotations

import asyncio
import time

import pytest

from qualcode import Project
from qualcode.codebook import Code, Codebook
from qualcode.widget import CodingSession, CodingWidget
from team_helpers import CODEBOOK, TEXT_A, add_document

pytestmark = pytest.mark.backends


@pytest.fixture
def places(backend, new_location, request):
    """(where anna, bo and the lead open the project), with one interview and the codebook in it."""
    if backend == "postgresql":
        urls = request.getfixturevalue("pg_server").team(coders=("anna", "bo"))
        admin = urls["admin"]
    else:
        admin = new_location("studie")
        urls = {"anna": admin, "bo": admin, "mette": admin}
    with Project.open(admin) as p:
        p.codebook.apply(CODEBOOK, "mette")
        add_document(p, "a.txt", TEXT_A, {"role": "leder"})
    return urls


def _widget(location, coder: str, *, live: bool = False):
    project = Project.open(location, create=False)
    return CodingWidget(CodingSession(project, coder), live=live)


def test_a_coders_widget_shows_the_others_new_coding_after_a_check(places):
    anna, bo = _widget(places["anna"], "anna"), _widget(places["bo"], "bo")
    try:
        assert anna.others_box.value == "" and anna.live.check() == frozenset()
        bo.session.add_code("barriere.maaling")
        assert anna.session.current.id == bo.session.current.id  # the same first sentence
        assert anna.live.check() == frozenset({"codings"})
        assert "<b>Andre kodere:</b> bo: Målinger og belønning" in anna.others_box.value
        assert anna.status.value == "Opdateret med andres ændringer."
        assert anna.live.check() == frozenset()  # nothing new since
    finally:
        for w in (anna, bo):
            w.close()
            w.session.project.close()


def test_the_leads_codebook_change_reaches_an_open_widget(places):
    anna = _widget(places["anna"], "anna")
    try:
        with Project.open(places["mette"], create=False) as lead:
            lead.codebook.rename("barriere.tid", "Tidsmangel", "mette")
            now = lead.codebook.current()
            grown = Codebook(now.name, "2", "da", "", now.codes + (Code("driver.sprog", "Fælles sprog", "drivkraefter"),))
            lead.codebook.apply(grown, "mette")
        assert anna.live.check() == frozenset({"codebook"})
        labels = [label for label, _ in anna.picker.options]
        assert any("Tidsmangel" in label for label in labels) and any("Fælles sprog" in label for label in labels)
        assert anna.status.value == "Kodebogen er ændret; listen over koder er opdateret."
    finally:
        anna.close()
        anna.session.project.close()


def test_the_background_watcher_refreshes_within_seconds(places):
    """As in a JupyterLab kernel: the widget is made on a running event loop, which delivers the refresh."""

    async def coding():
        anna = _widget(places["anna"], "anna", live=True)
        anna.live.interval = 0.2
        assert anna.live.watchable
        bo = _widget(places["bo"], "bo")
        try:
            bo.session.add_code("barriere.tid")
            deadline = time.monotonic() + 10
            while "bo: Tidspres" not in anna.others_box.value and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return anna.others_box.value
        finally:
            for w in (anna, bo):
                w.close()
                w.session.project.close()

    assert "bo: Tidspres" in asyncio.run(coding())


def test_without_an_event_loop_nothing_is_watched_in_the_background(places):
    anna = _widget(places["anna"], "anna", live=True)
    try:
        assert not anna.live.watchable and anna.live._thread is None
    finally:
        anna.close()
        anna.session.project.close()


def test_in_blind_mode_the_database_keeps_the_others_codings_away(places, backend):
    if backend == "postgresql":
        with Project.open(places["mette"], create=False) as lead:
            from qualcode.store.server import ServerAccess

            ServerAccess(lead.db).set_blind(True)
    anna, bo = _widget(places["anna"], "anna"), _widget(places["bo"], "bo")
    if backend == "sqlite":
        anna.session.project.blind("anna")  # a file project's blind mode is the client's
    try:
        bo.session.add_code("barriere.maaling")
        anna.live.check()
        anna.render()
        assert anna.others_box.value == ""
        assert anna.session.others() == []
    finally:
        for w in (anna, bo):
            w.close()
            w.session.project.close()


# -- the document view (anywidget) follows the same project -----------------------------------------
def _view(location, coder: str, *, live: bool = False):
    from qualcode.widget import DocumentView

    return DocumentView(Project.open(location, create=False), coder=coder, live=live)


def _coders(view) -> set[tuple[str, str]]:
    """(coder, code) of the codings the view sends to the browser."""
    return {(c[4], c[3]) for c in view.codings}


def test_a_document_view_shows_the_others_new_coding_after_a_check(places):
    anna, bo = _view(places["anna"], "anna"), _view(places["bo"], "bo")
    try:
        anna.show_others = True
        assert _coders(anna) == set() and anna.live.check() == frozenset()
        piece = "Vi måles kun på egne mål."
        start = bo.doc["text"].index(piece)
        bo._on_msg(bo, {"type": "add", "start": start, "end": start + len(piece), "code": "barriere.maaling"}, [])
        assert bo.status == "Kodet: Målinger og belønning."
        assert bo.live.check() == frozenset({"codings"})  # the watcher re-reads, but bo's own coding is shown already:
        assert bo.status == "Kodet: Målinger og belønning."  # nothing is announced
        assert anna.live.check() == frozenset({"codings"})
        assert _coders(anna) == {("bo", "barriere.maaling")}
        assert anna.status == "Opdateret med andres ændringer."
    finally:
        for v in (anna, bo):
            v.close()
            v.project.close()


def test_the_leads_codebook_change_reaches_an_open_document_view(places):
    anna = _view(places["anna"], "anna")
    try:
        with Project.open(places["mette"], create=False) as lead:
            lead.codebook.rename("barriere.tid", "Tidsmangel", "mette")
        assert anna.live.check() == frozenset({"codebook"})
        assert [c[1] for c in anna.codes if c[0] == "barriere.tid"] == ["Tidsmangel"]
        assert anna.status == "Kodebogen er ændret; listen over koder er opdateret."
    finally:
        anna.close()
        anna.project.close()


def test_a_document_view_refreshes_in_the_background_within_seconds(places):
    async def coding():
        anna = _view(places["anna"], "anna", live=True)
        anna.live.interval = 0.2
        anna.show_others = True
        assert anna.live.watchable
        bo = _widget(places["bo"], "bo")
        try:
            bo.session.add_code("barriere.tid")
            deadline = time.monotonic() + 10
            while ("bo", "barriere.tid") not in _coders(anna) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return _coders(anna)
        finally:
            anna.close()
            anna.project.close()
            bo.close()
            bo.session.project.close()

    assert ("bo", "barriere.tid") in asyncio.run(coding())
