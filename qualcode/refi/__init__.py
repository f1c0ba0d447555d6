"""REFI-QDA project exchange (.qdpx) with NVivo, ATLAS.ti, MAXQDA and QualCoder.

Codebook-only exchange (.qdc) lives in :mod:`qualcode.codebook.refi`.
"""

from qualcode.refi.carry import Carried, carry_refi
from qualcode.refi.export import ExportSummary, export_qdpx, project_to_qde
from qualcode.refi.importer import RefiImportReport, import_qdpx, store_refi_project
from qualcode.refi.positions import normalise_with_map
from qualcode.refi.reader import read_qdpx
from qualcode.refi.records import RefiProject, RefiSelection, RefiSource
from qualcode.refi.schema import qde_problems
from qualcode.refi.summary import SummaryRow, format_summary

__all__ = [
    "Carried",
    "ExportSummary",
    "RefiImportReport",
    "RefiProject",
    "RefiSelection",
    "RefiSource",
    "SummaryRow",
    "carry_refi",
    "export_qdpx",
    "format_summary",
    "import_qdpx",
    "normalise_with_map",
    "project_to_qde",
    "qde_problems",
    "read_qdpx",
    "store_refi_project",
]
