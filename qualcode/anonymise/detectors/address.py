"""Danish street addresses and postcodes.

"Fjordbyvej 12, 2. tv., 4700 Næstved", "Niels Juels Gade 3", "H.C. Andersens
Boulevard 27", and "4700 Næstved" alone. A street name with no number
("jeg bor på Ahornvej") is masked with a lower score: a street names a
handful of households.
"""

from __future__ import annotations

import re

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.lexicon import FUNCTION_WORDS, is_common_word, municipalities, towns
from qualcode.anonymise.spans import PiiSpan

_SUFFIXES = (
    "vej|vejen|gade|gaden|allé|alle|stræde|strædet|plads|pladsen|vænge|vænget|parken|park|stien|sti|"
    "boulevard|torv|torvet|have|haven|bakke|bakken|høj|højen|toft|toften|vang|vangen|engen|løkke|løkken|"
    "kvarter|kvarteret|tværvej|landevej|bro|broen|kaj|kajen|krog|krogen|lund|lunden|mark|marken|hegn|hegnet"
)
_WORD = r"[A-ZÆØÅ][a-zæøåéü]*(?:\.[A-ZÆØÅ]\.?)?[a-zæøåéü'-]*"
_STREET = (
    rf"(?:{_WORD}\s){{0,3}}(?:[A-ZÆØÅ][a-zæøåéü-]*(?:{_SUFFIXES})"
    r"|(?:Gade|Vej|Allé|Alle|Plads|Torv|Boulevard|Stræde|Vænge|Bro|Kanal))"
)
_NUMBER = r"\s\d{1,3}(?:\s?[A-Ga-g])?\b(?:,?\s(?:st\.?|kl\.?|\d{1,2}\.(?:\s?(?:sal|th|tv|mf)\.?)?)(?:,?\s?(?:th|tv|mf)\b\.?)?)?"
_POSTCODE = r"[1-9]\d{3}\s[A-ZÆØÅ][a-zæøå]+(?:[ -][A-ZÆØÅ][a-zæøå]*\.?)?"
_ADDRESS = re.compile(rf"(?<![\w.])(?P<street>{_STREET}){_NUMBER}(?:,?\s(?P<post>{_POSTCODE}))?")
_POST_ALONE = re.compile(rf"(?<![\w.,-])(?P<post>{_POSTCODE})")
# Without a house number only unmistakable street endings count ("-lund" and
# "-høj" also end town names, which the place detectors handle).
_STREET_ONLY_SUFFIXES = "vej|vejen|gade|gaden|allé|stræde|strædet|vænge|vænget|boulevard|plads|pladsen|torv|stien|tværvej"
_STREET_ALONE = re.compile(rf"\b(?:på|i|ved|fra|til|mod|nær|om) (?P<street>[A-ZÆØÅ][a-zæøå-]+(?:{_STREET_ONLY_SUFFIXES}))\b")
_YEAR_BEFORE = re.compile(r"\b(i|siden|fra|til|før|efter|indtil|år|året|in|sommeren|vinteren|foråret|efteråret)\s$", re.I)


class AddressDetector:
    name = "address"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text = context.text
        found = []
        for m in _ADDRESS.finditer(text):
            start = _skip_function_words(text, m.start(), m.start("street") + len(m.group("street")))
            if start is None:
                continue
            found.append(span(context, start, m.end(), "ADDRESS", 0.93, self.name))
        taken = [(s.start, s.end) for s in found]
        for m in _POST_ALONE.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            town = m.group("post").split(None, 1)[1]
            if _YEAR_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue  # "i 1995 Kolding ..." is a year, not a postcode
            if _is_known_town(town) or _postcode_context(text, m.start()):
                found.append(span(context, m.start(), m.end(), "ADDRESS", 0.9, self.name))
        for m in _STREET_ALONE.finditer(text):
            if any(a <= m.start("street") < b for a, b in taken):
                continue
            street = m.group("street")
            if is_common_word(street):
                continue
            found.append(span(context, m.start("street"), m.end("street"), "ADDRESS", 0.7, self.name))
        return found


def _skip_function_words(text: str, start: int, street_end: int) -> int | None:
    """Drop leading words such as "Det" or "Vi" that the capitalised-words pattern swallowed."""
    while start < street_end:
        word = re.match(r"\S+", text[start:street_end])
        if word is None:
            return None
        w = word.group()
        if w.casefold() not in FUNCTION_WORDS:
            return start
        start += len(w)
        while start < street_end and text[start] == " ":
            start += 1
    return None


def _is_known_town(town: str) -> bool:
    first = town.split()[0].rstrip(".")
    return first in set(towns()) or any(first == m.name or first in m.aliases for m in municipalities())


def _postcode_context(text: str, pos: int) -> bool:
    before = text[max(0, pos - 20) : pos].casefold()
    return "postnummer" in before or "postnr" in before
