"""REFI-QDA project import: NVivo's real export, small files in the shapes of ATLAS.ti, MAXQDA and
QualCoder, CRLF and docx sources, and the export -> import round trip."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli.main import cli
from qualcode.codebook.refi import PROJECT_XSD
from qualcode.errors import InputError
from qualcode.i18n import use_language
from qualcode.refi import export_qdpx, import_qdpx, normalise_with_map, qde_problems, read_qdpx
from team_helpers import build_two_coder_project

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "refi-qda"
NVIVO = SHARED / "nvivo_project.qdpx"
XSD = SHARED / "Project.xsd" if (SHARED / "Project.xsd").exists() else PROJECT_XSD  # the packaged copy
HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'

# GUIDs of the hand-built files
U1, U2 = "8a3c6e1e-1111-4c1b-9a55-000000000001", "8a3c6e1e-1111-4c1b-9a55-000000000002"
C_BAR, C_TID, C_LED = ("5b0e0c9e-2222-4d2a-8f00-00000000000" + str(i) for i in (1, 2, 3))
S1, S2 = "0d4e7a31-3333-4e5f-a1b2-000000000001", "0d4e7a31-3333-4e5f-a1b2-000000000002"
V_ROLE = "7c1f0b2a-4444-4a1b-b3c4-000000000001"
TEXT = "I: Hvad hæmmer samarbejdet?\nIP: Vi måles kun på egne mål. Der er ingen tid.\nI: Hvad hjælper?\nIP: Ledelsen bakker op.\n"


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def write_qdpx(path: Path, qde: str, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", (HEAD + qde).encode("utf-8"))
        for name, data in files.items():
            archive.writestr(name, data)
    return path


CODEBOOK_XML = f"""
<CodeBook><Codes>
  <Code guid="{C_BAR}" name="Barrierer" isCodable="true" color="#FF0000"><Description>Det der hæmmer.</Description>
    <Code guid="{C_TID}" name="Tidspres" isCodable="true"/>
  </Code>
  <Code guid="{C_LED}" name="Ledelsesopbakning" isCodable="true"/>
