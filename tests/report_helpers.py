"""A small coded project for the report tests (shared by tests/test_report_*.py).

Three interviews in two municipalities, with names in the text that a fake
anonymiser replaces, so tests can check that no name reaches an export.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.codebook import load_codebook
from qualcode.models import Transcript, Turn
from qualcode.project import Project
from qualcode.report.privacy import Redactor

ROOT = Path(__file__).resolve().parent.parent
CODEBOOK = ROOT / "codebooks" / "barrierer_drivkraefter.yaml"

NAMES = ("Birgitte Holm", "Birgitte", "Fjordby Kommune", "Fjordby", "Camilla", "Hedelund", "Jonas")

INTERVIEWS = [
    (
        "01_direktoer_fjordby.txt",
        {"participant_id": "P01", "role": "direktør", "municipality": "Fjordby Kommune"},
        [
            ("I", True, "Hvad får samarbejdet til at virke?", 0.0),
            ("IP", False, "Øh, det er jo, øh, fordi vi har en kommunaldirektør, Birgitte Holm, der bakker helt op og giver os mandat til at prøve noget nyt på tværs.", 5.0),
            ("I", True, "Og hvad blokerer?", 62.0),
            ("IP", False, "Man får det, man måler, ikke? Og ingen måler på samarbejdet i Fjordby Kommune, så hver forvaltning passer sin egen kasse.", 65.5),
        ],
    ),
    (
        "02_chef_fjordby.txt",
        {"participant_id": "P02", "role": "chef", "municipality": "Fjordby Kommune"},
        [
            ("I", True, "Fortæl om et forløb.", 0.0),
            ("IP", False, "Min kollega Camilla ringede bare til jobcentret, og så løste vi det samme dag, fordi vi kender hinanden rigtig godt efter den praktik.", 3725.0),
            ("I", True, "Hvad med økonomien?", 3800.0),
            ("IP", False, "Vi har sparekrav hvert eneste år, æhm, så det første der ryger, det er det tværgående arbejde med borgerne.", 3810.0),
        ],
    ),
    (
        "04_medarbejder_hedelund.txt",
        {"participant_id": "P04", "role": "medarbejder", "municipality": "Hedelund Kommune"},
        [
            ("I", True, "Hvad hjælper dig?", None),
            ("IP", False, "Jeg hedder Jonas, og det der hjælper er, at min leder giver mig råderum til at gøre det, borgeren faktisk har brug for.", None),
        ],
    ),
]

# (document index, turn index, code id, coder, status, source)
CODINGS = [
    (0, 1, "driver.ledelsesopbakning", "gold", "accepted", "human"),
    (0, 3, "barriere.maalstyring", "gold", "accepted", "human"),
    (1, 1, "driver.tillid_relationer", "gold", "accepted", "human"),
    (1, 3, "barriere.oekonomi", "gold", "accepted", "human"),
    (2, 1, "driver.raaderum", "gold", "accepted", "human"),
    (2, 1, "driver.ledelsesopbakning", "gold", "accepted", "human"),
    # Machine suggestions: one accepted, one rejected, one still open.
    (0, 3, "barriere.revirkampe", "qualcode", "accepted", "machine"),
    (1, 1, "barriere.maalstyring", "qualcode", "rejected", "machine"),
    (2, 1, "driver.ildsjaele", "qualcode", "suggested", "machine"),
]


def build_transcript(name: str, metadata: dict, turns_spec) -> Transcript:
    text, turns = "", []
    for i, (label, is_interviewer, said, time) in enumerate(turns_spec):
        text += f"{label}: "
        start = len(text)
        text += said
        turns.append(
            Turn(i, label, start, len(text), time, is_interviewer,
                 None if is_interviewer else metadata["role"], None if is_interviewer else metadata["participant_id"])
        )
        text += "\n"
    return Transcript(name, name, "txt", text, tuple(turns), metadata)


def make_project(codings=CODINGS, path: Path | None = None, *, interviews=INTERVIEWS, segmented: bool = False) -> Project:
    """The coded project; with ``segmented`` its turns are split into sentences as an import does."""
    from qualcode.importer import store_transcript

    project = Project.open(path) if path is not None else Project.in_memory()
    project.codebook.apply(load_codebook(CODEBOOK), actor="test")
    ids = []
    for name, meta, spec in interviews:
        transcript = build_transcript(name, meta, spec)
        ids.append(store_transcript(project, transcript).document_id if segmented else project.documents.add(transcript))
    for doc_index, turn_index, code, coder, status, source in codings:
        turn = project.documents.turns(ids[doc_index])[turn_index]
        project.codings.add(ids[doc_index], turn.start, turn.end, code, coder, status=status, source=source,
                            score=0.8 if source == "machine" else None)
    return project


class FakeAnonymisedText:
    def __init__(self, text: str):
        self.text = text

    def slice(self, start: int, end: int) -> str:
        out = self.text[start:end]
        for name in NAMES:
            out = out.replace(name, "[NAVN]")
        return out


class FakeAnonymiser:
    """Stands in for qualcode.anonymise: same interface, replaces the known names."""

    def __init__(self):
        self.calls: list[int] = []

    def anonymise_document(self, document):
        self.calls.append(document.id)
        return FakeAnonymisedText(document.text)


def fake_redactor(project: Project) -> Redactor:
    return Redactor(project, FakeAnonymiser())
