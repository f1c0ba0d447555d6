"""The anonymiser API: spans, slicing, consistency, the key, the register, projects, no network."""

from __future__ import annotations

import dataclasses
import json
import socket

import pytest

from qualcode.anonymise import AnonymisedText, Anonymiser, PiiSpan, Register, load_register
from qualcode.anonymise.key import ensure_outside
from qualcode.errors import InputError

DOC1 = "Mette: Jeg arbejder i Hedelund Kommune sammen med Søren Kjær. Ring til mig på 23 45 67 89."
DOC2 = "Søren: Mette og jeg. Kjær er mit efternavn, og Hedelunds borgmester kender os."


def test_pii_span_is_frozen_and_validated():
    span = PiiSpan(0, 5, "PERSON", 0.9, "gazetteer", "Mette", "person:mette")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    with pytest.raises(ValueError, match="unknown PII type 'NAME'"):
        PiiSpan(0, 5, "NAME", 0.9, "x", "Mette")
    with pytest.raises(ValueError, match="bad span offsets 5..5"):
        PiiSpan(5, 5, "PERSON", 0.9, "x", "")


def test_detect_returns_resolved_spans_that_slice_back_to_the_text():
    text = "Mette Kjær fra Vordingborg Kommune: ring på 23 45 67 89 eller mette@vordingborg.dk."
    spans = Anonymiser().detect(text)
    assert [(s.start, s.end, s.type, s.source, s.entity) for s in spans] == [
        (0, 10, "PERSON", "gazetteer", "person:mette kjær"),
        (15, 34, "PLACE", "places", "kommune:vordingborg"),
        (44, 55, "PHONE", "phone", None),
        (62, 82, "EMAIL", "email", None),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_anonymise_records_every_replacement_with_old_and_new_offsets():
    result = Anonymiser().anonymise("Hej Mette, ring 23 45 67 89.")
    assert result.text == "Hej [Person 1], ring [Telefon]."
    assert [(r.start, r.end, r.new_start, r.new_end, r.type, r.original, r.replacement, r.source) for r in result.replacements] == [
        (4, 9, 4, 14, "PERSON", "Mette", "[Person 1]", "gazetteer"),
        (16, 27, 21, 30, "PHONE", "23 45 67 89", "[Telefon]", "phone"),
    ]
    for r in result.replacements:
        assert result.original[r.start : r.end] == r.original
        assert result.text[r.new_start : r.new_end] == r.replacement


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (0, 3, "Hej"),  # before any replacement
        (0, 9, "Hej [Person 1]"),  # ends exactly at a replacement's end
        (6, 15, "[Person 1], ring"),  # starts inside "Mette": the whole pseudonym, never "tte"
        (11, 20, "ring [Telefon]"),  # ends inside the phone number
        (28, 28, ""),  # empty slice at the end
        (10, 28, " ring [Telefon]."),
    ],
)
def test_slice_maps_original_offsets_and_includes_straddling_replacements(start, end, expected):
    result = Anonymiser().anonymise("Hej Mette, ring 23 45 67 89.")
    assert result.slice(start, end) == expected


def test_slice_outside_the_text_is_refused():
    result = Anonymiser().anonymise("Hej Mette.")
    with pytest.raises(ValueError, match=r"slice 2..99 is outside the text \(length 10\)"):
        result.slice(2, 99)


def test_same_entity_gets_the_same_pseudonym_across_documents():
    anonymiser = Anonymiser(metadata=[{"speaker": "Mette"}, {"speaker": "Søren"}])
    anonymiser.learn([DOC1, DOC2])
    one = anonymiser.anonymise(DOC1).text
    two = anonymiser.anonymise(DOC2).text
    assert one == "[Person 1]: Jeg arbejder i [Kommune A] sammen med [Person 2]. Ring til mig på [Telefon]."
    # The participant known only as "Søren" is the one "Søren Kjær" in the texts,
    # and "Kjær" alone is him again.
    assert two == "[Person 2]: [Person 1] og jeg. [Person 2] er mit efternavn, og [Kommune A]s borgmester kender os."


