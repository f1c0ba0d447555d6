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
from qualcode.limits import MAX_TABLE_BYTES, read_text_file


def table_text(path: str | Path) -> str:
    """The file's text, with NUL bytes refused (a binary file, or UTF-16 without a BOM)."""
    text = read_text_file(path, MAX_TABLE_BYTES)
    if "\x00" in text:
        raise InputError(path, "is not a text file (binary content)")
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
            raise InputError(path, f"not a readable CSV file ({exc})", line=1) from None
        self._reader.fieldnames = self.fieldnames

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, row): the line a row ends on, as the csv module counts (a quoted cell may span lines)."""
        try:
            for row in self._reader:
                yield self._reader.line_num, {k: (v if v is not None else "") for k, v in row.items() if k is not None}
        except csv.Error as exc:
            raise InputError(self.path, f"not a readable CSV file ({exc})", line=self._reader.line_num) from None
