"""The method section is true in every project state, in Danish and English, and never opens with a numeral."""

from __future__ import annotations

import re
from datetime import date

import pytest

from qualcode.models import Segment
from qualcode.report import collect
from qualcode.report.data import ReportScope
from qualcode.report.facts import Agreement, Coding, Material, Quoting, parse_date
from qualcode.report.method import about_coding, coding_sentences, material_sentences, quoting_sentences, scope_sentences
from report_helpers import INTERVIEWS, fake_redactor, make_project

BOOK = "»Barrierer og drivkræfter« (version 1.0)"


def report(p, **options):
    data = collect(p, redactor=fake_redactor(p), **options)
    return data, " ".join(data.method), " ".join(data.about_coding)


def no_sentence_opens_with_a_numeral(*texts: str) -> bool:
    return not any(re.search(r"(^|[.!?:]\s)\d", t) for t in texts)


def machine(p, doc: int, turn: int, code: str, status: str = "suggested", who: str | None = None) -> int:
    t = p.documents.turns(doc)[turn]
    coding = p.codings.add(doc, t.start, t.end, code, "qualcode", status="suggested", source="machine", score=0.6)
    if status != "suggested":
        p.codings.decide(coding, status, who)
    return coding


def sentence_per_turn(p) -> None:
    """One sentence segment per turn, so agreement has units to compare."""
    for doc_id in p.documents.ids():
        text = p.documents.get(doc_id).text
        p.documents.replace_segments(doc_id, [
            Segment(doc_id, t.index, "sentence", t.index, t.start, t.end, text[t.start:t.end], t.speaker, t.role, t.is_interviewer)
            for t in p.documents.turns(doc_id)])


# -- project states -------------------------------------------------------------------
def test_nothing_coded_yet():
    p = make_project(codings=[])
    data, method, about = report(p)
    assert f"Kodebogen er {BOOK}. Der er endnu ingen accepterede kodninger, så rapporten har endnu ingen optællinger eller citater." in method
    assert "kodet efter" not in method and "koder," not in method
    assert "Der er ikke brugt automatiske forslag." in about
    assert data.selected.empty
    p.close()


def test_only_suggestions_nobody_reviewed():
    p = make_project(codings=[])
    for doc, turn, code in ((1, 1, "driver.raaderum"), (2, 1, "barriere.oekonomi"), (3, 1, "driver.ildsjaele")):
        machine(p, doc, turn, code)
    _data, method, about = report(p)
    assert (f"Kodebogen er {BOOK}. Der foreligger indtil videre kun automatiske kodningsforslag, som ingen har gennemgået, "
            "så rapporten har endnu ingen optællinger eller citater.") in method
    assert ("Programmet foreslog tre kodninger ud fra kodebogens definitioner, nøgleord og eksempler og lærte af hver accept "
            "og afvisning. Af forslagene blev ingen accepteret og ingen afvist, mens tre ikke er gennemgået.") in about
    # Counting every status makes the suggestions the results, and the method says how preliminary they are.
    _data, method, _about = report(p, status=None)
    assert (f"Tabeller og citater bygger på automatiske kodningsforslag efter kodebogen {BOOK}, som ingen koder har "
            "gennemgået; resultaterne er foreløbige.") in method
    p.close()


def test_one_real_coder_who_accepted_suggestions():
    # The project: coder mette accepted nine suggestions, no gold, no human codings of her own.
    p = make_project(codings=[])
    turns = [(1, 1), (1, 3), (2, 1), (2, 3), (3, 1)]
    codes = ["driver.ledelsesopbakning", "barriere.maalstyring", "driver.tillid_relationer", "barriere.oekonomi",
             "driver.raaderum", "driver.ildsjaele", "barriere.revirkampe", "driver.faelles_maal", "barriere.tidspres"]
    for i, code in enumerate(codes):
        doc, turn = turns[i % len(turns)]
        machine(p, doc, turn, code, "accepted", "mette")
    machine(p, 1, 1, "barriere.driften", "rejected", "mette")
    machine(p, 2, 1, "barriere.uklart_ansvar")
    data, method, about = report(p)
    assert f"Interviewene er kodet efter kodebogen {BOOK} af én koder, mette." in method
    assert "Koderen fik automatiske forslag til kodninger og har accepteret eller afvist dem enkeltvis." in method
    assert "Kun kodninger, som en koder har lavet eller accepteret, indgår i tabeller og citater." in method
    assert "ingen kodere" not in method and "Enigheden" not in method  # one coder: no agreement to report
    assert "Af forslagene blev ni accepteret og ét afvist, mens ét ikke er gennemgået." in about
    assert len(data.selected) > 0
    assert no_sentence_opens_with_a_numeral(*data.method, *data.about_coding)
    p.close()


