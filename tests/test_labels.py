"""The one speaker-label definition (qualcode/readers/labels.py) and the belief every reader shares."""

from __future__ import annotations

import pytest

from qualcode.readers.labels import believe, display_name_shape, is_code, label_shape, name_part, split_suffix
from qualcode.readers.layout import parse_head


@pytest.mark.parametrize(
    "raw, label",
    [
        ("I", "I"),  # the interviewer code
        ("IP3", "IP3"),  # a bureau's participant code
        ("IP 3", "IP 3"),  # ... written with a space
        ("DC02", "DC02"),  # a research project's participant code (Otter export in ../shared)
        ("Interviewer", "Interviewer"),
        ("Deltager 2", "Deltager 2"),  # a number after a word
        ("Mette", "Mette"),
        ("Birgitte Holm Sørensen", "Birgitte Holm Sørensen"),  # three names
        ("Åse Lykke", "Åse Lykke"),  # Danish capital first
        ("Élodie Brandt", "Élodie Brandt"),  # capitals outside A-Z/ÆØÅ
        ("Łukasz Nowak", "Łukasz Nowak"),
        ("Özlem Çelik", "Özlem Çelik"),
        ("Ümit Yılmaz", "Ümit Yılmaz"),
        ("OSARODION OHENZUWA", "OSARODION OHENZUWA"),  # Zoom display name in capitals
        ("Ashlee Kupor (SL)", "Ashlee Kupor (SL)"),  # Zoom suffix in parentheses
        ("Maria (hun/hende)", "Maria (hun/hende)"),  # pronouns as a suffix
        ("Jens (Jobcenter)", "Jens (Jobcenter)"),  # a workplace as a suffix
        ("Mette Hansen - Jobcenter", "Mette Hansen - Jobcenter"),  # ... after a dash
        ("Hansen, Mette", "Hansen, Mette"),  # a directory's display name, surname first
        ("Saurabh Swaroop’s iPad", "Saurabh Swaroop’s iPad"),  # a device name (Zoom)
        ("Øjvinds iPad", "Øjvinds iPad"),
        ("محمد علي", "محمد علي"),  # a script without case (Arabic)
        ("李明 (tolk)", "李明 (tolk)"),  # Chinese, with a role as suffix
        ("Mette Holm 🌻", "Mette Holm 🌻"),  # an emoji after a display name
        ("Ida 🇩🇰", "Ida 🇩🇰"),  # a flag
        ("Maria Holm (hun/hende) (SL)", "Maria Holm (hun/hende) (SL)"),  # suffixes stack
        ("Ole (han/ham) - Jobcenter", "Ole (han/ham) - Jobcenter"),
        ("Maria (hun/hende) 🌻", "Maria (hun/hende) 🌻"),  # an emoji after the suffix
        ("iPhone 12", "iPhone 12"),  # a phone's name alone (Zoom): a capital second, no Danish word
        ("iPad (Jobcenter)", "iPad (Jobcenter)"),
        ("Anna van der Berg", "Anna van der Berg"),  # lower-case particles
        ("Mohammed al-Hassan", "Mohammed al-Hassan"),
        ("Dr. Hansen", "Dr. Hansen"),  # an initial-like abbreviation
        ("  Mette   Hansen  ", "Mette Hansen"),  # spacing is not part of the label
        ("Ukendt", "Ukendt"),  # the bureau's word for an unknown speaker is a label shape
    ],
)
def test_labels_that_have_the_shape_of_a_speaker(raw, label):
    assert label_shape(raw) == label


@pytest.mark.parametrize(
    "raw",
    [
        "Det vil sige",  # a sentence start: lower-case words
        "Med andre ord",
        "Til gengæld",
        "Det sagde Mette",
        "2",  # a number alone
        "12:30",  # a time
        "jeg",  # lower case
        "mette",
        "Hvad laver du til daglig og hvordan",  # too many words
        "Ja, men",  # a comma and a lower-case word
        "Hansen, Mette, Ole",  # a list
        "Mette.",  # a sentence, not an initial... only short abbreviations end in '.'
        "",
        "A" * 61,  # too long
        "🌻 Mette",  # an emoji is no name: a name comes first
        "🌻",
    ],
)
def test_strings_without_the_shape_of_a_speaker(raw):
    assert label_shape(raw) is None


