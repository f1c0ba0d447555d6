"""YAML front matter ("---" … "---") at the top of a plain-text transcript."""

from __future__ import annotations

from pathlib import Path

import yaml

from qualcode.errors import InputError
from qualcode.i18n import gettext as _


def split_front_matter(text: str, path: str | Path) -> tuple[dict[str, str], str, int]:
    """Return ``(metadata, body, body_line)``; body_line is the 1-based line where the body starts."""
    if not text.startswith("---\n"):
        return {}, text, 1
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise InputError(path, _("front matter starts with '---' but has no closing '---'"), line=1)
    block = text[4:end]
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(path, _("front matter is not valid YAML ({problem})").format(problem=problem), line=line) from exc
    if not isinstance(data, dict):
        raise InputError(path, _("front matter must be a mapping of 'key: value' lines"), line=2)
    metadata = {str(k): "" if v is None else str(v) for k, v in data.items()}
    body_start = end + len("\n---\n")
    body_line = text.count("\n", 0, body_start) + 1
    return metadata, text[body_start:], body_line
