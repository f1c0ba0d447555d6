"""Danish-first user-facing text.

Messages shown to users are Danish by default; English on request
(``--lang en`` or ``QUALCODE_LANG=en``). Code, identifiers and logs stay English.
"""

from __future__ import annotations

import os


def resolve_lang(lang: str | None = None) -> str:
    lang = lang or os.environ.get("QUALCODE_LANG", "da")
    if lang not in ("da", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'da' or 'en'")
    return lang


def choose(da: str, en: str, lang: str | None = None) -> str:
    """Return the Danish or English form of a message."""
    return da if resolve_lang(lang) == "da" else en
