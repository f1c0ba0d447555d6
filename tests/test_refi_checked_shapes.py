"""REFI-QDA shapes an independent check of issue 17 found unhandled (fixtures built by
tools/build_refi_fixtures_checked.py): the unit positions count in, who the coder of a coding is,
Links that attach notes, NVivo's cases that are codes, MAXQDA's nameless cases, member names."""

from __future__ import annotations

import pytest

from qualcode import Project
from qualcode.agreement import coded_units, coverage_warnings
from qualcode.i18n import use_language
from qualcode.refi import export_qdpx, import_qdpx, read_qdpx
from qualcode.refi.units import (
    CODE_POINTS,
    CODE_POINTS_CRLF_ONE,
    UTF16,
    UTF16_CRLF_ONE,
    Evidence,
    choose_unit,
)
from qualcode.store.refi import RefiStore
from refi_helpers import DATA, qde_of, snapshot, without_creation_time


def rows(report) -> list[tuple]:
    return [(r.kind, r.in_file, r.imported, r.matched, r.not_imported, r.reasons) for r in report.summary]


def coded(project) -> list[tuple[str, str, str]]:
    return sorted((c.coder, c.code_id, project.documents.get(c.document_id).text[c.start:c.end])
                  for c in project.codings.query())


def memos(project) -> list[tuple]:
    docs = {d.id: d for d in project.documents.all()}
    out = []
    for m in RefiStore(project.db).memos():
        on = docs[m.document_id].text[m.start:m.end] if m.start is not None else (
            docs[m.document_id].name if m.document_id else m.code_id)
        out.append((m.title, m.text, on, m.author))
    return out


# -- the position unit ----------------------------------------------------------------------------
EMOJI = "IP: Det går 👍 fint. Vi mangler tid 😓. Slut."
CRLF = "I: Hej.\r\nIP: Vi fordeler sagerne.\r\nI: Tak.\r\n"


@pytest.mark.parametrize("raw, evidence, unit", [
    # no emoji, no CRLF: one reading only
    ("IP: Vi fordeler sagerne.", [Evidence(4, 24)], CODE_POINTS),
    # "Vi mangler tid 😓." as NVivo counts it (the 👍 before it is two units): UTF-16
    (EMOJI, [Evidence(21, 39)], UTF16),
    # the same words counted in code points (QualCoder): code points
    (EMOJI, [Evidence(20, 37)], CODE_POINTS),
    # "Vi fordeler sagerne." with "\r\n" as one (ATLAS.ti), told by the quotation's name
    (CRLF, [Evidence(12, 32, "Vi fordeler sagerne.")], CODE_POINTS_CRLF_ONE),
    # the same words with "\r\n" as two (NVivo, MAXQDA, QualCoder)
    (CRLF, [Evidence(13, 33, "Vi fordeler sagerne.")], CODE_POINTS),
    # UTF-16 and CRLF as one at once
    ("I: 👍👍\r\nIP: Ja tak.\r\n", [Evidence(12, 19, "Ja tak.")], UTF16_CRLF_ONE),
    # a position only UTF-16 can place (past the code-point length)
    ("😓😓 ok", [Evidence(5, 7)], UTF16),
    # no evidence either way (selections before the first emoji): code points, the plain reading
    (EMOJI, [Evidence(4, 7)], CODE_POINTS),
    # a name that labels, not quotes ("Quotation 3:2") is no evidence
    (CRLF, [Evidence(13, 33, "Quotation 3:2")], CODE_POINTS),
])
def test_the_unit_positions_count_in_is_read_off_the_selections(raw, evidence, unit):
    assert choose_unit(raw, evidence).unit == unit


