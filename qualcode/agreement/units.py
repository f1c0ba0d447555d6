"""From codings (spans) to units: which codes each coder applied to each segment.

Agreement is measured on segments (sentences or turns), not on exact spans:
coders rarely mark the same characters, but they do agree or disagree about
what a sentence is about. A coder "applied code X to unit U" if any of their
codings of X overlaps U and is not rejected (or superseded by a merge).

Missing data: a coder who has no coding at all in a document did not code
that document, so their values for its units are missing (``None``), not
"no code". Consensus codings are the team's result, not a coder's judgement,
and are left out.

``coded_only`` keeps only the units at least one coder gave a code. When one
coder codes far less than another (NVivo projects where a second coder coded
27 spans against 303), the many units nobody coded make percent agreement
look near perfect while kappa is near zero; agreement on the coded units is
what QualCoder and NVivo users ask for, and :func:`coverage_warnings` says
when the difference matters.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Sequence

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _, join_list, quote
from qualcode.models import SEGMENT_UNITS, Segment
from qualcode.project import Project

NOT_APPLIED = ("rejected", "superseded")
CODER_SOURCES = ("human", "machine")


@dataclass(frozen=True)
class CodedUnits:
    """Reliability data: per coder, per unit, the set of codes applied (``None`` = not coded)."""

    unit: str
    coders: tuple[str, ...]
    segments: tuple[Segment, ...]
    codes: tuple[tuple[frozenset[str] | None, ...], ...]  # [coder][unit]
    code_ids: tuple[str, ...]  # codes applied by anyone, in codebook order
    code_names: dict[str, str]
    document_names: dict[int, str]
    coded_only: bool = False

    def values(self, code_id: str) -> list[list[bool | None]]:
        """Binary reliability data for one code: coder x unit, True if applied."""
        return [[None if s is None else code_id in s for s in row] for row in self.codes]

    def set_labels(self) -> list[list[str | None]]:
        """Nominal reliability data where each unit's value is the whole code set."""
        return [[None if s is None else "+".join(sorted(s)) for s in row] for row in self.codes]

    def coded_by(self, u: int) -> list[int]:
        """Indices of the coders who coded unit ``u``."""
        return [i for i, row in enumerate(self.codes) if row[u] is not None]

    def units_with_codes(self) -> list[int]:
        """How many units each coder gave at least one code, in coder order."""
        return [sum(1 for s in row if s) for row in self.codes]


