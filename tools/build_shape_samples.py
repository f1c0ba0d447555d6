"""Build the fictional transcripts in every shape the field produces (transcripts_sample/former/).

    python tools/build_shape_samples.py        # needs python-docx; LibreOffice (soffice) for .odt/.rtf

Each sample has a canonical source, ``tools/sample_sources/former/<name>.tsv``:
one row per turn as the reader must return it (speaker, start time, end time,
spoken text; "¶" separates the cues, lines or paragraphs of a turn; an empty
speaker is the unknown speaker). This script writes the turns the way the
tool or bureau writes them: Zoom's "Navn: tekst" cues with some continuation
cues unlabelled, Teams' voice tags with GUID cue ids, Otter.ai's "Navn  00:13"
headings, a bureau's "[00:12:31]" time marks, labels on their own line, and
so on. ``tests/test_shapes.py`` reads every sample back and compares it with
its source, so the source is the expected result and the sample the input.

The .vtt, .txt and .docx files are byte-for-byte reproducible. The .odt and
.rtf files are converted from a .docx by LibreOffice, as a user would save
them, so they carry LibreOffice's own markup (and its time stamps).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_sample_docx import save_reproducibly, set_core_properties  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "sample_sources" / "former"
OUT = ROOT / "transcripts_sample" / "former"
TEAMS_GUID = "8d3f0c6e-52a1-4c1b-9f7e-2b6a4d0e9c11"


@dataclass(frozen=True)
class Row:
    speaker: str
    start: float | None
    end: float | None
    pieces: tuple[str, ...]


def _seconds(value: str) -> float | None:
    if not value:
        return None
    h, m, s = value.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def read_source(name: str) -> list[Row]:
    rows = []
    for line in (SOURCES / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        speaker, start, end, text = line.split("\t")
        rows.append(Row(speaker, _seconds(start), _seconds(end), tuple(p.strip() for p in text.split("¶"))))
    return rows


def clock(seconds: float, *, millis: bool = False, sep: str = ".") -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}" if millis else f"{h:02d}:{m:02d}:{s:02d}"


def short_clock(seconds: float) -> str:
    """Otter's and Teams' time: m:ss or mm:ss under an hour, h:mm:ss above."""
    total = int(seconds)
    h, m, s = total // 3600, total % 3600 // 60, total % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def cue_times(row: Row) -> list[tuple[float, float]]:
    """The turn's span cut into one slot per cue, with a short gap between cues."""
    n = len(row.pieces)
    step = (row.end - row.start) / n
    return [(row.start + i * step, row.start + (i + 1) * step - (0.2 if i < n - 1 else 0.0)) for i in range(n)]


# -- text shapes ----------------------------------------------------------------------------

def zoom_vtt(rows: list[Row]) -> bytes:
    """Zoom: numbered cues, "Navn: tekst"; every second continuation cue without the name; CRLF."""
    lines = ["WEBVTT", ""]
    number = 1
    for row in rows:
        for k, ((start, end), piece) in enumerate(zip(cue_times(row), row.pieces)):
            lines += [str(number), f"{clock(start, millis=True)} --> {clock(end, millis=True)}"]
            lines.append(piece if k % 2 == 1 else f"{row.speaker}: {piece}")
            lines.append("")
            number += 1
    return "\r\n".join(lines).encode("utf-8")


def teams_vtt(rows: list[Row]) -> bytes:
    """Teams: GUID cue ids, <v Navn> on the first cue, missing on odd continuation cues, a NOTE block."""
    lines = ["WEBVTT", ""]
    for t, row in enumerate(rows, start=1):
        for k, ((start, end), piece) in enumerate(zip(cue_times(row), row.pieces)):
            lines += [f"{TEAMS_GUID}/{t}-{k}", f"{clock(start, millis=True)} --> {clock(end, millis=True)}"]
            lines.append(piece if k % 2 == 1 else f"<v {row.speaker}>{piece}</v>")
            lines.append("")
        if t == 2:
            lines += ["NOTE Optagelsen blev sat på pause et øjeblik", ""]
    return "\n".join(lines).encode("utf-8")


