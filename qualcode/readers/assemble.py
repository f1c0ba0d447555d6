"""From what a reader extracted (paragraphs, table rows, plain text) to a :class:`Transcript`.

Every paragraph format (plain text, Word, LibreOffice, RTF) ends here, so
all of them recognise the same layouts the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.models import ReadingNotes, Transcript, Turn
from qualcode.readers.render import Block, render_blocks
from qualcode.readers.speakers import find_turns, single_speaker_warnings
from qualcode.readers.tables import split_text_table, table_blocks
from qualcode.text import normalise


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a word-processor file; ``bold`` is its leading bold run (a label hint)."""

    text: str
    bold: str | None = None


def paragraph_turns(paragraphs: Iterable[Paragraph], known: Iterable[str] = ()) -> tuple[str, list[Turn], ReadingNotes]:
    """Join non-empty paragraphs into the document text (one per line) and find its turns."""
    parts: list[str] = []
    hints: dict[int, str] = {}
    offset = 0
    for paragraph in paragraphs:
        text = normalise(paragraph.text).strip()
        if not text:
            continue
        # A paragraph may hold line breaks (Teams writes "Navn 0:03" and the words in one); each
        # line is a line of the document, the bold hint belongs to the first.
        if paragraph.bold and paragraph.bold.strip() and text.startswith(paragraph.bold.strip()):
            hints[offset] = paragraph.bold
        parts.append(text)
        offset += len(text) + 1
    text = "\n".join(parts)
    turns, notes = find_turns(text, known, hints=hints)
    return text, turns, notes


def table_turns(blocks: Sequence[Block], preamble: Sequence[str]) -> tuple[str, list[Turn], ReadingNotes]:
    text, turns, attached = render_blocks(list(blocks), list(preamble))
    outside = sum(1 for p in preamble for ch in p if not ch.isspace())
    return text, turns, ReadingNotes(layout="table", attached=attached, outside=outside)


def text_turns(text: str, known: Iterable[str] = ()) -> tuple[str, list[Turn], ReadingNotes]:
    """Turns of a plain text: a table written as text (RTF's ``a|b|c|`` rows) or labelled lines.

    Labelled text keeps its own characters; a table is rendered one line per turn.
    """
    table = split_text_table(text)
    if table is not None:
        before, rows, after = table
        titles, blocks = table_blocks(rows) or ([], [])
        # Lines after the table continue its last turn rather than being dropped.
        blocks += [Block(None, line) for line in after if line.strip()]
        return table_turns(blocks, before + titles)
    turns, notes = find_turns(text, known)
    return text, turns, notes


def build_transcript(
    path: Path,
    fmt: str,
    text: str,
    turns: Sequence[Turn],
    notes: ReadingNotes,
    *,
    metadata: Mapping[str, str] | None = None,
    encoding: str,
    warnings: Sequence[str] = (),
) -> Transcript:
    """The reader's result; refuses a file with no spoken text."""
    if not text.strip() or not turns:
        raise InputError(path, _("has no transcript text"))
    return Transcript(
        name=path.name,
        source_path=str(path),
        format=fmt,
        text=text,
        turns=tuple(turns),
        metadata=dict(metadata or {}),
        warnings=tuple(warnings) + single_speaker_warnings(path, turns),
        encoding=encoding,
        notes=notes,
    )


__all__ = ["Paragraph", "build_transcript", "paragraph_turns", "table_turns", "text_turns"]
