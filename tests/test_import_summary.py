"""The per-file import summary says what was recognised and where the reader guessed."""

from __future__ import annotations

from click.testing import CliRunner

from qualcode.cli.main import cli
from qualcode.import_summary import summary_lines
from qualcode.importer import ImportedDocument
from qualcode.models import ReadingNotes

from conftest import SAMPLES

FORMER = SAMPLES / "former"


def _import(tmp_path, *names, lang=None, extra=()):
    args = ["import", *[str(FORMER / n) for n in names], "--project", str(tmp_path / "p.qcp"), *extra]
    if lang:
        args += ["--lang", lang]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_zoom_summary_in_danish_names_speakers_and_guesses(tmp_path):
    assert _import(tmp_path, "zoom_visningsnavne.vtt") == [
        f"Importeret: {FORMER / 'zoom_visningsnavne.vtt'} (9 taleture, 20 sætninger)",
        "  Opbygning: et navn først i hver undertekst (»Navn: tekst«, som Zoom og mange undertekstprogrammer skriver)",
        "  5 talere fundet: Maria Holm (hun/hende) (3 taleture), Élodie Brandt (SL) (2 taleture), "
        "Łukasz Nowak (Jobcenter) (2 taleture), Øjvinds iPad (1 taletur) og Ursula Ørsted (1 taletur)",
        "  Gættet: 6 replikker uden taler lagt til forrige talers taletur; »Maria Holm (hun/hende)«, »Élodie Brandt (SL)« "
        "og »Łukasz Nowak (Jobcenter)« taget som talere, fordi betegnelserne går igen (ingen metadata nævner dem); "
        "»Øjvinds iPad« og »Ursula Ørsted« taget som talere, selvom hver betegnelse kun står én gang",
        "  Ikke taget som talere (almindelige ord eller for sjældne): »Altså« (1 gang)",
    ]


def test_otter_summary_in_english_with_the_unknown_speaker(tmp_path):
    assert _import(tmp_path, "otter_eksport.txt", lang="en") == [
        f"Imported: {FORMER / 'otter_eksport.txt'} (9 turns, 17 sentences)",
        "  Layout: a speaker label on a line of its own, the words below (“I:” or “Name  00:13”, as bureaus, Otter.ai and Teams write)",
        "  3 speakers found: Kasper Lund (4 turns), Mette Vinther (4 turns) and Unknown (1 turn)",
        "  132 characters of title, header or the tool's notes lie outside every turn",
    ]


def test_time_marks_are_counted_and_quiet_gives_one_line(tmp_path):
    lines = _import(tmp_path, "bureau_tidsmarker.docx")
    assert "  1 tidsmærke holdt ude af den talte tekst" in lines
    assert _import(tmp_path / "q", "teams_moede.vtt", extra=["--quiet"]) == [
        f"Importeret: {FORMER / 'teams_moede.vtt'} (7 taleture, 18 sætninger)",
    ]


def test_summary_of_a_file_without_labels():
    doc = ImportedDocument("noter.txt", 1, 1, 2, ("",), ReadingNotes(layout="none"), (("", 1),))
    assert summary_lines(doc) == ["Opbygning: ingen talerbetegnelser", "1 taler fundet: Ukendt (1 taletur)"]


def test_labels_believed_only_because_they_recur_are_named_as_a_guess_unless_the_metadata_knows_them(tmp_path):
    lines = _import(tmp_path, "firkantede_tider.txt")
    assert "  Gættet: »Kasper« og »Mette« taget som talere, fordi betegnelserne går igen (ingen metadata nævner dem)" in lines
    known = _import(tmp_path / "m", "firkantede_tider.txt", extra=["--metadata", str(FORMER / "metadata.csv")])
    assert not any(line.startswith("  Gættet") for line in known)  # Mette and Kasper are in metadata.csv


def test_many_recurring_labels_are_counted_not_named():
    names = tuple(f"Taler{chr(65 + i)}" for i in range(7))
    doc = ImportedDocument("z.vtt", 1, 14, 14, names, ReadingNotes(layout="cue-names", recurring=names),
                           tuple((n, 2) for n in names))
    assert summary_lines(doc)[2] == "Gættet: 7 betegnelser taget som talere, fordi de går igen (ingen metadata nævner dem)"
