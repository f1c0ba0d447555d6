"""Shared fixtures: projects in memory and on disk, the shipped samples, both backends.

A test module marked ``pytestmark = pytest.mark.backends`` runs every test
that uses ``project``, ``new_location``, ``sample_location`` or ``backend``
twice: on SQLite and on PostgreSQL in a throwaway cluster
(``tests/pg_cluster.py``), started once per session; with
``pytest.mark.backends(every_test=True)`` every test of the module, and on the
PostgreSQL run ``Project.in_memory()`` gives a server project too. The
databases a test creates are dropped after it.
Without PostgreSQL binaries the PostgreSQL runs skip with the reason, unless
``QUALCODE_REQUIRE_POSTGRES=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from qualcode import Project, import_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
CODEBOOKS = ROOT / "codebooks"
SHARED = ROOT.parent / "shared"


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is None:
        return
    if marker.kwargs.get("every_test") and "backend" not in metafunc.fixturenames:
        metafunc.fixturenames.append("backend")  # tests that make their own Project.in_memory()
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


class PgServer:
    """The session's cluster: fresh project databases, cloned from migrated templates."""

    def __init__(self, cluster):
        self.cluster = cluster
        self._names = itertools.count(1)
        self._templates: set[str] = set()
        # People with a password already (an attached cluster keeps an earlier session's roles): never set twice.
        self._people: set[str] = set()
        if cluster.pgpass.is_file():
            self._people = {line.split(":")[3] for line in cluster.pgpass.read_text(encoding="utf-8").splitlines() if line}
        self._made: list[str] = []

    @property
    def created(self) -> int:
        return len(self._made)

    def drop_since(self, first: int) -> None:
        """Drop the databases made after the first ``first`` (a test's own), so the cluster stays small."""
        with self.admin() as conn:
            for name in self._made[first:]:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        del self._made[first:]

    def admin(self):
        import psycopg

        return psycopg.connect(self.cluster.url(), autocommit=True)

    def new_database(self, template: str = "qc_empty", *, user: str | None = None) -> str:
        """A new database holding a copy of ``template`` (built once); its admin URL (or ``user``'s)."""
        if template not in self._templates:
            self._build(template)
        name = f"t{next(self._names)}"
        with self.admin() as conn:
            # An attached cluster (.ci/run's) may hold what an earlier, interrupted session left.
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self._made.append(name)
        return self.cluster.url(name, user) if user else self.cluster.url(name)

    def empty_database(self) -> str:
        """A new database with no qualcode schema at all (to build an old one by hand): its admin URL."""
        name = f"t{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self._made.append(name)
        return self.cluster.url(name)

    def team(self, template: str = "qc_empty", *, lead: str = "mette", coders=("anna", "bo"), readers=("rita",)):
        """A new project with ``server init`` done and people in their roles: {person: URL as that person}.

        Roles are cluster-wide: each person gets a password (in the pgpass file) the first time.
        """
        from urllib.parse import parse_qs, urlsplit

        from qualcode.store.server import ServerAccess

        url = self.new_database(template)
        name = urlsplit(url).path.lstrip("/")
        with Project.open(url) as p:
            access = ServerAccess(p.db)
            access.setup()
            for person, role in [(lead, "lead"), *((c, "coder") for c in coders), *((r, "reader") for r in readers)]:
                password = None
                if person not in self._people:
                    password = f"pw-{person}"
                    self.cluster.add_password(person, password)
                    self._people.add(person)
                access.add(person, role, password)
        assert parse_qs(urlsplit(url).query)["host"]
        return {"admin": url, **{person: self.cluster.url(name, person) for person in (lead, *coders, *readers)}}

    def _build(self, template: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')  # built by this session's code
            conn.execute(f'CREATE DATABASE "{template}"')
        with Project.open(self.cluster.url(template)) as p:
            if template == "qc_samples":
                from qualcode.demo import sample_files as files

                report = import_files(p, files(SAMPLES), metadata_csv=SAMPLES / "metadata.csv", progress=False)
                assert not report.failed, report.failed
        self._templates.add(template)


@pytest.fixture(scope="session")
def pg_server():
    from pg_cluster import Cluster, find_bindir

    if os.environ.get("QUALCODE_PG_CLUSTER"):
        # Started by .ci/run for the whole run (and stopped by it).
        cluster, owned = Cluster.attach(Path(os.environ["QUALCODE_PG_CLUSTER"])), False
    else:
        cluster, owned = None, True
    bindir = find_bindir()
    if bindir is None:
        reason = "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql, or set QUALCODE_PG_BIN"
        if os.environ.get("QUALCODE_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (QUALCODE_REQUIRE_POSTGRES is set: in CI this must run)")
        pytest.skip(reason)
    if cluster is None:
        cluster = Cluster(bindir).start()
    # libpq reads every role's password from here: never from a command line.
    old = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(cluster.pgpass)
    try:
        yield PgServer(cluster)
    finally:
        if old is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old
        if owned:
            cluster.stop()


@pytest.fixture
def backend(request):
    """'sqlite', or 'postgresql' in modules marked ``backends``."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_location(backend, request, tmp_path):
    """A factory of places for new, empty projects: a .qcp path not yet created, or a fresh database's URL."""
    counter = itertools.count(1)

    def make(name: str = "studie") -> str | Path:
        if backend == "sqlite":
            return tmp_path / f"{name}-{next(counter)}.qcp"
        return request.getfixturevalue("pg_server").new_database()

    return make


@pytest.fixture(autouse=True)
def _on_the_backend(request, monkeypatch):
    """A PostgreSQL run: ``Project.in_memory()`` is a fresh server project; the test's databases are dropped after it."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is None or callspec.params.get("backend") != "postgresql":
        yield
        return
    server = request.getfixturevalue("pg_server")
    monkeypatch.setattr(Project, "in_memory", classmethod(lambda cls: cls.open(server.new_database())))
    first = server.created
    yield
    server.drop_since(first)


@pytest.fixture
def project(backend, request):
    if backend == "sqlite":
        p = Project.in_memory()
    else:
        p = Project.open(request.getfixturevalue("pg_server").new_database())
    yield p
    p.close()


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "studie.qcp"
    p = Project.open(path)
    yield p
    p.close()


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def sample_files() -> list[Path]:
    from qualcode.demo import sample_files as files

    return files(SAMPLES)


@pytest.fixture(scope="session")
def sample_project_path(tmp_path_factory, sample_files) -> Path:
    """All sample transcripts imported once per test session (read-only use)."""
    path = tmp_path_factory.mktemp("samples") / "samples.qcp"
    with Project.open(path) as p:
        report = import_files(p, sample_files, metadata_csv=SAMPLES / "metadata.csv", progress=False)
        assert not report.failed, report.failed
    return path


@pytest.fixture
def sample_location(backend, request, tmp_path):
    """A private, writable copy of the imported samples: a .qcp path or a database URL."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_server").new_database("qc_samples")
    path = tmp_path / "samples.qcp"
    shutil.copy(request.getfixturevalue("sample_project_path"), path)
    return path


