"""What an export may show about people: anonymised quotes and pseudonyms.

Exports are anonymised by default. Each document is anonymised once, with its
full context (a name is easier to recognise in its sentence than in a cut-out
quote), and quotes are then cut from the anonymised text by their original
offsets. Attributions never use names: the role, optionally a participant
pseudonym ("IP3"), and a municipality pseudonym ("Kommune A").

:func:`redactor_for` is the one place that knows the anonymiser.
"""

from __future__ import annotations

from contextlib import nullcontext
from string import ascii_uppercase
from typing import TYPE_CHECKING, Any, Callable, Iterable, Union

from qualcode.errors import AccessDeniedError, ProjectError
from qualcode.i18n import gettext as _
from qualcode.models import Document, DocumentHeader
from qualcode.project import Project
from qualcode.store.documents import TextSlicer

if TYPE_CHECKING:
    from qualcode.anonymise.offsets import MappedText, OffsetMap


DocumentRef = Union[Document, DocumentHeader, int]


SAVE_EVERY = 100  # anonymised documents per cache transaction in prepare()


class Redactor:
    """Turns documents, participants and municipalities into what an export prints.

    ``anonymiser`` is an object with ``anonymise_document(document)``
    returning something with ``slice(start, end)``; ``None`` means the export
    shows the original text and names (and must say it holds personal data).
    With ``factory`` instead, the anonymiser is built (a slow prescan of the
    whole project) only when a document actually needs anonymising; with
    ``cache`` (:class:`AnonymisationCache`), documents and municipality
    pseudonyms anonymised before are read from the project file.

    Documents may be given as a :class:`Document`, a :class:`DocumentHeader`
    or an id: a document's text is loaded only when it must be anonymised, so
    quoting from a warm cache reads offset maps and the quotes, not the corpus.
    """

    def __init__(self, project: Project, anonymiser: Any | None, *, factory: Callable[[], Any] | None = None,
                 cache: "AnonymisationCache | None" = None):
        self._anonymiser = anonymiser
        self._factory = factory
        self._cache = cache
        self._project = project
        self._anonymised: dict[int, Any] = {}
        self._raw_slice: Callable[[int, int, int], str] | None = None
        # Headers, not documents: numbering people and places needs no text (110 MB at 2,000 interviews).
        headers = project.documents.headers()
        participants = _unique(d.metadata.get("participant_id") or f"doc{d.id}" for d in headers)
        municipalities = _unique(d.metadata.get("municipality") for d in headers if d.metadata.get("municipality"))
        self._participants = {p: f"IP{i}" for i, p in enumerate(participants, 1)}
        self._municipalities = {m: f"Kommune {_letters(i)}" for i, m in enumerate(municipalities)}
        self._documents = {d.id: f"Interview {i:02d}" for i, d in enumerate(headers, 1)}
        self._municipality_labels: dict[str, str] = {}

    @property
    def anonymiser(self) -> Any | None:
        """The anonymiser, built on first use when the redactor has a factory."""
        if self._anonymiser is None and self._factory is not None:
            if not self._project.db.may_read("documents", "text"):
                # A reader on a server: pseudonyms and anonymised texts come only from what a lead's run stored.
                raise AccessDeniedError(_(
                    "{location}: this report needs interviews that are not anonymised in the project yet, and your "
                    "role may not read transcripts; ask a lead to make the same report once (it stores the anonymised "
                    "texts in the project)").format(location=self._project.location))
            self._anonymiser = self._factory()
        return self._anonymiser

    @property
    def anonymised(self) -> bool:
        return self._anonymiser is not None or self._factory is not None

    def prepare(self, documents: Iterable[DocumentRef], *, progress: bool = False) -> None:
        """Anonymise the documents up front (the slow step), with a progress bar.

        Cached documents are read (their offset maps only); the others are
        loaded one at a time when given as headers or ids, anonymised, and
        stored in batches of :data:`SAVE_EVERY` (one transaction each), so a
        long run that stops keeps what it finished and never holds every
        anonymised text waiting to be written.
        """
        if not self.anonymised:
            return
        from tqdm.auto import tqdm

        missing = [d for d in documents if _id_of(d) not in self._anonymised]
        if self._cache is not None:
            self._anonymised.update(self._cache.documents([_id_of(d) for d in missing]))
            missing = [d for d in missing if _id_of(d) not in self._anonymised]
        if not missing:
            return
        fresh: dict[int, Any] = {}
        rows = []
        anonymiser = self.anonymiser
        # The key is written once per stored batch, before the batch (whose
        # validity records the key file's hash), not after every document.
        deferred = getattr(anonymiser, "deferred_key_saves", None)
        with deferred() if deferred is not None else nullcontext():
            for ref in tqdm(missing, desc=_("Anonymising"), unit=_("interview"), disable=not progress):
                result = anonymiser.anonymise_document(self._full(ref))
                if self._cache is not None:
                    # Kept as the stored row and a compact slicer, not the whole record with its
                    # original text: memory stays small however many documents one batch holds.
                    rows.append(self._cache.row(_id_of(ref), result))
                    result = compact(result)
                    if len(rows) >= SAVE_EVERY:
                        self._save_batch(anonymiser, rows)
                        rows = []
                fresh[_id_of(ref)] = result
            if self._cache is not None and rows:
                self._save_batch(anonymiser, rows)
        self._anonymised.update(fresh)

    def _save_batch(self, anonymiser: Any, rows: list) -> None:
        flush = getattr(anonymiser, "flush_key", None)
        if flush is not None:
            flush()
        self._cache.save_rows(rows)

    def quote(self, document: DocumentRef, start: int, end: int) -> str:
        """The span [start, end) of the document as the export may print it."""
        if not self.anonymised:
            if isinstance(document, Document):
                return document.text[start:end]
            if self._raw_slice is None:
                self._raw_slice = self._project.documents.slicer()
            return self._raw_slice(_id_of(document), start, end)
        document_id = _id_of(document)
        if document_id not in self._anonymised:
            self._anonymised[document_id] = self._anonymise(document)
        try:
            return str(self._anonymised[document_id].slice(start, end))
        except StaleCache:
            # Another process rewrote the cache after this one read the offset map.
            self._anonymised[document_id] = self._anonymise(document)
            return str(self._anonymised[document_id].slice(start, end))

    def _anonymise(self, document: DocumentRef) -> Any:
        if self._cache is not None:
            cached = self._cache.document(_id_of(document))
            if cached is not None:
                return cached
        result = self.anonymiser.anonymise_document(self._full(document))
        if self._cache is not None:
            self._cache.save_rows([self._cache.row(_id_of(document), result)])
            return compact(result)
        return result

    def _full(self, document: DocumentRef) -> Document:
        """The document with its text, loaded only now: only the anonymiser needs it."""
        if isinstance(document, Document):
            return document
        return self._project.documents.get(_id_of(document))

    def participant(self, participant_id: str | None, document_id: int) -> str:
        key = participant_id or f"doc{document_id}"
        if not self.anonymised:
            return key
        return self._participants.get(key, "IP?")

    def municipality(self, name: str | None) -> str:
        """The municipality's pseudonym, the same one the anonymiser puts in the quotes ("Kommune A")."""
        if not name:
            return ""
        if not self.anonymised:
            return name
        if name not in self._municipality_labels:
            self._municipality_labels[name] = self._pseudonym(name) or self._municipalities.get(name, "Kommune ?")
        return self._municipality_labels[name]

    def _pseudonym(self, name: str) -> str | None:
        if self._cache is not None:
            found, label = self._cache.label(name)
            if found:
                return label
        label = self._pseudonym_from_anonymiser(name)
        if self._cache is not None:
            self._cache.save({}, {name: label})
        return label

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

    def document(self, document: Document | DocumentHeader) -> str:
        return self.document_label(document.id, document.name)

    def document_label(self, document_id: int, name: str) -> str:
        # File names often carry the municipality or the person ("02_chef_fjordby.txt").
        return name if not self.anonymised else self._documents[document_id]

    def speaker(self, label: str) -> str:
        """A speaker label as the export may print it: "IP3" and "Interviewer" stay, names are pseudonymised."""
        from qualcode.anonymise.register import is_name_label

        if not self.anonymised or not is_name_label(label):
            return label
        return self.text(label)

    def personal_data_note(self, lang: str | None = None) -> str | None:
        """The warning every non-anonymised output must carry; ``None`` when anonymised."""
        if self.anonymised:
            return None
        return personal_data_warning(lang)

    # -- whole documents and free text (exports that carry whole documents) ---------------
    def document_text(self, document: DocumentRef) -> tuple[str, "OffsetMap"]:
        """The whole document as the export may print it, and the map that moves its spans.

        Without anonymisation the map moves nothing.
        """
        from qualcode.anonymise.offsets import OffsetMap

        if not self.anonymised:
            full = self._full(document)
            return full.text, OffsetMap(len(full.text))
        document_id = _id_of(document)
        if document_id not in self._anonymised:
            self._anonymised[document_id] = self._anonymise(document)
        mapped = self._anonymised[document_id]
        offsets = mapped.offsets
        return str(mapped.slice(0, offsets.original_length)), offsets

    def text(self, text: str) -> str:
        """Text people wrote about the interviews (a memo, a metadata value, a speaker label), as the export may print it."""
        if not self.anonymised or not text or not text.strip():
            return text
        return str(self.anonymiser.anonymise(text).text)

    def municipalities_first(self, names: Iterable[str]) -> None:
        """Give the interviews' own municipalities (from metadata) their pseudonyms before any text is read.

        The anonymiser letters municipalities in the order it meets them; a town
        named only inside a quote would otherwise take "Kommune B" and leave the
        report's tables with A, C and D. Where a pseudonym key already exists its
        letters stand.
        """
        for name in names:
            self.municipality(name)


