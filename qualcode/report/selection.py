"""A ranked shortlist of quotes per code, the way a report writer would pick them.

Preferences, in order: accepted human codings over machine ones; a readable
length (long enough to stand alone, short enough to print); and a spread over
participants and roles, so one talkative interviewee does not fill a theme.
"""

from __future__ import annotations

import pandas as pd

# A quote of 12-60 words reads well in a report; shorter ones rarely stand alone.
READABLE_WORDS = (12, 60)

_SOURCE_RANK = {"human": 0, "consensus": 0, "machine": 1}
_STATUS_RANK = {"accepted": 0, "needs_review": 1, "suggested": 2}


def readability(words: int, readable: tuple[int, int] = READABLE_WORDS) -> float:
    """1.0 inside the readable range, falling off linearly outside it."""
    low, high = readable
    if words < low:
        return max(0.0, words / low)
    if words > high:
        return max(0.0, 1.0 - (words - high) / high)
    return 1.0


def shortlist(
    quotes: pd.DataFrame,
    *,
    per_code: int = 3,
    max_per_participant: int = 1,
    readable: tuple[int, int] = READABLE_WORDS,
    by: str = "code",
) -> pd.DataFrame:
    """The best ``per_code`` quotes of each code (or theme, ``by="theme"``), with a ``rank`` column.

    Picks greedily: each step takes the best remaining quote (human before
    machine, accepted before open, readable length), where a quote from a
    role not yet shown for this code beats one from a role already shown, and
    a participant already shown ``max_per_participant`` times is skipped. Same span coded twice (two coders) counts once.
    """
    if quotes.empty:
        return quotes.assign(rank=pd.Series(dtype=int))
    scored = quotes.assign(
        _source=quotes["source"].map(_SOURCE_RANK).fillna(2),
        _status=quotes["status"].map(_STATUS_RANK).fillna(3),
        _readable=[readability(w, readable) for w in quotes["words"]],
    ).drop_duplicates(subset=[by, "document_id", "start", "end"])
    picked = []
    for _key, group in scored.groupby(by, sort=False):
        # Within a preference class, the more readable, then the earlier in the material.
        group = group.sort_values(["_source", "_status", "_readable", "document_id", "start"], ascending=[True, True, False, True, True])
        # Plain lists: the greedy loop looks at single rows, where pandas look-ups are slow.
        index = group.index.tolist()
        participants = group["participant"].tolist()
        roles = group["role"].tolist()
        classes = list(zip(group["_source"].tolist(), group["_status"].tolist()))
        per_participant: dict[str, int] = {}
        roles_shown: set[str] = set()
        chosen: list[int] = []
        candidates = list(range(len(index)))
        while candidates and len(chosen) < per_code:
            allowed = [k for k in candidates if per_participant.get(participants[k], 0) < max_per_participant]
            if not allowed:
                break
            best = allowed[0]  # the group is sorted best-first
            # A role not yet shown wins, but only within the best source/status class.
            fresh = [k for k in allowed if roles[k] not in roles_shown and classes[k] == classes[best]]
            if fresh:
                best = fresh[0]
            chosen.append(best)
            candidates.remove(best)
            per_participant[participants[best]] = per_participant.get(participants[best], 0) + 1
            roles_shown.add(roles[best])
        for rank, k in enumerate(chosen, 1):
            picked.append((index[k], rank))
    if not picked:
        return quotes.iloc[0:0].assign(rank=pd.Series(dtype=int))
    index, ranks = zip(*picked)
    out = scored.loc[list(index)].assign(rank=list(ranks))
    return out.drop(columns=["_source", "_status", "_readable"]).reset_index(drop=True)
