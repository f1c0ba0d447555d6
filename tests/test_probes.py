"""Hostile inputs against every command that reads a file: one line, exit 2, no traceback, nothing changed.

Each row builds its input in a temporary folder at test time (bombs too:
nothing hostile is committed) and runs ``qualcode`` in a forked child process
(tests/probe_runner.py), which is measured on its own. For every row the
probe asserts the exit code and that no traceback reached the user; for a
refusal also exactly one message line naming the file (and the line, where
one applies) and, where a project was involved, that the project file's
SHA-256 is unchanged; for a bomb, that the child's peak memory stayed under
the row's ceiling. Rows marked ``unprivileged`` run with file permissions
enforced even when the tests run as root (read-only folders).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import threading
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pytest

from probe_runner import Run, can_drop_privileges, run
from qualcode import Project, import_files
from team_helpers import build_two_coder_project

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
SAMPLE_TXT = SAMPLES / "01_direktoer_fjordby.txt"
CODEBOOK = ROOT / "codebooks" / "barrierer_drivkraefter.yaml"
MB = 1024 * 1024
TEXT = "I: Hvad hæmmer samarbejdet?\nIP: Vi måles kun på egne mål, og der er ingen tid.\n"


# -- what a row builds ------------------------------------------------------------------
@dataclass
class Case:
    argv: list[str]
    names: Path | str | None = None        # the file the one message line names (None: the command succeeds)
    line: int | None = None                # ... and the line in it, where one applies
    project: Path | None = None            # a project whose SHA-256 must not change when the command fails
    env: dict[str, str] = field(default_factory=dict)
    during: Callable[[], "contextmanager"] | None = None  # something going on while the command runs
    check: Callable[[Run], None] | None = None           # more to assert (successful rows)


@dataclass(frozen=True)
class Probe:
    id: str
    build: Callable[[Path, "Inputs"], Case]
    exit_code: int = 2
    memory_mb: float = 400.0   # the child's peak resident memory above what it inherited
    unprivileged: bool = False
    marks: tuple = ()


@dataclass(frozen=True)
class Inputs:
    """Files every probe may copy: a coded two-coder project with one imported sample interview."""

    project: Path

    def copy_project(self, tmp: Path, name: str = "studie.qcp") -> Path:
        target = tmp / name
        shutil.copy(self.project, target)
        return target


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Inputs:
    folder = tmp_path_factory.mktemp("probe-inputs")
    path = folder / "studie.qcp"
    with Project.open(path) as project:
        build_two_coder_project(project)
        report = import_files(project, [SAMPLE_TXT], metadata_csv=SAMPLES / "metadata.csv", progress=False)
        assert not report.failed
    _warm_up()
    return Inputs(path)


def _warm_up() -> None:
    """Load in this process what commands load lazily (scikit-learn, the anonymiser's lists, the
    REFI schema, matplotlib), so each forked probe measures its own work, not a library's import."""
    import matplotlib.pyplot  # noqa: F401
    import openpyxl  # noqa: F401

    from qualcode.anonymise import Anonymiser
    from qualcode.codebook import load_codebook
    from qualcode.refi.schema import project_schema
    from qualcode.report import build  # noqa: F401
    from qualcode.suggest.engine import Suggester

    Anonymiser().anonymise("Jeg hedder Mette Hansen og bor i Fjordby.")
    Suggester(load_codebook(CODEBOOK)).fit(["Vi har ingen tid."]).suggest_many(["Vi har travlt."])
    project_schema()


# -- helpers that make hostile files -------------------------------------------------------
def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def sparse(path: Path, size: int) -> Path:
    """A file that claims ``size`` bytes without taking them on disk."""
    with path.open("wb") as f:
        f.truncate(size)
    return path


def docx_bytes(paragraphs=("I: Hvad hæmmer samarbejdet?", "IP: Vi måles kun på egne mål.")) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes | Callable[[zipfile.ZipFile], None]) -> bytes:
    """A copy of a zip archive with one member replaced (``content`` may stream it in)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        if callable(content):
            content(target)
        else:
            target.writestr(name, content)
    return out.getvalue()


def streamed(name: str, size: int, chunk: bytes) -> Callable[[zipfile.ZipFile], None]:
    """Write ``size`` bytes of repeated ``chunk`` into a member: a bomb built in seconds, tiny on disk."""
    def fill(archive: zipfile.ZipFile) -> None:
        block = chunk * (MB // len(chunk))
        with archive.open(zipfile.ZipInfo(name), "w", force_zip64=True) as member:
            written = 0
            while written < size:
                member.write(block)
                written += len(block)
    return fill


def corrupt_member(path: Path, name: str) -> Path:
    """Flip one byte of a stored member's data: the archive opens, the CRC check fails on reading."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


QDE_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
CODES = ('<CodeBook><Codes><Code guid="5b0e0c9e-2222-4d2a-8f00-000000000001" name="Tidspres" isCodable="true"/>'
         '</Codes></CodeBook>')


