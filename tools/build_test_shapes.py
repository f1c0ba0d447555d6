"""Build the small transcripts in tests/data/shapes/ that an independent check of issue 14 broke.

    python tools/build_test_shapes.py        # needs python-docx; LibreOffice (soffice) for .odt/.rtf

Each file is a minimal fictional Danish transcript in a shape real exports have
and the readers once got wrong: Zoom display names typed in lower case, a
device's name, names in scripts without case or with an emoji, Otter.ai's export
with times but no names, an Otter.ai answer that is a line ending with a time, SubRip
without blank lines between cues, bureau tables under a merged title row, with
column names we did not know or with a column per speaker, RTF tables without a
header row, labels followed by a tab instead of a colon, Google Meet's time above
each "Navn: tekst", Teams' Word exports with cue timing lines. ``tests/test_shapes_checked.py`` holds
the turns each must give. Text files and .docx are byte-for-byte reproducible;
.odt and .rtf are converted from a .docx by LibreOffice, as a user saves them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_sample_docx import save_reproducibly, set_core_properties  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "shapes"

# Zoom: the name each participant typed: in lower case, with a workplace, a phone's name.
ZOOM_LOWER_CASE = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
mette: Velkommen, og tak fordi I ville være med.

2
00:00:04.500 --> 00:00:08.000
jens p (jobcenter): Tak. Jeg er virksomhedskonsulent.

3
00:00:08.200 --> 00:00:11.000
jens p (jobcenter): Nej: det tror jeg ikke, at vi gør nok.

4
00:00:11.500 --> 00:00:14.000
iPhone 12: Undskyld, jeg sidder på telefonen.

5
00:00:14.500 --> 00:00:17.000
mette: Det er helt fint. Hvad laver du?

6
00:00:17.500 --> 00:00:21.000
iPhone 12: Jeg er frivillig i lektiecaféen.

7
00:00:21.500 --> 00:00:24.000
altså: det er jo om tirsdagen.
"""

# Zoom's saved transcript (.txt): "[Navn] 10:15:03" on its own line; names typed in lower case.
ZOOM_TXT_LOWER_CASE = """[mette] 10:15:03
Godmorgen, kan I høre mig?
[jens p] 10:15:09
Ja, fint.
[jens p] 10:15:12
Jeg skal lige finde mine noter.
[mette] 10:15:20
Vi starter med samarbejdet.
"""

# Otter.ai: an answer that is a line ending with a time, and one inside a longer turn that
# looks like a heading but runs against the times around it.
OTTER_TIME_IN_WORDS = """Mette Vinther  0:03
Hvornår mødes I med jobcentret?

Ole Bak  0:09
Tirsdag 10:30

Mette Vinther  0:14
Hver uge?

Ole Bak  0:18
Ja, hver uge. Og vi har et fast punkt på dagsordenen:

Onsdag 14:15

Det er borgerens plan.

Mette Vinther  0:41
Tak.

Transcribed by https://otter.ai
"""

# SubRip from a tool that leaves out the blank lines; dots in the times; past ten hours;
# italics and an SSA position tag.
SRT_NO_BLANKS = """1
10:00:10.000 --> 10:00:13.700
Interviewer: Hvordan samarbejder I med jobcentret?
2
10:00:15.500 --> 10:00:19.200
IP3: Vi mødes hver anden uge.
3
10:00:19.500 --> 10:00:23.200
{\\an8}<i>Nej: det er ikke nok.</i>
5
10:00:25.000 --> 10:00:28.700
Interviewer: Hvorfor ikke?
6
10:00:30.500 --> 10:00:34.200
IP3: Tiden. Der er ikke tid nok.
"""


# Zoom display names in scripts without case (an interpreter, a citizen), and with an emoji.
ZOOM_SCRIPTS = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
محمد علي: مرحبا، هل تسمعني؟

2
00:00:03.500 --> 00:00:05.000
Mette Holm 🌻: Ja, jeg kan godt høre dig.

3
00:00:05.500 --> 00:00:07.000
李明 (tolk): Han siger, at han kan høre dig.

4
00:00:07.500 --> 00:00:09.000
محمد علي: جيد.