def test_a_second_full_name_with_a_participants_first_name_is_another_person():
    anonymiser = Anonymiser(metadata=[{"speaker": "Søren"}])
    text = "Søren: Søren Kjær og Søren Bech er to forskellige."
    assert anonymiser.anonymise(text).text == "[Person 1]: [Person 1] og [Person 2] er to forskellige."


def test_key_file_keeps_pseudonyms_between_runs(tmp_path):
    key = tmp_path / "studie.pseudonyms.json"
    first = Anonymiser(key_path=key)
    assert first.anonymise("Vi talte med Tove og Vordingborg Kommune.").text == "Vi talte med [Person 1] og [Kommune A]."
    data = json.loads(key.read_text(encoding="utf-8"))
    assert data["format"] == "qualcode-pseudonym-key"
    assert [(e["key"], e["number"], e["name"]) for e in data["entities"]] == [
        ("kommune:vordingborg", 1, "Vordingborg"), ("person:tove", 1, "Tove"),
    ]
    second = Anonymiser(key_path=key)
    assert second.anonymise("Herning Kommune, Vordingborg og Tove.").text == "[Kommune B], [Kommune A] og [Person 1]."


def test_key_must_not_live_in_the_export_folder(tmp_path):
    with pytest.raises(InputError, match="pseudonymnøglen må ikke ligge i eksportmappen"):
        ensure_outside(tmp_path / "export" / "key.json", tmp_path / "export")
    ensure_outside(tmp_path / "key.json", tmp_path / "export")


def test_broken_key_file_names_the_file(tmp_path):
    key = tmp_path / "k.json"
    key.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        Anonymiser(key_path=key)
    assert str(exc.value) == f'{key}: er ikke en qualcode-pseudonymnøgle (mangler "format": "qualcode-pseudonym-key")'


def test_register_from_yaml_and_csv(tmp_path):
    yaml_path = tmp_path / "r.yaml"
    yaml_path.write_text(
        "people:\n  - name: Søren Sønderby Kjær\n    aliases: [SSK]\n    gender: m\n    role: kommunaldirektør\n"
        "places:\n  - name: Nyråd\n  - {name: Fjordby, kind: kommune}\n"
        "organisations:\n  - Café Paraplyen\nkeep: [Mark]\n",
        encoding="utf-8",
    )
    register = load_register(yaml_path)
    assert [(e.key, e.aliases, e.gender, e.role) for e in register.entities] == [
        ("person:søren sønderby kjær", ("SSK", "Søren", "Kjær"), "m", "kommunaldirektør"),
        ("place:nyråd", (), None, None),
        ("kommune:fjordby", (), None, None),
        ("org:café paraplyen", (), None, None),
    ]
    assert register.keep == frozenset({"Mark"})
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("type,name,aliases,gender,role\nperson,Søren Kjær,SK;Sørens,m,\nkeep,Bo,,,\n", encoding="utf-8")
    register = load_register(csv_path)
    assert [(e.key, e.aliases) for e in register.entities] == [("person:søren kjær", ("SK", "Sørens", "Søren", "Kjær"))]
    assert register.keep == frozenset({"Bo"})


@pytest.mark.parametrize(
    "content, message",
    [
        # the entry's line is named where the file gives one
        ("people: [{aliases: [x]}]\n", ":1: people[1]: each entry needs a 'name'"),
        ("persons: []\n", ": unknown section(s): persons (expected people, places, organisations, keep)"),
        ("people:\n  - name: A B\n    gender: x\n", ":2: people[1]: gender must be 'm' or 'f', not 'x'"),
        ("- a\n", ": must be a mapping with the sections people, places, organisations, keep"),
        ("people:\n  - name: Søren\n    aliases: 7\n", ":2: people[1]: 'aliases' must be a list of names (or names separated by ';')"),
        ("people: Søren\n", ":1: 'people' must be a list of entries"),
    ],
)
def test_register_errors_name_the_file_and_entry(tmp_path, content, message, english):
    path = tmp_path / "r.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_register(path)
    assert str(exc.value) == f"{path}{message}"