</Codes></CodeBook>"""


def qualcoder_file(tmp_path: Path) -> Path:
    """QualCoder: internal .txt, one selection per coding, Cases carrying the variables."""
    s1, s2 = span(TEXT, "Vi måles kun på egne mål."), span(TEXT, "Ledelsen bakker op.")
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="qc" origin="QualCoder 3.5" creatingUserGUID="{U1}">
<Users><User guid="{U1}" name="default"/></Users>{CODEBOOK_XML}
<Variables><Variable guid="{V_ROLE}" name="role" typeOfVariable="Text"/></Variables>
<Cases><Case guid="1e2d3c4b-5555-4a6b-8c9d-000000000001" name="P01">
  <VariableValue><VariableRef targetGUID="{V_ROLE}"/><TextValue>leder</TextValue></VariableValue>
  <SourceRef targetGUID="{S1}"/></Case></Cases>
<Sources><TextSource guid="{S1}" name="interview1" plainTextPath="internal://{S1}.txt" creatingUser="{U1}">
  <PlainTextSelection guid="9f8e7d6c-6666-4b5a-9c8d-000000000001" startPosition="{s1[0]}" endPosition="{s1[1]}" creatingUser="{U1}" creationDateTime="2025-01-05T10:00:00Z">
    <Coding guid="9f8e7d6c-6666-4b5a-9c8d-000000000002" creatingUser="{U1}"><CodeRef targetGUID="{C_BAR}"/></Coding></PlainTextSelection>
  <PlainTextSelection guid="9f8e7d6c-6666-4b5a-9c8d-000000000003" startPosition="{s2[0]}" endPosition="{s2[1]}" creatingUser="{U1}">
    <Coding guid="9f8e7d6c-6666-4b5a-9c8d-000000000004" creatingUser="{U1}"><CodeRef targetGUID="{C_LED}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    return write_qdpx(tmp_path / "qualcoder.qdpx", qde, {f"sources/{S1}.txt": TEXT.encode("utf-8")})


def atlas_file(tmp_path: Path) -> Path:
    """ATLAS.ti: upper-case GUIDs in braces, two coders on one selection, code groups as Sets."""
    s1 = span(TEXT, "Der er ingen tid.")
    up = lambda g: "{" + g.upper() + "}"  # noqa: E731
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="atlas" origin="ATLAS.ti 23">
<Users><User guid="{up(U1)}" name="Anna"/><User guid="{up(U2)}" name="Bo"/></Users>
<CodeBook><Codes><Code guid="{up(C_TID)}" name="Tidspres" isCodable="true" color="#00FF00"/></Codes></CodeBook>
<Sources><TextSource guid="{up(S1)}" name="Interview 1.docx" plainTextPath="internal://{up(S1)}.txt" richTextPath="internal://{up(S1)}.docx">
  <PlainTextSelection guid="{up('9f8e7d6c-6666-4b5a-9c8d-000000000005')}" startPosition="{s1[0]}" endPosition="{s1[1]}" creatingUser="{up(U1)}">
    <Coding guid="{up('9f8e7d6c-6666-4b5a-9c8d-000000000006')}" creatingUser="{up(U1)}"><CodeRef targetGUID="{up(C_TID)}"/></Coding>
    <Coding guid="{up('9f8e7d6c-6666-4b5a-9c8d-000000000007')}" creatingUser="{up(U2)}"><CodeRef targetGUID="{up(C_TID)}"/></Coding>
  </PlainTextSelection></TextSource></Sources>
<Sets><Set guid="{up('2a3b4c5d-7777-4e8f-9a0b-000000000001')}" name="Barrierer"><MemberCode targetGUID="{up(C_TID)}"/></Set></Sets>
</Project>"""
    return write_qdpx(tmp_path / "atlas.qdpx", qde, {f"sources/{up(S1)}.txt": TEXT.encode("utf-8")})


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def maxqda_file(tmp_path: Path) -> tuple[Path, str]:
    """MAXQDA: a Windows .txt with CRLF line endings (positions count the CR), and a .docx-only source."""
    crlf = TEXT.replace("\n", "\r\n")
    s1, s2 = span(crlf, "Der er ingen tid."), span(crlf, "Ledelsen bakker op.")
    paragraphs = ["I: Hvad fremmer samarbejdet?", "IP: Vi kender hinanden godt."]
    d1 = span("\n".join(paragraphs), "Vi kender hinanden godt.")
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="maxqda" origin="MAXQDA 2022">
<Users><User guid="{U2}" name="bo" id="BO"/></Users>{CODEBOOK_XML}
<Sources>
<TextSource guid="{S1}" name="Interview 1" plainTextPath="internal://{S1}.txt" richTextPath="internal://{S1}.rtf">
  <PlainTextSelection guid="9f8e7d6c-6666-4b5a-9c8d-000000000011" startPosition="{s1[0]}" endPosition="{s1[1]}" creatingUser="{U2}">
    <Description>MAXQDA segment</Description>
    <Coding guid="9f8e7d6c-6666-4b5a-9c8d-000000000012"><CodeRef targetGUID="{C_TID}"/></Coding></PlainTextSelection>
  <PlainTextSelection guid="9f8e7d6c-6666-4b5a-9c8d-000000000013" startPosition="{s2[0]}" endPosition="{s2[1]}" creatingUser="{U2}">
    <Coding guid="9f8e7d6c-6666-4b5a-9c8d-000000000014"><CodeRef targetGUID="{C_LED}"/></Coding></PlainTextSelection>
