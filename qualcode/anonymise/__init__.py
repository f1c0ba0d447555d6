"""Anonymisation of Danish interview transcripts.

Detectors find typed spans (:class:`PiiSpan`); operators replace them
(tag, role, surrogate, redact); a pseudonym key keeps replacements
consistent across a project::

    from qualcode.anonymise import Anonymiser
    anonymiser = Anonymiser(operator="tag", metadata=[{"speaker": "Mette Kjær", "title": "leder"}])
    result = anonymiser.anonymise("Mette Kjær fra Vordingborg Kommune: ring på 23 45 67 89.")
    result.text  # "[Person 1] fra [Kommune A]: ring på [Telefon]."
"""

from __future__ import annotations

from qualcode.anonymise.anonymiser import AnonymisedText, Anonymiser, Replacement
from qualcode.anonymise.key import PseudonymKey
from qualcode.anonymise.register import Register, RegisterEntity, load_register
from qualcode.anonymise.spans import PII_TYPES, PiiSpan

__all__ = [
    "AnonymisedText", "Anonymiser", "PII_TYPES", "PiiSpan", "PseudonymKey", "Register", "RegisterEntity",
    "Replacement", "load_register",
]
