"""Places and organisations.

- the 98 municipalities and the larger towns (shipped lists), and hospitals;
- "X Kommune" for any capitalised X, which is how fictional or unlisted
  municipalities are found ("Hedelund Kommune");
- a unit every municipality has, named after its place: "Jobcenter X",
  "Borgerservice X", "Frivilligcenter X", "Lokalrådet i X", "X Lokalråd",
  "X Forvaltning", "X Skole". Only the place X is masked ("Jobcenter
  [Kommune A]"): the kind of unit is what the analysis is about, the place is
  what identifies. A generic department ("Teknisk Forvaltning") names no
  place and is kept;
- a capitalised word with a Danish place-name ending after a preposition of
  place ("i Nørreby", "fra Østerlund");
- organisations with a name of their own: hospitals ("Sygehus Sydvest",
  "Holbæk Sygehus") and one-word compounds of a known place
  ("Fjordbyskolen"), masked whole; the own name after "Foreningen",
  "Botilbuddet", "Plejecentret" and similar ("Foreningen [Organisation 1]").

A place name that is also a Danish word ("Vejen", "Give", "Ringe") is only
taken mid-sentence or before "Kommune": "Vejen Kommune" is masked, "på vejen"
and a sentence starting "Vejen ..." are not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.detectors.known import kommune_after
from qualcode.anonymise.lexicon import COMMON_CAPITALISED, FUNCTION_WORDS, hospitals, is_common_word, municipalities, towns
from qualcode.anonymise.phrases import PhraseIndex
from qualcode.anonymise.spans import KIND_MUNICIPALITY, KIND_ORG, KIND_PLACE, PiiSpan
from qualcode.anonymise.tokens import Token, entity_key, genitive_base

# Units named "<unit> <place>" and "<place> <unit>".
UNITS_BEFORE = frozenset(
    """jobcenter jobcentret borgerservice frivilligcenter frivilligcentret ungdomsskolen ungecenter
    ungecentret sundhedscenter sundhedscentret sundhedshuset kulturhuset biblioteket lokalrådet
    beboerforeningen boligforeningen region aktivitetscentret""".split()
)
UNITS_AFTER = frozenset(
    """lokalråd lokalråds forvaltning forvaltnings jobcenter frivilligcenter borgerservice skole skoles
    friskole efterskole gymnasium bibliotek boldklub idrætsforening kirke sogn plejecenter plejehjem
    børnehave vuggestue boligforening beboerforening borgerforening lokalcenter aktivitetscenter
    sundhedscenter handicapråd ældreråd byråd kommunalbestyrelse""".split()
)
# Associations and institutions named "Foreningen X", "Botilbuddet X": X is
# the organisation's own name, masked as an organisation.
UNITS_BEFORE_ORG = frozenset(
    """foreningen botilbuddet bofællesskabet plejecentret plejehjemmet værestedet opholdsstedet bostedet
    børnehaven vuggestuen dagtilbuddet klubben""".split()
)
# Parts of a town, not a town: "Jobcenter Nord" names no place.
GENERIC_AREAS = frozenset("nord syd øst vest midt centrum city center centret land by".split())
# "Lokalrådet i X", "Frivilligcentret for X".
UNITS_WITH_PREPOSITION = frozenset("lokalrådet lokalråd frivilligcentret borgerforeningen beboerforeningen".split())
HOSPITAL_WORDS_AFTER = frozenset("sygehus hospital universitetshospital hospitalsenhed".split())
HOSPITAL_WORDS_BEFORE = frozenset("sygehus regionshospitalet regionshospital hospitalsenhed hospitalsenheden".split())
PLACE_PREPOSITIONS = frozenset("i fra til ved nær omkring udenfor mod".split())
_COMPOUND_TAIL = re.compile(
    r"(skolen|skole|hallen|huset|centret|centeret|gården|hjemmet|klubben|kirken|børnehaven|vuggestuen|"
    r"parken|modellen|projektet|netværket|samarbejdet|ordningen|biblioteket|gymnasium|stadion)$"
)
_PLACE_ENDING = re.compile(
    r"(by|bye|rup|strup|drup|trup|sted|havn|holm|borg|købing|lund|bæk|skov|høj|bjerg|toft|løse|lev|inge|ager|"
    r"gård|vig|næs|sund|dal|kær|mose|hede|ved|bro|bølle|minde|slev|um|holt|rød|strand|torp)s?$"
)


# The words each pattern starts from, to visit only the tokens that hold one.
_KOMMUNE_WORDS = frozenset(("kommune", "kommunes"))
_UNIT_WORDS = UNITS_BEFORE | UNITS_BEFORE_ORG | UNITS_WITH_PREPOSITION | UNITS_AFTER
_HOSPITAL_WORDS = HOSPITAL_WORDS_AFTER | HOSPITAL_WORDS_BEFORE


def _compound_candidate(word: str) -> bool:
    """A capitalised uncommon word ending in a compound tail after at least three letters."""
    if not (word[:1].isupper() and (len(word) == 1 or not word.isupper())) or is_common_word(word):
        return False
    m = _COMPOUND_TAIL.search(word)
    return bool(m and m.start() >= 3)


@lru_cache(maxsize=1)
def _municipality_index() -> PhraseIndex[str]:
    index: PhraseIndex[str] = PhraseIndex()
    for m in municipalities():
        for form in (m.name, *m.aliases):
            index.add(form, m.name)
    return index


@lru_cache(maxsize=1)
def _town_index() -> PhraseIndex[str]:
    index: PhraseIndex[str] = PhraseIndex()
    for town in towns():
        index.add(town, town)
    return index


@lru_cache(maxsize=1)
def _hospital_index() -> PhraseIndex[str]:
    index: PhraseIndex[str] = PhraseIndex()
    for name in hospitals():
        index.add(name, name)
    return index


def municipality_of(name: str) -> str | None:
    """The canonical municipality for a name or its genitive ("Københavns" -> "København")."""
    found = _municipality_index().get(name)
    if found is None and genitive_base(name):
        found = _municipality_index().get(genitive_base(name))
    return found


def _proper(token: Token) -> bool:
    """A capitalised word that is not a function word, a generic term or (at a sentence start) a common word."""
    if not token.capitalised or token.lower in FUNCTION_WORDS or token.text in COMMON_CAPITALISED:
        return False
    return not is_common_word(token.text)


class GazetteerPlaceDetector:
    """Municipalities, towns and hospitals from the shipped lists."""

    name = "places"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        found = []
        for m in context.matches(_municipality_index()):
            kommune = kommune_after(text, tokens, m.last)
            if not self._confident(tokens, m.first, m.last) and kommune is None:
                continue
            end, genitive, score = m.end, m.genitive, 0.9
            if kommune is not None:
                end, genitive, score = kommune.end, kommune.lower.endswith("s"), 0.93
            found.append(span(context, m.start, end, "PLACE", score, self.name, entity_key(KIND_MUNICIPALITY, m.payload), genitive))
        for m in context.matches(_town_index()):
            if self._confident(tokens, m.first, m.last):
                found.append(span(context, m.start, m.end, "PLACE", 0.85, self.name, entity_key(KIND_PLACE, m.payload), m.genitive))
        for m in context.matches(_hospital_index()):
            if self._confident(tokens, m.first, m.last):
                found.append(span(context, m.start, m.end, "ORG", 0.9, self.name, entity_key(KIND_ORG, m.payload), m.genitive))
        return found

    @staticmethod
    def _confident(tokens: list[Token], first: int, last: int) -> bool:
        token = tokens[first]
        if first == last and is_common_word(token.text):
            return not token.sentence_initial
        return True


class PatternPlaceDetector:
    """Places and organisations recognised by the words around them."""

    name = "place-pattern"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        found: list[PiiSpan] = []
        found += self._kommune(context)
        found += self._units(context)
        found += self._hospitals(context)
        found += self._after_preposition(context)
        found += self._compounds(context)
        return found

    def _place_span(self, context: DetectionContext, a: int, b: int, score: float) -> PiiSpan:
        """Tokens ``a..b`` as a place: a municipality when listed or known, else a place."""
        tokens = context.tokens
        start, end = tokens[a].start, tokens[b].end
        name = context.text[start:end]
        kommune = municipality_of(name)
        if kommune is not None:
            genitive = kommune not in (name,) and _municipality_index().get(name) is None
            return span(context, start, end, "PLACE", score, self.name, entity_key(KIND_MUNICIPALITY, kommune), genitive)
        known = context.known.get(name)
        base = genitive_base(name)
        if known is None and base and context.known.get(base) is not None:
            return span(context, start, end, "PLACE", score, self.name, context.known.get(base).key, True)
        if known is not None and known.type == "PLACE":
            return span(context, start, end, "PLACE", score, self.name, known.key)
        return span(context, start, end, "PLACE", score, self.name, entity_key(KIND_PLACE, name))

    def _name_run(self, context: DetectionContext, j: int, step: int) -> tuple[int, int] | None:
        """One or two proper words starting at token ``j`` going right (step 1) or left (step -1).

        Going right, after a unit word ("Jobcenter Fjordby"), a capitalised
        word mid-sentence is taken even when the lemma table lists it: Danish
        capitalises it only as a name. Going left ("Teknisk Forvaltning") it
        must not be an ordinary word, so generic departments are kept.
        """
        tokens, text = context.tokens, context.text
        if not 0 <= j < len(tokens):
            return None
        token = tokens[j]
        known = context.known.get(token.text)
        named = _proper(token) or municipality_of(token.text) or (known is not None and known.type == "PLACE")
        if not named and step > 0 and not token.sentence_initial and token.capitalised:
            named = token.lower not in FUNCTION_WORDS and token.text not in COMMON_CAPITALISED and token.lower not in GENERIC_AREAS
        if not named or token.lower in GENERIC_AREAS:
            return None
        a = b = j
        k = j + step
        if 0 <= k < len(tokens):
            left, right = (tokens[k], tokens[j]) if step < 0 else (tokens[j], tokens[k])
            if text[left.end : right.start] in ("-", " ") and _proper(tokens[k]) and not tokens[min(j, k)].sentence_initial:
                a, b = min(j, k), max(j, k)
        if tokens[a].sentence_initial and is_common_word(tokens[a].text) and not municipality_of(tokens[a].text):
            return None
        return a, b

    def _kommune(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        found = []
        for i in context.positions.of(_KOMMUNE_WORDS):
            token = tokens[i]
            if i == 0 or text[tokens[i - 1].end : token.start] != " ":
                continue
            prev = tokens[i - 1]
            if not prev.capitalised or prev.lower in FUNCTION_WORDS or prev.text in COMMON_CAPITALISED:
                continue
            if is_common_word(prev.text) and prev.sentence_initial and not municipality_of(prev.text):
                continue
            a = i - 1
            if a > 0 and text[tokens[a - 1].end : prev.start] == "-" and tokens[a - 1].capitalised:
                a -= 1  # "Lyngby-Taarbæk Kommune", "Ringkøbing-Skjern Kommune"
            name = text[tokens[a].start : prev.end]
            kommune = municipality_of(name) or name
            found.append(span(context, tokens[a].start, token.end, "PLACE", 0.93, self.name,
                              entity_key(KIND_MUNICIPALITY, kommune), token.lower.endswith("s")))
        return found

    def _units(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        found = []
        for i in context.positions.of(_UNIT_WORDS):
            token = tokens[i]
            lower = token.lower
            if lower in UNITS_BEFORE and i + 1 < len(tokens) and text[token.end : tokens[i + 1].start] == " ":
                run = self._name_run(context, i + 1, 1)
                if run and tokens[run[1] + 1 : run[1] + 2] and tokens[run[1] + 1].lower in ("kommune", "kommunes"):
                    run = None  # "Jobcenter Fjordby Kommune": the kommune pattern covers it
                if run:
                    found.append(self._place_span(context, *run, 0.88))
            if lower in UNITS_BEFORE_ORG and i + 1 < len(tokens) and text[token.end : tokens[i + 1].start] == " ":
                run = self._name_run(context, i + 1, 1)
                if run:
                    a, b = run
                    name = text[tokens[a].start : tokens[b].end]
                    found.append(span(context, tokens[a].start, tokens[b].end, "ORG", 0.86, self.name, entity_key(KIND_ORG, name)))
            if lower in UNITS_WITH_PREPOSITION and i + 2 < len(tokens) and tokens[i + 1].lower in ("i", "for", "på"):
                run = self._name_run(context, i + 2, 1)
                if run:
                    found.append(self._place_span(context, *run, 0.88))
            if lower in UNITS_AFTER and i > 0 and text[tokens[i - 1].end : token.start] == " ":
                run = self._name_run(context, i - 1, -1)
                if run and not tokens[run[0]].sentence_initial or run and municipality_of(text[tokens[run[0]].start : tokens[run[1]].end]):
                    found.append(self._place_span(context, *run, 0.86))
        return found

    def _hospitals(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        found = []
        for i in context.positions.of(_HOSPITAL_WORDS):
            token = tokens[i]
            if token.lower in HOSPITAL_WORDS_AFTER and i > 0 and text[tokens[i - 1].end : token.start] == " ":
                run = self._name_run(context, i - 1, -1)
                if run:
                    found.append(span(context, tokens[run[0]].start, token.end, "ORG", 0.9, self.name,
                                      entity_key(KIND_ORG, text[tokens[run[0]].start : token.end])))
            if token.lower in HOSPITAL_WORDS_BEFORE and token.capitalised and i + 1 < len(tokens):
                run = self._name_run(context, i + 1, 1)
                if run and text[token.end : tokens[i + 1].start] == " ":
                    found.append(span(context, token.start, tokens[run[1]].end, "ORG", 0.9, self.name,
                                      entity_key(KIND_ORG, text[token.start : tokens[run[1]].end])))
        return found

    def _after_preposition(self, context: DetectionContext) -> list[PiiSpan]:
        tokens = context.tokens
        found = []
        for i in context.positions.where(PLACE_PREPOSITIONS.__contains__):
            token = tokens[i]
            if i == len(tokens) - 1 or context.text[token.end : tokens[i + 1].start] != " ":
                continue
            nxt = tokens[i + 1]
            if _proper(nxt) and len(nxt.text) > 3 and _PLACE_ENDING.search(nxt.text):
                found.append(self._place_span(context, i + 1, i + 1, 0.7))
        return found

    def _compounds(self, context: DetectionContext) -> list[PiiSpan]:
        """One-word names built on a known place: "Fjordbyskolen", "Vordingborghallen"."""
        places = {name for name, entity in context.known.items() if entity.type == "PLACE" and " " not in name}
        places |= {m.name for m in municipalities() if " " not in m.name and "-" not in m.name}
        found = []
        tokens = context.tokens
        for i in context.positions.where(_compound_candidate):
            token = tokens[i]
            m = _COMPOUND_TAIL.search(token.text)
            if token.text[: m.start()] in places:
                found.append(span(context, token.start, token.end, "ORG", 0.8, self.name, entity_key(KIND_ORG, token.text)))
        return found
