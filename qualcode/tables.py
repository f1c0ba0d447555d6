"""The CSV files users hand to qualcode (gold codings, gold annotations, consensus tables).

They come from Excel as often as from code: UTF-8 with or without a BOM, or
cp1252 as Danish Excel saves "CSV"; comma- or, from Danish Excel, semicolon-
separated. Each is read whole within the side-file limit (:mod:`qualcode.limits`),
decoded as the metadata reader decodes, and read with the separator its header uses.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from qualcode.errors import InputError
from qualcode.i18n import format_number, gettext as _
from qualcode.limits import MAX_TABLE_BYTES, read_text_file


def table_text(path: str | Path) -> str:
    """The file's text, with NUL bytes refused (a binary file, or UTF-16 without a BOM)."""
    text = read_text_file(path, MAX_TABLE_BYTES)
    if "\x00" in text:
        raise InputError(path, _("is not a text file (binary content)"))
    return text


def csv_problem(exc: csv.Error) -> str:
    """What the csv module found wrong, in the user's language (its own words are English)."""
    text = str(exc)
    if text.startswith("field larger than field limit"):
        return _("a cell is longer than {n} characters").format(n=format_number(csv.field_size_limit()))
    if "NUL" in text:
        return _("it contains NUL bytes (binary content)")
    if "new-line character seen in unquoted field" in text:
        return _("a line break inside a cell without quotation marks")
    return text


def delimiter(text: str) -> str:
    """The separator the header line uses: ';' (Danish Excel), tab, or ','."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))


class Rows:
    """A CSV file as dictionaries, with the line each row starts on (for messages)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        text = table_text(path)
        self._reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter(text))
        try:
            self.fieldnames = [f.strip() for f in (self._reader.fieldnames or [])]
        except csv.Error as exc:
            raise InputError(path, _("not a readable CSV file ({problem})").format(problem=csv_problem(exc)), line=1) from None
        self._reader.fieldnames = self.fieldnames

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, row): the line a row ends on, as the csv module counts (a quoted cell may span lines)."""
        try:
            for row in self._reader:
                yield self._reader.line_num, {k: (v if v is not None else "") for k, v in row.items() if k is not None}
        except csv.Error as exc:
            raise InputError(self.path, _("not a readable CSV file ({problem})").format(problem=csv_problem(exc)),
                             line=self._reader.line_num) from None
