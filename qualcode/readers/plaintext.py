"""Plain-text and Markdown transcripts (also Otter.ai's and Zoom's text exports).

The shape of the content decides, not only the file name: a .txt holding WebVTT or SRT
cues is read as subtitles.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.models import Transcript
from qualcode.readers.assemble import build_transcript, text_turns
from qualcode.readers.encoding import decode_bytes
from qualcode.readers.frontmatter import split_front_matter
from qualcode.text import normalise

# Front-matter keys that name a speaker label of the file.
_SPEAKER_KEYS = ("interviewer", "speaker", "participant_speaker")


# Subtitles saved under another name (a Zoom or Teams .vtt renamed to .txt): read by their shape.
_SUBTITLES = re.compile(r"\A\s*(?:WEBVTT|\d+[ \t]*\n[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]+-->)")


def read_plaintext(path: Path, data: bytes, known_speakers=()) -> Transcript:
    raw, encoding = decode_bytes(data, path)
    text = normalise(raw)
    if _SUBTITLES.match(text[:200]):
        from qualcode.readers.subtitles import read_subtitles

        return read_subtitles(path, data, known_speakers, fmt="vtt" if text.lstrip().startswith("WEBVTT") else "srt")
    metadata, body, _line = split_front_matter(text, path)
    body = body.strip()
    if not body:
        raise InputError(path, _("has no transcript text"))
    speakers = list(known_speakers) + [v for k, v in metadata.items() if k in _SPEAKER_KEYS]
    text, turns, notes = text_turns(body, speakers)
    return build_transcript(path, path.suffix.lower().lstrip("."), text, turns, notes,
                            metadata=metadata, encoding=encoding)
