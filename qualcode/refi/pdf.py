"""The text of a PDF source, through pypdf.

pypdf is pure Python, maintained, and reads the text layer page by page
(``PdfReader.pages[n].extract_text()``), which is all a coding tool needs:
pages are joined with a blank line, so a page never runs into the next.
A PDF that is only scanned images has no text layer; that is said, not
guessed at (no OCR at import).
"""

from __future__ import annotations

import io
import logging

from qualcode.i18n import gettext as _


def pdf_text(data: bytes) -> tuple[str | None, str]:
    """The PDF's text, or ``None`` and the reason (in the user's language)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every odd font on stderr
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None, _("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        return None, _("the PDF cannot be read ({problem})").format(problem=type(exc).__name__)
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        return None, _("the PDF has no text layer (scanned pages)")
    return text, ""
