"""What an export may show about people: anonymised quotes and pseudonyms.

Exports are anonymised by default. Each document is anonymised once, with its
full context (a name is easier to recognise in its sentence than in a cut-out
quote), and quotes are then cut from the anonymised text by their original
offsets. Attributions never use names: the role, optionally a participant
pseudonym ("IP3"), and a municipality pseudonym ("Kommune A").

:func:`redactor_for` is the one place that knows the anonymiser.
"""

from __future__ import annotations

from string import ascii_uppercase
from typing import Any

from qualcode.errors import ProjectError
from qualcode.i18n import choose
from qualcode.models import Document
from qualcode.project import Project


class Redactor:
    """Turns documents, participants and municipalities into what an export prints.

    ``anonymiser`` is an object with ``anonymise_document(document)``
    returning something with ``slice(start, end)``; ``None`` means the export
    shows the original text and names (and must say it holds personal data).
    """

    def __init__(self, project: Project, anonymiser: Any | None):
        self.anonymiser = anonymiser
        self._project = project
        self._anonymised: dict[int, Any] = {}
        documents = project.documents.all()
        participants = _unique(d.metadata.get("participant_id") or f"doc{d.id}" for d in documents)
        municipalities = _unique(d.metadata.get("municipality") for d in documents if d.metadata.get("municipality"))
        self._participants = {p: f"IP{i}" for i, p in enumerate(participants, 1)}
        self._municipalities = {m: f"Kommune {_letters(i)}" for i, m in enumerate(municipalities)}
        self._documents = {d.id: f"Interview {i:02d}" for i, d in enumerate(documents, 1)}
        self._municipality_labels: dict[str, str] = {}

    @property
    def anonymised(self) -> bool:
        return self.anonymiser is not None

    def prepare(self, documents: list[Document], *, progress: bool = False) -> None:
        """Anonymise the documents up front (the slow step), with a progress bar."""
        if self.anonymiser is None:
            return
        from tqdm.auto import tqdm

        for document in tqdm(documents, desc="Anonymiserer", unit="interview", disable=not progress):
            if document.id not in self._anonymised:
                self._anonymised[document.id] = self.anonymiser.anonymise_document(document)

    def quote(self, document: Document, start: int, end: int) -> str:
        """The span [start, end) of the document as the export may print it."""
        if self.anonymiser is None:
            return document.text[start:end]
        if document.id not in self._anonymised:
            self._anonymised[document.id] = self.anonymiser.anonymise_document(document)
        return str(self._anonymised[document.id].slice(start, end))

    def participant(self, participant_id: str | None, document_id: int) -> str:
        key = participant_id or f"doc{document_id}"
        if self.anonymiser is None:
            return key
        return self._participants.get(key, "IP?")

    def municipality(self, name: str | None) -> str:
        """The municipality's pseudonym, the same one the anonymiser puts in the quotes ("Kommune A")."""
        if not name:
            return ""
        if self.anonymiser is None:
            return name
        if name not in self._municipality_labels:
            self._municipality_labels[name] = self._pseudonym_from_anonymiser(name) or self._municipalities.get(name, "Kommune ?")
        return self._municipality_labels[name]

    def _pseudonym_from_anonymiser(self, name: str) -> str | None:
        # Anonymising the bare name uses the anonymiser's pseudonym key, so the
        # label matches "[Kommune A]" in the quotes; brackets are for running text.
        anonymise = getattr(self.anonymiser, "anonymise", None)
        if anonymise is None:
            return None
        text = str(getattr(anonymise(name), "text", "")).strip()
        if not text or text == name or not (text.startswith("[") and text.endswith("]")):
            return None
        return text[1:-1]

    def document(self, document: Document) -> str:
        # File names often carry the municipality or the person ("02_chef_fjordby.txt").
        return document.name if self.anonymiser is None else self._documents[document.id]

    def personal_data_note(self, lang: str | None = None) -> str | None:
        """The warning every non-anonymised output must carry; ``None`` when anonymised."""
        if self.anonymised:
            return None
        return choose(
            "ADVARSEL: Denne fil er IKKE anonymiseret og indeholder persondata (navne, steder og andre "
            "identifikatorer fra interviewene). Del den ikke uden hjemmel.",
            "WARNING: This file is NOT anonymised and contains personal data (names, places and other "
            "identifiers from the interviews). Do not share it without a legal basis.",
            lang,
        )


def redactor_for(project: Project, *, anonymise: bool = True, operator: str = "tag") -> Redactor:
    """The redactor for an export; the only place that knows the anonymiser's API."""
    if not anonymise:
        return Redactor(project, None)
    try:
        from qualcode.anonymise import Anonymiser
    except ImportError as exc:
        raise ProjectError(
            "anonymisation is not available in this installation (qualcode.anonymise.Anonymiser is missing); "
            "use --no-anonymise to write outputs marked as containing personal data"
        ) from exc
    return Redactor(project, Anonymiser.for_project(project, operator=operator))


def anonymisation_available() -> bool:
    # The package may exist before its Anonymiser does (work in progress): ask for the class.
    try:
        from qualcode.anonymise import Anonymiser  # noqa: F401
    except ImportError:
        return False
    return True


def _unique(values) -> list:
    return list(dict.fromkeys(v for v in values if v))


def _letters(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: enough pseudonyms for any study."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = ascii_uppercase[r] + out
    return out
