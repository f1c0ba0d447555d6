"""Recorded schema migrations for the project file.

Each migration runs once, in order, inside one transaction, and is recorded in
``schema_migrations``. Never edit a released migration: add a new one, so
every project file, old or new, reaches the same schema by the same path.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    id: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents_turns_segments_codings",
        """
        CREATE TABLE documents (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL UNIQUE,
            source_path   TEXT NOT NULL,
            format        TEXT NOT NULL,
            encoding      TEXT NOT NULL,
            text          TEXT NOT NULL,
            content_hash  TEXT NOT NULL UNIQUE,
            imported_at   TEXT NOT NULL,
            metadata_json TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE turns (
            id             INTEGER PRIMARY KEY,
            document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx            INTEGER NOT NULL,
            speaker        TEXT NOT NULL,
            start_char     INTEGER NOT NULL,
            end_char       INTEGER NOT NULL,
            start_time     REAL,
            is_interviewer INTEGER NOT NULL DEFAULT 0,
            role           TEXT,
            participant_id TEXT,
            UNIQUE (document_id, idx),
            CHECK (start_char <= end_char)
        );
        CREATE TABLE segments (
            id             INTEGER PRIMARY KEY,
            document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            turn_idx       INTEGER NOT NULL,
            unit           TEXT NOT NULL CHECK (unit IN ('sentence', 'turn')),
            idx            INTEGER NOT NULL,
            start_char     INTEGER NOT NULL,
            end_char       INTEGER NOT NULL,
            text           TEXT NOT NULL,
            speaker        TEXT NOT NULL,
            role           TEXT,
            is_interviewer INTEGER NOT NULL DEFAULT 0,
            lemmas         TEXT NOT NULL DEFAULT '',
            UNIQUE (document_id, unit, idx),
            CHECK (start_char < end_char)
        );
        CREATE INDEX segments_by_position ON segments (document_id, unit, start_char);

        CREATE TABLE codebook_versions (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            version    TEXT NOT NULL,
            source     TEXT,
            snapshot   TEXT NOT NULL,
            added_by   TEXT NOT NULL,
            added_at   TEXT NOT NULL
        );
        CREATE TABLE codes (
            code_id      TEXT PRIMARY KEY,
            parent_id    TEXT REFERENCES codes(code_id),
            name         TEXT NOT NULL,
            definition   TEXT NOT NULL DEFAULT '',
            include_text TEXT NOT NULL DEFAULT '',
            exclude_text TEXT NOT NULL DEFAULT '',
            examples     TEXT NOT NULL DEFAULT '[]',
            keywords     TEXT NOT NULL DEFAULT '[]',
            color        TEXT,
            position     INTEGER NOT NULL DEFAULT 0,
            status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
            version_id   INTEGER REFERENCES codebook_versions(id)
        );
        CREATE TABLE codebook_changes (
            id         INTEGER PRIMARY KEY,
            operation  TEXT NOT NULL,
            code_id    TEXT,
            details    TEXT NOT NULL DEFAULT '{}',
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );

        CREATE TABLE codings (
            id           INTEGER PRIMARY KEY,
            document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE RESTRICT,
            start_char   INTEGER NOT NULL,
            end_char     INTEGER NOT NULL,
            code_id      TEXT NOT NULL REFERENCES codes(code_id) ON UPDATE CASCADE,
            coder        TEXT NOT NULL,
            status       TEXT NOT NULL
                CHECK (status IN ('suggested', 'accepted', 'rejected', 'needs_review', 'superseded')),
            source       TEXT NOT NULL CHECK (source IN ('human', 'machine', 'consensus')),
            score        REAL,
            reason       TEXT,
            created_at   TEXT NOT NULL,
            decided_by   TEXT,
            decided_at   TEXT,
            shown_score  REAL,
            CHECK (start_char < end_char)
        );
        CREATE INDEX codings_by_code ON codings (code_id, status);
        CREATE INDEX codings_by_position ON codings (document_id, start_char);

        -- Every change to a coding, so history survives recoding, merging and retiring.
        CREATE TABLE coding_events (
            id         INTEGER PRIMARY KEY,
            coding_id  INTEGER NOT NULL REFERENCES codings(id),
            action     TEXT NOT NULL,
            actor      TEXT NOT NULL,
            at         TEXT NOT NULL,
            details    TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX coding_events_by_coding ON coding_events (coding_id);

        CREATE TABLE memos (
            id          INTEGER PRIMARY KEY,
            author      TEXT NOT NULL,
            text        TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id),
            start_char  INTEGER,
            end_char    INTEGER,
            code_id     TEXT,
            coding_id   INTEGER REFERENCES codings(id)
        );

        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "anonymised_documents_cache",
        """
        -- Anonymised documents, so a quote listing after the first anonymisation only slices.
        -- A row is valid only while its fingerprint (anonymiser settings, detection version,
        -- register, every document and its participants) is the current one and the pseudonym
        -- key file is the one recorded in anonymisation_state (qualcode/store/anonymised.py).
        -- A quote is cut with original_length and offsets_json alone (start, end, new_start, new_end
        -- of every replacement as one flat int list) and a substr of text, while replacements_json and
        -- review_json keep the whole record, for reading a document back exactly as anonymised.
        CREATE TABLE anonymised_documents (
            document_id       INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            fingerprint       TEXT NOT NULL,
            text              TEXT NOT NULL,
            original_length   INTEGER NOT NULL,
            offsets_json      TEXT NOT NULL,
            replacements_json TEXT NOT NULL,
            review_json       TEXT NOT NULL,
            created_at        TEXT NOT NULL
        );
        -- Pseudonyms the anonymiser gave bare municipality names ("Kommune A"), same validity.
        CREATE TABLE anonymised_labels (
            name        TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            label       TEXT,
            created_at  TEXT NOT NULL
        );
        -- One row: the fingerprint the cache belongs to and the key file's hash after its last write.
        CREATE TABLE anonymisation_state (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            fingerprint TEXT NOT NULL,
            key_hash    TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        -- The fingerprint reads each document's distinct speakers: a covering index spares that
        -- read a sort of every turn each time a listing opens the cache.
        CREATE INDEX turns_by_speaker ON turns (document_id, speaker, is_interviewer, role);
        """,
    ),
    Migration(
        3,
        "turns_by_start",
        """
        -- Finding the turn a coding starts in (quote listings) by offset.
        CREATE INDEX turns_by_start ON turns (document_id, start_char);
        """,
    ),
    Migration(
        6,
        "autocode_media_links",
        """
        -- Autocoding: codings made from a search get source 'autocode'. SQLite cannot change the
        -- CHECK on codings.source in place, so the table is rebuilt: every row is copied out,
        -- the table recreated with the wider CHECK and the rows copied back with their ids.
        -- coding_events and memos keep pointing at the same ids: Database.migrate defers
        -- foreign-key checks to the commit and checks them before it, so a rebuild that lost
        -- a row would roll the whole migration back. (A PostgreSQL backend does the same with
        -- ALTER TABLE codings DROP CONSTRAINT / ADD CONSTRAINT.)
        CREATE TABLE codings_before_6 AS SELECT * FROM codings;
        DROP TABLE codings;
        CREATE TABLE codings (
            id           INTEGER PRIMARY KEY,
            document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE RESTRICT,
            start_char   INTEGER NOT NULL,
            end_char     INTEGER NOT NULL,
            code_id      TEXT NOT NULL REFERENCES codes(code_id) ON UPDATE CASCADE,
            coder        TEXT NOT NULL,
            status       TEXT NOT NULL
                CHECK (status IN ('suggested', 'accepted', 'rejected', 'needs_review', 'superseded')),
            source       TEXT NOT NULL CHECK (source IN ('human', 'machine', 'consensus', 'autocode')),
            score        REAL,
            reason       TEXT,
            created_at   TEXT NOT NULL,
            decided_by   TEXT,
            decided_at   TEXT,
            shown_score  REAL,
            CHECK (start_char < end_char)
        );
        INSERT INTO codings (id, document_id, start_char, end_char, code_id, coder, status, source, score,
                             reason, created_at, decided_by, decided_at, shown_score)
            SELECT id, document_id, start_char, end_char, code_id, coder, status, source, score,
                   reason, created_at, decided_by, decided_at, shown_score
            FROM codings_before_6 ORDER BY id;
        DROP TABLE codings_before_6;
        CREATE INDEX codings_by_code ON codings (code_id, status);
        CREATE INDEX codings_by_position ON codings (document_id, start_char);

        -- One autocode command: what was searched, how hits became codings, and whether it was undone.
        CREATE TABLE autocode_runs (
            id          INTEGER PRIMARY KEY,
            pattern     TEXT NOT NULL,
            mode        TEXT NOT NULL CHECK (mode IN ('lemma', 'regex')),
            unit        TEXT NOT NULL CHECK (unit IN ('sentence', 'turn', 'hit')),
            code_id     TEXT NOT NULL REFERENCES codes(code_id) ON UPDATE CASCADE,
            coder       TEXT NOT NULL,
            status      TEXT NOT NULL CHECK (status IN ('suggested', 'accepted')),
            filters     TEXT NOT NULL DEFAULT '{}',
            created_at  TEXT NOT NULL,
            undone_by   TEXT,
            undone_at   TEXT
        );
        -- The codings a run made (undoing the run changes their status, nothing is deleted).
        CREATE TABLE autocode_codings (
            run_id    INTEGER NOT NULL REFERENCES autocode_runs(id),
            coding_id INTEGER NOT NULL REFERENCES codings(id),
            PRIMARY KEY (run_id, coding_id)
        );
        CREATE INDEX autocode_codings_by_coding ON autocode_codings (coding_id);

        -- A document's recording: a path on the user's machine, never the file itself.
        CREATE TABLE media_links (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            path        TEXT NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
            linked_by   TEXT NOT NULL,
            linked_at   TEXT NOT NULL
        );
        """,
    ),
)
