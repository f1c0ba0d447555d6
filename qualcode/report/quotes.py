"""The quote table: one row per coded passage, anonymised and attributed by role.

A quote is the exact span of a coding (``quote_unedited``, anonymised but
otherwise as transcribed; ``quote``, cleaned for print). Because coded spans
are often fragments, each row also has ``passage``: the span widened to whole
sentences of its turn until it can stand on its own (:mod:`qualcode.report.passages`),
cleaned for print; that is what a report prints. Danish reports print a quote
in quotation marks with only the role in parentheses, »…« (chef).
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.i18n import resolve_lang
from qualcode.models import INTERVIEWER_ROLE, DocumentHeader, Turn
from qualcode.project import Project
from qualcode.report.cleaning import clean_for_print
from qualcode.report.passages import Widener, stands_alone
from qualcode.report.privacy import Redactor, redactor_for
from qualcode.report.wording import role_label

QUOTE_COLUMNS = [
    "quote_id", "theme", "theme_name", "code", "code_name", "quote", "quote_unedited", "attribution", "passage",
    "role", "participant", "municipality", "document", "timestamp", "coder", "status", "source",
    "score", "rating", "stands_alone", "words", "document_id", "start", "end", "passage_start", "passage_end",
    "coding_ids",
]
SPAN_COLUMNS = [
    "coding_id", "document_id", "start", "end", "code", "theme", "coder", "status", "source", "score",
    "decided_by", "participant_id", "role", "municipality", "start_time", "turn",
]


def format_time(seconds: float | None) -> str:
    if seconds is None or pd.isna(seconds):
        return ""
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


class _Context:
    """Document headers, quote text and the codebook, read at most once per table."""

    def __init__(self, project: Project, codebook: Codebook | None = None):
        self.project = project
        self.codebook = codebook if codebook is not None else project.codebook.current(include_retired=True)
        self._headers: dict[int, DocumentHeader] | None = None
        self.slice = project.documents.slicer()

    def header(self, document_id: int) -> DocumentHeader:
        if self._headers is None:
            self._headers = {h.id: h for h in self.project.documents.headers()}
        return self._headers[document_id]

    def theme(self, code_id: str) -> str:
        return self.codebook.theme_of(code_id) if code_id in self.codebook else code_id

    def name(self, code_id: str) -> str:
        return self.codebook.get(code_id).name if code_id in self.codebook else code_id

    def path(self, code_id: str) -> tuple[str, ...]:
        return self.codebook.path(code_id) if code_id in self.codebook else (code_id,)


def coded_spans(
    project: Project,
    *,
    status: str | Sequence[str] | None = "accepted",
    coder: str | Sequence[str] | None = None,
    source: str | Sequence[str] | None = None,
    codebook: Codebook | None = None,
    include_interviewer: bool = False,
    codes: Sequence[str] | None = None,
    _context: _Context | None = None,
) -> pd.DataFrame:
    """Codings with their theme, speaker role, participant and municipality; no text.

    The base of the frequency tables. ``role`` is the role of the speaker of
    the turn where the coding starts (the document's role if the turn has none).
    Codings on the interviewer's words are left out unless asked for: a coded
    question is not the interviewee raising a theme.
    """
    ctx = _context or _Context(project, codebook)
    rows = []
    # Filtering codes in SQL keeps a one-code listing from touching other codes' codings.
    found = project.codings.with_turns(
        status=status, coder=coder, source=source, code_id=sorted(codes) if codes is not None else None
    )
    for c, turn in found:
        meta = ctx.header(c.document_id).metadata
        rows.append(
            {
                "coding_id": c.id,
                "document_id": c.document_id,
                "start": c.start,
                "end": c.end,
                "code": c.code_id,
                "theme": ctx.theme(c.code_id),
                "coder": c.coder,
                "status": c.status,
                "source": c.source,
                "score": c.score,
                "decided_by": c.decided_by,
                "participant_id": _participant(turn, meta, c.document_id),
                "role": _role(turn, meta),
                "municipality": meta.get("municipality") or "",
                "start_time": turn.start_time if turn else None,
                "turn": turn.index if turn else -1,
            }
        )
    spans = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    if not include_interviewer:
        spans = spans[spans["role"] != INTERVIEWER_ROLE].reset_index(drop=True)
    return spans


def _participant(turn: Turn | None, meta, document_id: int) -> str:
    # The interviewer is not a participant: a coded question counts for the interviewee.
    if turn is not None and turn.participant_id and not turn.is_interviewer:
        return turn.participant_id
    return meta.get("participant_id") or f"doc{document_id}"


def _role(turn: Turn | None, meta) -> str:
    if turn is not None and turn.is_interviewer:
        return INTERVIEWER_ROLE
    if turn is not None and turn.role:
        return turn.role
    return meta.get("role") or ""


def quote_table(
    project: Project,
    *,
    redactor: Redactor | None = None,
    anonymise: bool = True,
    codes: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    municipalities: Iterable[str] | None = None,
    documents: Iterable[int | str] | None = None,
    status: str | Sequence[str] | None = "accepted",
    coder: str | Sequence[str] | None = None,
    source: str | Sequence[str] | None = None,
    min_words: int | None = None,
    max_words: int | None = None,
    clean: bool = True,
    with_participant: bool = False,
    include_interviewer: bool = False,
    merge_adjacent: bool = True,
    widen: bool = False,
    codebook: Codebook | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Quotes as a DataFrame with the columns in :data:`QUOTE_COLUMNS`.

    Filters: ``codes`` (code ids; a code includes the codes below it, so
    ``codes=["barrierer"]`` lists every barrier), ``themes`` (the same, by
    any ancestor), ``roles`` (the speaker's role: "chef", "borger", …),
    ``municipalities`` (real name or pseudonym), ``documents`` (id or name),
    ``status`` (accepted only by default; ``None`` for all), ``coder``,
    ``source`` and quote length in words. ``quote`` is cleaned for print when
    ``clean`` is true; ``quote_unedited`` never is. Both are anonymised unless
    ``anonymise`` is false (or ``redactor`` says so). With ``merge_adjacent``,
    sentences of one turn coded alike (same code, coder, status and source)
    and next to each other print as one passage; ``quote_id`` is then the
    first coding's id and ``coding_ids`` lists all. With ``widen`` (what a
    report does), ``passage`` is the quote widened to whole sentences of its
    turn (see :mod:`qualcode.report.passages`); without, it is the quote.
    ``stands_alone`` says whether the passage reads without the interview; ``rating`` is the coders' mean rating of the
    quote (1-5, :meth:`project.ratings.rate`), empty when nobody rated it.
    """
    lang = resolve_lang(lang)
    redactor = redactor or redactor_for(project, anonymise=anonymise)
    ctx = _Context(project, codebook)
    wanted_codes = _with_descendants(ctx.codebook, codes) if codes is not None else None
    spans = coded_spans(
        project, status=status, coder=coder, source=source, include_interviewer=include_interviewer,
        codes=sorted(wanted_codes) if wanted_codes is not None else None, _context=ctx,
    )
    if themes is not None:
        wanted = set(themes)
        spans = spans[[bool(wanted & set(ctx.path(c))) for c in spans["code"]]]
    if roles is not None:
        spans = spans[spans["role"].isin(set(roles))]
    if municipalities is not None:
        wanted = set(municipalities)
        spans = spans[[m in wanted or redactor.municipality(m) in wanted for m in spans["municipality"]]]
    if documents is not None:
        wanted = set(documents)
        spans = spans[[d in wanted or ctx.header(d).name in wanted for d in spans["document_id"]]]

    if merge_adjacent:
        # Whether two codings have only white space between them; a reader on a server may not
        # read transcripts, and the anonymised gap is blank exactly when the raw one is.
        gap = ctx.slice if project.db.may_read("documents", "text") else redactor.quote
        spans = _merge_adjacent(spans, gap)
    else:
        spans = spans.assign(coding_ids=[str(i) for i in spans["coding_id"]])

    def printable(document_id: int, start: int, end: int) -> str:
        text = redactor.quote(ctx.header(document_id), start, end).strip()
        return clean_for_print(text) if clean else text

    widener = None
    if widen and len(spans):
        # One look-up of sentences per cluster of nearby quotes.
        where = zip(spans["document_id"].tolist(), spans["start"].tolist(), spans["end"].tolist())
        widener = Widener.clustered(project.documents.sentences_around, where, printable)
    ratings = project.ratings.ratings(int(i) for ids in spans["coding_ids"] for i in ids.split(","))
    rows = []
    for s in spans.itertuples(index=False):
        header = ctx.header(s.document_id)
        # The header, not the document: raw quotes are cut in SQL and anonymised ones
        # from the cache, so listing a code never loads whole interviews.
        unedited = redactor.quote(header, s.start, s.end).strip()
        quote = clean_for_print(unedited) if clean else unedited
        words = len(quote.split())
        if (min_words is not None and words < min_words) or (max_words is not None and words > max_words):
            continue
        if widener is not None:
            passage = widener.widen(s.document_id, s.start, s.end)
            passage_text, passage_start, passage_end = passage.text, passage.start, passage.end
        else:
            passage_text, passage_start, passage_end = quote, s.start, s.end
        participant = redactor.participant(s.participant_id, s.document_id)
        label = role_label(s.role, lang) if s.role else ""
        attribution = f"({label}, {participant})" if with_participant else f"({label})"
        rated = [ratings[int(i)] for i in s.coding_ids.split(",") if int(i) in ratings]
        rows.append(
            {
                "quote_id": s.coding_id,
                "theme": s.theme,
                "theme_name": ctx.name(s.theme),
                "code": s.code,
                "code_name": ctx.name(s.code),
                "quote": quote,
                "quote_unedited": unedited,
                "attribution": attribution,
                "passage": passage_text,
                "role": s.role,
                "participant": participant,
                "municipality": redactor.municipality(s.municipality),
                "document": redactor.document(header),
                "timestamp": format_time(s.start_time),
                "coder": s.coder,
                "status": s.status,
                "source": s.source,
                "score": s.score,
                "rating": sum(rated) / len(rated) if rated else None,
                "stands_alone": stands_alone(passage_text),
                "words": words,
                "document_id": s.document_id,
                "start": s.start,
                "end": s.end,
                "passage_start": passage_start,
                "passage_end": passage_end,
                "coding_ids": s.coding_ids,
            }
        )
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def _with_descendants(codebook: Codebook, codes: Iterable[str]) -> set[str]:
    """The codes and every code below them (codes the codebook lacks are kept as given)."""
    out: set[str] = set()
    for code in codes:
        out.add(code)
        if code in codebook:
            out.update(c.id for c in codebook.descendants(code))
    return out


def _merge_adjacent(spans: pd.DataFrame, gap: Callable[[int, int, int], str]) -> pd.DataFrame:
    """Join codings of consecutive sentences in one turn into one passage, in document order.

    ``gap(document_id, start, end)`` is the text between two codings (raw or anonymised).
    """
    keys = ["document_id", "code", "coder", "status", "source", "turn"]
    merged: list[dict] = []
    for row in spans.sort_values([*keys, "start"]).to_dict("records"):
        last = merged[-1] if merged else None
        if (
            last is not None
            and all(last[k] == row[k] for k in keys)
            and row["start"] >= last["end"]
            and not gap(row["document_id"], last["end"], row["start"]).strip()
        ):
            last["end"] = max(last["end"], row["end"])
            last["coding_ids"] += f",{row['coding_id']}"
            continue
        merged.append({**row, "coding_ids": str(row["coding_id"])})
    out = pd.DataFrame(merged, columns=[*spans.columns, "coding_ids"])
    return out.sort_values(["document_id", "start", "coding_id"]).reset_index(drop=True)


def printed(row, lang: str | None = None) -> str:
    """A quote the way a report prints it: »…« (chef) in Danish, “…” (manager) in English.

    The passage (the quote widened to stand on its own) when the row has one.
    """
    text = row.get("passage") if hasattr(row, "get") else None
    text = text if isinstance(text, str) and text else row["quote"]
    return f"{quote_marks(text, lang)} {row['attribution']}"


def quote_marks(text: str, lang: str | None = None) -> str:
    """A quotation in the language's marks: »…« (Danish), “…” (English)."""
    return f"»{text}«" if resolve_lang(lang) == "da" else f"\u201c{text}\u201d"
