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

from qualcode.i18n import choose
from qualcode.roles import display_speaker
from qualcode.widget.picker import code_options
from qualcode.widget.session import CodingSession, Filters

SHORTCUTS_DA = "Genveje: Alt+1-9 acceptér forslag, Alt+A acceptér alle, Alt+R afvis alle, Alt+N næste, Alt+P forrige, Alt+U fortryd (eller tasten + Enter her)"
SHORTCUTS_EN = "Shortcuts: Alt+1-9 accept suggestion, Alt+A accept all, Alt+R reject all, Alt+N next, Alt+P previous, Alt+U undo (or the key + Enter here)"


class CodingWidget(w.VBox):
    """Code segment by segment with suggestions; every click is saved at once."""

    def __init__(self, session: CodingSession, codebook=None, lang: str | None = None):
        self.session = session
        self.codebook = codebook if codebook is not None else session.project.codebook.current()
        self.lang = lang
        t = lambda da, en: choose(da, en, lang)  # noqa: E731
        self._t = t

        # ipywidgets shows a blank box for a None value, so "all" is 0 / "" here.
        docs = [(t("Alle dokumenter", "All documents"), 0)] + [
            (d.name, d.id) for d in session.project.documents.headers()
        ]
        self.doc_filter = w.Dropdown(
            options=docs, value=session.filters.document_id or 0, description=t("Dokument", "Document")
        )
        self.code_filter = w.Dropdown(
            options=[(t("Alle koder", "All codes"), "")] + [(lbl, cid) for lbl, cid in code_options(self.codebook)],
            value=session.filters.code_id or "",
            description=t("Kode", "Code"),
        )
        self.uncoded = w.Checkbox(value=session.filters.uncoded_only, description=t("Kun ukodede", "Uncoded only"))
        self.threshold = w.FloatSlider(value=session.filters.min_score, min=0, max=1, step=0.05, description=t("Min. score", "Min. score"))
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

        self.search = w.Text(placeholder=t("Søg kode …", "Search code …"), description=t("Tilføj", "Add"))
        self.picker = w.Select(options=code_options(self.codebook), rows=8)
        self.add_button = w.Button(description=t("Tilføj kode", "Add code"), icon="plus")
        self.search.observe(self._on_search, names="value")
        self.add_button.on_click(lambda _: self._add_selected())

        self.memo = w.Textarea(placeholder=t("Memo til segmentet …", "Memo for this segment …"))
        self.memo_button = w.Button(description=t("Gem memo", "Save memo"))
        self.memo_button.on_click(lambda _: self._save_memo())

        self.prev_button = w.Button(description=t("Forrige", "Previous"), icon="arrow-left")
        self.next_button = w.Button(description=t("Næste", "Next"), icon="arrow-right")
        self.undo_button = w.Button(description=t("Fortryd", "Undo"), icon="undo")
        self.prev_button.on_click(lambda _: self._move(-1))
        self.next_button.on_click(lambda _: self._move(1))
        self.undo_button.on_click(lambda _: self._undo())

        self.command = w.Text(
            placeholder=t(SHORTCUTS_DA, SHORTCUTS_EN), layout=w.Layout(width="100%"), continuous_update=False
        )
        self.command.observe(lambda change: change["new"] and self._on_command(change["new"]), names="value")
        self.status = w.HTML()

        super().__init__(
            [
                w.HBox([self.doc_filter, self.code_filter]),
                w.HBox([self.uncoded, self.threshold]),
                w.HBox([self.progress_bar, self.progress_label]),
                self.header,
                self.context_before,
                self.segment_html,
                self.context_after,
                w.HTML(f"<b>{t('Forslag', 'Suggestions')}</b>"),
                self.chips,
                self.applied_box,
                w.HBox([self.search, self.add_button]),
                self.picker,
                w.HBox([self.memo, self.memo_button]),
                w.HBox([self.prev_button, self.next_button, self.undo_button]),
                self.command,
                self.status,
            ]
        )
        # Not preventing the default action: plain typing in the fields must work.
        self.key_events = Event(source=self, watched_events=["keydown"], prevent_default_action=False)
        self.key_events.on_dom_event(self._on_key)
        self.render()

    # -- rendering --------------------------------------------------------------
    def render(self) -> None:
        s, t = self.session, self._t
        coded, total = s.progress()
        self.progress_bar.max = max(total, 1)
        self.progress_bar.value = coded
        self.progress_label.value = t(f"kodet {coded} / {total}", f"coded {coded} / {total}")
        seg = s.current
        if seg is None:
            self.header.value = t("<i>Ingen segmenter passer til filtrene.</i>", "<i>No segments match the filters.</i>")
            for box in (self.context_before, self.segment_html, self.context_after, self.applied_box):
                box.value = ""
            self.chips.children = ()
            return
        doc = s.project.documents.get(seg.document_id)
        role = seg.role or t("ukendt rolle", "unknown role")
        self.header.value = f"<b>{html.escape(doc.name)}</b> · {html.escape(display_speaker(seg.speaker, self.lang))} ({html.escape(role)}) · {s.position + 1}/{len(s.segments)}"
        before, after = s.context()
        self.context_before.value = f"<div style='color:#777'>{html.escape(before)}</div>"
        self.segment_html.value = f"<div style='font-size:1.1em;border-left:4px solid #1f77b4;padding-left:8px'>{html.escape(seg.text)}</div>"
        self.context_after.value = f"<div style='color:#777'>{html.escape(after)}</div>"
        self.chips.children = tuple(self._chip(c, i + 1) for i, c in enumerate(s.suggestions()))
        names = {c.id: c.name for c in self.codebook.codes} if self.codebook else {}
        applied = [names.get(c.code_id, c.code_id) for c in s.applied()]
        self.applied_box.value = (
            f"<b>{t('Kodet som', 'Coded as')}:</b> {html.escape(', '.join(applied))}" if applied else ""
        )

    def _chip(self, coding, n: int) -> w.HBox:
        names = {c.id: c.name for c in self.codebook.codes} if self.codebook else {}
        label = w.HTML(
            f"<b>{n}. {html.escape(names.get(coding.code_id, coding.code_id))}</b> "
            f"<span style='color:#555'>({coding.score:.2f})</span> – <i>{html.escape(coding.reason or '')}</i>"
        )
        accept = w.Button(description=self._t("Acceptér", "Accept"), button_style="success", icon="check")
        reject = w.Button(description=self._t("Afvis", "Reject"), button_style="danger", icon="times")
        accept.on_click(lambda _b, cid=coding.id: self._act(self.session.accept, cid))
        reject.on_click(lambda _b, cid=coding.id: self._act(self.session.reject, cid))
        box = w.HBox([accept, reject, label])
        box.coding_id = coding.id
        return box

    # -- events -------------------------------------------------------------------
    def _act(self, fn, *args) -> None:
        fn(*args)
        self.status.value = self._t("Gemt.", "Saved.")
        self.render()

    def _move(self, step: int) -> None:
        (self.session.next if step > 0 else self.session.previous)()
        self.memo.value = ""
        self.render()

    def _undo(self) -> None:
        action = self.session.undo()
        self.status.value = self._t("Fortrudt.", "Undone.") if action else self._t("Intet at fortryde.", "Nothing to undo.")
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
            self.status.value = self._t("Vælg en kode først.", "Choose a code first.")
            return
        self._act(self.session.add_code, self.picker.value)

    def _save_memo(self) -> None:
        if self.session.add_memo(self.memo.value) is not None:
            self.memo.value = ""
            self.status.value = self._t("Memo gemt.", "Memo saved.")

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
            self.status.value = self._t(f"Ukendt genvej '{html.escape(value)}'.", f"Unknown shortcut '{html.escape(value)}'.")
