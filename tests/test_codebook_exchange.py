"""Codebook exchange: diff, Word/Excel export, REFI-QDA .qdc export and import."""

from __future__ import annotations

import json

import dataclasses
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli.main import cli
from qualcode.codebook import Code, diff_codebooks, load_codebook
from qualcode.codebook.export import export_docx, export_xlsx
from qualcode.codebook.refi import (
    code_guid,
    codebook_to_qdc,
    export_qdc,
    import_refi_codebook,
    qdc_problems,
    slugify,
    validate_qdc,
)
from qualcode.codebook.render import diff_markdown, diff_text
from qualcode.errors import InputError
from qualcode.i18n import use_language

ROOT = Path(__file__).resolve().parent.parent
CODEBOOKS = ROOT / "codebooks"
NVIVO = ROOT.parent / "shared" / "refi-qda" / "nvivo_project.qdpx"


@pytest.fixture(scope="module")
def barriers():
    return load_codebook(CODEBOOKS / "barrierer_drivkraefter.yaml")


@pytest.fixture(scope="module")
def rk():
    return load_codebook(CODEBOOKS / "relationel_koordinering.yaml")


def edited(codebook):
    """Version 1.1: one code added, one removed, one renamed, one moved, one redefined."""
    codes = []
    for code in codebook.codes:
        if code.id == "barriere.sagsudvaelgelse":
            continue
        if code.id == "barriere.tidspres":
            code = dataclasses.replace(code, name="Tidsmangel", keywords=code.keywords[1:] + ("stress*",))
        if code.id == "driver.ressourcer":
            code = dataclasses.replace(code, definition="Timer og midler | afsat til samarbejdet.")
        if code.id == "barriere.faglig_modstand":
            code = dataclasses.replace(code, parent_id="drivkraefter")
        codes.append(code)
        if code.id == "driver.laering_paa_sager":
            codes.append(Code("driver.data", "Fælles data", "drivkraefter"))
    # keep depth-first order after the move: the moved code goes last under its new parent
    moved = [c for c in codes if c.id == "barriere.faglig_modstand"]
    codes = [c for c in codes if c.id != "barriere.faglig_modstand"] + moved
    return dataclasses.replace(codebook, version="1.1", codes=tuple(codes))


# -- diff ---------------------------------------------------------------------------
def test_diff_finds_added_removed_renamed_moved_and_changed(barriers):
    diff = diff_codebooks(barriers, edited(barriers))
    assert [c.id for c in diff.added] == ["driver.data"]
    assert [c.id for c in diff.removed] == ["barriere.sagsudvaelgelse"]
    assert diff.renamed == (("barriere.tidspres", "Tidspres", "Tidsmangel"),)
    assert diff.moved == (("barriere.faglig_modstand", "barrierer", "drivkraefter"),)
    assert [(c.code_id, c.field) for c in diff.changed] == [("barriere.tidspres", "keywords"), ("driver.ressourcer", "definition")]
    assert diff_codebooks(barriers, barriers).is_empty


def test_diff_as_terminal_text(barriers):
    text = diff_text(diff_codebooks(barriers, edited(barriers)), "en")
    assert text.splitlines() == [
        "Codebook: Barrierer og drivkræfter 1.0 -> Barrierer og drivkræfter 1.1",
        "Added (1):",
        "  + driver.data  Fælles data  (under drivkraefter)",
        "Removed (1):",
        "  - barriere.sagsudvaelgelse  Sager der ikke er lige vigtige for alle",
        "Renamed (1):",
        "  ~ barriere.tidspres  'Tidspres' -> 'Tidsmangel'",
        "Moved (1):",
        "  > barriere.faglig_modstand  barrierer -> drivkraefter",
        "Changed (2):",
        "  * barriere.tidspres  keywords: added 'stress*'; removed 'tidspres*'",
        "  * driver.ressourcer  definition: 'Der er afsat timer, personale eller midler specifikt til det tværgåen…' -> 'Timer og midler | afsat til samarbejdet.'",
    ]


