"""Importing files into a project: batches, metadata, re-imports, the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import write_docx
from qualcode import Project, import_files
from qualcode.cli.main import cli

LEDER = "I: Hvad gør samarbejdet svært?\nIP3: Målingerne. Vi får det, vi måler.\nI: Og hvad hjælper?\nIP3: Ildsjæle som Søren.\n"
METADATA = (
    "file,participant_id,speaker,role,title,municipality,department,date,interviewer\n"
    "leder.txt,P03,IP3,leder,afdelingsleder,Hedelund Kommune,Børn og Familie,2026-03-10,I\n"
    "gruppe.txt,P10,Mette,medarbejder,sagsbehandler,Skovbæk Kommune,Jobcenter,2026-03-20,Kasper\n"
    "gruppe.txt,P11,Ole,frivillig,frivillig,Skovbæk Kommune,,2026-03-20,Kasper\n"
)
GRUPPE = "Kasper: Hvad siger I?\nMette: Vi mangler tid.\nOle: Og vi frivillige mangler en fast kontakt.\nKasper: Tak.\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "leder.txt").write_text(LEDER, encoding="utf-8")
    (tmp_path / "gruppe.txt").write_text(GRUPPE, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(METADATA, encoding="utf-8")
    (tmp_path / "tom.txt").write_bytes(b"")
    (tmp_path / "ingen.vtt").write_text("WEBVTT\n\n", encoding="utf-8")
    return tmp_path


def test_batch_imports_good_files_and_reports_bad_ones(project, folder):
    files = [folder / n for n in ("leder.txt", "tom.txt", "gruppe.txt", "ingen.vtt")]
    report = import_files(project, files, metadata_csv=folder / "metadata.csv", progress=False)
    assert [d.path for d in report.imported] == [str(folder / "leder.txt"), str(folder / "gruppe.txt")]
    assert report.failed == (
        (str(folder / "tom.txt"), f"{folder / 'tom.txt'}: er tom"),
        (str(folder / "ingen.vtt"), f"{folder / 'ingen.vtt'}: har ingen undertekster (ingen tidslinjer 'start --> slut')"),
    )
    assert [d.name for d in project.documents.all()] == ["leder.txt", "gruppe.txt"]


def test_roles_from_metadata_reach_every_turn_and_segment(project, folder):
    import_files(project, [folder / "leder.txt", folder / "gruppe.txt"], metadata_csv=folder / "metadata.csv", progress=False)
    leder, gruppe = project.documents.all()
    assert [(t.speaker, t.role, t.participant_id) for t in project.documents.turns(leder.id)] == [
        ("I", "interviewer", None), ("IP3", "leder", "P03"), ("I", "interviewer", None), ("IP3", "leder", "P03"),
    ]
    assert leder.metadata["municipality"] == "Hedelund Kommune"
    assert leder.metadata["title"] == "afdelingsleder"
    assert [(t.speaker, t.role, t.participant_id) for t in project.documents.turns(gruppe.id)] == [
        ("Kasper", "interviewer", None), ("Mette", "medarbejder", "P10"), ("Ole", "frivillig", "P11"), ("Kasper", "interviewer", None),
    ]
    assert gruppe.metadata["participants"] == "P10;P11"
    roles = {(s.text, s.role) for s in project.documents.segments(gruppe.id)}
    assert ("Og vi frivillige mangler en fast kontakt.", "frivillig") in roles


def test_reimport_is_a_no_op_and_a_changed_file_is_reported(project, folder):
    path = folder / "leder.txt"
    first = import_files(project, [path], progress=False)
    again = import_files(project, [path], progress=False)
    assert again.imported == () and again.unchanged == (str(path),)
    path.write_text(LEDER + "I: En sidste ting?\n", encoding="utf-8")
    changed = import_files(project, [path], progress=False)
    assert changed.changed == (str(path),)
    assert changed.warnings == (f"{path}: en anden udgave af leder.txt er allerede i projektet; ikke importeret",)
    assert len(project.documents.all()) == 1
    assert project.documents.get(first.imported[0].document_id).text == LEDER.strip()


def test_interviewer_is_detected_without_metadata(project, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(
        "Louise: Hvordan gik det?\nBente: Det gik fint, vi havde en god dialog med jobcentret.\n"
        "Louise: Hvad var svært?\nBente: Tiden. Der er aldrig tid nok til at mødes på tværs.\n"
        "Louise: Hvorfor tror du det?\nBente: Budgettet.\n",
        encoding="utf-8",
    )
    import_files(project, [path], progress=False)
    turns = project.documents.turns(1)
    assert {t.speaker for t in turns if t.is_interviewer} == {"Louise"}


def test_a_failure_while_storing_leaves_nothing_half_written(project, folder, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(project.documents, "replace_segment_rows", boom)
    with pytest.raises(RuntimeError):
        import_files(project, [folder / "leder.txt"], progress=False)
    assert project.documents.all() == []
    assert project.db.execute("SELECT count(*) FROM turns").fetchone()[0] == 0


def test_metadata_errors_name_the_line(project, tmp_path, folder):
    bad = tmp_path / "bad.csv"
    bad.write_text("file,speaker,role\nleder.txt,IP3,leder\nleder.txt,ip3,chef\n", encoding="utf-8")
    from qualcode import InputError

    with pytest.raises(InputError) as err:
        import_files(project, [folder / "leder.txt"], metadata_csv=bad, progress=False)
    assert str(err.value) == f"{bad}:3: taleren 'ip3' i leder.txt står der to gange (første gang på linje 2)"


def test_docx_import_end_to_end(project, tmp_path):
    path = write_docx(tmp_path / "j.docx", ["Anne: Hvad så?", "Jonas: Vi mangler tid og penge.", "Anne: Tak."])
    report = import_files(project, [path], progress=False)
    assert report.imported[0].turns == 3
    seg = project.segments_df()
    assert list(seg["text"]) == ["Hvad så?", "Vi mangler tid og penge.", "Tak."]


class TestCli:
    def test_import_reports_and_exits_2_on_bad_files(self, folder, tmp_path):
        runner = CliRunner()
        proj = tmp_path / "p.qcp"
        result = runner.invoke(
            cli,
            ["import", str(folder / "leder.txt"), str(folder / "tom.txt"), "--project", str(proj), "--metadata", str(folder / "metadata.csv")],
        )
        assert result.exit_code == 2
        # The per-file summary: what was recognised and who speaks how often.
        assert "\n".join([
            f"Importeret: {folder / 'leder.txt'} (4 taleture, 5 sætninger)",
            "  Opbygning: talerbetegnelse først i hvert afsnit (»Navn: tekst«)",
            "  2 talere fundet: I (2 taleture) og IP3 (2 taleture)",
        ]) + "\n" in result.output
        assert f"Fejl: {folder / 'tom.txt'}: er tom" in result.output
        with Project.open(proj) as p:
            assert [d.name for d in p.documents.all()] == ["leder.txt"]

    def test_english_on_request_and_unchanged_reimport(self, folder, tmp_path):
        runner = CliRunner()
        proj = tmp_path / "p.qcp"
        args = ["import", str(folder / "leder.txt"), "--project", str(proj), "--lang", "en"]
        assert runner.invoke(cli, args).exit_code == 0
        result = runner.invoke(cli, args)
        assert result.exit_code == 0
        assert result.output.strip() == f"Unchanged, skipped: {folder / 'leder.txt'}"

    def test_unknown_extension_exit_2(self, tmp_path):
        path = tmp_path / "noter.pdf"
        path.write_bytes(b"%PDF")
        result = CliRunner().invoke(cli, ["import", str(path), "--project", str(tmp_path / "p.qcp")])
        assert result.exit_code == 2
        assert f"Fejl: {path}: er en PDF; eksportér transskriptionen" in result.output

    def test_info_on_missing_project_is_a_user_error(self, tmp_path):
        result = CliRunner().invoke(cli, ["info", "--project", str(tmp_path / "nope.qcp")])
        assert result.exit_code == 2
        assert result.output.strip() == f"Fejl: {tmp_path / 'nope.qcp'}: projektfilen findes ikke"


def _content(project):
    docs = [(d.name, d.text, d.content_hash, dict(d.metadata)) for d in project.documents.all()]
    turns = project.db.execute("SELECT * FROM turns ORDER BY id").fetchall()
    segments = project.db.execute("SELECT * FROM segments ORDER BY id").fetchall()
    return docs, [tuple(r) for r in turns], [tuple(r) for r in segments]


def test_import_with_worker_processes_stores_exactly_what_one_process_stores(tmp_path):
    from qualcode.demo import sample_dir, sample_files

    samples = sample_dir()
    files = list(sample_files(samples))
    bad = tmp_path / "tom.txt"
    bad.write_bytes(b"")
    paths = files[:4] + [bad] + files[4:]
    with Project.open(tmp_path / "one.qcp") as one, Project.open(tmp_path / "two.qcp") as two:
        r1 = import_files(one, paths, metadata_csv=samples / "metadata.csv", progress=False, workers=0)
        r2 = import_files(two, paths, metadata_csv=samples / "metadata.csv", progress=False, workers=2)
        assert r1 == r2
        assert [p for p, _ in r2.failed] == [str(bad)]
        assert len(r2.imported) == len(files)
        assert _content(one)[2] and _content(one) == _content(two)
        # A second parallel import of the same files adds nothing.
        again = import_files(two, paths, metadata_csv=samples / "metadata.csv", progress=False, workers=2)
        assert again.imported == () and len(again.unchanged) == len(files)
        assert _content(two) == _content(one)


def test_worker_processes_write_messages_in_the_callers_language(tmp_path):
    from qualcode.i18n import use_language

    (tmp_path / "a.txt").write_text(LEDER, encoding="utf-8")
    (tmp_path / "tom.txt").write_bytes(b"")
    with Project.open(tmp_path / "p.qcp") as project, use_language("en"):
        report = import_files(project, [tmp_path / "a.txt", tmp_path / "tom.txt"], progress=False, workers=2)
    assert report.failed == ((str(tmp_path / "tom.txt"), f"{tmp_path / 'tom.txt'}: is empty"),)
