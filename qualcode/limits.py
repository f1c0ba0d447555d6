"""Size limits for everything qualcode reads, and readers that never read past them.

A small file can claim to be large: a 2 MB .docx whose XML inflates to
gigabytes, a 486 KB .qdpx with a 190 MB member, a CSV that is really a
video. Memory must stay bounded whatever a file claims, so every reader
checks sizes here before it reads and then reads through these helpers,
which stop one byte past the limit rather than trust the claim:

- a file on disk: its size, then at most ``limit + 1`` bytes;
- a zip archive (.docx, .xlsx, .qdpx): the number of members and every
  member's *uncompressed* size and their total, from the central directory,
  before anything is inflated; a member is then read with the same cap
  (zipfile never returns more than a member's declared size) and a damaged
  member (bad CRC, truncated deflate stream) is one :class:`InputError`.

Refusals are :class:`InputError` naming the file and the limit, so the CLI
prints one line and exits 2.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Iterable

from qualcode.errors import InputError, os_problem
from qualcode.i18n import format_number, gettext as _

MB = 1024 * 1024
# One transcript: a 90-minute interview is about 100 kB of text; anything this
# large is almost certainly not one transcript (a merged export, a wrong file).
MAX_TRANSCRIPT_BYTES = 10 * MB
# Side files a user names: metadata and gold CSVs, consensus tables, JSON Lines
# inputs, registers, pseudonym keys, codebooks. Generous: they hold no audio.
MAX_TABLE_BYTES = 50 * MB
# A .docx or .odt: each member may be this many times the transcript limit
# uncompressed (Word's run markup is verbose), and all of them together this many times.
OFFICE_MEMBER_FACTOR = 2
OFFICE_TOTAL_FACTOR = 5
# A REFI-QDA archive: project.qde, and the members read from it in total.
MAX_QDE_BYTES = 100 * MB
MAX_REFI_READ_BYTES = 200 * MB
# No transcript archive needs more members than this; a million empty ones
# would cost memory just to list.
MAX_ARCHIVE_MEMBERS = 10_000


def _megabytes(n: int) -> str:
    return format_number(round(n / MB, 1))


def too_large(path: str | Path, size: int, limit: int, what: str | None = None) -> InputError:
    """The refusal for ``size`` bytes over ``limit``; ``what`` names a member inside ``path``."""
    if what:
        return InputError(path, _("{member} inside the archive is {size} MB uncompressed, over the {limit} MB limit").format(
            member=what, size=_megabytes(size), limit=_megabytes(limit)))
    return InputError(path, _("is {size} MB, over the {limit} MB limit").format(size=_megabytes(size), limit=_megabytes(limit)))


def too_large_together(path: str | Path, size: int, limit: int) -> InputError:
    """The refusal for an archive whose members are ``size`` bytes together, over ``limit``."""
    return InputError(path, _("the archive's members are {size} MB uncompressed together, over the {limit} MB limit").format(
        size=_megabytes(size), limit=_megabytes(limit)))


def read_file(path: str | Path, limit: int = MAX_TABLE_BYTES) -> bytes:
    """The bytes of ``path``, refused (not read) when it is larger than ``limit``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise too_large(path, size, limit)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may grow, or be a device whose size says nothing
    except IsADirectoryError:
        raise InputError(path, _("is a folder, not a file")) from None
    except FileNotFoundError:
        raise InputError(path, _("no such file")) from None
    except OSError as exc:
        raise InputError(path, _("cannot read the file ({reason})").format(reason=os_problem(exc))) from None
    if len(data) > limit:
        raise too_large(path, len(data), limit)
    return data


def read_text_file(path: str | Path, limit: int = MAX_TABLE_BYTES) -> str:
    """A side file as text: UTF-8 (with or without BOM), else cp1252 as Danish Excel saves CSV."""
    from qualcode.readers.encoding import decode_bytes

    return decode_bytes(read_file(path, limit), path)[0]


def open_archive(path: str | Path, invalid: str, source: BinaryIO | None = None) -> zipfile.ZipFile:
    """A zip archive, refused with the problem ``invalid`` when it is not one, or when it lists
    more members than any transcript needs. ``source``: the archive's bytes as a file object
    (an archive inside an archive), ``path`` then only names it in messages."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(source if source is not None else path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        raise InputError(path, invalid) from None
    except OSError as exc:
        raise InputError(path, _("cannot read the file ({reason})").format(reason=os_problem(exc))) from None
    if len(archive.infolist()) > MAX_ARCHIVE_MEMBERS:
        count = len(archive.infolist())
        archive.close()
        raise InputError(path, _("the archive lists {count} members, over the limit of {limit}").format(
            count=count, limit=MAX_ARCHIVE_MEMBERS))
    return archive


def check_members(archive: zipfile.ZipFile, path: str | Path, *, each: int, total: int,
                  names: Iterable[str] | None = None) -> None:
    """Refuse before inflating anything when a member, or all of ``names`` together, is too large."""
    infos = archive.infolist() if names is None else [archive.getinfo(n) for n in names]
    seen = 0
    for info in infos:
        if info.file_size > each:
            raise too_large(path, info.file_size, each, info.filename)
        seen += info.file_size
    if seen > total:
        raise too_large_together(path, seen, total)


def read_member(archive: zipfile.ZipFile, name: str, path: str | Path, limit: int) -> bytes:
    """One member's bytes, capped at ``limit``; a damaged member is an :class:`InputError`."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise too_large(path, info.file_size, limit, name)
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        # A bad CRC, a truncated deflate stream, an encrypted or unknown-method member.
        raise InputError(path, _("{member} inside the archive cannot be read ({problem})").format(member=name, problem=exc)) from None
    if len(data) > limit:
        raise too_large(path, len(data), limit, name)
    return data


def check_office_file(path: str | Path, max_bytes: int, invalid: str, source: BinaryIO | None = None) -> None:
    """Refuse a .docx or .odt whose members inflate past the limits, before its library reads them all.

    ``invalid``: the problem to name when it is no zip archive at all; ``source``: the file's bytes
    as a file object (a source inside a REFI-QDA archive), ``path`` then only names it.
    """
    with open_archive(path, invalid, source) as archive:
        check_members(archive, path, each=OFFICE_MEMBER_FACTOR * max_bytes, total=OFFICE_TOTAL_FACTOR * max_bytes)


class ReadBudget:
    """The bytes an importer may still read from one archive, over all its members."""

    def __init__(self, path: str | Path, total: int):
        self.path = path
        self.total = total
        self.used = 0

    def take(self, size: int) -> None:
        self.used += size
        if self.used > self.total:
            raise too_large_together(self.path, self.used, self.total)
