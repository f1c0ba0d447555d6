"""Reasons as a coder reads them: Danish by default, English on request."""

from __future__ import annotations

from typing import Sequence

from qualcode.i18n import format_number, gettext as _, ngettext, quote
from qualcode.suggest.records import Evidence

MAX_QUOTE = 60


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def describe(evidence: Evidence, code_name: str, lang: str | None = None) -> str:
    """One piece of evidence as a phrase: what in the text, the codebook or the coding raised the score."""
    e = evidence
    code = quote(code_name, lang)
    if e.kind == "keyword":
        return _("keyword {keyword} in {words}", lang).format(keyword=quote(e.detail, lang), words=quote(e.surface, lang))
    if e.kind == "example":
        return _("close to the example {example}", lang).format(example=quote(_shorten(e.detail), lang))
    if e.kind == "definition":
        return _("close to the description of {code}", lang).format(code=code)
    if e.kind == "learned":
        if e.count >= 1:
            return ngettext("like {n} segment you coded {code}", "like {n} segments you coded {code}", e.count, lang).format(
                n=format_number(e.count, lang=lang), code=code)
        return _("learned from your codings of {code}", lang).format(code=code)
    if e.kind == "context":
        return _("the sentences around it are about {code}", lang).format(code=code)
    if e.kind == "embedding":
        # The detail names the embedding model.
        return _("meaning close to {code} ({model})", lang).format(code=code, model=e.detail)
    raise ValueError(f"unknown evidence kind {e.kind!r}")


def reason_text(evidence: Sequence[Evidence], code_name: str, lang: str | None = None, limit: int = 2) -> str:
    """The strongest pieces of evidence, strongest first, joined by '; '."""
    ranked = sorted(evidence, key=lambda e: -e.strength)[:limit]
    return "; ".join(describe(e, code_name, lang) for e in ranked)
