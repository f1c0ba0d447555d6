"""A team's shared project on a PostgreSQL server: set-up, people, moving a project to and from it.

The SQL is in :mod:`qualcode.store.server` (roles, row-level security) and
:mod:`qualcode.store.transfer` (copying every table); this module puts the
steps of ``qualcode server ...`` together.
"""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.anonymise.key import default_key_path
from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _
from qualcode.project import Project
from qualcode.store.keys import KeyStore
from qualcode.store.postgres import is_server_url
from qualcode.store.server import ServerAccess
from qualcode.store.transfer import CopyReport, copy_project


def require_server(url: str) -> str:
    if not is_server_url(url):
        raise ProjectError(_("{url}: not a server project; give a postgresql:// URL").format(url=url))
    return url


def init_server(url: str, lead: str, password: str | None = None) -> tuple[int, dict[str, str]]:
    """Create (or upgrade) the project's schema and roles and make ``lead`` its lead; run by the database's owner.

    Returns the schema version and the project's group roles.
    """
    with Project.open(require_server(url), create=True) as project:
        access = ServerAccess(project.db)
        access.setup()
        access.add(lead, "lead", password)
        return max(project.db.applied_migrations()), dict(access.groups)


def add_person(url: str, person: str, role: str, password: str | None = None) -> None:
    with Project.open(require_server(url), create=False) as project:
        ServerAccess(project.db).add(person, role, password)


def remove_person(url: str, person: str) -> None:
    with Project.open(require_server(url), create=False) as project:
        ServerAccess(project.db).remove(person)


def set_blind(url: str, on: bool) -> None:
    with Project.open(require_server(url), create=False) as project:
        ServerAccess(project.db).set_blind(on)


def push(path: Path, url: str) -> CopyReport:
    """Upload the project file (and the pseudonym key beside it) into the empty project at ``url``."""
    if not Path(path).is_file():
        raise ProjectError(_("{path}: no such project file").format(path=path))
    key = default_key_path(path)
    with Project.open(path, create=False) as source, Project.open(require_server(url), create=False) as target:
        with target.db.transaction():
            report = copy_project(source.db, target.db)
            if key.is_file():
                KeyStore(target.db).save(key.read_bytes().decode("utf-8"))
    return report


def pull(url: str, path: Path, *, with_key: bool = True) -> tuple[CopyReport, Path | None]:
    """Write a complete snapshot of the server project to a new file (and its key beside it, 0600).

    Written to ``<file>.part`` and renamed when complete, so a failed pull
    leaves nothing behind.
    """
    path = Path(path)
    if path.exists():
        raise ProjectError(_("{path} already exists; choose a new file name").format(path=path))
    part = path.with_name(path.name + ".part")
    key_path = default_key_path(path)
    try:
        with Project.open(require_server(url), create=False) as source, Project.open(part) as target:
            report = copy_project(source.db, target.db)
            key_text = KeyStore(source.db).load() if with_key else None
        os.replace(part, path)
    except BaseException:
        for leftover in (part, part.with_name(part.name + "-wal"), part.with_name(part.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    if key_text is None:
        return report, None
    tmp = key_path.with_name(key_path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key_text.encode("utf-8"))
    os.replace(tmp, key_path)
    return report, key_path


__all__ = ["add_person", "init_server", "pull", "push", "remove_person", "require_server", "set_blind"]
