"""E-mail addresses and web addresses.

A bare domain ("fjordby.dk") is masked as a URL too: a municipality's domain
names the municipality as surely as its name does.
"""

from __future__ import annotations

import re

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.spans import PiiSpan

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w-])")
_TLDS = "dk|com|org|net|eu|nu|info|io|gov|se|no|de|uk|fo|gl|biz|app|online"
_URL = re.compile(
    r"(?<![\w@.-])(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|(?<![\w@.-])(?:[a-zA-Z0-9æøåÆØÅ-]+\.)+(?:" + _TLDS + r")\b(?:/[^\s<>\"')\]]*)?(?![\w@-])",
)
# Sentence punctuation that ends a URL written in running text.
_TRAILING = ".,;:!?"
# What every match must contain. Neither pattern can match a line break, so
# only the lines holding a hint are searched (in place, so the look-behinds
# still see the character before the line).
_EMAIL_HINT = re.compile("@")
_URL_HINT = re.compile(r"https?://|www\.|\.(?:" + _TLDS + r")\b")


def _hinted_lines(text: str, hint: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` that contains ``hint``, in text order."""
    lines: list[tuple[int, int]] = []
    for m in hint.finditer(text):
        if lines and m.start() < lines[-1][1]:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        lines.append((start, len(text) if end < 0 else end))
    return lines


def _finditer(pattern: re.Pattern, hint: re.Pattern, text: str):
    """``pattern.finditer(text)``, searching only the lines that contain ``hint``."""
    for start, end in _hinted_lines(text, hint):
        yield from pattern.finditer(text, start, end)


class EmailDetector:
    name = "email"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        found = []
        for m in _finditer(_EMAIL, _EMAIL_HINT, context.text):
            end = m.end()
            while context.text[end - 1] in _TRAILING:
                end -= 1
            found.append(span(context, m.start(), end, "EMAIL", 0.99, self.name))
        return found


class UrlDetector:
    name = "url"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text = context.text
        emails = [(m.start(), m.end()) for m in _finditer(_EMAIL, _EMAIL_HINT, text)]
        found = []
        for m in _finditer(_URL, _URL_HINT, text):
            if any(s <= m.start() < e for s, e in emails):
                continue
            end = m.end()
            while end > m.start() and text[end - 1] in _TRAILING:
                end -= 1
            if end > m.start():
                found.append(span(context, m.start(), end, "URL", 0.95, self.name))
        return found
