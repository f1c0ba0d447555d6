"""Small two-coder projects for the agreement, merge and REFI-QDA tests (built in code, fast)."""

from __future__ import annotations

import re

from qualcode.codebook.model import Code, Codebook
from qualcode.importer import store_transcript
from qualcode.models import Transcript, Turn

CODEBOOK = Codebook(
    "Test", "1", "da", "",
    (
        Code("barrierer", "Barrierer", None, definition="Det der hæmmer samarbejdet.", color="#C0392B"),
        Code("barriere.maaling", "Målinger og belønning", "barrierer",
             definition="Styring der belønner egne resultater.", include="Mål, KPI'er", color="#E74C3C",
             keywords=("måles", "mål*")),
        Code("barriere.tid", "Tidspres", "barrierer", definition="Mangel på tid og ressourcer.", color="#F1948A"),
        Code("drivkraefter", "Drivkræfter", None, definition="Det der fremmer samarbejdet.", color="#1E8449"),
        Code("driver.ledelse", "Ledelsesopbakning", "drivkraefter", definition="Synlig opbakning fra ledelsen."),
        Code("driver.tillid", "Tillid og relationer", "drivkraefter", color="#52BE80"),
    ),
)

TEXT_A = (
    "I: Hvad hæmmer samarbejdet på tværs?\n"
    "IP: Vi måles kun på egne mål. Der er ingen tid til møder. Ledelsen bakker op om det.\n"
    "I: Hvad hjælper så?\n"
    "IP: Vi kender hinanden godt fra før. Budgettet er stramt, men vi prøver. Direktøren går forrest.\n"
)
TEXT_B = (
    "I: Fortæl om jeres samarbejde med frivillige.\n"
    "IP: De frivillige er uforudsigelige. Vi har tillid til hinanden. Ingen ved, hvem der har ansvaret.\n"
)


def add_document(project, name: str, text: str, metadata: dict | None = None) -> int:
    """Store a labelled "I:/IP:" transcript as the importer would (turns, roles, segments)."""
    turns = []
    for m in re.finditer(r"^(I|IP): (.*)$", text, re.M):
        interviewer = m.group(1) == "I"
        turns.append(Turn(len(turns), m.group(1), m.start(2), m.end(2), is_interviewer=interviewer,
                          role="interviewer" if interviewer else (metadata or {}).get("role")))
    transcript = Transcript(name, name, "txt", text, tuple(turns), dict(metadata or {}))
    return store_transcript(project, transcript).document_id


def sentences(project, doc_id: int):
    """The non-interviewer sentence segments of a document, in order."""
    return [s for s in project.documents.segments(doc_id, "sentence") if not s.is_interviewer]


def code_sentence(project, doc_id: int, index: int, code_id: str, coder: str, **kw) -> int:
    seg = sentences(project, doc_id)[index]
    return project.codings.add(doc_id, seg.start, seg.end, code_id, coder, **kw)


def build_two_coder_project(project):
    """Two documents; anna and bo code document A, only anna codes document B.

    Sentences of A (non-interviewer): 0 måles, 1 ingen tid, 2 ledelsen, 3 kender, 4 budgettet, 5 direktøren.
    Sentences of B: 0 frivillige, 1 tillid, 2 ansvaret.
    """
    project.codebook.apply(CODEBOOK, "test")
    a = add_document(project, "a.txt", TEXT_A, {"role": "leder", "municipality": "Fjordby Kommune", "participant_id": "P01"})
    b = add_document(project, "b.txt", TEXT_B, {"role": "frivillig", "municipality": "Hedelund Kommune", "participant_id": "P02"})
    plan = [
        # (doc, sentence, code, coder)
        (a, 0, "barriere.maaling", "anna"), (a, 0, "barriere.maaling", "bo"),   # agree
        (a, 1, "barriere.tid", "anna"), (a, 1, "barriere.maaling", "bo"),       # swap tid <-> maaling
        (a, 2, "driver.ledelse", "anna"), (a, 2, "driver.ledelse", "bo"),       # agree
        (a, 2, "driver.tillid", "bo"),                                          # bo adds tillid
        (a, 3, "driver.tillid", "anna"), (a, 3, "driver.tillid", "bo"),         # agree
        (a, 4, "barriere.tid", "bo"),                                           # only bo
        (a, 5, "driver.ledelse", "anna"), (a, 5, "barriere.tid", "bo"),         # swap ledelse <-> tid
        (b, 0, "barriere.tid", "anna"),
        (b, 1, "driver.tillid", "anna"),
    ]
    for doc, idx, code, coder in plan:
        code_sentence(project, doc, idx, code, coder)
    # A rejected suggestion must not count as "applied".
    rejected = code_sentence(project, a, 3, "barriere.maaling", "anna", status="suggested", source="machine", score=0.4)
    project.codings.decide(rejected, "rejected", "anna")
    return a, b
