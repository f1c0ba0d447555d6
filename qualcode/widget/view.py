"""The ipywidgets coding widget: a thin view over :class:`CodingSession`.

Keyboard, with the mouse over the widget: Alt+1-9 accept suggestion n,
Alt+A accept all, Alt+R reject all, Alt+N next, Alt+P previous, Alt+U undo
(ipywidgets has no key events; ipyevents delivers them). Alt keeps the
shortcuts apart from typing in the memo and search fields and from
JupyterLab's own command-mode keys. The command field (key + Enter) does the
same without a mouse.
"""

from __future__ import annotations

import html

import ipywidgets as w
from ipyevents import Event

from qualcode.i18n import format_number, gettext as _, use_language
from qualcode.media import format_time
from qualcode.roles import display_speaker
from qualcode.widget.live import follow, refresh_note
from qualcode.widget.picker import code_options
from qualcode.widget.session import CodingSession, Filters


class CodingWidget(w.VBox):
    """Code segment by segment with suggestions; every click is saved at once."""

    def __init__(self, session: CodingSession, codebook=None, lang: str | None = None, *, suggester=None,
                 live: bool = True):
        with use_language(lang) as self.lang:
            self._build(session, codebook, suggester)
        # Others' codings and the lead's codebook changes arrive while the widget is open.
        self.live = follow(session.project, self.on_project_change, start=live)

    def close(self) -> None:
        self.live.stop()
        super().close()

    def on_project_change(self, kinds) -> None:
        """Someone else changed the project: show their codings and the current codebook."""
        with use_language(self.lang):
            if "codebook" in kinds:
                self.codebook = self.session.project.codebook.current()
                self.code_filter.options = [(_("All codes"), "")] + [(lbl, cid) for lbl, cid in code_options(self.codebook)]
                self.picker.options = code_options(self.codebook, self.search.value)
            self.session.reload()
            self._render()
            self.status.value = refresh_note(kinds)
        if self.document_view is not None:
            self.document_view.on_project_change(kinds)

    def _build(self, session: CodingSession, codebook, suggester) -> None:
        self.session = session
        self.codebook = codebook if codebook is not None else session.project.codebook.current()
        self.suggester = suggester  # for the document view this widget opens
        self.document_view = None

        # ipywidgets shows a blank box for a None value, so "all" is 0 / "" here.
        docs = [(_("All documents"), 0)] + [
            (d.name, d.id) for d in session.project.documents.headers()
        ]
        self.doc_filter = w.Dropdown(
            options=docs, value=session.filters.document_id or 0, description=_("Document")
        )
        self.code_filter = w.Dropdown(
            options=[(_("All codes"), "")] + [(lbl, cid) for lbl, cid in code_options(self.codebook)],
            value=session.filters.code_id or "",
            description=_("Code"),
        )
        self.uncoded = w.Checkbox(value=session.filters.uncoded_only, description=_("Uncoded only"))
        self.threshold = w.FloatSlider(value=session.filters.min_score, min=0, max=1, step=0.05, description=_("Min. score"))
        for control in (self.doc_filter, self.code_filter, self.uncoded, self.threshold):
            control.observe(self._on_filter, names="value")

        self.progress_bar = w.IntProgress(min=0, max=1, value=0)
        self.progress_label = w.Label()
        self.header = w.HTML()
        self.context_before = w.HTML()
        self.segment_html = w.HTML()
        self.context_after = w.HTML()
        self.chips = w.VBox()
        self.applied_box = w.HTML()
        self.others_box = w.HTML()

        self.search = w.Text(placeholder=_("Search code …"), description=_("Add"))
        self.picker = w.Select(options=code_options(self.codebook), rows=8)
        self.add_button = w.Button(description=_("Add code"), icon="plus")
        self.search.observe(self._on_search, names="value")
        self.add_button.on_click(lambda _: self._add_selected())

        self.memo = w.Textarea(placeholder=_("Memo for this segment …"))
        self.memo_button = w.Button(description=_("Save memo"))
        self.memo_button.on_click(lambda _: self._save_memo())

        self.prev_button = w.Button(description=_("Previous"), icon="arrow-left")
        self.next_button = w.Button(description=_("Next"), icon="arrow-right")
        self.undo_button = w.Button(description=_("Undo"), icon="undo")
        self.prev_button.on_click(lambda _: self._move(-1))
        self.next_button.on_click(lambda _: self._move(1))
        self.undo_button.on_click(lambda _: self._undo())

        self.command = w.Text(
            placeholder=_("Shortcuts: Alt+1-9 accept suggestion, Alt+A accept all, Alt+R reject all, Alt+N next, Alt+P previous, Alt+U undo (or the key + Enter here)"), layout=w.Layout(width="100%"), continuous_update=False
        )
        self.command.observe(lambda change: change["new"] and self._on_command(change["new"]), names="value")
        self.status = w.HTML()
        self.open_button = w.Button(description=_("Open in the document view"), icon="file-text")
        self.play_button = w.Button(description=_("Play"), icon="play", layout=w.Layout(display="none"))
        self.open_button.on_click(lambda _b: self._open_document())
        self.play_button.on_click(lambda _b: self._play())
        self.document_box = w.VBox()

        super().__init__(
            [
                w.HBox([self.doc_filter, self.code_filter]),
                w.HBox([self.uncoded, self.threshold]),
                w.HBox([self.progress_bar, self.progress_label]),
                self.header,
                self.context_before,
                self.segment_html,
                self.context_after,
                w.HTML("<b>" + html.escape(_("Suggestions")) + "</b>"),
                self.chips,
                self.applied_box,
                self.others_box,
                w.HBox([self.search, self.add_button]),
                self.picker,
                w.HBox([self.memo, self.memo_button]),
                w.HBox([self.prev_button, self.next_button, self.undo_button, self.open_button, self.play_button]),
                self.command,
                self.status,
                self.document_box,
            ]
        )
        # Not preventing the default action: plain typing in the fields must work.
        self.key_events = Event(source=self, watched_events=["keydown"], prevent_default_action=False)
        self.key_events.on_dom_event(self._on_key)
        self.render()

    # -- rendering --------------------------------------------------------------
    def render(self) -> None:
        with use_language(self.lang):
            self._render()

    def _render(self) -> None:
        s = self.session
        coded, total = s.progress()
        self.progress_bar.max = max(total, 1)
        self.progress_bar.value = coded
        self.progress_label.value = _("coded {coded} / {total}").format(coded=coded, total=total)
        seg = s.current
        if seg is None:
            empty = _("No segments match the filters.")
            self.header.value = f"<i>{html.escape(empty)}</i>"
            for box in (self.context_before, self.segment_html, self.context_after, self.applied_box, self.others_box):
                box.value = ""
            self.chips.children = ()
            self.play_button.layout.display = "none"
            return
        doc = s.project.documents.get(seg.document_id)
        role = seg.role or _("unknown role")
        speaker = display_speaker(seg.speaker, self.lang)
        self.header.value = f"<b>{html.escape(doc.name)}</b> · {html.escape(speaker)} ({html.escape(role)}) · {s.position + 1}/{len(s.segments)}"
        parts = s.context_parts()
        question = f"<div style='color:#777;font-style:italic'>{html.escape(parts.question)}</div>" if parts.question else ""
        self.context_before.value = question + (f"<div style='color:#555'>{html.escape(parts.before)}</div>" if parts.before else "")
        self.segment_html.value = f"<div style='font-size:1.1em;border-left:4px solid #1f77b4;padding-left:8px'>{html.escape(seg.text)}</div>"
        self.context_after.value = f"<div style='color:#555'>{html.escape(parts.after)}</div>" if parts.after else ""
        suggestions = s.suggestions()
        none = _("No suggestions for this segment.")
        self.chips.children = tuple(self._chip(c, i + 1) for i, c in enumerate(suggestions)) or (
            w.HTML(f"<i style='color:#777'>{html.escape(none)}</i>"),)
        names = {c.id: c.name for c in self.codebook.codes} if self.codebook else {}
        applied = [names.get(c.code_id, c.code_id) for c in s.applied()]
        coded_as = _("Coded as")
        self.applied_box.value = f"<b>{html.escape(coded_as)}:</b> {html.escape(', '.join(applied))}" if applied else ""
        others = [f"{c.coder}: {names.get(c.code_id, c.code_id)}" for c in s.others()]
        label = html.escape(_("Other coders"))
        self.others_box.value = (
            f"<span style='color:#555'><b>{label}:</b> {html.escape('; '.join(others))}</span>" if others else ""
        )
        start_time = self._start_time(seg)
        has_media = s.project.media.get(seg.document_id) is not None
        self.play_button.layout.display = "" if has_media and start_time is not None else "none"
        if start_time is not None:
            self.play_button.description = _("Play from {time}").format(time=format_time(start_time))

    def _chip(self, coding, n: int) -> w.HBox:
        names = {c.id: c.name for c in self.codebook.codes} if self.codebook else {}
        label = w.HTML(
            f"<b>{n}. {html.escape(names.get(coding.code_id, coding.code_id))}</b> "
            f"<span style='color:#555'>({format_number(coding.score, 2, self.lang) if coding.score is not None else '–'})</span> – <i>{html.escape(coding.reason or '')}</i>"
        )
        accept = w.Button(description=_("Accept"), button_style="success", icon="check")
        reject = w.Button(description=_("Reject"), button_style="danger", icon="times")
        accept.on_click(lambda _b, cid=coding.id: self._act(self.session.accept, cid))
        reject.on_click(lambda _b, cid=coding.id: self._act(self.session.reject, cid))
        box = w.HBox([accept, reject, label])
        box.coding_id = coding.id
        return box

    # -- events -------------------------------------------------------------------
    def _act(self, fn, *args) -> None:
        fn(*args)
        self.live.seen()  # the render below shows this change: the watcher need not announce it
        with use_language(self.lang):
            self.status.value = _("Saved.")
        self.render()

    def _move(self, step: int) -> None:
        (self.session.next if step > 0 else self.session.previous)()
        self.memo.value = ""
        self.render()

    def _undo(self) -> None:
        action = self.session.undo()
        self.live.seen()
        with use_language(self.lang):
            self.status.value = _("Undone.") if action else _("Nothing to undo.")
        self.render()

    def _on_filter(self, _change) -> None:
        self.session.set_filters(
            Filters(
                document_id=self.doc_filter.value or None,
                code_id=self.code_filter.value or None,
                uncoded_only=self.uncoded.value,
                min_score=self.threshold.value,
                include_interviewer=self.session.filters.include_interviewer,
            )
        )
        self.render()

    def _on_search(self, change) -> None:
        self.picker.options = code_options(self.codebook, change["new"])

    def _add_selected(self) -> None:
        if self.picker.value is None:
            with use_language(self.lang):
                self.status.value = _("Choose a code first.")
            return
        self._act(self.session.add_code, self.picker.value)

    def _save_memo(self) -> None:
        if self.session.add_memo(self.memo.value) is not None:
            self.live.seen()
            self.memo.value = ""
            with use_language(self.lang):
                self.status.value = _("Memo saved.")

    def _on_key(self, event: dict) -> None:
        """A keydown over the widget: Alt+key runs the shortcut for that key."""
        if event.get("type") != "keydown" or not event.get("altKey") or event.get("ctrlKey") or event.get("metaKey"):
            return
        key = (event.get("code") or "").removeprefix("Key").removeprefix("Digit").lower() or event.get("key", "").lower()
        if len(key) == 1 and key in "123456789anpru":
            self._on_command(key)

    def _on_command(self, value: str) -> None:
        key = value.strip().lower()
        self.command.value = ""
        suggestions = self.session.suggestions()
        if key.isdigit() and 1 <= int(key) <= len(suggestions):
            self._act(self.session.accept, suggestions[int(key) - 1].id)
        elif key == "a":
            for c in suggestions:
                self.session.accept(c.id)
            self.render()
        elif key == "r":
            for c in suggestions:
                self.session.reject(c.id)
            self.render()
        elif key == "n":
            self._move(1)
        elif key == "p":
            self._move(-1)
        elif key == "u":
            self._undo()
        else:
            with use_language(self.lang):
                self.status.value = _("Unknown shortcut '{key}'.").format(key=html.escape(value))

    # -- the document view and the recording ---------------------------------------------
    def _start_time(self, seg) -> float | None:
        for t in self.session.project.documents.turns(seg.document_id):
            if t.index == seg.turn_index:
                return t.start_time
        return None

    def _open_document(self):
        """Show the current segment in the whole interview (a DocumentView below the queue)."""
        from qualcode.widget.document_view import DocumentView

        seg = self.session.current
        if seg is None:
            return None
        view = self.document_view
        if view is None:
            # live=False: this widget's own watcher passes every change on to the view.
            view = self.document_view = DocumentView(self.session.project, seg.document_id, coder=self.session.coder,
                                                     suggester=self.suggester, lang=self.lang, live=False)
            self.document_box.children = (view,)
        elif view.workspace.document.id != seg.document_id:
            view.show(seg.document_id)
        else:
            view.reload()
        view.scroll_to(seg.start, seg.end)
        return view

    def _play(self) -> None:
        seg = self.session.current
        start = self._start_time(seg) if seg is not None else None
        view = self._open_document()
        if view is not None and start is not None:
            view.play(start)
