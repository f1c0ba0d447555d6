"""Search hits as a DataFrame (``project.search``)."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from qualcode.search.search import SearchHit, kwic

COLUMNS = ["document_id", "document", "turn", "speaker", "role", "start", "end", "start_time",
           "left", "hit", "right", "sentence_start", "sentence_end"]


def hits_frame(project, hits: Sequence[SearchHit]) -> pd.DataFrame:
    rows, text, current = [], "", None
    for h in hits:
        if h.document_id != current:
            current, text = h.document_id, project.documents.get(h.document_id).text
        left, hit, right = kwic(text, h.start, h.end, within=(h.turn_start, h.turn_end))
        rows.append({
            "document_id": h.document_id, "document": h.document, "turn": h.turn_index, "speaker": h.speaker,
            "role": h.role, "start": h.start, "end": h.end, "start_time": h.start_time, "left": left, "hit": hit,
            "right": right, "sentence_start": h.sentence_start, "sentence_end": h.sentence_end,
        })
    return pd.DataFrame(rows, columns=COLUMNS)
