"""The project's anonymisation cache: what a document looked like anonymised, reusable while valid.

A cached document is exactly what a fresh run produced, so it may be reused
only while nothing the run depended on has changed. The fingerprint covers
the anonymiser's settings (operator, strict, language, NER on or off and
which model, :data:`DETECTION_VERSION`), the register, and every document
with its metadata and speakers (a newly imported interview can teach a name
that must also be masked in the old ones). The pseudonym key file beside
the project is checked by hash against the hash recorded after the cache's
last write: if someone edited the key, every cached text is stale. (A later
run only ever adds entries to the key, and records the new hash with its
rows in one transaction.) SQL lives in :mod:`qualcode.store.anonymised`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from qualcode.anonymise.anonymiser import AnonymisedText, Replacement
from qualcode.anonymise.detectors import installed_model
from qualcode.anonymise.key import default_key_path
from qualcode.anonymise.offsets import OffsetMap
from qualcode.anonymise.register import Register
from qualcode.anonymise.spans import PiiSpan
from qualcode.i18n import resolve_lang
from qualcode.store.anonymised import CachedAnonymisation, CachedOffsets

# Bump whenever detection or replacement may give other output for the same
# input: every cached document of every project becomes stale.
DETECTION_VERSION = 3


def settings_fingerprint(project, operator: str = "tag", register: Register | None = None, strict: bool = False,
                         lang: str | None = None, use_ner: bool | None = None) -> str:
    """The fingerprint of an :meth:`Anonymiser.for_project` run with these settings on this project."""
    ner = use_ner or (use_ner is None and installed_model() is not None)
    settings = {
        "version": DETECTION_VERSION,
        "operator": operator,
        "strict": bool(strict),
        "lang": resolve_lang(lang),
        "ner": installed_model() if ner else None,
        "register": _register_form(register),
        "inputs": project.anonymised.inputs_digest(),
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _register_form(register: Register | None) -> object:
    if register is None:
        return None
    return {
        "entities": [asdict(e) for e in register.entities],
        "keep": sorted(register.keep),
    }


def key_path_of(project) -> Path | None:
    return default_key_path(project.path) if project.path is not None else None


def key_hash(path: Path | None) -> str:
    """SHA-256 of the key file's bytes; fixed strings when there is no file."""
    if path is None:
        return "no-key-path"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "no-key-file"


def to_cached(document_id: int, result: AnonymisedText) -> CachedAnonymisation:
    offsets = result.offsets
    return CachedAnonymisation(
        document_id,
        result.text,
        offsets.original_length,
        json.dumps(offsets.flat, separators=(",", ":")),
        json.dumps([asdict(r) for r in result.replacements], ensure_ascii=False),
        json.dumps([asdict(s) for s in result.review], ensure_ascii=False),
    )


def from_cached(original: str, cached: CachedAnonymisation) -> AnonymisedText:
    """The whole record, as the anonymiser returned it (needs the original text)."""
    return AnonymisedText(
        original,
        cached.text,
        tuple(Replacement(**r) for r in json.loads(cached.replacements_json)),
        tuple(PiiSpan(**s) for s in json.loads(cached.review_json)),
    )


def offsets_from_cached(cached: CachedOffsets) -> OffsetMap:
    """The offset map of a cached document: all a quote needs besides a slice of the anonymised text."""
    return OffsetMap(cached.original_length, tuple(json.loads(cached.offsets_json)))
