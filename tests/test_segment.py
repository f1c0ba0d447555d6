"""Sentence segmentation with Danish rules, offsets and lemmas."""

from __future__ import annotations

import pytest

from qualcode.models import Turn
from qualcode.nlp import lemma_of, lemmatise
from qualcode.segment import segment_document, sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        # abbreviations that never end a sentence
        ("Vi har bl.a. talt med ca. 20 borgere, fx i Hedelund. Det gik godt.",
         ["Vi har bl.a. talt med ca. 20 borgere, fx i Hedelund.", "Det gik godt."]),
        ("Se f.eks. sag nr. 4 ift. loven, jf. paragraffen, dvs. kapitel 3.",
         ["Se f.eks. sag nr. 4 ift. loven, jf. paragraffen, dvs. kapitel 3."]),
        # osv./pct. end a sentence only before a capital letter
        ("Vi har møder, kurser osv. Men det hjælper ikke.", ["Vi har møder, kurser osv.", "Men det hjælper ikke."]),
        ("Det er 5 pct. af borgerne.", ["Det er 5 pct. af borgerne."]),
        ("Det er 5 pct. Resten får ingenting.", ["Det er 5 pct.", "Resten får ingenting."]),
        # trailing dots and the ellipsis character
        ("Så vi prøvede… Det gik ikke.", ["Så vi prøvede…", "Det gik ikke."]),
        ("Så vi prøvede... og så videre.", ["Så vi prøvede... og så videre."]),
        # spoken marks: a bracket after a full stop opens the next sentence
        ("[pause] Ja. (griner) Det er rigtigt.", ["[pause] Ja.", "(griner) Det er rigtigt."]),
        # a paragraph break always ends a sentence
        ("Første del uden punktum\nAnden del", ["Første del uden punktum", "Anden del"]),
    ],
)
def test_danish_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_segment_offsets_slice_back_to_the_text():
    text = "I: Hvad så?\nIP: Øh, altså vi har bl.a. en aftale. Den virker!\n\nMen ikke altid."
    turns = [Turn(0, "I", 3, 11, is_interviewer=True, role="interviewer"), Turn(1, "IP", 16, len(text), role="leder")]
    segments = segment_document(7, text, turns)
    sentences_ = [s for s in segments if s.unit == "sentence"]
    assert [(s.text, s.speaker, s.role, s.turn_index) for s in sentences_] == [
        ("Hvad så?", "I", "interviewer", 0),
        ("Øh, altså vi har bl.a. en aftale.", "IP", "leder", 1),
        ("Den virker!", "IP", "leder", 1),
        ("Men ikke altid.", "IP", "leder", 1),
    ]
    for s in segments:
        assert text[s.start : s.end] == s.text
        assert s.document_id == 7
    assert [s.index for s in sentences_] == [0, 1, 2, 3]
    assert [s.text for s in segments if s.unit == "turn"] == ["Hvad så?", text[16:]]


def test_lemmas_use_the_danish_lookup_with_lowercase_fallback():
    assert lemma_of("Kommunerne") == "kommune"
    assert lemma_of("gik") == "gå"
    assert lemma_of("Fjordbyxyz") == "fjordbyxyz"
    assert lemmatise("Samarbejdet mellem forvaltningerne gik i stå.") == [
        "samarbejde", "mellem", "forvaltning", "gå", "i", "stå"
    ]