def test_two_coders_with_agreement():
    p = make_project(codings=[
        (0, 1, "driver.ledelsesopbakning", "anna", "accepted", "human"),
        (0, 3, "barriere.maalstyring", "anna", "accepted", "human"),
        (0, 1, "driver.ledelsesopbakning", "bo", "accepted", "human"),
        (0, 3, "barriere.oekonomi", "bo", "accepted", "human"),
    ])
    sentence_per_turn(p)
    _data, method, about = report(p)
    assert f"Interviewene er kodet efter kodebogen {BOOK} af to kodere: anna og bo." in method
    assert "Et tekststykke, som flere kodere har givet samme kode, tælles én gang." in method
    # 3 codes x 2 sentences = 6 yes/no decisions per coder, 4 of them agree.
    assert ("Enigheden mellem anna og bo er målt på de to sætninger, som de alle har kodet: "
            "Krippendorffs alfa er 0,31 (67 % enighed).") in method
    assert "Der er ikke brugt automatiske forslag." in about
    _data, method, _about = report(p, lang="en")
    assert "by two coders: anna and bo." in method
    assert "Krippendorff's alpha is 0.31 (67% agreement)." in method
    p.close()


def test_consensus_after_two_coders():
    from qualcode.agreement import record_consensus

    p = make_project(codings=[
        (0, 3, "barriere.maalstyring", "anna", "accepted", "human"),
        (0, 3, "barriere.oekonomi", "bo", "accepted", "human"),
    ])
    turn = p.documents.turns(1)[3]
    record_consensus(p, 1, turn.start, turn.end, ["barriere.maalstyring"], "anna")
    _data, method, _about = report(p)
    assert "Hvor koderne var uenige, er kodningen afgjort i fællesskab på et konsensusmøde." in method
    assert "af to kodere: anna og bo." in method
    p.close()


def test_a_reference_coding_is_described_as_what_it_is():
    p = make_project()
    note = "eksempelkodningen fra gold_codings.csv, brugt som menneskelig kodning i demoen"
    _data, method, _about = report(p, coder_notes={"gold": note})
    assert f"af én koder, gold ({note})." in method


def test_only_one_coders_codings():
    p = make_project(codings=[(0, 1, "driver.ledelsesopbakning", "anna", "accepted", "human"),
                              (1, 1, "driver.tillid_relationer", "bo", "accepted", "human")])
    data, method, _about = report(p, coder="anna")
    assert "af én koder, anna." in method and "Rapporten tæller kun kodningerne fra anna." in method
    assert set(data.quotes["coder"]) == {"anna"}
    p.close()


# -- the material -----------------------------------------------------------------------
def dated(dates, municipalities=("Fjordby Kommune", "Fjordby Kommune", "Hedelund Kommune")):
    return [(name, {**meta, "date": d, "municipality": m}, spec)
            for (name, meta, spec), d, m in zip(INTERVIEWS, dates, municipalities)]


@pytest.mark.parametrize(
    "dates, da, en",
    [
        (["2026-03-02", "2026-03-19", "2026-03-05"], "Interviewene er gennemført i marts 2026 i to kommuner (Kommune A og Kommune B).",
         "The interviews were conducted in March 2026 in two municipalities (Kommune A and Kommune B)."),
        (["2026-02-27", "2026-04-02", "3.3.2026"], "Interviewene er gennemført fra februar til april 2026 i to kommuner",
         "The interviews were conducted from February to April 2026 in two municipalities"),
        (["2025-11-20", "2026-01-15", ""], "Interviewene er gennemført fra november 2025 til januar 2026 i to kommuner",
         "The interviews were conducted from November 2025 to January 2026 in two municipalities"),
        (["", "ikke oplyst", ""], "Interviewene er gennemført i to kommuner (Kommune A og Kommune B).",
         "The interviews were conducted in two municipalities (Kommune A and Kommune B)."),
    ],
)
def test_period_and_municipalities_from_the_metadata(dates, da, en):
    p = make_project(interviews=dated(dates))
    assert da in report(p)[1]
    assert en in report(p, lang="en")[1]
    p.close()


