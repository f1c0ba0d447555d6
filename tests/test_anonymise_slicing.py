"""Quotes from the anonymisation cache: cut by the offset map alone, identical to a fresh anonymisation."""

from __future__ import annotations

import shutil
from bisect import bisect_right
from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser
from qualcode.anonymise.anonymiser import participants_of
from qualcode.anonymise.offsets import OffsetMap
from qualcode.project import Project
from qualcode.report import quote_table
from qualcode.report.privacy import AnonymisationCache, StaleCache, redactor_for
from qualcode.store import anonymised as anonymised_store
from qualcode.store.documents import DocumentStore

SAMPLES = Path(__file__).resolve().parent.parent / "transcripts_sample"


def _reference_span(result, pos: int, *, left: bool) -> int:
    """The mapping as AnonymisedText._map did it before the offset map (commit 6f565ed)."""
    ends = [r.end for r in result.replacements]
    i = bisect_right(ends, pos)
    shift = result.replacements[i - 1].new_end - result.replacements[i - 1].end if i else 0
    if i < len(result.replacements) and result.replacements[i].start < pos:
        r = result.replacements[i]
        return r.new_start if left else r.new_end
    return pos + shift


def _forbid_texts(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a warm anonymised listing must not load document texts")

    monkeypatch.setattr(DocumentStore, "get", refuse)
    monkeypatch.setattr(DocumentStore, "all", refuse)


def test_offset_map_includes_a_straddled_replacement_whole():
    class R:
        def __init__(self, *v):
            self.start, self.end, self.new_start, self.new_end = v

    # "Jeg mødte Mette Kjær i går" -> "Jeg mødte [Person 1] i går"
    offsets = OffsetMap.of(26, [R(10, 20, 10, 20)])
    assert offsets.span(0, 9) == (0, 9)
    assert offsets.span(12, 14) == (10, 20)  # inside the name: the whole pseudonym
    assert offsets.span(5, 12) == (5, 20)
    assert offsets.span(20, 26) == (20, 26)
    with pytest.raises(ValueError):
        offsets.span(0, 27)


@pytest.mark.slow
def test_cached_slices_equal_fresh_slices_for_every_quote_of_the_samples(coded_samples):
    path, _ = coded_samples
    with Project.open(path) as project:
        anonymiser = Anonymiser.for_project(project, operator="tag")
        fresh = {d.id: anonymiser.anonymise_document(d) for d in project.documents.all()}
        redactor = redactor_for(project)
        redactor.prepare(project.documents.headers())
        cache = AnonymisationCache(project, redactor._cache._fingerprint_of)
        cached = cache.documents(fresh)
        assert set(cached) == set(fresh)
        spans = [(s.document_id, s.start, s.end) for unit in ("sentence", "turn") for s in project.documents.segments(unit=unit)]
        # Cuts mid-word and mid-name too: every replacement's inner boundaries.
        spans += [(i, r.start + 1, r.end - 1) for i, f in fresh.items() for r in f.replacements if r.end - r.start > 2]
        spans += [(i, max(r.start - 7, 0), r.start + 1) for i, f in fresh.items() for r in f.replacements]
        assert len(spans) > 1000
        for document_id, start, end in spans:
            result = fresh[document_id]
            expected = result.text[_reference_span(result, start, left=True) : _reference_span(result, end, left=False)]
            assert result.slice(start, end) == expected
            assert cached[document_id].slice(start, end) == expected
        # Each document was sliced often enough to load its text once; the early slices came from SQL.
        assert set(cache._slices._texts) == set(fresh)


@pytest.mark.slow
def test_warm_listing_reads_no_document_text_and_equals_a_fresh_run(coded_samples, tmp_path, monkeypatch):
    path, code = coded_samples
    fresh_copy = tmp_path / "fresh.qcp"
    shutil.copy(path, fresh_copy)
    with Project.open(fresh_copy) as project:
        fresh = quote_table(project, codes=[code])
    with Project.open(path) as project:
        redactor = redactor_for(project)  # what a report does: every document, then every quote
        redactor.prepare(project.documents.headers())
        quote_table(project, redactor=redactor)
    with monkeypatch.context() as m:
        _forbid_texts(m)
        m.setattr(Anonymiser, "for_project", classmethod(lambda *a, **k: pytest.fail("anonymiser built")))
        with Project.open(path) as project:
            warm = quote_table(project, codes=[code])
            everything = quote_table(project)
    assert warm.equals(fresh)
    assert len(everything) >= len(warm) > 0
    assert "[Person" in " ".join(warm["quote_unedited"]) or "[Kommune" in " ".join(warm["quote_unedited"])


@pytest.mark.slow
def test_redactor_quotes_a_document_a_header_or_an_id_alike(coded_samples):
    path, _ = coded_samples
    with Project.open(path) as project:
        document = project.documents.all()[1]
        header = project.documents.headers()[1]
        redactor = redactor_for(project)
        spans = [(s.start, s.end) for s in project.documents.segments(document.id)][:40]
        by_document = [redactor.quote(document, a, b) for a, b in spans]
        other = redactor_for(project)  # a second redactor reads what the first one cached
        assert [other.quote(header, a, b) for a, b in spans] == by_document
        assert [redactor_for(project).quote(document.id, a, b) for a, b in spans] == by_document
        raw = redactor_for(project, anonymise=False)
        assert [raw.quote(header, a, b) for a, b in spans] == [document.text[a:b] for a, b in spans]


@pytest.mark.slow
def test_a_cache_rewritten_by_another_process_is_not_mixed_with_an_old_offset_map(coded_samples):
    path, _ = coded_samples
    with Project.open(path) as project:
        document = project.documents.all()[0]
        span = next((s.start, s.end) for s in project.documents.segments(document.id))
        expected = redactor_for(project).quote(document, *span)  # anonymised and cached
        reader = redactor_for(project)
        reader.prepare([document.id])  # the offset map, from the cache
        assert reader.quote(document.id, *span) == expected
        with Project.open(path) as other:  # someone else's run under other settings drops every row
            other.anonymised.save("another fingerprint", "x", "y", [])
        with pytest.raises(StaleCache):
            reader._anonymised[document.id].slice(*span)
        assert reader.quote(document.id, *span) == expected  # anonymised again, not cut from a stale text


def test_store_filters_cached_documents_in_sql_in_chunks(tmp_path, monkeypatch):
    from report_helpers import make_project

    from qualcode.store.anonymised import CachedAnonymisation

    project = make_project(path=tmp_path / "p.qcp")
    ids = project.documents.ids()
    rows = [CachedAnonymisation(i, f"text {i}", 4, "[]", "[]", "[]") for i in ids]
    project.anonymised.save("fp", "k0", "k1", rows)
    monkeypatch.setattr(anonymised_store, "_CHUNK", 1)
    assert set(project.anonymised.documents("fp", "k1", [ids[0], ids[-1], 9999, ids[0]])) == {ids[0], ids[-1]}
    assert set(project.anonymised.offsets("fp", "k1", ids[1:])) == set(ids[1:])
    assert set(project.anonymised.documents("fp", "k1")) == set(ids)
    assert project.anonymised.text_slice("fp", "k1", ids[0], 1, 4) == "ext"
    assert project.anonymised.text_slice("fp", "k-edited", ids[0], 1, 4) is None
    assert project.anonymised.text("fp", "k1", ids[0]) == f"text {ids[0]}"
    project.close()


def test_the_fingerprint_reads_speakers_from_an_index_without_sorting_turns(tmp_path):
    from report_helpers import make_project

    project = make_project(path=tmp_path / "p.qcp")
    plan = " ".join(
        str(r[3]) for r in project.db.execute(
            "EXPLAIN QUERY PLAN SELECT document_id, speaker, is_interviewer, role FROM turns"
            " GROUP BY document_id, speaker, is_interviewer, role ORDER BY document_id, speaker, is_interviewer, role"
        )
    )
    assert "COVERING INDEX turns_by_speaker" in plan and "TEMP B-TREE" not in plan
    project.close()


def test_participants_come_from_headers_and_turns_without_texts(sample_project, monkeypatch):
    expected = []
    for document in sample_project.documents.all():  # the rows as read from whole documents before
        meta = {k: str(v) for k, v in document.metadata.items()}
        expected.append(meta)
        for turn in sample_project.documents.turns(document.id):
            if turn.is_interviewer:
                expected.append({"interviewer": turn.speaker})
            elif turn.speaker != meta.get("speaker"):
                expected.append({"speaker": turn.speaker, "role": turn.role or ""})
    expected = list({tuple(sorted(r.items())): r for r in expected}.values())
    _forbid_texts(monkeypatch)
    assert participants_of(sample_project) == expected