5
00:00:09.500 --> 00:00:11.000
李明 (tolk): Godt, siger han.

6
00:00:11.500 --> 00:00:13.000
Mette Holm 🌻: Så begynder vi.
"""

# Otter.ai exported with times but without speaker names: a time alone on a line above the words.
OTTER_TIMES_ONLY = """0:03
Kan du fortælle om samarbejdet med jobcentret?

0:09
Vi mødes hver anden uge.

1:02:13
Tak for i dag.
"""


def _document(title: str) -> docx.Document:
    document = docx.Document()
    set_core_properties(document, title, datetime(2026, 3, 3, 10, 0))
    return document


TABLE_ROWS = [
    ("00:00:05", "Interviewer", "Kan du fortælle om samarbejdet med jobcentret?", ""),
    ("00:00:15", "Émilie Durand", "Vi mødes hver anden uge.", ""),
    ("", "", "Nej: det tror jeg ikke, at vi gør nok af.", "utydeligt"),
    ("00:00:35", "Interviewer", "Hvad er den største barriere?", ""),
    ("00:00:45", "Émilie Durand", "Tiden.", ""),
]


def titled_table_docx() -> docx.Document:
    """A bureau table under a title row merged across all columns, with an explained
    time column ("Tid (tt:mm:ss)") and a comment column that is nobody's words."""
    document = _document("Interview 7")
    document.add_paragraph("Interview med sagsbehandler, Nordå Kommune")
    table = document.add_table(rows=0, cols=4)
    cells = table.add_row().cells
    cells[0].merge(cells[3]).text = "Interview 7 – Jobcentret, 3. marts 2026"
    for row in [("Tid (tt:mm:ss)", "Taler", "Tekst", "Kommentar")] + TABLE_ROWS:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    return document


def named_table_docx(header: tuple[str, str, str]) -> docx.Document:
    """Three columns under a header row of other words than ours."""
    document = _document("Interview")
    document.add_paragraph("Interview")
    table = document.add_table(rows=0, cols=3)
    for row in [header] + [r[:3] for r in TABLE_ROWS]:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    return document


def headerless_table_docx(columns: int) -> docx.Document:
    """No header row: time (with three columns), speaker, text."""
    document = _document("Interview")
    document.add_paragraph("Interview med sagsbehandler")
    table = document.add_table(rows=0, cols=columns)
    for row in TABLE_ROWS:
        values = row[:3] if columns == 3 else row[1:3]
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    return document


def tab_labels_docx() -> docx.Document:
    """A bureau's hanging indent: "I<TAB>Hvordan …", continuation paragraphs indented by a tab."""
    document = _document("Interview")
    document.add_paragraph("Interview, Fjordby Kommune")
    for line in ("I\tHvordan samarbejder I med jobcentret?", "IP\tVi mødes hver anden uge.",
                 "\tAltså: det er ikke nok.", "I\tHvorfor ikke?", "IP\tTiden."):
        document.add_paragraph(line)
    return document


MEET_ROWS = [("00:00:03", "Mette Holm", "Velkommen til."), ("00:00:09", "Ole Bak", "Tak. Jeg er frivillig."),
             ("00:00:15", "Mette Holm", "Hvor længe har du været det?"), ("01:02:13", "Ole Bak", "I seks år.")]


def meet_docx() -> docx.Document:
    """Google Meet's transcript saved as Word: the notes first, then a time alone in a paragraph
    above each "Navn: tekst" paragraph."""
    document = _document("Møde om frivillighed")
    for line in ("Noter", "Mødet handlede om frivillighed og samarbejde.", "Transskription"):
        document.add_paragraph(line)
    for stamp, name, words in MEET_ROWS:
        document.add_paragraph(stamp)
        document.add_paragraph(f"{name}: {words}")
    return document


TEAMS_CUES = [("0:0:1.0", "0:0:4.700", "Søren Ølgaard", "Velkommen til."),
              ("0:0:6.500", "0:0:10.200", "Émilie Durand", "Tak for det."),
              ("0:0:10.500", "0:0:14.200", "Émilie Durand", "Jeg er sagsbehandler."),
              ("0:0:16.0", "0:0:19.700", "Søren Ølgaard", "Hvad laver du så?")]


