"""Assemble a report from a project: the tables once, then every requested format.

``build_report`` is what ``qualcode report`` and ``qualcode demo`` call; the
pieces (:func:`quote_table`, :func:`code_frequencies`, ...) stay usable one by
one from a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd
from tqdm.auto import tqdm

from qualcode.codebook.model import Codebook
from qualcode.errors import ProjectError
from qualcode.i18n import choose, resolve_lang
from qualcode.project import Project
from qualcode.report.charts import code_role_heatmap, theme_bars
from qualcode.report.frequencies import code_frequencies, crosstab, group_sizes
from qualcode.report.method import agreement_sentence, method_paragraphs
from qualcode.report.privacy import Redactor, redactor_for
from qualcode.report.quotes import coded_spans, quote_table
from qualcode.report.selection import shortlist
from qualcode.report.wording import role_label

FORMATS = ("docx", "xlsx", "csv", "md")


@dataclass
class ReportData:
    """Everything a report prints, computed once and rendered per format."""

    title: str
    lang: str
    codebook: Codebook
    method: list[str]
    frequencies: pd.DataFrame
    by_role: pd.DataFrame
    by_municipality: pd.DataFrame
    role_sizes: dict[str, int]
    quotes: pd.DataFrame
    selected: pd.DataFrame
    personal_data_note: str | None
    total_label: str
    charts: dict[str, list[Path]] = field(default_factory=dict)

    @property
    def anonymised(self) -> bool:
        return self.personal_data_note is None


@dataclass(frozen=True)
class ReportFiles:
    out_dir: Path
    files: tuple[Path, ...]
    data: ReportData


def collect(
    project: Project,
    *,
    lang: str | None = None,
    anonymise: bool = True,
    redactor: Redactor | None = None,
    status: str | Sequence[str] | None = "accepted",
    coder: str | Sequence[str] | None = None,
    per_code: int = 3,
    max_per_participant: int = 1,
    with_participant: bool = False,
    clean: bool = True,
    title: str | None = None,
    coder_notes: Mapping[str, str] | None = None,
    agreement: str | None = None,
    progress: bool = False,
) -> ReportData:
    """Compute the tables of a report (no files written).

    ``agreement`` is a sentence for the method section; by default it is
    measured (Krippendorff's alpha) when two or more people coded.
    """
    lang = resolve_lang(lang)
    codebook = project.codebook.current()
    if not len(codebook):
        raise ProjectError("the project has no codebook: apply one before writing a report")
    redactor = redactor or redactor_for(project, anonymise=anonymise)
    total = choose("I alt", "Total", lang)
    spans = coded_spans(project, status=status, coder=coder, codebook=codebook)
    # Only interviews a quote comes from need anonymising (by id: texts are read one at a time).
    redactor.prepare(sorted(set(spans["document_id"].tolist())), progress=progress)
    quotes = quote_table(
        project, redactor=redactor, status=status, coder=coder, clean=clean,
        with_participant=with_participant, codebook=codebook, lang=lang,
    )
    selected = shortlist(quotes, per_code=per_code, max_per_participant=max_per_participant)
    # Machine suggestions are described apart (how many were accepted); coders are people.
    coders = sorted(set(spans.loc[spans["source"] != "machine", "coder"]))
    if agreement is None:
        agreement = agreement_sentence(project, coders, lang)
    return ReportData(
        title=title or choose("Barrierer og drivkræfter: temaer og citater", "Barriers and drivers: themes and quotes", lang),
        lang=lang,
        codebook=codebook,
        method=method_paragraphs(
            project, codebook, coders=coders, coder_notes=coder_notes, agreement=agreement,
            anonymised=redactor.anonymised, cleaned=clean, lang=lang,
        ),
        frequencies=code_frequencies(project, spans=spans, codebook=codebook),
        by_role=crosstab(project, "role", spans=spans, codebook=codebook, total_label=total, rename=_role_renamer(lang)),
        by_municipality=crosstab(project, "municipality", spans=spans, codebook=codebook, total_label=total, rename=redactor.municipality),
        role_sizes=group_sizes(project, "role", rename=_role_renamer(lang)),
        quotes=quotes,
        selected=selected,
        personal_data_note=redactor.personal_data_note(lang),
        total_label=total,
    )


def _role_renamer(lang: str):
    return lambda role: role_label(role, lang, plural=True)


def build_report(
    project: Project,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = FORMATS,
    progress: bool = False,
    **options,
) -> ReportFiles:
    """Write the report in each of ``formats`` to ``out_dir``; returns the files written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ProjectError(f"unknown report format {', '.join(unknown)}: use {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = collect(project, progress=progress, **options)
    files: list[Path] = []
    steps = tqdm(total=len(formats) + 1, desc="Skriver rapport", unit="trin", disable=not progress)
    if "docx" in formats or "md" in formats:
        data.charts["themes"] = theme_bars(data.frequencies, out / "figurer" / "temaer", lang=data.lang)
        data.charts["code_role"] = code_role_heatmap(data.by_role, out / "figurer" / "kode_rolle", lang=data.lang, total_label=data.total_label)
        files += [p for paths in data.charts.values() for p in paths]
    steps.update()
    if "docx" in formats:
        from qualcode.report.export_docx import write_docx

        files.append(write_docx(out / "rapport.docx", data))
        steps.update()
    if "xlsx" in formats:
        from qualcode.report.export_xlsx import write_xlsx

        files.append(write_xlsx(out / "rapport.xlsx", _sheets(data), personal_data_note=data.personal_data_note, lang=data.lang))
        steps.update()
    if "csv" in formats:
        from qualcode.report.export_text import write_csv

        files.append(write_csv(out / "citater.csv", data.quotes, lang=data.lang, personal_data_note=data.personal_data_note))
        files.append(write_csv(out / "hyppigheder.csv", data.frequencies, lang=data.lang, personal_data_note=data.personal_data_note))
        files.append(write_csv(out / "roller.csv", data.by_role.reset_index(), lang=data.lang, personal_data_note=data.personal_data_note))
        steps.update()
    if "md" in formats:
        from qualcode.report.export_text import write_markdown
        from qualcode.report.markdown import render_markdown

        files.append(write_markdown(out / "rapport.md", render_markdown(data, out)))
        steps.update()
    steps.close()
    return ReportFiles(out, tuple(files), data)


def _sheets(data: ReportData) -> list[tuple[str, pd.DataFrame]]:
    lang = data.lang
    codebook = pd.DataFrame(
        [
            {"code": c.id, "code_name": c.name, "theme": data.codebook.theme_of(c.id), "level": data.codebook.depth(c.id),
             "definition": c.definition, "include": c.include, "exclude": c.exclude, "keywords": ", ".join(c.keywords)}
            for c in data.codebook.codes
        ]
    )
    return [
        (choose("Udvalgte citater", "Selected quotes", lang), data.selected),
        (choose("Citater", "Quotes", lang), data.quotes),
        (choose("Hyppigheder", "Frequencies", lang), data.frequencies),
        (choose("Roller", "Roles", lang), data.by_role.reset_index()),
        (choose("Kommuner", "Municipalities", lang), data.by_municipality.reset_index()),
        (choose("Kodebog", "Codebook", lang), codebook),
    ]
