"""Roles and row-level security of a shared project on PostgreSQL (``qualcode server ...``).

The database, not the client, decides who may do what. ``server init``
(run by the database's owner) creates three group roles for the project and
puts each person in one of them:

- **coder**: reads the transcripts and the codebook; creates and decides
  only their own codings, events and memos (row-level security checks
  ``coder = session_user``). In blind mode (``settings.blind_coding = '1'``)
  a coder sees no one else's codings, events or memos: a policy, so no
  notebook or SQL query gets around it.
- **lead**: everything a coder may, on everyone's rows (but no one deletes history:
  documents, codes, codings, events, memos), plus the codebook,
  imports, consensus, the anonymisation cache and the pseudonym key, and
  managing people (through two functions that run with the owner's rights
  and touch only this project's groups).
- **reader** (report writer): reads codings, the codebook, turns, document
  metadata, segments' offsets and the anonymised texts; not a transcript's
  text (documents.text, segments' text and lemmas, memos) and not the
  pseudonym key, only its hash.

A table added by a later migration is readable by leads and coders and
closed to readers until it is named in :data:`READER_TABLES`. Everything
here is idempotent: ``server init`` re-run after an upgrade re-applies it.
"""

from __future__ import annotations

import hashlib

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _

PROJECT_ROLES = ("coder", "lead", "reader")

# Tables a reader may read whole; documents and pseudonym_key only in part (below).
READER_TABLES = (
    "schema_migrations", "settings", "codes", "codebook_versions", "codebook_changes", "codings",
    "coding_events", "turns", "anonymised_documents", "anonymised_labels", "anonymisation_state",
    "quote_ratings",  # the report's quote selection prefers the coders' best-rated quotes
)
# Everything about a document but its text, and a segment's place but not its words (agreement counts segments).
READER_DOCUMENT_COLUMNS = ("id", "name", "source_path", "format", "encoding", "content_hash", "imported_at", "metadata_json")
READER_SEGMENT_COLUMNS = ("id", "document_id", "turn_idx", "unit", "idx", "start_char", "end_char", "speaker", "role",
                          "is_interviewer")
KEY_PUBLIC_COLUMNS = ("id", "key_hash", "updated_at")
# What a coder writes: (table, privileges); rows are limited to their own by the policies below.
CODER_WRITES = (
    ("codings", "INSERT"),
    ("codings", "UPDATE (status, decided_by, decided_at, shown_score)"),
    ("coding_events", "INSERT"),
    ("memos", "INSERT"),
    ("quote_ratings", "INSERT"),
    ("quote_ratings", "UPDATE (rating, rated_at)"),
    ("autocode_runs", "INSERT"),
    ("autocode_runs", "UPDATE (undone_by, undone_at)"),
    ("autocode_codings", "INSERT"),
)
# History is never lost: not even a lead deletes rows of these (a coding is withdrawn, a code retired).
NEVER_DELETED = ("schema_migrations", "documents", "codes", "codebook_versions", "codebook_changes", "codings",
                 "coding_events", "memos")
# Tables whose changes open sessions refresh on (LISTEN qualcode_changes).
NOTIFY_TABLES = ("codings", "memos", "codes", "codebook_versions")
CHANNEL = "qualcode_changes"