@pytest.fixture
def sample_project(sample_location):
    """The imported samples, opened (on either backend in modules marked ``backends``)."""
    p = Project.open(sample_location)
    yield p
    p.close()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright, for the document view's front end on a plain page (tests/view_harness.py)."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, missing

    reason = missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def write_docx(path: Path, paragraphs=(), table=None, title=None, bold_labels=True) -> Path:
    """Build a small Word transcript: paragraphs "Label: text" with a bold label, or a table."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for para in paragraphs:
        p = document.add_paragraph()
        if bold_labels and ": " in para:
            label, text = para.split(": ", 1)
            p.add_run(label + ":").bold = True
            p.add_run(" " + text)
        else:
            p.add_run(para)
    if table:
        t = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = t.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = value
    document.save(str(path))
    return path


@pytest.fixture
def coded_samples(sample_project_path, tmp_path):
    """A copy of the imported samples with accepted codings on every 15th participant sentence: (path, code id)."""
    from qualcode.codebook import load_codebook

    path = tmp_path / "samples.qcp"
    shutil.copy(sample_project_path, path)
    with Project.open(path) as project:
        codebook = load_codebook(SAMPLES.parent / "codebooks" / "barrierer_drivkraefter.yaml")
        project.codebook.apply(codebook, actor="test")
        code = codebook.leaves()[0].id
        for i, seg in enumerate(project.documents.segments(include_interviewer=False)):
            if i % 15 == 0:
                project.codings.add(seg.document_id, seg.start, seg.end, code, "test", status="accepted", source="human")
    return path, code


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory):
    """``qualcode demo`` run once per session: (output folder, click result, seconds)."""
    import time

    from click.testing import CliRunner

    from qualcode.cli.main import cli

    if not any(SAMPLES.glob("0*")):
        pytest.skip("the sample transcripts (transcripts_sample/0*) are not written yet")
    out = tmp_path_factory.mktemp("demo")
    began = time.perf_counter()
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    return out, result, time.perf_counter() - began



@pytest.fixture
def english():
    """Messages made during the test are English (tables of the library's English message ids)."""
    from qualcode.i18n import use_language

    with use_language("en"):
        yield