# -- NVivo (Windows) ------------------------------------------------------------------------------------
def test_nvivo15_shape_utf16_positions_selection_coders_case_code_and_annotation():
    with Project.in_memory() as project, use_language("en"):
        report = import_qdpx(project, DATA / "nvivo15_shape.qdpx", "tester")
        assert rows(report) == [
            ("users", 2, 2, 0, 0, ()), ("codes", 4, 4, 0, 0, ()), ("text", 1, 1, 0, 0, ()), ("codings", 7, 7, 0, 0, ()),
            ("notes", 2, 2, 0, 0, ()), ("variables", 1, 1, 0, 0, ()), ("cases", 1, 1, 0, 0, ()),
            # the case Karin is coded on her answer: the case gets the source, the span is not a coding
            ("case_parts", 1, 0, 0, 1, ((1, "a case holds whole sources in qualcode, not parts of them"),)),
            ("links", 1, 1, 0, 0, ()),  # the annotation's Link: the note is about that span
        ]
        assert report.warnings == ()
        # UTF-16 positions over a BOM + CRLF file slice exactly the words, emoji included; the coder is the
        # selection's user (the Codings all carry Mette's code stamp of 1 April, before every selection)
        assert coded(project) == [
            ("Jonas", "tillid", "Tilliden er stor."),
            ("Mette", "ledelse", "Lederen prioriterer driften."),
            ("Mette", "ledelse", "Vi mangler tid 😓."),
            ("Mette", "tidspres", "Vi mangler tid 😓."),
            ("Mette", "tillid", "Det går 👍 fint."),
            ("Mette", "tillid", "Når vi mødes 🤝, løser vi tingene."),
            ("Mette", "tillid", "Tilliden er stor."),
        ]
        assert {c.coder: c.created_at for c in project.codings.query() if c.coder == "Jonas"} == {
            "Jonas": "2025-04-03T09:00:00Z"}  # the selection's time, not the code's
        assert [c.id for c in project.codebook.current().codes] == ["temaer", "tidspres", "ledelse", "tillid"]
        assert memos(project) == [
            ("Projektlog", "Jonas har kodet ét udsagn.\nMette resten.", None, "Jonas"),  # CRLF file, LF memo
            ("Annotation", "Driften vinder altid.", "Lederen prioriterer driften.", "Jonas"),
        ]
        [doc] = project.documents.all()
        assert [(c.name, c.values, c.document_ids) for c in RefiStore(project.db).cases()] == [
            ("Karin", {"role": "leder"}, (doc.id,))]
        assert doc.metadata == {"participant_id": "Karin", "role": "leder"}
        # Jonas coded far less than Mette: the agreement warning fires
        cu = coded_units(project)
        assert coverage_warnings(cu) == [
            "Jonas gave codes to 1 unit, Mette to 5 (20%): agreement is mostly on units neither coded;"
            " --coded-only measures it on the units at least one coder coded"]
        assert coded_units(project, coded_only=True).units_with_codes() == [1, 5]


def test_a_file_whose_codings_are_stamped_when_coded_keeps_the_codings_user():
    # ATLAS.ti: Troels linked a code to Signe's quotation, at 10:01, after the quotation was made (10:00)
    with Project.in_memory() as project:
        import_qdpx(project, DATA / "atlas23_shape.qdpx", "tester")
        assert ("Troels", "koordinering_dobbeltarbejde", "Vi fordeler sagerne der.") in coded(project)


# -- ATLAS.ti (Windows) -----------------------------------------------------------------------------------
def test_atlas23_shape_crlf_counted_as_one_and_memos_linked_to_a_quotation_and_a_document():
    with Project.in_memory() as project, use_language("en"):
        report = import_qdpx(project, DATA / "atlas23_shape.qdpx", "tester")
        assert rows(report) == [
            ("users", 3, 3, 0, 0, ()), ("codes", 3, 3, 0, 0, ()), ("text", 2, 2, 0, 0, ()), ("codings", 5, 5, 0, 0, ()),
            ("notes", 2, 2, 0, 0, ()),
            ("links", 3, 2, 0, 1, ((1, "links between objects cannot be held"),)),  # the code-code relation
        ]
        assert coded(project) == [
            ("Signe", "koordinering_dobbeltarbejde", "Uden mødet ville vi dobbeltarbejde."),  # selection GUID in braces
            ("Signe", "koordinering_fordeling", "Ja, når alle møder op."),
            ("Signe", "koordinering_fordeling", "Vi fordeler sagerne der."),
            ("Troels", "koordinering_dobbeltarbejde", "Vi fordeler sagerne der."),
            ("Ulla", "mangler_moedeleder", "Og en fast mødeleder."),
        ]
        assert memos(project) == [("Om mødelederen", "Spørg lederen om rollen.", "Og en fast mødeleder.", "Ulla"),
                                  ("Hedelund", "Mindre kommune.", "Morgenmøde Hedelund.txt", "Signe")]


