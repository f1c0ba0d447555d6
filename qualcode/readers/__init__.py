"""Readers: a path in, a :class:`~qualcode.models.Transcript` out.

Readers never touch a project; the importer decides what to store.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import N_, format_number
from qualcode.i18n import gettext as _
from qualcode.limits import MAX_TRANSCRIPT_BYTES, read_file
from qualcode.models import Transcript

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".odt", ".rtf", ".vtt", ".srt")
# Formats people have transcripts in that we do not read, and what to save them as instead.
_CONVERT = {
    ".doc": N_("is an old Word document (.doc); open it in Word or LibreOffice and save it as .docx, then import that"),
    ".pdf": N_("is a PDF; export the transcript from the program that made it as .docx, .odt, .txt or .vtt"
               " (a PDF keeps no reliable order of speakers and lines)"),
    ".wpd": N_("is a WordPerfect document; open it in LibreOffice and save it as .odt or .docx, then import that"),
    ".pages": N_("is an Apple Pages document; export it as Word (.docx), then import that"),
}
# The limits live in qualcode.limits, which every reader and archive shares.
DEFAULT_MAX_BYTES = MAX_TRANSCRIPT_BYTES


def read_transcript(
    path: str | Path,
    *,
    known_speakers=(),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Transcript:
    """Read one transcript file; raise :class:`InputError` naming the file on bad input."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _CONVERT:
        raise InputError(path, _(_CONVERT[suffix]))
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            path,
            _("unsupported file type '{suffix}'; supported: {supported}").format(
                suffix=suffix or _("(none)"), supported=", ".join(SUPPORTED_SUFFIXES)),
        )
    if not path.exists():
        raise InputError(path, _("no such file"))
    if path.is_dir():
        raise InputError(path, _("is a folder, not a transcript file"))
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, _("is empty"))
    if size > max_bytes:
        raise InputError(
            path,
            _("is {size} MB, larger than the {limit} MB limit for one transcript"
              " (raise it with --max-size if this really is one interview)").format(
                size=format_number(size / 1024 / 1024, 1), limit=format_number(max_bytes / 1024 / 1024, 0)),
        )
    if suffix == ".docx":
        from qualcode.readers.docx_reader import read_docx

        return read_docx(path, known_speakers, max_bytes=max_bytes)
    if suffix == ".odt":
        from qualcode.readers.odt_reader import read_odt

        return read_odt(path, known_speakers, max_bytes=max_bytes)
    data = read_file(path, max_bytes)
    if suffix in (".vtt", ".srt"):
        from qualcode.readers.subtitles import read_subtitles

        return read_subtitles(path, data, known_speakers)
    if suffix == ".rtf":
        from qualcode.readers.rtf_reader import read_rtf

        return read_rtf(path, data, known_speakers)
    from qualcode.readers.plaintext import read_plaintext

    return read_plaintext(path, data, known_speakers)


__all__ = ["SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES", "read_transcript"]
