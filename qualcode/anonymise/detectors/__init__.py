"""Detectors: each finds one family of identifiers and returns typed spans.

One module per family: numbers (CPR, phone), contact (e-mail, URL), address,
known (register, metadata, earlier documents), people (gazetteer, cues),
places (gazetteers, patterns), ner (an installed spaCy pipeline), review.
"""

from __future__ import annotations

from qualcode.anonymise.detectors.address import AddressDetector
from qualcode.anonymise.detectors.base import DetectionContext, Detector, KnownEntity
from qualcode.anonymise.detectors.contact import EmailDetector, UrlDetector
from qualcode.anonymise.detectors.known import KnownNamesDetector
from qualcode.anonymise.detectors.ner import SpacyNerDetector, installed_model
from qualcode.anonymise.detectors.numbers import CprDetector, PhoneDetector
from qualcode.anonymise.detectors.people import CuePersonDetector, GazetteerPersonDetector
from qualcode.anonymise.detectors.places import GazetteerPlaceDetector, PatternPlaceDetector
from qualcode.anonymise.detectors.review import ReviewDetector


def default_detectors(use_ner: bool | None = None) -> list[Detector]:
    """Every rule detector, plus spaCy NER when ``use_ner`` (default: when a model is installed)."""
    detectors: list[Detector] = [
        CprDetector(), PhoneDetector(), EmailDetector(), UrlDetector(), AddressDetector(),
        KnownNamesDetector(), GazetteerPersonDetector(), CuePersonDetector(),
        GazetteerPlaceDetector(), PatternPlaceDetector(),
    ]
    if use_ner or (use_ner is None and installed_model() is not None):
        detectors.append(SpacyNerDetector())
    return detectors


__all__ = [
    "AddressDetector", "CprDetector", "CuePersonDetector", "DetectionContext", "Detector", "EmailDetector",
    "GazetteerPersonDetector", "GazetteerPlaceDetector", "KnownEntity", "KnownNamesDetector",
    "PatternPlaceDetector", "PhoneDetector", "ReviewDetector", "SpacyNerDetector", "UrlDetector",
    "default_detectors", "installed_model",
]
