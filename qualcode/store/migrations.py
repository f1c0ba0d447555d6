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
    # (table, old text, new text): rebuild the table from its CREATE statement with the text
    # replaced, before ``sql`` runs (how SQLite changes a CHECK constraint; see Database.migrate).
    rebuild: tuple[tuple[str, str, str], ...] = ()


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
        4,
        "one_open_suggestion_per_span_code_coder",
        """
        -- Two suggestion runs at once stored the same suggestion twice. A suggestion is identified
        -- by its document, span, code and the coder it is for, and while it is open (status
        -- 'suggested') there may be one. Duplicates already stored keep their rows and history:
        -- all but the first are marked 'superseded', with an event saying why.
        INSERT INTO coding_events (coding_id, action, actor, at, details)
            SELECT c.id, 'duplicate_suggestion', 'qualcode', replace(CAST(CURRENT_TIMESTAMP AS TEXT), ' ', 'T') || '+00:00',
                   '{"from": "suggested", "to": "superseded"}'
            FROM codings c
            WHERE c.status = 'suggested' AND EXISTS (
                SELECT 1 FROM codings d
                WHERE d.status = 'suggested' AND d.document_id = c.document_id AND d.start_char = c.start_char
                  AND d.end_char = c.end_char AND d.code_id = c.code_id AND d.coder = c.coder AND d.id < c.id);
        UPDATE codings SET status = 'superseded'
            WHERE status = 'suggested' AND id IN (
                SELECT coding_id FROM coding_events WHERE action = 'duplicate_suggestion');
        CREATE UNIQUE INDEX codings_one_open_suggestion
            ON codings (document_id, start_char, end_char, code_id, coder) WHERE status = 'suggested';
        """,
    ),
    Migration(
        5,
        "turn_end_times_and_unknown_speaker",
        """
        -- Subtitle cues and tables give the time a turn ends as well as when it starts.
        ALTER TABLE turns ADD COLUMN end_time REAL;
        -- The unknown speaker is stored as an empty label, never as a word of one language: the
        -- label users see ("Ukendt", "Unknown") is rendered when shown. Until now the readers
        -- wrote the Danish word, so turns and segments that carry it are the unknown speaker.
        UPDATE turns SET speaker = '' WHERE speaker = 'Ukendt';
        UPDATE segments SET speaker = '' WHERE speaker = 'Ukendt';
        """,
    ),
    Migration(
        6,
        "autocode_media_links",
        """
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
        # Autocoding: codings made from a search get source 'autocode'. SQLite cannot change the
        # CHECK on codings.source in place, so Database.migrate rebuilds the table from its own
        # CREATE statement with the CHECK widened, keeping every column (those later migrations
        # added too), row and id; coding_events and memos keep pointing at the same ids (foreign
        # keys are checked before the commit). A PostgreSQL backend does the same with
        # ALTER TABLE codings DROP CONSTRAINT / ADD CONSTRAINT.
        rebuild=(("codings", "CHECK (source IN ('human', 'machine', 'consensus'))",
                  "CHECK (source IN ('human', 'machine', 'consensus', 'autocode'))"),),
    ),
    Migration(
        7,
        "refi_exchange",
        """
        -- REFI-QDA exchange (issue 17): what other tools' files hold that qualcode must give back
        -- unchanged. GUIDs are kept as they came in, so a project exported back to NVivo, ATLAS.ti
        -- or MAXQDA updates that tool's objects instead of duplicating them.
        ALTER TABLE codes ADD COLUMN guid TEXT;
        ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1 CHECK (codable IN (0, 1));
        CREATE UNIQUE INDEX codes_by_guid ON codes (guid);
        ALTER TABLE documents ADD COLUMN guid TEXT;
        ALTER TABLE documents ADD COLUMN source_created_at TEXT;
        ALTER TABLE documents ADD COLUMN source_created_by TEXT;
        CREATE UNIQUE INDEX documents_by_guid ON documents (guid);
        -- A REFI selection is one span by one user holding one Coding per code: every coding
        -- keeps its Coding's GUID and the GUID of the selection it sat in.
        ALTER TABLE codings ADD COLUMN guid TEXT;
        ALTER TABLE codings ADD COLUMN selection_guid TEXT;
        -- A note referenced from several places is one memo row per place, sharing its GUID:
        -- kind 'description' is the Description element of its target (a selection's comment).
        ALTER TABLE memos ADD COLUMN guid TEXT;
        ALTER TABLE memos ADD COLUMN title TEXT;
        ALTER TABLE memos ADD COLUMN description TEXT;
        ALTER TABLE memos ADD COLUMN kind TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'description'));
        CREATE INDEX memos_by_guid ON memos (guid);
        -- REFI Users: a coder's GUID and short id (NVivo's initials).
        CREATE TABLE coder_guids (
            coder    TEXT PRIMARY KEY,
            guid     TEXT NOT NULL UNIQUE,
            short_id TEXT
        );
        -- REFI Variables: their values stay in documents.metadata_json and cases.values_json (text).
        CREATE TABLE variables (
            name        TEXT PRIMARY KEY,
            guid        TEXT NOT NULL UNIQUE,
            type        TEXT NOT NULL DEFAULT 'Text'
                CHECK (type IN ('Text', 'Boolean', 'Integer', 'Float', 'Date', 'DateTime')),
            description TEXT NOT NULL DEFAULT '',
            position    INTEGER NOT NULL DEFAULT 0
        );
        -- REFI Cases: participants (NVivo: one case per person) with their variable values.
        CREATE TABLE cases (
            id          INTEGER PRIMARY KEY,
            guid        TEXT NOT NULL UNIQUE,
            name        TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            values_json TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE case_documents (
            case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (case_id, document_id)
        );
        -- REFI Sets: code groups and document sets (and sets of notes).
        CREATE TABLE sets (
            id          INTEGER PRIMARY KEY,
            guid        TEXT NOT NULL UNIQUE,
            name        TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE set_members (
            set_id      INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
            position    INTEGER NOT NULL,
            code_id     TEXT REFERENCES codes(code_id) ON UPDATE CASCADE,
            document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            memo_guid   TEXT,
            PRIMARY KEY (set_id, position),
            CHECK ((code_id IS NOT NULL) + (document_id IS NOT NULL) + (memo_guid IS NOT NULL) = 1)
        );
        """,
    ),
    Migration(
        8,
        "quote_ratings",
        """
        -- How good a coded passage is as a quote in a report, as a coder judges it:
        -- 1 (do not use) to 5 (use this one), one rating per coder and coding. The
        -- report selection prefers higher ratings once roles and participants are spread.
        CREATE TABLE quote_ratings (
            coding_id  INTEGER NOT NULL REFERENCES codings(id),
            rated_by   TEXT NOT NULL,
            rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            rated_at   TEXT NOT NULL,
            PRIMARY KEY (coding_id, rated_by)
        );
        """,
    ),
)