# -- MAXQDA -------------------------------------------------------------------------------------------------
def test_maxqda_nameless_cases_are_their_sources_variables_not_participants():
    with Project.in_memory() as project, use_language("en"):
        report = import_qdpx(project, DATA / "maxqda_cases_shape.qdpx", "tester")
        assert rows(report)[-1] == ("cases", 2, 0, 0, 2, ((2, "a case without a name: its values are its source's variables"),))
        assert [(d.name, d.metadata) for d in project.documents.all()] == [
            ("Interview 1", {"alder": "41", "dato": "2024-10-01", "kommune": "Fjordby", "leder": "true"}),
            ("Interview 2", {"alder": "42", "dato": "2024-10-02", "kommune": "Hedelund", "leder": "false"}),
        ]
        assert RefiStore(project.db).cases() == []
    assert read_qdpx(DATA / "maxqda_cases_shape.qdpx").cases == ()


# -- QualCoder ----------------------------------------------------------------------------------------------
def test_qualcoder_emoji_are_one_code_point_each():
    with Project.in_memory() as project:
        import_qdpx(project, DATA / "qualcoder_emoji_shape.qdpx", "tester")
        assert coded(project) == [("default", "udstyr", "Jeg fik først en computer klokken tolv.")]


# -- member names and users -----------------------------------------------------------------------------------
def test_member_names_in_nfd_url_escaped_or_utf8_without_the_flag_are_found():
    with Project.in_memory() as project, use_language("en"):
        report = import_qdpx(project, DATA / "odd_names.qdpx", "tester")
        assert rows(report)[2] == ("text", 3, 3, 0, 0, ())
        ghost = "a0150000-1700-4000-8000-000000000009"
        assert coded(project) == [("Kim", "fakta", "Det andet interview handlede om økonomi."),
                                  ("Kim", "fakta", "På Ærø mødes vi på havnen."),
                                  (ghost, "fakta", "Søren taler om sin leder.")]
        # a user missing from <Users> keeps their GUID, so an export gives it back
        assert report.warnings == (f"{DATA / 'odd_names.qdpx'}: user {ghost} is not among the file's users; their"
                                   " codings and notes are kept under that GUID",)
        assert RefiStore(project.db).coder_guids()[ghost] == (ghost, None)


# -- round trips ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["nvivo15_shape.qdpx", "atlas23_shape.qdpx", "maxqda_cases_shape.qdpx",
                                  "qualcoder_emoji_shape.qdpx", "odd_names.qdpx"])
def test_round_trip_of_each_checked_shape(tmp_path, name):
    with Project.in_memory() as first:
        import_qdpx(first, DATA / name, "tester")
        export_qdpx(first, tmp_path / "1.qdpx", name="x")
        before = snapshot(first)
    with Project.in_memory() as second:
        import_qdpx(second, tmp_path / "1.qdpx", "tester")
        assert snapshot(second) == before
        export_qdpx(second, tmp_path / "2.qdpx", name="x")
    assert without_creation_time(qde_of(tmp_path / "1.qdpx")) == without_creation_time(qde_of(tmp_path / "2.qdpx"))


