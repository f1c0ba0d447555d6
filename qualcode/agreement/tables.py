"""Agreement, confusion and disagreement tables (pandas DataFrames) from :class:`CodedUnits`."""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

import pandas as pd

from qualcode.agreement.stats import cohen_kappa, krippendorff_alpha_nominal, percent_agreement
from qualcode.agreement.units import CodedUnits
from qualcode.i18n import gettext as _
from qualcode.roles import display_speaker

NO_CODE = "-"  # in the disagreement table: the coder coded the unit, with no code


def agreement_table(cu: CodedUnits, lang: str | None = None) -> pd.DataFrame:
    """One row per code, then two overall rows.

    Per code, every unit is a yes/no decision per coder. "All codes" pools
    those decisions over codes (each unit x code is one decision); "code set"
    treats each unit's whole set of codes as one nominal value, so a unit
    counts as agreed only if the coders chose exactly the same codes.
    Cohen's kappa is given for exactly two coders (NaN otherwise);
    Krippendorff's alpha (nominal) for any number, with missing data.
    """
    rows = []
    pooled: list[list[bool | None]] = [[] for _ in cu.coders]
    for code_id in cu.code_ids:
        data = cu.values(code_id)
        for i, row in enumerate(data):
            pooled[i].extend(row)
        rows.append(_row(cu, "code", code_id, cu.code_names[code_id], data, binary=True))
    if cu.code_ids:
        rows.append(_row(cu, "overall", None, _("Overall (all codes)", lang), pooled, binary=True))
    rows.append(_row(cu, "overall", None, _("Overall (code set per unit)", lang),
                     cu.set_labels(), binary=False))
    columns = ["level", "code_id", "name", "units", *[f"applied_{c}" for c in cu.coders],
               "percent_agreement", "cohen_kappa", "krippendorff_alpha"]
    table = pd.DataFrame(rows, columns=columns)
    for coder in cu.coders:  # counts; missing (not defined) for the code-set row
        table[f"applied_{coder}"] = table[f"applied_{coder}"].astype("Int64")
    return table


def _row(cu: CodedUnits, level: str, code_id: str | None, name: str, data, *, binary: bool) -> dict:
    n_units = len(cu.segments)
    row = {
        "level": level,
        "code_id": code_id,
        "name": name,
        # units coded by at least two coders: the units agreement is measured on
        "units": sum(1 for u in range(n_units) if len(cu.coded_by(u)) >= 2),
    }
    compared = [len(cu.coded_by(u)) >= 2 for u in range(n_units)]
    for coder, values in zip(cu.coders, data):
        # "yes, this code" decisions on the compared units (not defined for whole code sets)
        row[f"applied_{coder}"] = (
            sum(1 for k, v in enumerate(values) if v is True and compared[k % n_units]) if binary else math.nan
        )
    row["percent_agreement"] = percent_agreement(data)
    row["cohen_kappa"] = cohen_kappa(data[0], data[1]) if len(cu.coders) == 2 else math.nan
    row["krippendorff_alpha"] = krippendorff_alpha_nominal(data)
    return row


def confusion_table(cu: CodedUnits) -> pd.DataFrame:
    """Which codes are swapped for which: candidates for merging or sharper definitions.

    For every pair of coders who both coded a unit, each code only the first
    chose, set against each code only the second chose, is one swap. Pairs
    are unordered (x for y is the same confusion as y for x). A code one
    coder chose where the other chose nothing at all is counted as a swap
    with "-" (no code): a missed or over-used code rather than a confusion.
    """
    swaps: Counter = Counter()
    units: dict[tuple[str, str], set[int]] = {}
    for u in range(len(cu.segments)):
        for i, j in combinations(cu.coded_by(u), 2):
            a, b = cu.codes[i][u], cu.codes[j][u]
            only_a, only_b = a - b, b - a
            if not only_a and not only_b:
                continue
            left = sorted(only_a) or [NO_CODE]
            right = sorted(only_b) or [NO_CODE]
            for x in left:
                for y in right:
                    key = tuple(sorted((x, y), key=lambda k: (k == NO_CODE, k)))
                    swaps[key] += 1
                    units.setdefault(key, set()).add(u)
    rows = [
        {
            "code_1": x,
            "name_1": cu.code_names.get(x, x),
            "code_2": y,
            "name_2": cu.code_names.get(y, y),
            "swaps": n,
            "units": len(units[(x, y)]),
        }
        for (x, y), n in swaps.items()
    ]
    rows.sort(key=lambda r: (r["code_2"] == NO_CODE, -r["swaps"], r["code_1"], r["code_2"]))
    return pd.DataFrame(rows, columns=["code_1", "name_1", "code_2", "name_2", "swaps", "units"])


