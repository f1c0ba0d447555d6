"""Draft gold annotations for anonymisation from the per-file identifier lists.

    python tools/build_gold_pii.py [--samples transcripts_sample] [--out draft.csv] [--contexts]

For each sample transcript NN_*.ext with ``annotations/identifiers_NN.tsv``
(columns surface, type, note; type KEEP = must not be masked), every
occurrence of every listed surface in the text ``read_transcript`` produces
is located: case-sensitive, on word boundaries, with a genitive ending
("Sørens", "Aarhus'") included in the mention, longest surface first so
"Hedelund Kommune" is one mention and not "Hedelund" + "Kommune". Surfaces
typed KEEP are never annotated, and an occurrence of a PII surface inside a
KEEP surface is skipped.

Annotation conventions (the same ones the anonymiser's operators follow):

- a mention is the identifying name, not the generic word around it: in
  "Jobcenter Hedelund", "Lindholt Skole", "Hedelund-huset" and "Lokalrådet i
  Østerlund" the mention is the place ("Jobcenter [Kommune B]" reads well and
  identifies no one); "Fjordby Kommune" is one mention (its label says
  Kommune); hospitals are one organisation mention ("Sygehus Sydvest");
- units every municipality has (departments, committees) and national
  organisations identify no one and are not annotated, whatever type a list
  gives them: the lists disagree (FOA and Beskæftigelsesudvalget are ORG in
  one list and KEEP in another), and the KEEP reading is the majority one;
- speaker labels that are names ("Pernille Juhl: ...", "[Sara]") are
  mentions: they are in the text and identify the speaker. The lists leave
  most of them out, so they are added from the transcript's turns.

This is only a draft. String matching cannot tell the name "Mark" from the
word at the start of a sentence, so every row must be read in context
(``--contexts`` prints each row with the words around it) and the checked
result saved as ``annotations/gold_pii.csv``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcode.anonymise.spans import PII_TYPES  # noqa: E402
from qualcode.readers import SUPPORTED_SUFFIXES, read_transcript  # noqa: E402

# How the identifier lists may spell the types.
TYPE_ALIASES = {
    "PER": "PERSON", "NAME": "PERSON", "NAVN": "PERSON", "LOC": "PLACE", "GPE": "PLACE", "STED": "PLACE",
    "MUNICIPALITY": "PLACE", "KOMMUNE": "PLACE", "TOWN": "PLACE", "BY": "PLACE", "ORGANISATION": "ORG",
    "ORGANIZATION": "ORG", "INSTITUTION": "ORG", "TELEFON": "PHONE", "TLF": "PHONE", "MAIL": "EMAIL",
    "E-MAIL": "EMAIL", "ADRESSE": "ADDRESS", "WEB": "URL",
}


def read_identifiers(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if n == 1 and cells[0].strip().lower() == "surface":
            continue
        surface, type_ = cells[0].strip(), (cells[1].strip().upper() if len(cells) > 1 else "")
        note = cells[2].strip() if len(cells) > 2 else ""
        type_ = TYPE_ALIASES.get(type_, type_)
        if type_ != "KEEP" and type_ not in PII_TYPES:
            raise SystemExit(f"{path}:{n}: unknown type {type_!r}")
        rows.append((surface, type_, note))
    return rows


# Generic words around a place that stay readable in the anonymised text.
_LEADING_UNITS = re.compile(
    r"^(Jobcenter|Frivilligcenter|Botilbuddet|Foreningen|Lokalrådet i|Medborgerhuset i|"
    r"Psykiatrisk Ambulatorium i) "
)
_TRAILING_UNITS = re.compile(r" (Skole|Brugs|Avis|Boldklub|Lokalråd)$|-[a-zæøå]+$")
_HOSPITAL = re.compile(r"\b(Sygehus|Hospital|Universitetshospital)\b")
# Read as KEEP whatever type a list gives them (see the module docstring).
POLICY_KEEP = re.compile(
    r"^(FOA|HK|Børn og Familie|Børn og Families|Social og Handicap|Social og Sundhed|"
    r"[\w-]+(-)? og [\w]+udvalget|[A-ZÆØÅ]\w*udvalget)$"
)


def convention(surface: str, type_: str) -> tuple[int, int, str]:
    """The part of a listed surface that is the mention: (offset, length, type)."""
    if _HOSPITAL.search(surface):
        return 0, len(surface), "ORG"
    start, end = 0, len(surface)
    lead = _LEADING_UNITS.match(surface)
    if lead:
        start = lead.end()
        if lead.group(1) not in ("Foreningen", "Botilbuddet"):
            type_ = "PLACE"
    trail = _TRAILING_UNITS.search(surface[start:])
    if trail:
        end = start + trail.start()
        type_ = "PLACE"
    return start, end - start, type_


def label_rows(path: Path, transcript) -> list[dict[str, object]]:
    """Speaker labels that are names, as they stand in the text before each turn."""
    from qualcode.anonymise.register import is_name_label

    rows = []
    for turn in transcript.turns:
        if not is_name_label(turn.speaker):
            continue
        line_start = transcript.text.rfind("\n", 0, turn.start) + 1
        at = transcript.text.find(turn.speaker, line_start, turn.start)
        if at >= 0:
            rows.append({"file": path.name, "start": at, "end": at + len(turn.speaker), "type": "PERSON",
                         "text": turn.speaker})
    return rows


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    pattern = r"(?<![\w@.])" + re.escape(surface) + r"(?:s\b|'(?!\w)|’(?!\w))?(?![\w@])"
    found = []
    for m in re.finditer(pattern, text):
        end = m.end()
        if surface[-1:].isdigit() or not surface[-1:].isalnum():
            end = m.start() + len(surface)  # numbers and addresses take no genitive
        found.append((m.start(), end))
    return found


def draft(samples: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for path in sorted(p for p in samples.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES and p.name[:2].isdigit()):
        number = path.name.split("_", 1)[0]
        identifiers = samples / "annotations" / f"identifiers_{number}.tsv"
        if not identifiers.exists():
            print(f"warning: no {identifiers.name} for {path.name}", file=sys.stderr)
            continue
        transcript = read_transcript(path)
        text = transcript.text
        listed = read_identifiers(identifiers)
        keep_surfaces = [surface for surface, t, _ in listed if t == "KEEP" or POLICY_KEEP.match(surface)]
        keep = [(s, e) for surface in keep_surfaces for s, e in occurrences(text, surface)]
        taken: list[tuple[int, int]] = []
        for row in label_rows(path, transcript):
            taken.append((int(row["start"]), int(row["end"])))
            rows.append(row)
        for surface, type_, _ in sorted((r for r in listed if r[1] != "KEEP"), key=lambda r: -len(r[0])):
            if POLICY_KEEP.match(surface):
                continue
            for start, end in occurrences(text, surface):
                if any(s < end and start < e for s, e in taken):
                    continue
                if any(s <= start and end <= e and (e - s) > (end - start) for s, e in keep):
                    continue
                taken.append((start, end))
                offset, length, mention_type = convention(text[start:end], type_)
                if type_ in ("PERSON", "PLACE", "ORG") and (offset or length != end - start):
                    # The generic part is claimed too, so no shorter surface is drafted inside it.
                    start, end, type_ = start + offset, start + offset + length, mention_type
                rows.append({"file": path.name, "start": start, "end": end, "type": type_, "text": text[start:end]})
    rows.sort(key=lambda r: (r["file"], r["start"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "transcripts_sample")
    parser.add_argument("--out", type=Path, default=None, help="draft CSV (default: stdout)")
    parser.add_argument("--contexts", action="store_true", help="print each row with its context for checking")
    args = parser.parse_args(argv)
    rows = draft(args.samples)
    if args.contexts:
        texts = {}
        for row in rows:
            path = args.samples / str(row["file"])
            if path not in texts:
                texts[path] = read_transcript(path).text
            text = texts[path]
            s, e = int(row["start"]), int(row["end"])
            context = (text[max(0, s - 40) : s] + "[[" + text[s:e] + "]]" + text[e : e + 40]).replace("\n", " / ")
            print(f"{row['file']}\t{s}\t{row['type']}\t{context}")
        return 0
    out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
    writer = csv.DictWriter(out, fieldnames=["file", "start", "end", "type", "text"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    if args.out:
        out.close()
        print(f"{len(rows)} rows drafted to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
