"""People: a gazetteer of Danish first names and surnames, and cue words.

Gazetteer: Faker's da_DK lists plus a curated list (qualcode/data/anonymise).
A run of capitalised words with at least one gazetteer name is a person
("Søren S. Kjær", "Anne-Mette Bach", "Malene Skov"). A name that is also a
Danish word ("Bo", "Holm", "Skov", "Mark", "Hans", "Per") needs a name
context: another name beside it, a cue before it, or a speech verb after it
("Bo sagde"). Alone it is listed for review, not masked.

Cues: a title or relation word before a capitalised word
("kommunaldirektør Mette", "min kollega Bo"), or a naming verb after a
person ("hun hedder Tove"). The cue makes any capitalised word a name,
known or not, which is what lets detection generalise beyond the lists.
"""

from __future__ import annotations

from functools import lru_cache

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.lexicon import (
    COMMON_CAPITALISED,
    FINITE_VERBS,
    FUNCTION_WORDS,
    cues,
    first_names,
    is_ambiguous,
    is_common_word,
    name_as_word_is_not_a_noun,
    surnames,
)
from qualcode.anonymise.spans import KIND_PERSON, PiiSpan
from qualcode.anonymise.tokens import Token, entity_key, genitive_base

SPEECH_VERBS = frozenset(
    """sagde siger syntes synes mente mener fortalte fortæller spurgte spørger svarede svarer ringede
    ringer skrev skriver foreslog foreslår tænkte tænker kom kommer hedder""".split()
)
# Subjects after which "hedder X" names a person, not a project or a place.
_PERSON_SUBJECTS = frozenset("jeg han hun der som vedkommende kollega kollegaen borgeren manden kvinden drengen pigen".split())
_MAX_RUN = 4


@lru_cache(maxsize=200_000)  # asked for every word of every document; the lists never change
def name_word(word: str) -> str | None:
    """The gazetteer form of a word ("Sørens" -> "Søren"), or None when it is no known name."""
    if word in first_names() or word in surnames():
        return word
    base = genitive_base(word)
    if base and (base in first_names() or base in surnames()):
        return base
    return None


def _ambiguous(word: str) -> bool:
    return is_ambiguous(word)


def _joinable(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end : right.start]
    return gap in (" ", "-") or (len(left.text) == 1 and gap in (". ", "."))


def _first_name(token: Token) -> bool:
    """A listed first name (not an initial), which a surname may follow."""
    return len(token.text) > 1 and token.text in first_names()


def _name_like(token: Token) -> bool:
    """Could be part of a name: capitalised (or an initial), not a function word."""
    return token.text[:1].isupper() and token.lower not in FUNCTION_WORDS and token.text not in COMMON_CAPITALISED


