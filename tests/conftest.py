"""Shared fixtures: projects in memory and on disk, the shipped samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode import Project, import_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
CODEBOOKS = ROOT / "codebooks"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def project():
    p = Project.in_memory()
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
def sample_project(sample_project_path, tmp_path):
    """A private, writable copy of the imported samples."""
    path = tmp_path / "samples.qcp"
    shutil.copy(sample_project_path, path)
    p = Project.open(path)
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
