"""`qualcode demo`: the whole pipeline on the shipped sample transcripts."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.i18n import choose
from qualcode.importer import import_files
from qualcode.project import Project
from qualcode.readers import SUPPORTED_SUFFIXES


def sample_dir() -> Path:
    """The shipped samples: beside the package in a checkout."""
    here = Path(__file__).resolve().parent.parent / "transcripts_sample"
    if not here.is_dir():
        raise FileNotFoundError(
            f"{here}: sample transcripts not found; run from a checkout of qualcode or pass --samples"
        )
    return here


def sample_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


def run_demo(out_dir: Path, *, samples: Path | None = None, lang: str | None = None) -> Path:
    samples = samples or sample_dir()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    project_path = out_dir / "demo.qcp"
    for stale in (project_path, Path(f"{project_path}-wal"), Path(f"{project_path}-shm")):
        stale.unlink(missing_ok=True)
    with Project.open(project_path) as project:
        report = import_files(project, sample_files(samples), metadata_csv=samples / "metadata.csv")
        for _path, message in report.failed:
            click.echo(message, err=True)
        turns = sum(d.turns for d in report.imported)
        sentences = sum(d.sentences for d in report.imported)
        click.echo(
            choose(
                f"Importeret {len(report.imported)} interviews: {turns} taleture, {sentences} sætninger.",
                f"Imported {len(report.imported)} interviews: {turns} turns, {sentences} sentences.",
                lang,
            )
        )
    click.echo(choose(f"Projektfil: {project_path}", f"Project file: {project_path}", lang))
    return project_path
