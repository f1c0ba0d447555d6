"""Cleaning a quote for print: fillers and transcription notes out, every cut marked "…".

Only hesitation sounds (øh, æh, ehm, hmm) and the transcriber's notes go:
"altså", "ikke?" and the like carry meaning and tone, so they stay, and no
other word is touched. Notes come in brackets or parentheses, in Danish or
English: a note for something heard but not said ([pause], (griner), (ler),
[hoster]) is removed; a note for words that were said but not caught
([utydeligt], [overlap], (uhørligt), [crosstalk]) becomes "…", the mark
Danish reports use for an omission. Anonymisation tags ("[Person 3]",
"[Kommune A]", "[leder]") are never notes: notes are recognised by their
words, not by their brackets.
"""

from __future__ import annotations

import re

# The first word(s) of a note that marks a sound, a pause or a gesture: removed.
_NON_VERBAL = (
    "pause", "lang pause", "kort pause", "længere pause", "tøver", "tøven", "stilhed", "tavshed",
    "griner", "griner lidt", "ler", "latter", "smiler", "fniser", "sukker", "suk", "hoster", "rømmer sig",
    "puster", "puster ud", "klapper", "banker", "telefonen ringer", "telefon ringer", "støj", "baggrundsstøj",
    "laughs", "laughter", "laughing", "chuckles", "sighs", "coughs", "clears throat", "silence", "long pause",
    "noise", "smiles",
)
# Notes for words lost to the transcriber: an omission, printed as "…".
_LOST_WORDS = (
    "utydeligt", "utydelig", "uhørligt", "uhørlig", "uforståeligt", "uforståelig", "overlap",
    "overlappende tale", "samtidig tale", "taler samtidig", "krydstale", "afbrudt", "afbrydes", "afbryder",
    "mumler", "inaudible", "unintelligible", "unclear", "indiscernible", "crosstalk", "overlapping",
    "overlapping speech", "interrupted", "…", "...",
)


def _alternatives(words: tuple[str, ...]) -> str:
    # Longest first, so "lang pause" wins over "lang"; each phrase ends at a word boundary.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A note: the phrase, optionally followed by more words or a time ("[utydeligt 00:12:03]").
_NOTE_BODY = r"\s*(?:{words})(?:(?<=\w)(?!\w)|(?<!\w))[^\[\]()\n]{{0,40}}?\s*"
_NON_VERBAL_NOTE = re.compile(
    r"[ \t]*(?:\[" + _NOTE_BODY.format(words=_alternatives(_NON_VERBAL)) + r"\]|\("
    + _NOTE_BODY.format(words=_alternatives(_NON_VERBAL)) + r"\))",
    re.IGNORECASE,
)
_LOST_NOTE = re.compile(
    r"[ \t]*(?:\[" + _NOTE_BODY.format(words=_alternatives(_LOST_WORDS)) + r"\]|\("
    + _NOTE_BODY.format(words=_alternatives(_LOST_WORDS)) + r"\))",
    re.IGNORECASE,
)
# A time stamp in brackets, as transcription tools put them in running text.
_TIMESTAMP = re.compile(r"[ \t]*[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]")

# Hesitation sounds a printed quote may lose.
_FILLER = r"(?:øh+m*|æh+m*|eh+m+|hm+)"
_SEP = r"[\s,]*(?:(?:\.\.\.|…)[\s,]*)?"
_FILLER_RUN = re.compile(rf",?[ \t]*(?<!\w){_FILLER}(?!\w)(?:{_SEP}(?<!\w){_FILLER}(?!\w))*{_SEP}", re.IGNORECASE)
_ELLIPSIS_THEN_STOP = re.compile(r"…[ \t]*(?:\.(?!\.)|…)")
_ANY_NOTE_HINT = re.compile(r"[\[(]")


def remove_notes(text: str) -> str:
    """Transcription notes out: sounds and pauses removed, lost words marked "…" (spacing tidied)."""
    if not _ANY_NOTE_HINT.search(text):
        return text
    out = _TIMESTAMP.sub("", text)
    out = _LOST_NOTE.sub(" … ", out)
    out = _NON_VERBAL_NOTE.sub(" ", out)
    return _tidy(out) if out != text else text


def remove_fillers(text: str) -> str:
    """Fillers (øh, æh, ehm, hmm) out, each cut marked "…"; other words are never touched.

    >>> remove_fillers("Det var, øh, rigtig svært")
    'Det var … rigtig svært'
    """
    if not re.search(_FILLER, text, re.IGNORECASE):
        return text
    return _tidy(_FILLER_RUN.sub(" … ", text))


def clean_for_print(text: str) -> str:
    """A quote as a report prints it: :func:`remove_notes`, then :func:`remove_fillers`.

    >>> clean_for_print("Nej, men… [pause] Det største er nok målingerne (griner).")
    'Nej, men… Det største er nok målingerne.'
    """
    return remove_fillers(remove_notes(text))


def _tidy(out: str) -> str:
    # Two cuts in a row, or a cut right before a full stop, print as one mark.
    previous = None
    while previous != out:
        previous = out
        out = _ELLIPSIS_THEN_STOP.sub("…", out)
    out = re.sub(r"[ \t]{2,}", " ", out)
    out = re.sub(r",[ \t]*,", ",", out)              # "vi, [pause], gjorde" -> "vi, gjorde"
    out = re.sub(r"[ \t]+([?!:;,]|\.(?!\.))", r"\1", out)  # no space before punctuation (an ellipsis keeps it)
    out = re.sub(r"…,", "…", out)
    out = re.sub(r"^[ \t]*(?:,|\.(?!\.))[ \t]*", "", out)  # a note at the start leaves no stray comma
    return out.strip()


__all__ = ["clean_for_print", "remove_fillers", "remove_notes"]