def test_diff_as_markdown(barriers):
    markdown = diff_markdown(diff_codebooks(barriers, edited(barriers)), "da")
    assert markdown.startswith("# Ændringer i kodebogen: Barrierer og drivkræfter 1.0 → Barrierer og drivkræfter 1.1\n")
    assert "| `driver.data` | Fælles data | drivkraefter |" in markdown
    assert "| `barriere.tidspres` | Tidspres | Tidsmangel |" in markdown
    assert "| `barriere.faglig_modstand` | barrierer | drivkraefter |" in markdown
    assert "### `barriere.tidspres` Tidsmangel\n\n- **Nøgleord**: tilføjet `stress*`; fjernet `tidspres*`" in markdown
    # a pipe in a definition must not break the Markdown table syntax
    assert "efter: Timer og midler \\| afsat til samarbejdet." in markdown


def test_diff_cli_terminal_and_markdown_file(tmp_path, barriers):
    from qualcode.codebook import dump_codebook

    new = tmp_path / "ny.yaml"
    dump_codebook(edited(barriers), new)
    old = str(CODEBOOKS / "barrierer_drivkraefter.yaml")
    result = CliRunner().invoke(cli, ["codebook", "diff", old, str(new), "--lang", "en"])
    assert result.exit_code == 0
    assert result.output == diff_text(diff_codebooks(barriers, edited(barriers)), "en")
    out = tmp_path / "diff.md"
    result = CliRunner().invoke(cli, ["codebook", "diff", old, str(new), "--markdown", "-o", str(out)])
    assert result.output == f"Skrevet: {out}\n"
    assert out.read_text(encoding="utf-8") == diff_markdown(diff_codebooks(barriers, edited(barriers)), "da")


# -- Word and Excel -------------------------------------------------------------------
def test_docx_appendix_table(tmp_path, barriers):
    import docx

    path = export_docx(barriers, tmp_path / "bilag.docx")
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "Bilag: Kodebog – Barrierer og drivkræfter"
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Kode", "Definition", "Brug når", "Brug ikke når", "Eksempel"]
    assert len(rows) == 1 + 26  # header + a row per code (themes as spanning rows)
    assert rows[1][0].startswith("Barrierer – Forhold, som interviewpersonen oplever hæmmer")
    assert len({cell._tc for cell in table.rows[1].cells}) == 1  # one merged cell
    tid = barriers.get("barriere.tidspres")
    # Danish quotation marks »…« (a closing ” opens nothing in Danish).
    assert rows[4] == [tid.name, tid.definition, tid.include, tid.exclude, "»Vi har jo en sagsstamme på 45, så hvornår skal jeg lige sidde til de der koordineringsmøder?«"]
    assert rows[15][0] == "Drivkræfter – Forhold, som interviewpersonen oplever fremmer eller muliggør samarbejdet på tværs af forvaltninger og sektorer."