def qdpx(path: Path, sources: str = "", codes: str = CODES, members: dict[str, bytes] | None = None,
         doctype: str = "", stored: bool = False, streams: tuple = ()) -> Path:
    """A .qdpx: project.qde with these codes and sources, ``members`` as given, ``streams`` written by streamed()."""
    qde = (f'{QDE_HEAD}{doctype}<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="probe">'
           f'{codes}<Sources>{sources}</Sources></Project>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
        for fill in streams:
            fill(archive)
    return path


def text_source(guid: str, ref: str, rich: bool = False) -> str:
    attr = "richTextPath" if rich else "plainTextPath"
    return f'<TextSource guid="{guid}" name="kilde" {attr}="{ref}"/>'


G1 = "0d4e7a31-3333-4e5f-a1b2-000000000001"


@contextmanager
def holding_write_lock(path: Path, seconds: float = 3.0) -> Iterator[None]:
    """Another program writing to the project for longer than the command will wait."""
    ready, done = threading.Event(), threading.Event()

    def hold():
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        done.wait(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    try:
        yield
    finally:
        done.set()
        thread.join()


def read_only_folder(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    folder.chmod(0o555)
    return folder


# -- the rows ---------------------------------------------------------------------------------
def table_refused(table: Path, tmp: Path, inp: Inputs) -> Case:
    """``qualcode consensus`` with ``table`` on a copy of the project: refused naming the table, the project unchanged."""
    project = inp.copy_project(tmp)
    return Case(["consensus", "-p", str(project), "--table", str(table)], names=table, project=project)


def refused(command: str, path: Path, tmp: Path, inp: Inputs) -> Case:
    """``qualcode <command> <path> -p <a copy of the project>``, refused naming ``path``, the project unchanged."""
    project = inp.copy_project(tmp)
    return Case([command, str(path), "-p", str(project)], names=path, project=project)


def b_import_docx_truncated(tmp, inp):
    data = docx_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    path = write(tmp / "afbrudt.docx", replace_member(data, "word/document.xml", xml[: len(xml) // 2]))
    return refused("import", path, tmp, inp)


def b_anonymise_docx_truncated(tmp, inp):
    case = b_import_docx_truncated(tmp, inp)
    return Case(["anonymise", case.argv[1], "--out", str(tmp / "anonym")], names=case.names)


def b_import_docx_bomb(tmp, inp):
    # 200 MB of paragraph XML deflated to a few hundred kB: the uncompressed size is refused before parsing.
    data = replace_member(docx_bytes(), "word/document.xml",
                          streamed("word/document.xml", 200 * MB, b"<w:p><w:r><w:t>bombe</w:t></w:r></w:p>"))
    path = write(tmp / "bombe.docx", data)
    return refused("import", path, tmp, inp)


def b_import_docx_not_zip(tmp, inp):
    path = write(tmp / "ikke.docx", "Det her er ikke et Word-dokument.\n")
    return refused("import", path, tmp, inp)


def b_import_text_over_limit(tmp, inp):
    path = sparse(tmp / "kæmpe.txt", 30 * MB)
    return refused("import", path, tmp, inp)


def b_import_binary_txt(tmp, inp):
    path = write(tmp / "binær.txt", bytes(range(256)) * 64)
    return refused("import", path, tmp, inp)


def b_import_metadata_binary(tmp, inp):
    meta = write(tmp / "metadata.csv", b"\x00\x01\x02" * 1000)
    project = inp.copy_project(tmp)
    return Case(["import", str(SAMPLE_TXT), "-p", str(project), "--metadata", str(meta)], names=meta, project=project)


def b_import_metadata_no_file_column(tmp, inp):
    meta = write(tmp / "metadata.csv", "navn;rolle\nMette;chef\n")
    project = inp.copy_project(tmp)
    return Case(["import", str(SAMPLE_TXT), "-p", str(project), "--metadata", str(meta)], names=meta, line=1, project=project)


def b_import_metadata_too_large(tmp, inp):
    meta = sparse(tmp / "metadata.csv", 60 * MB)
    project = inp.copy_project(tmp)
    return Case(["import", str(SAMPLE_TXT), "-p", str(project), "--metadata", str(meta)], names=meta, project=project)


def b_import_into_text_file(tmp, inp):
    project = write(tmp / "noter.qcp", "mine noter, ikke et projekt\n")
    return Case(["import", str(SAMPLE_TXT), "-p", str(project)], names=project, project=project)


def b_import_into_foreign_sqlite(tmp, inp):
    project = tmp / "andet.db"
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    return Case(["import", str(SAMPLE_TXT), "-p", str(project)], names=project, project=project)


def b_import_busy_project(tmp, inp):
    project = inp.copy_project(tmp)
    return Case(["import", str(SAMPLE_TXT.parent / "02_chef_fjordby.txt"), "-p", str(project)], names=project,
                project=project, env={"QUALCODE_BUSY_TIMEOUT": "0.3"}, during=lambda: holding_write_lock(project))


def b_import_new_project_in_read_only_folder(tmp, inp):
    folder = read_only_folder(tmp / "låst")
    return Case(["import", str(SAMPLE_TXT), "-p", str(folder / "ny.qcp")], names=folder / "ny.qcp")


def read_only_project(tmp: Path, inp: Inputs) -> Path:
    """A copy of the project that may not be written, in a folder that may not be written."""
    folder = tmp / "låst"
    folder.mkdir()
    project = inp.copy_project(folder)
    project.chmod(0o444)
    read_only_folder(folder)
    return project


def b_import_into_read_only_project(tmp, inp):
    project = read_only_project(tmp, inp)

    def says_read_only(r: Run) -> None:
        assert "read-only" in r.lines[0]
    return Case(["import", str(SAMPLE_TXT.parent / "02_chef_fjordby.txt"), "-p", str(project)], names=project,
                project=project, check=says_read_only)


def b_import_failed_into_new_project(tmp, inp):
    bad = write(tmp / "tom.txt", "")
    project = tmp / "ny.qcp"

    def no_file_left(r: Run) -> None:
        assert not project.exists()
    return Case(["import", str(bad), "-p", str(project)], names=bad, check=no_file_left)


def b_import_vtt_malformed_timing(tmp, inp):
    vtt = write(tmp / "møde.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anne>Hvad hæmmer samarbejdet?</v>\n\n"
                "00:00:05,000x --> 00:00:09.000\n<v Bo>Vi måles kun på egne mål.</v>\n\n"
                "00:00:10.000 -> 00:00:12.000\n<v Anne>Og hvad hjælper?</v>\n\n"
                "00:00:13.000 --> 00:00:15.000\n<v Bo>Ledelsen bakker op.</v>\n")
    project = tmp / "ny.qcp"

    def text_kept_or_warned(r: Run) -> None:
        with Project.open(project, read_only=True) as p:
            text = p.documents.all()[0].text
        kept = "Vi måles kun på egne mål." in text and "Og hvad hjælper?" in text
        warned = any(f"{vtt}:6" in ln for ln in r.lines) and any(f"{vtt}:9" in ln for ln in r.lines)
        assert kept or warned, r.lines
    return Case(["import", str(vtt), "-p", str(project)], check=text_kept_or_warned)


def b_import_text_memory(tmp, inp, labelled: bool = True):
    # A 2 MB interview (a whole day's recording) with a raised --max-size: memory stays under 20x its text.
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    body = text.split("---", 2)[2]
    if not labelled:  # no speaker labels: the whole file is one turn, segmented in pieces
        body = "\n".join(line.split(": ", 1)[-1] for line in body.splitlines())
    path = write(tmp / "lang.txt", (body * (2 * MB // len(body.encode()) + 1)))
    project = tmp / "ny.qcp"

    def stored(r: Run) -> None:
        with Project.open(project, read_only=True) as p:
            assert len(p.documents.all()[0].text) > 1_900_000
    return Case(["import", str(path), "-p", str(project), "--max-size", "200"], check=stored)


def b_metadata_binary_csv(tmp, inp):
    meta = write(tmp / "metadata.csv", b"\x00\x01\x02" * 1000)
    project = inp.copy_project(tmp)
    return Case(["metadata", str(meta), "-p", str(project)], names=meta, project=project)


def b_search_foreign_sqlite(tmp, inp):
    case = b_import_into_foreign_sqlite(tmp, inp)
    return Case(["search", "tid", "-p", str(case.project)], names=case.project, project=case.project)


def b_autocode_read_only_project(tmp, inp):
    project = read_only_project(tmp, inp)

    def says_read_only(r: Run) -> None:
        assert "read-only" in r.lines[0]
    return Case(["autocode", "tid", "--code", "barriere.tid", "-p", str(project)], names=project, project=project,
                check=says_read_only)


def b_media_link_text_project(tmp, inp):
    project = write(tmp / "noter.qcp", "mine noter\n")
    recording = write(tmp / "optagelse.mp3", b"ID3" + bytes(100))
    return Case(["media", "link", "1", str(recording), "-p", str(project)], names=project, project=project)


def b_segment_text_project(tmp, inp):
    project = write(tmp / "noter.qcp", "mine noter\n")
    return Case(["segment", "-p", str(project)], names=project, project=project)


def b_info_foreign_sqlite(tmp, inp):
    case = b_import_into_foreign_sqlite(tmp, inp)
    return Case(["info", "-p", case.argv[3]], names=case.project, project=case.project)


def b_info_read_only_project(tmp, inp):
    project = read_only_project(tmp, inp)

    def listed(r: Run) -> None:
        assert r.lines[0] == "Dokumenter: 3"
    return Case(["info", "-p", str(project)], project=project, check=listed)


def b_info_directory(tmp, inp):
    folder = tmp / "mappe.qcp"
    folder.mkdir()
    return Case(["info", "-p", str(folder)], names=folder)


def b_demo_garbage_metadata(tmp, inp):
    samples = tmp / "eksempler"
    samples.mkdir()
    shutil.copy(SAMPLE_TXT, samples)
    meta = write(samples / "metadata.csv", b"\xff\xfe\x00garbage\x00" * 50)
    return Case(["demo", "--samples", str(samples), "--out", str(tmp / "rapport")], names=meta)


def b_demo_read_only_out(tmp, inp):
    folder = read_only_folder(tmp / "låst")
    return Case(["demo", "--out", str(folder / "rapport")], names=folder / "rapport")


def b_report_out_is_a_file(tmp, inp):
    project = inp.copy_project(tmp)
    out = write(tmp / "rapport", "en fil, ikke en mappe\n")
    return Case(["report", "-p", str(project), "--out", str(out), "--format", "csv"], names=out, project=project)


def b_report_status_bogus(tmp, inp):
    project = inp.copy_project(tmp)
    return Case(["report", "-p", str(project), "--out", str(tmp / "r"), "--status", "bogus"], names="--status", project=project)


def b_report_per_code_negative(tmp, inp):
    project = inp.copy_project(tmp)
    return Case(["report", "-p", str(project), "--out", str(tmp / "r"), "--per-code", "-5"], names="--per-code", project=project)


def b_report_read_only_out(tmp, inp):
    project = inp.copy_project(tmp)
    folder = read_only_folder(tmp / "låst")
    return Case(["report", "-p", str(project), "--out", str(folder / "r"), "--format", "csv"], names=folder / "r", project=project)


def b_rate_read_only_project(tmp, inp):
    project = read_only_project(tmp, inp)

    def says_read_only(r: Run) -> None:
        assert "read-only" in r.lines[0]
    return Case(["rate", "1", "5", "-p", str(project)], names=project, project=project, check=says_read_only)


def b_report_read_only_project(tmp, inp):
    case = b_info_read_only_project(tmp, inp)
    out = tmp / "rapport"

    def written(r: Run) -> None:
        assert (out / "citater.csv").is_file()
    return Case(["report", "-p", case.argv[2], "--out", str(out), "--format", "csv"], project=case.project, check=written)


def b_anonymised_exports_of_read_only_project(tmp, inp, command: str):
    # Exports that anonymise use the cache where they may; on a read-only project they work without it.
    project = read_only_project(tmp, inp)
    out = tmp / ("uenigheder.csv" if command == "agreement" else "anonym.qdpx")
    argv = (["agreement", "-p", str(project), "--disagreements", str(out)] if command == "agreement"
            else ["export-qdpx", "-p", str(project), "--out", str(out), "--anonymise"])

    def written(r: Run) -> None:
        if out.suffix == ".csv":
            blob = out.read_text(encoding="utf-8")
        else:
            with zipfile.ZipFile(out) as archive:
                blob = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
            assert "[Person" in blob and "2026-03-02" in blob  # the sample interview, anonymised; its date kept
        assert "Birgitte" not in blob and "Louise" not in blob
    return Case(argv, project=project, check=written)


RECURSIVE_YAML = "codebook: Bombe\nversion: '1'\ncodes: &koder\n  - id: a\n    name: A\n    children: *koder\n"


def laughs_yaml() -> str:
    """A codebook whose aliases repeat two codes 2^30 times (each level's list holds the last one twice)."""
    lines = ["codebook: Latter", "version: '1'", "codes:", "  - id: a0", "    name: A", "    children: &l0",
             "      - {id: b0, name: B}"]
    for i in range(1, 31):
        lines += [f"  - id: a{i}", "    name: A", f"    children: &l{i}",
                  f"      - {{id: c{i}, name: C, children: *l{i - 1}}}", f"      - {{id: d{i}, name: D, children: *l{i - 1}}}"]
    return "\n".join(lines) + "\n"


def b_codebook_check_recursive(tmp, inp):
    path = write(tmp / "kodebog.yaml", RECURSIVE_YAML)
    return Case(["codebook", "check", str(path)], names=path, line=3)


def b_codebook_check_laughs(tmp, inp):
    path = write(tmp / "kodebog.yaml", laughs_yaml())
    return Case(["codebook", "check", str(path)], names=path)


def b_codebook_apply_recursive(tmp, inp):
    path = write(tmp / "kodebog.yaml", RECURSIVE_YAML)
    project = inp.copy_project(tmp)
    return Case(["codebook", "apply", str(path), "-p", str(project)], names=path, line=3, project=project)


def b_codebook_diff_garbage_qdc(tmp, inp):
    path = write(tmp / "kodebog.qdc", b"\x00\x01 ikke xml")
    return Case(["codebook", "diff", str(CODEBOOK), str(path)], names=path, line=1)


def b_codebook_import_bad_crc(tmp, inp):
    path = qdpx(tmp / "skadet.qdpx", stored=True)
    corrupt_member(path, "project.qde")
    return Case(["codebook", "import", str(path), "-o", str(tmp / "ud.yaml")], names=path)


def b_codebook_export_garbage(tmp, inp):
    path = write(tmp / "kodebog.yaml", b"\xff\xfe\x00\x00")
    return Case(["codebook", "export", str(path), str(tmp / "ud.docx")], names=path)


def b_codebook_usage_text_project(tmp, inp):
    project = write(tmp / "noter.qcp", "mine noter\n")
    return Case(["codebook", "usage", "-p", str(project)], names=project, project=project)


def b_codebook_log_text_project(tmp, inp):
    project = write(tmp / "noter.qcp", "mine noter\n")
    return Case(["codebook", "log", "-p", str(project)], names=project, project=project)


def b_codebook_rename_foreign_sqlite(tmp, inp):
    case = b_import_into_foreign_sqlite(tmp, inp)
    return Case(["codebook", "rename", "barriere.tid", "Tid", "-p", str(case.project)], names=case.project, project=case.project)


def jsonl_cp1252(tmp: Path, name: str, records: list[dict]) -> Path:
    return write(tmp / name, "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("cp1252"))


def b_suggest_input_not_utf8(tmp, inp):
    path = jsonl_cp1252(tmp, "tekster.jsonl", [{"id": 1, "text": "Vi har travlt."}, {"id": 2, "text": "Vi måles på mål."}])
    return Case(["suggest", "--codebook", str(CODEBOOK), "--input", str(path), "--json"], names=path, line=2)


def b_suggest_train_not_utf8(tmp, inp):
    texts = write(tmp / "tekster.jsonl", json.dumps({"id": 1, "text": "Vi har travlt."}) + "\n")
    train = jsonl_cp1252(tmp, "kodet.jsonl", [{"text": "Ingen tid til møder.", "code": "barriere.tidspres"}])
    return Case(["suggest", "--codebook", str(CODEBOOK), "--input", str(texts), "--train", str(train)], names=train, line=1)


def b_suggest_input_too_large(tmp, inp):
    path = sparse(tmp / "tekster.jsonl", 60 * MB)
    return Case(["suggest", "--codebook", str(CODEBOOK), "--input", str(path)], names=path)


def b_suggest_codebook_recursive(tmp, inp):
    book = write(tmp / "kodebog.yaml", RECURSIVE_YAML)
    texts = write(tmp / "tekster.jsonl", json.dumps({"id": 1, "text": "Vi har travlt."}) + "\n")
    return Case(["suggest", "--codebook", str(book), "--input", str(texts)], names=book, line=3)


def b_suggest_text_project(tmp, inp):
    project = write(tmp / "noter.qcp", "mine noter\n")
    return Case(["suggest", "-p", str(project)], names=project, project=project)


def b_evaluate_gold_cp1252(tmp, inp):
    # A gold CSV as Danish Excel saves it: cp1252. It must be read, not crash.
    project = inp.copy_project(tmp)
    with (SAMPLES / "gold_codings.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["document"] == SAMPLE_TXT.name]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    gold = write(tmp / "guld.csv", out.getvalue().encode("cp1252"))

    def measured(r: Run) -> None:
        assert any(ln.startswith("top-1 ") for ln in r.lines), r.lines
    return Case(["evaluate", "-p", str(project), "--gold", str(gold), "--no-curve"], project=project, check=measured)


def b_evaluate_gold_binary(tmp, inp):
    project = inp.copy_project(tmp)
    gold = write(tmp / "guld.csv", b"\x00\x01\x02\x03" * 100)
    return Case(["evaluate", "-p", str(project), "--gold", str(gold)], names=gold, project=project)


def b_evaluate_codebook_recursive(tmp, inp):
    project = inp.copy_project(tmp)
    book = write(tmp / "kodebog.yaml", RECURSIVE_YAML)
    gold = tmp / "guld.csv"
    shutil.copy(SAMPLES / "gold_codings.csv", gold)
    return Case(["evaluate", "-p", str(project), "--gold", str(SAMPLES / "gold_codings.csv"), "--codebook", str(book)],
                names=book, line=3, project=project)


def b_anonymise_register_binary(tmp, inp):
    register = write(tmp / "register.yaml", b"\x00\xff\x00 binary")
    return Case(["anonymise", str(SAMPLE_TXT), "--out", str(tmp / "ud"), "--register", str(register)], names=register)


def b_anonymise_register_list(tmp, inp):
    register = write(tmp / "register.yaml", "- Søren\n- Mette\n")
    return Case(["anonymise", str(SAMPLE_TXT), "--out", str(tmp / "ud"), "--register", str(register)], names=register)


def b_anonymise_register_bad_people(tmp, inp):
    register = write(tmp / "register.yaml", "people:\n  - name: [Søren, Mette]\n    aliases: 7\n")
    return Case(["anonymise", str(SAMPLE_TXT), "--out", str(tmp / "ud"), "--register", str(register)], names=register, line=2)


def b_anonymise_register_csv_columns(tmp, inp):
    register = write(tmp / "register.csv", "navn,alias\nSøren,SSK\n")
    return Case(["anonymise", str(SAMPLE_TXT), "--out", str(tmp / "ud"), "--register", str(register)], names=register, line=1)


def b_anonymise_key_binary(tmp, inp):
    key = write(tmp / "nøgle.json", b"\x00\x01\x02")
    return Case(["anonymise", str(SAMPLE_TXT), "--out", str(tmp / "ud"), "--key", str(key)], names=key)


def b_anonymise_key_bad_entity(tmp, inp):
    key = write(tmp / "nøgle.json", json.dumps({"format": "qualcode-pseudonym-key", "entities": [{"navn": "Søren"}]}))
    return Case(["anonymise", str(SAMPLE_TXT), "--out", str(tmp / "ud"), "--key", str(key)], names=key)


def b_anonymise_evaluate_binary(tmp, inp):
    gold = write(tmp / "guld.csv", b"\x00\x01\x02")
    return Case(["anonymise", "--evaluate", str(gold)], names=gold)


def b_anonymise_evaluate_columns(tmp, inp):
    gold = write(tmp / "guld.csv", "fil;start;slut\n01.txt;1;2\n")
    return Case(["anonymise", "--evaluate", str(gold)], names=gold, line=1)


def b_anonymise_evaluate_tsv_garbage(tmp, inp):
    cases = write(tmp / "svære.tsv", b"\xff\xfe\x00\x00garbage\tx\n")
    return Case(["anonymise", "--evaluate", str(cases)], names=cases)


def b_anonymise_read_only_out(tmp, inp):
    folder = read_only_folder(tmp / "låst")
    return Case(["anonymise", str(SAMPLE_TXT), "--out", str(folder / "ud")], names=folder)


def b_agreement_read_only_out(tmp, inp):
    project = inp.copy_project(tmp)
    folder = read_only_folder(tmp / "låst")
    table = folder / "uenigheder.csv"
    return Case(["agreement", "-p", str(project), "--disagreements", str(table)], names=table, project=project)


def b_agreement_text_project(tmp, inp):
    project = write(tmp / "noter.qcp", "mine noter\n")
    return Case(["agreement", "-p", str(project)], names=project, project=project)


def b_consensus_empty_table(tmp, inp):
    return table_refused(write(tmp / "uenigheder.csv", ""), tmp, inp)


def b_consensus_binary_table(tmp, inp):
    return table_refused(write(tmp / "uenigheder.csv", b"\x00\x01\x02\xff" * 200), tmp, inp)


def b_consensus_text_as_xlsx(tmp, inp):
    return table_refused(write(tmp / "uenigheder.xlsx", "document_id,start,end,agreed\n1,0,10,x\n"), tmp, inp)


def b_consensus_bad_value(tmp, inp):
    project = inp.copy_project(tmp)
    table = write(tmp / "uenigheder.csv", "document_id,start,end,agreed\n1,0,10,barriere.tid\ntre,0,10,barriere.tid\n")
    return Case(["consensus", "-p", str(project), "--table", str(table)], names=table, line=3, project=project)


def b_consensus_xlsx_bomb(tmp, inp):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["document_id", "start", "end", "agreed"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = replace_member(buffer.getvalue(), "xl/worksheets/sheet1.xml",
                          streamed("xl/worksheets/sheet1.xml", 300 * MB, b"<row><c><v>1</v></c></row>"))
    return table_refused(write(tmp / "uenigheder.xlsx", data), tmp, inp)


def b_merge_bad_second(tmp, inp):
    first = inp.copy_project(tmp, "anna.qcp")
    bad = write(tmp / "BAD.qcp", "ikke en projektfil\n")
    into = tmp / "team.qcp"

    def nothing_left(r: Run) -> None:
        assert sorted(p.name for p in tmp.iterdir()) == ["BAD.qcp", "anna.qcp", "probe.stderr", "probe.stdout"]
    return Case(["merge", str(first), str(bad), "--into", str(into)], names=bad, project=first, check=nothing_left)


def b_merge_read_only_out(tmp, inp):
    first = inp.copy_project(tmp, "anna.qcp")
    folder = read_only_folder(tmp / "låst")
    return Case(["merge", str(first), "--into", str(folder / "team.qcp")], names=folder / "team.qcp", project=first)


def b_export_qdpx_read_only_out(tmp, inp):
    project = inp.copy_project(tmp)
    folder = read_only_folder(tmp / "låst")
    return Case(["export-qdpx", "-p", str(project), "--out", str(folder / "ud.qdpx")], names=folder / "ud.qdpx", project=project)


def b_export_qdpx_out_is_folder(tmp, inp):
    project = inp.copy_project(tmp)
    out = tmp / "ud.qdpx"
    out.mkdir()
    return Case(["export-qdpx", "-p", str(project), "--out", str(out)], names=out, project=project)


def b_import_qdpx_comment_and_entity(tmp, inp):
    # Legal XML: a comment and an internal entity inside <Codes> must import.
    doctype = '<!DOCTYPE Project [<!ENTITY org "Fjordby">]>\n'
    codes = ('<CodeBook><Codes><!-- fra NVivo --><Code guid="5b0e0c9e-2222-4d2a-8f00-000000000001" name="&org; tidspres"'
             ' isCodable="true"><Description>Tid &amp; ressourcer i &org;</Description></Code><?pi x?></Codes></CodeBook>')
    path = qdpx(tmp / "nvivo.qdpx", codes=codes, doctype=doctype, sources=text_source(G1, f"internal://{G1}.txt"),
                members={f"sources/{G1}.txt": TEXT.encode()})
    project = tmp / "ny.qcp"

    def imported(r: Run) -> None:
        with Project.open(project, read_only=True) as p:
            assert [c.name for c in p.codebook.current().codes] == ["Fjordby tidspres"]
            assert p.codebook.current().codes[0].definition == "Tid & ressourcer i Fjordby"
    return Case(["import-qdpx", str(path), "-p", str(project)], check=imported)


def b_import_qdpx_broken_docx_source(tmp, inp):
    # A damaged rich-text source is left out with a warning naming the archive and the source; the rest imports.
    path = qdpx(tmp / "rig.qdpx", sources=text_source(G1, f"internal://{G1}.docx", rich=True),
                members={f"sources/{G1}.docx": b"PK\x03\x04 ikke et rigtigt dokument"})
    project = inp.copy_project(tmp)

    def warned(r: Run) -> None:
        assert any(str(path) in ln and "kilde" in ln and "Word" in ln for ln in r.lines), r.lines
    return Case(["import-qdpx", str(path), "-p", str(project)], check=warned)


def b_import_qdpx_bad_crc(tmp, inp):
    path = qdpx(tmp / "skadet.qdpx", sources=text_source(G1, f"internal://{G1}.txt"),
                members={f"sources/{G1}.txt": TEXT.encode() * 50}, stored=True)
    corrupt_member(path, f"sources/{G1}.txt")
    return refused("import-qdpx", path, tmp, inp)


def b_import_qdpx_one_huge_member(tmp, inp):
    # 190 MB of text in one member of a tiny archive: refused before it is inflated.
    path = qdpx(tmp / "bombe.qdpx", sources=text_source(G1, f"internal://{G1}.txt"),
                streams=(streamed(f"sources/{G1}.txt", 190 * MB, b"IP: bla bla. "),))
    return refused("import-qdpx", path, tmp, inp)


def b_import_qdpx_many_large_members(tmp, inp):
    # 25 sources of 9 MB each: every one under the per-source limit, together over the archive's budget.
    guids = [f"0d4e7a31-3333-4e5f-a1b2-{i:012d}" for i in range(25)]
    path = qdpx(tmp / "mange.qdpx", sources="".join(text_source(g, f"internal://{g}.txt") for g in guids),
                streams=tuple(streamed(f"sources/{g}.txt", 9 * MB, b"IP: bla bla. ") for g in guids))
    return refused("import-qdpx", path, tmp, inp)


def b_import_qdpx_too_many_members(tmp, inp):
    path = qdpx(tmp / "mange.qdpx", members={f"sources/{i}.txt": b"" for i in range(10_001)})
    return refused("import-qdpx", path, tmp, inp)


def b_import_qdpx_not_zip(tmp, inp):
    path = write(tmp / "ikke.qdpx", "<Project/>")
    return refused("import-qdpx", path, tmp, inp)


def b_import_qdpx_billion_laughs(tmp, inp):
    entities = '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    codes = '<CodeBook><Codes><Code guid="5b0e0c9e-2222-4d2a-8f00-000000000001" name="&j;" isCodable="true"/></Codes></CodeBook>'
    path = qdpx(tmp / "latter.qdpx", codes=codes, doctype=f"<!DOCTYPE Project [{entities}]>\n")
    return refused("import-qdpx", path, tmp, inp)


def b_import_qdpx_external_entity(tmp, inp):
    # XXE: an external entity naming a local file is never read.
    secret = write(tmp / "hemmelig.txt", "HEMMELIGT-INDHOLD")
    doctype = f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    sources = f'<TextSource guid="{G1}" name="kilde"><PlainTextContent>IP: &xxe; slut.</PlainTextContent></TextSource>'
    path = qdpx(tmp / "xxe.qdpx", doctype=doctype, sources=sources)
    project = tmp / "ny.qcp"

    def not_read(r: Run) -> None:
        assert not project.exists() and all("HEMMELIGT" not in ln for ln in r.lines)
    return Case(["import-qdpx", str(path), "-p", str(project)], names=path, line=3, check=not_read)


def b_import_qdpx_zip_slip_and_absolute_path(tmp, inp):
    # A member named ../../ and a source pointing at an absolute path: read from the archive only, nothing written.
    g2 = "0d4e7a31-3333-4e5f-a1b2-000000000002"
    sources = text_source(G1, "internal://../../flugt.txt") + text_source(g2, "file:///etc/hostname")
    path = qdpx(tmp / "slip.qdpx", sources=sources, members={"sources/../../flugt.txt": TEXT.encode()})
    project = tmp / "ny.qcp"

    def contained(r: Run) -> None:
        assert not (tmp.parent / "flugt.txt").exists() and not (tmp.parent.parent / "flugt.txt").exists()
        with Project.open(project, read_only=True) as p:
            assert p.documents.all() == []  # ".." never leads out, and another machine's path is not read
        assert sum("kilde" in ln and str(path) in ln for ln in r.lines) == 2, r.lines
    return Case(["import-qdpx", str(path), "-p", str(project)], check=contained)


def b_import_qdpx_failed_new_project(tmp, inp):
    path = write(tmp / "ikke.qdpx", "ikke en zip")
    project = tmp / "ny.qcp"

    def no_file_left(r: Run) -> None:
        assert not project.exists()
    return Case(["import-qdpx", str(path), "-p", str(project)], names=path, check=no_file_left)


SLOW = (pytest.mark.slow,)
PROBES = [
    # import: transcripts, metadata and project files
    Probe("import-docx-truncated-xml", b_import_docx_truncated),             # lxml XMLSyntaxError was a traceback
    Probe("import-docx-not-a-zip", b_import_docx_not_zip),                   # a text file named .docx
    Probe("import-docx-bomb", b_import_docx_bomb, memory_mb=150),            # 200 MB XML in a small .docx: passed 4 GB
    Probe("import-text-over-limit", b_import_text_over_limit, memory_mb=150),  # 30 MB > the 10 MB transcript limit
    Probe("import-binary-txt", b_import_binary_txt),                         # bytes, not text
    Probe("import-text-2mb-memory", b_import_text_memory, exit_code=0, memory_mb=20 * 2.1),  # under 20x its 2.1 MB of text
    Probe("import-text-2mb-one-turn-memory", lambda t, i: b_import_text_memory(t, i, labelled=False), exit_code=0,
          memory_mb=20 * 2.1),                                               # no labels: one 2 MB turn
    Probe("import-metadata-binary", b_import_metadata_binary),               # metadata CSV that is not text
    Probe("import-metadata-no-file-column", b_import_metadata_no_file_column),  # line 1 names the problem
    Probe("import-metadata-too-large", b_import_metadata_too_large, memory_mb=150),  # 60 MB "CSV"
    Probe("import-into-text-file", b_import_into_text_file),                 # project path is not SQLite
    Probe("import-into-foreign-sqlite", b_import_into_foreign_sqlite),       # another program's empty database
    Probe("import-busy-project", b_import_busy_project),                     # another writer holds the lock
    Probe("import-new-project-read-only-folder", b_import_new_project_in_read_only_folder, unprivileged=True),
    Probe("import-into-read-only-project", b_import_into_read_only_project, unprivileged=True),  # says read-only
    Probe("import-failed-leaves-no-new-project", b_import_failed_into_new_project),  # no empty .qcp left behind
    Probe("import-vtt-malformed-timing", b_import_vtt_malformed_timing, exit_code=0),  # text kept or warned (issue 14)
    Probe("metadata-binary-csv", b_metadata_binary_csv),                     # qualcode metadata: CSV into a project
    Probe("search-foreign-sqlite", b_search_foreign_sqlite),                 # search and autocode (issue 16)
    Probe("autocode-read-only-project", b_autocode_read_only_project, unprivileged=True),
    Probe("media-link-text-project", b_media_link_text_project),
    # segment, info, demo
    Probe("segment-text-project", b_segment_text_project),
    Probe("info-foreign-sqlite", b_info_foreign_sqlite),                     # was taken over (info wrote to it)
    Probe("info-read-only-project", b_info_read_only_project, exit_code=0, unprivileged=True),  # was "unable to open"
    Probe("info-folder-as-project", b_info_directory),
    Probe("demo-garbage-metadata", b_demo_garbage_metadata),
    Probe("demo-read-only-out", b_demo_read_only_out, unprivileged=True),
    # report
    Probe("report-out-is-a-file", b_report_out_is_a_file),                   # was an OSError traceback
    Probe("report-status-bogus", b_report_status_bogus),                     # was exit 0 with an empty report
    Probe("report-per-code-negative", b_report_per_code_negative),           # was exit 0 with an empty report
    Probe("report-read-only-out", b_report_read_only_out, unprivileged=True),
    Probe("report-read-only-project", b_report_read_only_project, exit_code=0, unprivileged=True),
    Probe("rate-read-only-project", b_rate_read_only_project, unprivileged=True),  # a write to it: one line, read-only
    Probe("agreement-table-read-only-project", lambda t, i: b_anonymised_exports_of_read_only_project(t, i, "agreement"),
          exit_code=0, unprivileged=True),
    Probe("export-qdpx-anonymise-read-only-project", lambda t, i: b_anonymised_exports_of_read_only_project(t, i, "export"),
          exit_code=0, unprivileged=True),
    # codebook commands
    Probe("codebook-check-recursive-alias", b_codebook_check_recursive),     # was RecursionError
    Probe("codebook-check-alias-bomb", b_codebook_check_laughs, memory_mb=150),  # aliases repeating a code 10^9 times
    Probe("codebook-apply-recursive-alias", b_codebook_apply_recursive),
    Probe("codebook-diff-garbage-qdc", b_codebook_diff_garbage_qdc),
    Probe("codebook-import-bad-crc", b_codebook_import_bad_crc),
    Probe("codebook-export-garbage-source", b_codebook_export_garbage),
    Probe("codebook-usage-text-project", b_codebook_usage_text_project),
    Probe("codebook-log-text-project", b_codebook_log_text_project),
    Probe("codebook-rename-foreign-sqlite", b_codebook_rename_foreign_sqlite),  # refinement commands open it too
    # suggest and evaluate
    Probe("suggest-input-not-utf8", b_suggest_input_not_utf8),               # was UnicodeDecodeError
    Probe("suggest-train-not-utf8", b_suggest_train_not_utf8),
    Probe("suggest-input-too-large", b_suggest_input_too_large, memory_mb=150),
    Probe("suggest-codebook-recursive-alias", b_suggest_codebook_recursive),
    Probe("suggest-text-project", b_suggest_text_project),
    Probe("evaluate-gold-cp1252", b_evaluate_gold_cp1252, exit_code=0),      # Danish Excel's CSV: must be read
    Probe("evaluate-gold-binary", b_evaluate_gold_binary),
    Probe("evaluate-codebook-recursive-alias", b_evaluate_codebook_recursive),
    # anonymise
    Probe("anonymise-docx-truncated-xml", b_anonymise_docx_truncated),
    Probe("anonymise-register-binary", b_anonymise_register_binary),
    Probe("anonymise-register-not-a-mapping", b_anonymise_register_list),
    Probe("anonymise-register-bad-person", b_anonymise_register_bad_people),
    Probe("anonymise-register-csv-columns", b_anonymise_register_csv_columns),
    Probe("anonymise-key-binary", b_anonymise_key_binary),
    Probe("anonymise-key-bad-entity", b_anonymise_key_bad_entity),           # was TypeError
    Probe("anonymise-evaluate-binary", b_anonymise_evaluate_binary),
    Probe("anonymise-evaluate-columns", b_anonymise_evaluate_columns),
    Probe("anonymise-evaluate-tsv-garbage", b_anonymise_evaluate_tsv_garbage),
    Probe("anonymise-read-only-out", b_anonymise_read_only_out, unprivileged=True),
    # agreement, consensus, merge
    Probe("agreement-read-only-out", b_agreement_read_only_out, unprivileged=True),
    Probe("agreement-text-project", b_agreement_text_project),
    Probe("consensus-empty-table", b_consensus_empty_table),                 # was a pandas traceback
    Probe("consensus-binary-table", b_consensus_binary_table),
    Probe("consensus-text-named-xlsx", b_consensus_text_as_xlsx),
    Probe("consensus-bad-value", b_consensus_bad_value),                     # names the table's line
    Probe("consensus-xlsx-bomb", b_consensus_xlsx_bomb, memory_mb=150),
    Probe("merge-bad-second-project", b_merge_bad_second),                   # left a half-merged target
    Probe("merge-read-only-out", b_merge_read_only_out, unprivileged=True),
    # REFI-QDA
    Probe("export-qdpx-read-only-out", b_export_qdpx_read_only_out, unprivileged=True),
    Probe("export-qdpx-out-is-a-folder", b_export_qdpx_out_is_folder),
    Probe("import-qdpx-comment-and-entity-in-codes", b_import_qdpx_comment_and_entity, exit_code=0),  # legal XML
    Probe("import-qdpx-broken-docx-source", b_import_qdpx_broken_docx_source, exit_code=0),  # was BadZipFile
    Probe("import-qdpx-bad-crc", b_import_qdpx_bad_crc),
    Probe("import-qdpx-one-190mb-member", b_import_qdpx_one_huge_member, memory_mb=150),  # passed 4 GB in 39 s
    Probe("import-qdpx-25-members-of-9mb", b_import_qdpx_many_large_members, memory_mb=150, marks=SLOW),
    Probe("import-qdpx-too-many-members", b_import_qdpx_too_many_members, memory_mb=150),
    Probe("import-qdpx-not-a-zip", b_import_qdpx_not_zip),
    Probe("import-qdpx-billion-laughs", b_import_qdpx_billion_laughs, memory_mb=150),
    Probe("import-qdpx-external-entity", b_import_qdpx_external_entity),     # XXE: refused, the file never read
    Probe("import-qdpx-zip-slip-absolute-path", b_import_qdpx_zip_slip_and_absolute_path, exit_code=0),
    Probe("import-qdpx-failed-leaves-no-new-project", b_import_qdpx_failed_new_project),
]


def sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


RESULTS: dict[str, tuple[Run, Probe]] = {}


@pytest.mark.parametrize("probe", [pytest.param(p, id=p.id, marks=p.marks) for p in PROBES])
def test_probe(probe: Probe, inputs: Inputs, tmp_path: Path):
    if probe.unprivileged and not can_drop_privileges():
        pytest.skip("cannot make file permissions apply (root without capability control)")
    case = probe.build(tmp_path, inputs)
    before = sha256(case.project) if case.project is not None else None
    try:
        with (case.during() if case.during else _nothing()):
            result = run(case.argv, tmp_path, env=case.env, unprivileged=probe.unprivileged)
    finally:
        _writable_again(tmp_path)
    RESULTS[probe.id] = (result, probe)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code == probe.exit_code, result.lines
    if probe.exit_code != 0:
        assert len(result.lines) == 1, result.lines
        message = result.lines[0]
        assert str(case.names) in message, message
        if case.line is not None:
            assert f"{case.names}:{case.line}:" in message, message
        if case.project is not None:
            assert sha256(case.project) == before, "the project file changed"
    if case.check is not None:
        case.check(result)
    assert result.peak_mb < probe.memory_mb, f"peak {result.peak_mb:.0f} MB"


@contextmanager
def _nothing():
    yield


def _writable_again(folder: Path) -> None:
    """Read-only folders would stop pytest from removing the temporary tree."""
    for root, dirs, _files in os.walk(folder):
        for d in dirs:
            os.chmod(Path(root) / d, 0o755)


def test_probe_summary(capsys):
    """Not a check: prints tried / held and each bomb's peak memory for the closing note (pytest -s)."""
    held = sum(1 for p in PROBES if p.id in RESULTS and RESULTS[p.id][0].exit_code == p.exit_code)
    with capsys.disabled():
        print(f"\nprobes: {len(PROBES)} rows, {held} ran and held")
        for pid, (r, probe) in sorted(RESULTS.items()):
            if probe.memory_mb < 400:
                print(f"  {pid}: exit {r.exit_code}, peak {r.peak_mb:.0f} MB above the forked process, {r.seconds:.1f} s")
