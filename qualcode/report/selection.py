"""Which quotes a report prints: spread over roles and people first, then the best of them.

A report that quotes the talkative interviews and the first pages of each
transcript misrepresents a study. The selection therefore, for each code:

1. prefers quotes a reader understands on their own (:func:`stands_alone`,
   at least a few words, not rated 1 "do not use") — a weak quote is used
   only when a code has no other;
2. gives every role that has coded material for the code a quote before any
   role gets a second, and every interviewee one before anyone gets a second
   (at most ``max_per_participant`` per interviewee and code); among roles
   not yet quoted, the role and person quoted least in the report so far go
   first;
3. then takes the coders' rating (1-5), the model's confidence (a person's
   own coding counts as certain) and a readable length;
4. breaks remaining ties by a hash of the quote's position, never by
   document order.

A quote (its printed passage) is used once per report by default: it goes
under the code where it scores best, and overlapping passages count as the
same quote; ``repeats=True`` allows a quote under several codes. Codes with
few candidates choose first, so a rare code is not left without a quote
because a common one took it.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

# A quote of 12-60 words reads well in a report; shorter ones rarely stand alone.
READABLE_WORDS = (12, 60)
NEUTRAL_RATING = 3.0   # an unrated quote ranks between "good" (4-5) and "weak" (1-2)
AVOID_RATING = 1.0     # "do not use": only when a code has no other quote
MIN_WORDS = 4

_STATUS_RANK = {"accepted": 0, "needs_review": 1, "suggested": 2}


def readability(words: int, readable: tuple[int, int] = READABLE_WORDS) -> float:
    """1.0 inside the readable range, falling off linearly outside it."""
    low, high = readable
    if words < low:
        return max(0.0, words / low)
    if words > high:
        return max(0.0, 1.0 - (words - high) / high)
    return 1.0


@dataclass
class _Candidate:
    index: int
    key: str            # the code (or theme) it would be printed under
    role: str
    participant: str
    document_id: int
    span: tuple[int, int]
    status: int
    weak: bool
    quality: tuple[float, float, float]
    tiebreak: int
    away: bool = False  # another code holds the same quote with a better score


def shortlist(
    quotes: pd.DataFrame,
    *,
    per_code: int = 3,
    max_per_participant: int = 1,
    readable: tuple[int, int] = READABLE_WORDS,
    by: str = "code",
    repeats: bool = False,
) -> pd.DataFrame:
    """The ``per_code`` quotes of each code (or theme, ``by="theme"``) a report prints, with a ``rank`` column.

    ``quotes`` is :func:`qualcode.report.quote_table` output; the order of
    its rows does not matter. See the module docstring for the rules.
    """
    if quotes.empty:
        return quotes.assign(rank=pd.Series(dtype=int))
    # The same span coded alike by two coders is one quote.
    quotes = quotes.drop_duplicates(subset=[by, "document_id", "start", "end"])
    candidates = _candidates(quotes, by, readable)
    by_key: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_key[c.key].append(c)
    if not repeats:
        _mark_away(candidates)
    # Scarce codes choose first; among equals, the order the codes come in.
    order = sorted(by_key, key=lambda k: (len(by_key[k]), list(by_key).index(k)))
    used: dict[int, list[tuple[int, int]]] = defaultdict(list)
    role_uses: Counter = Counter()
    person_uses: Counter = Counter()
    chosen: dict[str, list[_Candidate]] = {k: [] for k in by_key}
    for _round in range(per_code):
        for key in order:
            picked = chosen[key]
            if len(picked) >= per_code:
                continue
            roles_here = {c.role for c in picked}
            people_here = Counter(c.participant for c in picked)
            allowed = [
                c for c in by_key[key]
                if c not in picked
                and people_here[c.participant] < max_per_participant
                and (repeats or not _overlaps(c, used))
            ]
            if not allowed:
                continue
            best = min(allowed, key=lambda c: (
                c.status,
                c.weak,
                c.role in roles_here,
                people_here[c.participant] > 0,
                role_uses[c.role],
                person_uses[c.participant],
                c.away,
                tuple(-q for q in c.quality),
                c.tiebreak,
            ))
            picked.append(best)
            used[best.document_id].append(best.span)
            role_uses[best.role] += 1
            person_uses[best.participant] += 1
    rows = [(c.index, rank) for key in by_key for rank, c in enumerate(chosen[key], 1)]
    if not rows:
        return quotes.iloc[0:0].assign(rank=pd.Series(dtype=int))
    index, ranks = zip(*rows)
    return quotes.loc[list(index)].assign(rank=list(ranks)).reset_index(drop=True)


def _candidates(quotes: pd.DataFrame, by: str, readable: tuple[int, int]) -> list[_Candidate]:
    has_passage = "passage" in quotes.columns
    out = []
    for i, row in zip(quotes.index, quotes.to_dict("records")):
        text = row["passage"] if has_passage and isinstance(row.get("passage"), str) and row["passage"] else row["quote"]
        start = row.get("passage_start", row["start"]) if has_passage else row["start"]
        end = row.get("passage_end", row["end"]) if has_passage else row["end"]
        rating = row.get("rating")
        rating = NEUTRAL_RATING if rating is None or pd.isna(rating) else float(rating)
        score = row.get("score")
        # A person's own coding is as certain as a coding gets; the model's score is its confidence.
        confidence = 1.0 if score is None or pd.isna(score) or row.get("source") != "machine" else float(score)
        alone = bool(row["stands_alone"]) if "stands_alone" in row and row["stands_alone"] is not None else True
        words = len(text.split())
        out.append(_Candidate(
            index=i,
            key=row[by],
            role=row.get("role") or "",
            participant=row.get("participant") or "",
            document_id=int(row["document_id"]),
            span=(int(start), int(end)),
            status=_STATUS_RANK.get(row.get("status"), 3),
            weak=not alone or words < MIN_WORDS or rating <= AVOID_RATING,
            quality=(rating, confidence, readability(words, readable)),
            tiebreak=zlib.crc32(f"{row['document_id']}:{start}:{row[by]}".encode()),
        ))
    return out


def _mark_away(candidates: list[_Candidate]) -> None:
    """Mark a quote that another code holds with a better score: it should be printed there."""
    by_document: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_document[c.document_id].append(c)
    for group in by_document.values():
        group.sort(key=lambda c: c.span)
        for i, c in enumerate(group):
            for other in group[i + 1:]:
                if other.span[0] >= c.span[1]:
                    break
                if other.key == c.key:
                    continue
                if other.quality > c.quality:
                    c.away = True
                elif c.quality > other.quality:
                    other.away = True


def _overlaps(c: _Candidate, used: dict[int, list[tuple[int, int]]]) -> bool:
    return any(c.span[0] < e and s < c.span[1] for s, e in used.get(c.document_id, ()))


__all__ = ["READABLE_WORDS", "readability", "shortlist"]
