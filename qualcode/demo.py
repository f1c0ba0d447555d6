"""`qualcode demo`: the whole pipeline on the shipped sample transcripts.

Import and segment the samples, apply the shipped barrier/driver codebook,
let qualcode suggest codings, take
the sample's gold codings as the human coding (coder "gold", labelled as such
in every output), and write the anonymised report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import click

from qualcode.anonymise.key import default_key_path
from qualcode.codebook import load_codebook
from qualcode.errors import InputError
from qualcode.i18n import format_number, gettext as _, ngettext, quote, use_language
from qualcode.importer import import_files
from qualcode.project import Project
from qualcode.readers import SUPPORTED_SUFFIXES
from qualcode.store.codings import NewCoding
from qualcode.store.files import sidecars
from qualcode.tables import Rows

GOLD_CODER = "gold"
CODEBOOK_NAME = "barrierer_drivkraefter.yaml"


def sample_dir() -> Path:
    """The shipped samples: beside the package in a checkout."""
    here = Path(__file__).resolve().parent.parent / "transcripts_sample"
    if not here.is_dir():
        raise FileNotFoundError(
            _("{path}: sample transcripts not found; run from a checkout of qualcode or pass --samples").format(path=here)
        )
    return here


def codebook_path() -> Path:
    path = Path(__file__).resolve().parent.parent / "codebooks" / CODEBOOK_NAME
    if not path.is_file():
        raise FileNotFoundError(_("{path}: shipped codebook not found; run from a checkout of qualcode").format(path=path))
    return path


def sample_files(folder: Path) -> list[Path]:
    """The transcripts of a folder: those its metadata.csv lists, else every supported file but READMEs."""
    metadata = folder / "metadata.csv"
    if metadata.is_file():
        from qualcode.metadata import read_metadata

        return sorted(folder / name for name in read_metadata(metadata) if (folder / name).is_file())
    return sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.lower().startswith("readme")
    )


@dataclass(frozen=True)
class DemoResult:
    project_path: Path
    report_files: tuple[Path, ...]
    anonymised: bool
    gold_codings: int
    suggestions: int
    seconds: float


# -- gold codings ---------------------------------------------------------------
_DOC_COLUMNS = ("file", "document", "document_name", "doc", "filename")
_CODE_COLUMNS = ("code_id", "code")
_START_COLUMNS = ("start", "start_char")
_END_COLUMNS = ("end", "end_char")
_TEXT_COLUMNS = ("text", "quote", "span")


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((h for h in header if h.strip().lower() in names), None)


def read_gold_codings(path: Path, project: Project, coder: str = GOLD_CODER) -> list[NewCoding]:
    """Read a gold coding CSV: document name, code id and either offsets or the exact span text.

    Rows without a code, or with a code the project's codebook lacks (the
    sample gold file also codes against other codebooks), are skipped.

    Offsets must slice the stored document to the span text when both are given,
    so a gold file written for other offsets fails loudly instead of coding the wrong words.
    """
    reader = Rows(path)
    header = reader.fieldnames
    doc_col, code_col = _column(header, _DOC_COLUMNS), _column(header, _CODE_COLUMNS)
    start_col, end_col, text_col = (_column(header, names) for names in (_START_COLUMNS, _END_COLUMNS, _TEXT_COLUMNS))
    if doc_col is None or code_col is None or ((start_col is None or end_col is None) and text_col is None):
        raise InputError(path, _("needs columns for the document ({documents}), the code (code_id) and start/end or text; found {found}").format(
            documents="/".join(_DOC_COLUMNS), found=", ".join(header)))
    documents = {d.name: d for d in project.documents.all()}
    documents.update({Path(d.source_path).name: d for d in documents.values()})
    known = set(project.codebook.code_ids())
    codings = []
    for line, row in reader:  # line: where the row ends (a quoted span may run over several lines)
        code_id = row[code_col].strip()
        if not code_id or code_id not in known:
            continue  # an uncoded segment, or a code of another codebook in the same file
        doc = documents.get(row[doc_col].strip()) or documents.get(Path(row[doc_col].strip()).stem)
        if doc is None:
            raise InputError(path, _("document {name!r} is not in the project").format(name=row[doc_col]), line=line)
        text = row.get(text_col) if text_col else None
        if start_col and end_col and row.get(start_col, "").strip():
            try:
                start, end = int(row[start_col]), int(row[end_col])
            except ValueError:
                raise InputError(path, _("start and end must be whole numbers, not {start!r}, {end!r}").format(
                    start=row[start_col], end=row[end_col]), line=line) from None
            if text and doc.text[start:end] != text:
                raise InputError(path, _("offsets {start}-{end} do not slice to the given text in {name}").format(
                    start=start, end=end, name=doc.name), line=line)
        else:
            start = doc.text.find(text or "")
            if not text or start < 0:
                raise InputError(path, _("text not found in {name}: {text!r}").format(name=doc.name, text=text), line=line)
            end = start + len(text)
        codings.append(NewCoding(doc.id, start, end, code_id, coder, "accepted", "human"))
    return codings


def prepare_sample_project(project: Project, actor: str = "forsker") -> None:
    """Fill what a project lacks from the samples: the interviews, the shipped codebook, the gold coding.

    For notebooks that can be run on their own: each step is skipped when
    its result is already in the project, so running them in order changes nothing.
    """
    samples = sample_dir()
    if not project.documents.all():
        import_files(project, sample_files(samples), metadata_csv=samples / "metadata.csv", progress=False)
    if not project.codebook.code_ids():
        project.codebook.apply(load_codebook(codebook_path()), actor)
    if not project.codings.query(coder=GOLD_CODER):
        project.codings.add_many(read_gold_codings(samples / "gold_codings.csv", project))


def _suggest(project: Project, lang: str | None) -> int:
    """Machine suggestions for every participant sentence; returns how many were stored."""
    from qualcode.suggest.workflow import build_suggester, suggest_project

    return len(suggest_project(project, build_suggester(project, lang=lang)))


def demo_project_path(out_dir: Path) -> Path:
    """Where the demo keeps its project: ``<out>.projekt/demo.qcp`` beside the report folder.

    The project and the pseudonym key beside it hold the real names; inside the
    report folder, zipping the report to send it would ship them too.
    """
    out_dir = Path(out_dir)
    return out_dir.parent / f"{out_dir.name or 'rapport'}.projekt" / "demo.qcp"


def run_demo(
    out_dir: Path,
    *,
    samples: Path | None = None,
    lang: str | None = None,
    formats: tuple[str, ...] | None = None,
) -> DemoResult:
    with use_language(lang):
        return _run_demo(Path(out_dir), samples or sample_dir(), formats)


def _run_demo(out_dir: Path, samples: Path, formats: tuple[str, ...] | None) -> DemoResult:
    from qualcode.report import build_report

    began = time.perf_counter()
    project_path = demo_project_path(out_dir)
    key_path = default_key_path(project_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    project_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (project_path, *sidecars(project_path), key_path):
        stale.unlink(missing_ok=True)
    with Project.open(project_path) as project:
        report = import_files(project, sample_files(samples), metadata_csv=samples / "metadata.csv")
        for _path, message in report.failed:
            click.echo(message, err=True)
        turns = sum(d.turns for d in report.imported)
        sentences = sum(d.sentences for d in report.imported)
        n = len(report.imported)
        click.echo(ngettext("Imported {n} interview: {turns} turns, {sentences} sentences.",
                            "Imported {n} interviews: {turns} turns, {sentences} sentences.", n).format(
            n=n, turns=format_number(turns), sentences=format_number(sentences)))

        codebook = load_codebook(codebook_path())
        project.codebook.apply(codebook, actor="demo", source=str(codebook_path()))
        click.echo(ngettext("Codebook: {name} ({n} code).", "Codebook: {name} ({n} codes).", len(codebook)).format(
            name=codebook.name, n=len(codebook)))

        suggestions = _suggest(project, None)
        if suggestions:
            click.echo(ngettext("Suggestions: {n} machine suggestion stored, waiting for review.",
                                "Suggestions: {n} machine suggestions stored, waiting for review.", suggestions).format(
                n=format_number(suggestions)))

        gold_path = samples / "gold_codings.csv"
        gold = 0
        if gold_path.is_file():
            gold = len(project.codings.add_many(read_gold_codings(gold_path, project)))
            click.echo(_("Human coding: {n} codings from {file}, stored as coder {coder} (reference coding, not a real coder).").format(
                n=format_number(gold), file=gold_path.name, coder=quote(GOLD_CODER)))
        else:
            click.echo(_("No {file}: the report has no human coding.").format(file=gold_path.name), err=True)

        note = _("the reference coding from {file}, used as the human coding in the demo").format(file=gold_path.name)
        result = build_report(
            project,
            out_dir,
            formats=formats or ("docx", "xlsx", "csv", "md"),
            anonymise=True,
            coder_notes={GOLD_CODER: note},
            progress=True,
        )
    seconds = time.perf_counter() - began
    click.echo(_("Project file and pseudonym key (personal data, kept outside the report folder; do not share): {project}, {key}").format(
        project=project_path, key=key_path))
    click.echo(_("Report ({seconds} s):").format(seconds=format_number(round(seconds))))
    for path in result.files:
        click.echo(f"  {path}")
    return DemoResult(project_path, result.files, True, gold, suggestions, seconds)
