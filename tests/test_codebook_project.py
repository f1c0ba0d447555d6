"""A codebook in a project: versions, apply with dry run, refinement with a changelog."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from qualcode import Project, Transcript, Turn
from qualcode.cli.main import cli
from qualcode.codebook import Code, Codebook
from qualcode.codebook.serialize import dump_codebook
from qualcode.errors import ProjectError, UnknownCodeError
from qualcode.i18n import use_language

# Every test that uses `project` runs on SQLite and on PostgreSQL.
pytestmark = pytest.mark.backends

TEXT = (
    "I: Hvad gør samarbejdet svært?\n"
    "IP: Vi har ikke tid. Budgettet er skåret ned. Driften æder alt.\n"
    "I: Hvad hjælper så?\n"
    "IP: Ildsjælene. Topledelsen bakker op."
)


def transcript() -> Transcript:
    turns, start = [], 0
    for index, line in enumerate(TEXT.split("\n")):
        label, _, _ = line.partition(": ")
        begin = start + len(label) + 2
        turns.append(Turn(index, label, begin, start + len(line), is_interviewer=label == "I", participant_id=None if label == "I" else "P07"))
        start += len(line) + 1
    return Transcript("interview_07", "interview_07.txt", "txt", TEXT, tuple(turns), {"participant_id": "P07", "role": "leder"})


def span(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


V1 = Codebook(
    "Test", "1", "da", "Testkodebog",
    (
        Code("barrierer", "Barrierer", None),
        Code("b.tid", "Tidspres", "barrierer", definition="Mangel på tid.", keywords=("ikke tid",)),
        Code("b.budget", "Budget", "barrierer"),
        Code("b.drift", "Driften", "barrierer"),
        Code("drivkraefter", "Drivkræfter", None),
        Code("d.ildsjael", "Ildsjæle", "drivkraefter"),
        Code("d.ledelse", "Ledelse", "drivkraefter"),
    ),
)


@pytest.fixture
def project():
    p = Project.in_memory()
    p.documents.add(transcript())
    p.codebook.apply(V1, "anna", source="v1.yaml")
    yield p
    p.close()


def doc_id(project) -> int:
    return project.documents.ids()[0]


def code(project, text: str, code_id: str, coder: str = "anna", status: str = "accepted") -> int:
    start, end = span(text)
    return project.codings.add(doc_id(project), start, end, code_id, coder, status=status)


def ops(project, code_id=None) -> list[tuple]:
    return [(c.operation, c.code_id, c.changed_by) for c in project.codebook.changes(code_id)]


# -- apply and current ------------------------------------------------------------
def test_apply_stores_a_snapshot_and_current_returns_the_codebook(project):
    assert project.codebook.current() == V1
    assert project.codebook.current().theme_of("d.ledelse") == "drivkraefter"
    [version] = project.codebook.versions()
    assert (version.id, version.name, version.version, version.source, version.added_by) == (1, "Test", "1", "v1.yaml", "anna")
    assert project.codebook.snapshot(1) == V1
    assert ops(project)[-1] == ("apply", None, "anna")
    assert [o for o in ops(project) if o[0] == "add"] == [("add", c.id, "anna") for c in V1.codes]


def test_empty_project_has_an_empty_codebook():
    with Project.in_memory() as p:
        assert p.codebook.current() == Codebook("", "", "da", "", ())


def v2() -> Codebook:
    codes = {c.id: c for c in V1.codes}
    return dataclasses.replace(
        V1,
        version="2",
        codes=(
            codes["barrierer"],
            dataclasses.replace(codes["b.tid"], name="Tidsmangel", definition="For lidt tid.", keywords=("ikke tid", "travlhed")),
            codes["b.budget"],
            codes["drivkraefter"],
            codes["d.ildsjael"],
            Code("d.ressourcer", "Ressourcer", "drivkraefter"),
            dataclasses.replace(codes["d.ledelse"], parent_id="barrierer"),
        ),
    )


def test_dry_run_shows_what_would_change_and_writes_nothing(project):
    code(project, "Driften æder alt.", "b.drift")
    code(project, "Driften æder alt.", "b.drift", coder="bo")
    before = len(project.codebook.changes())
    plan = project.codebook.plan(v2())
    assert plan.dry_run and plan.version_id is None
    assert [c.id for c in plan.diff.added] == ["d.ressourcer"]
    assert [c.id for c in plan.diff.removed] == ["b.drift"]
    assert plan.diff.renamed == (("b.tid", "Tidspres", "Tidsmangel"),)
    assert plan.diff.moved == (("d.ledelse", "drivkraefter", "barrierer"),)
    assert [(c.code_id, c.field) for c in plan.diff.changed] == [("b.tid", "definition"), ("b.tid", "keywords")]
    assert dict(plan.codings_on_removed) == {"b.drift": 2}
    assert len(project.codebook.changes()) == before
    assert project.codebook.current() == V1


def test_applying_a_new_version_migrates_by_id_and_keeps_codings_of_removed_codes(project):
    tid = code(project, "Vi har ikke tid.", "b.tid")
    drift = code(project, "Driften æder alt.", "b.drift")
    plan = project.codebook.apply(v2(), "bo")
    assert plan.version_id == 2
    current = project.codebook.current()
    assert current == dataclasses.replace(v2(), codes=current.codes) and current.ids() == (
        "barrierer", "b.tid", "b.budget", "d.ledelse", "drivkraefter", "d.ildsjael", "d.ressourcer",
    )
    assert current.get("b.tid").name == "Tidsmangel"
    assert project.codings.get(tid).code_id == "b.tid"  # same id: the coding follows the renamed code
    assert project.codings.get(drift).code_id == "b.drift"  # retired code: coding kept
    assert project.codebook.status("b.drift") == "retired"
    assert "b.drift" in project.codebook.current(include_retired=True)
    new_ops = [(c.operation, c.code_id) for c in project.codebook.changes() if c.details.get("version_id") == 2]
    assert new_ops == [
        ("rename", "b.tid"), ("update", "b.tid"), ("add", "d.ressourcer"), ("move", "d.ledelse"), ("retire", "b.drift"), ("apply", None),
    ]
    update = project.codebook.changes("b.tid")[-1]
    assert update.details["keywords"] == {"from": ["ikke tid"], "to": ["ikke tid", "travlhed"]}
    assert update.changed_by == "bo"
    # Re-applying version 1 brings the retired code back with its coding.
    again = project.codebook.apply(V1, "anna")
    assert again.reactivated == ("b.drift",)
    assert project.codebook.current() == V1


def test_apply_rejects_an_inconsistent_codebook(project):
    broken = dataclasses.replace(V1, codes=(Code("x", "X", "mangler"),))
    with pytest.raises(ProjectError, match=r"^kodebogen »Test«: koden »x« står før sin overkode »mangler«$"):
        project.codebook.apply(broken, "anna")


# -- refinement ---------------------------------------------------------------------
def test_rename_is_logged_with_who_and_when(project):
    project.codebook.rename("b.tid", "Tidsmangel", "bo")
    assert project.codebook.current().get("b.tid").name == "Tidsmangel"
    [change] = [c for c in project.codebook.changes("b.tid") if c.operation == "rename"]
    assert (change.details, change.changed_by) == ({"from": "Tidspres", "to": "Tidsmangel"}, "bo")
    assert change.changed_at.endswith("+00:00")


REFINEMENT_ERRORS = [
    # (what is tried, error, the English message, the Danish one)
    (lambda cb: cb.rename("nope", "X", "a"), UnknownCodeError,
     "no code “nope” in the project's codebook", "projektets kodebog har ingen kode »nope«"),
    (lambda cb: cb.rename("b.tid", "Tidspres", "a"), ProjectError,
     "code “b.tid” is already named “Tidspres”", "koden »b.tid« hedder allerede »Tidspres«"),
    (lambda cb: cb.rename("b.tid", "  ", "a"), ProjectError,
     "code “b.tid”: the new name is empty", "koden »b.tid«: det nye navn er tomt"),
    (lambda cb: cb.move("barrierer", "b.tid", "a"), ProjectError,
     "code “barrierer” cannot be moved under itself or its own sub-code “b.tid”",
     "koden »barrierer« kan ikke flyttes ind under sig selv eller sin egen underkode »b.tid«"),
    (lambda cb: cb.move("b.tid", "barrierer", "a"), ProjectError,
     "code “b.tid” is already under “barrierer”", "koden »b.tid« ligger allerede under »barrierer«"),
    (lambda cb: cb.move("barrierer", None, "a"), ProjectError,
     "code “barrierer” is already at the top level", "koden »barrierer« ligger allerede på øverste niveau"),
    (lambda cb: cb.merge("b.tid", "b.tid", "a"), ProjectError,
     "cannot merge code “b.tid” into itself", "koden »b.tid« kan ikke lægges sammen med sig selv"),
    (lambda cb: cb.merge("barrierer", "b.tid", "a"), ProjectError,
     "cannot merge code “barrierer” into its own sub-code “b.tid”",
     "koden »barrierer« kan ikke lægges sammen med sin egen underkode »b.tid«"),
    (lambda cb: cb.retire("barrierer", "a"), ProjectError,
     "code “barrierer” has active sub-codes (b.tid, b.budget, b.drift): move, merge or retire them first",
     "koden »barrierer« har aktive underkoder (b.tid, b.budget, b.drift): flyt dem, læg dem sammen eller lad dem udgå først"),
    (lambda cb: cb.split("b.tid", [Code("b.budget", "B", "barrierer")], "a"), ProjectError,
     "code “b.budget” already exists: choose a new id for each part of the split",
     "koden »b.budget« findes allerede: giv hver del af opdelingen et nyt id"),
    (lambda cb: cb.split("b.tid", [Code("b.tid.a", "A", "b.tid")], "a"), ProjectError,
     "code “b.tid” cannot be retired while new code “b.tid.a” is placed under it",
     "koden »b.tid« kan ikke udgå, mens den nye kode »b.tid.a« ligger under den"),
]


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize("call, error, english, danish", REFINEMENT_ERRORS)
def test_refinement_errors(project, call, error, english, danish, lang):
    before = len(project.codebook.changes())
    with use_language(lang), pytest.raises(error) as info:
        call(project.codebook)
    assert str(info.value) == (english if lang == "en" else danish)
    assert len(project.codebook.changes()) == before  # nothing half-done


def test_move_to_another_parent_and_to_the_top(project):
    project.codebook.move("d.ledelse", "barrierer", "anna")
    assert project.codebook.current().path("d.ledelse") == ("barrierer", "d.ledelse")
    project.codebook.move("d.ledelse", None, "anna")
    assert project.codebook.current().theme_of("d.ledelse") == "d.ledelse"
    assert [c.details for c in project.codebook.changes("d.ledelse") if c.operation == "move"] == [
        {"from": "drivkraefter", "to": "barrierer"}, {"from": "barrierer", "to": None},
    ]


def test_merge_recodes_and_supersedes_duplicates_without_deleting(project):
    project.codebook.apply(dataclasses.replace(V1, codes=V1.codes + (Code("b.drift.hverdag", "Hverdag", "b.drift"),)), "anna")
    # anna coded the same sentence with both codes: after the merge one is extra
    a_same = code(project, "Vi har ikke tid.", "b.drift")
    b_same = code(project, "Vi har ikke tid.", "b.tid")
    # the machine's suggestion on B loses against anna's accepted coding from A
    a_accepted = code(project, "Driften æder alt.", "b.drift")
    b_suggested = code(project, "Driften æder alt.", "b.tid", status="suggested")
    # another coder on the same span is not a duplicate
    a_bo = code(project, "Driften æder alt.", "b.drift", coder="bo")
    all_before = len(project.codings.query())

    result = project.codebook.merge("b.drift", "b.tid", "carl")

    assert result.recoded == (a_same, a_accepted, a_bo)
    assert result.superseded == tuple(sorted((a_same, b_suggested)))
    assert result.moved_children == ("b.drift.hverdag",)
    assert len(project.codings.query()) == all_before  # nothing deleted
    assert {c.id: c.status for c in project.codings.query(code_id="b.tid")} == {
        a_same: "superseded", b_same: "accepted", a_accepted: "accepted", b_suggested: "superseded", a_bo: "accepted",
    }
    assert project.codings.query(code_id="b.drift") == []
    assert project.codebook.status("b.drift") == "retired"
    assert project.codebook.current().get("b.drift.hverdag").parent_id == "b.tid"
    actions = [(e["action"], e["actor"], e["details"]) for e in project.codings.events(a_same)]
    assert actions[1:] == [
        ("merge", "carl", {"from": "b.drift", "to": "b.tid"}),
        ("merge_duplicate", "carl", {"from": "accepted", "to": "superseded"}),
    ]
    [merge] = [c for c in project.codebook.changes("b.drift") if c.operation == "merge"]
    assert merge.details == {"into": "b.tid", "recoded": 3, "superseded": sorted([a_same, b_suggested]), "moved_children": ["b.drift.hverdag"]}
    assert merge.changed_by == "carl"


def test_split_queues_codings_for_review_and_retires_the_code(project):
    accepted = code(project, "Budgettet er skåret ned.", "b.budget")
    rejected = code(project, "Driften æder alt.", "b.budget", status="rejected")
    result = project.codebook.split(
        "b.budget", [Code("b.besparelser", "Besparelser", "barrierer"), Code("b.prioritering", "Prioritering", "barrierer")], "anna"
    )
    assert (result.new_ids, result.queued, result.source_retired) == (("b.besparelser", "b.prioritering"), (accepted,), True)
    assert project.codings.get(accepted).status == "needs_review"
    assert project.codings.get(rejected).status == "rejected"
    assert project.codings.get(accepted).code_id == "b.budget"  # a coder re-assigns it during review
    current = project.codebook.current()
    assert "b.budget" not in current
    assert [c.id for c in current.children("barrierer")] == ["b.tid", "b.drift", "b.besparelser", "b.prioritering"]
    [split] = [c for c in project.codebook.changes("b.budget") if c.operation == "split"]
    assert split.details == {"into": ["b.besparelser", "b.prioritering"], "queued_for_review": 1, "retired": True}
    assert project.codebook.changes("b.besparelser")[0].details == {"name": "Besparelser", "parent_id": "barrierer", "split_from": "b.budget"}


def test_split_into_sub_codes_keeps_the_code(project):
    project.codebook.split("b.tid", [Code("b.tid.moeder", "Møder", "b.tid")], "anna", retire_source=False)
    current = project.codebook.current()
    assert current.path("b.tid.moeder") == ("barrierer", "b.tid", "b.tid.moeder")


def test_retire_keeps_codings(project):
    coding = code(project, "Ildsjælene.", "d.ildsjael")
    assert project.codebook.retire("d.ildsjael", "anna") == 1
    assert project.codings.get(coding).code_id == "d.ildsjael"
    assert project.codebook.retired_ids() == ["d.ildsjael"]
    assert project.codebook.changes("d.ildsjael")[-1].details == {"codings_kept": 1}
    with pytest.raises(ProjectError, match=r"^koden »d.ildsjael« er udgået$"):
        project.codebook.rename("d.ildsjael", "X", "anna")


# -- CLI ----------------------------------------------------------------------------
def test_cli_apply_refine_and_log(tmp_path):
    qcp = str(tmp_path / "studie.qcp")
    v1, v2_path = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    dump_codebook(V1, v1)
    dump_codebook(v2(), v2_path)
    runner = CliRunner(env={"QUALCODE_CODER": "anna", "QUALCODE_LANG": "da"})

    dry = runner.invoke(cli, ["codebook", "apply", str(v1), "-p", qcp, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[:4] == [
        f"{qcp} findes ikke endnu; den oprettes ved anvendelse.",
        "Tørkørsel: projektet er ikke ændret. Dette ville ske:",
        "Kodebog: – -> Test 1",
        "Tilføjet (7):",
    ]
    assert not (tmp_path / "studie.qcp").exists()
    assert runner.invoke(cli, ["codebook", "apply", str(v1), "-p", qcp]).output.splitlines()[0] == "Kodebogen er anvendt som version 1."

    result = runner.invoke(cli, ["codebook", "apply", str(v2_path), "-p", qcp, "--dry-run"])
    assert result.output.splitlines() == [
        "Tørkørsel: projektet er ikke ændret. Dette ville ske:",
        "Kodebog: Test 1 -> Test 2",
        "Tilføjet (1):",
        "  + d.ressourcer  Ressourcer  (under drivkraefter)",
        "Fjernet (1):",
        "  - b.drift  Driften",
        "Omdøbt (1):",
        "  ~ b.tid  'Tidspres' -> 'Tidsmangel'",
        "Flyttet (1):",
        "  > d.ledelse  drivkraefter -> barrierer",
        "Ændret (1):",
        "  * b.tid  definition: 'Mangel på tid.' -> 'For lidt tid.'",
        "  * b.tid  nøgleord: tilføjet 'travlhed'",
        "Koder, der udgår, beholder deres kodninger:",
        "  b.drift: 0 kodninger",
    ]
    steps = [
        (["rename", "b.tid", "Tidsmangel"], "Omdøbt: b.tid -> 'Tidsmangel'"),
        (["move", "d.ledelse", "--top"], "Flyttet: d.ledelse til øverste niveau"),
        (["merge", "b.drift", "b.tid"], "Sammenlagt: b.drift ind i b.tid (0 kodninger omkodet, 0 dubletter markeret 'superseded')"),
        (["split", "b.budget", "--into", "b.spar=Besparelser", "--into", "b.prio=Prioritering"], "Opdelt: b.budget i b.spar, b.prio (0 kodninger sat til gennemsyn)"),
        (["retire", "d.ildsjael"], "Udgået: d.ildsjael (0 kodninger bevaret)"),
    ]
    for args, expected in steps:
        result = runner.invoke(cli, ["codebook", *args, "-p", qcp])
        assert (result.exit_code, result.output) == (0, expected + "\n"), args
    with Project.open(qcp) as p:
        current = p.codebook.current()
        assert current.ids() == ("barrierer", "b.tid", "b.spar", "b.prio", "drivkraefter", "d.ledelse")
        assert current.get("b.spar").parent_id == "barrierer"
    log = runner.invoke(cli, ["codebook", "log", "b.tid", "-p", qcp]).output.splitlines()
    assert [line.split()[1:3] for line in log] == [["anna", "add"], ["anna", "rename"]]

    result = runner.invoke(cli, ["codebook", "retire", "barrierer", "-p", qcp])
    assert result.exit_code == 2
    assert result.output == "Fejl: koden »barrierer« har aktive underkoder (b.tid, b.spar, b.prio): flyt dem, læg dem sammen eller lad dem udgå først\n"
    result = runner.invoke(cli, ["codebook", "split", "b.tid", "--into", "bare-et-id", "-p", qcp])
    assert (result.exit_code, result.output) == (2, "Fejl: --into 'bare-et-id': skriv ID=NAVN\n")
    result = runner.invoke(cli, ["codebook", "rename", "b.tid", "X", "-p", str(tmp_path / "findes-ikke.qcp")])
    assert (result.exit_code, result.output) == (2, f"Fejl: {tmp_path / 'findes-ikke.qcp'}: projektfilen findes ikke\n")
