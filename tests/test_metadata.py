"""Participant metadata as researchers write it: Danish or English headers, ';' or ',', UTF-8 or cp1252."""

from __future__ import annotations

import pytest

from qualcode import InputError, import_files
from qualcode.metadata import read_metadata

from conftest import SAMPLES

DANISH = (
    "fil;deltager;taler;rolle;titel;kommune;afdeling;dato;interviewer;køn\r\n"
    "leder.txt;P03;IP3;Leder;afdelingsleder;Hedelund Kommune;Børn og Familie;10-03-2026;I;kvinde\r\n"
    "gruppe.txt;P10;Mette;medarbejder;sagsbehandler;Skovbæk Kommune;Jobcenter;20-03-2026;Kasper, Louise;\r\n"
    ";;;;;;;;;\r\n"  # Excel writes a row of separators for an empty line
)


@pytest.mark.parametrize(
    "encoding, prefix, text",
    [
        ("cp1252", b"", DANISH),  # Danish Excel, "CSV (semikolonsepareret)"
        ("utf-8", b"\xef\xbb\xbf", DANISH),  # "CSV UTF-8": a BOM before the header
        ("utf-8", b"", DANISH),  # a UTF-8 file without BOM
        ("utf-8", b"", DANISH.replace(";", "\t")),  # tab-separated
        ("utf-8", b"", DANISH.replace(";", ",").replace("Kasper, Louise", '"Kasper, Louise"')),  # comma CSV, quoted
    ],
)
def test_danish_headers_separators_and_encodings(tmp_path, encoding, prefix, text):
    path = tmp_path / "metadata.csv"
    path.write_bytes(prefix + text.encode(encoding))
    rows = read_metadata(path)
    assert sorted(rows) == ["gruppe.txt", "leder.txt"]
    [leder] = rows["leder.txt"]
    assert (leder.participant_id, leder.speaker, leder.role, leder.title, leder.municipality, leder.department, leder.date) == (
        "P03", "IP3", "leder", "afdelingsleder", "Hedelund Kommune", "Børn og Familie", "10-03-2026")
    assert leder.extra == {"køn": "kvinde"}  # any other column is kept
    assert leder.line == 2
    [gruppe] = rows["gruppe.txt"]
    assert gruppe.interviewer_labels == ("Kasper", "Louise")


