"""The document workspace behind :class:`DocumentView`: what it shows and every coding action.

No widget code here, so it is tested directly (as :class:`CodingSession`
is). Every action is one call into the stores, one transaction, and is
recorded for undo; nothing is ever deleted (deleting a coding is the status
``superseded`` with a ``delete`` event). Offsets are character offsets of the
stored NFC text (code points), the unit the front end converts DOM selections to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _
from qualcode.media import MEDIA_TYPES, format_time
from qualcode.models import PROPOSED_SOURCES, Coding, Document
from qualcode.project import Project
from qualcode.roles import display_speaker

# Colours for codes without one in the codebook: warm for the first theme (barriers),
# cool for the second (drivers), then mixed; picked to stay readable as pale highlights.
PALETTES = (
    ("#d62728", "#e6550d", "#c7a000", "#ad494a", "#e7969c", "#8c564b", "#fd8d3c", "#bd9e39", "#843c39", "#d6616b",
     "#a55194", "#e377c2", "#7b4173"),
    ("#1f77b4", "#2ca02c", "#17becf", "#3182bd", "#31a354", "#6baed6", "#74c476", "#9467bd", "#393b79", "#637939",
     "#0c7c59", "#5254a3"),
    ("#7f7f7f", "#bcbd22", "#8c6d31", "#9c9ede", "#cedb9c", "#e7cb94"),
)
MEDIA_CHUNK = 1 << 20  # bytes per message when a recording is sent to the browser
MAX_MEDIA = 4 << 30  # a recording larger than this is refused rather than held in the browser
RECENT = 8


@dataclass(frozen=True)
class Step:
    """One undoable action: the coding it changed and what to restore."""

    kind: str  # add, accept, reject, recode, respan, delete, autocode
    coding_id: int
    before: tuple = ()


class DocumentWorkspace:
    def __init__(self, project: Project, coder: str, document_id: int | None = None, *, suggester=None):
        self.project = project
        self.coder = coder
        self.suggester = suggester
        self.show_others = False
        self.history: list[Step] = []
        self.recent: list[str] = []
        ids = project.documents.ids()
        if not ids:
            raise ProjectError(_("the project has no documents yet; import interviews first"))
        self.open(document_id if document_id is not None else ids[0])

    # -- what is shown ----------------------------------------------------------
    def open(self, document_id: int) -> None:
        try:
            self.document: Document = self.project.documents.get(document_id)
        except KeyError:
            raise ProjectError(_("no document with id {id} in the project").format(id=document_id)) from None
        self.turns = self.project.documents.turns(document_id)
        mine = [c for c in self.project.codings.query(document_id=document_id, coder=self.coder)]
        seen = dict.fromkeys(c.code_id for c in sorted(mine, key=lambda c: -c.id) if c.source == "human")
        self.recent = list(seen)[:RECENT]

    @property
    def others_allowed(self) -> bool:
        """Other coders' codings may be shown unless the project is in blind mode."""
        return self.project.blind_coder is None

    def document_payload(self) -> dict:
        d = self.document
        return {
            "id": d.id,
            "name": d.name,
            "text": d.text,
            "turns": [[t.start, t.end, display_speaker(t.speaker), t.role or "", t.start_time, bool(t.is_interviewer), format_time(t.start_time)]
                      for t in self.turns],
            "documents": [[h.id, h.name] for h in self.project.documents.headers()],
        }

    def codes_payload(self) -> list[list]:
        codebook = self.project.codebook.current()
        roots = {c.id: i for i, c in enumerate(codebook.roots())}
        used: dict[int, int] = {}
        out = []
        for code in codebook.codes:
            path = codebook.path(code.id)
            theme = roots.get(path[0], len(PALETTES) - 1)
            palette = PALETTES[min(theme, len(PALETTES) - 1)]
            n = used.get(theme, 0)
            used[theme] = n + 1
            colour = code.color or palette[n % len(palette)]
            out.append([code.id, code.name, code.parent_id, colour, len(path) - 1, code.definition or ""])
        return out

    def codings(self) -> list[Coding]:
        """The document's codings this coder may see: their own and the suggestions made for them, others' if shown."""
        coder = self._coder_shown()
        return [c for c in self.project.codings.query(document_id=self.document.id, coder=coder) if self._shows(c, coder)]

    def codings_payload(self) -> list[list]:
        memos: dict[int, list[str]] = {}
        for m in self.project.memos.query(document_id=self.document.id):
            if m.coding_id is not None:
                memos.setdefault(m.coding_id, []).append(m.text)
        return [_row(c, memos.get(c.id, [])) for c in self.codings()]

    def codings_rows(self, ids) -> dict[int, list | None]:
        """The payload rows of a few codings (an action's), re-read from the store; None for one no longer shown.

        What :meth:`codings_payload` would give for these ids, without re-reading the whole document's codings.
        """
        coder, out = self._coder_shown(), {}
        for coding_id in ids:
            try:
                c = self.project.codings.get(coding_id)
            except KeyError:
                c = None
            if c is None or not self._shows(c, coder):
                out[coding_id] = None
            else:
                memos = self.project.memos.query(coding_id=coding_id)
                out[coding_id] = _row(c, [m.text for m in memos if m.document_id == self.document.id])
        return out

    def _coder_shown(self) -> str | None:
        return None if self.show_others and self.others_allowed else self.coder

    def _shows(self, c: Coding, coder: str | None) -> bool:
        return c.document_id == self.document.id and c.status != "superseded" and coder in (None, c.coder)

    # -- actions ------------------------------------------------------------------
    def add(self, start: int, end: int, code_id: str) -> int:
        self._check_span(start, end)
        cid = self.project.codings.add(self.document.id, start, end, code_id, self.coder)
        self.history.append(Step("add", cid))
        self._used(code_id)
        self._learn(start, end, code_id, True)
        return cid

    def accept(self, coding_id: int) -> None:
        self._decide(coding_id, "accepted", "accept")

    def reject(self, coding_id: int) -> None:
        self._decide(coding_id, "rejected", "reject")

    def recode(self, coding_id: int, code_id: str) -> None:
        coding = self._mine(coding_id)
        if code_id not in set(self.project.codebook.code_ids()):
            raise ProjectError(_("unknown code id {code}").format(code=code_id))
        self.project.codings.recode(coding_id, code_id, self.coder)
        self.history.append(Step("recode", coding_id, (coding.code_id,)))
        self._used(code_id)

    def respan(self, coding_id: int, start: int, end: int) -> None:
        coding = self._mine(coding_id)
        self._check_span(start, end)
        self.project.codings.respan(coding_id, start, end, self.coder)
        self.history.append(Step("respan", coding_id, (coding.start, coding.end)))

    def delete(self, coding_id: int) -> None:
        """A status change (``superseded``, event ``delete``): the coding and its history stay."""
        coding = self._mine(coding_id)
        self.project.codings.set_status_bulk([coding_id], "superseded", self.coder, "delete")
        self.history.append(Step("delete", coding_id, (coding.status,)))

    def memo(self, coding_id: int, text: str) -> int | None:
        coding = self.project.codings.get(coding_id)
        if not text.strip():
            return None
        return self.project.memos.add(self.coder, text.strip(), document_id=coding.document_id, start=coding.start,
                                      end=coding.end, code_id=coding.code_id, coding_id=coding_id)

    def autocode(self, pattern: str, code_id: str, *, regex: bool = False, unit: str = "sentence"):
        from qualcode.search import autocode

        result = autocode(self.project, pattern, code_id, self.coder, unit=unit, regex=regex, document_id=self.document.id)
        if result.run is not None:
            self.history.append(Step("autocode", result.run.id))
            self._used(code_id)
        return result

    def undo(self) -> Step | None:
        if not self.history:
            return None
        step = self.history.pop()
        codings = self.project.codings
        if step.kind == "add":
            codings.set_status_bulk([step.coding_id], "superseded", self.coder, "undo")
        elif step.kind in ("accept", "reject", "delete"):
            codings.set_status_bulk([step.coding_id], step.before[0], self.coder, "undo")
        elif step.kind == "recode":
            codings.recode(step.coding_id, step.before[0], self.coder, operation="undo")
        elif step.kind == "respan":
            codings.respan(step.coding_id, *step.before, self.coder)
        elif step.kind == "autocode":
            self.project.autocode_runs.undo(step.coding_id, self.coder)
        return step

    # -- suggestions ------------------------------------------------------------------
    def suggest_span(self, start: int, end: int, top: int = 5) -> list[tuple[str, float, str]]:
        """The engine's best codes for any span, scored with the sentences around it."""
        if self.suggester is None:
            return []
        self._check_span(start, end)
        text = self.document.text
        near = [s for s in self.project.documents.segments_overlapping(self.document.id, max(0, start - 400), end + 400)]
        context = " ".join(s.text for s in near if s.end <= start or s.start >= end)
        return [(s.code_id, s.score, s.reason) for s in self.suggester.suggest(text[start:end], top=top, context=context or None)]

    def suggest_document(self) -> int:
        """Store the engine's suggestions for every segment of the document that has none."""
        if self.suggester is None:
            return 0
        from qualcode.suggest.workflow import suggest_project

        return len(suggest_project(self.project, self.suggester, document_id=self.document.id, coder=self.coder))

    # -- search -------------------------------------------------------------------------
    def search(self, pattern: str, *, regex: bool = False) -> list[list[int]]:
        from qualcode.search import search

        return [[h.start, h.end] for h in search(self.project, pattern, regex=regex, document_id=self.document.id)]

    # -- media ---------------------------------------------------------------------------
    def media_payload(self) -> dict:
        link = self.project.media.get(self.document.id)
        if link is None:
            return {}
        from pathlib import Path

        path = Path(link.path)
        kind, mime = MEDIA_TYPES.get(path.suffix.lower(), (link.kind, "application/octet-stream"))
        size = path.stat().st_size if path.is_file() else None
        return {"name": path.name, "kind": kind, "mime": mime, "size": size}

    def media_chunks(self) -> Iterator[bytes]:
        """The recording in chunks (memory stays bounded whatever its size)."""
        link = self.project.media.get(self.document.id)
        if link is None:
            raise ProjectError(_("{document} has no linked recording").format(document=self.document.name))
        from pathlib import Path

        path = Path(link.path)
        if not path.is_file():
            raise ProjectError(_("{path}: the linked recording is missing").format(path=path))
        if path.stat().st_size > MAX_MEDIA:
            raise ProjectError(_("{path}: the recording is larger than 4 GB").format(path=path))
        with path.open("rb") as fh:
            while chunk := fh.read(MEDIA_CHUNK):
                yield chunk

    # -- internals ---------------------------------------------------------------------
    def _decide(self, coding_id: int, status: str, kind: str) -> None:
        coding = self._mine(coding_id)
        self.project.codings.decide(coding_id, status, self.coder, shown_score=coding.score)
        self.history.append(Step(kind, coding_id, (coding.status,)))
        if status == "accepted":
            self._used(coding.code_id)
        if coding.source in PROPOSED_SOURCES:
            self._learn(coding.start, coding.end, coding.code_id, status == "accepted")

    def _mine(self, coding_id: int) -> Coding:
        coding = self.project.codings.get(coding_id)
        if coding.document_id != self.document.id:
            raise ProjectError(_("coding {id} belongs to another document").format(id=coding_id))
        return coding

    def _check_span(self, start: int, end: int) -> None:
        if not 0 <= start < end <= len(self.document.text):
            raise ProjectError(_("span {start}-{end} lies outside the document (0-{length})").format(
                start=start, end=end, length=len(self.document.text)))

    def _used(self, code_id: str) -> None:
        self.recent = [code_id] + [c for c in self.recent if c != code_id][: RECENT - 1]

    def _learn(self, start: int, end: int, code_id: str, accepted: bool) -> None:
        if self.suggester is not None and code_id in getattr(self.suggester, "code_ids_", ()):
            self.suggester.learn(self.document.text[start:end], code_id, accepted)


def _row(c: Coding, memos: list[str]) -> list:
    """One coding as the front end gets it (document_view.js reads these fields by position)."""
    return [c.id, c.start, c.end, c.code_id, c.coder, c.status, c.source, c.score, c.reason or "", "\n\n".join(memos)]
