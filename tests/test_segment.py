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


# -- the array path (import) against the reference component ------------------

def _spoken(transcript):
    return [t for t in transcript.turns if t.end > t.start]


def test_array_segmentation_equals_the_sentencizer_component_on_every_sample():
    from qualcode.demo import sample_dir, sample_files
    from qualcode.nlp import get_nlp
    from qualcode.readers import read_transcript
    from qualcode.segment import _rows_from_arrays, _rows_from_pipeline
    from qualcode.token_arrays import document_turn_sentences

    files = list(sample_files(sample_dir()))
    assert len(files) >= 9
    for path in files:
        t = read_transcript(path)
        # Every sample format takes the one-Doc-per-interview path.
        assert document_turn_sentences(t.text, _spoken(t), get_nlp().tokenizer) is not None, path.name
        fast = _rows_from_arrays(t.text, _spoken(t))
        per_turn = _rows_from_arrays(t.text, _spoken(t), whole_document=False)
        reference = list(_rows_from_pipeline(t.text, _spoken(t), get_nlp()))
        assert fast == per_turn == reference, path.name
        assert sum(r.unit == "sentence" for r in fast) > 20


# Tokens the rules treat specially, mixed with ordinary words (some capitalised).
_TRICKY = [".", "!", "?", "?!", "...", "…", "osv.", "Osv.", "pct.", "fx", "bl.a.", "ca", "nr", ")", "]", "”", "»",
           "\n", "\n\n", "Men", "Det", "og", "borgerne", "Hedelund", "3", ",", "(griner)", "[pause]", "Æblet", "øh"]


def test_array_sentence_bounds_equal_the_reference_on_random_turns():
    import random

    from qualcode.nlp import get_nlp, sentence_bounds
    from qualcode.token_arrays import turn_sentences

    rng = random.Random(7)
    tokenizer = get_nlp().tokenizer
    for _ in range(300):
        turns = [" ".join(rng.choice(_TRICKY) for _ in range(rng.randint(1, 40))) for _ in range(rng.randint(1, 6))]
        docs = list(tokenizer.pipe(turns))
        for doc, info in zip(docs, turn_sentences(docs)):
            expected = sentence_bounds([t.text for t in doc])
            assert [(a, b) for a, b, _, _ in info.bounds] == expected, doc.text
            for a, b, start, end in info.bounds:
                assert doc.text[start:end] == doc[a:b].text


def test_segment_rows_keep_lemmas_per_sentence_and_turn():
    from qualcode.segment import segment_rows

    text = "IP: Kommunerne gik i stå. Samarbejdet?\n(griner) Ja."
    rows = segment_rows(text, [Turn(0, "IP", 4, len(text), role="leder")])
    assert [(r.unit, r.text, r.lemmas) for r in rows] == [
        ("turn", text[4:], "kommune gå i stå samarbejde grine ja"),
        ("sentence", "Kommunerne gik i stå.", "kommune gå i stå"),
        ("sentence", "Samarbejdet?", "samarbejde"),
        ("sentence", "(griner) Ja.", "grine ja"),
    ]


def test_whole_document_tokenising_equals_turn_by_turn_whatever_surrounds_the_turns():
    import random

    from qualcode.nlp import get_nlp
    from qualcode.segment import _rows_from_arrays, _rows_from_pipeline
    from qualcode.token_arrays import document_turn_sentences

    rng = random.Random(11)
    # What may stand between turns: labels with and without whitespace around the spoken text.
    separators = ["\nIP: ", "\n\nI: ", " ", "\n[Anne]", "[Bo] ", ":", "\n", "  ", "\t"]
    used_whole = used_fallback = 0
    for _ in range(200):
        text, turns = "", []
        for i in range(rng.randint(1, 6)):
            text += rng.choice(separators)
            spoken = " ".join(rng.choice(_TRICKY) for _ in range(rng.randint(1, 25)))
            if rng.random() < 0.2:
                spoken = rng.choice([" ", "\n", "(griner)"]) + spoken + rng.choice([" ", "\n", "."])
            turns.append(Turn(i, "IP" if i % 2 else "I", len(text), len(text) + len(spoken), is_interviewer=not i % 2))
            text += spoken
        text += rng.choice(["", "\n", "."])
        spoken = [t for t in turns if t.end > t.start]
        whole = document_turn_sentences(text, spoken, get_nlp().tokenizer) is not None
        used_whole += whole
        used_fallback += not whole
        assert _rows_from_arrays(text, spoken) == list(_rows_from_pipeline(text, spoken, get_nlp())), repr(text)
    assert used_whole > 20 and used_fallback > 20  # both paths were exercised