def coded_units(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    unit: str = "sentence",
    documents: Iterable[int | str] | None = None,
    include_interviewer: bool = False,
    coded_only: bool = False,
) -> CodedUnits:
    """Build the reliability data for ``coders`` (default: everyone who coded) on ``documents``.

    Interviewer segments are left out by default: questions are rarely coded,
    and counting them as agreed "no code" would inflate agreement. With
    ``coded_only``, units no coder gave a code are left out too.
    """
    if unit not in SEGMENT_UNITS:
        raise ProjectError(_("unknown unit {unit}; use one of {units}").format(unit=quote(unit), units=", ".join(SEGMENT_UNITS)))
    doc_ids = resolve_documents(project, documents)
    wanted = set(doc_ids)
    codings = [c for c in project.codings.query(source=list(CODER_SOURCES)) if c.document_id in wanted]
    found = sorted({c.coder for c in codings})
    if coders is None:
        coders = found
    else:
        coders = list(dict.fromkeys(coders))
        missing = [c for c in coders if c not in found]
        if missing:
            raise ProjectError(_("no codings by {missing} in the chosen documents; coders found: {found}").format(
                missing=join_list(missing), found=", ".join(found) or _("(none)")))
    if len(coders) < 2:
        raise ProjectError(_("agreement needs at least two coders; found: {found}").format(
            found=", ".join(coders) or _("(none)")))
    covered = {(c.coder, c.document_id) for c in codings}
    by_doc_coder: dict[tuple[int, str], list] = {}
    for c in codings:
        if c.status not in NOT_APPLIED:
            by_doc_coder.setdefault((c.document_id, c.coder), []).append(c)

    segments: list[Segment] = []
    table: list[list[frozenset[str] | None]] = [[] for _ in coders]
    for doc_id in doc_ids:
        segs = list(project.documents.segments(doc_id, unit, include_interviewer=include_interviewer))
        starts = [s.start for s in segs]
        segments.extend(segs)
        for i, coder in enumerate(coders):
            if (coder, doc_id) not in covered:
                table[i].extend([None] * len(segs))
                continue
            applied: list[set[str]] = [set() for _ in segs]
            for c in by_doc_coder.get((doc_id, coder), ()):
                # Segments of one unit do not overlap and are sorted, so the
                # first candidate is the last segment starting before the span ends.
                k = bisect.bisect_left(starts, c.end) - 1
                while k >= 0 and segs[k].end > c.start:
                    applied[k].add(c.code_id)
                    k -= 1
            table[i].extend(frozenset(a) for a in applied)

    if coded_only:
        keep = [u for u in range(len(segments)) if any(row[u] for row in table)]
        segments = [segments[u] for u in keep]
        table = [[row[u] for u in keep] for row in table]
    codebook = project.codebook.current(include_retired=True)
    used = {code for row in table for s in row if s for code in s}
    order = [c.id for c in codebook.codes if c.id in used] + sorted(used - set(codebook.ids()))
    names = {c.id: c.name for c in codebook.codes}
    # Headers, not documents: a name needs no text (and a server's reader may not read the text).
    titles = {h.id: h.name for h in project.documents.headers()}
    return CodedUnits(
        unit=unit,
        coders=tuple(coders),
        segments=tuple(segments),
        codes=tuple(tuple(row) for row in table),
        code_ids=tuple(order),
        code_names={cid: names.get(cid, cid) for cid in order},
        document_names={d: titles[d] for d in doc_ids},
        coded_only=coded_only,
    )


# A coder who gave codes to fewer than this share of the units another coder coded "coded far less".
FAR_LESS = 0.25


def coverage_warnings(cu: CodedUnits) -> list[str]:
    """One line per coder who coded far fewer units than the most active coder (in the user's language)."""
    from qualcode.i18n import format_number, format_percent
    from qualcode.i18n import gettext as _
    from qualcode.i18n import ngettext

    counts = cu.units_with_codes()
    if not counts or max(counts) == 0:
        return []
    top = max(range(len(counts)), key=lambda i: counts[i])
    out = []
    for i, n in enumerate(counts):
        if i != top and n < FAR_LESS * counts[top]:
            units = ngettext("{n} unit", "{n} units", n).format(n=format_number(n))
            fields = dict(coder=cu.coders[i], units=units, other=cu.coders[top], count=format_number(counts[top]),
                          share=format_percent(n / counts[top]))
            if cu.coded_only:
                # no unit nobody coded is left: what remains to say is why agreement on the rest is low
                line = _("{coder} gave codes to {units}, {other} to {count} ({share}): if {coder} did not code all"
                         " of the text, the units only {other} coded count as disagreements").format(**fields)
            else:
                line = _("{coder} gave codes to {units}, {other} to {count} ({share}): agreement is mostly on units"
                         " neither coded").format(**fields)
                line += _("; --coded-only measures it on the units at least one coder coded")
            out.append(line)
    return out


def resolve_documents(project: Project, documents: Iterable[int | str] | None) -> list[int]:
    """Document ids from ids or names; all documents when ``documents`` is None."""
    if documents is None:
        return project.documents.ids()
    known = set(project.documents.ids())
    out: list[int] = []
    for ref in documents:
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit() and int(ref) in known):
            doc_id = int(ref)
            if doc_id not in known:
                raise ProjectError(_("no document with id {id} in the project").format(id=doc_id))
        else:
            doc = project.documents.by_name(ref)
            if doc is None:
                raise ProjectError(_("no document {name} in the project").format(name=quote(ref)))
            doc_id = doc.id
        if doc_id not in out:
            out.append(doc_id)
    return out