_BLIND = "EXISTS (SELECT 1 FROM settings WHERE key = 'blind_coding' AND value = '1')"
_POLICIES = {
    "codings": (
        ("qc_lead", "ALL", "lead", "true", "true"),
        ("qc_reader", "SELECT", "reader", "true", None),
        ("qc_coder_read", "SELECT", "coder", f"coder = session_user OR NOT {_BLIND}", None),
        ("qc_coder_add", "INSERT", "coder", None, "coder = session_user"),
        ("qc_coder_decide", "UPDATE", "coder", "coder = session_user",
         "coder = session_user AND (decided_by IS NULL OR decided_by = session_user)"),
    ),
    "coding_events": (
        ("qc_lead", "ALL", "lead", "true", "true"),
        ("qc_reader", "SELECT", "reader", "true", None),
        # The codings policy applies inside the sub-select: a coder sees the events of the codings they see.
        ("qc_coder_read", "SELECT", "coder", "EXISTS (SELECT 1 FROM codings c WHERE c.id = coding_id)", None),
        ("qc_coder_add", "INSERT", "coder", None,
         "actor = session_user AND EXISTS (SELECT 1 FROM codings c WHERE c.id = coding_id AND c.coder = session_user)"),
    ),
    "memos": (
        ("qc_lead", "ALL", "lead", "true", "true"),
        ("qc_coder_read", "SELECT", "coder", f"author = session_user OR NOT {_BLIND}", None),
        ("qc_coder_add", "INSERT", "coder", None, "author = session_user"),
    ),
    "quote_ratings": (
        ("qc_lead", "ALL", "lead", "true", "true"),
        ("qc_reader", "SELECT", "reader", "true", None),
        ("qc_coder_read", "SELECT", "coder", "EXISTS (SELECT 1 FROM codings c WHERE c.id = coding_id)", None),
        ("qc_coder_add", "INSERT", "coder", None, "rated_by = session_user"),
        ("qc_coder_change", "UPDATE", "coder", "rated_by = session_user", "rated_by = session_user"),
    ),
    "autocode_runs": (
        ("qc_lead", "ALL", "lead", "true", "true"),
        ("qc_coder_read", "SELECT", "coder", f"coder = session_user OR NOT {_BLIND}", None),
        ("qc_coder_add", "INSERT", "coder", None, "coder = session_user"),
        ("qc_coder_undo", "UPDATE", "coder", "coder = session_user", "coder = session_user"),
    ),
    "autocode_codings": (
        ("qc_lead", "ALL", "lead", "true", "true"),
        ("qc_coder_read", "SELECT", "coder", "EXISTS (SELECT 1 FROM codings c WHERE c.id = coding_id)", None),
        ("qc_coder_add", "INSERT", "coder", None,
         "EXISTS (SELECT 1 FROM autocode_runs r WHERE r.id = run_id AND r.coder = session_user)"),
    ),
}