def personal_data_warning(lang: str | None = None) -> str:
    """The one warning every output that is not anonymised prints and carries (--no-anonymise, raw REFI export)."""
    return _(
        "WARNING: This file is NOT anonymised and contains personal data (names, places and other identifiers "
        "from the interviews). Do not share it without a legal basis.", lang)


def redactor_for(project: Project, *, anonymise: bool = True, operator: str = "tag") -> Redactor:
    """The redactor for an export; the only place that knows the anonymiser's API."""
    if not anonymise:
        return Redactor(project, None)
    try:
        from qualcode.anonymise import Anonymiser
    except ImportError as exc:
        raise ProjectError(_(
            "anonymisation is not available in this installation (qualcode.anonymise.Anonymiser is missing); "
            "use --no-anonymise to write outputs marked as containing personal data"
        )) from exc
    from qualcode.anonymise.cache import settings_fingerprint

    if project.read_only:
        # Nothing may be written: no cache rows, and the pseudonym key beside the project is
        # read (same pseudonyms as before) but never rewritten.
        return Redactor(project, None, factory=lambda: _reading_key_only(Anonymiser.for_project(project, operator=operator)))
    return Redactor(
        project, None,
        factory=lambda: Anonymiser.for_project(project, operator=operator),
        cache=AnonymisationCache(project, lambda: settings_fingerprint(project, operator=operator)),
    )


