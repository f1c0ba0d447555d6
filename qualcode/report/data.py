"""What a report prints, as data: computed once by :mod:`qualcode.report.collect`, read by every exporter.

Data flows one way: ``collect`` (project → :class:`ReportData`) → charts →
each exporter (Word, Excel, CSV, Markdown). Exporters import this module
only, never each other or the collecting code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import pandas as pd

from qualcode.codebook.model import Codebook


@dataclass(frozen=True)
class ReportScope:
    """What part of the material a report covers; empty tuples mean everything.

    ``codes`` are code ids as given (a parent includes its children),
    ``roles`` interviewee roles, ``documents`` document ids or names.
    """

    codes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """Everything a report prints, computed once and rendered per format.

    ``codebook`` holds the codes the report covers (all of them unless the
    scope names some; a named code's parent is then left out and the code is
    a top-level theme of the report). ``method`` is the method section;
    ``about_coding`` the separate, tool-specific paragraph "Om kodningen" that
    a writer may drop.
    """

    title: str
    lang: str
    codebook: Codebook
    method: tuple[str, ...]
    about_coding: tuple[str, ...]
    frequencies: pd.DataFrame
    by_role: pd.DataFrame
    by_municipality: pd.DataFrame
    role_sizes: Mapping[str, int]
    municipality_sizes: Mapping[str, int]
    quotes: pd.DataFrame
    selected: pd.DataFrame
    personal_data_note: str | None
    total_label: str
    scope: ReportScope = ReportScope()

    @property
    def anonymised(self) -> bool:
        return self.personal_data_note is None

    @property
    def show_documents(self) -> bool:
        """Whether the "documents" count says anything the "participants" count does not.

        With one interview per interviewee the two columns are equal on every row.
        """
        freq = self.frequencies
        return bool(len(freq)) and bool((freq["documents"] != freq["participants"]).any())


@dataclass(frozen=True)
class Figure:
    """A chart drawn for the report: its files, the width it is drawn for, its caption."""

    name: str
    png: Path
    svg: Path
    width_cm: float
    caption: str

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.png, self.svg)


__all__ = ["Figure", "ReportData", "ReportScope"]