# -- long documents and turns are segmented in pieces, with the same result ----------------

def test_long_turns_cut_into_pieces_give_the_rows_of_the_whole_turn(monkeypatch):
    import random

    from qualcode import segment
    from qualcode.nlp import get_nlp

    rng = random.Random(5)
    words = _TRICKY + ["Hun", "sagde", "nej", "Ja", "Vi", "ved", "det", "ikke", "Fjordby"]
    for _ in range(60):
        # One long turn (no labels found: the whole file is one speaker) and a few ordinary ones.
        long_turn = " ".join(rng.choice(words) for _ in range(rng.randint(200, 600)))
        text = "I: Hvad skete der?\nIP: " + long_turn + "\nI: Tak.\nIP: Selv tak."
        turns = [Turn(0, "I", 3, 18, is_interviewer=True)]
        start = text.index(long_turn)
        turns.append(Turn(1, "IP", start, start + len(long_turn)))
        turns.append(Turn(2, "I", text.index("Tak."), text.index("Tak.") + 4, is_interviewer=True))
        turns.append(Turn(3, "IP", text.index("Selv tak."), len(text)))
        whole = segment.segment_rows(text, turns)
        monkeypatch.setattr(segment, "CHUNK_CHARS", rng.choice([40, 90, 200]))
        cut = list(segment.iter_segment_rows(text, turns))
        reference = list(segment._rows_from_pipeline(text, turns, get_nlp()))
        monkeypatch.undo()
        assert cut == whole == reference, repr(text)
    # The pieces really were cut (at line breaks and at sentence ends before a capital).
    monkeypatch.setattr(segment, "CHUNK_CHARS", 40)
    line = "Vi prøvede. Det gik ikke. Så kom Hanne ind.\nHun sagde nej. " * 5
    pieces = segment._pieces(line, Turn(0, "IP", 0, len(line)), get_nlp().tokenizer)
    assert len(pieces) > 3 and "".join(line[p.start:p.end] for p in pieces) == line


def test_a_long_unlabelled_transcript_is_segmented_in_pieces_with_the_same_rows(monkeypatch):
    from qualcode import segment
    from qualcode.demo import sample_dir
    from qualcode.nlp import get_nlp
    from qualcode.readers import read_transcript

    text = read_transcript(sample_dir() / "01_direktoer_fjordby.txt").text
    plain = "\n".join(line.split(": ", 1)[-1] for line in text.splitlines()) * 3
    one_line = plain.replace("\n", " ")
    for body in (plain, one_line):  # cut at line breaks; cut at sentence ends
        turns = [Turn(0, "Ukendt", 0, len(body))]
        whole = segment.segment_rows(body, turns)
        monkeypatch.setattr(segment, "CHUNK_CHARS", 5_000)
        pieces = segment._pieces(body, turns[0], get_nlp().tokenizer)
        assert len(pieces) > len(body) // 5_000 and max(p.end - p.start for p in pieces) <= 5_000
        assert list(segment.iter_segment_rows(body, turns)) == whole
        monkeypatch.undo()
        assert sum(r.unit == "sentence" for r in whole) > 300
