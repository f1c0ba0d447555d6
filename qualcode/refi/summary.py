"""The per-kind table that ends every REFI-QDA import: what the file held, what came in, and why not.

One row per kind the file holds (sources by kind, codes, codings, notes,
sets, ...): how many the file has, how many were imported as new, how many
were already in the project (matched by GUID, content or span), and how
many were not imported, each reason on its own line. The same rows are the
API's :attr:`RefiImportReport.summary` and the CLI's table.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.i18n import N_, format_number
from qualcode.i18n import gettext as _

# Kinds in the order the table lists them, with their labels (translated when shown).
KINDS: tuple[tuple[str, str], ...] = (
    ("users", N_("users")),
    ("codes", N_("codes")),
    ("text", N_("text sources")),
    ("pdf", N_("PDF sources")),
    ("transcript", N_("transcripts")),
    ("picture", N_("pictures")),
    ("audio", N_("audio sources")),
    ("video", N_("video sources")),
    ("codings", N_("codings")),
    ("notes", N_("notes")),
    ("comments", N_("comments")),
    ("variables", N_("variables")),
    ("cases", N_("cases")),
    ("case_parts", N_("case parts")),
    ("sets", N_("sets")),
    ("links", N_("links")),
    ("graphs", N_("graphs")),
)
_LABELS = dict(KINDS)


@dataclass(frozen=True)
class SummaryRow:
    kind: str
    in_file: int
    imported: int
    matched: int
    not_imported: int
    reasons: tuple[tuple[int, str], ...] = ()  # (count, reason), largest first

    @property
    def label(self) -> str:
        return _(_LABELS.get(self.kind, self.kind))


def summary_rows(found, imported, matched, dropped) -> tuple[SummaryRow, ...]:
    """Rows for every kind the file holds (``found``), in :data:`KINDS` order."""
    counts: dict[tuple[str, str], int] = {}
    for d in dropped:
        if d.count:
            counts[(d.kind, d.reason)] = counts.get((d.kind, d.reason), 0) + d.count
    reasons: dict[str, list[tuple[int, str]]] = {}
    for (kind, reason), n in counts.items():
        reasons.setdefault(kind, []).append((n, reason))
    rows = []
    for kind, _label in KINDS:
        if not found.get(kind):
            continue
        why = tuple(sorted(reasons.get(kind, ()), key=lambda r: (-r[0], r[1])))
        rows.append(SummaryRow(kind, found[kind], imported.get(kind, 0), matched.get(kind, 0),
                               sum(n for n, _r in why), why))
    return tuple(rows)


def format_summary(rows: tuple[SummaryRow, ...]) -> str:
    """The rows as a plain-text table (numbers right-aligned, reasons under "Reason")."""
    headers = (_("Kind"), _("In file"), _("Imported"), _("Already there"), _("Not imported"), _("Reason"))
    lines: list[tuple[str, ...]] = []
    for row in rows:
        counts = [format_number(n) for n in (row.in_file, row.imported, row.matched, row.not_imported)]
        first_reason = _reason(row.reasons[0], len(row.reasons)) if row.reasons else ""
        lines.append((row.label, *counts, first_reason))
        for reason in row.reasons[1:]:
            lines.append(("", "", "", "", "", _reason(reason, len(row.reasons))))
    widths = [max(len(h), *(len(line[k]) for line in lines)) if lines else len(h) for k, h in enumerate(headers)]

    def fmt(cells: tuple[str, ...]) -> str:
        parts = [cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:5], widths[1:5])] + [cells[5]]
        return "  ".join(parts).rstrip()

    return "\n".join([fmt(headers), fmt(tuple("-" * w for w in widths[:5]) + ("-" * max(widths[5], 5),))]
                     + [fmt(line) for line in lines])


def _reason(reason: tuple[int, str], n_reasons: int) -> str:
    count, text = reason
    return text if n_reasons == 1 else f"{format_number(count)}: {text}"
