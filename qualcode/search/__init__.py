"""Search and autocode: lemma-aware (or regular-expression) search with keyword in context, and coding every hit.

    from qualcode.search import search, autocode, undo_autocode
    search(project, "budget")                      # [SearchHit(document, speaker, role, start, end, ...)]
    run = autocode(project, "budget*", "barriere.oekonomi", "mette").run
    undo_autocode(project, run.id, "mette")
"""

from qualcode.search.autocode import UNITS, AutocodeResult, autocode, undo_autocode
from qualcode.search.frame import hits_frame
from qualcode.search.patterns import Pattern
from qualcode.search.search import SearchHit, kwic, search

__all__ = ["UNITS", "AutocodeResult", "Pattern", "SearchHit", "autocode", "hits_frame", "kwic", "search", "undo_autocode"]
