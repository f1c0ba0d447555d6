"""Merging projects imported from REFI-QDA files keeps their GUIDs, variables, cases, sets and memos
(qualcode.refi.carry, run after qualcode.team.merge.merge_into)."""

from __future__ import annotations

from lxml import etree

from qualcode import Project
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
        carried = [carry_refi(merged, source) for source in (nvivo, atlas)]
        assert carried == [Carried(code_guids=4, document_guids=1, coding_guids=7, users=2, variables=1, cases=1,
                                   sets=0, memos=2),
                           Carried(code_guids=3, document_guids=2, coding_guids=5, users=3, variables=0, cases=0,
                                   sets=0, memos=2)]
        store, theirs = RefiStore(merged.db), [RefiStore(p.db) for p in (nvivo, atlas)]
        assert store.code_guids() == {**theirs[0].code_guids(), **theirs[1].code_guids()}
        assert store.uncodable() == {"temaer"}
        assert sorted(store.coder_guids()) == ["Jonas", "Mette", "Signe", "Troels", "Ulla"]
        assert [(c.name, c.values, len(c.document_ids)) for c in store.cases()] == [("Karin", {"role": "leder"}, 1)]
        assert sorted(m.title for m in store.memos()) == ["Annotation", "Hedelund", "Om mødelederen", "Projektlog"]
        annotation = next(m for m in store.memos() if m.title == "Annotation")
        assert merged.documents.get(annotation.document_id).text[annotation.start:annotation.end] == (
            "Lederen prioriterer driften.")
        # a second carry adds nothing
        assert carry_refi(merged, nvivo) == Carried()
        export_qdpx(merged, tmp_path / "samlet.qdpx")
    root = etree.fromstring(qde_of(tmp_path / "samlet.qdpx"))
    guids = {c.get("guid") for c in root.iterfind(".//q:Code", NS)}
    assert {"c0110000-1700-4000-8000-000000000001", "C0120000-1700-4000-8000-000000000001"} <= guids
    sources = {s.get("name"): s.get("guid") for s in root.iterfind(".//q:TextSource", NS)}
    assert sources["Interview Karin"] == "50110000-1700-4000-8000-000000000001"
    assert sources["Morgenmøde Hedelund.txt"] == "50120000-1700-4000-8000-000000000002"


def test_the_same_file_imported_twice_and_merged_gives_each_guid_once():
    with Project.in_memory() as a, Project.in_memory() as b, Project.in_memory() as merged:
        for p in (a, b):
            import_qdpx(p, DATA / "nvivo15_shape.qdpx", "tester")
        for p in (a, b):
            merge_into(merged, p, "tester", origin="x")
            carry_refi(merged, p)
        store = RefiStore(merged.db)
        assert len(store.coding_guids()) == 7 and len(merged.codings.query()) == 7
        assert len(store.memos()) == 2 and len(store.cases()) == 1
