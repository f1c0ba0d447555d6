"""The participant metadata CSV: which file, which speaker label, which role.

Columns (English or Danish names, any case): ``file``/``fil`` (required),
``participant_id``/``deltager``, ``speaker``/``taler``, ``role``/``rolle``,
``title``/``titel``, ``municipality``/``kommune``, ``department``/``afdeling``,
``date``/``dato``, ``interviewer``; any further column is kept as extra
metadata. One row per participant, so a group interview has several rows for
one file. The separator is whatever the header uses: ``,`` or Danish Excel's
``;`` (or a tab); the encoding UTF-8 with or without BOM, or Windows-1252 as
Excel's "CSV (semikolonsepareret)" saves it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Mapping

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.i18n import join_list, ngettext
from qualcode.models import ROLES
from qualcode.limits import MAX_TABLE_BYTES, read_file
from qualcode.readers.encoding import decode_bytes

KNOWN_COLUMNS = ("file", "participant_id", "speaker", "role", "title", "municipality", "department", "date", "interviewer")

# Header names as researchers write them, Danish and English, after _column_key().
COLUMN_ALIASES = {
    "file": ("file", "fil", "filnavn", "filename", "file_name", "dokument", "document", "transskription"),
    "participant_id": ("participant_id", "participant", "deltager", "deltager_id", "deltagerid", "deltagernr",
                       "deltagernummer", "id", "informant", "interviewperson"),
    "speaker": ("speaker", "taler", "talerbetegnelse", "taler_label", "speaker_label", "label", "etiket"),
    "role": ("role", "rolle"),
    "title": ("title", "titel", "stilling", "jobtitel", "stillingsbetegnelse"),
    "municipality": ("municipality", "kommune"),
    "department": ("department", "afdeling", "forvaltning", "område", "enhed"),
    "date": ("date", "dato", "interviewdato"),
    "interviewer": ("interviewer", "intervieweren", "interviewer_label", "interviewers"),
}
_ALIAS = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
_DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class Participant:
    file: str
    participant_id: str = ""
    speaker: str = ""
    role: str = ""
    title: str = ""
    municipality: str = ""
    department: str = ""
    date: str = ""
    interviewer: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def interviewer_labels(self) -> tuple[str, ...]:
        # ";" inside a comma file, "," inside a semicolon file (where ";" separates the columns).
        return tuple(s.strip() for s in self.interviewer.replace(",", ";").split(";") if s.strip())

    def as_metadata(self) -> dict[str, str]:
        meta = {k: getattr(self, k) for k in KNOWN_COLUMNS if k != "file" and getattr(self, k)}
        meta.update({k: v for k, v in self.extra.items() if v})
        return meta


def _column_key(name: str) -> str:
    return "_".join(name.replace("\ufeff", "").strip().casefold().replace("-", " ").split())


def _delimiter(header: str) -> str:
    """The separator that makes the most known columns of the header line (a 'file' column first)."""
    def score(sep: str) -> tuple[int, int]:
        cells = [_ALIAS.get(_column_key(c)) for c in next(csv.reader([header], delimiter=sep), [])]
        return ("file" in cells, sum(1 for c in cells if c))
    return max(_DELIMITERS, key=score)


def _records(reader, path: Path, delimiter: str):
    """``(line, cells)`` of every CSV record, ``line`` where the record starts; a broken
    quote becomes an :class:`InputError` naming the line where the record began."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "end of data" in str(exc):
                message = _('a quote (") opened in this row is never closed')
            else:
                message = _("a value in quotes must be followed by the separator '{sep}'").format(sep=_shown(delimiter))
            raise InputError(path, message, line=start) from exc
        yield start, row


def _shown(delimiter: str) -> str:
    return "TAB" if delimiter == "\t" else delimiter


def read_metadata(path: str | Path) -> dict[str, list[Participant]]:
    """Participants by file name; raises :class:`InputError` with the CSV line at fault."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, _("no such metadata file"))
    text, _encoding = decode_bytes(read_file(path, MAX_TABLE_BYTES), path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = next((line for line in text.split("\n") if line.strip()), "")
    if not header:
        raise InputError(path, _("is empty (expected a header row with a 'file' column)"), line=1)
    delimiter = _delimiter(header)
    # strict: a quote left open would otherwise swallow every line after it into one cell.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    records = _records(reader, path, delimiter)
    raw_columns = next(r for _line, r in records if any(c.strip() for c in r))
    columns = [_ALIAS.get(_column_key(c), c.replace("\ufeff", "").strip()) for c in raw_columns]
    if "file" not in columns:
        shown = join_list([c.strip() for c in raw_columns if c.strip()]) or "-"
        raise InputError(path, _("has no 'file' (fil) column (columns: {columns})").format(columns=shown),
                         line=reader.line_num)
    by_file: dict[str, list[Participant]] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in records:
        named = len(columns)
        if any(c.strip() for c in row[named:]):
            raise InputError(
                path,
                ngettext("row has text in column {cells} but the header names only {columns} column"
                         " (a '{sep}' inside a value must be in quotes)",
                         "row has text in column {cells} but the header names only {columns} columns"
                         " (a '{sep}' inside a value must be in quotes)", named).format(
                    cells=max(i for i, c in enumerate(row) if c.strip()) + 1, columns=named,
                    sep=_shown(delimiter)),
                line=line,
            )
        values: dict[str, str] = {}
        for column, value in zip(columns, row):
            if column and value.strip() and not values.get(column):
                values[column] = value.strip()
        if not values.get("file"):
            if values:
                raise InputError(path, _("row has no file name in the 'file' column"), line=line)
            continue
        values["file"] = PureWindowsPath(values["file"]).name  # a path from Excel: the name is what counts
        if values.get("role", "").casefold() in ROLES:
            values["role"] = values["role"].casefold()
        key = (values["file"], values.get("speaker", "").casefold())
        if key in seen:
            raise InputError(
                path,
                _("speaker '{speaker}' of {file} is listed twice (first on line {first})").format(
                    speaker=values.get("speaker", ""), file=values["file"], first=seen[key]),
                line=line,
            )
        seen[key] = line
        participant = Participant(
            **{k: values.get(k, "") for k in KNOWN_COLUMNS},
            extra={k: v for k, v in values.items() if k not in KNOWN_COLUMNS},
            line=line,
        )
        by_file.setdefault(participant.file, []).append(participant)
    return by_file
