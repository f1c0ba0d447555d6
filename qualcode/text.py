"""Text normalisation: the one definition of the text that offsets point into.

Every document's text is NFC-normalised with ``\\n`` line endings. Offsets
everywhere in qualcode are Python ``str`` indices (Unicode code points) into
that text, which is also what spaCy's ``Token.idx`` and REFI-QDA's plain-text
positions count.
"""

from __future__ import annotations

import hashlib
import unicodedata

# Characters that transcription tools leave behind and that would shift
# offsets or break matching without adding meaning.
_INVISIBLE = "\ufeff\u200b\u200e\u200f\u2060"


def normalise(text: str) -> str:
    """Return ``text`` as NFC with ``\\n`` line endings and no invisible marks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\u00a0", " ")
    # str.replace scans in C; str.translate with a table looked up every
    # character in Python and was a tenth of import time.
    for mark in _INVISIBLE:
        if mark in text:
            text = text.replace(mark, "")
    return unicodedata.normalize("NFC", text)


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text; identifies a document across projects."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
