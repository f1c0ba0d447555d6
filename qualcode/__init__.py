"""qualcode: qualitative analysis of Danish interview transcripts.

The package is a set of small modules; this file only re-exports the names a
notebook or script needs first.
"""

from qualcode.errors import InputError, QualcodeError
from qualcode.importer import ImportReport, import_files
from qualcode.models import Coding, Document, Segment, Transcript, Turn
from qualcode.project import Project
from qualcode.readers import read_transcript

__all__ = [
    "Coding",
    "Document",
    "ImportReport",
    "InputError",
    "Project",
    "QualcodeError",
    "Segment",
    "Transcript",
    "Turn",
    "import_files",
    "read_transcript",
]

__version__ = "0.1.0"
