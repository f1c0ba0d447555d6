"""Orchestration: detect, resolve, link to entities, replace.

Design choice: qualcode does not use presidio-analyzer/anonymizer, although
it follows their pattern (recognizers find typed, scored spans; operators
transform them). Presidio's analyzer is built around a spaCy NLP engine
loaded by model name (by default an English model it expects to download),
and its useful parts for Danish would all be custom recognizers anyway:
CPR without modulus 11, Danish phone groupings, genitives, hyphenated
compounds, "X Kommune", names that are also words. Writing those directly
on phonenumbers and python-stdnum keeps detection offline, small, and
testable without a model; an installed ``da_core_news_*`` pipeline is still
used when present (:mod:`qualcode.anonymise.detectors.ner`).

Entities are linked across documents through one name index fed by the
register, the participant metadata, the pseudonym key and every confident
finding ("Hedelund Kommune" teaches "Hedelund"), so one person or place gets
one pseudonym in the whole project.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from qualcode.anonymise.detectors import DetectionContext, KnownEntity, ReviewDetector, default_detectors
from qualcode.anonymise.detectors.known import KnownNamesDetector
from qualcode.anonymise.key import SERIES, PseudonymKey, default_key_path
from qualcode.anonymise.offsets import OffsetMap
from qualcode.anonymise.operators import make_operator
from qualcode.anonymise.phrases import PhraseIndex
from qualcode.anonymise.register import Register, RegisterEntity
from qualcode.anonymise.spans import KIND_MUNICIPALITY, KIND_ORG, KIND_PERSON, KIND_PLACE, PiiSpan, resolve, uncovered
from qualcode.anonymise.tokens import entity_key, genitive_base, normalise_name
from qualcode.i18n import resolve_lang
from qualcode.readers.labels import name_part

KIND_ADDRESS = "address"
_KIND_TYPE = {KIND_PERSON: "PERSON", KIND_MUNICIPALITY: "PLACE", KIND_PLACE: "PLACE", KIND_ORG: "ORG", KIND_ADDRESS: "ADDRESS"}
# "Engtoften 9, 4871 Lindholt": the street and the town, to find them again without the number.
_ADDRESS_PARTS = re.compile(r"^(?P<street>[A-ZÆØÅ][^\d,]*?)\s+\d|(?P<post>\b\d{4})\s+(?P<town>[A-ZÆØÅ][a-zæøå]{2,})")
_NAMED_TYPES = ("PERSON", "PLACE", "ORG")
# Findings this certain teach the name index; weaker ones are masked where found only.
_LEARN_FROM = 0.7


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    new_start: int
    new_end: int
    type: str
    original: str
    replacement: str
    source: str
    entity: str | None = None


@dataclass(frozen=True)
class AnonymisedText:
    original: str
    text: str
    replacements: tuple[Replacement, ...]
    review: tuple[PiiSpan, ...] = ()

    def slice(self, start: int, end: int) -> str:
        """The anonymised version of ``original[start:end]``.

        A replacement that straddles either boundary is included whole, so a
        quote cut mid-name never leaks part of it (:meth:`OffsetMap.span`, which
        cached documents share).
        """
        a, b = self.offsets.span(start, end)
        return self.text[a:b]

    @property
    def offsets(self) -> OffsetMap:
        """The offset map of the replacements (built once: slicing used to rebuild it per call)."""
        offsets = self.__dict__.get("_offsets")
        if offsets is None:
            offsets = OffsetMap.of(len(self.original), self.replacements)
            object.__setattr__(self, "_offsets", offsets)
        return offsets


def surface_name(span: PiiSpan) -> str:
    """The name a span stands for: without "Kommune" after a municipality or a genitive ending."""
    text = span.text
    if span.kind == KIND_MUNICIPALITY and text.lower().endswith((" kommune", " kommunes")):
        return text.rsplit(" ", 1)[0]
    if span.genitive:
        return genitive_base(text) or text
    return text


class Anonymiser:
    """Finds personal data in Danish transcripts and replaces it consistently."""

    def __init__(
        self,
        operator: str = "tag",
        register: Register | None = None,
        metadata: Sequence[Mapping[str, str]] | None = None,
        strict: bool = False,
        key_path: str | Path | None = None,
        *,
        lang: str | None = None,
        use_ner: bool | None = None,
        detectors: Sequence | None = None,
    ):
        self.operator_name = operator
        self.operator = make_operator(operator)
        self.strict = strict
        self.lang = resolve_lang(lang)
        self.register = (register or Register()).merged(Register.from_participants(metadata or []))
        self.key = PseudonymKey(key_path)
        self.detectors = list(detectors) if detectors is not None else default_detectors(use_ner)
        self._review = ReviewDetector()
        self._known_detector = KnownNamesDetector()
        self.known: PhraseIndex[KnownEntity] = PhraseIndex()
        self._conflicts: set[str] = set()
        self._info: dict[str, RegisterEntity] = {}
        self._adopted: dict[str, str] = {}
        self._reserved_cache: tuple[int, frozenset[str]] = (-1, frozenset())
        self._key_saves_deferred = 0
        self._keep = {normalise_name(w) for w in self.register.keep}
        for entity in self.register.entities:
            self._info[entity.key] = entity
            score = 0.97 if entity.source == "register" else 0.95
            for form in entity.forms:
                self._add_known(form, entity.key, entity.source, score)
        for entry in self.key.entries.values():
            for form in (entry.name, *entry.aliases):
                self._add_known(form, entry.key, "key", 0.9)

    # -- construction from a project -------------------------------------------
    @classmethod
    def for_project(cls, project, operator: str = "tag", register: Register | None = None, strict: bool = False,
                    key_path: str | Path | None = None, *, prescan: bool = True, **kwargs) -> "Anonymiser":
        """An anonymiser that knows every speaker and participant of the project's documents.

        The key defaults to ``<project>.pseudonyms.json`` beside the project
        file. With ``prescan`` every document is read once first, so a name
        proved in the last interview is also masked in the first.
        """
        if key_path is None and project.path is not None:
            key_path = default_key_path(project.path)
        anonymiser = cls(operator, register, participants_of(project), strict, key_path, **kwargs)
        if prescan:
            anonymiser.learn(_texts(project))
        return anonymiser

    def learn(self, texts: Iterable[str]) -> None:
        """Run detection over texts only to learn their names (no pseudonyms are assigned)."""
        for text in texts:
            with _gc_paused():
                self._detect(DetectionContext(text, self.known), learn_only=True)

    def anonymise_document(self, document) -> AnonymisedText:
        return self.anonymise(document.text)

    def save_key(self, path: str | Path | None = None) -> Path:
        return self.key.save(path)

    def flush_key(self) -> None:
        """Write the pseudonym key now if it changed (inside :meth:`deferred_key_saves`)."""
        if self.key.path is not None:
            self.key.save_if_changed()

    @contextmanager
    def deferred_key_saves(self):
        """Save the pseudonym key when the block ends, not after every document.

        For batch runs that write nothing out until the end (a report): the
        key grows with the corpus, and rewriting it after each of 2,000
        interviews made anonymising quadratic. Whoever writes anonymised
        text out inside the block calls :meth:`flush_key` first; the key is
        also saved if the block fails, so it never lacks a pseudonym in use.
        """
        self._key_saves_deferred += 1
        try:
            yield self
        finally:
            self._key_saves_deferred -= 1
            if not self._key_saves_deferred:
                self.flush_key()

    # -- detection -------------------------------------------------------------
    def detect(self, text: str) -> list[PiiSpan]:
        """Resolved, non-overlapping findings in text order, linked to entities."""
        with _gc_paused():
            return self._detect(DetectionContext(text, self.known))

    def _detect(self, context: DetectionContext, *, learn_only: bool = False) -> list[PiiSpan]:
        found = [s for d in self.detectors for s in d.detect(context)]
        found = [s for s in found if not self._kept(s)]
        resolved = resolve(found)
        learned = self._learn(resolved)
        if learn_only:
            # What follows only shapes the returned spans; it teaches nothing.
            return resolved
        if learned:
            # Names learned from patterns ("Hedelund Kommune") now find bare mentions ("i Hedelund").
            more = [s for s in self._known_detector.detect(context) if not self._kept(s)]
            resolved = resolve(resolved + uncovered(more, resolved))
        return [self._link(s) for s in resolved]

    def review_candidates(self, text: str, spans: Iterable[PiiSpan]) -> list[PiiSpan]:
        """What still looks like a name and is not masked: for the researcher to check."""
        with _gc_paused():
            return self._review_candidates(DetectionContext(text, self.known), spans)

    def _review_candidates(self, context: DetectionContext, spans: Iterable[PiiSpan]) -> list[PiiSpan]:
        candidates = self._review.detect(context)
        return [c for c in uncovered(candidates, spans) if not self._kept(c)]

    def _kept(self, span: PiiSpan) -> bool:
        return bool(self._keep) and normalise_name(surface_name(span)) in self._keep

    def _add_known(self, form: str, key: str, source: str, score: float) -> bool:
        form = form.strip()
        if not form:
            return False
        type_ = _KIND_TYPE[key.split(":", 1)[0]]
        existing = self.known.get(form)
        if existing is None:
            return self.known.add(form, KnownEntity(key, type_, source, score))
        if existing.key != key:
            self._conflicts.add(normalise_name(form))
        return False

    def _learn(self, spans: Iterable[PiiSpan]) -> bool:
        added = False
        for s in spans:
            if s.type == "ADDRESS" and s.score >= 0.9:
                added |= self._learn_address(s.text)
                continue
            if s.type not in _NAMED_TYPES or s.entity is None or s.score < _LEARN_FROM or s.source == "known":
                continue
            if s.entity.split(":", 1)[0] not in SERIES:
                continue
            name = surface_name(s)
            key = self._adopt(name, s.entity) if s.type == "PERSON" else s.entity
            added |= self._add_known(name, key, "learned", 0.88)
            words = name.split()
            if s.type == "PERSON" and len(words) > 1:
                for part in (words[0], words[-1]):
                    if len(part) > 1:
                        added |= self._add_known(part, key, "learned", 0.88)
        return added

    def _adopt(self, name: str, key: str) -> str:
        """A participant known only by a first name ("Henrik") is the one "Henrik X" in the texts.

        Only while exactly one such full name has been seen: a second
        "Henrik Y" keeps its own pseudonym.
        """
        words = name.split()
        if self.known.get(name) is not None:
            return self.known.get(name).key
        if len(words) < 2:
            return key
        first = self.known.get(words[0])
        info = self._info.get(first.key) if first is not None else None
        if info is None or info.kind != KIND_PERSON or " " in info.name or normalise_name(words[0]) in self._conflicts:
            return key
        adopted = self._adopted.setdefault(first.key, normalise_name(name))
        return first.key if adopted == normalise_name(name) else key

    def _learn_address(self, text: str) -> bool:
        """A full address teaches its street and its town ("bor stadig på Engtoften", "ude i Lindholt")."""
        from qualcode.anonymise.detectors.places import municipality_of

        added = False
        for m in _ADDRESS_PARTS.finditer(text):
            if m.group("street") and " " not in m.group("street").strip():
                street = m.group("street").strip()
                added |= self._add_known(street, entity_key(KIND_ADDRESS, street), "learned", 0.88)
            elif m.group("town"):
                town = m.group("town")
                kommune = municipality_of(town)
                key = entity_key(KIND_MUNICIPALITY, kommune) if kommune else entity_key(KIND_PLACE, town)
                added |= self._add_known(town, key, "learned", 0.88)
        return added

    def _link(self, span: PiiSpan) -> PiiSpan:
        if span.type not in _NAMED_TYPES:
            return span
        name = surface_name(span)
        known = None if normalise_name(name) in self._conflicts else self.known.get(name)
        if known is not None and known.type == span.type:
            return replace(span, entity=known.key)
        if span.entity is None:
            kind = {"PERSON": KIND_PERSON, "PLACE": KIND_PLACE, "ORG": KIND_ORG}[span.type]
            return replace(span, entity=entity_key(kind, name))
        return span

    # -- replacement -------------------------------------------------------------
    def masked_spans(self, text: str) -> tuple[list[PiiSpan], list[PiiSpan]]:
        """(what :meth:`anonymise` replaces, the review candidates), without replacing anything."""
        with _gc_paused():
            # One context: the text is tokenised once for detection, review and strict mode.
            context = DetectionContext(text, self.known)
            spans = self._detect(context)
            review = self._review_candidates(context, spans)
            masked = self._strict(context, spans, review) if self.strict and review else spans
            return sorted(masked, key=lambda s: s.start), review

    def anonymise(self, text: str) -> AnonymisedText:
        masked, review = self.masked_spans(text)
        parts: list[str] = []
        replacements: list[Replacement] = []
        pos = out = 0
        for s in masked:
            parts.append(text[pos : s.start])
            out += s.start - pos
            new = self.operator.operate(s, self._entry(s), self.lang)
            replacements.append(Replacement(s.start, s.end, out, out + len(new), s.type, s.text, new, s.source, s.entity))
            parts.append(new)
            out += len(new)
            pos = s.end
        parts.append(text[pos:])
        if self.key.path is not None and replacements and not self._key_saves_deferred:
            # The key must always cover what has been written out with its pseudonyms.
            self.key.save_if_changed()
        return AnonymisedText(text, "".join(parts), tuple(replacements), tuple(review))

    def _strict(self, context: DetectionContext, spans: list[PiiSpan], review: list[PiiSpan]) -> list[PiiSpan]:
        """Mask the candidates, and every other mention of them (a sentence-initial one too)."""
        for c in review:
            self._add_known(c.text, c.entity, "strict", 0.3)
        masked = spans + review
        more = self._known_detector.detect(context)
        masked += uncovered([s for s in more if s.source == "strict"], masked)
        return masked

    def _entry(self, span: PiiSpan):
        if span.entity is None or span.kind not in SERIES:
            return None
        info = self._info.get(span.entity)
        name = surface_name(span)
        entry = self.key.entry(
            span.entity,
            info.name if info else name,
            gender=info.gender if info else None,
            role=info.role if info else None,
        )
        self.key.add_alias(span.entity, name)
        self.operator.prepare(entry, self.key, self._reserved())
        return entry

    def _reserved(self) -> frozenset[str]:
        """Every word of every real name known so far (cached until the index grows)."""
        if self._reserved_cache[0] != len(self.known):
            words = frozenset(w.casefold() for name, _ in self.known.items() for w in name.split())
            self._reserved_cache = (len(self.known), words)
        return self._reserved_cache[1]


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while detecting.

    Detection builds tens of thousands of small acyclic objects (tokens,
    spans) per document; each batch of them triggered a collection that walks
    the whole heap, spaCy's half-million-entry lemma table included, which
    cost as much as the detection itself. Reference counting still frees
    everything; collection resumes (if it was on) when detection ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _texts(project) -> Iterator[str]:
    """Every document's text, one at a time: a 2,000-interview corpus never sits in memory at once."""
    for document_id in project.documents.ids():
        yield project.documents.get(document_id).text


def participants_of(project) -> list[dict[str, str]]:
    """Participant rows from a project's documents: metadata plus every speaker label of every turn.

    Read from document headers and turns only; no document text is loaded.
    """
    rows: list[dict[str, str]] = []
    for header in project.documents.headers():
        meta = {k: str(v) for k, v in header.metadata.items()}
        rows.append(meta)
        for turn in project.documents.turns(header.id):
            speaker = name_part(turn.speaker)  # "Maria (hun/hende)" names Maria; "" names nobody
            if not speaker:
                continue
            if turn.is_interviewer:
                rows.append({"interviewer": speaker})
            elif turn.speaker != meta.get("speaker"):
                rows.append({"speaker": speaker, "role": turn.role or ""})
    return list({tuple(sorted(r.items())): r for r in rows}.values())
