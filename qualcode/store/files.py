"""Project files made whole or not at all: build beside the target, then publish under its name.

A new project that takes several steps to fill (a merge of many coders'
files) is built in a hidden file beside the target, named after this
process, and linked to the target's name only when it is complete and closed.
Until then there is no file under the target's name, so an error, a bad
source or ``kill -9`` never leaves a valid-looking, half-filled project, and
a re-run finds the name free. A partial file that a killed process left
behind is removed by the next build for the same target.
"""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _

_SUFFIX = ".partial"


def sidecars(path: Path) -> tuple[Path, Path]:
    """The files SQLite keeps beside a project in WAL mode."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def building(target: str | Path) -> Path:
    """The file to build ``target`` in; stale ones of processes that are gone are removed first."""
    target = Path(target)
    prefix = f".{target.name}."
    for old in target.parent.glob(f"{prefix}*{_SUFFIX}"):
        pid = old.name[len(prefix):-len(_SUFFIX)]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            discard(old)
    return target.with_name(f"{prefix}{os.getpid()}{_SUFFIX}")


def publish(partial: Path, target: str | Path) -> None:
    """Give the closed, complete ``partial`` the name ``target``; never replaces an existing file."""
    target = Path(target)
    wal, _shm = sidecars(partial)
    if wal.exists() and wal.stat().st_size > 0:  # closed connections leave none: a bug, not bad input
        raise RuntimeError(f"{partial}: still has a write-ahead log; it was not closed")
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())  # the data is on disk before the name points at it
    try:
        os.link(partial, target)  # fails if the name was taken meanwhile, unlike a rename
    except FileExistsError:
        raise ProjectError(_("{path} already exists; choose a new file name").format(path=target)) from None
    except OSError:
        # A file system without hard links: rename, after checking the name is still free.
        if target.exists():
            raise ProjectError(_("{path} already exists; choose a new file name").format(path=target)) from None
        os.replace(partial, target)
    _fsync_folder(target.parent)


def discard(partial: Path) -> None:
    """Remove a partial file and its SQLite side files (nothing if they are gone)."""
    for path in (partial, *sidecars(partial)):
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs folders
    finally:
        os.close(fd)
