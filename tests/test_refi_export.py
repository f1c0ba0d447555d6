"""REFI-QDA project export (.qdpx): schema-valid, complete, and positions equal to qualcode offsets."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.codebook.refi import code_guid
from qualcode.refi import export_qdpx, qde_problems
from qualcode.refi.export import guid
from team_helpers import build_two_coder_project, code_sentence

from qualcode.codebook.refi import PROJECT_XSD

# Exports are validated against the copy of REFI-QDA's Project.xsd that ships with the package
# (the exporter validates against it too); test_packaged_schema_is_the_published_one checks the copy.
SHARED_XSD = PROJECT_XSD
PUBLISHED_XSD = Path(__file__).resolve().parent.parent.parent / "shared" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def export_valid(project, path: Path) -> tuple[etree._Element, zipfile.ZipFile]:
    """Export, then validate project.qde against the shared REFI-QDA schema; every export test goes through here."""
    export_qdpx(project, path)
    archive = zipfile.ZipFile(path)
    data = archive.read("project.qde")
    assert qde_problems(data, SHARED_XSD) == []
    return etree.fromstring(data), archive


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("refi") / "team.qdpx"
    with Project.in_memory() as project:
        a, b = build_two_coder_project(project)
        root, archive = export_valid(project, path)
        docs = {d.id: d for d in project.documents.all()}
        codings = project.codings.query(status=["accepted", "needs_review"])
        yield root, archive, docs, codings


def test_archive_holds_project_qde_and_one_utf8_text_per_document(exported):
    root, archive, docs, _ = exported
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert sorted(archive.namelist()) == sorted(["project.qde"] + [f"sources/{guid('source', d.content_hash)}.txt" for d in docs.values()])
    for el in sources:
        assert el.get("plainTextPath") == f"internal://{el.get('guid')}.txt"
        text = archive.read(f"sources/{el.get('guid')}.txt").decode("utf-8")
        doc = next(d for d in docs.values() if d.name == el.get("name"))
        assert text == doc.text  # the normalised text itself: positions are qualcode offsets
    assert "Vi måles kun på egne mål." in archive.read(f"sources/{sources[0].get('guid')}.txt").decode("utf-8")


def test_users_are_the_coders(exported):
    root = exported[0]
    users = root.findall("q:Users/q:User", NS)
    assert [(u.get("name"), u.get("guid")) for u in users] == [("anna", guid("user", "anna")), ("bo", guid("user", "bo"))]


def test_codebook_keeps_hierarchy_colours_and_descriptions(exported):
    root = exported[0]
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["Barrierer", "Drivkræfter"]
    assert [c.get("name") for c in top[0].findall("q:Code", NS)] == ["Målinger og belønning", "Tidspres"]
    maaling = top[0].find("q:Code", NS)
    assert maaling.get("color") == "#E74C3C"
    assert maaling.get("guid") == code_guid("barriere.maaling")
    description = maaling.find("q:Description", NS).text
    assert description.startswith("Styring der belønner egne resultater.")
    # issue 17: qualcode's id is not written into the description other tools show
    assert description == "Styring der belønner egne resultater.\n\nBrug når: Mål, KPI'er\n\nNøgleord:\n- måles\n- mål*"
    pi = root.getprevious()
    assert (pi.target, json.loads(pi.text)["codes"][code_guid("barriere.maaling")]) == ("qualcode", "barriere.maaling")
    assert top[1].findall("q:Code", NS)[0].get("color") is None  # driver.ledelse has no colour


def test_every_accepted_coding_is_a_selection_with_its_coder_on_the_same_text(exported):
    root, _, docs, codings = exported
    found = []
    for source in root.findall("q:Sources/q:TextSource", NS):
        doc = next(d for d in docs.values() if d.name == source.get("name"))
        for sel in source.findall("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            for coding in sel.findall("q:Coding", NS):
                found.append((doc.id, start, end, coding.find("q:CodeRef", NS).get("targetGUID"), coding.get("creatingUser")))
                assert coding.get("creatingUser") == sel.get("creatingUser")
            assert sel.get("name") == doc.text[start:end][:60]
    expected = sorted((c.document_id, c.start, c.end, code_guid(c.code_id), guid("user", c.coder)) for c in codings)
    assert sorted(found) == expected
    assert len(found) == 14  # the rejected machine suggestion is not exported


def test_cases_and_variables_come_from_document_metadata(exported):
    root = exported[0]
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    # the participant is the Case (NVivo: a case per person), not a variable
    assert sorted(variables.values()) == ["municipality", "role"]
    cases = root.findall("q:Cases/q:Case", NS)
    assert [(c.get("name"), c.get("guid")) for c in cases] == [("P01", guid("case", "P01")), ("P02", guid("case", "P02"))]
    values = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
        for v in cases[1].findall("q:VariableValue", NS)
    }
    assert values == {"role": "frivillig", "municipality": "Hedelund Kommune"}
    source_guids = [s.get("guid") for s in root.findall("q:Sources/q:TextSource", NS)]
    assert [c.find("q:SourceRef", NS).get("targetGUID") for c in cases] == source_guids


def test_retired_codes_with_codings_are_exported_and_suggestions_are_not(tmp_path):
    with Project.in_memory() as project:
        a, _ = build_two_coder_project(project)
        code_sentence(project, a, 0, "driver.tillid", "carl", status="suggested", source="machine", score=0.7)
        project.codebook.retire("barriere.tid", "test")
        root, _ = export_valid(project, tmp_path / "x.qdpx")
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")]
    assert "Tidspres" in names  # retired, but codings still point at it
    assert "carl" not in [u.get("name") for u in root.findall("q:Users/q:User", NS)]


def test_empty_project_exports_a_valid_file(tmp_path):
    with Project.in_memory() as project:
        root, archive = export_valid(project, tmp_path / "tom.qdpx")
    assert archive.namelist() == ["project.qde"]
    assert root.get("origin") == "qualcode"


@pytest.mark.skipif(not PUBLISHED_XSD.exists(), reason=f"{PUBLISHED_XSD} is not here (../shared is not beside this clone)")
def test_packaged_schema_is_the_published_one():
    assert PROJECT_XSD.read_bytes() == PUBLISHED_XSD.read_bytes()


def test_cli_export_qdpx(tmp_path):
    path = tmp_path / "team.qcp"
    with Project.open(path) as p:
        build_two_coder_project(p)
    out = tmp_path / "team.qdpx"
    result = CliRunner().invoke(cli, ["export-qdpx", "--project", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Skrevet: {out} (2 kilder, 6 koder, 14 kodninger, kodere: anna og bo)"
    # A REFI export carries the raw interviews (other tools need them): it says so, and how to avoid it.
    assert result.stderr.splitlines() == [
        "ADVARSEL: Denne fil er IKKE anonymiseret og indeholder persondata (navne, steder og andre identifikatorer"
        " fra interviewene). Del den ikke uden hjemmel.",
        "(export-qdpx --anonymise skriver en anonymiseret kopi)",
    ]
    assert qde_problems(zipfile.ZipFile(out).read("project.qde"), SHARED_XSD) == []
    bad = CliRunner().invoke(cli, ["export-qdpx", "--project", str(path), "--out", str(tmp_path / "team.zip")])
    assert bad.exit_code == 2
    assert bad.output.strip() == f"Fejl: {tmp_path / 'team.zip'}: filen skal hedde .qdpx"


def test_control_characters_from_word_do_not_break_the_xml_and_stay_in_the_source(tmp_path):
    from team_helpers import add_document

    with Project.in_memory() as project:
        project.codebook.ensure_code("tid", "Tid\x01spres")
        doc_id = add_document(project, "word.txt", "IP: Der er\x0bingen tid\x01 til det.\n")
        doc = project.documents.get(doc_id)
        start = doc.text.index("Der")
        project.codings.add(doc_id, start, start + len("Der er\x0bingen tid\x01"), "tid", "anna")
        root, archive = export_valid(project, tmp_path / "word.qdpx")
    sel = root.find("q:Sources/q:TextSource/q:PlainTextSelection", NS)
    assert sel.get("name") == "Der er ingen tid"
    assert root.find("q:CodeBook/q:Codes/q:Code", NS).get("name") == "Tidspres"
    text = archive.read(archive.namelist()[1]).decode("utf-8")
    assert text[int(sel.get("startPosition")):int(sel.get("endPosition"))] == "Der er\x0bingen tid\x01"


def test_a_case_per_participant_not_per_document(tmp_path):
    """A group interview gives one case per speaker; a participant in two interviews is one case with both."""
    from qualcode.importer import store_transcript
    from qualcode.models import Transcript, Turn

    with Project.in_memory() as project:
        group = "I: Hvad tænker I?\nAnne: Vi mangler tid.\nBo: Vi mangler folk.\n"
        turns = (Turn(0, "I", 3, 17, is_interviewer=True, role="interviewer"),
                 Turn(1, "Anne", 24, 39, role="leder", participant_id="P10"),
                 Turn(2, "Bo", 44, 60, role="medarbejder", participant_id="P11"))
        g = store_transcript(project, Transcript("gruppe.txt", "gruppe.txt", "txt", group, turns,
                                                 {"municipality": "Fjordby Kommune"})).document_id
        again = "I: Og nu?\nAnne: Bedre.\n"
        a = store_transcript(project, Transcript("anne.txt", "anne.txt", "txt", again,
                                                 (Turn(0, "I", 3, 9, is_interviewer=True), Turn(1, "Anne", 16, 22, role="leder", participant_id="P10")),
                                                 {"participant_id": "P10", "role": "leder"})).document_id
        root, _ = export_valid(project, tmp_path / "gruppe.qdpx")
        docs = {project.documents.get(i).name: guid("source", project.documents.get(i).content_hash) for i in (g, a)}
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    cases = [(c.get("name"), {variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
                              for v in c.findall("q:VariableValue", NS)},
              [r.get("targetGUID") for r in c.findall("q:SourceRef", NS)]) for c in root.findall("q:Cases/q:Case", NS)]
    assert cases == [
        ("P10", {"role": "leder"}, [docs["gruppe.txt"], docs["anne.txt"]]),
        ("P11", {"role": "medarbejder"}, [docs["gruppe.txt"]]),
    ]