def test_excel_rows_with_trailing_empty_cells_quoted_separators_and_line_breaks(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes((
        "Fil;Taler;Rolle;Afdeling;Note;;\r\n"
        'a.txt;IP;Leder;"Jobcenter; Ungeenheden";"to linjer\r\ni en celle";;\r\n'  # Alt+Enter in Excel
        "b.txt;Åse;Borger;;;;\r\n"
        ";;;;;;\r\n"
    ).encode("cp1252"))
    rows = read_metadata(path)
    assert [(p.file, p.speaker, p.role, p.department, p.extra.get("Note"), p.line) for ps in rows.values() for p in ps] == [
        ("a.txt", "IP", "leder", "Jobcenter; Ungeenheden", "to linjer\ni en celle", 2),
        ("b.txt", "Åse", "borger", "", None, 4),  # a cell with a line break counts two lines
    ]


def test_english_header_as_before(samples_dir):
    rows = read_metadata(samples_dir / "metadata.csv")
    assert len(rows) == 9 and rows["02_chef_fjordby.txt"][0].speaker == "Henrik"


def test_the_shipped_danish_metadata_file_of_the_shapes():
    rows = read_metadata(SAMPLES / "former" / "metadata.csv")
    assert len(rows) == 11 and len(rows["zoom_visningsnavne.vtt"]) == 4
    assert {p.role for ps in rows.values() for p in ps} == {"medarbejder", "frivillig", "leder", "chef"}


def test_a_windows_path_in_the_file_column_counts_by_its_name(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Fil;Taler\nC:\\Interviews\\leder.txt;IP3\n", encoding="utf-8")
    assert list(read_metadata(path)) == ["leder.txt"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("navn;taler\nx.txt;IP\n", "{path}:1: har ingen kolonne 'fil' (file) (kolonner: navn og taler)"),
        ("fil;taler\n;IP\n", "{path}:2: rækken har intet filnavn i kolonnen 'fil'"),
        ("", "{path}:1: er tom (der skal være en overskriftsrække med kolonnen 'fil')"),
        # A quote left open would swallow every later row into one cell: named where the row begins.
        ('fil;taler;afdeling\na.txt;IP;"Jobcenter; unge\nb.txt;IP;x\nc.txt;IP;y\n',
         '{path}:2: et anførselstegn (") i denne række lukkes aldrig'),
        ('fil;taler\na.txt;IP\nb.txt;"IP"3\n', "{path}:3: en værdi i anførselstegn skal følges af skilletegnet ';'"),
        # An unquoted ';' inside a value shifts the row: text beyond the named columns.
        ("fil;taler;afdeling\na.txt;IP;Jobcenter; unge\n",
         "{path}:2: rækken har tekst i kolonne 4, men overskriften navngiver kun 3 kolonner"
         " (et ';' inde i en værdi skal stå i anførselstegn)"),
    ],
)
def test_bad_metadata_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "m.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_metadata(path)
    assert str(err.value) == message.format(path=path)


def test_import_warns_about_files_without_a_row_and_labels_that_never_occur(project, tmp_path):
    (tmp_path / "leder.txt").write_text("I: Hvad er svært?\nIP3: Målingerne.\nI: Og så?\nIP3: Tiden.\n", encoding="utf-8")
    (tmp_path / "andet.txt").write_text("I: Hej?\nIP: Hej.\nI: Godt.\nIP: Ja.\n", encoding="utf-8")
    meta = tmp_path / "m.csv"
    meta.write_text("fil;taler;rolle;interviewer\nleder.txt;IP4;leder;Int\n", encoding="utf-8")
    report = import_files(project, [tmp_path / "leder.txt", tmp_path / "andet.txt"], metadata_csv=meta, progress=False)
    assert report.warnings == (
        f"{tmp_path / 'andet.txt'}: har ingen række i metadatafilen; importeret uden rolle og deltager",
        f"{tmp_path / 'leder.txt'}: metadatalinje 2: taleren »IP4« taler aldrig i denne fil (fundne talere: I og IP3)",
        f"{tmp_path / 'leder.txt'}: metadatalinje 2: intervieweren »Int« taler aldrig i denne fil (fundne talere: I og IP3)",
    )
    # The only speaker left and the only row left are still paired, so the role arrives.
    assert {t.role for t in project.documents.turns(1)} == {"interviewer", "leder"}


def test_the_metadata_file_in_the_list_of_files_is_not_imported(project, tmp_path):
    (tmp_path / "leder.txt").write_text("I: Hvad er svært?\nIP3: Målingerne.\nI: Ok.\nIP3: Ja.\n", encoding="utf-8")
    meta = tmp_path / "metadata.csv"
    meta.write_text("fil;taler;rolle\nleder.txt;IP3;leder\n", encoding="utf-8")
    report = import_files(project, sorted(tmp_path.iterdir()), metadata_csv=meta, progress=False)
    assert [d.path for d in report.imported] == [str(tmp_path / "leder.txt")] and report.failed == ()


def test_a_bad_metadata_file_stops_the_import_before_a_project_file_is_made(tmp_path):
    from click.testing import CliRunner

    from qualcode.cli.main import cli

    (tmp_path / "a.txt").write_text("I: Hej.\nIP: Hej.\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text('fil;taler\na.txt;"IP\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "a.txt"), "--project", str(tmp_path / "ny.qcp"),
                                      "--metadata", str(tmp_path / "m.csv")])
    assert result.exit_code == 2
    assert result.output == f'Fejl: {tmp_path / "m.csv"}:2: et anførselstegn (") i denne række lukkes aldrig\n'
    assert not (tmp_path / "ny.qcp").exists()
