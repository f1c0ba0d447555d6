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
                 code_ids: dict[str, str], variables: dict[str, str], notes: dict[str, object],
                 coder_in_selection: bool = False):
        self.path = path
        self.container = container
        self.qde_name = container.qde_name.rsplit("/", 1)[-1]
        # NVivo's Codings carry the code's user and time, its selections the coder's (codings_stamped_by_code)
        self.coder_in_selection = coder_in_selection
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
        self.selection_targets: dict[str, NoteTarget] = {}  # canonical selection GUID -> its span

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
            if ref is not None and value is not None and value.text is not None and (ref.get("targetGUID") or "").strip():
                # a value of a variable the file does not declare keeps the GUID as its name (QualCoder
                # writes an empty VariableRef for a variable it cannot find: nothing to keep then)
                name = self.variables.get(canonical(ref.get("targetGUID")), ref.get("targetGUID"))
                out[name] = value.text.strip()
        return out

    # -- selections ------------------------------------------------------------------
    def code_guid_of(self, coding) -> str:
        ref = first(coding, "CodeRef")
        return ref.get("targetGUID") or "" if ref is not None else ""

    def selection(self, coding, start: int, end: int, holder, selection_guid: str | None) -> RefiSelection:
        """A Coding of the span ``start``-``end`` by its coder, at the time it was coded.

        The coder is the Coding's user (ATLAS.ti: a code another user linked
        to a quotation is that user's coding), else the selection's; but in
        a file whose Codings carry their code's stamp (NVivo, see
        :func:`codings_stamped_by_code`) the selection's user and time are the coder's.
        """
        first, second = (holder, coding) if self.coder_in_selection else (coding, holder)
        user_guid = first.get("creatingUser") or second.get("creatingUser")
        coder = self.user_name(user_guid) or user_guid or self.default_user or "refi-import"
        return RefiSelection(start, end, canonical(self.code_guid_of(coding)), coder,
                             first.get("creationDateTime") or second.get("creationDateTime"),
                             coding.get("guid"), selection_guid)

    def selection_target(self, sel, target: NoteTarget) -> None:
        """Remember where a selection lies, for Links that tie a note to it."""
        if sel.get("guid"):
            self.selection_targets[canonical(sel.get("guid"))] = target

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
            self.warn(_("{path}: {qde} line {line}: source '{name}': {file} is not {where}; skipped").format(
                path=self.path, qde=self.qde_name, line=el.sourceline, name=name, file=plain or rich,
                where=self.container.where()))
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


SELECTIONS = ("PlainTextSelection", "PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection",
              "TranscriptSelection")


def codings_stamped_by_code(sources_el) -> bool:
    """True when a file's Codings carry the user and time of their code, not of the act of coding.

    NVivo writes one selection per coding reference, stamped with the user
    who coded it and when, and in it a Coding stamped with the user and time
    of the code (node) itself: in real NVivo 12 exports (Windows and Mac)
    every Coding of one code has the same stamp, and that stamp lies before
    its selection's, often before the source was even imported. A Coding
    dated before its own selection cannot be the act of coding that
    selection; when most Codings of a file are, the selection names the
    coder. (ATLAS.ti, MAXQDA, QualCoder and qualcode stamp a Coding when the
    code was applied, never before its selection existed.)
    """
    earlier = comparable = 0
    if sources_el is None:
        return False
    for sel in sources_el.iter():
        if local(sel) not in SELECTIONS:
            continue
        selected = _time(sel.get("creationDateTime"))
        if selected is None:
            continue
        for coding in children(sel, "Coding"):
            coded = _time(coding.get("creationDateTime"))
            if coded is not None:
                comparable += 1
                earlier += coded < selected
    return comparable > 0 and 2 * earlier > comparable


def _time(stamp: str | None):
    from datetime import datetime, timezone

    if not stamp:
        return None
    try:
        value = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


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
