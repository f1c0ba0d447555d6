"""Anonymise transcript files: read, detect across all files, write copies and a report.

The report lists every replacement and every review candidate with the
original words, so it identifies people just as the key does: it is written
beside the key, never into the export folder.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from qualcode.anonymise.anonymiser import AnonymisedText, Anonymiser
from qualcode.anonymise.key import ensure_outside, write_private
from qualcode.i18n import gettext as _, pgettext
from qualcode.models import Transcript
from qualcode.readers.labels import name_part


@dataclass(frozen=True)
class AnonymisedFile:
    source: Path
    output: Path
    result: AnonymisedText


def read_files(paths: Sequence[Path], participants: Mapping[str, Sequence] | None = None) -> list[Transcript]:
    """Transcripts with roles attached (speaker labels matched to metadata rows)."""
    from qualcode.importer import prepare

    transcripts = []
    for path in paths:
        transcript, _warnings = prepare(path, (participants or {}).get(Path(path).name, ()))
        transcripts.append(transcript)
    return transcripts


def participant_rows(transcripts: Sequence[Transcript], participants: Mapping[str, Sequence]) -> list[dict[str, str]]:
    """Metadata rows plus each transcript's speaker labels, for :class:`Anonymiser`."""
    rows: list[dict[str, str]] = []
    for t in transcripts:
        for p in participants.get(t.name, ()):
            rows.append({"speaker": p.speaker, **p.as_metadata()})
        for turn in t.turns:
            speaker = name_part(turn.speaker)  # "Maria (hun/hende)" names Maria; "" names nobody
            if speaker:
                rows.append({"interviewer": speaker} if turn.is_interviewer else {"speaker": speaker})
    # One row per distinct participant: a speaker has a turn every few lines.
    return list({tuple(sorted(r.items())): r for r in rows}.values())


def anonymise_files(transcripts: Sequence[Transcript], out_dir: Path, anonymiser: Anonymiser) -> list[AnonymisedFile]:
    """Write ``<out_dir>/<name>.txt`` per transcript; names are learned from all files first."""
    if anonymiser.key.path is not None:
        ensure_outside(anonymiser.key.path, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    anonymiser.learn(t.text for t in transcripts)
    written = []
    for t in transcripts:
        result = anonymiser.anonymise(t.text)
        output = out_dir / (Path(t.name).stem + ".txt")
        output.write_text(result.text + "\n", encoding="utf-8")
        written.append(AnonymisedFile(Path(t.source_path), output, result))
    return written


REPORT_COLUMNS = ("file", "action", "start", "end", "type", "original", "replacement", "source")


def report_rows(files: Sequence[AnonymisedFile], lang: str | None = None) -> list[dict[str, str]]:
    rows = []
    for f in files:
        for r in f.result.replacements:
            rows.append({"file": f.source.name, "action": pgettext("anonymisation report action", "replaced", lang), "start": str(r.start),
                         "end": str(r.end), "type": r.type, "original": r.original, "replacement": r.replacement,
                         "source": r.source})
        masked = {(r.start, r.end) for r in f.result.replacements}
        for c in f.result.review:
            if (c.start, c.end) in masked:
                continue  # strict mode: already listed as a replacement
            rows.append({"file": f.source.name, "action": pgettext("anonymisation report action", "review", lang), "start": str(c.start),
                         "end": str(c.end), "type": c.type, "original": c.text, "replacement": "", "source": c.source})
    return rows


def write_report(files: Sequence[AnonymisedFile], csv_path: Path, md_path: Path, lang: str | None = None) -> None:
    rows = report_rows(files, lang)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    # Both hold the original names, as the key does: only their owner may read them.
    write_private(csv_path, buffer.getvalue())
    review_action = pgettext("anonymisation report action", "review", lang)
    lines = [
        "# " + _("Anonymisation report", lang),
        "",
        _("Contains the original names and numbers: keep it with the key, not with the anonymised files.", lang),
        "",
        "## " + _("Check these (not masked)", lang),
        "",
    ]
    review = [r for r in rows if r["action"] == review_action]
    lines += [f"- {r['file']} @{r['start']}: **{r['original']}** ({r['type']})" for r in review] or [_("None.", lang)]
    lines += ["", "## " + _("Replacements", lang), "",
              # TRANSLATORS: the header row of a Markdown table; keep the "|" separators.
              _("| file | start | type | original | replacement | source |", lang),
              "|---|---:|---|---|---|---|"]
    for r in rows:
        if r["action"] != review_action:
            lines.append(f"| {r['file']} | {r['start']} | {r['type']} | {r['original']} | {r['replacement']} | {r['source']} |")
    write_private(md_path, "\n".join(lines) + "\n")