def confusion_matrix(cu: CodedUnits, coders: tuple[str, str] | None = None) -> pd.DataFrame:
    """Two coders' codes against each other: rows the first coder's codes, columns the second's.

    On units both coded: the diagonal counts codes both applied; a cell
    (x, y) counts units where only the first chose x and only the second
    chose y; the "-" row and column count a code set against no code at all.
    """
    first, second = coders or cu.coders[:2]
    i, j = cu.coders.index(first), cu.coders.index(second)
    labels = list(cu.code_ids) + [NO_CODE]
    matrix = pd.DataFrame(0, index=pd.Index(labels, name=first), columns=pd.Index(labels, name=second))
    for u in range(len(cu.segments)):
        a, b = cu.codes[i][u], cu.codes[j][u]
        if a is None or b is None:
            continue
        for x in a & b:
            matrix.loc[x, x] += 1
        only_a, only_b = a - b, b - a
        if only_a or only_b:
            for x in sorted(only_a) or [NO_CODE]:
                for y in sorted(only_b) or [NO_CODE]:
                    matrix.loc[x, y] += 1
    return matrix


def disagreement_table(cu: CodedUnits, *, context: int = 1, redactor=None) -> pd.DataFrame:
    """Units the coders coded differently, in document order, for a consensus meeting.

    Each row shows the segment with ``context`` segments before and after,
    each coder's codes ("-" = coded the document but gave this unit no code,
    empty = did not code the document), and an empty ``agreed`` column for
    the meeting to fill in with the agreed code ids (comma-separated; "-" for
    "no code"). :func:`qualcode.agreement.record_consensus_table` reads it back.

    ``redactor`` (:func:`qualcode.report.privacy.redactor_for`) says what the
    table may show of people: texts cut from the anonymised documents,
    pseudonymous document names and speakers. The ids and offsets the
    consensus is recorded by are the same either way.
    """
    show = (lambda s: s.text) if redactor is None else (lambda s: redactor.quote(s.document_id, s.start, s.end))
    rows = []
    for u, seg in enumerate(cu.segments):
        coded = cu.coded_by(u)
        if len(coded) < 2 or len({cu.codes[i][u] for i in coded}) == 1:
            continue
        before = [show(s) for s in cu.segments[max(0, u - context):u] if s.document_id == seg.document_id]
        after = [show(s) for s in cu.segments[u + 1:u + 1 + context] if s.document_id == seg.document_id]
        name = cu.document_names[seg.document_id]
        row = {
            "document_id": seg.document_id,
            "document": name if redactor is None else redactor.document_label(seg.document_id, name),
            "segment_id": seg.id,
            "start": seg.start,
            "end": seg.end,
            "speaker": display_speaker(seg.speaker) if redactor is None else redactor.speaker(display_speaker(seg.speaker)),
            "role": seg.role,
            "before": " ".join(before),
            "text": show(seg),
            "after": " ".join(after),
        }
        for i, coder in enumerate(cu.coders):
            codes = cu.codes[i][u]
            row[f"codes_{coder}"] = "" if codes is None else (", ".join(_ordered(cu, codes)) or NO_CODE)
        row["agreed"] = ""
        rows.append(row)
    columns = ["document_id", "document", "segment_id", "start", "end", "speaker", "role", "before", "text",
               "after", *[f"codes_{c}" for c in cu.coders], "agreed"]
    return pd.DataFrame(rows, columns=columns)


def _ordered(cu: CodedUnits, codes: frozenset[str]) -> list[str]:
    rank = {cid: k for k, cid in enumerate(cu.code_ids)}
    return sorted(codes, key=lambda c: (rank.get(c, len(rank)), c))
