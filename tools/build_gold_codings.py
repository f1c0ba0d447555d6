"""Build transcripts_sample/gold_codings.csv from the per-transcript coding sheets.

    python tools/build_gold_codings.py

Reads transcripts_sample/annotations/gold_coding_NN.tsv (segment_index, codes,
note), imports the samples into a temporary project to get each sentence's
offsets, checks every code id against the shipped codebooks, and writes one
row per coded segment and code (and one row with an empty code for each
reviewed segment that has no code, so precision can be measured honestly).
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from qualcode.codebook import load_codebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_worksheet import SAMPLES, sample_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CODEBOOKS = {
    "barrierer_drivkraefter": load_codebook(ROOT / "codebooks" / "barrierer_drivkraefter.yaml"),
    "relationel_koordinering": load_codebook(ROOT / "codebooks" / "relationel_koordinering.yaml"),
}
COLUMNS = ("document", "unit", "segment_index", "start", "end", "text", "code_id", "codebook")


def codebook_of(code_id: str) -> str:
    for name, codebook in CODEBOOKS.items():
        if code_id in codebook:
            if not codebook.is_leaf(code_id):
                raise SystemExit(f"{code_id}: is a theme, code with one of its children")
            return name
    raise SystemExit(f"{code_id}: not a code in the shipped codebooks")


def main() -> None:
    sheets = sorted((SAMPLES / "annotations").glob("gold_coding_*.tsv"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sample_project(Path(tmp)) as project:
        by_number = {d.name[:2]: d for d in project.documents.all()}
        for sheet in sheets:
            doc = by_number[sheet.stem.rsplit("_", 1)[1]]
            segments = {s.index: s for s in project.documents.segments(doc.id)}
            with sheet.open(encoding="utf-8", newline="") as f:
                for line, rec in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
                    index = int(rec["segment_index"])
                    seg = segments.get(index)
                    if seg is None:
                        raise SystemExit(f"{sheet}:{line}: no sentence {index} in {doc.name}")
                    if seg.is_interviewer:
                        raise SystemExit(f"{sheet}:{line}: sentence {index} is the interviewer's")
                    codes = [c.strip() for c in (rec.get("codes") or "").split(",") if c.strip()]
                    base = [doc.name, "sentence", index, seg.start, seg.end, seg.text]
                    if not codes:
                        rows.append(base + ["", ""])
                    for code in codes:
                        rows.append(base + [code, codebook_of(code)])
    out = SAMPLES / "gold_codings.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    coded = {(r[0], r[2]) for r in rows if r[6]}
    print(f"{out}: {len(rows)} rows, {len(coded)} coded segments from {len(sheets)} sheets")


if __name__ == "__main__":
    main()
