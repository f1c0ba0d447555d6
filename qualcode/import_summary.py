"""The per-file import summary: what a reader recognised, and where it guessed.

A researcher should see a wrong split before coding, not after: the summary
names the layout, every speaker with its number of turns, and each guess
(cues without a speaker added to the previous speaker, a label taken on the
evidence of one line, label-like line starts that were not taken). It is
made from the reader's :class:`~qualcode.models.ReadingNotes` when shown, in
the user's language.
"""

from __future__ import annotations

from qualcode.i18n import N_, format_number, join_list, ngettext, quote
from qualcode.i18n import gettext as _
from qualcode.importer import ImportedDocument
from qualcode.roles import display_speaker

LAYOUT_NAMES = {
    "labels": N_("a speaker label at the start of each paragraph (“Name: text”)"),
    "headings": N_("a speaker label on a line of its own, the words below (“I:” or “Name  00:13”, as bureaus, Otter.ai and Teams write)"),
    "voice-tags": N_("WebVTT voice tags (<v Name>, as Teams writes)"),
    "cue-names": N_("a name at the start of each cue (“Name: text”, as Zoom and many subtitle tools write)"),
    "cues": N_("subtitle cues without speaker names"),
    "table": N_("a table of time, speaker and text"),
    "none": N_("no speaker labels"),
}


# Above this many, labels believed because they recur are counted rather than named (a Zoom
# meeting has twenty; the speakers line names them all already).
RECURRING_BY_NAME = 6


def summary_lines(doc: ImportedDocument) -> list[str]:
    """Indented lines to print under "Importeret: …" for one file."""
    notes = doc.notes
    lines = []
    if notes.layout in LAYOUT_NAMES:
        lines.append(_("Layout: {layout}").format(layout=_(LAYOUT_NAMES[notes.layout])))
    counts = [
        ngettext("{speaker} ({n} turn)", "{speaker} ({n} turns)", n).format(speaker=display_speaker(s), n=n)
        for s, n in doc.turns_by_speaker
    ]
    n = len(doc.turns_by_speaker)
    lines.append(ngettext("{n} speaker found: {speakers}", "{n} speakers found: {speakers}", n).format(
        n=n, speakers=join_list(counts)))
    guesses = []
    if notes.attached:
        guesses.append(ngettext(
            "{n} cue without a speaker added to the previous speaker's turn",
            "{n} cues without a speaker added to the previous speaker's turn", notes.attached,
        ).format(n=notes.attached))
    if len(notes.recurring) > RECURRING_BY_NAME:
        guesses.append(ngettext(
            "{n} label taken as a speaker because it recurs (no metadata names it)",
            "{n} labels taken as speakers because they recur (no metadata names them)", len(notes.recurring),
        ).format(n=len(notes.recurring)))
    elif notes.recurring:
        guesses.append(ngettext(
            "{labels} taken as a speaker because the label recurs (no metadata names it)",
            "{labels} taken as speakers because the labels recur (no metadata names them)", len(notes.recurring),
        ).format(labels=join_list([quote(label) for label in notes.recurring])))
    if notes.unsure:
        guesses.append(ngettext(
            "{labels} taken as a speaker although the label occurs only once",
            "{labels} taken as speakers although each label occurs only once", len(notes.unsure),
        ).format(labels=join_list([quote(label) for label in notes.unsure])))
    if guesses:
        lines.append(_("Guessed: {guesses}").format(guesses="; ".join(guesses)))
    if notes.rejected:
        rejected = [
            ngettext("{label} ({n} time)", "{label} ({n} times)", n).format(label=quote(label), n=n)
            for label, n in notes.rejected
        ]
        lines.append(_("Not taken as speakers (ordinary words or seen too rarely): {labels}").format(
            labels=join_list(rejected)))
    if notes.time_marks:
        lines.append(ngettext(
            "{n} time mark kept out of the spoken text", "{n} time marks kept out of the spoken text", notes.time_marks,
        ).format(n=notes.time_marks))
    if notes.outside:
        lines.append(ngettext(
            "{n} character of title, header or the tool's notes lies outside every turn",
            "{n} characters of title, header or the tool's notes lie outside every turn", notes.outside,
        ).format(n=format_number(notes.outside)))
    return lines
