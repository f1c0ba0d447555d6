"""The pseudonym key: which real entity got which pseudonym, across the whole project.

Stored as JSON beside the project file (``studie.pseudonyms.json`` next to
``studie.qcp``), never inside an export folder: it is the one file that
re-identifies everyone, so it must not travel with the anonymised copies.
Each entity keeps its number ("[Person 3]"), letter ("[Kommune A]"),
surrogate name and every surface form seen, so later runs and later
documents give the same pseudonym and can find the same names again.
"""

from __future__ import annotations

import json
import os
import string
import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qualcode.anonymise.spans import KIND_MUNICIPALITY, KIND_ORG, KIND_PERSON, KIND_PLACE
from qualcode.errors import InputError
from qualcode.i18n import gettext as _, pgettext, pgettext_noop
from qualcode.limits import MAX_TABLE_BYTES, read_file

KEY_FORMAT = "qualcode-pseudonym-key"
KEY_VERSION = 1

# The words of pseudonyms are translated with this context (pgettext): "[Kommune A]", "[Telefon]";
# the markers below write it out, as extraction needs a literal.
PSEUDONYM = "pseudonym"
# Label series per entity kind: (the word, a message id; numbered with letters?).
SERIES = {
    KIND_PERSON: (pgettext_noop("pseudonym", "Person"), False),
    KIND_MUNICIPALITY: (pgettext_noop("pseudonym", "Municipality"), True),
    KIND_PLACE: (pgettext_noop("pseudonym", "Place"), False),
    KIND_ORG: (pgettext_noop("pseudonym", "Organisation"), False),
}
# Identifiers masked without a series: every phone number reads "[Telefon]".
FIXED_LABELS = {
    "PHONE": pgettext_noop("pseudonym", "Phone"),
    "EMAIL": pgettext_noop("pseudonym", "Email"),
    "CPR": pgettext_noop("pseudonym", "CPR number"),
    "ADDRESS": pgettext_noop("pseudonym", "Address"),
    "URL": pgettext_noop("pseudonym", "Web address"),
}


def pseudonym_word(message: str, lang: str | None = None) -> str:
    """A word of a pseudonym (a message id of :data:`SERIES` or :data:`FIXED_LABELS`) in ``lang``."""
    return pgettext(PSEUDONYM, message, lang)


def letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = string.ascii_uppercase[rem] + out
    return out


@dataclass
class KeyEntry:
    key: str
    kind: str
    number: int
    name: str
    aliases: list[str] = field(default_factory=list)
    surrogate: str | None = None
    gender: str | None = None
    role: str | None = None

    def label(self, lang: str = "da") -> str:
        message, use_letters = SERIES[self.kind]
        return f"[{pseudonym_word(message, lang)} {letters(self.number) if use_letters else self.number}]"


