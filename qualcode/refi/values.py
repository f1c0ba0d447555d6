"""REFI variable values: qualcode keeps every value as text; the export writes it in its type's element."""

from __future__ import annotations

import re
from datetime import date, datetime

_ELEMENTS = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue", "Float": "FloatValue",
             "Date": "DateValue", "DateTime": "DateTimeValue"}
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def typed_value(type_: str, value: str) -> tuple[str, str] | None:
    """(element, text) for a value of a REFI variable type; ``None`` if the value is not of that type."""
    text = value.strip()
    if type_ == "Text":
        return "TextValue", value
    ok = {
        "Boolean": lambda: text in ("true", "false", "1", "0"),
        "Integer": lambda: bool(_INTEGER.fullmatch(text)),
        "Float": lambda: bool(_DECIMAL.fullmatch(text)),
        "Date": lambda: _parses(date.fromisoformat, text),
        "DateTime": lambda: "T" in text and _parses(lambda t: datetime.fromisoformat(t.replace("Z", "+00:00")), text),
    }.get(type_, lambda: False)()
    return (_ELEMENTS[type_], text) if ok else None


def _parses(parse, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True
