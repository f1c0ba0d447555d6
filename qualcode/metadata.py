"""The participant metadata CSV: which file, which speaker label, which role.

Columns: ``file`` (required), ``participant_id``, ``speaker``, ``role``,
``title``, ``municipality``, ``department``, ``date``, ``interviewer``; any
further column is kept as extra metadata. One row per participant, so a
group interview has several rows for one file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from qualcode.errors import InputError
from qualcode.limits import MAX_TABLE_BYTES, read_file
from qualcode.readers.encoding import decode_bytes

KNOWN_COLUMNS = ("file", "participant_id", "speaker", "role", "title", "municipality", "department", "date", "interviewer")


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
        return tuple(s.strip() for s in self.interviewer.split(";") if s.strip())

    def as_metadata(self) -> dict[str, str]:
        meta = {k: getattr(self, k) for k in KNOWN_COLUMNS if k != "file" and getattr(self, k)}
        meta.update({k: v for k, v in self.extra.items() if v})
        return meta


def read_metadata(path: str | Path) -> dict[str, list[Participant]]:
    """Participants by file name; raises :class:`InputError` with the CSV line at fault."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such metadata file")
    text, _ = decode_bytes(read_file(path, MAX_TABLE_BYTES), path)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise InputError(path, "is empty (expected a header row with a 'file' column)", line=1)
    columns = [c.strip() for c in reader.fieldnames]
    if "file" not in columns:
        raise InputError(path, f"has no 'file' column (columns: {', '.join(columns)})", line=1)
    by_file: dict[str, list[Participant]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        values = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not values.get("file"):
            if any(values.values()):
                raise InputError(path, "row has no file name in the 'file' column", line=line)
            continue
        key = (values["file"], values.get("speaker", "").casefold())
        if key in seen:
            raise InputError(
                path,
                f"speaker '{values.get('speaker', '')}' of {values['file']} is listed twice (first on line {seen[key]})",
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
