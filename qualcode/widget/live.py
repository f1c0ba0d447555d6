"""Live refresh: open widgets follow what other coders and the lead do, within seconds.

One entry point for every widget: :class:`LiveRefresh` watches a project on
a background thread, through a connection of its own (a server's LISTEN, or
a poll of a project file), and when the marker of
:mod:`qualcode.store.changes` moves it calls each subscriber with the kinds
of change ('codings', 'codebook', 'memos'). The calls are made on the event
loop that was running when the widget was made (in JupyterLab the kernel's,
between cells, where widgets may be updated and the project's connection is
free); without one, nothing is watched in the background and
:meth:`LiveRefresh.check` refreshes on demand.

A project in memory has no other writer: nothing is watched.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from typing import Callable

from qualcode.i18n import gettext as _
from qualcode.store.changes import Listener, Marker, marker
from qualcode.store.db import open_database

Subscriber = Callable[[frozenset], None]


class LiveRefresh:
    def __init__(self, project, *, interval: float = 1.0):
        self.project = project
        self.interval = interval
        self._subscribers: list[Subscriber] = []
        self._seen: Marker | None = marker(project.db)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop = _running_loop()
        self._lock = threading.Lock()

    @property
    def watchable(self) -> bool:
        return self._loop is not None and (self.project.on_server or self.project.path is not None)

    def subscribe(self, callback: Subscriber) -> None:
        self._subscribers.append(callback)

    def start(self) -> "LiveRefresh":
        if self._thread is None and self.watchable:
            self._thread = threading.Thread(target=self._watch, name="qualcode-live", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
            self._thread = None

    def check(self, db=None) -> frozenset:
        """Compare the project with what was last seen; tell the subscribers what changed."""
        now = marker(db if db is not None else self.project.db)
        with self._lock:
            kinds = now.changed(self._seen)
            self._seen = now
        if kinds:
            self._notify(kinds)
        return kinds

    def seen(self) -> None:
        """The widget's own change, about to be shown with a fresh read: not a reason to refresh.

        Called before the widget re-reads, so whatever others did until now is in that read.
        The codebook is left out: a widget's own action re-reads codings, not the codes.
        """
        now = marker(self.project.db)
        with self._lock:
            if self._seen is not None:
                self._seen = replace(now, codebook=self._seen.codebook)

    def _notify(self, kinds: frozenset) -> None:
        on_watcher = threading.current_thread() is self._thread
        for callback in list(self._subscribers):
            if on_watcher:
                # The widget's project and its connection belong to the loop's thread.
                self._loop.call_soon_threadsafe(self._deliver, callback, kinds)
            else:
                callback(kinds)

    def _deliver(self, callback: Subscriber, kinds: frozenset) -> None:
        if self.project.db.closed:
            self._stop.set()  # the notebook closed the project: nothing left to refresh
            return
        callback(kinds)

    def _watch(self) -> None:
        db = open_database(self.project.db.url if self.project.on_server else self.project.path, create=False)
        listener = Listener(db)
        try:
            while not self._stop.is_set() and not self.project.db.closed:
                listener.wait(self.interval)
                if not self._stop.is_set() and not self._loop.is_closed():
                    self.check(db)
        finally:
            listener.close()
            db.close()


def follow(project, callback: Subscriber, *, start: bool = True) -> LiveRefresh:
    """A :class:`LiveRefresh` of ``project`` that calls ``callback``; watching in the background if ``start``."""
    live = LiveRefresh(project)
    live.subscribe(callback)
    if start:
        live.start()
    return live


def refresh_note(kinds: frozenset) -> str:
    """What a widget says after a refresh (in the language in use)."""
    if "codebook" in kinds:
        return _("The codebook was changed; the list of codes is updated.")
    return _("Updated with changes by others.")


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
