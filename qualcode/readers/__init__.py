"""Readers: a path in, a :class:`~qualcode.models.Transcript` out.

Readers never touch a project; the importer decides what to store.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import InputError
from qualcode.limits import MAX_TRANSCRIPT_BYTES, read_file
from qualcode.models import Transcript

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")
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
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            path,
            f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}",
        )
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a transcript file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "is empty")
    if size > max_bytes:
        raise InputError(
            path,
            f"is {size / 1024 / 1024:.1f} MB, larger than the {max_bytes / 1024 / 1024:.0f} MB limit"
            " for one transcript (raise it with --max-size if this really is one interview)",
        )
    if suffix == ".docx":
        from qualcode.readers.docx_reader import read_docx

        return read_docx(path, known_speakers, max_bytes=max_bytes)
    data = read_file(path, max_bytes)
    if suffix in (".vtt", ".srt"):
        from qualcode.readers.subtitles import read_subtitles

        return read_subtitles(path, data)
    from qualcode.readers.plaintext import read_plaintext

    return read_plaintext(path, data, known_speakers)


__all__ = ["SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES", "read_transcript"]
