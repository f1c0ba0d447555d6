"""A trained Danish spaCy pipeline's named entities, when one is installed.

Used automatically when ``da_core_news_*`` is importable (found with
``importlib.util.find_spec``, never downloaded) and never required: the
gazetteers, cues and patterns do the work without it. Its findings score
below every rule, so it only adds names the rules missed.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.lexicon import COMMON_CAPITALISED, FUNCTION_WORDS
from qualcode.anonymise.spans import KIND_ORG, KIND_PERSON, KIND_PLACE, PiiSpan
from qualcode.anonymise.tokens import entity_key

MODELS = ("da_core_news_trf", "da_core_news_lg", "da_core_news_md", "da_core_news_sm")
_LABELS = {"PER": ("PERSON", KIND_PERSON), "PERSON": ("PERSON", KIND_PERSON), "LOC": ("PLACE", KIND_PLACE),
           "GPE": ("PLACE", KIND_PLACE), "ORG": ("ORG", KIND_ORG)}


def installed_model() -> str | None:
    """The best installed Danish pipeline, or None."""
    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


@lru_cache(maxsize=2)
def _load(name: str):
    import spacy

    return spacy.load(name, exclude=["lemmatizer", "parser", "attribute_ruler"])


class SpacyNerDetector:
    name = "ner"

    def __init__(self, nlp=None, model: str | None = None):
        # ``nlp`` lets tests (and users with a custom pipeline) pass one in.
        self._nlp = nlp
        self._model = model

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        nlp = self._nlp or _load(self._model or installed_model())
        found = []
        for ent in nlp(context.text).ents:
            mapped = _LABELS.get(ent.label_)
            text = ent.text
            if mapped is None or not text[:1].isupper():
                continue
            if text.casefold() in FUNCTION_WORDS or text in COMMON_CAPITALISED:
                continue
            type_, kind = mapped
            found.append(span(context, ent.start_char, ent.end_char, type_, 0.6, self.name, entity_key(kind, text)))
        return found
