"""Reading the ``<Sources>`` of a project.qde: every kind, and why what cannot be held is left out.

Text sources, PDFs (their plain-text representation, else the PDF's own
text through pypdf) and the Transcripts of audio and video sources become
:class:`RefiSource` records whose selections are already moved onto the
normalised text. Pictures, recordings, and selections by page area or time
span have no character positions: they are counted in
:class:`qualcode.refi.reading.Reading` with the reason they were not imported.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.refi.positions import Placer, normalise_with_map
from qualcode.refi.reading import Reading, children, first, local
from qualcode.refi.records import NoteTarget, RefiSelection, RefiSource, canonical
from qualcode.refi.units import Evidence

def read_sources(sources_el, r: Reading) -> list[RefiSource]:
    out: list[RefiSource] = []
    for el in children_all(sources_el):
        kind = local(el)
        if kind == "TextSource":
            r.found["text"] += 1
            source = _text_source(el, r, "text")
            if source is not None:
                out.append(source)
        elif kind == "PDFSource":
            r.found["pdf"] += 1
            source = _pdf_source(el, r)
            if source is not None:
                out.append(source)
        elif kind in ("AudioSource", "VideoSource"):
            media = "audio" if kind == "AudioSource" else "video"
            r.found[media] += 1
            transcripts = children(el, "Transcript")
            r.found["transcript"] += len(transcripts)
            for k, t in enumerate(transcripts):
                source = _transcript(t, el, r, first=k == 0)
                if source is not None:
                    out.append(source)
            r.drop(media, 1, _("a recording: qualcode holds text (its transcripts are read as sources)")
                   if transcripts else _("a recording without a transcript: qualcode holds text"))
            _drop_codings(el, r, _("on a time span of a recording"), skip=("Transcript",))
        elif kind == "PictureSource":
            r.found["picture"] += 1
            r.drop("picture", 1, _("a picture: qualcode holds text"))
            _drop_codings(el, r, _("on an area of a picture"))
    return out


def children_all(el) -> list:
    return [c for c in el if isinstance(c.tag, str)] if el is not None else []


def _text_source(el, r: Reading, kind: str, *, name: str | None = None, guid: str | None = None,
                 raw: str | None = None) -> RefiSource | None:
    """A TextSource (or a TextSourceType element: a PDF's Representation, a Transcript)."""
    guid = guid or el.get("guid") or ""
    name = name or el.get("name") or guid
    reason = ""
    if raw is None:
        raw, reason = r.text_of(el, name)
    if raw is None:
        r.drop(kind, 1, reason)
        _drop_codings(el, r, _("on a source that was not imported"))
        return None
    text, positions = normalise_with_map(raw)
    place = Placer(raw, positions, evidence(el))
    selections = _plain_selections(el, place, name, guid, r)
    for coding in children(el, "Coding"):  # a Coding on the source codes the whole text
        selections.append(r.selection(coding, 0, len(text), el, None))
    _source_notes(el, guid, place, r)
    return RefiSource(guid, name, text, tuple(s for s in selections if s.end > s.start), r.values(el), kind,
                      el.get("creationDateTime"), r.user_name(el.get("creatingUser")))


def evidence(el) -> list[Evidence]:
    """The positions a source element's selections and sync points give, for deciding their unit."""
    out = []
    for sel in children(el, "PlainTextSelection"):
        span = _positions(sel)
        if span is not None:
            out.append(Evidence(span[0], span[1], sel.get("name")))
    for sp in children(el, "SyncPoint"):
        try:
            out.append(Evidence(int(sp.get("position"))))
        except (TypeError, ValueError):
            continue
    return out


def _positions(sel) -> tuple[int, int] | None:
    try:
        return int(sel.get("startPosition")), int(sel.get("endPosition"))
    except (TypeError, ValueError):
        return None


def checked_span(sel, place: Placer, name: str, r: Reading) -> tuple[int, int] | None:
    """A selection's span in the normalised text; ``None`` for an empty one.

    Positions that cannot be right (not whole numbers, negative, an end before
    its start, past the end of the text) mean the file's positions do not fit
    its text: every other selection on the source is then suspect too, so the
    import stops with one line naming the selection and its line in project.qde.
    """
    span = _positions(sel)
    where = dict(path=r.qde_name, line=sel.sourceline, guid=sel.get("guid") or "?", name=name)
    if span is None:
        raise InputError(r.path, _("{path} line {line}: selection {guid} in source '{name}' has no whole-number"
                                   " startPosition and endPosition").format(**where))
    start, end = span
    if start < 0:
        raise InputError(r.path, _("{path} line {line}: selection {guid} in source '{name}' starts at {start};"
                                   " a position cannot be negative").format(start=start, **where))
    if end < start:
        raise InputError(r.path, _("{path} line {line}: selection {guid} in source '{name}' ends at {end},"
                                   " before its start at {start}").format(start=start, end=end, **where))
    if end > place.length:
        raise InputError(r.path, _("{path} line {line}: selection {guid} in source '{name}' ends at {end}, past the"
                                   " end of the source's text ({length} characters)").format(
            end=end, length=place.length, **where))
    if start == end:
        return None
    return place(start), place(end)


def _plain_selections(el, place: Placer, name: str, source_guid: str, r: Reading) -> list[RefiSelection]:
    out = []
    for sel in children(el, "PlainTextSelection"):
        codings = children(sel, "Coding")
        span = checked_span(sel, place, name, r)
        if span is None:
            r.drop("codings", len(codings), _("the selection is empty"))
            continue
        a, b = span
        r.selection_target(sel, NoteTarget(source_guid, a, b))
        for coding in codings:
            out.append(r.selection(coding, a, b, sel, sel.get("guid")))
        r.span_note(sel, source_guid, a, b)
        r.note_refs(sel, NoteTarget(source_guid, a, b))
        for coding in codings:
            r.note_refs(coding, NoteTarget(source_guid, a, b, r.code_guid_of(coding), coding.get("guid")))
    return out


def _source_notes(el, source_guid: str, place: Placer | None, r: Reading) -> None:
    """The source's own Description and NoteRefs; a note holding a selection (QualCoder) is about that span."""
    description = (first(el, "Description").text or "").strip() if first(el, "Description") is not None else ""
    if description:
        r.comment(description, el, NoteTarget(source_guid))
    for ref in children(el, "NoteRef"):
        note = r.note_element(ref.get("targetGUID"))
        spans = children(note, "PlainTextSelection") if note is not None and place is not None else []
        targets = []
        for sel in spans:
            span = _positions(sel)
            if span is not None and 0 <= span[0] < span[1] <= place.length:
                targets.append(NoteTarget(source_guid, place(span[0]), place(span[1])))
        r.note_ref(ref, *(targets or [NoteTarget(source_guid)]))


def _pdf_source(el, r: Reading) -> RefiSource | None:
    guid, name = el.get("guid") or "", el.get("name") or el.get("guid") or ""
    rep = first(el, "Representation")
    if rep is not None:
        raw, _reason = r.text_of(rep, name, warn=False)  # else the PDF's own text
        if raw is not None:
            source = _text_source(rep, r, "pdf", name=name, guid=guid, raw=raw)
            covered = {canonical(s.get("guid")) for s in children(rep, "PlainTextSelection")}
            extra = _pdf_selections(el, source.text, r, covered)
            extra += [r.selection(coding, 0, len(source.text), el, None) for coding in children(el, "Coding")]
            _source_notes(el, guid, None, r)  # the PDFSource's own Description and NoteRefs
            return replace(source, selections=source.selections + tuple(extra), variables=r.values(el),
                           aliases=tuple(g for g in (rep.get("guid"),) if g),
                           created_at=el.get("creationDateTime"), created_by=r.user_name(el.get("creatingUser")))
    data = r.container.read(el.get("path") or "") if el.get("path") else None
    if data is None:
        r.warn(_("{path}: {qde} line {line}: source '{name}': {file} is not {where}; skipped").format(
            path=r.path, qde=r.qde_name, line=el.sourceline, name=name, file=el.get("path") or _("(no path)"),
            where=r.container.where()))
        r.drop("pdf", 1, _("no PDF file or plain text {where}").format(where=r.container.where()))
        _drop_codings(el, r, _("on a source that was not imported"))
        return None
    from qualcode.refi.pdf import pdf_text

    raw, problem = pdf_text(data)
    if raw is None:
        r.drop("pdf", 1, problem)
        _drop_codings(el, r, _("on a source that was not imported"))
        return None
    text, positions = normalise_with_map(raw)
    _source_notes(el, guid, Placer(raw, positions), r)
    selections = _pdf_selections(el, text, r, set())
    selections += [r.selection(coding, 0, len(text), el, None) for coding in children(el, "Coding")]
    return RefiSource(guid, name, text, tuple(selections), r.values(el), "pdf", el.get("creationDateTime"),
                      r.user_name(el.get("creatingUser")))


def _pdf_selections(el, text: str, r: Reading, covered: set[str]) -> list[RefiSelection]:
    """PDF selections are page areas; one whose text the file also gives is found in the text."""
    added = []
    for sel in children(el, "PDFSelection"):
        codings = children(sel, "Coding")
        if canonical(sel.get("guid")) in covered:
            # the same selection by character positions in the representation (ATLAS.ti): counted there
            r.found["codings"] -= len(codings)
            continue
        rep = first(sel, "Representation")
        content = first(rep, "PlainTextContent") if rep is not None else None
        span = _find_once(text, content.text or "") if content is not None else None
        if span is None:
            r.drop("codings", len(codings), _("on an area of a PDF page whose text cannot be found in the PDF's text"))
            continue
        for coding in codings:
            added.append(r.selection(coding, span[0], span[1], sel, sel.get("guid")))
        r.selection_target(sel, NoteTarget(el.get("guid"), span[0], span[1]))
        r.note_refs(sel, NoteTarget(el.get("guid"), span[0], span[1]))
    return added


def _find_once(text: str, fragment: str) -> tuple[int, int] | None:
    """Where ``fragment`` occurs exactly once in ``text``, whitespace between its words aside."""
    words = fragment.split()
    if not words:
        return None
    pattern = re.compile(r"\s*".join(re.escape(w) for w in words))
    matches = list(pattern.finditer(text))
    return (matches[0].start(), matches[0].end()) if len(matches) == 1 else None


def _transcript(el, media, r: Reading, *, first: bool) -> RefiSource | None:
    """A Transcript of an audio or video source; the first one also stands for the recording (cases, sets)."""
    name = el.get("name") or media.get("name") or el.get("guid") or ""
    guid = el.get("guid") or ""
    raw, reason = r.text_of(el, name)
    if raw is None:
        r.drop("transcript", 1, reason)
        _drop_codings(el, r, _("on a source that was not imported"))
        return None
    text, positions = normalise_with_map(raw)
    place = Placer(raw, positions, evidence(el))
    points: dict[str, int] = {}
    sync: list[tuple[int, int]] = []
    for sp in children(el, "SyncPoint"):
        try:
            position = int(sp.get("position"))
        except (TypeError, ValueError):
            continue
        position = place(min(max(position, 0), place.length))
        points[canonical(sp.get("guid"))] = position
        if sp.get("timeStamp") not in (None, ""):
            try:
                sync.append((position, int(sp.get("timeStamp"))))
            except ValueError:
                pass
    selections = []
    for sel in children(el, "TranscriptSelection"):
        codings = children(sel, "Coding")
        a, b = points.get(canonical(sel.get("fromSyncPoint"))), points.get(canonical(sel.get("toSyncPoint")))
        if a is None or b is None or a >= b:
            r.drop("codings", len(codings), _("the transcript selection's sync points are missing"))
            continue
        for coding in codings:
            selections.append(r.selection(coding, a, b, sel, sel.get("guid")))
        r.selection_target(sel, NoteTarget(guid, a, b))
        r.span_note(sel, guid, a, b)
        r.note_refs(sel, NoteTarget(guid, a, b))
    _source_notes(el, guid, place, r)
    return RefiSource(guid, name, text, tuple(selections), r.values(media), "transcript",
                      el.get("creationDateTime") or media.get("creationDateTime"),
                      r.user_name(el.get("creatingUser") or media.get("creatingUser")), tuple(sorted(set(sync))),
                      aliases=(media.get("guid"),) if first and media.get("guid") else ())


def _drop_codings(el, r: Reading, reason: str, skip: tuple[str, ...] = ()) -> None:
    """Count the Codings under ``el`` (not under the ``skip`` children) as not imported."""
    n = 0
    stack = [c for c in children_all(el) if local(c) not in skip]
    while stack:
        node = stack.pop()
        if local(node) == "Coding":
            n += 1
        else:
            stack.extend(children_all(node))
    r.drop("codings", n, reason)


def docx_text(data: bytes, path: Path | None = None) -> str:
    """A .docx source's paragraphs, one a line; ``path`` (the .qdpx) names a bomb in the refusal."""
    import zipfile

    import docx

    from qualcode.limits import MAX_TRANSCRIPT_BYTES, check_office_file

    if zipfile.is_zipfile(io.BytesIO(data)):  # else damaged: python-docx says so below, as for any unreadable .docx
        # An archive inside the archive: its members are size-checked before python-docx reads them all.
        check_office_file(path or Path("source.docx"), MAX_TRANSCRIPT_BYTES, _("a Word source inside the archive is damaged"),
                          io.BytesIO(data))
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _docx_errors() -> tuple[type[BaseException], ...]:
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    # what python-docx raises on a damaged file: not a zip, a missing part, broken XML
    return (zipfile.BadZipFile, PackageNotFoundError, LxmlError, KeyError, ValueError)


DOCX_ERRORS = _docx_errors()


__all__ = ["read_sources", "docx_text"]
