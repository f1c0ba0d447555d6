"""Where a REFI-QDA project's files are: a .qdpx zip archive, or an unzipped folder.

Opening the project and reading its members happens here and nowhere else,
so size caps and damaged archives are handled in one place. A source's path
in project.qde is resolved *inside* the container only:

- ``internal://name`` is ``sources/name`` (the standard's folder);
- ``relative://name`` is relative to the project (``basePath`` is another
  machine's folder, not ours);
- a bare ``name`` or ``sources/name`` (schema-valid, written by some tools)
  is looked up as written and under ``sources/``;
- ``absolute://…``, ``file://…`` and drive paths name the exporting
  machine's disk: only their file name is looked up under ``sources/``.

Names are compared without regard to case (NVivo writes ``Sources/``), in
NFC (macOS zips store "å" decomposed), with either slash and with or without
URL escapes (``internal://Interview%20med%20S%C3%B8ren.txt``); a zip member
whose name was written without the UTF-8 flag is found by the name its bytes
spell in UTF-8 (Java, macOS) or in the Western Windows code page, not only in
the cp437 zipfile assumes. ``..`` never leads out of the container.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.limits import (
    MAX_ARCHIVE_MEMBERS, MAX_QDE_BYTES, MAX_REFI_READ_BYTES, MAX_TRANSCRIPT_BYTES, ReadBudget, read_file, read_member,
    too_large, too_large_together,
)

# Sizes come from qualcode.limits: project.qde up to MAX_QDE_BYTES, each source file up to
# the transcript limit, and all that one import reads from a project together up to
# MAX_REFI_READ_BYTES, checked before anything is inflated (check_sources).
MAX_MEMBER_BYTES = MAX_TRANSCRIPT_BYTES


class Container:
    """A REFI project's files; :meth:`read` resolves a reference from project.qde."""

    def __init__(self, path: Path, names: dict[str, str], prefix: str = ""):
        self.path = path
        self._names = names  # lower-case relative name -> actual name
        self._prefix = prefix  # the folder project.qde sits in, inside a zip made of a folder
        self._budget = ReadBudget(path, MAX_REFI_READ_BYTES)

    # -- subclasses -------------------------------------------------------------
    def where(self) -> str:
        """Where members are looked for, for messages ("in the archive", "in the folder")."""
        raise NotImplementedError

    def _read_member(self, actual: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        raise NotImplementedError

    def _size(self, actual: str) -> int:
        raise NotImplementedError

    def close(self) -> None:
        pass

    # -- shared -------------------------------------------------------------------
    def __enter__(self) -> "Container":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def qde(self) -> bytes:
        return self._read_member(self.qde_name, MAX_QDE_BYTES)

    def check_sources(self, root) -> None:
        """Refuse before reading any: a source file over the limit, or all of them together over the total."""
        names = set()
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            refs = [el.get("plainTextPath"), el.get("richTextPath")]
            if el.tag.rsplit("}", 1)[-1] == "PDFSource":
                refs.append(el.get("path"))
            names.update(actual for ref in refs if ref and (actual := self.find(ref)) is not None)
        total = 0
        for actual in sorted(names):
            size = self._size(actual)
            if size > MAX_MEMBER_BYTES:
                raise too_large(self.path, size, MAX_MEMBER_BYTES, actual)
            total += size
        if total > MAX_REFI_READ_BYTES:
            raise too_large_together(self.path, total, MAX_REFI_READ_BYTES)

    def find(self, reference: str) -> str | None:
        """The member a project.qde reference points at, or ``None`` if the container lacks it."""
        for candidate in candidates(reference):
            actual = self._lookup(self._prefix + candidate)
            if actual is not None:
                return actual
        return None

    def _lookup(self, name: str) -> str | None:
        return self._names.get(name_key(name))

    def read(self, reference: str) -> bytes | None:
        actual = self.find(reference)
        return self._read_member(actual) if actual is not None else None


def name_key(name: str) -> str:
    """How two names of one member compare: NFC, any case."""
    return unicodedata.normalize("NFC", name).casefold()


def candidates(reference: str) -> list[str]:
    """Relative names to try for a reference, most literal first; none leaves the container."""
    out = _candidates(reference)
    if "%" in reference:  # a URL-escaped name: the escaped form first (a file may really be called "a%20b")
        out += [c for c in _candidates(unquote(reference)) if c not in out]
    return out


def _candidates(reference: str) -> list[str]:
    ref = reference.strip().replace("\\", "/")
    scheme, sep, rest = ref.partition("://")
    scheme = scheme.lower() if sep else ""
    if not sep:
        rest = ref
    if not rest.strip("/"):
        return []
    out: list[str] = []
    if scheme == "internal":
        out += [f"sources/{rest}", rest]
    elif scheme == "relative":
        out += [rest.lstrip("/"), f"sources/{rest.lstrip('/')}"]
    elif scheme == "" and not _is_absolute(rest):
        out += [rest, f"sources/{rest}"]
    base = PurePosixPath(rest).name
    if base:
        out.append(f"sources/{base}")  # a path on the exporting machine: its file, if it came along
    safe = []
    for name in out:
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if parts and ".." not in parts:
            safe.append("/".join(parts))
    return list(dict.fromkeys(safe))


def _is_absolute(path: str) -> bool:
    return path.startswith("/") or (len(path) > 1 and path[1] == ":")


class ZipContainer(Container):
    def __init__(self, path: Path):
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise InputError(path, _("not a REFI-QDA project: a .qdpx file must be a zip archive")) from None
        if len(self._zip.infolist()) > MAX_ARCHIVE_MEMBERS:
            count = len(self._zip.infolist())
            self._zip.close()
            raise InputError(path, _("the archive lists {count} members, over the limit of {limit}").format(
                count=count, limit=MAX_ARCHIVE_MEMBERS))
        infos = [i for i in self._zip.infolist() if not i.is_dir()]
        qdes = sorted((i.filename for i in infos if i.filename.lower().endswith(".qde")),
                      key=lambda n: (n.count("/"), n.lower() != "project.qde", n))
        if not qdes:
            self._zip.close()
            raise InputError(path, _("no project.qde inside the .qdpx archive"))
        self.qde_name = qdes[0]
        prefix = self.qde_name.rsplit("/", 1)[0] + "/" if "/" in self.qde_name else ""
        names: dict[str, str] = {}
        for info in infos:
            for spelling in _spellings(info):
                names.setdefault(name_key(spelling), info.filename)
        super().__init__(path, names, name_key(prefix))

    def where(self) -> str:
        return _("in the archive")

    def _read_member(self, actual: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        if self._zip.getinfo(actual).flag_bits & 0x1:  # say so plainly, not zipfile's RuntimeError text
            raise InputError(self.path, _("{member} inside the archive is encrypted (protected by a password);"
                                          " export the project again without a password").format(member=actual))
        self._budget.take(min(self._size(actual), limit + 1))
        try:
            return read_member(self._zip, actual, self.path, limit)  # capped; a bad CRC is one InputError
        except (OSError, NotImplementedError) as exc:
            raise InputError(self.path, _("{member} inside the archive cannot be read ({problem})").format(
                member=actual, problem=exc)) from None

    def _size(self, actual: str) -> int:
        return self._zip.getinfo(actual).file_size

    def close(self) -> None:
        self._zip.close()


def _spellings(info: zipfile.ZipInfo) -> list[str]:
    """The names a member may have been meant to have.

    zipfile decodes a name written without the UTF-8 flag as cp437; tools
    that write UTF-8 (or the Windows code page) without the flag are common,
    so those readings of the same bytes are tried too.
    """
    out = [info.filename]
    if not info.flag_bits & 0x800 and not info.filename.isascii():
        raw = info.filename.encode("cp437", errors="replace")
        for encoding in ("utf-8", "cp1252", "cp850"):
            try:
                out.append(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
    return out


class FolderContainer(Container):
    """An unzipped project: a .qde file with its ``sources/`` folder beside it.

    Names are looked up one folder level at a time (any case), so a project
    folder inside a large tree costs a few directory listings, not a walk.
    """

    def __init__(self, qde: Path):
        self._root = qde.parent.resolve()
        self.qde_name = qde.name
        super().__init__(qde, {})

    def where(self) -> str:
        return _("in the project folder")

    def _lookup(self, name: str) -> str | None:
        folder, parts = self._root, name.split("/")
        for k, part in enumerate(parts):
            try:
                entries = {name_key(e.name): e for e in os.scandir(folder)}
            except (FileNotFoundError, NotADirectoryError):
                return None
            entry = entries.get(name_key(part))
            if entry is None or (k < len(parts) - 1 and not entry.is_dir()):
                return None
            folder = Path(entry.path)
        return os.path.relpath(folder, self._root).replace(os.sep, "/") if folder.is_file() else None

    def _read_member(self, actual: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        file = (self._root / actual).resolve()
        if not file.is_relative_to(self._root):  # a link pointing out of the project
            raise InputError(self.path, _("{member} lies outside the project folder").format(member=actual))
        self._budget.take(min(file.stat().st_size, limit + 1))
        return read_file(file, limit)

    def _size(self, actual: str) -> int:
        return (self._root / actual).stat().st_size


def open_container(path: str | Path) -> Container:
    """A .qdpx archive, a .qde file (sources beside it) or a folder holding one .qde file."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, _("no such file"))
    if path.is_dir():
        qdes = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".qde")
        if not qdes:
            raise InputError(path, _("no .qde file in the folder"))
        named = [p for p in qdes if p.name.lower() == "project.qde"]
        if len(qdes) > 1 and not named:
            raise InputError(path, _("the folder holds several .qde files; name the one to import"))
        return FolderContainer((named or qdes)[0])
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return ZipContainer(path)
    if suffix == ".qde":
        return FolderContainer(path)
    raise InputError(path, _("unknown file type '{suffix}': use .qdpx, .qde or a project folder").format(suffix=path.suffix))
