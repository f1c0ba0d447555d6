"""Measure detection against hand-checked annotations: recall and precision per type.

Gold file (CSV): ``file,start,end,type,text``; offsets into the text
``qualcode.readers.read_transcript`` produces for ``file``. A gold mention is
*found* when predicted spans cover every letter and digit of it (of any
type: a name masked as a place is still masked). A predicted span is
*correct* when it overlaps a gold mention. Recall is per gold type,
precision per predicted type.

Hard cases (TSV): ``text``, ``expected`` with expected spans written
``surface=TYPE`` and separated by `` | ``; an empty expected column means
nothing may be masked. Each row is run through a fresh anonymiser.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from qualcode.anonymise.spans import PII_TYPES, PiiSpan
from qualcode.errors import InputError
from qualcode.i18n import format_number, gettext as _
from qualcode.tables import Rows, table_text


@dataclass(frozen=True)
class GoldSpan:
    file: str
    start: int
    end: int
    type: str
    text: str
    line: int = 0


@dataclass
class TypeScore:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None


@dataclass
class Evaluation:
    by_type: dict[str, TypeScore] = field(default_factory=lambda: defaultdict(TypeScore))
    missed: list[GoldSpan] = field(default_factory=list)
    false_positives: list[tuple[str, PiiSpan]] = field(default_factory=list)

    @property
    def overall(self) -> TypeScore:
        total = TypeScore()
        for s in self.by_type.values():
            total.gold += s.gold
            total.found += s.found
            total.predicted += s.predicted
            total.correct += s.correct
        return total

    def group(self, types: Sequence[str]) -> TypeScore:
        total = TypeScore()
        for t in types:
            s = self.by_type.get(t, TypeScore())
            total.gold += s.gold
            total.found += s.found
            total.predicted += s.predicted
            total.correct += s.correct
        return total

    def table(self) -> str:
        """A Markdown table: one row per type, then places+organisations and all."""
        def fmt(x: float | None) -> str:
            return "–" if x is None else format_number(x, 2)

        # TRANSLATORS: the header row of the detection table (Markdown); keep the "|" separators.
        lines = [_("| type | gold | found | recall | predicted | correct | precision |"), "|---|---:|---:|---:|---:|---:|---:|"]
        rows = [(t, self.by_type[t]) for t in PII_TYPES if t in self.by_type]
        rows += [("PLACE+ORG", self.group(("PLACE", "ORG"))), (_("all"), self.overall)]
        for name, s in rows:
            lines.append(f"| {name} | {s.gold} | {s.found} | {fmt(s.recall)} | {s.predicted} | {s.correct} | {fmt(s.precision)} |")
        return "\n".join(lines)


def read_gold(path: str | Path) -> list[GoldSpan]:
    path = Path(path)
    if not path.exists():
        raise InputError(path, _("no such gold file"))
    table = Rows(path)
    missing = {"file", "start", "end", "type", "text"} - set(table.fieldnames)
    if missing:
        raise InputError(path, _("missing column(s): {columns}").format(columns=", ".join(sorted(missing))), line=1)
    rows = []
    for line, row in table:
        if row["type"] not in PII_TYPES:
            raise InputError(path, _("unknown type {type!r} (use one of {types})").format(type=row["type"], types=", ".join(PII_TYPES)),
                             line=line)
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError as exc:
            raise InputError(path, _("start and end must be whole numbers, not {start!r}, {end!r}").format(
                start=row["start"], end=row["end"]), line=line) from exc
        rows.append(GoldSpan(row["file"], start, end, row["type"], row["text"], line))
    return rows


def score(gold: Sequence[GoldSpan], predicted: Mapping[str, Sequence[PiiSpan]], texts: Mapping[str, str]) -> Evaluation:
    """Compare predictions (by file name) with gold mentions in the same files."""
    result = Evaluation()
    gold_by_file: dict[str, list[GoldSpan]] = defaultdict(list)
    for g in gold:
        gold_by_file[g.file].append(g)
    for file, golds in gold_by_file.items():
        spans = predicted.get(file, [])
        text = texts[file]
        covered = set()
        for s in spans:
            covered.update(range(s.start, s.end))
        for g in golds:
            stats = result.by_type[g.type]
            stats.gold += 1
            needed = {i for i in range(g.start, g.end) if text[i].isalnum()}
            if needed <= covered:
                stats.found += 1
            else:
                result.missed.append(g)
        for s in spans:
            stats = result.by_type[s.type]
            stats.predicted += 1
            if any(s.start < g.end and g.start < s.end for g in golds):
                stats.correct += 1
            else:
                result.false_positives.append((file, s))
    return result


@dataclass(frozen=True)
class HardCase:
    text: str
    expected: tuple[tuple[str, str], ...]
    line: int


def read_hard_cases(path: str | Path) -> list[HardCase]:
    path = Path(path)
    if not path.exists():
        raise InputError(path, _("no such hard-cases file"))
    cases = []
    for n, line in enumerate(table_text(path).splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.rstrip() == "text\texpected":
            continue
        text, _tab, expected = line.partition("\t")
        pairs = []
        for item in (e.strip() for e in expected.split(" | ")):
            if not item:
                continue
            surface, sep, type_ = item.rpartition("=")
            if not sep or type_ not in PII_TYPES or surface not in text:
                raise InputError(path, _("bad expected span {item!r} (write surface=TYPE, surface from the text)").format(item=item),
                                 line=n)
            pairs.append((surface, type_))
        cases.append(HardCase(text, tuple(pairs), n))
    return cases


def run_hard_cases(cases: Sequence[HardCase], make: Callable[[], object]) -> list[tuple[HardCase, tuple[tuple[str, str], ...]]]:
    """Each case with what a fresh anonymiser detected, as (surface, type) pairs."""
    results = []
    for case in cases:
        anonymiser = make()
        found = tuple((s.text, s.type) for s in anonymiser.detect(case.text))
        results.append((case, found))
    return results
