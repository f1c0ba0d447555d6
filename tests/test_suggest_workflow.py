"""Suggestions in a project: stored, decided, learned from, measured, ordered."""

from __future__ import annotations

import pytest

from qualcode import Project, import_files
from qualcode.suggest.workflow import (
    build_suggester,
    decide,
    next_segments,
    precision_by_code,
    suggest_project,
    training_examples,
)

from suggest_helpers import CODEBOOK, write_interview

# Every test below runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends(every_test=True)


@pytest.fixture
def coded_project(tmp_path):
    p = Project.in_memory()
    report = import_files(p, [write_interview(tmp_path)], progress=False)
    assert not report.failed
    p.codebook.apply(CODEBOOK, "lead")
    yield p
    p.close()


def _text(project, coding):
    return project.documents.get(coding.document_id).text[coding.start : coding.end]


def test_suggestions_are_stored_as_machine_suggestions(coded_project):
    p = coded_project
    ids = suggest_project(p, build_suggester(p), top=3, coder="mette")
    codings = [p.codings.get(i) for i in ids]
    assert codings and all(c.status == "suggested" and c.source == "machine" and c.coder == "mette" for c in codings)
    assert all(0.15 <= c.score <= 1 and c.reason for c in codings)
    by_text = {}
    for c in codings:
        by_text.setdefault(_text(p, c), []).append(c)
    # interviewer questions and the filler sentence get nothing
    assert "Hvordan fungerer samarbejdet med jobcentret?" not in by_text
    assert "Øh, altså, ikke?" not in by_text
    best = {t: max(cs, key=lambda c: c.score).code_id for t, cs in by_text.items()}
    assert best["Direktøren bakker op og har givet os mandat."] == "d.ledelse"
    assert best["Der er simpelthen ikke tid til møderne, travlheden er enorm."] == "b.tid"
    # running again adds nothing: every span already has its suggestions
    assert suggest_project(p, build_suggester(p)) == []


def test_decisions_record_who_when_and_shown_score_and_feed_precision(coded_project):
    p = coded_project
    s = build_suggester(p)
    ids = suggest_project(p, s, top=1)
    by_code = {p.codings.get(i).code_id: i for i in ids}
    decide(p, by_code["d.ledelse"], True, "mette", s)
    decide(p, by_code["b.tid"], False, "mette", s)
    accepted = p.codings.get(by_code["d.ledelse"])
    assert (accepted.status, accepted.decided_by, accepted.shown_score) == ("accepted", "mette", accepted.score)
    assert accepted.decided_at
    rows = {r.code_id: r for r in precision_by_code(p)}
    assert (rows["d.ledelse"].accepted, rows["d.ledelse"].rejected, rows["d.ledelse"].precision) == (1, 0, 1.0)
    assert (rows["b.tid"].accepted, rows["b.tid"].rejected, rows["b.tid"].precision) == (0, 1, 0.0)
    assert s.model_.n_positive("d.ledelse") == 1 and s.model_.n_examples("b.tid") == 1
    # a fresh suggester re-reads the same decisions from the project
    examples = training_examples(p, CODEBOOK)
    assert sorted((e.code_id, e.accepted) for e in examples) == [("b.tid", False), ("d.ledelse", True)]


def test_next_segments_orders_by_uncertainty_or_likely_positives(coded_project):
    p = coded_project
    s = build_suggester(p)
    likely = next_segments(p, s, order="likely", limit=10)
    texts = [q.segment.text for q in likely]
    assert all(not q.segment.is_interviewer for q in likely)
    assert [q.priority for q in likely] == sorted((q.priority for q in likely), reverse=True)
    assert texts[-1] == "Øh, altså, ikke?" and likely[-1].priority == 0
    uncertain = next_segments(p, s, order="uncertain", limit=10)
    assert [q.priority for q in uncertain] == sorted((q.priority for q in uncertain), reverse=True)
    assert uncertain[0].segment.text != likely[0].segment.text
    # a decided segment leaves the queue
    seg = likely[0].segment
    cid = p.codings.add(seg.document_id, seg.start, seg.end, likely[0].suggestions[0].code_id, "mette")
    assert p.codings.get(cid).status == "accepted"
    assert seg.text not in [q.segment.text for q in next_segments(p, s, order="likely")]
    with pytest.raises(ValueError, match="unknown order 'random'"):
        next_segments(p, s, order="random")


def test_widget_session_uses_the_engine_and_teaches_it(coded_project):
    from qualcode.suggest.workflow import learn_fn, suggest_fn
    from qualcode.widget.session import CodingSession

    p = coded_project
    s = build_suggester(p)
    session = CodingSession(p, "mette", suggest=suggest_fn(s), learn=learn_fn(s))
    assert all(not seg.is_interviewer for seg in session.segments)
    session.go_to(next(seg.id for seg in session.segments if seg.text.startswith("Direktøren")))
    (first, *_) = session.suggestions()
    assert (first.code_id, first.source, first.status) == ("d.ledelse", "machine", "suggested")
    session.accept(first.id)
    assert p.codings.get(first.id).shown_score == first.score
    assert s.model_.n_positive("d.ledelse") == 1


def test_widget_suggestions_with_the_project_score_as_the_batch_run_does(coded_project):
    from qualcode.suggest.workflow import MACHINE_CODER, contexts, suggest_fn, suggest_project

    p = coded_project
    s = build_suggester(p)
    segments = [seg for seg in p.documents.segments(include_interviewer=False)]
    with_context = suggest_fn(s, project=p)
    alone = suggest_fn(s)
    around = contexts(p, segments)
    assert any(around), "the fixture must have sentences with neighbours"
    stored = suggest_project(p, s, min_score=0.0, coder=MACHINE_CODER)
    assert stored
    by_span = {}
    for c in p.codings.query(source="machine"):
        by_span.setdefault((c.document_id, c.start, c.end), []).append((c.code_id, round(c.score, 4)))
    differs = 0
    for seg, context in zip(segments, around):
        widget = [(code, round(score, 4)) for code, score, _reason in with_context(seg)]
        assert widget == by_span.get((seg.document_id, seg.start, seg.end), []), seg.text
        differs += [(code, round(score, 4)) for code, score, _reason in alone(seg)] != widget
    # Without the project the widget would have shown other scores for some sentences.
    assert differs > 0
