"""Domain exceptions.

The library raises these; only the CLI edge turns them into a message and an
exit code. Every message names the file (and line, where one applies) and the
problem, so a researcher can act on it without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path


class QualcodeError(Exception):
    """Base class for every error qualcode raises on purpose."""


class InputError(QualcodeError):
    """A user-supplied file or argument cannot be used as given."""

    def __init__(self, path: str | Path | None, problem: str, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.problem = problem
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.problem}"


class ProjectError(QualcodeError):
    """The project file cannot be opened, or an operation on it is not allowed."""


class DuplicateDocumentError(ProjectError):
    """A document with the same name but different content is already in the project."""


class UnknownCodeError(ProjectError):
    """A coding or operation refers to a code id that the project's codebook lacks."""


class ConflictError(ProjectError):
    """Another user changed the same thing at the same moment, or it already exists; nothing was stored."""


class AccessDeniedError(ProjectError):
    """The database refused an action this user's role does not allow (shared projects on a server)."""