class PseudonymKey:
    """Entity -> pseudonym, loaded from and saved to a JSON file."""

    def __init__(self, path: str | Path | None = None, *, store=None):
        self.path = Path(path) if path is not None else None
        # A project on a server keeps its key in the database (qualcode.store.keys.KeyStore), not in a file.
        self.store = store
        self.entries: dict[str, KeyEntry] = {}
        # Highest number used per series: a scan of every entry per new entity was quadratic.
        self._numbers: dict[str, int] = {}
        # (target, state of the entries, the file's stat) at the last save: see :meth:`save_if_changed`.
        self._saved: tuple | None = None
        if store is not None:
            text = store.load()
            if text is not None:
                self._load_text(text, store.location)
        elif self.path is not None and self.path.exists():
            self._load(self.path)

    @property
    def persistent(self) -> bool:
        """Whether the key is saved anywhere (a file, or the server's database)."""
        return self.path is not None or self.store is not None

    def _load(self, path: Path) -> None:
        try:
            text = read_file(path, MAX_TABLE_BYTES).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(path, _("is not a valid pseudonym key (not UTF-8 JSON)")) from None
        self._load_text(text, path)

    def _load_text(self, text: str, path) -> None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            # exc.msg is the JSON parser's English; the line number says where.
            raise InputError(path, _("is not a valid pseudonym key (not valid JSON)"), line=exc.lineno) from exc
        if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
            raise InputError(path, _('is not a qualcode pseudonym key (missing "format": "{format}")').format(format=KEY_FORMAT))
        entities = data.get("entities", [])
        if not isinstance(entities, list):
            raise InputError(path, _("is not a valid pseudonym key ('entities' must be a list)"))
        for i, item in enumerate(entities, 1):
            entry = _entry(path, i, item)
            if entry.kind not in SERIES:
                raise InputError(path, _("entity {key!r} has unknown kind {kind!r}").format(key=entry.key, kind=entry.kind))
            self.entries[entry.key] = entry
            self._numbers[entry.kind] = max(self._numbers.get(entry.kind, 0), entry.number)

    def get(self, key: str) -> KeyEntry | None:
        return self.entries.get(key)

    def entry(self, key: str, name: str, *, gender: str | None = None, role: str | None = None) -> KeyEntry:
        """The entry for ``key``, created with the next number of its series when new."""
        found = self.entries.get(key)
        if found is None:
            kind = key.split(":", 1)[0]
            if kind not in SERIES:
                raise ValueError(f"entity key {key!r} has no pseudonym series")
            number = self._numbers.get(kind, 0) + 1
            found = KeyEntry(key, kind, number, name, [], None, gender, role)
            self.entries[key] = found
            self._numbers[kind] = number
        else:
            found.gender = found.gender or gender
            found.role = found.role or role
        return found

    def add_alias(self, key: str, surface: str) -> None:
        entry = self.entries[key]
        if surface != entry.name and surface not in entry.aliases:
            entry.aliases.append(surface)

    def save(self, path: str | Path | None = None) -> Path | None:
        if path is None and self.store is not None:
            self.store.save(self._text())
            self._saved = (None, self._state(), self.store.digest())
            return None
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no key path: pass key_path to the Anonymiser or a path to save_key()")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(target, self._text())
        self._saved = (target, self._state(), _stat(target))
        return target

    def _text(self) -> str:
        data = {
            "format": KEY_FORMAT,
            "version": KEY_VERSION,
            "note": _("Pseudonym key: re-identifies people. Keep it apart from exported data."),
            "entities": [asdict(e) for e in sorted(self.entries.values(), key=lambda e: (e.kind, e.number))],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def save_if_changed(self) -> Path | None:
        """:meth:`save`, skipped when neither the entries nor the file changed since the last save.

        The anonymiser saves after every document; serialising a large key
        each time cost more than anonymising. The file is rewritten whenever
        it differs from what was last written (deleted, edited), so the
        result on disk is always what :meth:`save` would leave.
        """
        if self.store is not None:
            if self._saved is not None and self._saved[1] == self._state() and self._saved[2] == self.store.digest():
                return None
            return self.save()
        target = self.path
        if target is not None and self._saved is not None:
            saved_target, state, stat = self._saved
            if saved_target == target and stat is not None and stat == _stat(target) and state == self._state():
                return target
        return self.save()

    def _state(self) -> tuple:
        # Operators change entries in place (a surrogate, a gender), so compare every field.
        return tuple(
            (e.key, e.kind, e.number, e.name, tuple(e.aliases), e.surrogate, e.gender, e.role)
            for e in self.entries.values()
        )


def _entry(path: Path, i: int, item) -> KeyEntry:
    """Entity ``i`` of a key file, checked: an edited key must not fail later, mid-anonymisation."""
    try:
        entry = KeyEntry(**item) if isinstance(item, dict) else None
    except TypeError:
        entry = None
    if entry is None or not isinstance(entry.key, str) or not isinstance(entry.name, str) or not isinstance(entry.number, int) \
            or not isinstance(entry.aliases, list):
        fields = ", ".join(f.name for f in dataclasses.fields(KeyEntry))
        raise InputError(path, _("entity {i} is not a pseudonym entry (fields: {fields})").format(i=i, fields=fields))
    return entry


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def write_private(path: str | Path, text: str) -> Path:
    """Write a file only its owner may read (0600): a key, or a report of the original names.

    Written to a temporary file beside it and renamed, so a crash never leaves half a file.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)  # also when the file existed with a wider mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def default_key_path(project_path: str | Path) -> Path:
    """``studie.qcp`` -> ``studie.pseudonyms.json`` beside it."""
    project_path = Path(project_path)
    return project_path.with_name(project_path.stem + ".pseudonyms.json")


def ensure_outside(key_path: str | Path, export_dir: str | Path) -> None:
    """Refuse a key path inside an export folder: the key would travel with the anonymised files."""
    key = Path(key_path).resolve()
    export = Path(export_dir).resolve()
    if key == export or export in key.parents:
        raise InputError(key_path, _("the pseudonym key must not be inside the export folder {folder}").format(folder=export_dir))