</TextSource>
<TextSource guid="{S2}" name="Interview 2" richTextPath="internal://{S2}.docx">
  <PlainTextSelection guid="9f8e7d6c-6666-4b5a-9c8d-000000000015" startPosition="{d1[0]}" endPosition="{d1[1]}" creatingUser="{U2}">
    <Coding guid="9f8e7d6c-6666-4b5a-9c8d-000000000016"><CodeRef targetGUID="{C_LED}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    files = {f"sources/{S1}.txt": b"\xef\xbb\xbf" + crlf.encode("utf-8"), f"sources/{S2}.docx": docx_bytes(paragraphs)}
    return write_qdpx(tmp_path / "maxqda.qdpx", qde, files), crlf


def coded_texts(project) -> list[tuple[str, str, str]]:
    df = project.codings_df()
    return sorted(zip(df.coder, df.code_id, df.text))


# -- NVivo ------------------------------------------------------------------------------
needs_nvivo = pytest.mark.skipif(not NVIVO.exists(), reason=f"{NVIVO} is not here (../shared is not beside this clone)")


@needs_nvivo
def test_nvivo_export_is_read_with_exact_counts():
    refi = read_qdpx(NVIVO)
    assert refi.origin == "NVivo for Mac 15.0.0"
    assert len(refi.codebook.codes) == 262
    assert len(refi.sources) == 2
    assert sorted(refi.users.values()) == ["chrisp", "cp"]
    assert [c.name for c in refi.codebook.roots()] == ["rq1_definition", "rq2_curriculum_and_instruction", "rq3_process"]


@needs_nvivo
def test_nvivo_import_keeps_the_whole_code_tree_and_skips_its_empty_sources():
    with Project.in_memory() as project:
        with use_language("en"):
            report = import_qdpx(project, NVIVO, "tester")
        assert (report.codes_read, len(report.codes_added), report.sources_read) == (262, 262, 2)
        assert report.users == ("chrisp", "cp")
        assert report.documents_added == () and report.codings_added == 0
        assert len(report.warnings) == 2
        assert report.warnings[0] == "nvivo_project.qdpx: source '66653866-6334-3535-3435-366637306566' has no text; not imported"
        book = project.codebook.current()
        assert len(book) == 262
        # the same name under two parents stays two codes
        assert [book.path(c.id) for c in book if c.name == "programming"] == [
            ("rq1_definition", "competencies", "programming"),
            ("rq1_definition", "framings", "cs_as_programming", "cs_as_programming.programming"),
        ]


# -- other tools' shapes ----------------------------------------------------------------
def test_qualcoder_shape_codebook_sources_selections_coders_and_case_variables(tmp_path):
    with Project.in_memory() as project:
        report = import_qdpx(project, qualcoder_file(tmp_path), "tester")
        assert (report.codes_read, report.documents_added, report.codings_added) == (3, ("interview1",), 2)
        assert coded_texts(project) == [
            ("default", "barrierer", "Vi måles kun på egne mål."),
            ("default", "ledelsesopbakning", "Ledelsen bakker op."),
        ]
        doc = project.documents.all()[0]
        # the case is the participant: its name is the participant id, its variables the metadata
        assert doc.text == TEXT and doc.metadata == {"participant_id": "P01", "role": "leder"}
        book = project.codebook.current()
        assert (book.get("tidspres").parent_id, book.get("barrierer").color, book.get("barrierer").definition) == (
            "barrierer", "#FF0000", "Det der hæmmer.")
        assert [t.speaker for t in project.documents.turns(doc.id)] == ["I", "IP", "I", "IP"]
        assert [t.role for t in project.documents.turns(doc.id)][1] == "leder"
        assert project.documents.count_segments("sentence") == 5
        coding = project.codings.query(code_id="barrierer")[0]
        assert coding.created_at == "2025-01-05T10:00:00Z"


