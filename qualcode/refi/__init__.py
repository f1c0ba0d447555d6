"""REFI-QDA project exchange (.qdpx) with NVivo, ATLAS.ti, MAXQDA and QualCoder.

Codebook-only exchange (.qdc) lives in :mod:`qualcode.codebook.refi`.
"""

from qualcode.refi.export import ExportSummary, export_qdpx, project_to_qde
from qualcode.refi.importer import RefiImportReport, import_qdpx, store_refi_project
from qualcode.refi.positions import normalise_with_map
from qualcode.refi.reader import RefiProject, RefiSelection, RefiSource, read_qdpx
from qualcode.refi.schema import qde_problems

__all__ = [
    "ExportSummary",
    "RefiImportReport",
    "RefiProject",
    "RefiSelection",
    "RefiSource",
    "export_qdpx",
    "import_qdpx",
    "normalise_with_map",
    "project_to_qde",
    "qde_problems",
    "read_qdpx",
    "store_refi_project",
]
