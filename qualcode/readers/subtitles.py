"""WebVTT (Teams, Zoom) and SubRip (.srt) transcripts.

Teams marks speakers with voice tags (``<v Navn>tekst</v>``), often only on
the first cue of a turn; Zoom and many SRT exports put ``Navn: tekst`` in
the cue, the label defined once for every reader in
:mod:`qualcode.readers.labels`. Cues arrive every few seconds and split
sentences, so consecutive cues of one speaker are merged into a turn, and a
cue that names nobody continues the turn before it.

No text is lost without a warning: a cue whose timing line is malformed
(``00:00:05,000x --> …``, ``->``) keeps its text (and its speaker) as a cue,
with the times read from the line where two are there, and is reported with
its line; a paragraph after a blank line inside a cue (SRT tools write
those) belongs to that cue.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.models import ReadingNotes, Transcript
from qualcode.readers.assemble import build_transcript
from qualcode.readers.encoding import decode_bytes
from qualcode.readers.labels import believe, is_unknown, recurring_density
from qualcode.readers.layout import parse_head
from qualcode.readers.render import Block, render_blocks
from qualcode.readers.timecodes import format_time, parse_time
from qualcode.text import normalise

_CUE_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_CLOCK = r"(?:(?P<{0}h>\d{{1,2}}):)?(?P<{0}m>\d{{1,2}}):(?P<{0}s>\d{{1,2}}(?:[.,]\d{{1,3}})?)"
_TIMING = re.compile(r"^[ \t]*" + _CLOCK.format("s") + r"[ \t]+-->[ \t]+" + _CLOCK.format("e") + r"(?:[ \t]+.*)?$")
# A line that tries to be a timing line and fails: digits and an arrow of some kind.
_CUE_TIME_IN_LINE = re.compile(r"(?<![\d:.,])" + _CUE_TIME + r"(?![\d:])")
_TIMING_ATTEMPT = re.compile(r"^[ \t]*\d[\d:.,]*\S*[ \t]*-+>|^[ \t]*\d{1,2}:\d{2}[\d:.,]*[ \t]*-+")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*[ \t]+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
# Position and style overrides SubRip tools copy from SSA/ASS subtitles: "{\an8}", "{\i1}".
_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")
_COMMENT_BLOCKS = ("NOTE", "STYLE", "REGION")
# A cue's number (SRT) or id (Teams' "3f2a…/12-0") on the line above its timing line.
_CUE_ID = re.compile(r"^(?:\d+|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27,}(?:/[\w-]+)?)$")
_NAME_SPAN = 90  # a "Navn: " prefix ends within this many characters


@dataclass(frozen=True)
class Cue:
    start: float | None
    end: float | None
    payload: str
    line: int  # 1-based line of its timing line (or first line)


def read_subtitles(path: Path, data: bytes, known_speakers=(), *, fmt: str | None = None) -> Transcript:
    """``fmt``: "vtt" or "srt" when the file's name does not say (a renamed .txt)."""
    raw, encoding = decode_bytes(data, path)
    text = normalise(raw)
    fmt = fmt or path.suffix.lower().lstrip(".")
    lines = text.split("\n")
    if fmt == "vtt" and not lines[0].lstrip().startswith("WEBVTT"):
        raise InputError(path, _("is not a WebVTT file (the first line must be 'WEBVTT')"), line=1)
    cues, warnings = parse_cues(lines, path, vtt=fmt == "vtt")
    if not cues:
        raise InputError(path, _("has no cues (no 'start --> end' timing lines)"))
    blocks, layout, notes = speaker_blocks(cues, known_speakers)
    body, turns, attached = render_blocks(blocks)
    if not body.strip():
        raise InputError(path, _("has cues but no spoken text"))
    notes = ReadingNotes(layout=layout, attached=attached, unsure=notes.unsure, rejected=notes.rejected,
                         recurring=notes.recurring)
    return build_transcript(path, fmt, body, turns, notes, encoding=encoding, warnings=warnings)


def parse_cues(lines: list[str], path: Path, *, vtt: bool) -> tuple[list[Cue], list[str]]:
    """Cues in order, and a warning for every block whose timing line could not be read."""
    cues: list[Cue] = []
    warnings: list[str] = []
    for first, block in _blocks(lines):
        if vtt and first == 1:
            # The header block ("WEBVTT", "Kind: captions", …); a cue glued to it still counts.
            timed = next((k for k, line in enumerate(block) if _TIMING.match(line)), None)
            if timed is None:
                continue
            cue_from = timed - 1 if timed > 1 else timed
            first, block = first + cue_from, block[cue_from:]
        if vtt and block[0].startswith(_COMMENT_BLOCKS):
            continue
        timing, m = _timing_line(block)
        if m is not None:
            start, end = _clock(m, "s"), _clock(m, "e")
            cues.append(Cue(start, end, "\n".join(block[timing + 1 :]), first + timing))
            continue
        attempt = next((k for k in (0, 1) if k < len(block) and _TIMING_ATTEMPT.match(block[k])), None)
        if attempt is not None:
            # The cue stays a cue of its own (its "Navn:" still names the speaker), with the
            # times read from the line if two are there, else without a time.
            where, line = first + attempt, block[attempt].strip()
            times = [_seconds(t) for t in _CUE_TIME_IN_LINE.findall(line)]
            if len(times) == 2 and None not in times:
                start, end = times
                warnings.append(_("{path}:{line}: cue timing {timing} is not 'start --> end'; read as {start} --> {end}").format(
                    path=path, line=where, timing=repr(line), start=format_time(start), end=format_time(end)))
            else:
                start = end = None
                warnings.append(_("{path}:{line}: cue timing {timing} is not 'start --> end'; its text is kept without a time").format(
                    path=path, line=where, timing=repr(line)))
            cues.append(Cue(start, end, "\n".join(block[attempt + 1 :]), where))
            continue
        if len(block) == 1 and block[0].strip().isdigit():
            continue  # a cue number with nothing after it
        if cues:
            # A blank line inside a cue's text: the paragraph belongs to the cue before it.
            cues[-1] = _extend(cues[-1], "\n".join(block))
        else:
            warnings.append(_("{path}:{line}: text before the first cue is kept without a time").format(
                path=path, line=first))
            cues.append(Cue(None, None, "\n".join(block), first))
    return cues, warnings