def test_atlas_shape_braced_upper_case_guids_and_two_coders_on_one_selection(tmp_path):
    with Project.in_memory() as project:
        report = import_qdpx(project, atlas_file(tmp_path), "tester")
        assert report.users == ("Anna", "Bo")
        assert coded_texts(project) == [("Anna", "tidspres", "Der er ingen tid."), ("Bo", "tidspres", "Der er ingen tid.")]
        assert report.warnings == ()


def test_maxqda_shape_crlf_positions_are_shifted_onto_the_normalised_text(tmp_path):
    path, crlf = maxqda_file(tmp_path)
    with Project.in_memory() as project:
        report = import_qdpx(project, path, "tester")
        assert report.documents_added == ("Interview 1", "Interview 2")
        docs = project.documents.all()
        assert "\r" not in docs[0].text and docs[0].text == TEXT  # CRLF -> LF, BOM dropped
        assert coded_texts(project) == [
            ("bo", "ledelsesopbakning", "Ledelsen bakker op."),
            ("bo", "ledelsesopbakning", "Vi kender hinanden godt."),
            ("bo", "tidspres", "Der er ingen tid."),
        ]
        tid = project.codings.query(code_id="tidspres")[0]
        raw_start = crlf.index("Der er ingen tid.")
        assert tid.start == raw_start - crlf[:raw_start].count("\r")  # one position less per CR before it
        assert docs[1].text == "I: Hvad fremmer samarbejdet?\nIP: Vi kender hinanden godt."  # from the .docx


def test_positions_map_over_crlf_bom_and_decomposed_letters():
    raw = "\ufeffSøren:\r\nDet var sva\u030art.\r\nSlut"
    text, positions = normalise_with_map(raw)
    assert text == "Søren:\nDet var svårt.\nSlut"
    assert unicodedata.is_normalized("NFC", text)
    for words in ("Søren:", "Det var sva\u030art.", "Slut"):
        s, e = span(raw, words)
        assert text[positions[s]:positions[e]] == unicodedata.normalize("NFC", words)


SELECTION_GUID = "9f8e7d6c-6666-4b5a-9c8d-000000000021"


@pytest.mark.parametrize("positions, problem", [
    # past the end of "Kort tekst." (11 characters)
    ('startPosition="5" endPosition="99"', "ends at 99, past the end of the source's text (11 characters)"),
    ('startPosition="-3" endPosition="4"', "starts at -3; a position cannot be negative"),
    ('startPosition="9" endPosition="4"', "ends at 4, before its start at 9"),
    ('startPosition="fem" endPosition="9"', "has no whole-number startPosition and endPosition"),
    ('endPosition="9"', "has no whole-number startPosition and endPosition"),  # startPosition missing
])
def test_impossible_positions_stop_the_import_naming_the_selection_and_its_line(tmp_path, positions, problem):
    # Positions that cannot fit the text mean the file's positions and its text disagree: every other
    # selection of the source is suspect too, so nothing is imported and the line in project.qde is named.
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="x">{CODEBOOK_XML}
<Sources><TextSource guid="{S1}" name="kort"><PlainTextContent>Kort tekst.</PlainTextContent>
<PlainTextSelection guid="{SELECTION_GUID}" {positions}>
<Coding guid="9f8e7d6c-6666-4b5a-9c8d-000000000022"><CodeRef targetGUID="{C_TID}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    path = write_qdpx(tmp_path / "x.qdpx", qde, {})
    message = f"{path}: project.qde line 10: selection {SELECTION_GUID} in source 'kort' {problem}"
    with pytest.raises(InputError) as exc, use_language("en"):
        read_qdpx(path)
    assert str(exc.value) == message
    with pytest.raises(InputError) as danish, use_language("da"):
        read_qdpx(path)
    assert str(danish.value).startswith(f"{path}: project.qde linje 10: markeringen {SELECTION_GUID} i kilden 'kort' ")
    result = CliRunner().invoke(cli, ["import-qdpx", str(path), "--project", str(tmp_path / "p.qcp")])
    assert (result.exit_code, result.output) == (2, f"Fejl: {danish.value}\n")  # one line, no traceback
    assert not (tmp_path / "p.qcp").exists()  # nothing half-written


