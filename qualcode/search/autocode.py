"""Autocode: code every hit of a search, as one run that can be undone as a whole.

Each hit becomes a coding of the sentence (or sentences) it lies in, its whole
turn, or the hit itself (``unit``). By default the codings are suggestions the
coder reviews (status ``suggested``); ``accept=True`` stores them accepted.
They carry source ``autocode`` and the pattern in their reason, and the run
records which codings it made, so :func:`undo_autocode` withdraws exactly
those (a status change with an event: the history stays).
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.errors import UnknownCodeError
from qualcode.i18n import gettext as _, quote
from qualcode.models import AutocodeRun
from qualcode.project import Project
from qualcode.search.patterns import Pattern
from qualcode.search.search import SearchHit, search
from qualcode.store.codings import NewCoding

UNITS = ("sentence", "turn", "hit")


@dataclass(frozen=True)
class AutocodeResult:
    run: AutocodeRun | None  # None when nothing new was coded
    hits: tuple[SearchHit, ...]
    coded: int  # new codings
    already: int  # spans the coder had already coded (or decided on) with this code


def span_of(hit: SearchHit, unit: str) -> tuple[int, int]:
    if unit == "sentence":
        return hit.sentence_start, hit.sentence_end
    if unit == "turn":
        return hit.turn_start, hit.turn_end
    if unit == "hit":
        return hit.start, hit.end
    raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")


def reason_for(pattern: Pattern) -> str:
    if pattern.regex:
        return _("autocode: regular expression {pattern}").format(pattern=quote(pattern.text))
    return _("autocode: search for {pattern}").format(pattern=quote(pattern.text))


def autocode(
    project: Project,
    pattern: str,
    code_id: str,
    coder: str,
    *,
    unit: str = "sentence",
    accept: bool = False,
    regex: bool = False,
    role: str | None = None,
    within_code: str | None = None,
    document_id: int | None = None,
    include_interviewer: bool = False,
) -> AutocodeResult:
    """Code every hit of ``pattern`` with ``code_id`` for ``coder`` (one transaction, one run)."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    if code_id not in set(project.codebook.code_ids()):
        raise UnknownCodeError(_("unknown code id {code}: add it to the project's codebook first").format(code=quote(code_id)))
    compiled = Pattern(pattern, regex=regex)
    hits = tuple(search(project, compiled, role=role, code=within_code, document_id=document_id,
                        include_interviewer=include_interviewer))
    status = "accepted" if accept else "suggested"
    reason = reason_for(compiled)
    spans: dict[tuple[int, int, int], None] = {}
    for hit in hits:
        spans.setdefault((hit.document_id, *span_of(hit, unit)), None)
    # A span this coder already coded with this code (or rejected) is left alone:
    # running a search twice must not pile up duplicates or re-open decisions.
    existing = {
        (c.document_id, c.start, c.end)
        for c in project.codings.query(code_id=code_id, coder=coder)
        if c.status != "superseded"
    }
    new = [
        NewCoding(doc, start, end, code_id, coder, status, "autocode", None, reason)
        for doc, start, end in spans if (doc, start, end) not in existing
    ]
    already = len(spans) - len(new)
    if not new:
        return AutocodeResult(None, hits, 0, already)
    filters = {k: v for k, v in (("role", role), ("code", within_code), ("document_id", document_id)) if v is not None}
    if include_interviewer:
        filters["include_interviewer"] = "yes"
    run = project.autocode_runs.record(
        pattern=pattern, mode=compiled.mode, unit=unit, code_id=code_id, coder=coder, status=status,
        filters={k: str(v) for k, v in filters.items()}, codings=new,
    )
    return AutocodeResult(run, hits, len(new), already)


def undo_autocode(project: Project, run_id: int, actor: str) -> list[int]:
    """Withdraw the codings of one run (status ``superseded``, recorded as events); returns their ids."""
    return project.autocode_runs.undo(run_id, actor)
