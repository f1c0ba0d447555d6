"""Plain exports: CSV as the user's Excel opens it, and Markdown.

Danish Excel splits CSV on ";" and reads "0,34" as a number, so Danish CSV
files use ";" and decimal commas; English ones "," and decimal points. Both
are UTF-8 with a byte order mark, so Excel on Windows shows æøå.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from qualcode.errors import ProjectError
from qualcode.i18n import format_number, gettext as _, resolve_lang
from qualcode.report.wording import header

CSV_SEPARATORS = {"da": ";", "en": ","}
_DECIMALS = {";": ",", ",": ".", "\t": None}


def csv_format(lang: str | None = None, sep: str | None = None) -> tuple[str, str]:
    """(field separator, decimal mark) for ``lang``; a ``sep`` given chooses the separator."""
    lang = resolve_lang(lang)
    sep = sep or CSV_SEPARATORS[lang]
    if sep == "tab":
        sep = "\t"
    if sep not in _DECIMALS:
        raise ProjectError(_("CSV separator {sep!r}: use ';', ',' or tab").format(sep=sep))
    # A decimal comma inside comma-separated fields would need quoting everywhere: use a point there.
    decimal = _DECIMALS[sep] or ("," if lang == "da" else ".")
    return sep, decimal


def write_csv(path: str | Path, frame: pd.DataFrame, *, lang: str | None = None, personal_data_note: str | None = None,
              sep: str | None = None, translate_headers: bool = True) -> Path:
    """CSV in UTF-8 with a byte order mark; a non-anonymised export gets a ``personal_data`` column.

    ``translate_headers=False`` keeps the column names as they are, for a table that is read
    back by name (the disagreement table a consensus meeting fills in) or analysed further.
    """
    path = Path(path)
    sep, decimal = csv_format(lang, sep)
    frame = frame.copy()
    if personal_data_note:
        frame.insert(0, "personal_data", personal_data_note)
    if translate_headers:
        frame.columns = [header(str(c), lang) for c in frame.columns]
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig", sep=sep, decimal=decimal)
    return path


def markdown_table(frame: pd.DataFrame, *, lang: str | None = None, headers: list[str] | None = None) -> str:
    """A GitHub-style pipe table (no extra dependency such as tabulate)."""
    columns = headers or [header(str(c), lang) for c in frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _c in columns) + " |"]
    for values in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_md(v, lang) for v in values) + " |")
    return "\n".join(lines)


def _md(value, lang: str | None = None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        # Danish reports write decimals with a comma, as the Word report does.
        return format_number(value, 1, lang)
    return str(value).replace("|", "\\|").replace("\n", " ")


def write_markdown(path: str | Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
