"""WebVTT (Teams, Zoom) and SubRip (.srt) transcripts.

Teams marks speakers with voice tags (``<v Navn>tekst</v>``); Zoom and many
SRT exports put ``Navn: tekst`` in the cue. Cues arrive every few seconds and
split sentences, so consecutive cues of one speaker are merged into a turn.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from qualcode.errors import InputError
from qualcode.models import Transcript
from qualcode.readers.encoding import decode_bytes
from qualcode.readers.render import Block, render_blocks
from qualcode.readers.speakers import NOT_LABELS, parse_time, single_speaker_warnings
from qualcode.text import normalise

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
_NAME_PREFIX = re.compile(r"^(?P<name>[A-ZÆØÅ][\wæøåÆØÅ'.-]*(?: [A-ZÆØÅ][\wæøåÆØÅ'.-]*){0,3}):\s+(?P<text>.*)$", re.S)


def read_subtitles(path: Path, data: bytes) -> Transcript:
    raw, encoding = decode_bytes(data, path)
    text = normalise(raw)
    fmt = path.suffix.lower().lstrip(".")
    lines = text.split("\n")
    if fmt == "vtt":
        if not lines or not lines[0].lstrip().startswith("WEBVTT"):
            raise InputError(path, "is not a WebVTT file (the first line must be 'WEBVTT')", line=1)
    cues = _cues(lines, path)
    if not cues:
        raise InputError(path, "has no cues (no 'start --> end' timing lines)")
    blocks = _speaker_blocks(cues)
    body, turns = render_blocks(blocks)
    if not body.strip():
        raise InputError(path, "has cues but no spoken text")
    warnings = single_speaker_warnings(path, turns)
    return Transcript(
        name=path.name,
        source_path=str(path),
        format=fmt,
        text=body,
        turns=tuple(turns),
        metadata={},
        warnings=warnings,
        encoding=encoding,
    )


def _cues(lines: list[str], path: Path) -> list[tuple[float, str, int]]:
    """Return ``(start_seconds, payload, line_number)`` per cue, skipping NOTE/STYLE blocks."""
    cues = []
    i = 0
    while i < len(lines):
        m = _TIMING.match(lines[i])
        if not m:
            if lines[i].startswith(("NOTE", "STYLE", "REGION")):
                while i < len(lines) and lines[i].strip():
                    i += 1
            i += 1
            continue
        try:
            start = parse_time(m.group("start"))
        except ValueError as exc:
            raise InputError(path, f"bad cue timing {lines[i].strip()!r}", line=i + 1) from exc
        line_no = i + 1
        payload = []
        i += 1
        while i < len(lines) and lines[i].strip():
            payload.append(lines[i].strip())
            i += 1
        cues.append((start, "\n".join(payload), line_no))
    return cues


def _speaker_blocks(cues) -> list[Block]:
    parsed = []
    for start, payload, _ in cues:
        voice = _VOICE.search(payload)
        speaker = voice.group(1).strip() if voice else None
        content = " ".join(_TAG.sub("", payload).split())
        parsed.append((speaker, content, start))
    if not any(s for s, _, _ in parsed):
        # No voice tags: look for "Navn: tekst". Believed once the file shows
        # the convention (some name recurs); "Altså: …" is never a name.
        names = Counter(m.group("name") for _, c, _ in parsed if (m := _NAME_PREFIX.match(c)))
        names = Counter({n: k for n, k in names.items() if n.casefold() not in NOT_LABELS})
        recurring = set(names) if any(k >= 2 for k in names.values()) else set()
        reparsed = []
        for _, content, start in parsed:
            m = _NAME_PREFIX.match(content)
            if m and m.group("name") in recurring:
                reparsed.append((m.group("name"), m.group("text").strip(), start))
            else:
                reparsed.append((None, content, start))
        parsed = reparsed
    return [Block(s, c, t) for s, c, t in parsed]
