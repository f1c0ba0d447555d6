"""REFI-QDA exchange with the real files in ../shared (ATLAS.ti 8.4, MAXQDA 24.7, NVivo 12.6 and 15).

Every count below was read off the files themselves (unzip -l and project.qde). The tests skip,
saying why, when ../shared is absent (a fresh clone); CI has it.
"""

from __future__ import annotations

import zipfile
from collections import Counter

import pytest
from lxml import etree

from qualcode import Project
from qualcode.agreement import coded_units, coverage_warnings
from qualcode.refi import export_qdpx, import_qdpx, qde_problems, read_qdpx
from qualcode.store.refi import RefiStore
from qualcode.text import normalise
from refi_helpers import NS, PEERS, SHARED, qde_of, snapshot, without_creation_time

ATLAS = PEERS / "atlasti84_mac_standard.qdpx"
MAXQDA = PEERS / "maxqda24_icls.qdpx"
NVIVO12 = PEERS / "nvivo_win126_oltas0517.qdpx"
NVIVO15 = SHARED / "refi-qda" / "nvivo_project.qdpx"


def need(path):
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is not beside this clone); CI has it")


def rows(report):
    return [(r.kind, r.in_file, r.imported, r.matched, r.not_imported, r.reasons) for r in report.summary]


def test_atlas_standard_project_every_kind_counted_with_reasons():
    need(ATLAS)
    with Project.in_memory() as project:
        report = import_qdpx(project, ATLAS, "tester")
        store = RefiStore(project.db)
        sets = store.sets()
        notes = store.memos()
    # the archive holds no source files at all (only project.qde and an empty Sources/ folder)
    assert rows(report) == [
        ("users", 3, 3, 0, 0, ()),
        ("codes", 14, 14, 0, 0, ()),
        ("text", 6, 0, 0, 6, ((6, "tekstfilen er ikke i arkivet"),)),
        ("pdf", 2, 0, 0, 2, ((2, "ingen PDF-fil eller ren tekst i arkivet"),)),
        ("transcript", 3, 0, 0, 3, ((3, "tekstfilen er ikke i arkivet"),)),
        ("picture", 1, 0, 0, 1, ((1, "et billede: qualcode rummer tekst"),)),
        ("audio", 1, 0, 0, 1, ((1, "en optagelse uden transskription: qualcode rummer tekst"),)),
        ("video", 2, 0, 0, 2, ((2, "en optagelse: qualcode rummer tekst (dens transskriptioner læses som kilder)"),)),
        ("codings", 16, 0, 0, 16, ((13, "på en kilde, der ikke blev importeret"), (2, "på et område af et billede"),
                                   (1, "på et tidsudsnit af en optagelse"))),
        ("notes", 2, 2, 0, 0, ()),
        ("sets", 16, 16, 0, 0, ()),
        ("links", 1, 0, 0, 1, ((1, "links mellem objekter kan ikke gemmes"),)),
        ("graphs", 1, 0, 0, 1, ((1, "netværk (grafer) kan ikke gemmes"),)),
    ]
    assert [(m.title, m.text) for m in notes] == [
        ("Research Plan", "This is a great project by a dynamic team of researcher-developers."),
        ("My favorite Coke ad", "This version is much better than the new Director’s cut"),
    ]
    assert notes[0].description == "day to day log about this amazing project"
    by_name = {s.name: s for s in sets}
    assert len(by_name["Feelings"].code_ids) == 6 and len(by_name["Breakfast food"].code_ids) == 6
    assert sum(len(s.code_ids) for s in sets) == 19  # every MemberCode; the 23 MemberSources had no source to point at
    assert all(not s.document_ids for s in sets)


@pytest.mark.slow
def test_maxqda_codes_keep_their_guids_and_descriptions_through_an_export(tmp_path):
    need(MAXQDA)
    with Project.in_memory() as project:
        report = import_qdpx(project, MAXQDA, "tester")
        assert rows(report) == [("users", 1, 1, 0, 0, ()), ("codes", 307, 307, 0, 0, ()),
                                ("text", 10, 10, 0, 0, ()), ("sets", 2, 2, 0, 0, ())]
        book = project.codebook.current()
        assert (len(book.roots()), max(book.depth(c.id) for c in book.codes)) == (18, 1)
        assert [len(s.document_ids) for s in RefiStore(project.db).sets()] == [5, 5]
        export_qdpx(project, tmp_path / "ud.qdpx")
        first = snapshot(project)
    original, exported = etree.fromstring(qde_of(MAXQDA)), etree.fromstring(qde_of(tmp_path / "ud.qdpx"))
    for path in (".//q:Code", "q:Sources/q:TextSource", "q:Users/q:User", "q:Sets/q:Set"):
        assert [e.get("guid") for e in exported.iterfind(path, NS)] == [e.get("guid") for e in original.iterfind(path, NS)]
    assert exported.find(".//q:Code", NS).get("guid") == "C9E3D7E0-4DBF-46E2-96EF-14574ECD3B90"
    assert [e.text for e in exported.iterfind(".//q:Code/q:Description", NS)] == [
        e.text for e in original.iterfind(".//q:Code/q:Description", NS)]
    with Project.in_memory() as again:
        import_qdpx(again, tmp_path / "ud.qdpx", "tester")
        assert snapshot(again) == first


def _word_edges(text: str, start: int, end: int) -> bool:
    def edge(i):
        return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())
    return edge(start) and edge(end)


