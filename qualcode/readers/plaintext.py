"""Plain-text and Markdown transcripts."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import InputError
from qualcode.models import Transcript
from qualcode.readers.encoding import decode_bytes
from qualcode.readers.frontmatter import split_front_matter
from qualcode.readers.speakers import find_turns, single_speaker_warnings
from qualcode.text import normalise


def read_plaintext(path: Path, data: bytes, known_speakers=()) -> Transcript:
    raw, encoding = decode_bytes(data, path)
    text = normalise(raw)
    metadata, body, _ = split_front_matter(text, path)
    body = body.strip()
    if not body:
        raise InputError(path, "has no transcript text")
    speakers = list(known_speakers) + [v for k, v in metadata.items() if k in ("interviewer", "speaker", "participant_speaker")]
    turns, _ = find_turns(body, speakers)
    warnings = single_speaker_warnings(path, turns)
    return Transcript(
        name=path.name,
        source_path=str(path),
        format=path.suffix.lower().lstrip("."),
        text=body,
        turns=tuple(turns),
        metadata=metadata,
        warnings=warnings,
        encoding=encoding,
    )