# -- codebooks ----------------------------------------------------------------------------------------------------
def test_atlas_codebook_with_origin_and_code_groups_is_valid_and_says_the_groups_are_left_out(tmp_path):
    from click.testing import CliRunner

    from qualcode.cli.main import cli
    from qualcode.codebook import load_codebook, validate_qdc

    qdc = DATA / "atlas23_codebook.qdc"
    validate_qdc(qdc)  # Codebook.xsd allows origin and Sets (MemberCode by guid)
    out = tmp_path / "kodebog.yaml"
    result = CliRunner().invoke(cli, ["codebook", "import", str(qdc), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"Advarsel: {qdc}: 2 kodegrupper er ikke en del af en YAML-kodebog og blev ikke"
                             " importeret: Organisation, Personer\n")
    book = load_codebook(out)
    assert [(c.id, c.name, c.parent_id, c.color) for c in book.codes] == [
        ("barrierer", "Barrierer", None, "#DC0000"), ("tidspres", "Tidspres", "barrierer", None),
        ("oekonomi", "Økonomi", "barrierer", None), ("drivkraefter", "Drivkræfter", None, "#46AA00"),
        ("ildsjaele", "Ildsjæle", "drivkraefter", None)]


def project_file(tmp_path, body: str):
    """A .qdpx holding only a project.qde with ``body`` inside its Project element."""
    import zipfile

    path = tmp_path / "x.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", '<?xml version="1.0" encoding="utf-8"?>\n'
                         f'<Project xmlns="urn:QDA-XML:project:1.0" name="x">{body}</Project>')
    return path


def test_code_groups_naming_members_by_guid_are_read_in_a_project(tmp_path):
    guid = "c0160000-1700-4000-8000-000000000002"
    path = project_file(tmp_path, f'<CodeBook><Codes><Code guid="{guid}" name="Tidspres" isCodable="true"/></Codes>'
                        '</CodeBook><Sets><Set guid="70160000-1700-4000-8000-000000000001" name="Organisation">'
                        f'<MemberCode guid="{guid.upper()}"/></Set></Sets>')
    with Project.in_memory() as project:
        import_qdpx(project, path, "tester")
        assert [(s.name, s.code_ids) for s in RefiStore(project.db).sets()] == [("Organisation", ("tidspres",))]


def test_a_coding_written_twice_in_one_source_is_not_called_already_there(tmp_path):
    code, user = "c0170000-1700-4000-8000-000000000001", "a0170000-1700-4000-8000-000000000001"
    sels = "".join(f'<PlainTextSelection guid="e0170000-1700-4000-8000-00000000000{n}" startPosition="0" endPosition="4"'
                   f' creatingUser="{user}"><Coding guid="f0170000-1700-4000-8000-00000000000{n}" creatingUser="{user}">'
                   f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>' for n in (1, 2))
    path = project_file(tmp_path, f'<Users><User guid="{user}" name="Ida"/></Users>'
                        f'<CodeBook><Codes><Code guid="{code}" name="Kode" isCodable="true"/></Codes></CodeBook>'
                        '<Sources><TextSource guid="50170000-1700-4000-8000-000000000001" name="t">'
                        f'<PlainTextContent>Kort tekst.</PlainTextContent>{sels}</TextSource></Sources>')
    with Project.in_memory() as project, use_language("en"):
        report = import_qdpx(project, path, "tester")
        assert [r for r in rows(report) if r[0] == "codings"] == [
            ("codings", 2, 1, 0, 1, ((1, "the same span, code and coder twice in the file"),))]


def test_a_password_protected_archive_is_one_line_not_a_traceback(tmp_path):
    from click.testing import CliRunner

    from qualcode.cli.main import cli

    path = DATA / "encrypted.qdpx"  # made with `zip -P`: zipfile raised RuntimeError asking for a password
    result = CliRunner().invoke(cli, ["import-qdpx", str(path), "--project", str(tmp_path / "p.qcp")])
    assert (result.exit_code, result.output) == (
        2, f"Fejl: {path}: project.qde i arkivet er krypteret (beskyttet med en adgangskode); eksportér projektet"
           " igen uden adgangskode\n")
    assert not (tmp_path / "p.qcp").exists()