def _reading_key_only(anonymiser: Any) -> Any:
    anonymiser.key.path = None  # loaded already; without a path it is never saved
    return anonymiser


class AnonymisationCache:
    """The project file's anonymised documents for one anonymiser setting (see :mod:`qualcode.anonymise.cache`).

    Validity (fingerprint and key hash) is checked once, on first use; every
    write records the key file's new hash, so the cache stays valid for the
    pseudonyms this process adds.
    """

    def __init__(self, project: Project, fingerprint: Callable[[], str]):
        from qualcode.anonymise.cache import key_path_of

        self._project = project
        self._fingerprint_of = fingerprint
        self._key_path = key_path_of(project)
        self._state: tuple[str, str] | None = None
        self._labels: dict[str, str | None] | None = None
        store = project.anonymised
        # Cut in SQL, or whole once sliced often, as the documents' own texts are.
        self._slices = TextSlicer(
            lambda document_id, start, end: store.text_slice(*self._current(), document_id, start, end),
            lambda document_id: store.text(*self._current(), document_id),
            StaleCache,
        )

    def _current(self) -> tuple[str, str]:
        if self._state is None:
            from qualcode.anonymise.cache import key_hash

            self._state = (self._fingerprint_of(), key_hash(self._key_path))
        return self._state

    def documents(self, document_ids: Iterable[int]) -> dict[int, "MappedText"]:
        """The cached documents among ``document_ids``, sliceable without their texts."""
        from qualcode.anonymise.cache import offsets_from_cached

        fingerprint, key = self._current()
        rows = self._project.anonymised.offsets(fingerprint, key, document_ids)
        return {i: self._mapped(i, offsets_from_cached(row)) for i, row in rows.items()}

    def document(self, document_id: int) -> "MappedText | None":
        return self.documents([document_id]).get(document_id)

    def record(self, document: Document) -> Any | None:
        """The whole cached record (text, replacements, review) as the anonymiser returned it."""
        from qualcode.anonymise.cache import from_cached

        row = self._project.anonymised.document(*self._current(), document.id)
        return from_cached(document.text, row) if row is not None else None

    def _mapped(self, document_id: int, offsets) -> "MappedText":
        from qualcode.anonymise.offsets import MappedText

        return MappedText(offsets, lambda start, end: self._slices(document_id, start, end))

    def label(self, name: str) -> tuple[bool, str | None]:
        """(whether a pseudonym for ``name`` is cached, the pseudonym or ``None`` when there is none)."""
        if self._labels is None:
            self._labels = self._project.anonymised.labels(*self._current())
        return (name in self._labels, self._labels.get(name))

    def row(self, document_id: int, result: Any) -> Any:
        """What the project file stores of a freshly anonymised document."""
        from qualcode.anonymise.cache import to_cached

        return to_cached(document_id, result)

    def save(self, results: dict[int, Any], labels: dict[str, str | None] | None = None) -> None:
        """Store anonymised documents and pseudonyms in one transaction, with the key file's new hash."""
        self.save_rows([self.row(i, r) for i, r in results.items()], labels)

    def save_rows(self, rows: list, labels: dict[str, str | None] | None = None) -> None:
        """:meth:`save` for rows made by :meth:`row`."""
        from qualcode.anonymise.cache import key_hash

        fingerprint, key_before = self._current()
        key_after = key_hash(self._key_path)
        self._project.anonymised.save(fingerprint, key_before, key_after, rows, labels)
        self._state = (fingerprint, key_after)
        if self._labels is not None and labels:
            self._labels.update(labels)


class StaleCache(LookupError):
    """A cached document's text is gone or no longer valid (rewritten after its offset map was read)."""


def compact(result: Any) -> Any:
    """A fresh :class:`AnonymisedText` as its offset map and anonymised text only (no original, no spans)."""
    offsets = getattr(result, "offsets", None)
    if offsets is None:
        return result
    from qualcode.anonymise.offsets import MappedText

    text = result.text
    return MappedText(offsets, lambda start, end: text[start:end])


def _id_of(document: DocumentRef) -> int:
    # Ids from a DataFrame arrive as numpy integers: anything without an ``id`` is one.
    document_id = getattr(document, "id", None)
    return int(document) if document_id is None else document_id


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
