"""What the method section states, read from the project: material, coding, agreement, quote handling.

Kept apart from the wording (:mod:`qualcode.report.method`) so each project
state (nothing coded, only suggestions, one coder, several, consensus, a
reference coding) is a set of facts a test can build, and the sentences a
pure function of them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Mapping, Sequence

import pandas as pd

from qualcode.errors import QualcodeError
from qualcode.models import ROLES
from qualcode.project import Project
from qualcode.report.frequencies import distinct_segments

_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),      # 2026-03-02 (ISO, what exports write)
    re.compile(r"^(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})$"),  # 2.3.2026, 02-03-2026 (Danish order)
)


@dataclass(frozen=True)
class Material:
    """The interviews a report covers."""

    interviews: int
    roles: Mapping[str, int]            # role -> interviews, most senior first; "" = no role stated
    first_date: date | None = None
    last_date: date | None = None
    municipalities: tuple[str, ...] = ()  # as the report prints them (pseudonyms when anonymised)


@dataclass(frozen=True)
class Agreement:
    coders: tuple[str, ...]
    alpha: float
    share: float    # percent agreement over sentence x code decisions, 0-1
    units: int      # sentences every coder coded


@dataclass(frozen=True)
class Coding:
    """Who coded, what the tables count, and how machine suggestions were used."""

    codebook: str
    version: str
    coders: tuple[str, ...]                  # people whose codings or decisions are counted
    counted: int                             # codings the tables count
    segments: int                            # distinct coded segments they cover
    consensus: int = 0                       # of them, codings a consensus meeting agreed
    include_open: bool = False               # suggestions nobody reviewed are counted too
    machine: Mapping[str, int] = field(default_factory=dict)  # status -> machine suggestions
    coder_filter: tuple[str, ...] = ()       # the report was limited to these coders
    notes: Mapping[str, str] = field(default_factory=dict)    # coder -> what they are ("reference coding")
    agreement: Agreement | None = None
    agreement_text: str | None = None        # a sentence given by the caller instead of a measurement

    @property
    def suggested(self) -> int:
        return sum(self.machine.values())

    @property
    def reviewed(self) -> int:
        return self.machine.get("accepted", 0) + self.machine.get("rejected", 0)


@dataclass(frozen=True)
class Quoting:
    """How quotes were chosen and edited."""

    anonymised: bool = True
    pseudonyms: str = "tag"        # "tag" ([Person 3]) or "role" ([leder], [navn])
    cleaned: bool = True
    widened: bool = True
    repeats: bool = False
    with_participant: bool = False


def material(participants: pd.DataFrame, headers: Sequence, municipality: Callable[[str], str]) -> Material:
    """The material from the interviews in scope (``participants``: one row per document)."""
    wanted = set(participants["document_id"])
    chosen = [h for h in headers if h.id in wanted]
    roles = Counter((h.metadata.get("role") or "").strip() for h in chosen)
    order = [r for r in ROLES if r in roles] + sorted(r for r in roles if r and r not in ROLES)
    if "" in roles:
        order.append("")
    dates = sorted(d for d in (parse_date(h.metadata.get("date")) for h in chosen) if d is not None)
    places = list(dict.fromkeys(m for m in (h.metadata.get("municipality") or "" for h in chosen) if m))
    return Material(
        interviews=len(chosen),
        roles={r: roles[r] for r in order},
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        municipalities=tuple(municipality(m) for m in places),
    )


def parse_date(value) -> date | None:
    """A metadata date (ISO or Danish day-month-year); ``None`` when there is none or it is not a date."""
    if not value:
        return None
    text = str(value).strip()
    for pattern in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def coding(
    project: Project,
    spans: pd.DataFrame,
    *,
    codebook_name: str,
    codebook_version: str,
    code_ids: Sequence[str],
    status,
    coder_filter: Sequence[str] = (),
    notes: Mapping[str, str] | None = None,
    agreement_text: str | None = None,
    measure_agreement: bool = True,
) -> Coding:
    """The coding facts for the codings the tables count (``spans``, :func:`coded_spans` output)."""
    people = spans[spans["source"] == "human"]["coder"].tolist()
    # An accepted suggestion is its reviewer's decision: the reviewer is a coder of the report.
    machine = spans[spans["source"] == "machine"]
    people += [d for d in machine["decided_by"].tolist() if d]
    consensus = spans[spans["source"] == "consensus"]
    coders = tuple(sorted(set(people)))
    humans = sorted(set(spans.loc[spans["source"] == "human", "coder"]))
    statuses = [status] if isinstance(status, str) else list(status) if status is not None else None
    found = None
    if measure_agreement and agreement_text is None and len(humans) >= 2:
        found = measure(project, humans)
    return Coding(
        codebook=codebook_name,
        version=codebook_version,
        coders=coders,
        counted=len(spans),
        segments=distinct_segments(spans),
        consensus=len(consensus),
        include_open=statuses is None or "suggested" in statuses,
        machine=project.codings.status_counts(source="machine", code_id=list(code_ids) or None),
        coder_filter=tuple(coder_filter),
        notes=dict(notes or {}),
        agreement=found,
        agreement_text=agreement_text,
    )


def measure(project: Project, coders: Sequence[str]) -> Agreement | None:
    """Krippendorff's alpha of the coders on sentences they all coded; ``None`` when not measurable."""
    try:
        from qualcode.agreement import agreement
    except ImportError:
        return None
    try:
        table = agreement(project, coders=list(coders), unit="sentence")
    except QualcodeError:
        # Coders who never coded the same interview: there is nothing to compare.
        return None
    pooled = table[table["level"] == "overall"]
    if pooled.empty:
        return None
    row = pooled.iloc[0]  # all codes, each sentence x code one decision
    alpha, share, units = float(row["krippendorff_alpha"]), float(row["percent_agreement"]), int(row["units"])
    if not units or math.isnan(alpha):
        return None
    return Agreement(tuple(coders), alpha, share, units)
