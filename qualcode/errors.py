"""Domain exceptions.

The library raises these; only the CLI edge turns them into a message and an
exit code. Every message names the file (and line, where one applies) and the
problem, so a researcher can act on it without reading a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

from qualcode.i18n import N_, gettext


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
# What the system said, in the user's language: ``strerror`` is the C library's English
# ("Permission denied") and would stand inside a Danish line.
_OS_PROBLEMS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.EEXIST: N_("already exists"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENAMETOOLONG: N_("the file name is too long"),
    errno.EIO: N_("the disk could not be read or written (input/output error)"),
    errno.EPIPE: N_("the output was closed before everything was written (broken pipe)"),
}


def os_problem(exc: OSError) -> str:
    """The problem an ``OSError`` describes, as words for a one-line message (without the file name)."""
    known = _OS_PROBLEMS.get(exc.errno)
    if known is not None:
        return gettext(known)
    return exc.strerror or str(exc)
