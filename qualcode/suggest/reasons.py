"""Reasons as a coder reads them: Danish by default, English on request."""

from __future__ import annotations

from typing import Sequence

from qualcode.i18n import choose
from qualcode.suggest.records import Evidence

MAX_QUOTE = 60


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def describe(evidence: Evidence, code_name: str, lang: str | None = None) -> str:
    e = evidence
    if e.kind == "keyword":
        return choose(f"nøgleord {e.detail} i '{e.surface}'", f"keyword {e.detail} in '{e.surface}'", lang)
    if e.kind == "example":
        return choose(f"ligner eksemplet '{_quote(e.detail)}'", f"close to the example '{_quote(e.detail)}'", lang)
    if e.kind == "definition":
        return choose(f"ligner beskrivelsen af '{code_name}'", f"close to the description of '{code_name}'", lang)
    if e.kind == "learned":
        if e.count == 1:
            return choose(f"som 1 segment du har kodet '{code_name}'", f"like 1 segment you coded '{code_name}'", lang)
        if e.count > 1:
            return choose(f"som {e.count} segmenter du har kodet '{code_name}'", f"like {e.count} segments you coded '{code_name}'", lang)
        return choose(f"lært af dine kodninger af '{code_name}'", f"learned from your codings of '{code_name}'", lang)
    if e.kind == "context":
        return choose(f"sætningerne omkring handler om '{code_name}'", f"the sentences around it are about '{code_name}'", lang)
    if e.kind == "embedding":
        return choose(f"betydning tæt på '{code_name}' ({e.detail})", f"meaning close to '{code_name}' ({e.detail})", lang)
    raise ValueError(f"unknown evidence kind {e.kind!r}")


def reason_text(evidence: Sequence[Evidence], code_name: str, lang: str | None = None, limit: int = 2) -> str:
    """The strongest pieces of evidence, strongest first, joined by '; '."""
    ranked = sorted(evidence, key=lambda e: -e.strength)[:limit]
    return "; ".join(describe(e, code_name, lang) for e in ranked)
