"""The project: one SQLite file holding documents, segments, codebook and codings.

``Project`` is a facade over the stores in :mod:`qualcode.store`; it holds no
SQL itself. Notebooks use it directly::

    from qualcode import Project
    with Project.open("studie.qcp") as project:
        project.segments_df()
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from qualcode.store.anonymised import AnonymisedStore
from qualcode.store.autocode import AutocodeStore
from qualcode.store.codebooks import CodebookStore
from qualcode.store.codings import CodingStore
from qualcode.store.db import Database
from qualcode.store.documents import DocumentStore
from qualcode.store.media import MediaStore
from qualcode.store.memos import MemoStore
from qualcode.store.ratings import QuoteRatingStore

PROJECT_SUFFIX = ".qcp"


class Project:
    """An open project file."""

    def __init__(self, db: Database):
        self.db = db
        self.documents = DocumentStore(db)
        self.codings = CodingStore(db)
        self.memos = MemoStore(db)
        self.codebook = CodebookStore(db)
        self.anonymised = AnonymisedStore(db)
        self.autocode_runs = AutocodeStore(db, self.codings)
        self.media = MediaStore(db)
        self.ratings = QuoteRatingStore(db)

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, read_only: bool = False) -> "Project":
        """Open (or, with ``create``, make) a project file; ``read_only`` for commands that only read."""
        return cls(Database(path, create=create, read_only=read_only))

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def is_empty(self) -> bool:
        """No documents and no codebook: nothing a user has stored."""
        return not self.documents.ids() and not self.codebook.code_ids(include_retired=True)

    @classmethod
    def in_memory(cls) -> "Project":
        return cls(Database(":memory:"))

    @property
    def path(self) -> Path | None:
        return self.db.path

    def blind(self, coder: str | None) -> None:
        """Blind mode: queries and DataFrames show only ``coder``'s codings (``None``: everyone's)."""
        self.codings.blind_coder = coder

    @property
    def blind_coder(self) -> str | None:
        return self.codings.blind_coder

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- DataFrames for notebooks --------------------------------------------
    def search(self, pattern: str, **options) -> pd.DataFrame:
        """Every hit of ``pattern`` (lemma-aware; ``regex=True``, ``role=``, ``code=``): one row per hit."""
        from qualcode.search import hits_frame, search

        return hits_frame(self, search(self, pattern, **options))

    def documents_df(self) -> pd.DataFrame:
        rows = []
        for d in self.documents.all():
            rows.append(
                {
                    "document_id": d.id,
                    "name": d.name,
                    "format": d.format,
                    "characters": len(d.text),
                    "words": len(d.text.split()),
                    "imported_at": d.imported_at,
                    **{f"meta_{k}": v for k, v in d.metadata.items()},
                }
            )
        return pd.DataFrame(rows, columns=None if rows else ["document_id", "name", "format", "characters", "words", "imported_at"])

    def turns_df(self, document_id: int | None = None) -> pd.DataFrame:
        ids = [document_id] if document_id is not None else self.documents.ids()
        rows = []
        for doc_id in ids:
            text = self.documents.get(doc_id).text
            for t in self.documents.turns(doc_id):
                rows.append(
                    {
                        "document_id": doc_id,
                        "turn": t.index,
                        "speaker": t.speaker,
                        "role": t.role,
                        "participant_id": t.participant_id,
                        "is_interviewer": t.is_interviewer,
                        "start": t.start,
                        "end": t.end,
                        "start_time": t.start_time,
                        "text": text[t.start : t.end],
                    }
                )
        return pd.DataFrame(rows, columns=["document_id", "turn", "speaker", "role", "participant_id", "is_interviewer", "start", "end", "start_time", "text"])

    def segments_df(self, unit: str = "sentence", document_id: int | None = None) -> pd.DataFrame:
        rows = [
            {
                "segment_id": s.id,
                "document_id": s.document_id,
                "turn": s.turn_index,
                "index": s.index,
                "speaker": s.speaker,
                "role": s.role,
                "is_interviewer": s.is_interviewer,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "lemmas": " ".join(s.lemmas),
            }
            for s in self.documents.segments(document_id, unit)
        ]
        return pd.DataFrame(rows, columns=["segment_id", "document_id", "turn", "index", "speaker", "role", "is_interviewer", "start", "end", "text", "lemmas"])

    def codings_df(self, **filters) -> pd.DataFrame:
        texts: dict[int, str] = {}
        rows = []
        for c in self.codings.query(**filters):
            if c.document_id not in texts:
                texts[c.document_id] = self.documents.get(c.document_id).text
            rows.append(
                {
                    "coding_id": c.id,
                    "document_id": c.document_id,
                    "start": c.start,
                    "end": c.end,
                    "code_id": c.code_id,
                    "coder": c.coder,
                    "status": c.status,
                    "source": c.source,
                    "score": c.score,
                    "created_at": c.created_at,
                    "decided_by": c.decided_by,
                    "decided_at": c.decided_at,
                    "text": texts[c.document_id][c.start : c.end],
                }
            )
        return pd.DataFrame(rows, columns=["coding_id", "document_id", "start", "end", "code_id", "coder", "status", "source", "score", "created_at", "decided_by", "decided_at", "text"])
