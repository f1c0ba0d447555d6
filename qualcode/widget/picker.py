"""Options for the searchable hierarchical code picker."""

from __future__ import annotations

import unicodedata


def _fold(text: str) -> str:
    # "ae" finds "æ" etc., so a coder can search without Danish keys.
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text)


def code_options(codebook, query: str = "") -> list[tuple[str, str]]:
    """(label, code_id) pairs in codebook order, indented by depth, filtered by ``query``.

    A parent is kept when a child matches, so the hierarchy stays readable.
    """
    if codebook is None:
        return []
    q = _fold(query.strip())
    codes = list(codebook.codes)
    by_id = {c.id: c for c in codes}

    def depth(code) -> int:
        d, parent = 0, code.parent_id
        while parent is not None and parent in by_id:
            d += 1
            parent = by_id[parent].parent_id
        return d

    matches = {c.id for c in codes if not q or q in _fold(c.name) or q in _fold(c.id)}
    keep = set(matches)
    for cid in matches:
        parent = by_id[cid].parent_id
        while parent is not None and parent in by_id:
            keep.add(parent)
            parent = by_id[parent].parent_id
    return [("    " * depth(c) + c.name, c.id) for c in codes if c.id in keep]