def test_xlsx_has_a_row_per_code_with_every_field(tmp_path, rk):
    from openpyxl import load_workbook

    path = export_xlsx(rk, tmp_path / "kodebog.xlsx", lang="da")
    workbook = load_workbook(path)
    sheet = workbook["Kodebog"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("id", "navn", "overordnet", "tema", "niveau", "definition", "brug når", "brug ikke når", "eksempler", "nøgleord", "farve")
    assert len(rows) == 10
    hyppig = rk.get("rk.hyppig_kommunikation")
    assert rows[2] == (
        "rk.hyppig_kommunikation", "Hyppig kommunikation", "rk.kommunikation", "rk.kommunikation", 1,
        hyppig.definition, hyppig.include, hyppig.exclude, "\n".join(hyppig.examples), ", ".join(hyppig.keywords), "#2471A3",
    )
    assert sheet.cell(row=3, column=11).fill.fgColor.rgb == "002471A3"
    about = dict(workbook["Om"].iter_rows(values_only=True))
    assert (about["Kodebog"], about["Version"], about["Antal koder"]) == ("Relationel koordinering", "1.0", 9)


# -- REFI-QDA ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["barrierer_drivkraefter.yaml", "relationel_koordinering.yaml"])
def test_round_trip_yaml_qdc_yaml_keeps_every_code(tmp_path, name):
    codebook = load_codebook(CODEBOOKS / name)
    qdc = export_qdc(codebook, tmp_path / "kodebog.qdc")
    validate_qdc(qdc)
    back = import_refi_codebook(qdc)
    assert back.codes == codebook.codes  # ids, names, hierarchy, every field, colours
    # and through YAML again, as `codebook import` writes it
    yaml_path = tmp_path / "igen.yaml"
    result = CliRunner().invoke(cli, ["codebook", "import", str(qdc), "-o", str(yaml_path), "--name", codebook.name])
    assert result.exit_code == 0, result.output
    assert load_codebook(yaml_path).codes == codebook.codes


def test_qdc_document_structure(barriers):
    from lxml import etree

    root = etree.fromstring(codebook_to_qdc(barriers))
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    top = root.findall("c:Codes/c:Code", ns)
    assert [c.get("name") for c in top] == ["Barrierer", "Drivkræfter"]
    assert len(root.findall(".//c:Code", ns)) == 26
    ildsjael = root.find(".//c:Code[@name='Ildsjæle og brobyggere']", ns)
    assert ildsjael.get("guid") == code_guid("driver.ildsjaele")
    assert ildsjael.get("color") == "#27AE60" and ildsjael.get("isCodable") == "true"
    description = ildsjael.find("c:Description", ns).text
    assert description.startswith("Engagerede enkeltpersoner, der går forrest")
    assert "\n\nNøgleord:\n- ildsjæl*\n- frontfigur*\n" in description
    # issue 17: the id is not written into the text other tools show, but before the root element
    assert description.endswith("\n- drivkraft*") and "Kode-id" not in description
    pi = root.getprevious()
    assert pi.target == "qualcode"
    assert json.loads(pi.text)["codes"][code_guid("driver.ildsjaele")] == "driver.ildsjaele"
    assert json.loads(pi.text)["language"] == "da"
    # the same code gets the same GUID on every export
    assert code_guid("driver.ildsjaele") == code_guid("driver.ildsjaele") != code_guid("driver.ressourcer")


def test_schema_rejects_what_the_refi_standard_forbids(barriers):
    data = codebook_to_qdc(barriers)
    assert qdc_problems(data) == []
    bad_colour = data.replace(b'color="#27AE60"', b'color="green"', 1)
    [problem] = qdc_problems(bad_colour)
    assert "color" in problem and "pattern" in problem.lower()
    no_guid = data.replace(f'guid="{code_guid("driver.ildsjaele")}" '.encode(), b"", 1)
    assert any("guid" in p for p in qdc_problems(no_guid))


def test_validate_qdc_names_the_file(tmp_path):
    path = tmp_path / "forkert.qdc"
    path.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', encoding="utf-8")
    with pytest.raises(InputError) as info, use_language("en"):
        validate_qdc(path)
    assert str(info.value).startswith(f"{path}: not a valid REFI-QDA codebook: ")


needs_nvivo = pytest.mark.skipif(not NVIVO.exists(), reason=f"{NVIVO} is not here (../shared is not beside this clone)")


@needs_nvivo
def test_import_nvivo_project():
    codebook = import_refi_codebook(NVIVO)
    assert codebook.name == "qc project"
    assert len(codebook.codes) == 262
    assert [c.id for c in codebook.roots()] == ["rq1_definition", "rq2_curriculum_and_instruction", "rq3_process"]
    assert [c.name for c in codebook.children("rq1_definition")] == [
        "competencies", "concepts", "defining_education", "framings", "importance_of_defining_cs", "practices", "rationales",
    ]
    assert len(codebook.children("concepts")) == 13
    assert len(codebook.leaves()) == 204
    assert max(codebook.depth(c.id) for c in codebook.codes) == 6
    # one name, three places: told apart by the parent's id
    assert [c.id for c in codebook.codes if c.name == "citizenship"] == [
        "citizenship", "digital_citizenship.citizenship", "cs_literacy.digital_citizenship.citizenship",
    ]
    assert codebook.path("cs_literacy.digital_citizenship.citizenship") == (
        "rq1_definition", "rationales", "cs_literacy", "cs_literacy.digital_citizenship", "cs_literacy.digital_citizenship.citizenship",
    )


@needs_nvivo
def test_import_nvivo_project_via_cli_writes_a_codebook_that_passes_check(tmp_path):
    out = tmp_path / "nvivo.yaml"
    result = CliRunner().invoke(cli, ["codebook", "import", str(NVIVO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Importeret: 262 koder (3 på øverste niveau) fra {NVIVO} til {out}\n"
    assert CliRunner().invoke(cli, ["codebook", "check", str(out)]).output == f"OK: {out} (262 koder)\n"


QUALCODER_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="a1b2c3d4-0000-4000-8000-000000000001" name="Barrierer" isCodable="false" color="#C00">
      <Description>Det der hæmmer.</Description>
      <Code guid="a1b2c3d4-0000-4000-8000-000000000002" name="Økonomisk pres" isCodable="true" color="#E74C3C">
        <Description>Sparekrav og nedskæringer.
Flere linjer.</Description>
      </Code>
      <Code guid="a1b2c3d4-0000-4000-8000-000000000003" name="Tidspres" isCodable="true" color="rød"/>
    </Code>
    <Code guid="a1b2c3d4-0000-4000-8000-000000000004" name="Fælles mål" isCodable="true"/>
  </Codes>
</CodeBook>
"""


def test_import_a_foreign_qdc_with_colours_descriptions_and_danish_names(tmp_path):
    path = tmp_path / "qualcoder.qdc"
    path.write_text(QUALCODER_STYLE, encoding="utf-8")
    codebook = import_refi_codebook(path)
    assert codebook.name == "qualcoder"
    assert codebook.codes == (
        Code("barrierer", "Barrierer", None, definition="Det der hæmmer.", color="#C00"),
        Code("oekonomisk_pres", "Økonomisk pres", "barrierer", definition="Sparekrav og nedskæringer.\nFlere linjer.", color="#E74C3C"),
        Code("tidspres", "Tidspres", "barrierer"),  # a colour REFI does not allow is dropped
        Code("faelles_maal", "Fælles mål", None),
    )


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("x.qdpx", b"not a zip", "not a REFI-QDA project: a .qdpx file must be a zip archive"),
        ("x.qdc", b"<CodeBook><Codes>", "not well-formed XML: "),
        ("x.qdc", b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "no codebook in the file (no CodeBook/Codes element)"),
        ("x.txt", b"", "unknown file type '.txt': use .qdc, .qdpx or .qde"),
    ],
)
def test_import_errors(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info, use_language("en"):
        import_refi_codebook(path)
    assert info.value.problem.startswith(problem)
    assert info.value.path == str(path)


def test_qdpx_without_project_file(tmp_path):
    path = tmp_path / "tom.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sources/a.txt", "x")
    with pytest.raises(InputError, match=r"no project.qde inside the .qdpx archive$"), use_language("en"):
        import_refi_codebook(path)


def test_slugify_danish_names():
    assert [slugify(n) for n in ("Fælles mål", "Øvebaner & læring", "Åbenhed", "  ", "Café-kultur")] == [
        "faelles_maal", "oevebaner_laering", "aabenhed", "kode", "cafe_kultur",
    ]


# -- export CLI -----------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".qdc", ".yaml"])
def test_export_cli_writes_each_format(tmp_path, suffix):
    out = tmp_path / f"kodebog{suffix}"
    result = CliRunner().invoke(cli, ["codebook", "export", str(CODEBOOKS / "relationel_koordinering.yaml"), str(out)])
    assert (result.exit_code, result.output) == (0, f"Skrevet: {out} (9 koder)\n")
    assert out.stat().st_size > 0


def test_export_cli_errors(tmp_path):
    result = CliRunner().invoke(cli, ["codebook", "export", str(CODEBOOKS / "relationel_koordinering.yaml"), str(tmp_path / "x.pdf")])
    assert (result.exit_code, result.output) == (2, f"Fejl: {tmp_path / 'x.pdf'}: ukendt filtype '.pdf'; brug .docx, .xlsx, .qdc eller .yaml\n")
    result = CliRunner().invoke(cli, ["codebook", "export", str(tmp_path / "x.yaml")])
    assert (result.exit_code, result.output) == (2, "Fejl: angiv en kodebogsfil og en outputfil, eller --project og en outputfil\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("codebook: T\ncodes:\n  - id: a\n  - id: a\n    name: A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", "export", str(bad), str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    # Danish throughout (the codebook's problems were English inside a Danish line before)
    assert result.output == f"Fejl: {bad}:3: kode »a«: mangler 'name'\n{bad}:4: kode »a«: id'et er brugt før (første gang i linje 3)\n"
