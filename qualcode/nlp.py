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

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from qualcode.errors import QualcodeError

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


@Language.component("danish_sentence_rules")
def danish_sentence_rules(doc: Doc) -> Doc:
    """Correct the sentencizer for Danish abbreviations and spoken-language marks."""
    for i, token in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        text = token.text.lower()
        if "\n" in token.text:
            # A line break is a paragraph break in every transcript format.
            nxt.is_sent_start = True
        elif text in NO_SPLIT_AFTER:
            nxt.is_sent_start = False
        elif text == "." and i > 0 and doc[i - 1].text.lower() in _ABBREV_STEMS and not doc[i - 1].whitespace_:
            nxt.is_sent_start = False
        elif text in SPLIT_AFTER_IF_CAPITAL:
            nxt.is_sent_start = nxt.text[:1].isupper()
    # The sentencizer glues an opening bracket to the sentence before it
    # ("Ja. (griner)" -> "Ja. (" + "griner)"); move the boundary before it.
    for i in range(1, len(doc) - 1):
        if doc[i].text in ("(", "[") and doc[i + 1].is_sent_start and not doc[i].is_sent_start:
            doc[i].is_sent_start = True
            doc[i + 1].is_sent_start = False
    return doc


def configured_model() -> str | None:
    return os.environ.get("QUALCODE_SPACY_MODEL") or None


@lru_cache(maxsize=4)
def get_nlp(model: str | None = None) -> Language:
    """Return the segmentation pipeline (cached per process)."""
    model = model or configured_model()
    if model:
        if importlib.util.find_spec(model) is None:
            raise QualcodeError(
                f"spaCy pipeline '{model}' is not installed; install it with pip"
                " (qualcode never downloads models) or unset QUALCODE_SPACY_MODEL"
            )
        nlp = spacy.load(model)
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        return nlp
    nlp = spacy.blank("da")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("danish_sentence_rules", after="sentencizer")
    return nlp


@lru_cache(maxsize=1)
def _lemma_table():
    from spacy.lookups import load_lookups

    # Loaded from the installed spacy-lookups-data package; no download.
    return load_lookups("da", ["lemma_lookup"]).get_table("lemma_lookup")


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """Lowercase lemma of one word form; the lowercase form itself when unknown."""
    lower = word.lower()
    table = _lemma_table()
    lemma = table.get(lower) or table.get(word)
    return (lemma or lower).lower()


def token_lemmas(tokens) -> list[str]:
    """Lemmas of the word tokens (no punctuation, spaces or numbers-only tokens)."""
    return [lemma_of(t.text) for t in tokens if any(ch.isalpha() for ch in t.text)]


def lemmatise(text: str) -> list[str]:
    """Lemmas of a text, tokenised with the Danish tokenizer."""
    return token_lemmas(get_nlp().tokenizer(text))
