"""SQL for documents, turns and segments."""

from __future__ import annotations

import json
from typing import Callable, Iterable, Iterator

from qualcode.models import Document, DocumentHeader, Segment, SegmentRow, Transcript, Turn
from qualcode.store.db import Database, utc_now
from qualcode.text import content_hash

_SEGMENT_COLUMNS = (
    "id, document_id, turn_idx, unit, idx, start_char, end_char, text, speaker,"
    " role, is_interviewer, lemmas"
)


class DocumentStore:
    def __init__(self, db: Database):
        self.db = db

    # -- writing ------------------------------------------------------------
    def add(self, transcript: Transcript, metadata: dict[str, str] | None = None) -> int:
        """Insert a transcript with its turns; returns the new document id.

        Callers wrap this and :meth:`replace_segments` in one transaction so a
        document never exists without its segments.
        """
        meta = dict(transcript.metadata)
        meta.update(metadata or {})
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO documents (name, source_path, format, encoding, text,"
                " content_hash, imported_at, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    transcript.name,
                    transcript.source_path,
                    transcript.format,
                    transcript.encoding,
                    transcript.text,
                    content_hash(transcript.text),
                    utc_now(),
                    json.dumps(meta, ensure_ascii=False, sort_keys=True),
                ),
            )
            doc_id = cur.lastrowid
            conn.executemany(
                "INSERT INTO turns (document_id, idx, speaker, start_char, end_char,"
                " start_time, is_interviewer, role, participant_id, end_time)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        doc_id,
                        t.index,
                        t.speaker,
                        t.start,
                        t.end,
                        t.start_time,
                        int(t.is_interviewer),
                        t.role,
                        t.participant_id,
                        t.end_time,
                    )
                    for t in transcript.turns
                ],
            )
        return doc_id

    def replace_segments(self, document_id: int, segments: Iterable[Segment]) -> int:
        """Replace all segments of a document. Codings are spans, so none moves."""
        return self.replace_segment_rows(
            document_id,
            (
                SegmentRow(s.turn_index, s.unit, s.index, s.start, s.end, s.text, s.speaker, s.role,
                           s.is_interviewer, " ".join(s.lemmas))
                for s in segments
            ),
        )

    def replace_segment_rows(self, document_id: int, rows: Iterable[SegmentRow]) -> int:
        """:meth:`replace_segments` for rows straight from :func:`qualcode.segment.segment_rows`."""
        count = 0

        def values():
            # Streamed: a long document's rows are never all in memory at once.
            nonlocal count
            for row in rows:
                count += 1
                yield (document_id, *row)

        with self.db.transaction() as conn:
            conn.execute("DELETE FROM segments WHERE document_id = ?", (document_id,))
            conn.executemany(
                "INSERT INTO segments (document_id, turn_idx, unit, idx, start_char,"
                " end_char, text, speaker, role, is_interviewer, lemmas)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values(),
            )
        return count

    def update_turn_roles(self, document_id: int, turns: Iterable[Turn]) -> None:
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE turns SET is_interviewer = ?, role = ?, participant_id = ?"
                " WHERE document_id = ? AND idx = ?",
                [
                    (int(t.is_interviewer), t.role, t.participant_id, document_id, t.index)
                    for t in turns
                ],
            )
            conn.executemany(
                "UPDATE segments SET is_interviewer = ?, role = ?"
                " WHERE document_id = ? AND turn_idx = ?",
                [(int(t.is_interviewer), t.role, document_id, t.index) for t in turns],
            )

    def set_metadata(self, document_id: int, metadata: dict[str, str]) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE documents SET metadata_json = ? WHERE id = ?",
                (json.dumps(metadata, ensure_ascii=False, sort_keys=True), document_id),
            )

    # -- reading ------------------------------------------------------------
    def get(self, document_id: int) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            raise KeyError(document_id)
        return _document(row)

    def by_hash(self, digest: str) -> Document | None:
        row = self.db.execute(
            "SELECT * FROM documents WHERE content_hash = ?", (digest,)
        ).fetchone()
        return _document(row) if row else None

    def hashes_and_names(self) -> tuple[set[str], set[str]]:
        """Content hashes and names of every document (what an import must not add again)."""
        rows = self.db.execute("SELECT content_hash, name FROM documents").fetchall()
        return {r[0] for r in rows}, {r[1] for r in rows}

    def by_name(self, name: str) -> Document | None:
        row = self.db.execute("SELECT * FROM documents WHERE name = ?", (name,)).fetchone()
        return _document(row) if row else None

    def all(self) -> list[Document]:
        return [_document(r) for r in self.db.execute("SELECT * FROM documents ORDER BY id")]

    def headers(self) -> list[DocumentHeader]:
        """Every document without its text, in id order (cheap at any corpus size)."""
        rows = self.db.execute(
            "SELECT id, name, content_hash, format, source_path, imported_at, metadata_json FROM documents ORDER BY id"
        )
        return [
            DocumentHeader(r["id"], r["name"], r["content_hash"], r["format"], r["source_path"], r["imported_at"],
                           json.loads(r["metadata_json"]))
            for r in rows
        ]

    def slicer(self) -> "TextSlicer":
        """Cut spans out of stored texts without loading whole documents needlessly."""
        return TextSlicer(self._text_slice, self._text)

    def _text_slice(self, document_id: int, start: int, end: int) -> str | None:
        if end <= start:
            return ""
        row = self.db.execute(
            "SELECT substr(text, ?, ?) FROM documents WHERE id = ?", (start + 1, end - start, document_id)
        ).fetchone()
        return row[0] if row is not None else None

    def _text(self, document_id: int) -> str | None:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row is not None else None

    def ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY id")]

    def turns(self, document_id: int) -> list[Turn]:
        rows = self.db.execute(
            "SELECT * FROM turns WHERE document_id = ? ORDER BY idx", (document_id,)
        )
        return [turn_from_row(r) for r in rows]

    def segments(
        self,
        document_id: int | None = None,
        unit: str = "sentence",
        *,
        include_interviewer: bool = True,
    ) -> Iterator[Segment]:
        """Segments in document order; streamed, so large projects stay small in memory."""
        where, params = _segment_filter(document_id, unit, include_interviewer)
        for row in self.db.execute(f"SELECT {_SEGMENT_COLUMNS} FROM segments{where} ORDER BY document_id, idx", params):
            yield _segment(row)

    def segment_ids(
        self, document_id: int | None = None, unit: str = "sentence", *, include_interviewer: bool = True
    ) -> list[int]:
        """Ids of :meth:`segments`, in the same order, without building the segments."""
        where, params = _segment_filter(document_id, unit, include_interviewer)
        return [r[0] for r in self.db.execute(f"SELECT id FROM segments{where} ORDER BY document_id, idx", params)]

    def segment(self, segment_id: int) -> Segment:
        row = self.db.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE id = ?", (segment_id,)
        ).fetchone()
        if row is None:
            raise KeyError(segment_id)
        return _segment(row)

    def segments_overlapping(
        self, document_id: int, start: int, end: int, unit: str = "sentence"
    ) -> list[Segment]:
        rows = self.db.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE document_id = ? AND unit = ?"
            " AND start_char < ? AND end_char > ? ORDER BY idx",
            (document_id, unit, end, start),
        )
        return [_segment(r) for r in rows]

    def sentences_around(self, document_id: int, start: int, end: int, margin: int) -> list[tuple[int, int, int]]:
        """(start, end, turn index) of the sentences within ``margin`` characters of [start, end), in order; no text.

        What widening a quote to whole sentences needs: two index range look-ups
        per quote, however long the interview (a report quotes thousands).
        """
        rows = [tuple(r) for r in self.db.execute(
            "SELECT start_char, end_char, turn_idx FROM segments WHERE document_id = ? AND unit = 'sentence'"
            " AND start_char >= ? AND start_char < ? ORDER BY start_char",
            (document_id, start - 2 * margin, end + margin),
        )]
        if not rows or rows[0][0] > start:
            # The sentence holding ``start`` may begin before the window (a very long sentence).
            before = self.db.execute(
                "SELECT start_char, end_char, turn_idx FROM segments WHERE document_id = ? AND unit = 'sentence'"
                " AND start_char <= ? ORDER BY start_char DESC LIMIT 1",
                (document_id, start),
            ).fetchone()
            if before is not None and tuple(before) not in rows:
                rows.insert(0, tuple(before))
        return rows

    def count_segments(
        self, unit: str = "sentence", *, document_id: int | None = None, include_interviewer: bool = True
    ) -> int:
        where, params = _segment_filter(document_id, unit, include_interviewer)
        return self.db.execute(f"SELECT count(*) FROM segments{where}", params).fetchone()[0]


