"""Import transcript files into a project: read, attach roles, segment, store.

Each file is one transaction: a document is stored with its turns and
segments or not at all. Re-importing identical content is a no-op (content
hash); a file whose name is known but whose content changed is reported and
left alone, never silently duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from tqdm.auto import tqdm

from qualcode.errors import InputError
from qualcode.metadata import Participant, read_metadata
from qualcode.models import Transcript
from qualcode.project import Project
from qualcode.readers import DEFAULT_MAX_BYTES, read_transcript
from qualcode.roles import assign_roles
from qualcode.segment import segment_document
from qualcode.text import content_hash


@dataclass(frozen=True)
class ImportedDocument:
    path: str
    document_id: int
    turns: int
    sentences: int
    speakers: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[ImportedDocument, ...] = ()
    unchanged: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed and not self.changed


def prepare(
    path: str | Path,
    participants: Sequence[Participant] = (),
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Transcript, list[str]]:
    """Read a file and attach roles; no project involved."""
    known = [p.speaker for p in participants if p.speaker]
    known += [label for p in participants for label in p.interviewer_labels]
    transcript = read_transcript(path, known_speakers=known, max_bytes=max_bytes)
    turns, metadata, warnings = assign_roles(transcript.turns, transcript.text, participants, transcript.metadata)
    transcript = replace(transcript, turns=turns, metadata=metadata)
    return transcript, [f"{transcript.source_path}: {w}" for w in warnings] + list(transcript.warnings)


def import_files(
    project: Project,
    paths: Iterable[str | Path],
    *,
    metadata_csv: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    model: str | None = None,
    progress: bool = True,
) -> ImportReport:
    """Import files into ``project``; bad files are reported, good ones imported."""
    participants = read_metadata(metadata_csv) if metadata_csv else {}
    paths = [Path(p) for p in paths]
    imported, unchanged, changed, failed, warnings = [], [], [], [], []
    for path in tqdm(paths, desc="Importerer", unit="fil", disable=not progress or len(paths) < 2):
        try:
            transcript, file_warnings = prepare(path, participants.get(path.name, ()), max_bytes=max_bytes)
        except InputError as exc:
            failed.append((str(path), exc.message))
            continue
        digest = content_hash(transcript.text)
        if project.documents.by_hash(digest) is not None:
            unchanged.append(str(path))
            continue
        if project.documents.by_name(transcript.name) is not None:
            changed.append(str(path))
            warnings.append(
                f"{path}: a different version of {transcript.name} is already in the project; not imported"
            )
            continue
        warnings.extend(file_warnings)
        imported.append(store_transcript(project, transcript, model=model))
    return ImportReport(tuple(imported), tuple(unchanged), tuple(changed), tuple(failed), tuple(warnings))


def store_transcript(project: Project, transcript: Transcript, *, model: str | None = None) -> ImportedDocument:
    """Store a transcript with its segments in one transaction."""
    # Segment before opening the transaction: spaCy work does not hold the write lock.
    segments = segment_document(0, transcript.text, transcript.turns, model=model)
    with project.db.transaction():
        doc_id = project.documents.add(transcript)
        # replace_segments stores every segment under doc_id (they were made before the id existed).
        project.documents.replace_segments(doc_id, segments)
    return ImportedDocument(
        path=transcript.source_path,
        document_id=doc_id,
        turns=len(transcript.turns),
        sentences=sum(1 for s in segments if s.unit == "sentence"),
        speakers=tuple(dict.fromkeys(t.speaker for t in transcript.turns)),
    )


def resegment(project: Project, document_ids: Sequence[int] | None = None, *, model: str | None = None) -> int:
    """Recompute segments from stored text and turns; codings (spans) are untouched."""
    total = 0
    for doc_id in document_ids or project.documents.ids():
        doc = project.documents.get(doc_id)
        segments = segment_document(doc_id, doc.text, project.documents.turns(doc_id), model=model)
        total += project.documents.replace_segments(doc_id, segments)
    return total