@pytest.mark.parametrize(
    "label, name, suffix",
    [
        ("Maria (hun/hende)", "Maria", "hun/hende"),
        ("Ashlee Kupor (SL)", "Ashlee Kupor", "SL"),
        ("Jens Østergaard (Jobcenter)", "Jens Østergaard", "Jobcenter"),
        ("Mette Hansen - Jobcenter", "Mette Hansen", "Jobcenter"),
        ("Mette", "Mette", ""),
        ("Maria Holm (hun/hende) (SL)", "Maria Holm", "hun/hende SL"),
        ("Ole (han/ham) - Jobcenter", "Ole", "han/ham Jobcenter"),
        ("Maria (hun/hende) 🌻", "Maria", "hun/hende"),
    ],
)
def test_a_suffix_in_parentheses_is_not_part_of_the_name(label, name, suffix):
    assert split_suffix(label) == (name, suffix)
    assert name_part(label) == name


def test_an_emoji_after_a_display_name_is_no_part_of_the_name():
    assert name_part("Mette Holm 🌻") == "Mette Holm" and name_part("Ida 🇩🇰 (SL)") == "Ida"


def test_a_surname_first_display_name_names_the_person_first_name_first():
    assert name_part("Hansen, Mette (MEHA)") == "Mette Hansen"


@pytest.mark.parametrize(
    "label, code",
    [
        ("I", True), ("IP", True), ("IP3", True), ("R12", True), ("DC02", True), ("Deltager 2", True),
        ("Speaker 1", True), ("Interviewer", True), ("Ukendt", True),
        ("Mette", False),  # a name must recur (or be known) to be believed
        ("NEJ", False),  # three capitals are a word, not a code
        ("Anne", False),
    ],
)
def test_codes_need_no_recurrence(label, code):
    assert is_code(label) is code


@pytest.mark.parametrize(
    "line",
    [
        "Nej: det tror jeg ikke, at vi gør.",  # real Danish sentences that start with a word and a colon
        "Altså: det var svært.",
        "Det vil sige: vi mødes hver uge.",
        "Jamen: så ringer jeg.",
        "Fordi: budgettet er skåret.",
        "Eksempel: en borger med tre sager.",
        "Spørgsmålet er: hvem ejer sagen?",
        "Okay: så gør vi det.",
        "OK: så gør vi det.",
        "EU: det er jo dem, der bestemmer.",
    ],
)
def test_danish_sentences_with_a_colon_are_never_speakers_even_when_they_recur(line):
    head = parse_head(line)
    counts = {head[0]: 5} if head else {}
    belief = believe(counts, density=0.9)
    assert not belief.accepted


@pytest.mark.parametrize(
    "line, label, style, time",
    [
        ("I: Hvordan går det?", "I", "colon", None),
        ("IP3: Godt.", "IP3", "colon", None),
        ("[Mette] Ja.", "Mette", "bracket", None),
        ("[Mette 00:01:12] Ja.", "Mette", "bracket", 72.0),  # a bracket label with its time
        ("[00:12:31] I: Og så?", "I", "colon", 751.0),  # a bureau's time mark first
        ("00:00:05 Mette: Hej.", "Mette", "colon", 5.0),
        ("Mette (00:12): Hej.", "Mette", "colon", 12.0),
        ("Maria (hun/hende): Velkommen.", "Maria (hun/hende)", "colon", None),
        ("Mette Hansen  00:13", "Mette Hansen", "timed", 13.0),  # Otter.ai heading
        ("Mette Hansen  1:02:13", "Mette Hansen", "timed", 3733.0),
        ("Kasper Lund   0:03", "Kasper Lund", "timed", 3.0),  # Teams Word heading
        ("00:00:03 Taler 1", "Taler 1", "timed", 3.0),  # Word's own transcription
        ("[Dominik Böhler] 10:15:03", "Dominik Böhler", "bracket", 36903.0),  # Zoom's text file
        ("I:", "I", "colon", None),  # a label alone on its line
        ("I\tHvordan går det?", "I", "tab", None),  # a bureau's hanging indent, no colon
        ("IP3\t\tGodt.", "IP3", "tab", None),
        ("[mette] 10:15:03", "mette", "bracket", 36903.0),  # Zoom's text file: the name as typed
        ("Søren Ølgaard  00:00:03.456 --> 00:00:07.000", "Søren Ølgaard", "timed", 3.456),  # Teams Word, cue times
        ("Mette Holm [00:00:03]", "Mette Holm", "timed", 3.0),  # a heading with the time in brackets
        ("Interviewer (00:12)", "Interviewer", "timed", 12.0),
        ("Mette Holm - 00:13", "Mette Holm", "timed", 13.0),  # a dash or bar between name and time
        ("Mette Holm | 1:02:13", "Mette Holm", "timed", 3733.0),
    ],
)
def test_where_a_label_stands_on_a_line(line, label, style, time):
    parsed = parse_head(line)
    assert parsed is not None
    assert parsed[:3] == (label, style, time)


