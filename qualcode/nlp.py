"""The spaCy pipeline qualcode segments and lemmatises with.

Default: ``spacy.blank("da")`` + sentencizer + Danish boundary rules, and
lemmas from spacy-lookups-data's Danish lookup table with a lowercase
fallback. A trained pipeline (``da_core_news_sm/md/lg``) is used only when the
user names it (``QUALCODE_SPACY_MODEL`` or ``get_nlp(model=...)``) and it is
installed; nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from qualcode.errors import QualcodeError
from qualcode.i18n import gettext as _, quote

# Abbreviations after which a sentence does not end, even though the token
# ends in a full stop (the Danish tokenizer keeps most of them whole).
NO_SPLIT_AFTER = frozenset(
    {
        "bl.a.", "bl.a", "fx", "fx.", "f.eks.", "f.eks", "ift.", "ift", "dvs.", "dvs", "ca.", "ca",
        "jf.", "jf", "nr.", "nr", "evt.", "inkl.", "ekskl.", "mht.", "vedr.", "iflg.", "pga.",
        "o.l.", "m.v.", "s.", "kl.", "hhv.", "ang.", "el.", "tlf.", "mrk.", "cand.", "stk.",
    }
)
# Tokens that end a sentence when the next word is capitalised.
SPLIT_AFTER_IF_CAPITAL = frozenset({"osv.", "mv.", "m.v.", "pct.", "etc.", "m.m.", "mfl.", "m.fl.", "...", "…", "…."})
_ABBREV_STEMS = frozenset(t.rstrip(".") for t in NO_SPLIT_AFTER)


# Tokens that always end a sentence, and closing marks that stay with it.
END_PUNCT = frozenset({".", "!", "?", "?!", "!?", "!!", "??", "!!!", "???"})
CLOSERS = frozenset({")", "]", "}", '"', "'", "”", "’", "»", "«"})
BOUNDS_KEY = "qualcode_sentence_bounds"


def sentence_bounds(texts: list[str]) -> list[tuple[int, int]]:
    """Sentence token ranges ``[(start, end), ...]`` from token texts.

    Semantics of spaCy's sentencizer (a sentence ends at . ! ?, with any
    closing marks), plus the Danish rules: no split after abbreviations
    (bl.a., fx, ca. …, also when the tokenizer split off their full stop),
    a split after osv./mv./pct./etc./.../… only before a capital letter, and
    always a split at a line break.
    """
    n = len(texts)
    bounds = []
    start = 0
    i = 0
    while i < n:
        text = texts[i]
        split_after = False
        if "\n" in text:
            split_after = True
        elif text in END_PUNCT:
            prev = texts[i - 1].lower() if i > 0 else ""
            # "fx." tokenised as "fx" + "." is an abbreviation, not an ending.
            split_after = not (text == "." and prev in _ABBREV_STEMS)
        else:
            lowered = text.lower()
            if lowered in SPLIT_AFTER_IF_CAPITAL and i + 1 < n:
                split_after = texts[i + 1][:1].isupper()
        if split_after:
            j = i + 1
            while j < n and (texts[j] in CLOSERS or texts[j] in END_PUNCT):
                j += 1
            bounds.append((start, j))
            start = j
            i = j
            continue
        i += 1
    if start < n:
        bounds.append((start, n))
    return bounds


@Language.component("danish_sentencizer")
def danish_sentencizer(doc: Doc) -> Doc:
    """spaCy component: sets sentence starts by :func:`sentence_bounds`.

    Array-based (no Token objects are built), which makes importing several
    times faster than the stock sentencizer followed by per-token rules.
    """
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    texts = [strings[o] for o in doc.to_array("ORTH").tolist()]
    bounds = sentence_bounds(texts)
    starts = numpy.full(len(doc), -1, dtype="int64")
    for b, _ in bounds:
        starts[b] = 1
    doc.from_array(["SENT_START"], starts.astype("uint64").reshape(-1, 1))
    doc.user_data[BOUNDS_KEY] = (bounds, texts)
    return doc


def configured_model() -> str | None:
    return os.environ.get("QUALCODE_SPACY_MODEL") or None


@lru_cache(maxsize=4)
def get_nlp(model: str | None = None) -> Language:
    """Return the segmentation pipeline (cached per process)."""
    model = model or configured_model()
    if model:
        if importlib.util.find_spec(model) is None:
            raise QualcodeError(_(
                "spaCy pipeline {model} is not installed; install it with pip"
                " (qualcode never downloads models) or unset QUALCODE_SPACY_MODEL").format(model=quote(model)))
        nlp = spacy.load(model)
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        return nlp
    nlp = spacy.blank("da")
    nlp.add_pipe("danish_sentencizer")
    return nlp


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spacy-lookups-data's Danish lemma table (word form -> lemma), loaded once per process.

    Read as a plain dict from the installed package (no download): building
    spaCy's ``Lookups`` table hashes all 553k keys one by one and took four
    times as long, for the same ``get``/``in`` answers.
    """
    from spacy.util import load_language_data, registry

    return load_language_data(registry.lookups.get("da")["lemma_lookup"])


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """Lowercase lemma of one word form; the lowercase form itself when unknown."""
    lower = word.lower()
    table = lemma_table()
    lemma = table.get(lower) or table.get(word)
    return (lemma or lower).lower()


_ORTH_LEMMAS: dict[int, str | None] = {}


def orth_lemmas(doc: Doc, texts: list[str] | None = None) -> list[str | None]:
    """Lemma per token of ``doc`` (``None`` for punctuation, spaces and numbers).

    Works on the ORTH array with a cache by orth id, so no Token objects are
    built: lemmatisation is the hot loop of importing.
    """
    strings = doc.vocab.strings
    out = []
    cache = _ORTH_LEMMAS
    for k, orth in enumerate(doc.to_array("ORTH").tolist()):
        lemma = cache.get(orth, cache)
        if lemma is cache:
            text = texts[k] if texts is not None else strings[orth]
            lemma = lemma_of(text) if any(ch.isalpha() for ch in text) else None
            cache[orth] = lemma
        out.append(lemma)
    return out


def lemmatise(text: str) -> list[str]:
    """Lemmas of a text, tokenised with the Danish tokenizer."""
    return [lemma for lemma in orth_lemmas(get_nlp().tokenizer(text)) if lemma is not None]