def test_an_empty_selection_is_counted_not_an_error(tmp_path):
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="x">{CODEBOOK_XML}
<Sources><TextSource guid="{S1}" name="kort"><PlainTextContent>Kort tekst.</PlainTextContent>
<PlainTextSelection guid="{SELECTION_GUID}" startPosition="5" endPosition="5">
<Coding guid="9f8e7d6c-6666-4b5a-9c8d-000000000022"><CodeRef targetGUID="{C_TID}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    with Project.in_memory() as project, use_language("en"):
        report = import_qdpx(project, write_qdpx(tmp_path / "x.qdpx", qde, {}), "tester")
        codings = [r for r in report.summary if r.kind == "codings"]
    assert [(r.in_file, r.imported, r.not_imported, r.reasons) for r in codings] == [
        (1, 0, 1, ((1, "the selection is empty"),))]


@pytest.mark.parametrize("root, problem", [
    ('<Project xmlns="urn:example:other" name="x"/>',
     "not a REFI-QDA project: its Project element is in the namespace urn:example:other, not urn:QDA-XML:project:1.0"),
    ('<Project name="x"/>',
     "not a REFI-QDA project: its Project element is in the namespace (none), not urn:QDA-XML:project:1.0"),
])
def test_a_project_element_outside_the_refi_namespace_is_refused(tmp_path, root, problem):
    path = write_qdpx(tmp_path / "x.qdpx", root, {})
    with pytest.raises(InputError) as exc, use_language("en"):
        read_qdpx(path)
    assert str(exc.value) == f"{path}:2: {problem}"


@pytest.mark.parametrize("content, problem", [
    (b"not a zip", "not a REFI-QDA project: a .qdpx file must be a zip archive"),
    (None, "no project.qde inside the .qdpx archive"),
])
def test_broken_archives_are_reported_with_the_file_name(tmp_path, content, problem):
    path = tmp_path / "broken.qdpx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("sources/a.txt", "x")
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as exc, use_language("en"):
        read_qdpx(path)
    assert str(exc.value) == f"{path}: {problem}"


# -- round trip ---------------------------------------------------------------------------
def test_round_trip_keeps_every_coding_on_exactly_the_same_text(tmp_path):
    path = tmp_path / "team.qdpx"
    with Project.in_memory() as original:
        build_two_coder_project(original)
        export_qdpx(original, path)
        assert qde_problems(zipfile.ZipFile(path).read("project.qde"), XSD) == []
        docs = {d.content_hash: d for d in original.documents.all()}
        before = sorted(
            (docs_hash, c.start, c.end, c.code_id, c.coder, original.documents.get(c.document_id).text[c.start:c.end])
            for c in original.codings.query(status=["accepted", "needs_review"])
            for docs_hash in [original.documents.get(c.document_id).content_hash]
        )
        again = import_qdpx(original, path, "tester")  # into the same project: all matched, nothing new
        assert (again.documents_added, again.codings_added, again.codings_already_present) == ((), 0, 14)
        codebook = original.codebook.current()
    with Project.in_memory() as copy:
        report = import_qdpx(copy, path, "tester")
        assert report.codings_added == 14 and report.conflicts == ()
        after = sorted(
            (copy.documents.get(c.document_id).content_hash, c.start, c.end, c.code_id, c.coder,
             copy.documents.get(c.document_id).text[c.start:c.end])
            for c in copy.codings.query()
        )
        assert after == before
        assert set(docs) == {d.content_hash for d in copy.documents.all()}
        assert copy.codebook.current().codes == codebook.codes  # ids, hierarchy, colours, definitions
        a = copy.documents.by_name("a.txt")
        assert (a.metadata["role"], a.metadata["municipality"]) == ("leder", "Fjordby Kommune")