def otter_txt(rows: list[Row], speakers: str) -> bytes:
    out = ["SUMMARY KEYWORDS", "samarbejde, sag, familie, mandat, koordinationsmøde, jobcenter", "",
           "SPEAKERS", speakers, ""]
    for row in rows:
        out += [f"{row.speaker or 'Unknown Speaker'}  {short_clock(row.start)}", "\n\n".join(row.pieces), ""]
    out += ["", "Transcribed by https://otter.ai", ""]
    return "\n".join(out).encode("utf-8")


def own_line_labels_txt(rows: list[Row]) -> bytes:
    """A bureau's text file: "I:" / "IP:" alone on a line, the paragraphs below; Windows-1252, CRLF."""
    out = ["Interview med frivilligkoordinator, Skovbæk Kommune", "Transskriberet af Skrivestuen, 20. marts 2026", ""]
    for row in rows:
        out += [f"{row.speaker}:", "\r\n\r\n".join(row.pieces), ""]
    return "\r\n".join(out).encode("cp1252")


def bracket_times_txt(rows: list[Row]) -> bytes:
    """"[Mette 00:01:12] tekst", continuation paragraphs below; UTF-8 with BOM."""
    out = []
    for row in rows:
        out += [f"[{row.speaker} {clock(row.start)}] {row.pieces[0]}", *row.pieces[1:], ""]
    return b"\xef\xbb\xbf" + "\n".join(out).encode("utf-8")


# -- Word shapes ------------------------------------------------------------------------------

def _document(title: str, created: datetime) -> docx.Document:
    document = docx.Document()
    set_core_properties(document, title, created)
    return document


def otter_docx(rows: list[Row], speakers: str) -> docx.Document:
    document = _document("Interview_Borgerservice", datetime(2026, 4, 2, 9, 0))
    document.add_paragraph("Interview_Borgerservice")
    document.add_paragraph().add_run("SUMMARY KEYWORDS").bold = True
    document.add_paragraph("borgerservice, borger, systemer, afdelinger, historie")
    document.add_paragraph().add_run("SPEAKERS").bold = True
    document.add_paragraph(speakers)
    document.add_paragraph()
    for row in rows:
        p = document.add_paragraph()
        p.add_run(f"{row.speaker}  ").bold = True
        p.add_run(short_clock(row.start))
        document.add_paragraph(" ".join(row.pieces))
        document.add_paragraph()
    return document


def teams_docx(rows: list[Row]) -> docx.Document:
    """Teams' Word export: "Navn   0:03", a line break and the words, in one paragraph per entry."""
    document = _document("Interview med teamleder, jobcentret", datetime(2026, 4, 1, 10, 40))
    for line in ("Interview med teamleder, jobcentret", "1. april 2026, 10.02", "11 min 3 s", "",
                 "Kasper Lund startede transskriptionen"):
        document.add_paragraph(line)
    for row in rows:
        p = document.add_paragraph()
        total = int(row.start)
        stamp = f"{total // 60}:{total % 60:02d}" if total < 3600 else short_clock(row.start)
        p.add_run(f"{row.speaker}   {stamp}")
        for piece in row.pieces:
            p.add_run().add_break()
            p.add_run(piece)
    document.add_paragraph("Kasper Lund stoppede transskriptionen")
    return document


def time_marks_docx(rows: list[Row]) -> docx.Document:
    """A bureau's Word file: "[00:12:31] I: …" with a bold label; a turn going on after a pause
    gets a time mark of its own and no label."""
    document = _document("Interview 14 – Hedelund Kommune", datetime(2026, 3, 12, 14, 0))
    document.add_paragraph("Interview 14 – Hedelund Kommune")
    document.add_paragraph("Transskriberet af Lydskrift ApS, 12. marts 2026. I = interviewer, IP = interviewperson.")
    previous = None
    for row in rows:
        p = document.add_paragraph()
        p.add_run(f"[{clock(row.start)}] ")
        if row.speaker != previous:
            p.add_run(f"{row.speaker}:").bold = True
            p.add_run(" ")
        p.add_run(row.pieces[0])
        for piece in row.pieces[1:]:
            document.add_paragraph(piece)
        previous = row.speaker
    return document


