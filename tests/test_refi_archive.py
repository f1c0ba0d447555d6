"""Finding a REFI project's files: references resolved inside the container only, damaged members, folders."""

from __future__ import annotations

import random
import zipfile

import pytest

from qualcode.errors import InputError
from qualcode.i18n import use_language
from qualcode.refi import positions
from qualcode.refi.archive import candidates, open_container
from qualcode.refi.reader import read_qdpx

QDE = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
       '<TextSource guid="50080000-1700-4000-8000-000000000001" name="a" plainTextPath="{path}"/></Sources></Project>')


@pytest.mark.parametrize("reference, expected", [
    ("internal://a.txt", ["sources/a.txt", "a.txt"]),                    # the standard's folder first
    ("board_2017.txt", ["board_2017.txt", "sources/board_2017.txt"]),    # a bare name (schema-valid)
    ("Sources/b.txt", ["Sources/b.txt", "sources/Sources/b.txt", "sources/b.txt"]),
    ("relative:///sub/c.txt", ["sub/c.txt", "sources/sub/c.txt", "sources/c.txt"]),
    ("absolute://C:/Users/pia/d.txt", ["sources/d.txt"]),                 # another machine's disk: its file name only
    ("file:///home/pia/e.txt", ["sources/e.txt"]),
    ("C:\\Data\\f.txt", ["sources/f.txt"]),                               # a Windows path with backslashes
    ("internal://../../etc/passwd", ["sources/passwd"]),                  # ".." never leads out
    ("../x.txt", ["sources/x.txt"]),
    ("", []),
])
def test_candidates(reference, expected):
    assert candidates(reference) == expected


@pytest.mark.parametrize("member, reference", [
    ("Sources/A.TXT", "internal://a.txt"),      # NVivo's upper-case folder, another case of the name
    ("sources/board_2017.txt", "board_2017.txt"),
    ("projekt/sources/a.txt", "internal://a.txt"),  # a zip made of a project folder
])
def test_members_are_found_whatever_their_case_and_folder(tmp_path, member, reference):
    path = tmp_path / "p.qdpx"
    prefix = member.split("/")[0] + "/" if member.startswith("projekt/") else ""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(prefix + "project.qde", QDE.format(path=reference))
        archive.writestr(member, "I: Hej.\nIP: Hej med dig.\n")
    [source] = read_qdpx(path).sources
    assert source.text == "I: Hej.\nIP: Hej med dig.\n"


def test_a_link_out_of_a_project_folder_is_not_followed(tmp_path):
    outside = tmp_path / "hemmelig.txt"
    outside.write_text("Må ikke læses.", encoding="utf-8")
    project = tmp_path / "projekt"
    (project / "sources").mkdir(parents=True)
    (project / "sources" / "a.txt").symlink_to(outside)
    (project / "project.qde").write_text(QDE.format(path="internal://a.txt"), encoding="utf-8")
    with pytest.raises(InputError) as info, use_language("en"):
        read_qdpx(project)
    assert str(info.value) == f"{project / 'project.qde'}: sources/a.txt lies outside the project folder"


def test_a_member_with_a_bad_crc_is_one_line(tmp_path):
    path = tmp_path / "crc.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", QDE.format(path="internal://a.txt"))
        archive.writestr("sources/a.txt", "I: Hej med dig.\n")
    data = bytearray(path.read_bytes())
    at = data.index(b"I: Hej med dig.")
    data[at] = ord("X")  # the stored text no longer matches its CRC
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as info, use_language("en"):
        read_qdpx(path)
    assert str(info.value) == f"{path}: sources/a.txt inside the archive cannot be read (Bad CRC-32 for file 'sources/a.txt')"


def test_a_broken_word_source_is_a_reason_not_a_traceback(tmp_path):
    path = tmp_path / "docx.qdpx"
    qde = QDE.replace('plainTextPath="{path}"', 'richTextPath="internal://a.docx"')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.docx", b"PK\x03\x04 not really a docx")
    refi = read_qdpx(path)
    assert refi.sources == ()
    assert [(d.kind, d.reason) for d in refi.dropped] == [("text", "Word-filen kan ikke læses")]
    assert refi.warnings == (f"{path}: kilden 'a': internal://a.docx er ikke en læsbar Word-fil (BadZipFile); ikke importeret",)


@pytest.mark.parametrize("name, problem", [
    ("x.txt", "ukendt filtype '.txt'; brug .qdpx, .qde eller en projektmappe"),
    ("nope.qdpx", "filen findes ikke"),
])
def test_unusable_paths(tmp_path, name, problem):
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text("x")
    with pytest.raises(InputError) as info:
        open_container(path)
    assert str(info.value) == f"{path}: {problem}"


def test_a_folder_without_a_qde(tmp_path):
    with pytest.raises(InputError) as info:
        open_container(tmp_path)
    assert str(info.value) == f"{tmp_path}: ingen .qde-fil i mappen"


def test_fast_position_map_equals_the_general_one():
    """NFC texts take a cumulative-sum shortcut; it must give the general path's positions exactly."""
    alphabet = list("ab\r\n\ufeff\u200b\u200eøå \u2028\u00a0")
    rng = random.Random(17)
    for _ in range(300):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        fast = positions._map_without_composition(raw)
        slow = positions.normalise_with_map(raw + "a\u030a")  # a combining ring: NFC must compose, no shortcut
        assert fast is not None and positions._map_without_composition(raw + "a\u030a") is None
        text, mapped = slow
        # compared as lists: the shortcut returns a compact array (8 bytes a position), the general path a list
        assert (text[:-1], list(mapped[: len(raw) + 1])) == (fast[0], list(fast[1]))
