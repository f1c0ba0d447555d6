"""Every notebook runs top to bottom on the samples, and its .ipynb matches its .py."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def code_cells(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def test_all_four_notebooks_exist():
    assert [p.stem for p in SOURCES] == [
        "01_import_og_segmentering",
        "02_kodning_med_forslag",
        "03_citater_og_temaer",
        "04_kodebog_og_enighed",
    ]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_ipynb_is_paired_with_py(source):
    paired = source.with_suffix(".ipynb")
    assert paired.exists(), f"{paired.name} missing: run `jupytext --sync {source.name}`"
    assert code_cells(nbformat.read(paired, as_version=4)) == code_cells(jupytext.read(source))
    assert all(not c.get("outputs") for c in nbformat.read(paired, as_version=4).cells if c.cell_type == "code"), (
        f"{paired.name} has outputs; commit notebooks without outputs"
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """One working folder for the module: notebooks build on each other, as a user runs them."""
    return tmp_path_factory.mktemp("notebooks")


def run_notebook(source: Path, workdir: Path):
    nb = jupytext.read(source)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


@pytest.mark.notebooks
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_runs_headless(source, workdir, monkeypatch):
    monkeypatch.setenv("QUALCODE_WORKDIR", str(workdir / "arbejde"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    if source != SOURCES[0] and not (workdir / "arbejde" / "studie.qcp").exists():
        for earlier in SOURCES[: SOURCES.index(source)]:
            run_notebook(earlier, workdir)
    nb = run_notebook(source, workdir)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
