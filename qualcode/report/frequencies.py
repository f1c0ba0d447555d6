"""Theme frequencies: how many segments, interviews and interviewees raised each code.

Counts, as reports use them:
- ``segments``: distinct coded segments (spans of text) of the code or of any
  code below it: a sentence coded with two sub-codes, or by two coders, is
  one segment of the theme, not two;
- ``documents``: interviews with at least one such span;
- ``participants``: interviewees with at least one such span, with the
  percentage of all ``N`` interviewees in the project.
Every code of the codebook gets a row, also when nobody raised it: a zero is
a finding too. Codings on the interviewer's own words are not counted.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.i18n import gettext
from qualcode.project import Project
from qualcode.report.quotes import coded_spans
from qualcode.report.wording import role_order

FREQUENCY_COLUMNS = ["theme", "code", "code_name", "level", "segments", "documents", "participants", "participants_pct", "N"]


def participants_table(project: Project) -> pd.DataFrame:
    """One row per interview: document id, participant, role and municipality (from metadata)."""
    rows = [
        {
            "document_id": d.id,
            "participant_id": d.metadata.get("participant_id") or f"doc{d.id}",
            "role": d.metadata.get("role") or "",
            "municipality": d.metadata.get("municipality") or "",
        }
        for d in project.documents.headers()
    ]
    return pd.DataFrame(rows, columns=["document_id", "participant_id", "role", "municipality"])


def _spans(project: Project, spans: pd.DataFrame | None, status, coder) -> pd.DataFrame:
    return spans if spans is not None else coded_spans(project, status=status, coder=coder)


def distinct_segments(hits: pd.DataFrame) -> int:
    """How many distinct spans of text the codings cover (two codings of one span are one segment)."""
    return len(hits.drop_duplicates(subset=["document_id", "start", "end"])) if len(hits) else 0


def _below(codebook: Codebook, code_id: str) -> set[str]:
    return {code_id} | {c.id for c in codebook.descendants(code_id)}


def code_frequencies(
    project: Project,
    *,
    spans: pd.DataFrame | None = None,
    status: str | Sequence[str] | None = "accepted",
    coder: str | Sequence[str] | None = None,
    codebook: Codebook | None = None,
    participants: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per code in codebook order (themes are the ``level`` 0 rows).

    ``participants`` (:func:`participants_table`, possibly filtered) are the
    interviewees the percentages are of; by default everyone in the project.
    """
    codebook = codebook if codebook is not None else project.codebook.current()
    spans = _spans(project, spans, status, coder)
    people = participants if participants is not None else participants_table(project)
    n = people["participant_id"].nunique()
    rows = []
    for code in codebook.codes:
        hits = spans[spans["code"].isin(_below(codebook, code.id))]
        participants = hits["participant_id"].nunique()
        rows.append(
            {
                "theme": codebook.theme_of(code.id),
                "code": code.id,
                "code_name": code.name,
                "level": codebook.depth(code.id),
                "segments": distinct_segments(hits),
                "documents": hits["document_id"].nunique(),
                "participants": participants,
                "participants_pct": round(100.0 * participants / n, 1) if n else 0.0,
                "N": n,
            }
        )
    return pd.DataFrame(rows, columns=FREQUENCY_COLUMNS)


def theme_frequencies(project: Project, **kwargs) -> pd.DataFrame:
    """Only the top-level themes (barrier vs driver)."""
    table = code_frequencies(project, **kwargs)
    return table[table["level"] == 0].reset_index(drop=True)


def crosstab(
    project: Project,
    by: str = "role",
    *,
    spans: pd.DataFrame | None = None,
    status: str | Sequence[str] | None = "accepted",
    coder: str | Sequence[str] | None = None,
    codebook: Codebook | None = None,
    rename=None,
    level: int | None = None,
    total_label: str | None = None,
    participants: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Interviewees raising each code, split by ``role`` or ``municipality``.

    Rows are codes (index: code id; ``code_name`` and ``level`` columns);
    columns are the groups of interviewees (every group in the project, also
    those with zero counts) and a total. ``rename`` maps a group value to its
    printed label (a municipality pseudonym). ``level`` keeps only that level.
    """
    if by not in ("role", "municipality"):
        raise ValueError(f"crosstab by {by!r}: use 'role' or 'municipality'")
    codebook = codebook if codebook is not None else project.codebook.current()
    total_label = total_label or gettext("Total")
    spans = _spans(project, spans, status, coder)
    people = participants if participants is not None else participants_table(project)
    # Interviewees are grouped by their own metadata, so a colleague quoted by the
    # interviewer does not change the interviewee's role.
    group_of = dict(zip(people["participant_id"], people[by]))
    rename = rename or (lambda value: value)
    # Municipalities in the order of their printed labels ("Kommune A", "Kommune B"), not their real names.
    groups = role_order(people[by].unique()) if by == "role" else sorted(people[by].unique(), key=rename)
    rows = []
    for code in codebook.codes:
        if level is not None and codebook.depth(code.id) != level:
            continue
        hits = spans[spans["code"].isin(_below(codebook, code.id))]
        who = set(hits["participant_id"])
        row = {"code": code.id, "code_name": code.name, "level": codebook.depth(code.id)}
        for g in groups:
            row[rename(g)] = sum(1 for p in who if group_of.get(p) == g)
        row[total_label] = len(who)
        rows.append(row)
    columns = ["code", "code_name", "level", *[rename(g) for g in groups], total_label]
    return pd.DataFrame(rows, columns=columns).set_index("code")


def group_sizes(project: Project, by: str = "role", rename=None, participants: pd.DataFrame | None = None) -> dict[str, int]:
    """Interviewees per role or municipality: the N under each crosstab column."""
    people = participants if participants is not None else participants_table(project)
    people = people.drop_duplicates("participant_id")
    rename = rename or (lambda value: value)
    values = role_order(people[by].unique()) if by == "role" else sorted(people[by].unique(), key=rename)
    return {rename(v): int((people[by] == v).sum()) for v in values}
