"""Weak evidence: job titles and self-introductions.

"Jeg hedder Birgitte, og jeg har været kommunaldirektør i fem år" matches the
keyword "kommunaldirektør*" of leadership support, but it says who is
speaking, not what they think of the collaboration. A keyword that is a job
title counts less than other keywords, and a sentence in which the speaker
introduces themselves counts less whatever it matches (measured on the sample
interviews: every opening self-introduction was suggested a leadership or
politics code, none is coded so in the gold standard).
"""

from __future__ import annotations

from typing import Sequence

# Job titles as speakers name themselves and others; a word ending in one is a title
# ("kommunaldirektør", "jobcenterchefen", "afdelingsleder", "socialrådgiveren").
TITLES = ("direktør", "chef", "leder", "konsulent", "rådgiver", "sagsbehandler", "koordinator", "borgmester",
          "formand", "medarbejder", "pædagog", "sygeplejerske")
TITLE_ENDINGS = ("", "e", "en", "er", "erne", "ne", "s", "ens", "es")
# Word sequences that open a self-introduction (lowercase, as spoken).
INTRODUCTIONS = (
    ("jeg", "hedder"), ("mit", "navn", "er"), ("jeg", "er", "uddannet"), ("jeg", "arbejder", "som"),
    ("jeg", "er", "ansat", "som"), ("min", "rolle"), ("min", "stilling"), ("jeg", "sidder", "som"),
)
# "jeg er / jeg har været" followed, within a few words, by a job title.
TITLE_AFTER = (("jeg", "er"), ("jeg", "har", "været"), ("jeg", "var"))
TITLE_WINDOW = 4


def is_title(word: str) -> bool:
    w = word.lower()
    return any(w.endswith(t + e) for t in TITLES for e in TITLE_ENDINGS if len(w) >= len(t + e))


def is_introduction(words: Sequence[str]) -> bool:
    """Whether a sentence (its words as written) is the speaker introducing themselves."""
    lower = [w.lower() for w in words]
    n = len(lower)
    for i in range(n):
        for phrase in INTRODUCTIONS:
            if tuple(lower[i:i + len(phrase)]) == phrase:
                return True
        for phrase in TITLE_AFTER:
            if tuple(lower[i:i + len(phrase)]) == phrase:
                end = i + len(phrase)
                if any(is_title(w) for w in lower[end:end + TITLE_WINDOW]):
                    return True
    return False
