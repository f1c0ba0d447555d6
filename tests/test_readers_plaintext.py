"""Plain-text readers: labels, continuation paragraphs, encodings, front matter."""

from __future__ import annotations

import pytest

from qualcode import InputError, read_transcript

TRANSCRIPT = (
    "I: Hvordan samarbejder I med jobcentret?\n"
    "\n"
    "IP3: Øh, altså vi mødes bl.a. hver uge. Det går godt.\n"
    "\n"
    "Men budgettet er presset, ikke?\n"
    "I: Mm.\n"
    "IP3: Ja. Og så har vi Søren på Ærø.\n"
)


def spoken(t, turn):
    return t.text[turn.start : turn.end]


def test_labels_and_continuation_paragraphs(tmp_path):
    path = tmp_path / "leder.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    t = read_transcript(path)
    assert [turn.speaker for turn in t.turns] == ["I", "IP3", "I", "IP3"]
    assert spoken(t, t.turns[1]) == "Øh, altså vi mødes bl.a. hver uge. Det går godt.\n\nMen budgettet er presset, ikke?"
    assert spoken(t, t.turns[3]) == "Ja. Og så har vi Søren på Ærø."
    assert t.encoding == "utf-8"
    assert t.warnings == ()


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("utf-8", b""),  # plain UTF-8
        ("utf-8", b"\xef\xbb\xbf"),  # UTF-8 with BOM: BOM must not enter the text
        ("cp1252", b""),  # Windows export
        ("utf-16", b""),  # UTF-16 writes its own BOM
    ],
)
def test_encodings_keep_danish_letters(tmp_path, encoding, prefix):
    path = tmp_path / "t.txt"
    path.write_bytes(prefix + TRANSCRIPT.replace("\n", "\r\n").encode(encoding))
    t = read_transcript(path)
    assert t.text.startswith("I: Hvordan")
    assert "\r" not in t.text
    assert "Søren på Ærø" in t.text
    assert spoken(t, t.turns[3]) == "Ja. Og så har vi Søren på Ærø."


def test_decomposed_unicode_is_normalised_to_nfc(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("I: Hvad så?\nIP: Jeg bor i Ærø\u0308.\nI: Nå.\nIP: A\u030angen.\n", encoding="utf-8")
    t = read_transcript(path)
    assert "Åangen" not in t.text
    assert spoken(t, t.turns[3]) == "\u00c5ngen."


def test_front_matter_becomes_metadata_and_is_not_text(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("---\ntitle: Interview 1\nrole: direktør\ninterviewer: I\n---\n" + TRANSCRIPT, encoding="utf-8")
    t = read_transcript(path)
    assert t.metadata == {"title": "Interview 1", "role": "direktør", "interviewer": "I"}
    assert t.text.startswith("I: Hvordan")


def test_bad_front_matter_names_file_and_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("---\ntitle: ok\nrole: [unclosed\n---\nI: Hej\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert err.value.message.startswith(f"{path}:3: forsiden (front matter) er ikke gyldig YAML")


def test_bracket_labels_and_timestamps(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(
        "[Kasper] Hvad laver du?\n[Sara] Jeg er i hjemmeplejen. [pause] Det er travlt.\n"
        "[00:01:02] Kasper: Og så?\n[00:01:05] Sara: Så ringer jeg.\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert [(x.speaker, x.start_time) for x in t.turns] == [
        ("Kasper", None), ("Sara", None), ("Kasper", 62.0), ("Sara", 65.0)
    ]
    assert spoken(t, t.turns[1]) == "Jeg er i hjemmeplejen. [pause] Det er travlt."


def test_colon_phrase_at_paragraph_start_is_not_a_speaker(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("I: Hvad skete der?\nIP: Det var sådan.\nAltså: det var svært.\nI: Ok.\nIP: Ja.\n", encoding="utf-8")
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["I", "IP", "I", "IP"]
    assert spoken(t, t.turns[1]) == "Det var sådan.\nAltså: det var svært."


def test_no_speaker_labels_gives_one_speaker_and_a_warning(tmp_path):
    path = tmp_path / "noter.txt"
    path.write_text("Vi talte om samarbejde.\nDet gik fint.\n", encoding="utf-8")
    t = read_transcript(path)
    # The unknown speaker is stored as such (an empty label); "Ukendt" is only how it is shown.
    assert [(x.speaker, x.start, x.end) for x in t.turns] == [("", 0, 37)]
    assert t.notes.layout == "none"
    assert t.warnings == (f"{path}: ingen talerbetegnelser fundet; importeret som én ukendt taler",)


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("tom.txt", b"", "er tom"),
        ("billede.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "er ikke en tekstfil (binært indhold)"),
        ("blank.txt", b"  \n\n \n", "har ingen transskriberet tekst"),
        ("noter.pages", b"PK", "er et Apple Pages-dokument; eksportér det som Word (.docx), og importér den fil"),
        ("lyd.mp3", b"ID3", "filtypen '.mp3' understøttes ikke; understøttet: .txt, .md, .docx, .odt, .rtf, .vtt, .srt"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert str(err.value) == f"{path}: {problem}"


def test_oversized_file_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "stor.txt"
    path.write_bytes(b"I: " + b"ord " * (5 * 1024 * 1024) + b"\n")  # 20 MB
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert str(err.value) == (
        f"{path}: fylder 20,0 MB, mere end grænsen på 10 MB for én transskription"
        " (hæv den med --max-size, hvis det virkelig er ét interview)"
    )