def test_nvivo12_positions_count_utf16_units_and_every_coding_slices_the_words_nvivo_coded():
    # The coded source holds 892 emoji outside the BMP. NVivo (.NET) counts UTF-16 code units: read so,
    # 300 of the 303 selections start and end on word edges; read as code points, 49 did, and 290
    # codings sliced text shifted by one character per emoji before them.
    need(NVIVO12)
    refi = read_qdpx(NVIVO12)
    assert refi.origin == "NVivo for Windows 12.6"
    assert sorted(refi.users.values()) == ["Gergo", "floriansipos"]
    assert (len(refi.codebook.codes), len(refi.uncodable)) == (152, 1)
    with zipfile.ZipFile(NVIVO12) as archive:  # "Sources/" in upper case; .txt with BOM and CRLF
        raws = {s.guid: archive.read(f"Sources/{s.guid}.txt").decode("utf-8-sig") for s in refi.sources}
    root = etree.fromstring(qde_of(NVIVO12))
    checked = 0
    for source in refi.sources:
        raw = raws[source.guid]
        assert "\r\n" in raw and "\r" not in source.text
        units = raw.encode("utf-16-le")  # an independent reading: slice the UTF-16 code units themselves
        el = root.find(f"q:Sources/q:TextSource[@guid='{source.guid}']", NS)
        original = [(int(s.get("startPosition")), int(s.get("endPosition"))) for s in el.iterfind("q:PlainTextSelection", NS)]
        assert len(original) == len(source.selections)
        for (a, b), sel in zip(original, source.selections):
            assert source.text[sel.start:sel.end] == normalise(units[2 * a:2 * b].decode("utf-16-le"))
            checked += 1
        if original:
            assert sum(_word_edges(source.text, s.start, s.end) for s in source.selections) == 300
    assert checked == 303
    first = refi.sources[1].selections[0]
    assert refi.sources[1].text[first.start:first.end].startswith("Senkit nem lehet kötelezni oltásra")


def test_nvivo12_the_coder_of_a_coding_is_the_user_of_its_selection():
    # NVivo writes one PlainTextSelection per coding reference, stamped with who made the reference and
    # when; the Coding inside carries the stamp of the code (node) itself. In this file every Coding of one
    # code has the same stamp (Gergo, 2025-06-18 02:06:50), dated before its selection: it cannot be the act
    # of coding. A researcher expects the coder to be who applied the code to the text: floriansipos made
    # 297 of the references, Gergo 6 (later, at 02:15 and 02:18).
    need(NVIVO12)
    refi = read_qdpx(NVIVO12)
    coders = Counter(s.coder for source in refi.sources for s in source.selections)
    assert coders == {"floriansipos": 297, "Gergo": 6}
    times = Counter(s.created_at for source in refi.sources for s in source.selections)
    assert times == {"2025-06-18T02:08:15Z": 297, "2025-06-18T02:18:15Z": 4, "2025-06-18T02:15:19Z": 2}


@pytest.mark.slow  # two imports of 1.2 million characters (segmentation)
def test_nvivo12_import_and_a_round_trip_byte_identical_apart_from_the_creation_time(tmp_path):
    need(NVIVO12)
    with Project.in_memory() as first:
        report = import_qdpx(first, NVIVO12, "tester")
        assert rows(report) == [("users", 2, 2, 0, 0, ()), ("codes", 152, 152, 0, 0, ()), ("text", 2, 2, 0, 0, ()),
                                ("codings", 303, 303, 0, 0, ())]
        assert Counter(c.coder for c in first.codings.query()) == {"floriansipos": 297, "Gergo": 6}
        # Gergo coded far less: agreement says so, and --coded-only measures it where either coded
        cu = coded_units(first)
        assert cu.coders == ("Gergo", "floriansipos")
        assert coverage_warnings(cu) == [
            "Gergo har givet koder til 5 enheder, floriansipos til 450 (1 %): enigheden er mest om enheder, ingen af"
            " dem har kodet; --coded-only måler den på de enheder, mindst én koder har kodet"]
        only = coded_units(first, coded_only=True)
        # The sources are YouTube comment tables whose video id stands on a line of its own before each
        # comment; since the speaker-label check (verify-14) every recurring id is a label (1,196 turns
        # per source, was 850 with one id missed), and label lines are no sentences of their own.
        assert [len(list(first.documents.turns(d.id))) for d in first.documents.all()] == [1196, 1196]
        assert (len(cu.segments), len(only.segments), only.units_with_codes()) == (34383, 451, [5, 450])
        export_qdpx(first, tmp_path / "1.qdpx", name="oltas")
    with Project.in_memory() as second:
        import_qdpx(second, tmp_path / "1.qdpx", "tester")
        export_qdpx(second, tmp_path / "2.qdpx", name="oltas")
    qde1, qde2 = qde_of(tmp_path / "1.qdpx"), qde_of(tmp_path / "2.qdpx")
    assert qde_problems(qde1, SHARED / "refi-qda" / "Project.xsd") == []
    assert without_creation_time(qde1) == without_creation_time(qde2)
    exported = etree.fromstring(qde1)
    assert len(exported.findall(".//q:Coding", NS)) == 303
    assert exported.find(".//q:Code[@isCodable='false']", NS) is not None


def test_nvivo15_mac_empty_sources_are_reported_not_imported():
    need(NVIVO15)
    with Project.in_memory() as project:
        report = import_qdpx(project, NVIVO15, "tester")
        assert len(project.codebook.current()) == 262
    assert rows(report) == [("users", 2, 2, 0, 0, ()), ("codes", 262, 262, 0, 0, ()),
                            ("text", 2, 0, 0, 2, ((2, "den har ingen tekst"),))]
    assert report.warnings[0] == "nvivo_project.qdpx: kilden '66653866-6334-3535-3435-366637306566' har ingen tekst; ikke importeret"
