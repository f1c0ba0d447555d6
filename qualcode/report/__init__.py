"""Report outputs: anonymised quote tables, theme frequencies, charts and a Word report.

Each piece works on its own from a notebook (DataFrames in, DataFrames or
files out); :func:`build_report` writes them all. Data flows one way:
:func:`collect` (project -> :class:`ReportData`) -> charts -> each exporter.
"""

from qualcode.report.build import FORMATS, ReportFiles, build_report
from qualcode.report.cleaning import clean_for_print
from qualcode.report.collect import collect
from qualcode.report.data import Figure, ReportData, ReportScope
from qualcode.report.frequencies import code_frequencies, crosstab, group_sizes, participants_table, theme_frequencies
from qualcode.report.privacy import Redactor, redactor_for
from qualcode.report.quotes import coded_spans, quote_table
from qualcode.report.selection import shortlist

__all__ = [
    "FORMATS",
    "Figure",
    "Redactor",
    "ReportData",
    "ReportFiles",
    "ReportScope",
    "build_report",
    "clean_for_print",
    "code_frequencies",
    "coded_spans",
    "collect",
    "crosstab",
    "group_sizes",
    "participants_table",
    "quote_table",
    "redactor_for",
    "shortlist",
    "theme_frequencies",
]
