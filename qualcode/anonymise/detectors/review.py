"""Review candidates: what still looks like a name after every detector has run.

A capitalised word mid-sentence that is not in the Danish lemma lexicon
(spacy-lookups-data) is almost always a name in Danish, which capitalises
nothing else there; an acronym may be someone's initials; a gazetteer name
that is also a word ("Bo", "Skov") was left alone for lack of context. These
are listed for the researcher, and masked only in strict mode.
"""

from __future__ import annotations

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.detectors.people import name_word
from qualcode.anonymise.lexicon import COMMON_CAPITALISED, FUNCTION_WORDS, is_common_word
from qualcode.anonymise.spans import KIND_ORG, KIND_PERSON, KIND_PLACE, PiiSpan
from qualcode.anonymise.tokens import Token, entity_key

_PLACE_ENDINGS = ("by", "rup", "strup", "sted", "havn", "holm", "borg", "købing", "lund", "bæk", "skov", "høj", "bjerg", "toft", "løse", "lev", "holt", "rød", "strand", "rup", "næs", "vig")


def _suspicious(token: Token) -> bool:
    text = token.text
    if token.sentence_initial or not text[:1].isupper() or text in COMMON_CAPITALISED:
        return False
    if text.casefold() in FUNCTION_WORDS or len(text) < 2:
        return False
    if text.isupper():
        return 2 <= len(text) <= 4  # initials ("SSK") or an unknown local acronym
    return not is_common_word(text) or name_word(text) is not None


def _starts_upper(word: str) -> bool:
    return word[:1].isupper()


def guess_type(text: str) -> tuple[str, str]:
    """(PII type, entity kind) for a candidate: a name, a place-like word, or an acronym."""
    if text.isupper():
        return "ORG", KIND_ORG
    first = text.split()[0]
    if name_word(first):
        return "PERSON", KIND_PERSON
    if text.lower().endswith(_PLACE_ENDINGS):
        return "PLACE", KIND_PLACE
    return "PERSON", KIND_PERSON


class ReviewDetector:
    name = "review"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        found = []
        free = 0  # the first token not inside an earlier candidate
        # Only capitalised words (and acronyms) can be suspicious.
        for i in context.positions.where(_starts_upper):
            if i < free:
                continue
            if not _suspicious(tokens[i]) or text[tokens[i].end : tokens[i].end + 2] == "- ":
                # "Børne- og Ungeudvalget": the first half of a compound, not a name.
                continue
            j = i
            while j + 1 < len(tokens) and text[tokens[j].end : tokens[j + 1].start] in (" ", "-") and _suspicious(tokens[j + 1]):
                j += 1
            start, end = tokens[i].start, tokens[j].end
            type_, kind = guess_type(text[start:end])
            found.append(span(context, start, end, type_, 0.3, self.name, entity_key(kind, text[start:end])))
            free = j + 1
        return found