@pytest.mark.parametrize(
    "line",
    [
        "Vi mødes kl. 12:30 hver dag.",  # a clock time in speech
        "Kl. 12:30: mødet begynder.",  # the colon belongs to the time
        "Velkommen til",  # a short line alone, without a time
        "det er svært: meget svært",
    ],
)
def test_lines_that_open_no_turn(line):
    assert parse_head(line) is None


def test_belief_by_recurrence_density_and_knowledge():
    counts = {"Mette": 12, "Ole": 11, "Karen": 1, "Nej": 2, "Konklusion": 2}
    belief = believe(counts, known=["Ole"], density=0.8, lowercase_count=lambda w: {"konklusion": 3}.get(w, 0))
    assert belief.accepted == {"Mette", "Ole", "Karen"}
    assert belief.unsure == ("Karen",)  # believed on one line because the file is densely labelled
    assert belief.rejected == (("Nej", 2), ("Konklusion", 2))  # a sentence word, an ordinary word
    assert belief.recurring == ("Mette",)  # believed only because it recurs: a guess the summary names


def test_a_label_seen_once_in_a_sparse_file_is_not_believed():
    belief = believe({"Karen": 1}, density=0.1)
    assert not belief.accepted and belief.rejected == (("Karen", 1),)


def test_a_label_the_metadata_knows_is_believed_once():
    assert believe({"Karen": 1}, known=["karen"], density=0.0).accepted == {"Karen"}


@pytest.mark.parametrize(
    "raw, label",
    [
        ("mette", "mette"),  # a Zoom display name typed in lower case
        ("jens p", "jens p"),
        ("jens p (jobcenter)", "jens p (jobcenter)"),
        ("anna.holm", "anna.holm"),  # a login name
        ("Mette Hansen", "Mette Hansen"),  # every label is a display name too
        ("+45 20 30 40 50", "+45 20 30 40 50"),  # a participant who phoned in
        ("+45 20 30 ** **", "+45 20 30 ** **"),  # ... with the number partly hidden
        ("2024", None),  # a year before a colon is no phone
        ("altså", None),  # sentence words stay sentence words in lower case
        ("det vil sige", None),
        ("og det", None),
        ("men altså", None),
        ("hvad laver du til daglig", None),  # too many words for a typed name
        ("12:30", None),
        ("2", None),
    ],
)
def test_display_names_in_a_cue_may_be_lower_case_but_not_sentence_words(raw, label):
    assert display_name_shape(raw) == label


@pytest.mark.parametrize(
    "line",
    [
        "mette: Hej.",  # outside a cue a lower-case word before a colon is no label
        "jeg\tved ikke",  # a tab after a lower-case word
    ],
)
def test_lower_case_heads_only_where_a_tool_prints_display_names(line):
    assert parse_head(line) is None


def test_a_lower_case_display_name_must_recur():
    assert believe({"mette": 1}, density=0.9).accepted == frozenset()
    belief = believe({"mette": 3, "jens p": 2}, density=0.9)
    assert belief.accepted == {"mette", "jens p"} and belief.recurring == ("mette", "jens p")
