"""Word tokens with the facts name detection needs: capitalisation and position.

Tokens are runs of letters (digits and hyphens split them), so
"Vordingborg-modellen" gives "Vordingborg" + "modellen" and a span over the
first token leaves "-modellen" in place. Whether a word starts a sentence
matters because Danish capitalises nouns only there: a capitalised "Vejen"
mid-sentence is a name, at the start of a sentence it may be "the road".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+")
# Characters after which the next word starts a sentence (or a turn: the
# colon after a speaker label, a line break between paragraphs).
_SENTENCE_END = set(".!?:\n…")
# Characters skipped when looking back for a sentence end: spaces, opening
# quotes and brackets, dashes.
_SKIP_BACK = set(" \t\"'«»“”„‘’([{–—-")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    sentence_initial: bool

    @property
    def capitalised(self) -> bool:
        """Starts with a capital and is not all capitals (acronyms are not names here)."""
        return self.text[:1].isupper() and (len(self.text) == 1 or not self.text.isupper())

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokenize(text: str) -> list[Token]:
    tokens = []
    for m in _WORD.finditer(text):
        tokens.append(Token(m.start(), m.end(), m.group(), _starts_sentence(text, m.start())))
    return tokens


def _starts_sentence(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in _SKIP_BACK:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def gap(text: str, left: Token, right: Token) -> str:
    """The characters between two tokens."""
    return text[left.end : right.start]


def normalise_name(name: str) -> str:
    """The matching form of a name: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def entity_key(kind: str, name: str) -> str:
    return f"{kind}:{normalise_name(name)}"


def genitive_base(word: str) -> str | None:
    """"Sørens" -> "Søren", "Jens'" -> "Jens"; ``None`` when the word has no genitive ending."""
    if word.endswith(("'", "’")) and len(word) > 2:
        return word[:-1]
    if word.endswith("s") and len(word) > 2:
        return word[:-1]
    return None


def initials(name: str) -> str:
    """"Søren Sønderby Kjær" -> "SSK"."""
    return "".join(part[0].upper() for part in re.split(r"[\s-]+", name) if part[:1].isalpha())
