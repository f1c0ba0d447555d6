"""Suggestions for plain texts in JSON Lines files, for scripts and evaluation.

Input lines ``{"id": ..., "text": ...}``; training lines ``{"text": ..., "code": ...}``
(optionally ``"accepted": false`` for a rejected suggestion). Output lines
``{"id": ..., "suggestions": [{"code", "score", "reason"}, ...]}``, best first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from qualcode.codebook import Codebook
from qualcode.errors import InputError
from qualcode.i18n import gettext as _, quote
from qualcode.limits import MAX_TABLE_BYTES, read_file
from qualcode.suggest.engine import Suggester, TrainingExample


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    data = read_file(path, MAX_TABLE_BYTES)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for n, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(path, _("is not UTF-8 text (JSON Lines files are UTF-8; save it as UTF-8)"), line=n) from None
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            # exc.msg is the JSON parser's English; the line number says where.
            raise InputError(path, _("not valid JSON (each line must be one JSON object)"), line=n) from exc
        if not isinstance(record, dict):
            raise InputError(path, _("each line must be a JSON object"), line=n)
        yield n, record


def read_inputs(path: Path) -> list[tuple[object, str]]:
    out = []
    for n, record in _lines(path):
        if "text" not in record or not isinstance(record["text"], str):
            raise InputError(path, _('missing "text" (a string)'), line=n)
        out.append((record.get("id", n), record["text"]))
    return out


def read_training(path: Path, codebook: Codebook) -> list[TrainingExample]:
    out = []
    for n, record in _lines(path):
        text, code = record.get("text"), record.get("code")
        if not isinstance(text, str) or not isinstance(code, str):
            raise InputError(path, _('a training line needs "text" and "code" (strings)'), line=n)
        if code not in codebook:
            raise InputError(path, _("unknown code id {code} (not in the codebook {codebook})").format(
                code=quote(code), codebook=quote(codebook.name)), line=n)
        out.append(TrainingExample(text, code, bool(record.get("accepted", True))))
    return out


def suggest_jsonl(
    codebook: Codebook,
    input_path: Path,
    *,
    train_path: Path | None = None,
    top: int = 3,
    min_score: float = 0.0,
    lang: str | None = None,
) -> list[dict]:
    """One output record per input line, in input order."""
    inputs = read_inputs(input_path)
    examples = read_training(train_path, codebook) if train_path else []
    texts = [t for _, t in inputs]
    suggester = Suggester(codebook, lang=lang).fit(corpus=texts, examples=examples)
    rows = suggester.suggest_many(texts, top=top, min_score=min_score)
    return [
        {"id": id_, "suggestions": [{"code": s.code_id, "score": s.score, "reason": s.reason} for s in row]}
        for (id_, _), row in zip(inputs, rows)
    ]
