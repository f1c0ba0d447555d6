"""REFI-QDA import of each tool's shape (fixtures in tests/data/refi, built by tools/build_refi_fixtures.py):
exact counts, the per-kind summary, notes, sets, cases, variables, transcripts, PDFs, paths and GUIDs."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.refi import import_qdpx, read_qdpx
from qualcode.store.refi import RefiStore
from refi_helpers import DATA


def rows(report) -> list[tuple]:
    return [(r.kind, r.in_file, r.imported, r.matched, r.not_imported, r.reasons) for r in report.summary]


def coded(project) -> list[tuple[str, str, str]]:
    return sorted((c.coder, c.code_id, project.documents.get(c.document_id).text[c.start:c.end])
                  for c in project.codings.query())


@pytest.fixture
def imported(request):
    with Project.in_memory() as project:
        report = import_qdpx(project, DATA / request.param, "tester")
        yield project, report


# -- NVivo 12 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("imported", ["nvivo_shape.qdpx"], indirect=True)
def test_nvivo_shape_cases_become_participants_and_crlf_positions_slice_the_words(imported):
    project, report = imported
    assert rows(report) == [
        ("users", 2, 2, 0, 0, ()), ("codes", 9, 9, 0, 0, ()), ("text", 2, 2, 0, 0, ()),
        ("codings", 15, 15, 0, 0, ()), ("notes", 2, 2, 0, 0, ()), ("variables", 2, 2, 0, 0, ()),
        ("cases", 2, 2, 0, 0, ()),
    ]
    birgitte, soeren = project.documents.all()
    assert birgitte.metadata == {"municipality": "Fjordby Kommune", "participant_id": "Birgitte", "role": "leder"}
    assert soeren.metadata == {"municipality": "Hedelund Kommune", "participant_id": "Søren", "role": "medarbejder"}
    assert "\r" not in birgitte.text and not birgitte.text.startswith("\ufeff")
    assert {(t.speaker, t.role, t.participant_id) for t in project.documents.turns(birgitte.id)} == {
        ("I", "interviewer", None), ("IP", "leder", "Birgitte")}
    assert soeren.text == "I: Fortæl om jeres møder.\nIP: Vi mødes hver fjortende dag med jobcentret.\nIP: Det giver et fælles billede af borgeren."
    codings = coded(project)
    assert len(codings) == 15 and sum(1 for c in codings if c[0] == "Jonas") == 2
    # NVivo: the selection's user is the coder; every Coding carries its code's stamp (Mette, 1 March, before
    # any selection was made), which says who made the code, not who coded the text
    assert ("Jonas", "tillid", "Vores direktør går forrest.") in codings
    assert ("Mette", "uklart_ansvar", "Ingen ved, hvem der har ansvaret for borgeren.") in codings
    assert ("Mette", "tillid", "Det giver et fælles billede af borgeren.") in codings  # from the .docx
    store = RefiStore(project.db)
    assert store.uncodable() == {"barrierer"}  # isCodable="false" is kept for the way back
    memos = [(m.title, m.text, m.code_id, m.document_id, m.description, m.author) for m in store.memos()]
    assert memos == [("Ansvar", "Skal deles op i myndighed og udfører.", "uklart_ansvar", None, None, "Mette"),
                     ("Projektlog", "Anden koder har kun kodet to udsagn.", None, None, "Log", "Jonas")]
    assert [(v.name, v.type, v.description) for v in store.variables()] == [
        ("role", "Text", ""), ("municipality", "Text", "Kommunen")]
    assert [(c.name, c.values, c.document_ids) for c in store.cases()] == [
        ("Birgitte", {"role": "leder", "municipality": "Fjordby Kommune"}, (birgitte.id,)),
        ("Søren", {"role": "medarbejder", "municipality": "Hedelund Kommune"}, (soeren.id,)),
    ]
    assert store.code_guids()["tillid"] == "c0010000-1700-4000-8000-000000000008"
    assert store.coder_guids() == {"Mette": ("a0010000-1700-4000-8000-000000000001", None),
                                   "Jonas": ("a0010000-1700-4000-8000-000000000002", None)}


# -- ATLAS.ti 8 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("imported", ["atlas_shape.qdpx"], indirect=True)
def test_atlas_shape_every_kind_is_imported_or_has_a_reason(imported):
    project, report = imported
    assert rows(report) == [
        ("users", 3, 3, 0, 0, ()), ("codes", 4, 4, 0, 0, ()), ("text", 1, 1, 0, 0, ()), ("pdf", 1, 1, 0, 0, ()),
        ("transcript", 1, 1, 0, 0, ()),
        ("picture", 1, 0, 0, 1, ((1, "et billede: qualcode rummer tekst"),)),
        ("video", 1, 0, 0, 1, ((1, "en optagelse: qualcode rummer tekst (dens transskriptioner læses som kilder)"),)),
        ("codings", 6, 4, 0, 2, ((1, "på et område af et billede"), (1, "på et tidsudsnit af en optagelse"))),
        ("notes", 2, 2, 0, 0, ()), ("comments", 2, 2, 0, 0, ()), ("sets", 4, 4, 0, 0, ()),
        ("links", 1, 1, 0, 0, ()),  # the memo-quotation link: the memo is about that quotation
        ("graphs", 1, 0, 0, 1, ((1, "netværk (grafer) kan ikke gemmes"),)),
    ]
    assert report.warnings == ("atlas_shape.qdpx: sæt 'Fjordby': 1 af dets medlemmer blev ikke importeret",)
    assert coded(project) == [
        ("Anna", "faelles_maal", "færre overdragelser"),  # PDF: by the representation's positions, counted once
        ("Anna", "fordeling_af_opgaver", "Morgenmødet er stedet, hvor vi fordeler borgerne."),
        ("Bo", "ledelse_fravaer", "Når lederen ikke er der, bliver det en snakkeklub."),
        ("Bo", "morgenmoede", "Morgenmødet er stedet, hvor vi fordeler borgerne."),
    ]
    text, pdf, video = project.documents.all()
    assert pdf.text == "Strategi for samarbejde\nFælles mål for 2025: færre overdragelser og hurtigere hjælp.\n"
    assert [(t.speaker, t.start_time) for t in project.documents.turns(video.id)] == [
        ("Anne", 0.0), ("Karl", 4.2), ("Anne", 9.8), ("Karl", 12.1)]  # turn times from the sync points
    store = RefiStore(project.db)
    comments = [(m.kind, text.text[m.start:m.end], m.text, m.author) for m in store.memos() if m.kind == "description"]
    assert comments == [
        ("description", "Uden det ville vi træde hinanden over tæerne.", "Billedsprog.", "Anna"),
        ("description", "Morgenmødet er stedet, hvor vi fordeler borgerne.", "Kerneudsagn om koordinering.", "Anna"),
    ]
    linked = [(text.text[m.start:m.end], m.text) for m in store.memos() if m.title == "Om snakkeklubben"]
    assert linked == [("Når lederen ikke er der, bliver det en snakkeklub.", "Sammenlign med Hedelund.")]
    sets = {s.name: s for s in store.sets()}
    assert sets["Fjordby"].document_ids == (text.id,)  # the picture is not there to be a member
    assert sets["Koordinering"].code_ids == ("morgenmoede", "fordeling_af_opgaver")
    assert sets["Koordinering"].description == "Koder om koordinering"
    assert (sets["<3"].code_ids, sets["<3"].document_ids) == ((), ())  # an empty set stays
    assert sets["Notater"].memo_guids == ("D0020000-1700-4000-8000-000000000001",)
    assert store.code_guids()["morgenmoede"] == "C0020000-1700-4000-8000-000000000001"  # spelt as ATLAS.ti wrote it


# -- MAXQDA 24 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("imported", ["maxqda_shape.qdpx"], indirect=True)
def test_maxqda_shape_document_sets_and_segment_comments(imported):
    project, report = imported
    assert rows(report) == [("users", 1, 1, 0, 0, ()), ("codes", 5, 5, 0, 0, ()), ("text", 3, 3, 0, 0, ()),
                            ("codings", 3, 3, 0, 0, ()), ("comments", 1, 1, 0, 0, ()), ("sets", 2, 2, 0, 0, ())]
    store = RefiStore(project.db)
    ids = {d.name: d.id for d in project.documents.all()}
    assert [(s.name, s.document_ids) for s in store.sets()] == [
        ("Fjordby", (ids["Interview 01 Fjordby"], ids["Interview 02 Fjordby"])), ("Hedelund", (ids["Interview 03 Hedelund"],))]
    [comment] = store.memos()
    doc = project.documents.get(comment.document_id)
    assert (doc.text[comment.start:comment.end], comment.text, comment.kind) == (
        "Vi har for mange systemer.", "Nævnt to gange.", "description")
    book = project.codebook.current()
    assert [(c.id, c.parent_id, c.definition) for c in book.codes][:3] == [
        ("barrierer", None, "Overkategori"), ("systemer", "barrierer", "Apply when IT systems block the work."),
        ("afstand", "barrierer", "")]
    assert book.language == ""  # the file does not say; nothing is made up


# -- QualCoder 3 --------------------------------------------------------------------------------
@pytest.mark.parametrize("imported", ["qualcoder_shape.qdpx"], indirect=True)
def test_qualcoder_shape_journal_annotation_transcript_selection_and_typed_variables(imported):
    project, report = imported
    assert rows(report) == [
        ("users", 1, 1, 0, 0, ()), ("codes", 2, 2, 0, 0, ()), ("text", 1, 1, 0, 0, ()), ("pdf", 1, 1, 0, 0, ()),
        ("transcript", 1, 1, 0, 0, ()),
        ("audio", 1, 0, 0, 1, ((1, "en optagelse: qualcode rummer tekst (dens transskriptioner læses som kilder)"),)),
        ("codings", 3, 3, 0, 0, ()), ("notes", 2, 2, 0, 0, ()), ("comments", 3, 3, 0, 0, ()),
        ("variables", 2, 2, 0, 0, ()), ("cases", 1, 1, 0, 0, ()),
    ]
    text, pdf, audio = project.documents.all()
    assert coded(project) == [
        ("default", "mentor", "Din mentor er din første kontakt."),
        ("default", "opstart", "De første uger var hårde."),
        ("default", "opstart", "[00:00:05] IP: Tak, jeg glæder mig.\n"),  # between the selection's two sync points
    ]
    # the case's source is the audio source, whose transcript is the document
    assert audio.metadata == text.metadata == {"alder": "27.5", "participant_id": "Lærke", "role": "medarbejder"}
    assert [(t.speaker, t.start_time) for t in project.documents.turns(audio.id)] == [("I", 0.0), ("IP", 5.0), ("I", 9.0)]
    store = RefiStore(project.db)
    notes = [(m.title, m.text, m.document_id, m.start, m.end) for m in store.memos() if m.kind == "note"]
    assert notes == [("Dagbog 6. januar", "I dag interviewede jeg Lærke.", None, None, None),  # a journal in a file
                     (None, "Mentorordningen nævnes uopfordret.", text.id, 60, 87)]  # a note on a span
    assert text.text[60:87] == "Min mentor hjalp mig meget."
    assert [m.text for m in store.memos() if m.kind == "description"] == ["Vigtigt citat", "Første interview"]
    assert store.project_description() == "Projekt om opstart i jobcentret"
    assert [(v.name, v.type, v.description) for v in store.variables()] == [
        ("alder", "Float", "Alder ved interview"), ("role", "Text", "")]
    assert [(c.name, c.description) for c in store.cases()] == [("Lærke", "Nyansat sagsbehandler")]


# -- odd paths, duplicates, unzipped ----------------------------------------------------------------
@pytest.mark.parametrize("imported", ["odd_paths.qdpx"], indirect=True)
def test_bare_relative_and_absolute_paths_resolve_inside_the_archive_only(imported):
    project, report = imported
    assert rows(report) == [("users", 3, 3, 0, 0, ()), ("codes", 3, 3, 0, 0, ()),
                            ("text", 4, 3, 0, 1, ((1, "tekstfilen er ikke i arkivet"),)),
                            ("pdf", 1, 1, 0, 0, ()), ("codings", 3, 3, 0, 0, ())]
    assert [d.name for d in project.documents.all()] == ["bestyrelse_2017.txt", "rel.txt", "abs.txt", "referat.pdf"]
    path = DATA / "odd_paths.qdpx"
    assert report.warnings == (
        f"{path}: koderne 'Beslutning' og 'Beslutning (kopi)' har samme GUID c0050000-1700-4000-8000-000000000001;"
        " dens kodninger går til 'Beslutning', og 'Beslutning (kopi)' får et nyt GUID",
        # ../../etc/passwd is looked for inside the archive only: the line and the path say which source
        f"{path}: project.qde linje 9: kilden 'udenfor': internal://../../etc/passwd er ikke i arkivet; sprunget over",
    )
    assert coded(project) == [
        ("Ida", "beslutning", "Det tog et år, før vi fandt vores ben igen."),
        ("Ole", "flytning", "Medarbejderne blev flyttet til Hedelund."),
        ("Pia", "beslutning", "Bestyrelsen besluttede at lukke afdelingen."),
    ]
    # the PDF had no representation: its text layer, read by pypdf, æøå intact
    assert project.documents.by_name("referat.pdf").text == (
        "Referat af bestyrelsesmøde\nBeslutning: afdelingen lukkes.\nAnsvarlig: Søren Ø.")
    guids = RefiStore(project.db).code_guids()
    assert guids["beslutning"] == "c0050000-1700-4000-8000-000000000001"
    assert guids["beslutning_kopi"] != guids["beslutning"]


@pytest.mark.parametrize("source", ["unzipped", "unzipped/project.qde"])
def test_an_unzipped_project_is_read_from_its_folder_or_its_qde(source):
    refi = read_qdpx(DATA / source)
    [doc] = refi.sources
    assert doc.text[doc.selections[0].start:doc.selections[0].end] == "At borgeren kun skal fortælle sin historie én gang."


def test_a_missing_source_file_of_an_unzipped_project_says_folder_not_archive(tmp_path):
    (tmp_path / "project.qde").write_text(
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
        '<TextSource guid="50060000-1700-4000-8000-000000000009" name="væk" plainTextPath="internal://væk.txt"/>'
        "</Sources></Project>", encoding="utf-8")
    refi = read_qdpx(tmp_path)
    assert refi.warnings == (f"{tmp_path}: project.qde linje 1: kilden 'væk': internal://væk.txt er ikke i"
                             " projektmappen; sprunget over",)
    assert [(d.kind, d.reason) for d in refi.dropped] == [("text", "tekstfilen er ikke i projektmappen")]


def test_importing_twice_adds_nothing_and_says_so(tmp_path):
    with Project.in_memory() as project:
        import_qdpx(project, DATA / "atlas_shape.qdpx", "tester")
        again = import_qdpx(project, DATA / "atlas_shape.qdpx", "tester")
    assert [(r.kind, r.imported, r.matched) for r in again.summary if r.kind in (
        "users", "codes", "text", "pdf", "transcript", "codings", "notes", "comments", "sets")] == [
        ("users", 0, 3), ("codes", 0, 4), ("text", 0, 1), ("pdf", 0, 1), ("transcript", 0, 1), ("codings", 0, 4),
        ("notes", 0, 2), ("comments", 0, 2), ("sets", 0, 4)]


def test_cli_prints_the_summary_table_in_danish_and_english(tmp_path):
    result = CliRunner().invoke(cli, ["import-qdpx", str(DATA / "maxqda_shape.qdpx"), "--project", str(tmp_path / "p.qcp")])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "maxqda_shape.qdpx: 5 koder (5 nye), 3 kilder (3 nye dokumenter, 0 genkendte), 3 kodninger, brugere: lise\n"
        "\n"
        "Art          I filen  Importeret  Fandtes  Ikke importeret  Årsag\n"
        "-----------  -------  ----------  -------  ---------------  -----\n"
        "brugere            1           1        0                0\n"
        "koder              5           5        0                0\n"
        "tekstkilder        3           3        0                0\n"
        "kodninger          3           3        0                0\n"
        "kommentarer        1           1        0                0\n"
        "sæt                2           2        0                0\n"
    )
    english = CliRunner().invoke(cli, ["import-qdpx", str(DATA / "atlas_shape.qdpx"), "--project", str(tmp_path / "q.qcp"),
                                       "--lang", "en"])
    assert english.exit_code == 0
    lines = english.output.splitlines()
    assert lines[2].split() == ["Kind", "In", "file", "Imported", "Already", "there", "Not", "imported", "Reason"]
    assert "codings              6         4              0             2  1: on a time span of a recording" in lines
    assert " " * 63 + "1: on an area of a picture" in lines


def test_cli_bad_file_is_one_line_and_creates_no_project(tmp_path):
    bad = tmp_path / "ødelagt.qdpx"
    bad.write_bytes(b"ikke en zip")
    result = CliRunner().invoke(cli, ["import-qdpx", str(bad), "--project", str(tmp_path / "ny.qcp")])
    assert (result.exit_code, result.output) == (
        2, f"Fejl: {bad}: ikke et REFI-QDA-projekt: en .qdpx-fil skal være et zip-arkiv\n")
    assert not (tmp_path / "ny.qcp").exists()


def test_the_first_line_counts_every_source_the_file_holds(tmp_path):
    result = CliRunner().invoke(cli, ["import-qdpx", str(DATA / "atlas_shape.qdpx"), "--project", str(tmp_path / "p.qcp")])
    # 1 text, 1 picture, 1 PDF and 1 video source; the video's transcript is one of the 3 new documents
    assert result.output.splitlines()[0] == (
        "atlas_shape.qdpx: 4 koder (4 nye), 4 kilder (3 nye dokumenter, 0 genkendte), 4 kodninger,"
        " brugere: ATLAS.ti, Anna og Bo")


# -- codebooks: Taguette's .qdc, and the language ---------------------------------------------------
def test_taguette_codebook_flat_codes_and_an_empty_sets_element(tmp_path):
    from qualcode.codebook.loader import load_codebook
    from qualcode.codebook.refi import import_refi_codebook

    book = import_refi_codebook(DATA / "taguette_shape.qdc")
    assert [(c.id, c.name, c.parent_id) for c in book.codes] == [
        ("barrierer", "barrierer", None), ("barrierer_tidspres", "barrierer.tidspres", None),
        ("drivkraefter", "drivkræfter", None)]
    assert book.language == ""  # Taguette does not say which language its codebook is in
    out = tmp_path / "taguette.yaml"
    result = CliRunner().invoke(cli, ["codebook", "import", str(DATA / "taguette_shape.qdc"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "language" not in out.read_text(encoding="utf-8")  # left unset, not made Danish
    assert len(load_codebook(out)) == 3


def test_codebook_language_comes_from_the_file(tmp_path):
    from qualcode.codebook.model import Code, Codebook
    from qualcode.codebook.refi import export_qdc, import_refi_codebook

    english = Codebook("Barriers", "1", "en", "", (Code("time", "Time pressure", None, include="Deadlines"),))
    back = import_refi_codebook(export_qdc(english, tmp_path / "en.qdc"))
    assert (back.language, back.codes) == ("en", english.codes)
    with Project.in_memory() as project:  # and into a project that had no codebook
        import_qdpx(project, DATA / "maxqda_shape.qdpx", "tester")
        assert project.codebook.current().language == ""


def test_codes_are_matched_by_guid_first_then_by_id(tmp_path):
    """Same GUID: the same code, even renamed in the other tool. Same id, other GUID from a tool: another code."""
    from qualcode.codebook.model import Code, Codebook

    with Project.in_memory() as project:
        project.codebook.apply(Codebook("egen", "1", "da", "", (Code("afstand", "Afstand", None),)), "tester")
        import_qdpx(project, DATA / "maxqda_shape.qdpx", "tester")  # MAXQDA's "Afstand" is our code of that id
        assert sum(1 for c in project.codebook.current().codes if c.name == "Afstand") == 1
        qde = zipfile.ZipFile(DATA / "maxqda_shape.qdpx").read("project.qde").decode("utf-8")
        renamed = qde.replace('name="Systemer"', 'name="IT-systemer"')  # renamed in MAXQDA, same GUID
        other = qde.replace("C0030000-1700-4000-8000-000000000013", "C0030000-1700-4000-8000-000000000099")
        for name, text in (("omdøbt.qdpx", renamed), ("anden.qdpx", other)):
            with zipfile.ZipFile(DATA / "maxqda_shape.qdpx") as src, zipfile.ZipFile(tmp_path / name, "w") as dst:
                for item in src.infolist():
                    dst.writestr(item, text.encode("utf-8") if item.filename == "project.qde" else src.read(item))
        again = import_qdpx(project, tmp_path / "omdøbt.qdpx", "tester")
        assert again.codes_added == ()  # renamed in MAXQDA: still the same code, its name difference reported
        assert ("systemer", "name", "Systemer", "IT-systemer") in [(c.code_id, c.field, c.kept, c.other) for c in again.conflicts]
        third = import_qdpx(project, tmp_path / "anden.qdpx", "tester")
        # "korte_veje" came from MAXQDA with a GUID; a code of that id with another GUID is another code
        assert third.codes_added == ("korte_veje_2",)