@pytest.mark.parametrize(
    "content, message",
    [
        # the same problems in Danish, the default language of every message
        ("people: [{aliases: [x]}]\n", ":1: people[1]: hver post skal have et 'name'"),
        ("persons: []\n", ": ukendt(e) afsnit: persons (forventede people, places, organisations, keep)"),
        ("people:\n  - name: A B\n    gender: x\n", ":2: people[1]: gender skal være 'm' eller 'f', ikke 'x'"),
        ("people: [Søren\n", ":2: er ikke gyldig YAML: i en liste i [ ]: forventede ',' eller ']', fandt '<stream end>'"),
    ],
)
def test_register_errors_in_danish(tmp_path, content, message):
    path = tmp_path / "r.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_register(path)
    assert str(exc.value) == f"{path}{message}"


def test_participants_become_people_and_municipalities():
    register = Register.from_participants(
        [
            {"speaker": "IP3", "title": "leder", "municipality": "Hedelund Kommune", "interviewer": "I"},
            {"speaker": "Jonas", "title": "jobkonsulent", "interviewer": "Anne"},
            {"speaker": "Malene Skov", "interviewer": "Anne Winther"},
        ]
    )
    assert [(e.key, e.aliases, e.role) for e in register.entities] == [
        ("kommune:hedelund", (), None),
        ("person:jonas", (), "jobkonsulent"),
        ("person:anne winther", ("Anne", "Winther"), "interviewer"),
        ("person:malene skov", ("Malene", "Skov"), None),
    ]