class GazetteerPersonDetector:
    name = "gazetteer"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        found: list[PiiSpan] = []
        free = 0  # the first token not inside an earlier name
        # Only tokens that are listed names (or their genitives) can start one.
        for i in context.positions.where(name_word):
            if i < free:
                continue
            token = tokens[i]
            mid_sentence_name = token.capitalised and not token.sentence_initial and token.text not in COMMON_CAPITALISED
            if not (_name_like(token) or mid_sentence_name or self._speaks(text, tokens, i)):
                continue
            first, last = self._extend(text, tokens, i)
            result = self._judge(context, first, last)
            if result is not None:
                found.append(result)
            free = last + 1
        return found

    def _extend(self, text: str, tokens: list[Token], i: int) -> tuple[int, int]:
        first = i
        # One unknown capitalised word before a surname is a first name we do not list ("Abdi Jensen").
        if i > 0 and _joinable(text, tokens[i - 1], tokens[i]) and tokens[i - 1].capitalised:
            prev = tokens[i - 1]
            if prev.text in first_names() and len(prev.text) > 1:
                first = i - 1  # "Hans Jensen", "Per Holm": a first name that is also a word
            elif _name_like(prev) and not is_common_word(prev.text) and not prev.text.isupper():
                first = i - 1
        last = i
        # After a listed first name, a capitalised word inside the sentence is its surname even when it
        # is also a Danish word ("Ole Slot", "Lise Dal"): mid-sentence, Danish capitalises only names.
        # "på slottet", "i dalen" are lower case and stay.
        after_first_name = _first_name(tokens[first])
        while last + 1 < len(tokens) and last - first + 1 < _MAX_RUN:
            nxt = tokens[last + 1]
            if not (_joinable(text, tokens[last], nxt) and _name_like(nxt)):
                break
            if not (name_word(nxt.text) or len(nxt.text) == 1 or not is_common_word(nxt.text)
                    or (after_first_name and nxt.capitalised and not nxt.sentence_initial)):
                break
            last += 1
        # An initial is only part of a name between two words ("Søren S. Kjær").
        while last > first and len(tokens[last].text) == 1:
            last -= 1
        return first, last

    @staticmethod
    def _name_context(text: str, tokens: list[Token], i: int, base: str) -> bool:
        """Evidence that a name which is also a word is the name here.

        A speech verb after it ("Bo sagde", "Skov mener"); "og" and an
        unambiguous first name after it ("Mark og Mette"); and, for names
        whose word is no noun ("bo", "per", "hans"), capitalisation
        mid-sentence or a finite verb after it ("Bo var").
        """
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) and text[token.end : tokens[i + 1].start] == " " else None
        if nxt is not None and nxt.lower in SPEECH_VERBS:
            return True
        if nxt is not None and nxt.lower == "og" and i + 2 < len(tokens):
            other = tokens[i + 2]
            if other.capitalised and other.text in first_names() and not _ambiguous(other.text):
                return True
        if name_as_word_is_not_a_noun(base):
            return not token.sentence_initial or (nxt is not None and nxt.lower in FINITE_VERBS)
        return False

    @staticmethod
    def _speaks(text: str, tokens: list[Token], i: int) -> bool:
        """"Hans sagde": a name that is also a function word, followed by a speech verb."""
        token = tokens[i]
        if not token.capitalised or i + 1 >= len(tokens):
            return False
        nxt = tokens[i + 1]
        return nxt.lower in SPEECH_VERBS and text[token.end : nxt.start] == " "

    def _judge(self, context: DetectionContext, first: int, last: int) -> PiiSpan | None:
        text, tokens = context.text, context.tokens
        run = tokens[first : last + 1]
        if len(run) == 1:
            token = run[0]
            base = name_word(token.text) or token.text
            if _ambiguous(base):
                if not self._name_context(text, tokens, last, base):
                    return None
                score = 0.75
            else:
                score = 0.85 if token.text in first_names() or name_word(token.text) in first_names() else 0.8
        else:
            # Two capitalised words in a row, one a listed name: the second is
            # capitalised mid-sentence, which Danish does only for names.
            score = 0.9
        start, end = run[0].start, run[-1].end
        base = name_word(run[-1].text)
        genitive = base is not None and base != run[-1].text
        if genitive is False and run[-1].text[-1:] in "sxz" and text[end : end + 1] in ("'", "’") and not text[end + 1 : end + 2].isalpha():
            end, genitive = end + 1, True
        canonical = " ".join(t.text for t in run[:-1]) + (" " if len(run) > 1 else "") + (base if genitive and base else run[-1].text)
        return span(context, start, end, "PERSON", score, self.name, entity_key(KIND_PERSON, canonical), genitive)


class CuePersonDetector:
    name = "cue"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        table = cues()
        found = []
        for i in context.positions.of(table.keys()):
            if i == len(tokens) - 1:
                continue  # a cue needs a word after it
            cue = tokens[i]
            kind = table[cue.lower]
            j = i + 1
            gap = text[cue.end : tokens[j].start]
            if kind == "honorific":
                if gap not in (" ", ". "):
                    continue
            elif gap != " ":
                continue
            if kind == "naming" and not self._names_a_person(tokens, i, tokens[j].text):
                continue
            run = self._name_after(text, tokens, j)
            if run is None:
                continue
            a, b = run
            start, end = tokens[a].start, tokens[b].end
            last = tokens[b].text
            base = name_word(last)
            genitive = bool(base and base != last)
            canonical = text[start : end - 1] if genitive else text[start:end]
            found.append(span(context, start, end, "PERSON", 0.85, self.name, entity_key(KIND_PERSON, canonical), genitive))
        return found

    def _names_a_person(self, tokens: list[Token], i: int, target: str) -> bool:
        if name_word(target):
            return True
        return i > 0 and tokens[i - 1].lower in _PERSON_SUBJECTS

    def _name_after(self, text: str, tokens: list[Token], j: int) -> tuple[int, int] | None:
        token = tokens[j]
        if not token.capitalised or not _name_like(token):
            return None
        if token.lower in ("kommune", "kommunes"):
            return None
        if j + 1 < len(tokens) and tokens[j + 1].lower in ("kommune", "kommunes"):
            return None  # "direktør Fjordby Kommune": a place, found by the place detectors
        last = j
        after_first_name = _first_name(token)
        while last + 1 < len(tokens) and last - j + 1 < 3:
            nxt = tokens[last + 1]
            if not (_joinable(text, tokens[last], nxt) and _name_like(nxt)):
                break
            if is_common_word(nxt.text) and not name_word(nxt.text) and not (after_first_name and nxt.capitalised
                                                                               and not nxt.sentence_initial):
                break
            last += 1
        while last > j and len(tokens[last].text) == 1:
            last -= 1
        return j, last