def group_names(database: str) -> dict[str, str]:
    """The project's group roles, by project role (PostgreSQL role names are at most 63 bytes)."""
    base = f"qc_{database}"
    if len(base.encode()) > 48:
        base = f"qc_{database[:30]}_{hashlib.sha256(database.encode()).hexdigest()[:8]}"
    return {role: f"{base}_{role}" for role in PROJECT_ROLES}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class ServerAccess:
    """Sets up and manages the roles of one project database (needs a connection as its owner for setup)."""

    def __init__(self, db):
        if db.dialect != "postgresql":
            raise ProjectError(_("{location}: roles exist only for projects on a server (postgresql://…)").format(location=db.location))
        self.db = db
        self.database = db.execute("SELECT current_database()").fetchone()[0]
        self.groups = group_names(self.database)

    # -- state ----------------------------------------------------------------
    def initialised(self) -> bool:
        return self.db.execute("SELECT count(*) FROM pg_roles WHERE rolname = ?", (self.groups["lead"],)).fetchone()[0] == 1

    def role_of(self, person: str) -> str | None:
        """The project role a database user holds here (``None``: none, e.g. the owner)."""
        for role in ("lead", "coder", "reader"):
            if self.db.execute("SELECT pg_has_role(?, ?, 'MEMBER')", (person, self.groups[role])).fetchone()[0]:
                return role
        return None

    def people(self) -> list[tuple[str, str]]:
        """(person, project role) of everyone in the project's groups, by name."""
        rows = self.db.execute(
            "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid"
            " JOIN pg_roles m ON m.oid = a.member WHERE g.rolname IN (?, ?, ?) ORDER BY m.rolname",
            tuple(self.groups[r] for r in PROJECT_ROLES),
        ).fetchall()
        by_group = {g: r for r, g in self.groups.items()}
        return [(person, by_group[group]) for person, group in rows]

    # -- setup (the owner) ----------------------------------------------------------
    def setup(self) -> None:
        """Create the groups, grants, policies, functions and triggers (again: idempotent)."""
        with self.db.transaction() as conn:
            self.db.lock("server-setup")
            for group in self.groups.values():
                if not conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = ?", (group,)).fetchone()[0]:
                    conn.execute(f"CREATE ROLE {_ident(group)} NOLOGIN")
            self._grants(conn)
            self._policies(conn)
            self._functions(conn)
            self._triggers(conn)

    def _grants(self, conn) -> None:
        g = {r: _ident(n) for r, n in self.groups.items()}
        everyone = ", ".join(g.values())
        db = _ident(self.database)
        conn.execute(f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
        conn.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {everyone}")
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {everyone}")
        conn.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}")
        tables = self.db.tables()
        for table in tables:  # column grants are not revoked by the table-level REVOKE
            conn.execute(f"REVOKE ALL ({', '.join(self._columns(table))}) ON {table} FROM {everyone}")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {g['lead']}")
        conn.execute(f"REVOKE INSERT, UPDATE ON schema_migrations FROM {g['lead']}")
        for table in NEVER_DELETED:
            if table in tables:
                conn.execute(f"REVOKE DELETE ON {table} FROM {g['lead']}")
        conn.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {g['lead']}")
        conn.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {g['coder']}")
        for table in tables:
            if table != "pseudonym_key":
                conn.execute(f"GRANT SELECT ON {table} TO {g['coder']}")
        for table, privilege in CODER_WRITES:
            if table in tables:
                conn.execute(f"GRANT {privilege} ON {table} TO {g['coder']}")
        for table in READER_TABLES:
            if table in tables:
                conn.execute(f"GRANT SELECT ON {table} TO {g['reader']}")
        conn.execute(f"GRANT SELECT ({', '.join(READER_DOCUMENT_COLUMNS)}) ON documents TO {g['reader']}")
        conn.execute(f"GRANT SELECT ({', '.join(READER_SEGMENT_COLUMNS)}) ON segments TO {g['reader']}")
        if "pseudonym_key" in tables:
            conn.execute(f"GRANT SELECT ({', '.join(KEY_PUBLIC_COLUMNS)}) ON pseudonym_key TO {g['coder']}, {g['reader']}")

    def _columns(self, table: str) -> list[str]:
        rows = self.db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = ? ORDER BY ordinal_position", (table,)
        )
        return [_ident(r[0]) for r in rows]

    def _policies(self, conn) -> None:
        tables = set(self.db.tables())
        for table, policies in _POLICIES.items():
            if table not in tables:
                continue
            conn.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            existing = [r[0] for r in conn.execute("SELECT policyname FROM pg_policies WHERE tablename = ?", (table,))]
            for name in existing:
                conn.execute(f"DROP POLICY {_ident(name)} ON {table}")
            for name, command, role, using, check in policies:
                sql = f"CREATE POLICY {name} ON {table} FOR {command} TO {_ident(self.groups[role])}"
                if using is not None:
                    sql += f" USING ({using})"
                if check is not None:
                    sql += f" WITH CHECK ({check})"
                conn.execute(sql)

    def _functions(self, conn) -> None:
        g = self.groups
        guard = (
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls INTO privileged"
            " FROM pg_roles WHERE rolname = person;"
        )
        conn.execute(f"""
            CREATE OR REPLACE FUNCTION qualcode_add_person(person text, project_role text, verifier text)
            RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
            DECLARE
                privileged boolean;
                grp text := CASE project_role WHEN 'coder' THEN {_literal(g['coder'])}
                                              WHEN 'lead' THEN {_literal(g['lead'])}
                                              WHEN 'reader' THEN {_literal(g['reader'])} END;
                member boolean;
            BEGIN
                IF grp IS NULL THEN
                    RAISE EXCEPTION 'unknown project role %', project_role USING ERRCODE = '22023';
                END IF;
                {guard}
                IF privileged THEN
                    RAISE EXCEPTION 'qualcode: % is a database administrator and is not managed by qualcode', person
                        USING ERRCODE = '42501';
                END IF;
                IF privileged IS NULL THEN
                    EXECUTE format('CREATE ROLE %I LOGIN', person);
                    member := true;
                ELSE
                    member := pg_has_role(person, {_literal(g['lead'])}, 'MEMBER')
                           OR pg_has_role(person, {_literal(g['coder'])}, 'MEMBER')
                           OR pg_has_role(person, {_literal(g['reader'])}, 'MEMBER');
                END IF;
                IF verifier IS NOT NULL THEN
                    IF NOT member THEN
                        RAISE EXCEPTION 'qualcode: % already exists on the server; only its owner sets its password', person
                            USING ERRCODE = '42501';
                    END IF;
                    EXECUTE format('ALTER ROLE %I PASSWORD %L', person, verifier);
                END IF;
                EXECUTE format('REVOKE %I, %I, %I FROM %I', {_literal(g['lead'])}, {_literal(g['coder'])},
                               {_literal(g['reader'])}, person);
                EXECUTE format('GRANT %I TO %I', grp, person);
            END $fn$""")
        conn.execute(f"""
            CREATE OR REPLACE FUNCTION qualcode_remove_person(person text)
            RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
            DECLARE
                leads integer;
            BEGIN
                IF pg_has_role(person, {_literal(g['lead'])}, 'MEMBER') THEN
                    SELECT count(*) INTO leads FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid
                     WHERE r.rolname = {_literal(g['lead'])};
                    IF leads <= 1 THEN
                        RAISE EXCEPTION 'qualcode: % is the project''s last lead', person USING ERRCODE = '42501';
                    END IF;
                END IF;
                EXECUTE format('REVOKE %I, %I, %I FROM %I', {_literal(g['lead'])}, {_literal(g['coder'])},
                               {_literal(g['reader'])}, person);
            END $fn$""")
        for fn in ("qualcode_add_person(text, text, text)", "qualcode_remove_person(text)"):
            conn.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
            conn.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {_ident(g['lead'])}")

    def _triggers(self, conn) -> None:
        conn.execute(f"""
            CREATE OR REPLACE FUNCTION qualcode_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                PERFORM pg_notify({_literal(CHANNEL)}, TG_TABLE_NAME);
                RETURN NULL;
            END $fn$""")
        for table in NOTIFY_TABLES:
            conn.execute(f"DROP TRIGGER IF EXISTS qualcode_notify ON {table}")
            conn.execute(
                f"CREATE TRIGGER qualcode_notify AFTER INSERT OR UPDATE OR DELETE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION qualcode_notify()"
            )

    # -- people (a lead) -------------------------------------------------------------
    def add(self, person: str, role: str, password: str | None = None) -> None:
        """Give ``person`` (a database user, created if new) the project ``role``; set its password if given."""
        if role not in PROJECT_ROLES:
            raise ProjectError(_("unknown project role '{role}'; use coder, lead or reader").format(role=role))
        if not person.strip():
            raise ProjectError(_("a person needs a name"))
        verifier = None
        if password is not None:
            # Hashed here (SCRAM), so the server's statement log never holds the password.
            verifier = self.db.conn.raw.pgconn.encrypt_password(password.encode(), person.encode(), b"scram-sha-256").decode()
        with self.db.transaction() as conn:
            conn.execute("SELECT qualcode_add_person(?, ?, ?)", (person, role, verifier))

    def remove(self, person: str) -> None:
        """Take ``person`` out of the project (the database user and their codings stay)."""
        if self.role_of(person) is None:
            raise ProjectError(_("{person} has no role in this project").format(person=person))
        with self.db.transaction() as conn:
            conn.execute("SELECT qualcode_remove_person(?)", (person,))

    def set_blind(self, on: bool) -> None:
        """Blind coding on or off for every coder (a lead's decision)."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES ('blind_coding', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ("1" if on else "0",),
            )


def blind_coding(db) -> bool:
    row = db.execute("SELECT value FROM settings WHERE key = 'blind_coding'").fetchone()
    return row is not None and row[0] == "1"


def reapply_access(db) -> None:
    """After a migration on a server: tables it rebuilt or added get the project's grants and policies."""
    access = ServerAccess(db)
    if access.initialised():
        access.setup()


__all__ = ["CHANNEL", "PROJECT_ROLES", "ServerAccess", "blind_coding", "group_names", "reapply_access"]