def test_interviews_by_role_in_words():
    p = make_project()
    _data, method, _about = report(p)
    assert method.startswith("Analysen bygger på tre interviews med en direktør, en chef og en medarbejder. ")
    _data, method, _about = report(p, lang="en")
    assert method.startswith("The analysis is based on three interviews with one director, one head of department and one employee. ")
    p.close()


@pytest.mark.parametrize(
    "roles, da",
    [
        ({"chef": 1}, "Analysen bygger på ét interview med en chef."),  # "ét interview", "en chef"
        ({"chef": 4, "": 2}, "Analysen bygger på seks interviews med fire chefer og to interviewpersoner uden oplyst rolle."),
        ({"": 14}, "Analysen bygger på 14 interviews."),  # no roles in the metadata: no role list
        ({"leder": 1, "borger": 13}, "Analysen bygger på 14 interviews med en leder og 13 borgere."),
    ],
)
def test_material_sentences(roles, da):
    m = Material(interviews=sum(roles.values()), roles=roles)
    assert material_sentences(m, "da")[0] == da


def test_a_project_without_interviews():
    assert material_sentences(Material(0, {}), "da") == ["Projektet indeholder endnu ingen interviews."]
    assert material_sentences(Material(0, {}), "en") == ["The project has no interviews yet."]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-02", date(2026, 3, 2)),   # ISO, what metadata exports write
        ("2.3.2026", date(2026, 3, 2)),     # Danish day.month.year
        ("02-03-2026", date(2026, 3, 2)),
        ("2026-02-30", None),               # no such day
        ("marts", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# -- wording of the parts (pure functions of the facts) ---------------------------------------------
def test_agreement_on_one_sentence_is_singular():
    c = Coding("K", "1", ("a", "b"), 2, 1, agreement=Agreement(("a", "b"), 0.5, 0.75, 1))
    assert "målt på den sætning, som de alle har kodet" in " ".join(coding_sentences(c, "da"))
    assert "measured on the one sentence they all coded" in " ".join(coding_sentences(c, "en"))


@pytest.mark.parametrize(
    "machine, da",
    [
        ({"suggested": 2494}, "Af forslagene blev ingen accepteret og ingen afvist, mens 2.494 ikke er gennemgået."),
        ({"accepted": 1, "suggested": 1}, "Af forslagene blev ét accepteret og ingen afvist, mens ét ikke er gennemgået."),
        ({"accepted": 25, "rejected": 3}, "Af forslagene blev 25 accepteret og tre afvist."),
    ],
)
def test_suggestion_counts_never_open_a_sentence(machine, da):
    about = about_coding(Coding("K", "1", ("mette",), 1, 1, machine=machine), "da")[0]
    assert da in about
    assert no_sentence_opens_with_a_numeral(about)
    assert "Programmet foreslog" in about  # the tool's name never opens a sentence in lower case


def test_english_suggestion_counts_agree_in_number():
    about = about_coding(Coding("K", "1", ("mette",), 1, 1, machine={"accepted": 1, "rejected": 1, "suggested": 1}), "en")[0]
    assert "Of the suggestions, one was accepted and one rejected, while one has not been reviewed." in about
    about = about_coding(Coding("K", "1", ("mette",), 1, 1, machine={"accepted": 2}), "en")[0]
    assert "Of the suggestions, two were accepted and none rejected." in about


def test_quoting_sentences_follow_the_options():
    da = " ".join(quoting_sentences(Quoting(pseudonyms="role", repeats=True, with_participant=True), "da"))
    assert "erstattet af sin rolle i skarpe parenteser, fx [leder], eller af [navn]" in da
    assert "Et citat kan optræde under mere end én kode." in da
    assert "rolle og et deltagernummer" in da
    plain = " ".join(quoting_sentences(Quoting(anonymised=False, cleaned=False, widened=False), "da"))
    assert "Citaterne er IKKE anonymiseret og indeholder persondata." in plain
    assert "Fyldord" not in plain and "udvidet" not in plain
    assert "marked with \u201c…\u201d" in " ".join(quoting_sentences(Quoting(), "en"))


def test_scope_sentences():
    scope = ReportScope(codes=("barrierer",), roles=("chef", "leder"), documents=("02_chef_fjordby.txt",))
    assert scope_sentences(scope, ["Barrierer"], ["Interview 02"], "da") == [
        "Rapporten omfatter kun koden »Barrierer« og dens underkoder.",
        "Rapporten omfatter kun, hvad chefer og ledere har sagt.",
        "Rapporten omfatter kun interviewet Interview 02.",
    ]
    assert scope_sentences(ReportScope(), [], [], "da") == []