def bold_names_docx(rows: list[Row]) -> docx.Document:
    """Bold speaker names without a colon ("Kasper Hvad er …"), continuation paragraphs plain."""
    document = _document("Interview – projektleder, Nordå", datetime(2026, 4, 9, 13, 0))
    document.add_paragraph("Interview med projektleder, Sammen om Borgeren")
    for row in rows:
        p = document.add_paragraph()
        p.add_run(row.speaker).bold = True
        p.add_run(" " + row.pieces[0])
        for piece in row.pieces[1:]:
            document.add_paragraph(piece)
    return document


def table_docx(rows: list[Row]) -> docx.Document:
    """A bureau's table with lower-case headers; a turn's further rows have no speaker or time."""
    document = _document("Interview – ergoterapeut", datetime(2026, 4, 14, 9, 30))
    document.add_paragraph("Interview med teamleder i genoptræningen, Fjordby Kommune")
    document.add_paragraph("Tidskoden angiver, hvor replikken begynder i lydfilen.")
    table = document.add_table(rows=0, cols=3)
    for cells in [("tid", "taler", "tekst")] + [
        (clock(row.start) if k == 0 else "", row.speaker if k == 0 else "", piece)
        for row in rows for k, piece in enumerate(row.pieces)
    ]:
        for cell, value in zip(table.add_row().cells, cells):
            cell.text = value
    return document


def colon_labels_docx(rows: list[Row]) -> docx.Document:
    document = _document("Interview – frivillig", datetime(2026, 4, 16, 11, 0))
    document.add_paragraph("Interview med frivillig i læsecaféen")
    for row in rows:
        document.add_paragraph(f"{row.speaker}: {row.pieces[0]}")
        for piece in row.pieces[1:]:
            document.add_paragraph(piece)
    return document


def libreoffice(document: docx.Document, target: Path, fmt: str) -> None:
    """Save ``document`` as ``fmt`` (odt, rtf) with LibreOffice, the way a user would."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{target.stem}.docx"
        save_reproducibly(document, source)
        subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=300)
        target.write_bytes((Path(tmp) / f"{target.stem}.{fmt}").read_bytes())


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "zoom_visningsnavne.vtt").write_bytes(zoom_vtt(read_source("zoom_visningsnavne")))
    (OUT / "teams_moede.vtt").write_bytes(teams_vtt(read_source("teams_moede")))
    (OUT / "otter_eksport.txt").write_bytes(otter_txt(read_source("otter_eksport"), "Kasper Lund, Mette Vinther"))
    (OUT / "bureau_egen_linje.txt").write_bytes(own_line_labels_txt(read_source("bureau_egen_linje")))
    (OUT / "firkantede_tider.txt").write_bytes(bracket_times_txt(read_source("firkantede_tider")))
    save_reproducibly(otter_docx(read_source("otter_eksport_word"), "Louise Brandt, Henrik Dahl"), OUT / "otter_eksport.docx")
    save_reproducibly(teams_docx(read_source("teams_udskrift")), OUT / "teams_udskrift.docx")
    save_reproducibly(time_marks_docx(read_source("bureau_tidsmarker")), OUT / "bureau_tidsmarker.docx")
    libreoffice(bold_names_docx(read_source("libreoffice_fede_navne")), OUT / "libreoffice_fede_navne.odt", "odt")
    libreoffice(table_docx(read_source("bureau_tabel")), OUT / "bureau_tabel.odt", "odt")
    libreoffice(colon_labels_docx(read_source("transskription_rtf")), OUT / "transskription.rtf", "rtf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
