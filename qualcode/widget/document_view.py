"""DocumentView: the whole interview in JupyterLab, coded by selecting text (an anywidget).

The front end is ``static/document_view.js`` and ``.css``, shipped in the
package and loaded by anywidget from these files: no build step, nothing
fetched at run time. The browser sends actions as messages; each becomes one
call on :class:`DocumentWorkspace` (one transaction), after which the
codings it changed are re-read from the store and sent back as a patch (a few
rows, not the document's ~900: see ``codings_patches``).
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from qualcode.errors import QualcodeError
from qualcode.i18n import gettext as _, ngettext, resolve_lang, use_language
from qualcode.project import Project
from qualcode.widget.labels import labels
from qualcode.widget.live import follow, refresh_note
from qualcode.widget.workspace import DocumentWorkspace

STATIC = Path(__file__).resolve().parent / "static"
MAX_PATCHES = 50  # patches kept in codings_patches before the whole list is sent again


class DocumentView(anywidget.AnyWidget):
    """Read a whole interview, select any span and code it, see codings as highlights and stripes.

    ``DocumentView(project, document=None, coder=..., suggester=None)``:
    ``document`` is an id or a name (default: the first document);
    ``suggester`` (from :func:`qualcode.suggest.build_suggester`) adds the top
    suggestions to the code picker and a button that stores suggestions for
    the whole document.
    """

    _quiet: tuple = ()  # synced traits set without ipywidgets sending them (see _should_send_property)
    _esm = STATIC / "document_view.js"
    _css = STATIC / "document_view.css"

    doc = t.Dict().tag(sync=True)
    codings = t.List().tag(sync=True)  # the rows the view shows, in the store's order (start, id)
    # What the browser has of ``codings``: the list as last sent whole, then these patches
    # ([rows upserted, ids removed], oldest first) since. Applying a patch again changes nothing.
    codings_patches = t.List().tag(sync=True)
    codes = t.List().tag(sync=True)
    recent = t.List().tag(sync=True)
    labels = t.Dict().tag(sync=True)
    coder = t.Unicode().tag(sync=True)
    threshold = t.Float(0.4).tag(sync=True)
    show_others = t.Bool(False).tag(sync=True)
    others_allowed = t.Bool(True).tag(sync=True)
    can_suggest = t.Bool(False).tag(sync=True)
    focus = t.List().tag(sync=True)
    search_hits = t.List().tag(sync=True)
    media = t.Dict().tag(sync=True)
    play_request = t.List().tag(sync=True)  # [seconds, n]: play the recording from seconds (n makes each request new)
    status = t.Unicode("").tag(sync=True)

    def __init__(self, project: Project, document: int | str | None = None, coder: str | None = None, *,
                 suggester=None, threshold: float = 0.4, lang: str | None = None, live: bool = True, **kwargs):
        from qualcode.team.coders import resolve_coder

        super().__init__(**kwargs)
        self.lang = resolve_lang(lang)
        self.project = project
        self.workspace = DocumentWorkspace(project, coder or resolve_coder(), self._document_id(document),
                                           suggester=suggester)
        with use_language(self.lang):
            self.labels = labels()
        self.coder = self.workspace.coder
        self.threshold = threshold
        self.can_suggest = suggester is not None
        self.on_msg(self._on_msg)
        self.observe(self._on_show_others, names="show_others")
        self.reload(document=True)
        # Other coders' codings and the lead's codebook changes arrive while the view is open.
        self.live = follow(project, self.on_project_change, start=live)

    def close(self) -> None:
        self.live.stop()
        super().close()

    def on_project_change(self, kinds) -> None:
        """Someone else changed the project: re-read the codings (and the codes, if the codebook changed)."""
        with use_language(self.lang):
            shown = self.codings
            if "codebook" in kinds:
                self.codes = self.workspace.codes_payload()
            self.reload()
            if "codebook" in kinds or self.codings != shown:  # the view's own change is shown already
                self.status = refresh_note(kinds)

    # -- entry points for Python (and for live refresh) ----------------------------------
    def reload(self, document: bool = False) -> None:
        """Re-read the codings (and with ``document``, the text, codes and recording) from the store and re-render."""
        ws = self.workspace
        if document:
            self.doc = ws.document_payload()
            self.codes = ws.codes_payload()
            self.media = ws.media_payload()
            self.search_hits = []
        self.others_allowed = ws.others_allowed
        self.recent = list(ws.recent)
        rows = ws.codings_payload()
        if rows != self.codings:
            self._send_codings(rows, [])

    def show(self, document: int | str) -> None:
        """Open another document of the project."""
        self.workspace.open(self._document_id(document))
        self.focus = []
        self.reload(document=True)

    def scroll_to(self, start: int, end: int | None = None) -> None:
        """Scroll the view to a span (character offsets) and flash it."""
        self.focus = [int(start), int(end if end is not None else start + 1)]

    def play(self, seconds: float) -> None:
        """Play the linked recording from ``seconds`` (the browser asks for its bytes first)."""
        n = self.play_request[1] + 1 if self.play_request else 1
        self.play_request = [float(seconds), n]

    # -- messages from the browser ---------------------------------------------------------
    def _on_msg(self, _widget, content: dict, buffers) -> None:
        with use_language(self.lang):
            try:
                self._dispatch(content)
            except QualcodeError as exc:
                self.status = _("Not saved: {problem}").format(problem=exc)

    def _dispatch(self, m: dict) -> None:
        ws, kind = self.workspace, m.get("type")
        names = {c[0]: c[1] for c in self.codes}
        if kind == "add":
            cid = ws.add(int(m["start"]), int(m["end"]), m["code"])
            self._saved(_("Coded {code}.").format(code=names.get(m["code"], m["code"])), [cid])
        elif kind in ("accept", "reject", "delete"):
            getattr(ws, kind)(int(m["id"]))
            text = {"accept": _("Suggestion accepted."), "reject": _("Suggestion rejected."),
                    "delete": _("Coding deleted (it stays in the history).")}[kind]
            self._saved(text, [int(m["id"])])
        elif kind == "recode":
            ws.recode(int(m["id"]), m["code"])
            self._saved(_("Recoded as {code}.").format(code=names.get(m["code"], m["code"])), [int(m["id"])])
        elif kind == "respan":
            ws.respan(int(m["id"]), int(m["start"]), int(m["end"]))
            self._saved(_("Span changed."), [int(m["id"])])
        elif kind == "memo":
            if ws.memo(int(m["id"]), m.get("text", "")) is not None:
                self._saved(_("Memo saved."), [int(m["id"])])
        elif kind == "undo":
            step = ws.undo()
            changed = [] if step is None else None if step.kind == "autocode" else [step.coding_id]
            self._saved(_("Undone.") if step else _("Nothing to undo."), changed)
        elif kind == "suggest_span":
            items = ws.suggest_span(int(m["start"]), int(m["end"]))
            self.send({"type": "span_suggestions", "start": m["start"], "end": m["end"], "items": items})
        elif kind == "suggest_document":
            n = ws.suggest_document()
            self._saved(ngettext("{n} suggestion stored.", "{n} suggestions stored.", n).format(n=n))
        elif kind == "search":
            self._search(m.get("query", ""), bool(m.get("regex")))
        elif kind == "autocode":
            self._autocode(m)
        elif kind == "open":
            self.show(int(m["id"]))
        elif kind == "media":
            self._send_media()

    def _saved(self, text: str, changed=None) -> None:
        """After an action: send the codings it changed (ids; None: it may have changed any), then say so."""
        if changed is None or self.workspace.others_allowed != self.others_allowed:  # blind mode came or went
            self.live.seen()  # the reload below reads everything up to now: the watcher need not announce it
            self.reload()
        else:
            # Not marked seen: others' codings since the last refresh are not in a patch, so the
            # watcher's reload still brings them (and sends nothing when there were none).
            self._patch(changed)
        self.status = text

    def _patch(self, ids) -> None:
        # Re-reading and sending the document's whole codings list cost a coding click ~50 ms in the
        # kernel under load and 168 kB of JSON to send and parse (600 codings); a patch is a few rows.
        # Others' changes to the document are not picked up here: reload() (live refresh) does that.
        ws = self.workspace
        self.recent = list(ws.recent)
        if not ids:
            return
        found = ws.codings_rows(ids)
        upsert = [row for row in found.values() if row is not None]
        removed = [i for i, row in found.items() if row is None]
        rows = sorted([r for r in self.codings if r[0] not in found] + upsert, key=lambda r: (r[1], r[0]))
        if len(self.codings_patches) >= MAX_PATCHES:  # the whole list again now and then keeps each sync small
            self._send_codings(rows, [])
            return
        self._quiet = ("codings",)
        try:
            self.codings = rows
        finally:
            self._quiet = ()
        self.codings_patches = self.codings_patches + [[upsert, removed]]

    def _send_codings(self, rows: list, patches: list) -> None:
        """Set ``codings`` and ``codings_patches`` and send both in one message (the browser never sees one without the other)."""
        self._quiet = ("codings", "codings_patches")
        try:
            self.codings = rows
            self.codings_patches = patches
        finally:
            self._quiet = ()
        self.send_state(["codings", "codings_patches"])

    def _should_send_property(self, key, value) -> bool:
        # ipywidgets sends each synced trait as it is set; _patch and _send_codings send these themselves.
        if key in self._quiet:
            return False
        return super()._should_send_property(key, value)

    def _search(self, query: str, regex: bool) -> None:
        if not query.strip():
            self.search_hits = []
            self.status = ""
            return
        hits = self.workspace.search(query, regex=regex)
        self.search_hits = hits
        self.status = ngettext("{n} hit", "{n} hits", len(hits)).format(n=len(hits))

    def _autocode(self, m: dict) -> None:
        result = self.workspace.autocode(m.get("query", ""), m["code"], regex=bool(m.get("regex")),
                                         unit=m.get("unit", "sentence"))
        if result.run is None:
            self._saved(_("Nothing new to code."))
        else:
            self._saved(ngettext("Autocode run {run}: {n} suggestion stored (undo takes the run back).",
                                 "Autocode run {run}: {n} suggestions stored (undo takes the run back).",
                                 result.coded).format(run=result.run.id, n=result.coded))

    def _send_media(self) -> None:
        chunks = self.workspace.media_chunks()
        index = 0
        for chunk in chunks:
            self.send({"type": "media_chunk", "index": index}, buffers=[chunk])
            index += 1
        self.send({"type": "media_done", "chunks": index})

    def _on_show_others(self, _change) -> None:
        self.workspace.show_others = bool(self.show_others) and self.workspace.others_allowed
        self.reload()

    def _document_id(self, document: int | str | None) -> int | None:
        document = getattr(document, "id", document)  # a Document or DocumentHeader
        if document is None or isinstance(document, int):
            return document
        found = self.project.documents.by_name(str(document))
        if found is None:
            raise QualcodeError(_("no document {name} in the project").format(name=document))
        return found.id