def _timing_line(block: list[str]) -> tuple[int | None, re.Match | None]:
    """The timing line of a block: its first line, or its second after a cue id."""
    for k in (0, 1):
        if k < len(block) and "-->" in block[k]:
            m = _TIMING.match(block[k])
            if m is not None:
                return k, m
    return None, None


def _blocks(lines: list[str]):
    """``(first line number, non-blank lines)`` of every cue block.

    Blocks are separated by blank lines; a tool that leaves the blank lines out
    still writes a timing line for every cue, so a timing line after a block's
    first two lines starts a new block (with the cue number or id above it).
    """
    block: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line.strip())
        elif block:
            if len(block) > 2 and _glued(block):
                yield from _unglue(first, block)
            else:
                yield first, block
            block = []
    if block:
        yield from _unglue(first, block)


def _glued(block: list[str]) -> bool:
    for line in block[2:]:
        if "-->" in line:
            return True
    return False


def _unglue(first: int, block: list[str]):
    """Split a block holding several cues without blank lines between them."""
    cuts = [k for k in range(2, len(block)) if "-->" in block[k] and _TIMING.match(block[k])]
    if not cuts:
        yield first, block
        return
    starts = [0]
    for k in cuts:
        start = k - 1 if _CUE_ID.match(block[k - 1]) and k - 1 > starts[-1] else k
        if start > starts[-1] + (1 if _TIMING.match(block[starts[-1]]) else 0):
            starts.append(start)
    for a, b in zip(starts, starts[1:] + [len(block)]):
        yield first + a, block[a:b]


def _extend(cue: Cue, payload: str) -> Cue:
    joined = "\n".join(p for p in (cue.payload, payload) if p)
    return Cue(cue.start, cue.end, joined, cue.line)


def _clock(m: re.Match, prefix: str) -> float:
    """Seconds of a matched cue time (read straight from the groups: cues come by the thousand)."""
    h, mi, sec = m.group(prefix + "h", prefix + "m", prefix + "s")
    return int(h or 0) * 3600 + int(mi) * 60 + float(sec.replace(",", "."))


def _seconds(value: str) -> float | None:
    try:
        return parse_time(value)
    except ValueError:
        return None


def speaker_blocks(cues: list[Cue], known_speakers=()) -> tuple[list[Block], str, ReadingNotes]:
    """Blocks with speakers from voice tags, or else from "Navn: tekst" cues; and the layout."""
    if any(_VOICE.search(c.payload) for c in cues):
        return _voice_blocks(cues), "voice-tags", ReadingNotes()
    # "Navn: tekst" in the cue: the same label definition and belief as in paragraphs.
    parsed = []
    for cue in cues:
        content = _plain(cue.payload)
        # "Navn: tekst" (Zoom) or "[Navn] tekst" (subtitle tools that bracket the speaker).
        head = parse_head(content, display=True) if ":" in content[:_NAME_SPAN] or content[:1] == "[" else None
        if head is not None and head[1] in ("colon", "bracket") and head[3] < len(content):
            parsed.append((head[0], content[head[3]:].strip(), content, cue))
        else:
            parsed.append((None, content, content, cue))
    counts = Counter(label for label, _, _, _ in parsed if label)
    belief = believe(counts, known=known_speakers, density=recurring_density(counts, len(cues), known_speakers))
    blocks = []
    for label, words, content, cue in parsed:
        if label is not None and label in belief:
            speaker = "" if is_unknown(label) else label
            blocks.append(Block(speaker, words, cue.start, cue.end))
        else:
            blocks.append(Block(None, content, cue.start, cue.end))
    layout = "cue-names" if belief.accepted else "cues"
    return blocks, layout, ReadingNotes(unsure=belief.unsure, rejected=belief.rejected, recurring=belief.recurring)


def _plain(payload: str) -> str:
    """A cue's words on one line, without markup tags (``<i>``, ``<c.yellow>``, SSA's ``{\an8}``)."""
    if "<" in payload:
        payload = _TAG.sub("", payload)
    if "{\\" in payload:
        payload = _OVERRIDE.sub("", payload)
    return " ".join(payload.split())


def _voice_blocks(cues: list[Cue]) -> list[Block]:
    """One block per voice in each cue ("<v A>…</v><v B>…</v>" is two speakers); untagged text continues."""
    blocks = []
    for cue in cues:
        payload = cue.payload.replace("\n", " ")
        voices = list(_VOICE.finditer(payload))
        if not voices:
            blocks.append(Block(None, _plain(payload), cue.start, cue.end))
            continue
        before = _plain(payload[: voices[0].start()])
        if before.strip():
            blocks.append(Block(None, before, cue.start, cue.end))
        for i, voice in enumerate(voices):
            stop = voices[i + 1].start() if i + 1 < len(voices) else len(payload)
            speaker = " ".join(voice.group(1).split())
            blocks.append(Block("" if is_unknown(speaker) else speaker, _plain(payload[voice.end() : stop]),
                                cue.start, cue.end))
    return blocks
