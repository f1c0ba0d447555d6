"""Theme frequencies, crosstabs and the Danish wording of counts."""

from __future__ import annotations

import pytest

from qualcode.report import code_frequencies, crosstab, group_sizes, shortlist, quote_table, theme_frequencies
from qualcode.report.wording import count_phrase, join_words, roles_sentence
from report_helpers import fake_redactor, make_project


@pytest.fixture(scope="module")
def project():
    p = make_project()
    yield p
    p.close()


def test_every_code_gets_a_row_in_codebook_order(project):
    table = code_frequencies(project)
    codebook = project.codebook.current()
    assert list(table["code"]) == list(codebook.ids())
    assert list(table.columns) == ["theme", "code", "code_name", "level", "segments", "documents", "participants", "participants_pct", "N"]
    assert set(table["N"]) == {3}


def test_counts_are_distinct_segments(project):
    table = code_frequencies(project).set_index("code")
    accepted = project.codings.query(status="accepted")
    spans = {(c.document_id, c.start, c.end) for c in accepted}
    # Seven accepted codings on five distinct passages: a passage coded with two sub-codes
    # is one segment of its theme, not two (the 448 barrier "segments" were 425).
    assert len(accepted) == 7 and len(spans) == 5
    assert table.loc["barrierer", "segments"] + table.loc["drivkraefter", "segments"] == len(spans)
    assert table.loc["driver.ledelsesopbakning", ["segments", "documents", "participants"]].tolist() == [2, 2, 2]
    assert table.loc["driver.ledelsesopbakning", "participants_pct"] == 66.7
    # maalstyring (gold) and revirkampe (accepted suggestion) share one passage of interview 1.
    assert table.loc["barrierer", ["segments", "documents", "participants"]].tolist() == [2, 2, 2]
    # raaderum and ledelsesopbakning share the passage of interview 3.
    assert table.loc["drivkraefter", ["segments", "participants", "participants_pct"]].tolist() == [3, 3, 100.0]
    # Rejected and open suggestions are not counted.
    assert table.loc["driver.ildsjaele", "segments"] == 0


def test_two_coders_on_one_passage_count_once():
    p = make_project(codings=[(0, 1, "driver.ledelsesopbakning", "anna", "accepted", "human"),
                              (0, 1, "driver.ledelsesopbakning", "bo", "accepted", "human")])
    table = code_frequencies(p).set_index("code")
    assert table.loc["driver.ledelsesopbakning", "segments"] == table.loc["drivkraefter", "segments"] == 1
    p.close()


def test_theme_frequencies_are_barrier_vs_driver(project):
    themes = theme_frequencies(project)
    assert list(themes["code"]) == ["barrierer", "drivkraefter"]
    assert list(themes["participants"]) == [2, 3]


def test_counting_all_statuses_includes_suggestions(project):
    table = code_frequencies(project, status=None).set_index("code")
    assert table.loc["driver.ildsjaele", "segments"] == 1
    assert table.loc["barriere.maalstyring", "segments"] == 2


def test_crosstab_by_role_has_every_role_and_a_total(project):
    table = crosstab(project, "role")
    assert list(table.columns) == ["code_name", "level", "direktør", "chef", "medarbejder", "I alt"]
    assert table.loc["driver.ledelsesopbakning", ["direktør", "chef", "medarbejder", "I alt"]].tolist() == [1, 0, 1, 2]
    assert table.loc["drivkraefter", "I alt"] == 3


def test_crosstab_by_municipality_uses_pseudonyms_when_asked(project):
    redactor = fake_redactor(project)
    table = crosstab(project, "municipality", rename=redactor.municipality, level=0)
    assert list(table.columns) == ["code_name", "level", "Kommune A", "Kommune B", "I alt"]
    assert table.loc["barrierer", ["Kommune A", "Kommune B"]].tolist() == [2, 0]
    assert list(table.index) == ["barrierer", "drivkraefter"]


def test_crosstab_rejects_other_groupings(project):
    with pytest.raises(ValueError, match="crosstab by 'department': use 'role' or 'municipality'"):
        crosstab(project, "department")


def test_group_sizes(project):
    assert group_sizes(project, "role") == {"direktør": 1, "chef": 1, "medarbejder": 1}


