"""Suggestions in a project: store them, decide on them, learn, measure, order the work.

Suggestions are stored as codings with status ``suggested`` and source
``machine`` (score and reason kept); accepting or rejecting goes through
``project.codings.decide``, which records who, when and the score shown. All
SQL stays in :mod:`qualcode.store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from qualcode.codebook import Codebook
from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _
from qualcode.models import Segment
from qualcode.project import Project
from qualcode.store.codings import NewCoding
from qualcode.suggest.engine import Suggester, TrainingExample
from qualcode.suggest.records import Suggestion

DEFAULT_MIN_SCORE = 0.15
MACHINE_CODER = "qualcode"


def project_codebook(project: Project) -> Codebook:
    codebook = project.codebook.current()
    if not codebook.codes:
        raise ProjectError(_("the project has no codebook yet; add one with 'qualcode codebook apply' first"))
    return codebook


def training_examples(project: Project, codebook: Codebook, *, coder: str | None = None) -> list[TrainingExample]:
    """Accepted codings (human or machine) as positives, rejected suggestions as negatives."""
    leaves = {c.id for c in codebook.leaves()}
    current, text = None, ""
    out = []
    # Codings come in document order: one interview's text is held at a time.
    for c in project.codings.query(status=("accepted", "rejected"), code_id=sorted(leaves)):
        if coder is not None and (c.decided_by or c.coder) != coder:
            continue
        if c.status == "rejected" and c.source != "machine":
            continue
        if c.document_id != current:
            current, text = c.document_id, project.documents.get(c.document_id).text
        out.append(TrainingExample(text[c.start : c.end], c.code_id, c.status == "accepted"))
    return out


def build_suggester(
    project: Project,
    *,
    codebook: Codebook | None = None,
    coder: str | None = None,
    lang: str | None = None,
    unit: str = "sentence",
    **options,
) -> Suggester:
    """A suggester for the project's codebook, its IDF fitted on the project's segments, trained on its decisions."""
    codebook = codebook or project_codebook(project)
    examples = training_examples(project, codebook, coder=coder)
    # Streamed from the store: the IDF is accumulated batch by batch, no list of all texts.
    corpus = (s.text for s in project.documents.segments(unit=unit, include_interviewer=False))
    return Suggester(codebook, lang=lang, **options).fit(corpus, examples)


CONTEXT_WIDTH = 2  # sentences before and after, within the same turn


def contexts(project: Project, segments: Sequence[Segment], *, width: int = CONTEXT_WIDTH) -> list[str]:
    """The sentences around each segment in the same turn (same speaker), as one text each."""
    by_doc: dict[tuple[int, str], dict[int, Segment]] = {}
    for seg in segments:
        key = (seg.document_id, seg.unit)
        if key not in by_doc:
            by_doc[key] = _by_index(project, *key)
    return contexts_within(by_doc, segments, width=width)


def _by_index(project: Project, document_id: int, unit: str) -> dict[int, Segment]:
    """Every segment of one document and unit (interviewer turns included), by index."""
    return {s.index: s for s in project.documents.segments(document_id, unit)}


def contexts_within(by_doc: dict[tuple[int, str], dict[int, Segment]], segments: Sequence[Segment], *, width: int = CONTEXT_WIDTH) -> list[str]:
    """:func:`contexts` from segments already read: (document id, unit) -> {index: segment}."""
    out = []
    for seg in segments:
        index = by_doc[(seg.document_id, seg.unit)]
        near = (index.get(seg.index + d) for d in range(-width, width + 1) if d)
        out.append(" ".join(s.text for s in near if s is not None and s.turn_index == seg.turn_index))
    return out


def suggest_project(
    project: Project,
    suggester: Suggester,
    *,
    document_id: int | None = None,
    top: int = 3,
    min_score: float = DEFAULT_MIN_SCORE,
    coder: str = MACHINE_CODER,
    unit: str = "sentence",
    include_interviewer: bool = False,
) -> list[int]:
    """Store suggestions for every segment lacking them; returns the new coding ids.

    Each document is one transaction. Without ``document_id`` the documents
    are done one after another: a study's million sentences are never held
    (or scored) at once, and a run that stops keeps what it finished; running
    it again suggests only for what it had not reached.
    """
    if document_id is None:
        ids: list[int] = []
        for doc_id in project.documents.ids():
            ids += suggest_project(
                project, suggester, document_id=doc_id, top=top, min_score=min_score, coder=coder, unit=unit,
                include_interviewer=include_interviewer,
            )
        return ids
    # One read of the segments serves both the work list and the contexts
    # (which need every segment of each document, interviewer turns included).
    by_doc: dict[tuple[int, str], dict[int, Segment]] = {}
    segments = []
    for s in project.documents.segments(document_id, unit, include_interviewer=True):
        by_doc.setdefault((s.document_id, s.unit), {})[s.index] = s
        if include_interviewer or not s.is_interviewer:
            segments.append(s)
    # A span the coder has coded, or already got suggestions for, is left alone:
    # re-running must not pile up duplicates or re-open decided spans.
    seen = {(c.document_id, c.start, c.end) for c in project.codings.query(document_id=document_id)}
    todo = [s for s in segments if (s.document_id, s.start, s.end) not in seen]
    new = []
    rows = suggester.suggest_many(todo, top=top, min_score=min_score, contexts=contexts_within(by_doc, todo))
    for seg, row in zip(todo, rows):
        for sug in row:
            new.append(NewCoding(seg.document_id, seg.start, seg.end, sug.code_id, coder, "suggested", "machine", sug.score, sug.reason))
    if not new:
        return []
    with project.db.transaction():
        # Another run (a second terminal, a notebook) may have stored suggestions for this
        # document while these were scored: what it stored is left alone, as above.
        taken = {(c.document_id, c.start, c.end) for c in project.codings.query(document_id=document_id)}
        return project.codings.add_many([c for c in new if (c.document_id, c.start, c.end) not in taken])


def decide(project: Project, coding_id: int, accepted: bool, actor: str, suggester: Suggester | None = None) -> None:
    """Accept or reject a suggestion; the shown score is recorded and the model learns at once."""
    coding = project.codings.get(coding_id)
    project.codings.decide(coding_id, "accepted" if accepted else "rejected", actor, shown_score=coding.score)
    if suggester is not None:
        text = project.documents.get(coding.document_id).text[coding.start : coding.end]
        suggester.learn(text, coding.code_id, accepted)


@dataclass(frozen=True)
class CodePrecision:
    """How the coder judged the machine's suggestions for one code."""

    code_id: str
    accepted: int
    rejected: int
    open: int
    mean_shown_score: float | None

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected

    @property
    def precision(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


def precision_by_code(project: Project, *, coder: str | None = None) -> list[CodePrecision]:
    """Suggestion precision per code from the recorded decisions (accepted / decided)."""
    rows: dict[str, dict] = {}
    for c in project.codings.query(source="machine"):
        if coder is not None and c.decided_by not in (None, coder):
            continue
        r = rows.setdefault(c.code_id, {"accepted": 0, "rejected": 0, "open": 0, "shown": []})
        if c.status in ("accepted", "rejected"):
            r[c.status] += 1
            if c.shown_score is not None:
                r["shown"].append(c.shown_score)
        elif c.status in ("suggested", "needs_review"):
            r["open"] += 1
    return [
        CodePrecision(code, r["accepted"], r["rejected"], r["open"], float(np.mean(r["shown"])) if r["shown"] else None)
        for code, r in sorted(rows.items())
    ]


@dataclass(frozen=True)
class QueueItem:
    """A segment to code next, with why it is placed where it is."""

    segment: Segment
    priority: float
    suggestions: tuple[Suggestion, ...]


def next_segments(
    project: Project,
    suggester: Suggester,
    *,
    order: str = "uncertain",
    limit: int = 20,
    document_id: int | None = None,
    unit: str = "sentence",
) -> list[QueueItem]:
    """Uncoded participant segments to code next.

    ``order="uncertain"``: the segments where the engine is least sure (top
    score nearest 0.5, or two codes nearly tied) first; a decision there
    teaches the model most. ``order="likely"``: likely positives first, to
    harvest codings quickly.
    """
    if order not in ("uncertain", "likely"):
        raise ValueError(f"unknown order {order!r}; use 'uncertain' or 'likely'")
    coded = {(c.document_id, c.start, c.end) for c in project.codings.query(status=("accepted", "rejected"))}
    segments = [
        s for s in project.documents.segments(document_id, unit, include_interviewer=False)
        if (s.document_id, s.start, s.end) not in coded
    ]
    if not segments:
        return []
    around = contexts(project, segments)
    scores = suggester.score_matrix(segments, around)
    top2 = -np.sort(-scores, axis=1)[:, :2] if scores.shape[1] > 1 else np.hstack([scores, np.zeros_like(scores)])
    if order == "likely":
        priority = top2[:, 0]
    else:
        margin = top2[:, 0] - top2[:, 1]
        priority = (1.0 - np.abs(top2[:, 0] - 0.5) * 2) * 0.5 + (1.0 - margin) * 0.5
        priority[top2[:, 0] == 0] = 0.0  # nothing to decide on (fillers, empty)
    ranked = np.argsort(-priority, kind="stable")[:limit]
    picked = [segments[i] for i in ranked]
    sugs = suggester.suggest_many(picked, top=3, contexts=[around[i] for i in ranked])
    return [QueueItem(seg, round(float(priority[i]), 4), tuple(s)) for seg, i, s in zip(picked, ranked, sugs)]


def suggest_fn(suggester: Suggester, *, project: Project | None = None, top: int = 3):
    """Adapter for the coding widget's ``suggest`` callback: (segment) -> [(code, score, reason)].

    With ``project``, each segment is scored with the sentences around it, as
    :func:`suggest_project` scores it, so the widget and a batch run give a
    sentence the same score. The current document's segments are kept, since
    a coder moves through one interview at a time.
    """
    current: dict[tuple[int, str], dict[int, Segment]] = {}

    def suggest(segment: Segment) -> Sequence[tuple[str, float, str]]:
        context = None
        if project is not None:
            key = (segment.document_id, segment.unit)
            if key not in current:
                current.clear()
                current[key] = _by_index(project, *key)
            context = contexts_within(current, [segment])[0]
        return [(s.code_id, s.score, s.reason) for s in suggester.suggest(segment, top=top, context=context)]
    return suggest


def learn_fn(suggester: Suggester):
    """Adapter for the coding widget's ``learn`` callback."""
    def learn(segment: Segment, code_id: str, accepted: bool) -> None:
        suggester.learn(segment, code_id, accepted)
    return learn
