"""Decode transcript bytes: UTF-8 (with or without BOM), UTF-16 with BOM, cp1252/latin-1.

Transcription tools on Windows still export cp1252; a wrong guess would turn
"æøå" into mojibake, so the order is: BOM, strict UTF-8, cp1252, latin-1.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import InputError
from qualcode.i18n import gettext as _

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """True for content no transcript has: NUL bytes or many control characters."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > max(8, len(sample) // 100)


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`InputError` naming the file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(path, _("starts with a {encoding} byte order mark but is not valid {encoding} ({reason})").format(
                    encoding=encoding, reason=exc.reason)) from exc
    if looks_binary(data):
        raise InputError(path, _("is not a text file (binary content)"))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1"
