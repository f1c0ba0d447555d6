"""Write a report: collect the data once, draw the charts, then hand the data to each exporter.

``build_report`` is what ``qualcode report`` and ``qualcode demo`` call; the
pieces (:func:`quote_table`, :func:`code_frequencies`, ...) stay usable one by
one from a notebook. Every file is written under a temporary name and moved
into place when complete, so a failure never leaves half a report behind.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from tqdm.auto import tqdm

from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _, use_language
from qualcode.project import Project
from qualcode.report.collect import collect
from qualcode.report.data import Figure, ReportData

FORMATS = ("docx", "xlsx", "csv", "md")


@dataclass(frozen=True)
class ReportFiles:
    out_dir: Path
    files: tuple[Path, ...]
    data: ReportData
    figures: tuple[Figure, ...] = ()


def build_report(
    project: Project,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = FORMATS,
    progress: bool = False,
    csv_sep: str | None = None,
    **options,
) -> ReportFiles:
    """Write the report in each of ``formats`` to ``out_dir``; returns the files written.

    ``options`` go to :func:`qualcode.report.collect` (filters, quote
    selection, anonymisation, language). ``csv_sep`` is the CSV field
    separator: ";" with decimal commas in Danish (what Danish Excel opens),
    "," in English, by default.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ProjectError(_("unknown report format {formats}: use {known}").format(
            formats=", ".join(unknown), known=", ".join(FORMATS)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = collect(project, progress=progress, **options)
    with use_language(data.lang):
        return _write(out, data, formats, progress, csv_sep)


def _write(out: Path, data: ReportData, formats: Sequence[str], progress: bool, csv_sep: str | None) -> ReportFiles:
    files: list[Path] = []
    figures: tuple[Figure, ...] = ()
    steps = tqdm(total=len(formats) + 1, desc=_("Writing report"), unit=_("step"), disable=not progress)
    if "docx" in formats or "md" in formats:
        from qualcode.report.charts import report_figures

        figures = report_figures(data, out / "figurer")
        files += [p for f in figures for p in f.files]
    steps.update()
    if "docx" in formats:
        from qualcode.report.export_docx import write_docx

        files.append(_atomic(out / "rapport.docx", lambda p: write_docx(p, data, figures)))
        steps.update()
    if "xlsx" in formats:
        from qualcode.report.export_xlsx import report_sheets, write_xlsx

        files.append(_atomic(out / "rapport.xlsx", lambda p: write_xlsx(
            p, report_sheets(data), personal_data_note=data.personal_data_note, lang=data.lang)))
        steps.update()
    if "csv" in formats:
        from qualcode.report.export_text import write_csv

        for name, frame in (("citater.csv", data.quotes), ("hyppigheder.csv", data.frequencies),
                            ("roller.csv", data.by_role.reset_index())):
            files.append(_atomic(out / name, lambda p, frame=frame: write_csv(
                p, frame, lang=data.lang, personal_data_note=data.personal_data_note, sep=csv_sep)))
        steps.update()
    if "md" in formats:
        from qualcode.report.export_text import write_markdown
        from qualcode.report.markdown import render_markdown

        text = render_markdown(data, figures, out)
        files.append(_atomic(out / "rapport.md", lambda p: write_markdown(p, text)))
        steps.update()
    steps.close()
    return ReportFiles(out, tuple(files), data, figures)


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through ``write`` to a temporary file beside ``path``, then move it into place."""
    with _temporary(path) as tmp:
        write(tmp)
        os.replace(tmp, path)
    return path


@contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    # The suffix stays, so writers that look at it (openpyxl, python-docx) are content.
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


__all__ = ["FORMATS", "ReportFiles", "build_report"]
