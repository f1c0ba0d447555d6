"""REFI-QDA round trips per tool shape: nothing lost, every GUID kept, and a stable project.qde.

For each fixture in tests/data/refi (written in the shape NVivo, ATLAS.ti, MAXQDA, QualCoder and an
odd-paths tool export): import -> export -> import into a fresh project gives the same sources, codes
(same GUIDs), codings (same GUIDs), memos, sets, variables, cases and users; and export -> import into
a fresh project -> export gives a byte-identical project.qde apart from its creation time. Every export
validates against the packaged Project.xsd and the shared one.
"""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from qualcode import Project
from qualcode.codebook.refi import code_guid
from qualcode.refi import export_qdpx, import_qdpx, qde_problems
from refi_helpers import DATA, NS, SHARED, qde_of, snapshot, without_creation_time
from team_helpers import build_two_coder_project

SHAPES = [
    "nvivo_shape.qdpx",      # NVivo 12: Sources/, CRLF + BOM, cases, two coders
    "atlas_shape.qdpx",      # ATLAS.ti 8: Project.qde, PDF, picture, video transcript, sets, notes
    "maxqda_shape.qdpx",     # MAXQDA 24: upper-case GUIDs, document sets, segment comments
    "qualcoder_shape.qdpx",  # QualCoder 3: journal files, annotation note, typed variables, transcript
    "odd_paths.qdpx",        # bare, relative and absolute paths, PDF text by pypdf, duplicate GUIDs
    "unzipped",              # a project.qde beside its sources/ folder
]


def _export(project, path):
    summary = export_qdpx(project, path, name="rundtur")
    qde = qde_of(path)
    assert qde_problems(qde) == []
    if (SHARED / "refi-qda" / "Project.xsd").exists():
        assert qde_problems(qde, SHARED / "refi-qda" / "Project.xsd") == []
    return summary, qde


@pytest.mark.parametrize("shape", SHAPES)
def test_import_export_import_keeps_everything(shape, tmp_path):
    with Project.in_memory() as first:
        import_qdpx(first, DATA / shape, "tester")
        before = snapshot(first)
        _export(first, tmp_path / "ud.qdpx")
    with Project.in_memory() as second:
        report = import_qdpx(second, tmp_path / "ud.qdpx", "tester")
        after = snapshot(second)
    assert report.warnings == ()
    for part in before:
        assert after[part] == before[part], part


@pytest.mark.parametrize("shape", SHAPES)
def test_export_import_export_gives_the_same_project_qde(shape, tmp_path):
    with Project.in_memory() as first:
        import_qdpx(first, DATA / shape, "tester")
        _summary, qde1 = _export(first, tmp_path / "1.qdpx")
    with Project.in_memory() as second:
        import_qdpx(second, tmp_path / "1.qdpx", "tester")
        _summary, qde2 = _export(second, tmp_path / "2.qdpx")
    assert without_creation_time(qde2) == without_creation_time(qde1)
    assert zipfile.ZipFile(tmp_path / "1.qdpx").namelist() == zipfile.ZipFile(tmp_path / "2.qdpx").namelist()


def test_a_native_project_round_trips_byte_identically(tmp_path):
    with Project.in_memory() as first:
        build_two_coder_project(first)
        first.memos.add("anna", "Tjek definitionen af tidspres.", code_id="barriere.tid")
        doc = first.documents.by_name("a.txt")
        coding = first.codings.query(document_id=doc.id, coder="bo")[0]
        first.memos.add("bo", "Usikker her.", coding_id=coding.id)
        first.memos.add("anna", "Et godt citat.", document_id=doc.id, start=coding.start, end=coding.end)
        first.memos.add("anna", "Interviewet blev afbrudt.", document_id=doc.id)
        first.memos.add("bo", "Husk metodeafsnittet.")
        _summary, qde1 = _export(first, tmp_path / "1.qdpx")
        before = snapshot(first)
    with Project.in_memory() as second:
        import_qdpx(second, tmp_path / "1.qdpx", "tester")
        _summary, qde2 = _export(second, tmp_path / "2.qdpx")
        after = snapshot(second)
    assert without_creation_time(qde2) == without_creation_time(qde1)
    # codes made in qualcode had no GUID; the export gave them one made from their id, which is kept
    assert [c[:5] for c in after["codes"]] == [c[:5] for c in before["codes"]]
    assert [c[5] for c in before["codes"]] == [None] * 6
    assert [c[5] for c in after["codes"]] == [code_guid(c[0]) for c in after["codes"]]
    # every accepted coding, on the same span with the same code and coder (the rejected suggestion stays home)
    assert [c[:5] for c in after["codings"]] == [c[:5] for c in before["codings"] if c[-1] == "accepted"]
    assert len(after["codings"]) == 14
    # every memo came back on the same target: a code, a coding, a span, a document, the project
    assert sorted((m[4], m[5], m[7]) for m in after["memos"]) == sorted((m[4], m[5], m[7]) for m in before["memos"])
    assert sorted(m[4] for m in after["memos"]) == [
        "Et godt citat.", "Husk metodeafsnittet.", "Interviewet blev afbrudt.", "Tjek definitionen af tidspres.",
        "Usikker her."]


def test_foreign_guids_are_written_back_exactly_as_they_came(tmp_path):
    with Project.in_memory() as project:
        import_qdpx(project, DATA / "maxqda_shape.qdpx", "tester")
        _summary, qde = _export(project, tmp_path / "ud.qdpx")
    root = etree.fromstring(qde)
    original = etree.fromstring(zipfile.ZipFile(DATA / "maxqda_shape.qdpx").read("project.qde"))
    guids = lambda r, path: [e.get("guid") for e in r.iterfind(path, NS)]  # noqa: E731
    assert guids(root, ".//q:Code") == guids(original, ".//q:Code")  # MAXQDA's upper-case GUIDs, in order
    assert guids(root, "q:Sources/q:TextSource") == guids(original, "q:Sources/q:TextSource")
    assert guids(root, ".//q:PlainTextSelection") == guids(original, ".//q:PlainTextSelection")
    assert guids(root, ".//q:Coding") == guids(original, ".//q:Coding")
    assert guids(root, "q:Users/q:User") == guids(original, "q:Users/q:User")
    assert guids(root, "q:Sets/q:Set") == guids(original, "q:Sets/q:Set")
    # no description gained a line: MAXQDA's text comes back as it was
    assert [e.text for e in root.iterfind(".//q:Code/q:Description", NS)] == [
        e.text for e in original.iterfind(".//q:Code/q:Description", NS) if e.text]
    # qualcode's own ids sit in a processing instruction before the root, not in any text
    assert b"Kode-id" not in qde and b"<?qualcode {" in qde
