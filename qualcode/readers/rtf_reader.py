"""Rich Text Format (.rtf) transcripts, read with striprtf.

Many transcription tools and bureaus export RTF. striprtf turns RTF's
control words into text, including ``\\'e6``-style code-page escapes and
``\\u248?`` Unicode escapes, and writes table rows as ``cell|cell|cell|``,
which :mod:`qualcode.readers.tables` recognises like a Word table. Bold is
not kept, so labels are recognised by their shape (``Navn:``) alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.models import Transcript
from qualcode.readers.assemble import build_transcript, text_turns
from qualcode.text import normalise

_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def read_rtf(path: Path, data: bytes, known_speakers=()) -> Transcript:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError(path, _("is not an RTF file (it must start with '{\\rtf')"), line=1)
    text = normalise(_rtf_text(path, data)).strip()
    if not text:
        raise InputError(path, _("has no transcript text"))
    text, turns, notes = text_turns(text, known_speakers)
    return build_transcript(path, "rtf", text, turns, notes, encoding=_code_page(data))


def _code_page(data: bytes) -> str:
    m = _CODE_PAGE.search(data, 0, 4096)
    return f"cp{int(m.group(1))}" if m else "cp1252"


def _rtf_text(path: Path, data: bytes) -> str:
    from striprtf.striprtf import rtf_to_text

    encoding = _code_page(data)
    try:
        # RTF itself is 7-bit; bytes above 127 only appear in broken files, and latin-1 keeps them.
        return rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except LookupError:
        return rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace")
    except (ValueError, IndexError) as exc:
        raise InputError(path, _("is not a readable RTF file ({problem})").format(problem=exc)) from exc
