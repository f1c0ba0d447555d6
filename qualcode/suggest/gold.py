"""Gold codings: the CSV a careful human coding of the samples is stored in.

Columns: document, unit, segment_index, start, end, text, code_id, codebook;
one row per segment and code; offsets into the imported document's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.project import Project
from qualcode.tables import Rows

GOLD_COLUMNS = ("document", "unit", "segment_index", "start", "end", "text", "code_id", "codebook")


@dataclass(frozen=True)
class GoldSegment:
    """A segment of the gold coding with every code it was given."""

    document: str
    start: int
    end: int
    text: str
    codes: frozenset[str]


def read_gold(path: str | Path, project: Project | None = None) -> list[GoldSegment]:
    """Gold segments in file order; with ``project``, each span is checked against the document text."""
    path = Path(path)
    rows = Rows(path)
    docs = {d.name: d for d in project.documents.all()} if project is not None else {}
    segments: dict[tuple[str, int, int], dict] = {}
    missing = [c for c in GOLD_COLUMNS if c not in rows.fieldnames]
    if missing:
        raise InputError(path, _("missing column(s): {columns}").format(columns=", ".join(missing)), line=1)
    for line, row in rows:
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            raise InputError(path, _("start and end must be whole numbers, not {start!r}, {end!r}").format(
                start=row["start"], end=row["end"]), line=line) from None
        name = row["document"]
        if project is not None:
            doc = docs.get(name)
            if doc is None:
                raise InputError(path, _("document {name!r} is not in the project").format(name=name), line=line)
            if doc.text[start:end] != row["text"]:
                raise InputError(path, _("text does not match {name} at {start}-{end}").format(name=name, start=start, end=end),
                                 line=line)
        key = (name, start, end)
        entry = segments.setdefault(key, {"text": row["text"], "codes": set()})
        if row["code_id"]:
            entry["codes"].add(row["code_id"])
    return [GoldSegment(n, s, e, v["text"], frozenset(v["codes"])) for (n, s, e), v in segments.items()]


def gold_contexts(project: Project, gold: list[GoldSegment]) -> list[str]:
    """The sentences around each gold segment in the project (same turn), as the coder saw them."""
    from qualcode.suggest.workflow import contexts

    ids = {d.name: d.id for d in project.documents.all()}
    found = []
    for g in gold:
        (seg,) = [s for s in project.documents.segments_overlapping(ids[g.document], g.start, g.end) if (s.start, s.end) == (g.start, g.end)] or [None]
        found.append(seg)
    present = [s for s in found if s is not None]
    around = iter(contexts(project, present))
    return [next(around) if s is not None else "" for s in found]
