"""`qualcode metadata FILE.csv --project P`: metadata attached after import, every coding kept."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from qualcode import Project, import_files
from qualcode.cli.main import cli

from conftest import SAMPLES

FORMER = SAMPLES / "former"


@pytest.fixture
def imported_without_metadata(tmp_path):
    """The shape samples imported with no metadata, then coded: accepted, rejected and suggested codings."""
    from qualcode.codebook import load_codebook

    path = tmp_path / "p.qcp"
    files = sorted(p for p in FORMER.iterdir() if p.suffix != ".csv")
    with Project.open(path) as project:
        import_files(project, files, progress=False)
        codebook = load_codebook(SAMPLES.parent / "codebooks" / "barrierer_drivkraefter.yaml")
        project.codebook.apply(codebook, actor="test")
        codes = [c.id for c in codebook.leaves()[:3]]
        for i, seg in enumerate(project.documents.segments()):
            status = ("accepted", "rejected", "suggested")[i % 3]
            project.codings.add(seg.document_id, seg.start, seg.end, codes[i % 3], "anna", status=status,
                                source="human" if status != "suggested" else "machine", score=0.5)
        project.memos.add("anna", "Læs igen", document_id=1, start=0, end=10)
    return path


def _rows(path, table):
    with Project.open(path, create=False) as project:
        return [tuple(r) for r in project.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()]


def test_metadata_attaches_roles_to_turns_and_segments_and_keeps_every_coding(imported_without_metadata):
    path = imported_without_metadata
    before = {t: _rows(path, t) for t in ("codings", "coding_events", "memos", "documents")}
    with Project.open(path, create=False) as project:
        assert {t.role for d in project.documents.ids() for t in project.documents.turns(d)} <= {None, "interviewer"}
    result = CliRunner().invoke(cli, ["metadata", str(FORMER / "metadata.csv"), "--project", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.count("Opdateret: ") == 11
    # Codings, their history and memos are byte for byte what they were; so are the texts.
    assert {t: _rows(path, t) for t in ("codings", "coding_events", "memos")} == {t: before[t] for t in ("codings", "coding_events", "memos")}
    with Project.open(path, create=False) as project:
        docs = {d.name: d for d in project.documents.all()}
        assert [(r[1], r[5]) for r in before["documents"]] == [(d.name, d.text) for d in sorted(docs.values(), key=lambda d: d.id)]
        zoom = docs["zoom_visningsnavne.vtt"]
        assert [(t.speaker, t.role, t.participant_id, t.is_interviewer) for t in project.documents.turns(zoom.id)] == [
            ("Maria Holm (hun/hende)", "interviewer", None, True),
            ("Élodie Brandt (SL)", "medarbejder", "F01", False),
            ("Łukasz Nowak (Jobcenter)", "medarbejder", "F02", False),
            ("Øjvinds iPad", "frivillig", "F03", False),
            ("Maria Holm (hun/hende)", "interviewer", None, True),
            ("Élodie Brandt (SL)", "medarbejder", "F01", False),
            ("Ursula Ørsted", "leder", "F04", False),
            ("Maria Holm (hun/hende)", "interviewer", None, True),
            ("Łukasz Nowak (Jobcenter)", "medarbejder", "F02", False),
        ]
        assert zoom.metadata["participants"] == "F01;F02;F03;F04" and zoom.metadata["municipality"] == "Nordå Kommune"
        # Segments carry the same roles and flags as their turns.
        for doc in docs.values():
            turns = {t.index: t for t in project.documents.turns(doc.id)}
            for unit in ("sentence", "turn"):
                for seg in project.documents.segments(doc.id, unit):
                    assert (seg.role, seg.is_interviewer) == (turns[seg.turn_index].role, turns[seg.turn_index].is_interviewer)
        assert docs["otter_eksport.docx"].metadata["role"] == "chef"
        assert project.documents.count_segments("sentence", include_interviewer=False) < project.documents.count_segments("sentence")


def test_running_it_again_changes_nothing_and_says_so(imported_without_metadata):
    path = imported_without_metadata
    args = ["metadata", str(FORMER / "metadata.csv"), "--project", str(path)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    snapshot = {t: _rows(path, t) for t in ("documents", "turns", "segments", "codings")}
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and again.output == "Uændret: 11 dokumenter.\n"  # no Danish sentence starts with a numeral
    assert {t: _rows(path, t) for t in ("documents", "turns", "segments", "codings")} == snapshot


def test_a_changed_role_replaces_the_old_one(imported_without_metadata, tmp_path):
    path = imported_without_metadata
    CliRunner().invoke(cli, ["metadata", str(FORMER / "metadata.csv"), "--project", str(path)])
    changed = tmp_path / "ny.csv"
    changed.write_text("fil;deltager;taler;rolle;interviewer\notter_eksport.docx;F08;Henrik Dahl;direktør;Louise Brandt\n",
                       encoding="cp1252")
    result = CliRunner().invoke(cli, ["metadata", str(changed), "--project", str(path), "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Updated: otter_eksport.docx"
    assert "Warning: teams_moede.vtt: has no row in the metadata file; left as it was" in result.output
    with Project.open(path, create=False) as project:
        doc = project.documents.by_name("otter_eksport.docx")
        assert {t.role for t in project.documents.turns(doc.id) if not t.is_interviewer} == {"direktør"}
        assert doc.metadata["role"] == "direktør"


def test_rows_for_files_not_in_the_project_and_missing_project(imported_without_metadata, tmp_path):
    csv = tmp_path / "m.csv"
    csv.write_text("fil;taler;rolle\nfindes_ikke.txt;IP;leder\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["metadata", str(csv), "--project", str(imported_without_metadata)])
    assert f"Advarsel: {csv}:2: findes_ikke.txt er ikke i projektet" in result.output
    missing = CliRunner().invoke(cli, ["metadata", str(csv), "--project", str(tmp_path / "nej.qcp")])
    assert missing.exit_code == 2
    assert missing.output.strip() == f"Fejl: {tmp_path / 'nej.qcp'}: projektfilen findes ikke"


def test_reimport_with_metadata_points_to_the_metadata_command(tmp_path):
    src = tmp_path / "firkantede_tider.txt"
    shutil.copy(FORMER / "firkantede_tider.txt", src)
    proj = tmp_path / "p.qcp"
    assert CliRunner().invoke(cli, ["import", str(src), "--project", str(proj)]).exit_code == 0
    again = CliRunner().invoke(cli, ["import", str(src), "--project", str(proj), "--metadata", str(FORMER / "metadata.csv")])
    assert f"Uændret, springes over: {src} (metadata tilføjes med: qualcode metadata)" in again.output
