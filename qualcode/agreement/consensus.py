"""Recording what a consensus meeting agreed: new codings with source 'consensus'.

The coders' own codings are never changed: agreement can be recomputed at any
time and the consensus is a separate layer (``source='consensus'``) that
reports and quote tables can choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from qualcode.errors import InputError, ProjectError
from qualcode.i18n import gettext as _, quote
from qualcode.project import Project
from qualcode.store.codings import NewCoding
from qualcode.store.team import TeamStore
from qualcode.tables import Rows

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


def read_consensus_table(path: str | Path) -> tuple[pd.DataFrame, list[int]]:
    """A filled-in disagreement table (.csv or .xlsx) and each row's line (sheet row) in the file.

    A CSV is read as any table a user hands over (UTF-8 or Danish Excel's cp1252,
    comma or semicolon); a workbook's members are size-checked before it is opened.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path)
    rows = Rows(path)
    if not rows.fieldnames:
        raise InputError(path, _("is empty (expected the disagreement table's header row)"), line=1)
    lines, records = [], []
    for line, row in rows:
        lines.append(line)
        records.append(row)
    return pd.DataFrame(records, columns=rows.fieldnames, dtype=str), lines


def _read_workbook(path: Path) -> tuple[pd.DataFrame, list[int]]:
    from zipfile import BadZipFile

    from qualcode.limits import MAX_TABLE_BYTES, check_members, open_archive

    with open_archive(path, _("is not an Excel workbook (.xlsx)")) as archive:
        check_members(archive, path, each=MAX_TABLE_BYTES, total=2 * MAX_TABLE_BYTES)
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    try:
        table = pd.read_excel(path, dtype={"agreed": str})
    except (ValueError, KeyError, BadZipFile, OSError, ParseError, InvalidFileException) as exc:
        # The library's own words (English, technical) would stand inside a Danish line.
        raise InputError(path, _("cannot be read as an Excel workbook (the file is damaged or not an .xlsx)")) from None
    return table, [k + 2 for k in range(len(table))]


def record_consensus_table(project: Project, table: pd.DataFrame, actor: str, *, source: str | Path | None = None,
                           lines: Sequence[int] | None = None) -> ConsensusResult:
    """Read back a filled-in disagreement table (its ``agreed`` column) in one transaction.

    ``agreed`` holds code ids separated by commas; "-" records that the team
    agreed on no code (nothing is stored); an empty cell is still open.
    ``source`` names the file the table came from and ``lines`` the line of
    each row in it, for messages (default: a header line, then one row a line).
    """
    for column in ("document_id", "start", "end", "agreed"):
        if column not in table.columns:
            problem = _("the consensus table has no {column} column").format(column=quote(column))
            if source is not None:
                raise InputError(source, problem, line=1)
            raise ProjectError(problem)
    team = TeamStore(project.db)
    new: list[NewCoding] = []
    present = no_code = open_ = 0
    for k, (_index, row) in enumerate(table.iterrows()):
        agreed = "" if pd.isna(row["agreed"]) else str(row["agreed"]).strip()
        if not agreed:
            open_ += 1
            continue
        if agreed == "-":
            no_code += 1
            continue
        try:
            doc_id, start, end = int(row["document_id"]), int(row["start"]), int(row["end"])
        except (TypeError, ValueError):
            where = lines[k] if lines is not None else k + 2
            problem = _("document_id, start and end must be whole numbers, not {document_id!r}, {start!r}, {end!r}").format(
                document_id=row["document_id"], start=row["start"], end=row["end"])
            if source is not None:
                raise InputError(source, problem, line=where) from None
            raise ProjectError(_("row {row}: {problem}").format(row=where, problem=problem)) from None
        for code_id in dict.fromkeys(c.strip() for c in _SPLIT.split(agreed) if c.strip()):
            if team.coding_exists(doc_id, start, end, code_id, actor, "consensus"):
                present += 1
                continue
            new.append(NewCoding(doc_id, start, end, code_id, actor, "accepted", "consensus", None, CONSENSUS_REASON))
    ids = project.codings.add_many(new)
    return ConsensusResult(tuple(ids), present, no_code, open_)
