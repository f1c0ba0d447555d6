"""Many coders at once, in real processes: nothing lost, nothing duplicated, no errors.

Eight coders each decide 500 of their suggestions at the same moment, one
transaction per click; a client killed in the middle of a transaction leaves
nothing behind and holds no lock; two pushes at once store one copy and the
other gets one clear line.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter

import pytest

from qualcode import Project
from qualcode.codebook import load_codebook
from qualcode.store.codings import NewCoding

from conftest import CODEBOOKS

pytestmark = [pytest.mark.backends, pytest.mark.slow]

CODERS = tuple(f"k{i}" for i in range(1, 9))
PER_CODER = 500
MERGED_PER_CODER = 100
CLICKS_DURING_MERGE = 60  # per coder, while the lead's merge of 400 codings runs


@pytest.fixture
def busy_project(backend, sample_location, request):
    """The samples with 500 open suggestions for each of eight coders: (location per coder, {coder: ids}, admin)."""
    return _busy(backend, sample_location, request, PER_CODER)


@pytest.fixture
def merge_project(backend, sample_location, request):
    """As busy_project, with 100 suggestions per coder (the merge recodes them one by one)."""
    return _busy(backend, sample_location, request, MERGED_PER_CODER)


def _busy(backend, sample_location, request, per_coder: int):
    if backend == "postgresql":
        urls = request.getfixturevalue("pg_server").team("qc_samples", lead="mette", coders=CODERS, readers=())
        admin, where = urls["admin"], urls
    else:
        admin, where = sample_location, {c: sample_location for c in (*CODERS, "mette")}
    codebook = load_codebook(CODEBOOKS / "barrierer_drivkraefter.yaml")
    codes = [c.id for c in codebook.leaves()][:2]
    ids: dict[str, list[int]] = {}
    with Project.open(admin) as p:
        p.codebook.apply(codebook, "mette")
        segments = list(p.documents.segments(include_interviewer=False))
        spans = [(s, code) for s in segments for code in codes][:per_coder]
        assert len(spans) == per_coder
        for coder in CODERS:
            ids[coder] = p.codings.add_many(
                [NewCoding(s.document_id, s.start, s.end, code, coder, "suggested", "machine", 0.5) for s, code in spans])
    return where, ids, admin


def test_eight_coders_deciding_500_codings_each_at_once(busy_project):
    where, ids, admin = busy_project
    ctx = multiprocessing.get_context("spawn")
    from concurrency_workers import decide_all

    barrier, results = ctx.Barrier(len(CODERS)), ctx.Queue()
    workers = [ctx.Process(target=decide_all, args=(str(where[c]), c, ids[c], barrier, results)) for c in CODERS]
    for w in workers:
        w.start()
    outcome = {coder: (errors, latencies) for coder, errors, latencies in (results.get(timeout=300) for _ in workers)}
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert {c: e for c, (e, _) in outcome.items() if e} == {}
    assert all(len(lat) == PER_CODER for _, lat in outcome.values())
    with Project.open(admin) as p:
        for coder in CODERS:
            expected = Counter("accepted" if i % 2 == 0 else "rejected" for i in ids[coder])
            assert p.codings.status_counts(coder=coder) == dict(expected), coder
            for c in p.codings.query(coder=coder):
                assert c.decided_by == coder and c.decided_at is not None
        rows = p.db.execute(
            "SELECT coding_id, action, count(*) FROM coding_events GROUP BY coding_id, action"
        ).fetchall()
        per_action = Counter(r[1] for r in rows)
        assert per_action == {"created": len(CODERS) * PER_CODER, "status": len(CODERS) * PER_CODER}
        assert {r[2] for r in rows} == {1}  # no event twice
        assert p.db.execute("SELECT count(*) FROM codings").fetchone()[0] == len(CODERS) * PER_CODER


def test_a_client_killed_mid_transaction_leaves_nothing_and_holds_no_lock(busy_project):
    where, ids, admin = busy_project
    ctx = multiprocessing.get_context("spawn")
    from concurrency_workers import hold_a_transaction

    with Project.open(admin) as p:
        before = p.db.execute("SELECT count(*) FROM codings").fetchone()[0]
        events = p.db.execute("SELECT count(*) FROM coding_events").fetchone()[0]
        seg = next(p.documents.segments(include_interviewer=False))
    target = ids["k1"][0]
    new = [(seg.document_id, seg.start, seg.end, "driver.ildsjaele", "k1", "accepted", "human")] * 3
    ready = ctx.Event()
    child = ctx.Process(target=hold_a_transaction, args=(str(where["k1"]), target, ready, new))
    child.start()
    assert ready.wait(timeout=120)
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    with Project.open(where["k1"]) as p:
        # The killed client's lock on the coding is gone: deciding it now does not wait.
        p.codings.decide(target, "accepted", "k1")
        assert p.codings.get(target).status == "accepted"
    with Project.open(admin) as p:
        assert p.db.execute("SELECT count(*) FROM codings").fetchone()[0] == before
        assert p.db.execute("SELECT count(*) FROM coding_events").fetchone()[0] == events + 1
        assert [e["details"] for e in p.codings.events(target)] == [{"status": "suggested"}, {"from": "suggested", "to": "accepted"}]


def test_a_lead_merging_codes_while_eight_coders_decide_loses_and_duplicates_nothing(merge_project):
    where, ids, admin = merge_project
    with Project.open(admin) as p:
        first = p.codings.get(ids["k1"][0]).code_id
        second = p.codings.get(ids["k1"][1]).code_id
    ctx = multiprocessing.get_context("spawn")
    from concurrency_workers import decide_all

    clicking = {c: ids[c][:CLICKS_DURING_MERGE] for c in CODERS}
    barrier, results = ctx.Barrier(len(CODERS) + 1), ctx.Queue()
    workers = [ctx.Process(target=decide_all, args=(str(where[c]), c, clicking[c], barrier, results)) for c in CODERS]
    for w in workers:
        w.start()
    with Project.open(where["mette"]) as lead:
        barrier.wait()
        merged = lead.codebook.merge(first, second, "mette")
    outcome = {coder: errors for coder, errors, _ in (results.get(timeout=300) for _ in workers)}
    for w in workers:
        w.join(timeout=60)
    # The only refusals: clicks on a suggestion the merge had just superseded, each one line.
    refused = [e for errors in outcome.values() for e in errors]
    assert all(e.startswith("ConflictError: kodning ") and e.endswith(" er blevet erstattet i mellemtiden"
                            " (en sammenlægning eller en fortrydelse); intet er ændret") for e in refused), refused[:3]
    with Project.open(admin) as p:
        assert p.codings.query(code_id=first) == []
        assert len(merged.recoded) == len(CODERS) * MERGED_PER_CODER // 2
        live = Counter((c.coder, c.document_id, c.start, c.end) for c in p.codings.query(code_id=second)
                       if c.status != "superseded")
        assert set(live.values()) == {1} and len(live) == len(CODERS) * MERGED_PER_CODER // 2
        superseded = p.codings.status_counts().get("superseded", 0)
        assert superseded == len(merged.superseded) == len(CODERS) * MERGED_PER_CODER // 2
        # Every click that was not refused is in the history, once.
        clicks = p.db.execute("SELECT count(*) FROM coding_events WHERE action = 'status'").fetchone()[0]
        assert clicks == len(CODERS) * CLICKS_DURING_MERGE - len(refused)


def test_two_pushes_at_once_store_one_copy_and_the_other_gets_one_line(pg_server, tmp_path):
    from report_helpers import make_project

    path = tmp_path / "studie.qcp"
    make_project(path=path).close()
    team = pg_server.team()
    ctx = multiprocessing.get_context("spawn")
    from concurrency_workers import push_once

    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=push_once, args=(str(path), team["mette"], barrier, results)) for _ in range(2)]
    for w in workers:
        w.start()
    answers = sorted((results.get(timeout=120)[1] for _ in workers), key=lambda a: a is not None)
    for w in workers:
        w.join(timeout=30)
    assert answers[0] is None
    assert answers[1] == (f"{team['mette']}: er ikke tom (tabellen documents har rækker): push og pull kun til et nyt projekt")
    with Project.open(team["admin"]) as server:
        assert len(server.documents.ids()) == 3
        assert len(server.codings.query()) == 9