@pytest.mark.parametrize(
    "counts, da, en",
    [
        ({"direktør": 3, "chef": 4, "leder": 6, "medarbejder": 5}, "3 direktører, 4 chefer, 6 ledere og 5 medarbejdere",
         "3 directors, 4 heads of department, 6 managers and 5 employees"),
        ({"chef": 1}, "1 chef", "1 head of department"),  # singular
        ({"borger": 2, "frivillig": 1}, "1 frivillig og 2 borgere", "1 volunteer and 2 citizens"),  # senior roles first
        ({"medarbejder": 1, "direktør": 1}, "1 direktør og 1 medarbejder", "1 director and 1 employee"),
    ],
)
def test_roles_sentence_has_plurals_and_og(counts, da, en):
    assert roles_sentence(counts, "da") == da
    assert roles_sentence(counts, "en") == en


@pytest.mark.parametrize(
    "counts, da, en",
    [
        ({"direktør": 3, "chef": 4}, "tre direktører og fire chefer", "three directors and four heads of department"),
        ({"direktør": 1, "frivillig": 1}, "en direktør og en frivillig", "one director and one volunteer"),  # "en", common gender
        ({"leder": 13, "borger": 12}, "13 ledere og tolv borgere", "13 managers and twelve citizens"),  # words up to twelve
        ({"medarbejder": 1500}, "1.500 medarbejdere", "1,500 employees"),  # thousands separator by language
    ],
)
def test_roles_in_words_as_reports_write_them(counts, da, en):
    assert roles_sentence(counts, "da", words=True) == da
    assert roles_sentence(counts, "en", words=True) == en


def test_wording_helpers():
    assert count_phrase(2, "frivillig") == "2 frivillige"
    assert count_phrase(1, "frivillig", "da", words=True) == "en frivillig"
    assert join_words(["a"]) == "a"
    assert join_words([]) == ""


def test_shortlist_prefers_human_codings_and_spreads_participants():
    p = make_project(
        codings=[
            (0, 1, "driver.ledelsesopbakning", "qualcode", "accepted", "machine"),
            (0, 3, "driver.ledelsesopbakning", "gold", "accepted", "human"),
            (1, 1, "driver.ledelsesopbakning", "gold", "accepted", "human"),
            (1, 3, "driver.ledelsesopbakning", "gold", "accepted", "human"),
            (2, 1, "driver.ledelsesopbakning", "gold", "accepted", "human"),
        ]
    )
    quotes = quote_table(p, redactor=fake_redactor(p))
    short = shortlist(quotes, per_code=3, max_per_participant=1)
    # Human codings first, one per participant, three roles.
    assert list(short["rank"]) == [1, 2, 3]
    assert list(short["source"]) == ["human"] * 3
    assert sorted(short["participant"]) == ["IP1", "IP2", "IP3"]
    # Allowing two per participant fills up with a human quote before the machine one.
    two = shortlist(quotes, per_code=5, max_per_participant=2)
    assert list(two["source"]) == ["human"] * 4 + ["machine"]
    p.close()


def test_shortlist_prefers_readable_length():
    from qualcode.report.selection import readability

    assert readability(30) == 1.0
    assert readability(6) == 0.5
    assert readability(90) == 0.5


def test_shortlist_spreads_over_roles_before_repeating_one():
    p = make_project(
        codings=[
            (0, 1, "driver.ledelsesopbakning", "gold", "accepted", "human"),  # direktør
            (0, 3, "driver.ledelsesopbakning", "gold", "accepted", "human"),  # direktør again
            (2, 1, "driver.ledelsesopbakning", "gold", "accepted", "human"),  # medarbejder
        ]
    )
    quotes = quote_table(p, redactor=fake_redactor(p))
    short = shortlist(quotes, per_code=2, max_per_participant=2)
    assert list(short["role"]) == ["direktør", "medarbejder"]
    p.close()


def test_a_coded_interviewer_question_is_not_counted_or_quoted():
    p = make_project(codings=[(0, 2, "barriere.maalstyring", "gold", "accepted", "human"), (0, 3, "barriere.maalstyring", "gold", "accepted", "human")])
    table = code_frequencies(p).set_index("code")
    assert table.loc["barriere.maalstyring", "segments"] == 1
    assert list(quote_table(p, redactor=fake_redactor(p))["role"]) == ["direktør"]
    assert list(quote_table(p, redactor=fake_redactor(p), include_interviewer=True)["role"]) == ["interviewer", "direktør"]
    p.close()