def test_for_project_uses_speakers_and_metadata_and_writes_the_key_beside_the_project(tmp_path):
    from qualcode import Project, import_files

    (tmp_path / "a.txt").write_text("I: Hvem er du?\nMette: Jeg hedder Mette og er fra Hedelund.\nI: Tak.\nMette: Selv tak.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("I: Og du?\nJonas: Jeg arbejder med Mette i Hedelund Kommune.\nI: Tak.\nJonas: Ja.\n", encoding="utf-8")
    (tmp_path / "meta.csv").write_text(
        "file,participant_id,speaker,role,title,municipality,interviewer\n"
        "a.txt,P1,Mette,leder,afdelingsleder,Hedelund Kommune,I\n"
        "b.txt,P2,Jonas,medarbejder,jobkonsulent,Hedelund Kommune,I\n",
        encoding="utf-8",
    )
    with Project.open(tmp_path / "studie.qcp") as project:
        import_files(project, [tmp_path / "a.txt", tmp_path / "b.txt"], metadata_csv=tmp_path / "meta.csv", progress=False)
        anonymiser = Anonymiser.for_project(project, operator="role")
        a, b = (anonymiser.anonymise_document(d) for d in project.documents.all())
    assert a.text == "I: Hvem er du?\n[afdelingslederen]: Jeg hedder [afdelingslederen] og er fra [Kommune A].\nI: Tak.\n[afdelingslederen]: Selv tak."
    assert b.text == "I: Og du?\n[jobkonsulenten]: Jeg arbejder med [afdelingslederen] i [Kommune A].\nI: Tak.\n[jobkonsulenten]: Ja."
    assert (tmp_path / "studie.pseudonyms.json").exists()
    assert isinstance(a, AnonymisedText)


def test_whole_anonymisation_runs_without_network(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise RuntimeError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for operator in ("tag", "role", "surrogate", "redact"):
        anonymiser = Anonymiser(operator=operator, metadata=[{"speaker": "Tina Mark", "title": "borger"}],
                                key_path=tmp_path / f"{operator}.json", use_ner=None)
        result = anonymiser.anonymise(
            "Tina Mark: Min sagsbehandler Birgitte ringede fra Jobcenter Vordingborg på 23 45 67 89; "
            "mit cpr er 120385-1234, jeg bor på Ahornvej 3, 4700 Næstved, se www.vordingborg.dk."
        )
        assert "Birgitte" not in result.text and "120385" not in result.text and "Vordingborg" not in result.text
    assert Anonymiser(operator="tag").anonymise("Ring 23 45 67 89.").text == "Ring [Telefon]."


def test_strict_mode_masks_candidates_and_their_other_mentions():
    text = "Vi mødte Qwelin i går. Qwelin var glad."
    normal = Anonymiser().anonymise(text)
    assert normal.text == text
    assert [(c.text, c.start) for c in normal.review] == [("Qwelin", 9)]
    strict = Anonymiser(strict=True).anonymise(text)
    assert strict.text == "Vi mødte [Person 1] i går. [Person 1] var glad."
    assert [(r.original, r.source) for r in strict.replacements] == [("Qwelin", "review"), ("Qwelin", "strict")]


def test_fixed_labels_in_english_and_redaction():
    text = "Ring 23 45 67 89, skriv ib@x.dk, cpr 120385-1234, Ahornvej 3, 4700 Næstved, www.x.dk."
    assert Anonymiser(lang="en").anonymise(text).text == (
        "Ring [Phone], skriv [Email], cpr [CPR number], [Address], [Web address]."
    )
    assert Anonymiser(operator="redact", lang="en").anonymise("Hej Mette.").text == "Hej [redacted]."


def test_save_key_needs_a_path(tmp_path):
    anonymiser = Anonymiser()
    anonymiser.anonymise("Hej Mette.")
    with pytest.raises(ValueError, match="no key path: pass key_path to the Anonymiser or a path to save_key"):
        anonymiser.save_key()
    path = anonymiser.save_key(tmp_path / "k.json")
    assert [e["key"] for e in json.loads(path.read_text(encoding="utf-8"))["entities"]] == ["person:mette"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("r.csv", "type,name\nplanet,Mars\n", "r.csv:2: unknown type 'planet' (use person, place, kommune, org or keep)"),
        ("r.csv", "name\nMette\n", "r.csv:1: needs the columns type and name (found: name)"),
        ("r.txt", "x", "r.txt: a register must be a .yaml, .yml or .csv file"),
    ],
)
def test_register_file_errors(tmp_path, name, content, message, english):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_register(path)
    assert str(exc.value) == f"{tmp_path}/{message}"


def test_missing_register_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as exc:
        load_register(tmp_path / "nope.yaml")
    assert str(exc.value) == f"{tmp_path / 'nope.yaml'}: registerfilen findes ikke"


@pytest.mark.parametrize(
    "spans, expected",
    [
        # Partial overlap: the more certain finding wins.
        ([(0, 5, "PERSON", 0.8), (3, 9, "PLACE", 0.9)], [(3, 9, "PLACE")]),
        # A longer finding wins over a more certain one inside it (address over its town).
        ([(0, 20, "ADDRESS", 0.93), (14, 20, "PLACE", 0.95)], [(0, 20, "ADDRESS")]),
        # ... unless the longer one is a weak guess.
        ([(0, 20, "PERSON", 0.3), (14, 20, "PLACE", 0.95)], [(14, 20, "PLACE")]),
        # Equal scores: the longer span.
        ([(0, 4, "PERSON", 0.9), (0, 10, "PERSON", 0.9)], [(0, 10, "PERSON")]),
        # Separate spans are all kept, in text order.
        ([(12, 14, "PHONE", 0.9), (0, 4, "PERSON", 0.5)], [(0, 4, "PERSON"), (12, 14, "PHONE")]),
    ],
)
def test_resolve_keeps_one_non_overlapping_set(spans, expected):
    from qualcode.anonymise.spans import resolve

    found = resolve(PiiSpan(s, e, t, score, "x", "x" * (e - s)) for s, e, t, score in spans)
    assert [(s.start, s.end, s.type) for s in found] == expected


def test_the_pseudonym_key_is_written_for_its_owner_only(tmp_path):
    import stat

    from qualcode.anonymise.key import PseudonymKey

    path = tmp_path / "studie.pseudonyms.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)  # an older key, readable by everyone: rewriting it makes it private
    key = PseudonymKey()
    key.entry("person:mette hansen", "Mette Hansen")
    key.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert PseudonymKey(path).get("person:mette hansen").name == "Mette Hansen"
    assert [p.name for p in tmp_path.iterdir()] == ["studie.pseudonyms.json"]  # no temporary file left
