"""The state of reading one project.qde: users, codes, notes by GUID, counts, and what was left out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from qualcode.i18n import gettext as _
from qualcode.refi.archive import Container
from qualcode.refi.records import NoteTarget, RefiNote, RefiSelection, canonical

VALUE_ELEMENTS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


def local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def children(el, name: str) -> list:
    return [c for c in el if local(c) == name] if el is not None else []


def first(el, name: str):
    return next(iter(children(el, name)), None)


class Reading:
    """Collects, while the sources are read, everything that needs the whole file to make sense."""

    def __init__(self, path: Path, container: Container, users: dict[str, str], default_user: str | None,
                 code_ids: dict[str, str], variables: dict[str, str], notes: dict[str, object]):
        self.path = path
        self.container = container
        self.users = users  # canonical GUID -> name
        self.default_user = default_user
        self.code_ids = code_ids  # canonical code GUID -> code id
        self.variables = variables  # canonical variable GUID -> name
        self._notes = notes  # canonical note GUID -> Note element
        self.found: Counter = Counter()
        self.dropped: Counter = Counter()  # (kind, reason) -> count
        self.warnings: list[str] = []
        self.note_targets: dict[str, list[NoteTarget]] = {}  # canonical note GUID -> targets
        self.comments: list[RefiNote] = []
        # NoteRef elements already given a target; holding the elements keeps lxml handing out the same proxies
        self.handled_refs: set = set()

    # -- counting -------------------------------------------------------------------
    def drop(self, kind: str, count: int, reason: str) -> None:
        if count:
            self.dropped[(kind, reason)] += count

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    # -- users, values ------------------------------------------------------------------
    def user_name(self, guid: str | None) -> str | None:
        return self.users.get(canonical(guid)) if guid else None

    def values(self, el) -> dict[str, str]:
        out = {}
        for vv in children(el, "VariableValue"):
            ref = first(vv, "VariableRef")
            value = next((c for c in vv if local(c) in VALUE_ELEMENTS), None)
            if ref is not None and value is not None and value.text is not None:
                name = self.variables.get(canonical(ref.get("targetGUID")), ref.get("targetGUID"))
                out[name] = value.text.strip()
        return out

    # -- selections ------------------------------------------------------------------
    def code_guid_of(self, coding) -> str:
        ref = first(coding, "CodeRef")
        return ref.get("targetGUID") or "" if ref is not None else ""

    def selection(self, coding, start: int, end: int, holder, selection_guid: str | None) -> RefiSelection:
        """A Coding of the span ``start``-``end``; its coder is the Coding's user, else its selection's."""
        user_guid = coding.get("creatingUser") or holder.get("creatingUser")
        coder = self.user_name(user_guid) or user_guid or self.default_user or "refi-import"
        return RefiSelection(start, end, canonical(self.code_guid_of(coding)), coder,
                             coding.get("creationDateTime") or holder.get("creationDateTime"),
                             coding.get("guid"), selection_guid)

    # -- text --------------------------------------------------------------------------
    def text_of(self, el, name: str, *, warn: bool = True) -> tuple[str | None, str]:
        """The raw text of a TextSourceType element, or ``None`` and why it has none (and a warning naming it)."""
        content = first(el, "PlainTextContent")
        if content is not None:
            return content.text or "", ""
        plain, rich = el.get("plainTextPath"), el.get("richTextPath")
        if plain:
            data = self.container.read(plain)
            if data is not None:
                text = _decode(data)
                if text is None:
                    self.warn(_("{path}: source '{name}': {file} is not UTF-8 text; not imported").format(
                        path=self.path, name=name, file=plain))
                    return None, _("text file not UTF-8")
                return text, ""
        if rich and rich.lower().endswith(".docx"):
            data = self.container.read(rich)
            if data is not None:
                from qualcode.refi.sources import DOCX_ERRORS, docx_text

                try:
                    return docx_text(data, self.path), ""
                except DOCX_ERRORS as exc:
                    self.warn(_("{path}: source '{name}': {file} is not a readable Word file ({problem}); not imported").format(
                        path=self.path, name=name, file=rich, problem=type(exc).__name__))
                    return None, _("Word file cannot be read")
        if not plain and not rich:
            return None, _("no text file named")
        if warn:
            self.warn(_("{path}: source '{name}': no plain text or .docx found {where}; skipped").format(
                path=self.path, name=name, where=self.container.where()))
        return None, _("text file not {where}").format(where=self.container.where())

    # -- notes ---------------------------------------------------------------------------
    def note_element(self, guid: str | None):
        return self._notes.get(canonical(guid))

    def note_ref(self, ref, *targets: NoteTarget) -> None:
        self.handled_refs.add(ref)
        self.note_targets.setdefault(canonical(ref.get("targetGUID")), []).extend(targets)

    def note_refs(self, el, target: NoteTarget) -> None:
        for ref in children(el, "NoteRef"):
            self.note_ref(ref, target)

    def comment(self, text: str, el, target: NoteTarget) -> None:
        """A Description on a source or selection: the tool's comment on it, kept as a memo."""
        self.found["comments"] += 1
        self.comments.append(RefiNote(None, None, text, self.user_name(el.get("creatingUser")),
                                      el.get("creationDateTime"), (target,), kind="description"))

    def span_note(self, sel, source_guid: str, start: int, end: int) -> None:
        description = first(sel, "Description")
        text = (description.text or "").strip() if description is not None else ""
        if text:
            self.comment(text, sel, NoteTarget(source_guid, start, end))


def _decode(data: bytes) -> str | None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")  # a BOM is not text: positions do not count it
    except UnicodeDecodeError:
        return None