def teams_old_docx() -> docx.Document:
    """Teams' older Word download: a timing line with unpadded fields, the name, the words."""
    document = _document("Transcript")
    for start, end, name, words in TEAMS_CUES:
        for line in (f"{start} --> {end}", name, words, ""):
            document.add_paragraph(line)
    return document


def teams_arrow_docx() -> docx.Document:
    """Teams' Word export with the cue's times in the heading: "Navn  00:00:03.456 --> 00:00:07.000"."""
    document = _document("Transcript")
    for start, end, name, words in TEAMS_CUES:
        p = document.add_paragraph()
        h, m, sec = start.split(":")
        h2, m2, sec2 = end.split(":")
        p.add_run(f"{name}  {int(h):02d}:{int(m):02d}:{float(sec):06.3f} --> {int(h2):02d}:{int(m2):02d}:{float(sec2):06.3f}")
        p.add_run().add_break()
        p.add_run(words)
    return document


def speaker_columns_docx() -> docx.Document:
    """A column per speaker: each row's words in the column of the one who speaks."""
    document = _document("Interview")
    document.add_paragraph("Interview med frivillig")
    table = document.add_table(rows=0, cols=3)
    for row in [("Tid", "Interviewer", "Informant"), ("00:00:05", "Hvordan blev du frivillig?", ""),
                ("00:00:11", "", "Via min nabo."), ("", "", "Hun tog mig med."),
                ("00:00:20", "Hvad laver du?", ""), ("00:00:24", "", "Lektiehjælp.")]:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    return document


def libreoffice(document: docx.Document, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{target.stem}.docx"
        save_reproducibly(document, source)
        subprocess.run(["soffice", "--headless", "--convert-to", target.suffix.lstrip("."), "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=300)
        target.write_bytes((Path(tmp) / target.name).read_bytes())


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "zoom_smaa_bogstaver.vtt").write_bytes(ZOOM_LOWER_CASE.replace("\n", "\r\n").encode("utf-8"))
    (OUT / "zoom_gemt_smaa_bogstaver.txt").write_bytes(ZOOM_TXT_LOWER_CASE.encode("utf-8"))
    (OUT / "otter_tid_i_teksten.txt").write_bytes(OTTER_TIME_IN_WORDS.encode("utf-8"))
    (OUT / "zoom_skrifter.vtt").write_bytes(ZOOM_SCRIPTS.encode("utf-8"))
    (OUT / "otter_kun_tider.txt").write_bytes(OTTER_TIMES_ONLY.encode("utf-8"))
    (OUT / "srt_uden_blanke_linjer.srt").write_bytes(b"\xef\xbb\xbf" + SRT_NO_BLANKS.encode("utf-8"))
    save_reproducibly(titled_table_docx(), OUT / "tabel_titelraekke.docx")
    libreoffice(titled_table_docx(), OUT / "tabel_titelraekke.odt")
    save_reproducibly(named_table_docx(("Timecode", "Speaker", "Dialogue")), OUT / "tabel_engelsk.docx")
    save_reproducibly(named_table_docx(("TC", "Person der taler", "Sagt")), OUT / "tabel_ukendte_navne.docx")
    libreoffice(headerless_table_docx(3), OUT / "tabel_uden_hoved.rtf")
    libreoffice(headerless_table_docx(2), OUT / "tabel_to_kolonner.rtf")
    save_reproducibly(speaker_columns_docx(), OUT / "tabel_kolonne_pr_taler.docx")
    libreoffice(speaker_columns_docx(), OUT / "tabel_kolonne_pr_taler.rtf")
    save_reproducibly(meet_docx(), OUT / "meet_udskrift.docx")
    save_reproducibly(teams_old_docx(), OUT / "teams_gammel_udskrift.docx")
    save_reproducibly(teams_arrow_docx(), OUT / "teams_pile.docx")
    save_reproducibly(tab_labels_docx(), OUT / "bureau_tabulator.docx")
    libreoffice(tab_labels_docx(), OUT / "bureau_tabulator.rtf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
