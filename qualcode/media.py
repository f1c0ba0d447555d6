"""Recordings linked to documents: which files can be played, and checking a link before storing it.

A link is the recording's absolute path on the user's machine; the file is
never copied into the project (recordings are large and personal), and it is
played in the browser from the kernel's own copy of the bytes, never over a
network.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import InputError, ProjectError
from qualcode.i18n import gettext as _
from qualcode.models import MediaLink
from qualcode.project import Project

# What a browser's <audio>/<video> element plays, by extension, with its MIME type.
MEDIA_TYPES = {
    ".mp3": ("audio", "audio/mpeg"),
    ".m4a": ("audio", "audio/mp4"),
    ".wav": ("audio", "audio/wav"),
    ".ogg": ("audio", "audio/ogg"),
    ".opus": ("audio", "audio/ogg"),
    ".mp4": ("video", "video/mp4"),
    ".m4v": ("video", "video/mp4"),
    ".webm": ("video", "video/webm"),
}


def media_type(path: str | Path) -> tuple[str, str]:
    """(kind, MIME type) of a recording; ``InputError`` for a kind the browser cannot play."""
    suffix = Path(path).suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise InputError(path, _("not a recording qualcode can play (use {kinds})").format(
            kinds=", ".join(sorted(MEDIA_TYPES))))
    return MEDIA_TYPES[suffix]


def link_media(project: Project, document_id: int, path: str | Path, actor: str) -> MediaLink:
    """Check ``path`` and link it to the document (replacing an earlier link)."""
    path = Path(path).expanduser()
    kind, _mime = media_type(path)
    if not path.is_file():
        raise InputError(path, _("no such file"))
    try:
        project.documents.get(document_id)
    except KeyError:
        raise ProjectError(_("no document with id {id} in the project").format(id=document_id)) from None
    project.media.link(document_id, str(path.resolve()), kind, actor)
    return project.media.get(document_id)


def has_times(project: Project, document_id: int) -> bool:
    """Whether any turn of the document has a start time (so a segment can be played from its time)."""
    return any(t.start_time is not None for t in project.documents.turns(document_id))


def format_time(seconds: float | None) -> str:
    """``00:12:31`` (hours always shown: interviews run past an hour)."""
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