def turn_from_row(row, prefix: str = "") -> Turn | None:
    """A turn from a row of ``turns`` (its columns named with ``prefix`` in a join; ``None`` if absent)."""
    if row[f"{prefix}idx"] is None:
        return None
    return Turn(
        index=row[f"{prefix}idx"],
        speaker=row[f"{prefix}speaker"],
        start=row[f"{prefix}start_char"],
        end=row[f"{prefix}end_char"],
        start_time=row[f"{prefix}start_time"],
        is_interviewer=bool(row[f"{prefix}is_interviewer"]),
        role=row[f"{prefix}role"],
        participant_id=row[f"{prefix}participant_id"],
        end_time=row[f"{prefix}end_time"],
    )


def _segment_filter(document_id: int | None, unit: str, include_interviewer: bool) -> tuple[str, list]:
    """The WHERE clause shared by the segment listings (with a leading space)."""
    clauses, params = ["unit = ?"], [unit]
    if document_id is not None:
        clauses.append("document_id = ?")
        params.append(document_id)
    if not include_interviewer:
        clauses.append("is_interviewer = 0")
    return " WHERE " + " AND ".join(clauses), params


class TextSlicer:
    """Slices ``text[start:end]`` (character offsets) of stored texts, fetched as cheaply as they are asked for.

    The first few slices of a text are cut in SQL by ``cut`` (``substr``
    counts characters, as the offsets do), so a one-code quote listing reads
    only the quotes; a text asked for often is fetched whole by ``load`` once
    and sliced in memory. Both return ``None`` when the text is not there;
    the slicer then raises ``missing(text_id)``. Serves the documents
    (:meth:`DocumentStore.slicer`) and the anonymisation cache alike.
    """

    LOAD_AFTER = 16  # slices of one text before the whole of it is worth loading

    def __init__(
        self,
        cut: Callable[[int, int, int], str | None],
        load: Callable[[int], str | None],
        missing: Callable[[int], Exception] = KeyError,
    ):
        self._cut = cut
        self._load = load
        self._missing = missing
        self._asked: dict[int, int] = {}
        self._texts: dict[int, str] = {}

    def __call__(self, text_id: int, start: int, end: int) -> str:
        text = self._texts.get(text_id)
        if text is not None:
            return text[start:end]
        asked = self._asked[text_id] = self._asked.get(text_id, 0) + 1
        if asked > self.LOAD_AFTER:
            text = self._load(text_id)
            if text is not None:
                self._texts[text_id] = text
                return text[start:end]
        else:
            text = self._cut(text_id, start, end)
        if text is None:
            raise self._missing(text_id)
        return text


def _document(row) -> Document:
    return Document(
        id=row["id"],
        name=row["name"],
        text=row["text"],
        content_hash=row["content_hash"],
        format=row["format"],
        source_path=row["source_path"],
        imported_at=row["imported_at"],
        metadata=json.loads(row["metadata_json"]),
    )


def _segment(row) -> Segment:
    return Segment(
        id=row["id"],
        document_id=row["document_id"],
        turn_index=row["turn_idx"],
        unit=row["unit"],
        index=row["idx"],
        start=row["start_char"],
        end=row["end_char"],
        text=row["text"],
        speaker=row["speaker"],
        role=row["role"],
        is_interviewer=bool(row["is_interviewer"]),
        lemmas=tuple(row["lemmas"].split()) if row["lemmas"] else (),
    )
