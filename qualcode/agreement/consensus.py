"""Recording what a consensus meeting agreed: new codings with source 'consensus'.

The coders' own codings are never changed: agreement can be recomputed at any
time and the consensus is a separate layer (``source='consensus'``) that
reports and quote tables can choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from qualcode.errors import ProjectError
from qualcode.project import Project
from qualcode.store.codings import NewCoding
from qualcode.store.team import TeamStore

CONSENSUS_REASON = "konsensus"
_SPLIT = re.compile(r"[,;]")


@dataclass(frozen=True)
class ConsensusResult:
    added: tuple[int, ...]
    already_recorded: int
    agreed_no_code: int
    left_open: int


def record_consensus(
    project: Project, document_id: int, start: int, end: int, code_ids, actor: str, *, note: str | None = None
) -> list[int]:
    """Store the agreed codes for a span as consensus codings; returns their ids."""
    codings = [
        NewCoding(document_id, start, end, code_id, actor, "accepted", "consensus", None, note or CONSENSUS_REASON)
        for code_id in dict.fromkeys(code_ids)
    ]
    return project.codings.add_many(codings)


def record_consensus_table(project: Project, table: pd.DataFrame, actor: str) -> ConsensusResult:
    """Read back a filled-in disagreement table (its ``agreed`` column) in one transaction.

    ``agreed`` holds code ids separated by commas; "-" records that the team
    agreed on no code (nothing is stored); an empty cell is still open.
    """
    for column in ("document_id", "start", "end", "agreed"):
        if column not in table.columns:
            raise ProjectError(f"the consensus table has no '{column}' column")
    team = TeamStore(project.db)
    new: list[NewCoding] = []
    present = no_code = open_ = 0
    for _, row in table.iterrows():
        agreed = "" if pd.isna(row["agreed"]) else str(row["agreed"]).strip()
        if not agreed:
            open_ += 1
            continue
        if agreed == "-":
            no_code += 1
            continue
        doc_id, start, end = int(row["document_id"]), int(row["start"]), int(row["end"])
        for code_id in dict.fromkeys(c.strip() for c in _SPLIT.split(agreed) if c.strip()):
            if team.coding_exists(doc_id, start, end, code_id, actor, "consensus"):
                present += 1
                continue
            new.append(NewCoding(doc_id, start, end, code_id, actor, "accepted", "consensus", None, CONSENSUS_REASON))
    ids = project.codings.add_many(new)
    return ConsensusResult(tuple(ids), present, no_code, open_)
