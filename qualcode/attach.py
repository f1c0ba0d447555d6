"""Attach or update participant metadata of documents already in a project.

``qualcode metadata FILE.csv --project P``: each document named in the CSV
gets the metadata of its rows, and every turn and segment its role,
participant id and interviewer flag derived again (as on import). Codings
are character spans in the document text, which this never touches, so
every coding stays exactly as it was. The whole update is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from qualcode.i18n import gettext as _
from qualcode.metadata import read_metadata
from qualcode.project import Project
from qualcode.roles import assign_roles

# Metadata that ties a document to participants; a new CSV replaces it rather than adding to it.
PARTICIPANT_KEYS = ("participant_id", "participant", "participants", "speaker", "role")


@dataclass(frozen=True)
class AttachReport:
    updated: tuple[str, ...] = ()  # documents whose metadata or turn roles changed
    unchanged: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def attach_metadata(project: Project, metadata_csv: str | Path) -> AttachReport:
    participants = read_metadata(metadata_csv)
    updated, unchanged, warnings = [], [], []
    names = set()
    with project.db.transaction():
        for header in project.documents.headers():
            names.add(header.name)
            rows = participants.get(header.name)
            if not rows:
                warnings.append(_("{name}: has no row in the metadata file; left as it was").format(name=header.name))
                continue
            turns = project.documents.turns(header.id)
            text = project.documents.get(header.id).text
            cleared = [replace(t, is_interviewer=False, role=None, participant_id=None) for t in turns]
            base = {k: v for k, v in header.metadata.items() if k not in PARTICIPANT_KEYS}
            new_turns, metadata, role_warnings = assign_roles(cleared, text, rows, base)
            warnings.extend(f"{header.name}: {w}" for w in role_warnings)
            if tuple(new_turns) == tuple(turns) and metadata == dict(header.metadata):
                unchanged.append(header.name)
                continue
            project.documents.set_metadata(header.id, metadata)
            project.documents.update_turn_roles(header.id, new_turns)
            updated.append(header.name)
    for name, rows in participants.items():
        if name not in names:
            warnings.append(_("{csv}:{line}: {name} is not in the project").format(
                csv=metadata_csv, line=rows[0].line, name=name))
    return AttachReport(tuple(updated), tuple(unchanged), tuple(warnings))
