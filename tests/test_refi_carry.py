"""Merging projects imported from REFI-QDA files keeps their GUIDs, variables, cases, sets and memos
(qualcode.refi.carry, which qualcode.team.merge.merge_into runs)."""

from __future__ import annotations

from click.testing import CliRunner
from lxml import etree

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.refi import export_qdpx, import_qdpx
from qualcode.refi.carry import Carried, carry_refi
from qualcode.store.refi import RefiStore
from qualcode.team.merge import merge_into
from refi_helpers import DATA, NS, qde_of


def test_a_merge_of_two_refi_imports_exports_the_guids_they_came_with(tmp_path):
    with Project.in_memory() as nvivo, Project.in_memory() as atlas, Project.in_memory() as merged:
        import_qdpx(nvivo, DATA / "nvivo15_shape.qdpx", "tester")
        import_qdpx(atlas, DATA / "atlas23_shape.qdpx", "tester")
        for source in (nvivo, atlas):
            merge_into(merged, source, "tester", origin="x")
        store, theirs = RefiStore(merged.db), [RefiStore(p.db) for p in (nvivo, atlas)]
        assert store.code_guids() == {**theirs[0].code_guids(), **theirs[1].code_guids()}
        assert len(store.code_guids()) == 7 and store.uncodable() == {"temaer"}
        assert len(store.coding_guids()) == 12  # 7 NVivo codings, 5 ATLAS.ti codings
        assert sorted(store.coder_guids()) == ["Jonas", "Mette", "Signe", "Troels", "Ulla"]
        assert [(v.name, v.guid) for v in store.variables()] == [("role", "b0110000-1700-4000-8000-000000000001")]
        assert [(c.name, c.values, len(c.document_ids)) for c in store.cases()] == [("Karin", {"role": "leder"}, 1)]
        assert sorted(m.title for m in store.memos()) == ["Annotation", "Hedelund", "Om mødelederen", "Projektlog"]
        annotation = next(m for m in store.memos() if m.title == "Annotation")
        assert merged.documents.get(annotation.document_id).text[annotation.start:annotation.end] == (
            "Lederen prioriterer driften.")
        # the merge carried it all: carrying again adds nothing
        assert [carry_refi(merged, p) for p in (nvivo, atlas)] == [Carried(), Carried()]
        export_qdpx(merged, tmp_path / "samlet.qdpx")
    root = etree.fromstring(qde_of(tmp_path / "samlet.qdpx"))
    guids = {c.get("guid") for c in root.iterfind(".//q:Code", NS)}
    assert {"c0110000-1700-4000-8000-000000000001", "C0120000-1700-4000-8000-000000000001"} <= guids
    sources = {s.get("name"): s.get("guid") for s in root.iterfind(".//q:TextSource", NS)}
    assert sources["Interview Karin"] == "50110000-1700-4000-8000-000000000001"
    assert sources["Morgenmøde Hedelund.txt"] == "50120000-1700-4000-8000-000000000002"


def test_carry_counts_what_it_gives_a_project_that_lacks_it():
    with Project.in_memory() as nvivo, Project.in_memory() as bare:
        import_qdpx(nvivo, DATA / "nvivo15_shape.qdpx", "tester")
        merge_into(bare, nvivo, "tester", origin="x")
        # take the REFI fields away again, as a merge made before this existed left them
        bare.db.execute("UPDATE codes SET guid = NULL")
        bare.db.execute("UPDATE documents SET guid = NULL")
        bare.db.execute("UPDATE codings SET guid = NULL, selection_guid = NULL")
        for table in ("coder_guids", "case_documents", "cases", "variables", "memos"):
            bare.db.execute(f"DELETE FROM {table}")
        assert carry_refi(bare, nvivo) == Carried(code_guids=4, document_guids=1, coding_guids=7, users=2,
                                                  variables=1, cases=1, sets=0, memos=2)


def test_the_same_file_imported_twice_and_merged_gives_each_guid_once():
    with Project.in_memory() as a, Project.in_memory() as b, Project.in_memory() as merged:
        for p in (a, b):
            import_qdpx(p, DATA / "nvivo15_shape.qdpx", "tester")
        for p in (a, b):
            merge_into(merged, p, "tester", origin="x")
        store = RefiStore(merged.db)
        assert len(store.coding_guids()) == 7 and len(merged.codings.query()) == 7
        assert len(store.memos()) == 2 and len(store.cases()) == 1


def test_qualcode_merge_of_two_refi_imports_keeps_the_code_guids(tmp_path):
    for name in ("nvivo15_shape", "atlas23_shape"):
        with Project.open(tmp_path / f"{name}.qcp") as project:
            import_qdpx(project, DATA / f"{name}.qdpx", "tester")
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "nvivo15_shape.qcp"), str(tmp_path / "atlas23_shape.qcp"),
                                      "--into", str(tmp_path / "samlet.qcp")])
    assert result.exit_code == 0, result.output
    with Project.open(tmp_path / "samlet.qcp", create=False) as merged:
        assert RefiStore(merged.db).code_guids()["tidspres"] == "c0110000-1700-4000-8000-000000000001"
