"""Attach roles to turns: who is the interviewer, which participant is speaking.

Detection first (which speaker label is which participant), then a separate
step returns new turns with role, participant id and interviewer flag set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Mapping, Sequence

from qualcode.i18n import gettext as _
from qualcode.i18n import join_list, pgettext, quote
from qualcode.metadata import Participant
from qualcode.models import INTERVIEWER_ROLE, UNKNOWN_SPEAKER, Turn
from qualcode.readers.labels import INTERVIEWER_LABELS, name_part


def display_speaker(speaker: str | None, lang: str | None = None) -> str:
    """A turn's speaker as users read it: the label, or "Ukendt"/"Unknown" for the unknown speaker."""
    if speaker:
        return speaker
    # TRANSLATORS: shown where a transcript names no speaker for a turn.
    return pgettext("speaker", "Unknown", lang)


def detect_interviewers(turns: Sequence[Turn], declared: Sequence[str], text: str) -> set[str]:
    """Speaker labels that belong to the interviewer."""
    speakers = {t.speaker for t in turns}
    declared_keys = {d.casefold() for d in declared}
    found = {
        s for s in speakers
        if s.casefold() in declared_keys or name_part(s).casefold() in declared_keys
        or s.casefold() in INTERVIEWER_LABELS or name_part(s).casefold() in INTERVIEWER_LABELS
    }
    if found or len(speakers) < 2:
        return found
    # No label and no metadata: the interviewer asks (turns ending in "?")
    # and speaks briefly. Only decided when one speaker clearly stands out.
    stats = defaultdict(lambda: [0, 0, 0])  # turns, questions, characters
    for t in turns:
        s = stats[t.speaker]
        s[0] += 1
        s[1] += text[t.start : t.end].rstrip().endswith("?")
        s[2] += t.end - t.start
    def score(speaker: str) -> float:
        n, q, chars = stats[speaker]
        return q / n - (chars / n) / 2000
    ranked = sorted(speakers - {UNKNOWN_SPEAKER}, key=score, reverse=True)
    if len(ranked) >= 2 and stats[ranked[0]][1] / stats[ranked[0]][0] >= 0.3 and score(ranked[0]) > score(ranked[1]) + 0.2:
        return {ranked[0]}
    return set()


def match_participants(
    turns: Sequence[Turn], participants: Sequence[Participant], interviewers: set[str]
) -> dict[str, Participant]:
    """Map speaker labels to metadata rows (exact label, first name, or the only pair left)."""
    speakers = sorted({t.speaker for t in turns} - interviewers - {UNKNOWN_SPEAKER})
    mapping: dict[str, Participant] = {}
    for speaker in speakers:
        p = match_label(speaker, participants)
        if p is not None:
            mapping[speaker] = p
    left_speakers = [s for s in speakers if s not in mapping]
    left_rows = [p for p in participants if p not in mapping.values()]
    if len(left_speakers) == 1 and len(left_rows) == 1:
        mapping[left_speakers[0]] = left_rows[0]
    return mapping


def match_label(speaker: str, participants: Sequence[Participant]) -> Participant | None:
    """The metadata row of a speaker label: the same label, or the same first name.

    A suffix in parentheses ("Maria (hun/hende)", Zoom's display names) is not
    part of the name; "Maria Holm" in the file matches "Maria" in the CSV and
    the other way round.
    """
    return next((p for p in participants if labels_match(speaker, p.speaker)), None)


def labels_match(speaker: str, label: str) -> bool:
    """True when a file's speaker label and a metadata label name the same person."""
    key, label = name_part(speaker).casefold(), name_part(label).casefold()
    return bool(key and label) and (label == key or label.split()[0] == key or key.split()[0] == label)


def assign_roles(
    turns: Sequence[Turn],
    text: str,
    participants: Sequence[Participant] = (),
    file_metadata: Mapping[str, str] | None = None,
) -> tuple[tuple[Turn, ...], dict[str, str], list[str]]:
    """Return turns with roles, the document metadata, and warnings."""
    file_metadata = dict(file_metadata or {})
    declared = [label for p in participants for label in p.interviewer_labels]
    if file_metadata.get("interviewer"):
        declared.append(file_metadata["interviewer"])
    declared += [name_part(d) for d in declared]
    interviewers = detect_interviewers(turns, declared, text)
    mapping = match_participants(turns, participants, interviewers)
    warnings: list[str] = []
    default_role = file_metadata.get("role") or None

    new_turns = []
    for t in turns:
        if t.speaker in interviewers:
            new_turns.append(replace(t, is_interviewer=True, role=INTERVIEWER_ROLE, participant_id=None))
        elif t.speaker in mapping:
            p = mapping[t.speaker]
            new_turns.append(replace(t, role=p.role or None, participant_id=p.participant_id or None))
        else:
            pid = file_metadata.get("participant_id") or file_metadata.get("participant") or None
            new_turns.append(replace(t, role=default_role, participant_id=pid))

    speakers = {t.speaker for t in turns} - {UNKNOWN_SPEAKER}
    unmatched = sorted(speakers - interviewers - set(mapping))
    if participants and unmatched:
        warnings.append(_("speakers without a metadata row: {speakers}").format(speakers=join_list(unmatched)))
    warnings.extend(_absent_labels(participants, speakers))
    if not interviewers and len(speakers) > 1:
        warnings.append(_("no interviewer found; give the interviewer's label in the metadata 'interviewer' column"))

    metadata = dict(file_metadata)
    if len(participants) == 1:
        metadata.update(participants[0].as_metadata())
    elif participants:
        metadata["participants"] = ";".join(p.participant_id for p in participants)
        for key in ("municipality", "date", "interviewer"):
            values = {getattr(p, key) for p in participants if getattr(p, key)}
            if len(values) == 1:
                metadata[key] = values.pop()
    return tuple(new_turns), metadata, warnings


def _absent_labels(participants: Sequence[Participant], speakers: set[str]) -> list[str]:
    """A warning for each speaker or interviewer label of the metadata that the file never uses."""
    found = join_list(sorted(speakers)) if speakers else "-"
    warnings = []
    for p in participants:
        labels = [(p.speaker, False)] if p.speaker else []
        labels += [(label, True) for label in p.interviewer_labels]
        for label, interviewer in labels:
            if any(labels_match(s, label) for s in speakers):
                continue
            message = (
                _("metadata line {line}: interviewer {label} never speaks in this file (speakers found: {found})")
                if interviewer else
                _("metadata line {line}: speaker {label} never speaks in this file (speakers found: {found})")
            )
            warnings.append(message.format(line=p.line, label=quote(label), found=found))
    return warnings