def test_cli_import_qdpx(tmp_path):
    project = tmp_path / "ny.qcp"
    result = CliRunner().invoke(cli, ["import-qdpx", str(atlas_file(tmp_path)), "--project", str(project), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "atlas.qdpx: 1 code (1 new), 1 source (1 new document, 0 matched), 2 codings, users: Anna and Bo")
    missing = CliRunner().invoke(cli, ["import-qdpx", str(tmp_path / "nope.qdpx"), "--project", str(project)])
    assert missing.exit_code == 2
    assert missing.output.strip() == f"Fejl: {tmp_path / 'nope.qdpx'}: filen findes ikke"


def test_round_trip_of_the_sample_interviews_keeps_text_turns_and_codings(sample_project, tmp_path):
    from qualcode.store.codings import NewCoding

    sample_project.codebook.ensure_code("tema", "Tema")
    segments = list(sample_project.documents.segments(include_interviewer=False))
    sample_project.codings.add_many(
        NewCoding(s.document_id, s.start, s.end, "tema", coder) for k, s in enumerate(segments)
        for coder in ("anna", "bo")[: 1 + k % 2]
    )
    path = tmp_path / "samples.qdpx"
    export_qdpx(sample_project, path)
    assert qde_problems(zipfile.ZipFile(path).read("project.qde"), XSD) == []
    with Project.in_memory() as copy:
        report = import_qdpx(copy, path, "tester")
        assert len(report.documents_added) == len(sample_project.documents.all())
        assert report.codings_added == len(sample_project.codings.query())
        for doc in sample_project.documents.all():
            other = copy.documents.by_hash(doc.content_hash)
            assert other.name == doc.name
            assert [(t.speaker, t.start, t.end, t.role) for t in copy.documents.turns(other.id)] == [
                (t.speaker, t.start, t.end, t.role) for t in sample_project.documents.turns(doc.id)]
            mine = sorted((c.coder, doc.text[c.start:c.end]) for c in sample_project.codings.query(document_id=doc.id))
            theirs = sorted((c.coder, other.text[c.start:c.end]) for c in copy.codings.query(document_id=other.id))
            assert theirs == mine


def test_several_cases_on_one_source_give_each_speaker_their_role(tmp_path):
    group = "I: Hvad tænker I?\nAnne: Vi mangler tid.\nBo: Vi mangler folk.\nAnne: Og penge.\nBo: Ja.\n"
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="gruppe">
<Variables><Variable guid="{V_ROLE}" name="role" typeOfVariable="Text"/></Variables>
<Cases>
  <Case guid="1e2d3c4b-5555-4a6b-8c9d-000000000011" name="Anne">
    <VariableValue><VariableRef targetGUID="{V_ROLE}"/><TextValue>leder</TextValue></VariableValue><SourceRef targetGUID="{S1}"/></Case>
  <Case guid="1e2d3c4b-5555-4a6b-8c9d-000000000012" name="Bo">
    <VariableValue><VariableRef targetGUID="{V_ROLE}"/><TextValue>medarbejder</TextValue></VariableValue><SourceRef targetGUID="{S1}"/></Case>
</Cases>
<Sources><TextSource guid="{S1}" name="gruppe"><PlainTextContent>{group}</PlainTextContent></TextSource></Sources></Project>"""
    path = write_qdpx(tmp_path / "gruppe.qdpx", qde, {})
    with Project.in_memory() as project:
        import_qdpx(project, path, "tester")
        doc = project.documents.all()[0]
        assert [(t.speaker, t.role, t.participant_id) for t in project.documents.turns(doc.id)] == [
            ("I", "interviewer", None), ("Anne", "leder", "Anne"), ("Bo", "medarbejder", "Bo"),
            ("Anne", "leder", "Anne"), ("Bo", "medarbejder", "Bo")]
        assert doc.metadata == {"participants": "Anne;Bo"}
