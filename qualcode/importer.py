"""Import transcript files into a project: read, attach roles, segment, store.

Each file is one transaction: a document is stored with its turns and
segments or not at all. Re-importing identical content is a no-op (content
hash); a file whose name is known but whose content changed is reported and
left alone, never silently duplicated.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from tqdm.auto import tqdm

from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.i18n import resolve_lang, use_language
from qualcode.metadata import Participant, read_metadata
from qualcode.models import ReadingNotes, SegmentRow, Transcript
from qualcode.project import Project
from qualcode.readers import DEFAULT_MAX_BYTES, read_transcript
from qualcode.roles import assign_roles
from qualcode.segment import iter_segment_rows, segment_rows
from qualcode.text import content_hash


@dataclass(frozen=True)
class ImportedDocument:
    path: str
    document_id: int
    turns: int
    sentences: int
    speakers: tuple[str, ...]  # in order of first appearance; "" is the unknown speaker
    notes: ReadingNotes = ReadingNotes()
    turns_by_speaker: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[ImportedDocument, ...] = ()
    unchanged: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    # (path, name): a file whose text is already in the project under another name
    duplicates: tuple[tuple[str, str], ...] = ()

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


def metadata_warnings(paths: Sequence[Path], participants: dict[str, list[Participant]]) -> list[str]:
    """A warning for each file that has no row in the metadata CSV."""
    return [
        _("{path}: has no row in the metadata file; imported without role or participant").format(path=path)
        for path in paths if path.name not in participants
    ]


# Below this many files a process pool costs more to start than it saves.
PARALLEL_MIN_FILES = 64


@dataclass(frozen=True)
class PreparedFile:
    """A file read, attributed and segmented, ready to be stored (or why it was not)."""

    path: str
    transcript: Transcript | None = None
    digest: str = ""  # content hash of the transcript's text
    warnings: tuple[str, ...] = ()
    rows: tuple[SegmentRow, ...] | None = None  # None: known content or name, not segmented
    error: str | None = None


# A worker hands back a file's rows, which cost several times its text; above this many
# characters the writing process segments the file itself, streaming the rows into the store.
SEGMENT_IN_WORKER_MAX_CHARS = 1_000_000


def prepare_file(
    path: Path,
    participants: Sequence[Participant],
    max_bytes: int,
    model: str | None,
    known_hashes: frozenset[str] = frozenset(),
    known_names: frozenset[str] = frozenset(),
    lang: str | None = None,
    *,
    segment: bool = True,
) -> PreparedFile:
    """Read (and, with ``segment``, segment) one file; no project involved, so it can run in a worker process.

    ``lang``: the language of messages, passed on because a worker process does
    not inherit the caller's :func:`~qualcode.i18n.use_language`.
    """
    with use_language(lang):
        return _prepare_file(path, participants, max_bytes, model, known_hashes, known_names, segment)


def _prepare_file(path, participants, max_bytes, model, known_hashes, known_names, segment=True) -> PreparedFile:
    try:
        transcript, warnings = prepare(path, participants, max_bytes=max_bytes)
    except InputError as exc:
        return PreparedFile(str(path), error=exc.message)
    digest = content_hash(transcript.text)
    if not segment or digest in known_hashes or transcript.name in known_names or len(transcript.text) > SEGMENT_IN_WORKER_MAX_CHARS:
        # Nothing will be stored (so nothing needs segmenting), or the writer streams the rows.
        return PreparedFile(str(path), transcript, digest, tuple(warnings))
    rows = tuple(segment_rows(transcript.text, transcript.turns, model=model))
    return PreparedFile(str(path), transcript, digest, tuple(warnings), rows)


def import_files(
    project: Project,
    paths: Iterable[str | Path],
    *,
    metadata_csv: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    model: str | None = None,
    progress: bool = True,
    workers: int | None = 0,
) -> ImportReport:
    """Import files into ``project``; bad files are reported, good ones imported.

    ``workers``: processes that read and segment while this one writes the
    project. 0 or 1 (the default): everything in this process. ``None``: one
    per core when there are many files. Results are stored in the order of
    ``paths`` either way, so the project is the same. Worker processes start
    Python afresh, so a script that uses them must guard its own code with
    ``if __name__ == "__main__":`` (notebooks and the CLI need nothing).
    """
    participants = read_metadata(metadata_csv) if metadata_csv else {}
    paths = [Path(p) for p in paths]
    if metadata_csv:
        # "qualcode import folder/* --metadata folder/metadata.csv": the CSV is not a transcript.
        paths = [p for p in paths if p.resolve() != Path(metadata_csv).resolve()]
    imported, unchanged, changed, failed, warnings, duplicates = [], [], [], [], [], []
    if metadata_csv:
        warnings.extend(metadata_warnings(paths, participants))
    known_hashes, known_names = project.documents.hashes_and_names()
    jobs = [(path, tuple(participants.get(path.name, ()))) for path in paths]
    prepared = _prepare_all(jobs, max_bytes, model, _worker_count(workers, len(paths)), frozenset(known_hashes), frozenset(known_names))
    for item in tqdm(prepared, total=len(paths), desc=_("Importing"), unit=_("file"), disable=not progress or len(paths) < 2):
        path = item.path
        if item.error is not None:
            failed.append((path, item.error))
            continue
        transcript = item.transcript
        same_text = project.documents.by_hash(item.digest)
        if same_text is not None:
            if same_text.name == transcript.name:
                unchanged.append(path)
            else:
                duplicates.append((path, same_text.name))
            continue
        if project.documents.by_name(transcript.name) is not None:
            changed.append(path)
            warnings.append(
                _("{path}: a different version of {name} is already in the project; not imported").format(
                    path=path, name=transcript.name)
            )
            continue
        warnings.extend(item.warnings)
        rows = item.rows
        if rows is None:
            # Segmented here, a chunk of turns at a time, straight into the store.
            rows = iter_segment_rows(transcript.text, transcript.turns, model=model)
        imported.append(_store(project, transcript, rows))
    return ImportReport(tuple(imported), tuple(unchanged), tuple(changed), tuple(failed), tuple(warnings), tuple(duplicates))


def _worker_count(workers: int | None, files: int) -> int:
    if workers is not None:
        return max(0, workers)
    return (os.cpu_count() or 1) if files >= PARALLEL_MIN_FILES else 0


def _prepare_all(jobs, max_bytes, model, workers, known_hashes, known_names) -> Iterator[PreparedFile]:
    if workers <= 1:
        for path, participants in jobs:
            yield _prepare_file(path, participants, max_bytes, model, known_hashes, known_names, segment=False)
        return
    yield from _prepare_in_pool(jobs, max_bytes, model, workers, known_hashes, known_names)


def _prepare_in_pool(jobs, max_bytes, model, workers, known_hashes, known_names) -> Iterator[PreparedFile]:
    """Prepare files in worker processes, yielding results in job order.

    At most a few files are in flight per worker, so a slow writer never lets
    finished transcripts pile up in memory.
    """
    methods = multiprocessing.get_all_start_methods()
    # forkserver: workers fork from a clean server that has already imported
    # spaCy, so they start fast without inheriting this process's threads or
    # open project file; spawn elsewhere.
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["qualcode.importer"])
    window = 2 * workers + 1
    lang = resolve_lang()
    pending: deque = deque()
    todo = iter(jobs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        def submit_next() -> None:
            job = next(todo, None)
            if job is not None:
                pending.append(pool.submit(prepare_file, job[0], job[1], max_bytes, model, known_hashes, known_names, lang))

        for _slot in range(window):
            submit_next()
        while pending:
            result = pending.popleft().result()
            submit_next()
            yield result


def store_transcript(project: Project, transcript: Transcript, *, model: str | None = None) -> ImportedDocument:
    """Segment a transcript and store it with its segments in one transaction."""
    return _store(project, transcript, iter_segment_rows(transcript.text, transcript.turns, model=model))


def _store(project: Project, transcript: Transcript, rows: Iterable[SegmentRow]) -> ImportedDocument:
    sentences = 0

    def counted() -> Iterator[SegmentRow]:
        nonlocal sentences
        for row in rows:
            sentences += row.unit == "sentence"
            yield row

    with project.db.transaction():
        doc_id = project.documents.add(transcript)
        # The rows were made (or are made now) without the document's id.
        project.documents.replace_segment_rows(doc_id, counted())
    by_speaker = Counter(t.speaker for t in transcript.turns)
    return ImportedDocument(
        path=transcript.source_path,
        document_id=doc_id,
        turns=len(transcript.turns),
        sentences=sentences,
        speakers=tuple(by_speaker),
        notes=transcript.notes,
        turns_by_speaker=tuple(by_speaker.items()),
    )


def resegment(project: Project, document_ids: Sequence[int] | None = None, *, model: str | None = None) -> int:
    """Recompute segments from stored text and turns; codings (spans) are untouched."""
    total = 0
    for doc_id in document_ids or project.documents.ids():
        doc = project.documents.get(doc_id)
        rows = iter_segment_rows(doc.text, project.documents.turns(doc_id), model=model)
        total += project.documents.replace_segment_rows(doc_id, rows)
    return total
