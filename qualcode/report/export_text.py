"""Plain exports: CSV (UTF-8 with BOM, so Excel on Windows shows æøå) and Markdown."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from qualcode.i18n import resolve_lang
from qualcode.report.wording import header


def write_csv(path: str | Path, frame: pd.DataFrame, *, lang: str | None = None, personal_data_note: str | None = None) -> Path:
    """CSV in UTF-8 with a byte order mark; a non-anonymised export gets a ``personal_data`` column."""
    path = Path(path)
    frame = frame.copy()
    if personal_data_note:
        frame.insert(0, "personal_data", personal_data_note)
    frame.columns = [header(str(c), lang) for c in frame.columns]
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def markdown_table(frame: pd.DataFrame, *, lang: str | None = None) -> str:
    """A GitHub-style pipe table (no extra dependency such as tabulate)."""
    columns = [header(str(c), lang) for c in frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    for values in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_md(v, lang) for v in values) + " |")
    return "\n".join(lines)


def _md(value, lang: str | None = None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        # Danish reports write decimals with a comma, as the Word report does.
        text = f"{value:.1f}"
        return text if resolve_lang(lang) == "en" else text.replace(".", ",")
    return str(value).replace("|", "\\|").replace("\n", " ")


def write_markdown(path: str | Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
