"""The one definition of a speaker label, used by every reader.

A speaker label is what a transcript puts before the spoken words to say who
speaks: "I", "IP3", "Interviewer", "Mette", "Birgitte Holm Sørensen",
"Łukasz Nowak", "Maria (hun/hende)", "Ashlee Kupor (SL)", "Saurabh's iPad".
This module decides two things and nothing else:

* :func:`label_shape`: could this string be a label at all (its shape)?
* :func:`believe`: which of the label-shaped strings a file offers are
  speakers, given how often each occurs, what the metadata knows, and whether
  the file as a whole follows a labelled convention (its density).

Readers find *where* labels stand (line starts, cues, bold runs, headings);
they never decide what a label is on their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping

# Labels that always mean the interviewer, whatever the metadata says.
INTERVIEWER_LABELS = frozenset(
    {"i", "int", "interviewer", "intervieweren", "interviewere", "interviewer 1", "interviewer 2",
     "moderator", "facilitator", "spørger", "q", "iv", "inter"}
)

# Labels that say the tool or the bureau did not know who spoke; stored as the unknown speaker.
UNKNOWN_LABELS = frozenset(
    {"ukendt", "ukendt taler", "ukendt person", "uidentificeret", "uidentificeret taler",
     "unknown", "unknown speaker", "unidentified speaker", "?"}
)

# Words that start a Danish (or English) sentence before a colon without naming anyone:
# "Nej: det tror jeg ikke", "Altså: …", "Eksempel: …". Compared case-insensitively.
NOT_LABELS = frozenset(
    {
        # discourse markers and answers
        "altså", "nej", "ja", "jo", "jamen", "nåh", "nå", "okay", "ok", "okej", "godt", "fint", "præcis",
        "netop", "nemlig", "klart", "selvfølgelig", "sikkert", "måske", "tja", "hmm", "mm", "øh", "æh",
        "jep", "nix", "yes", "no", "yeah", "well", "so", "right", "mhm", "hm", "aha", "åh", "øhm", "mmm",
        "javel", "jaja", "nånå", "ups", "tak", "hej", "farvel",
        # conjunctions, pronouns, adverbs that begin sentences
        "men", "og", "så", "eller", "for", "fordi", "derfor", "hvis", "når", "da", "som", "at",
        "det", "der", "den", "de", "dem", "jeg", "vi", "du", "han", "hun", "man", "her", "nu",
        "hvad", "hvorfor", "hvordan", "hvem", "hvor", "hvornår", "hvilken", "hvilke",
        "først", "dernæst", "derefter", "endelig", "sidst", "til sidst", "altid", "aldrig", "også",
        "fx", "f.eks", "f.eks.", "eks", "eks.", "dvs", "dvs.", "bl.a", "bl.a.", "mht", "ift", "kl", "kl.",
        "eksempel", "eksempelvis", "eksempler", "citat", "note", "noter", "nb", "ps", "obs", "bemærk",
        "problemet", "spørgsmålet", "pointen", "svaret", "konklusionen", "resultatet", "sagen",
        "spørgsmål", "svar", "konklusion", "resultat", "opsummering", "baggrund", "formål", "tema",
        "emne", "titel", "overskrift", "indhold", "kommentar", "kommentarer", "tid", "tidspunkt",
        "dato", "sted", "varighed", "deltagere", "deltager", "talere", "interview", "interviewet",
        "transskription", "transskriberet", "optagelse", "lydfil", "fil", "side", "kapitel", "bilag",
        "question", "answer", "example",
        # capitalised abbreviations that begin sentences
        "eu", "kl", "dr", "tv", "it", "hr", "pr", "ok", "nb", "ps",
    }
)
# Annotations a transcriber writes in brackets, and the headers tools write above a transcript
# (Otter.ai's "SUMMARY KEYWORDS" and "SPEAKERS"): never a speaker, and not worth reporting.
ANNOTATIONS = frozenset(
    {"pause", "lang pause", "kort pause", "utydeligt", "uhørligt", "griner", "latter", "ler", "overlap",
     "afbrydelse", "afbryder", "hoster", "suk", "sukker", "støj", "inaudible", "crosstalk", "laughs",
     "laughter", "silence", "music", "musik",
     "summary keywords", "keywords", "speakers", "summary", "transcript", "transskription", "talere",
     "deltagere", "noter", "notes"}
)

# Codes transcription bureaus use for participants: IP, IP3, R2, D1, P12, DC02, "Deltager 2", "Speaker 1".
# Letters alone only up to two capitals ("IP", "A"): longer capitals are words ("NEJ", "SKAT").
_CODE = re.compile(
    r"[A-ZÆØÅ]{1,2}|[A-ZÆØÅ]{1,4} ?\d{1,3}"
    r"|(?i:deltager|informant|interviewperson|respondent|person|speaker|taler|participant|interviewee) ?\d{1,3}"
)
# Lower-case particles inside names: "Anna van der Berg", "Ida de Lima", "Mohammed al-Hassan".
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "di", "da", "du", "del", "della", "dos", "das", "la", "le",
     "af", "bin", "ibn", "al", "el", "zu", "ter", "ten", "y", "e"}
)
_INNER = frozenset("'’.-_")
# "Maria (hun/hende)", "Ashlee Kupor (SL)"; "Mette Hansen - Jobcenter", "Mette Hansen | Nordå Kommune".
_SUFFIX = re.compile(r"^(?P<name>.*?)(?:\s*\((?P<paren>[^()]{1,40})\)|\s+[-–|]\s+(?P<dash>[^\s()][^()]{0,39}))$")
# A phone number as Zoom shows a participant who called in: "+45 20 30 40 50", "4520304050", "+45 20 30 ** **".
_PHONE = re.compile(r"\+?\d[\d *\-]{5,18}[\d*]")
MAX_LABEL_CHARS = 60
MAX_NAME_WORDS = 5


def _is_word(word: str) -> bool:
    """A word of a name: a letter first (any script), then letters, digits, combining marks
    (Arabic vowel signs, Devanagari vowel signs), apostrophes, hyphens and dots; or 1-3 digits."""
    if not word:
        return False
    if word.isdigit():
        return len(word) <= 3
    return word[0].isalpha() and all(
        c.isalnum() or c in _INNER or unicodedata.category(c)[0] == "M" for c in word[1:])


def _is_decoration(word: str) -> bool:
    """An emoji or symbol a participant adds to a display name ("Mette Holm 🌻", a flag)."""
    return bool(word) and all(unicodedata.category(c) in ("So", "Sk", "Mn", "Me", "Cf") for c in word) and any(
        unicodedata.category(c) in ("So", "Sk") for c in word)


def _is_name_word(word: str, first: bool) -> bool:
    if not _is_word(word):
        return False
    if word.isdigit():
        return not first  # "Deltager 2", never "2"
    head = word[0]
    if head.isupper():
        return True  # any script's capital: Ø, É, Ł, Ö, Ü, Ç
    if not head.islower():
        return True  # a script without case (Arabic, Chinese, Hebrew): no Danish sentence word
    if word[1:2].isupper():
        return True  # a device or brand name with a capital second ("iPhone 12", "iPad", "eBay"): no Danish word
    if first:
        return False
    base = word.split("-", 1)[0]
    # "al-Hassan", "van", or a word with an inner capital ("McDonald"-like spellings in lower case).
    return base in _PARTICLES or any(c.isupper() for c in word[1:])


def split_suffix(label: str) -> tuple[str, str]:
    """``("Maria", "hun/hende")`` for ``"Maria (hun/hende)"``; ``(label, "")`` without a suffix.

    Suffixes can stack ("Maria Holm (hun/hende) (SL)", "Ole (han/ham) - Jobcenter"), and an
    emoji may follow them ("Maria (hun/hende) 🌻"): all of it is the suffix.
    """
    name, suffixes = _undecorated(label), []
    for _ in range(3):
        m = _SUFFIX.match(name)
        if not (m and m.group("name")):
            break
        suffix = m.group("paren") if m.group("paren") is not None else m.group("dash")
        if m.group("paren") is None and not suffix[:1].isupper():
            break
        name = _undecorated(m.group("name"))
        suffixes.insert(0, suffix.strip())
    if not suffixes:
        return label, ""
    return name, " ".join(suffixes)


def _undecorated(name: str) -> str:
    """``name`` without emoji words after its first word."""
    words = name.split(" ")
    if len(words) < 2 or not any(_is_decoration(w) for w in words[1:]):
        return name
    return " ".join([words[0]] + [w for w in words[1:] if not _is_decoration(w)])


def name_part(label: str) -> str:
    """What names the person: no suffix or emoji, first name first ("Jens (Jobcenter)" -> "Jens",
    "Hansen, Mette" -> "Mette Hansen", as directory display names are written)."""
    name = _undecorated(split_suffix(label)[0])
    if ", " in name:
        last, first = name.split(", ", 1)
        return f"{first} {last}"
    return name


def clean_label(raw: str) -> str:
    """A label as stored: whitespace collapsed, no surrounding spaces or trailing colon."""
    return " ".join(raw.replace("\u00a0", " ").split()).rstrip(":").strip()


@lru_cache(maxsize=4096)  # a file repeats its few labels hundreds of times
def label_shape(raw: str) -> str | None:
    """The cleaned label if ``raw`` has the shape of a speaker label, else ``None``.

    Shape only: "Nej" has the shape of a name; whether a file's "Nej:" is a
    speaker is :func:`believe`'s decision.
    """
    label = clean_label(raw)
    if not label or len(label) > MAX_LABEL_CHARS:
        return None
    if label.casefold() in UNKNOWN_LABELS:
        return label
    name, _suffix = split_suffix(label)
    if name.count(",") > 1 or name.endswith(","):
        return None
    # "Mette Holm 🌻": an emoji decorates a name after it; a name still comes first.
    name = _undecorated(name)
    # "Hansen, Mette": a directory's display name, surname first; both halves must be names.
    halves = name.split(", ") if ", " in name else [name]
    words = name.replace(",", "").split(" ")
    if not 1 <= len(words) <= MAX_NAME_WORDS or "," in name and ", " not in name:
        return None
    if not all(_is_name_word(w, i == 0) for half in halves for i, w in enumerate(half.split(" "))):
        return None
    if name.endswith((".", "-", "'")) and len(words[-1]) > 2 and not (len(words) > 1 and words[-1] == "Dr."):
        return None  # a sentence ("Ja.", "Det sagde Mette.") rather than an initial ("A.")
    return label


@lru_cache(maxsize=4096)
def display_name_shape(raw: str) -> str | None:
    """The cleaned label if ``raw`` is a label, or a display name typed in lower case.

    Zoom and Teams print the name a participant typed ("mette", "jens p",
    "anna.holm (jobcenter)") before the words of every cue; in that place,
    and only there, a name needs no capital. It must still have a name's shape
    once capitalised, and may not begin with a sentence word ("og det: …").
    :func:`believe` takes such a label only when it recurs.
    """
    label = label_shape(raw)
    if label is not None:
        return label
    label = clean_label(raw)
    if _PHONE.fullmatch(label):
        return label  # a participant who phoned in: Zoom shows the number
    if not label or not label[0].isalpha() or not label[0].islower():
        return None
    name = split_suffix(label)[0]
    words = name.split(" ")
    if len(words) > 3 or words[0].casefold() in NOT_LABELS or name.casefold() in NOT_LABELS:
        return None
    capitalised = " ".join(w[:1].upper() + w[1:] for w in name.replace(".", " ").split())
    return label if capitalised and label_shape(capitalised) is not None else None


def is_display_only(label: str) -> bool:
    """True for a label that is only a display name (lower case): it must recur to be believed."""
    return label_shape(label) is None


def is_code(label: str) -> bool:
    """A bureau's participant code or a generic role label (needs no recurrence to be believed)."""
    key = label.casefold()
    return key in INTERVIEWER_LABELS or key in UNKNOWN_LABELS or bool(_CODE.fullmatch(label))


def is_unknown(label: str) -> bool:
    return label.casefold() in UNKNOWN_LABELS


@dataclass(frozen=True)
class Belief:
    """Which candidate labels a file's readers may take as speakers."""

    accepted: frozenset[str]
    unsure: tuple[str, ...] = ()  # accepted on thin evidence (once, in a file that shows the convention)
    rejected: tuple[tuple[str, int], ...] = ()  # label-shaped line starts not taken, with their counts
    recurring: tuple[str, ...] = ()  # accepted only because they recur (no metadata, code or tool form)

    def __contains__(self, label: str) -> bool:
        return label in self.accepted


def believe(
    counts: Mapping[str, int],
    *,
    known: Iterable[str] = (),
    density: float = 0.0,
    lowercase_count: Callable[[str], int] = lambda word: 0,
    strong: Iterable[str] = (),
    weak: Iterable[str] = (),
) -> Belief:
    """Decide which labels are speakers.

    ``counts``: how often each label-shaped string stands where a label would.
    ``known``: labels the metadata or the file's own header names (always believed).
    ``strong``: labels a tool wrote in a label's place by construction (a
    formatting run, a heading with a time): believed unless they are
    sentence words. ``density``: the share of the file's units that start with
    a label believed by recurrence; above :data:`DENSE` the file follows a
    labelled convention and a label seen once is believed, but reported as unsure.
    ``lowercase_count(word)``: how often ``word`` occurs in lower case in the
    running text; a one-word label that occurs as often in lower case is an
    ordinary word ("Konklusion:" beside "konklusion"), not a name. ``weak``:
    labels only ever seen alone on a line without a colon or a time (a bold
    line may be a section heading): believed only if they recur.
    """
    known_keys = {k.casefold() for k in known if k}
    strong_set = set(strong)
    weak_set = set(weak)
    accepted: set[str] = set()
    unsure: list[str] = []
    recurring: list[str] = []
    rejected: list[tuple[str, int]] = []
    for label, count in counts.items():
        key = label.casefold()
        if key in known_keys or is_code(label) and key not in NOT_LABELS:
            accepted.add(label)
            continue
        if key in ANNOTATIONS or label in weak_set and count < 2:
            continue  # a short line alone seen once is a title or a word: not worth reporting
        if key in NOT_LABELS or name_part(label).casefold() in NOT_LABELS:
            rejected.append((label, count))
            continue
        if is_display_only(label):
            # A name typed in lower case, where a tool prints display names: only if it recurs.
            if count >= 2:
                accepted.add(label)
                recurring.append(label)
            else:
                rejected.append((label, count))
            continue
        one_word = " " not in name_part(label)
        if one_word and lowercase_count(key) >= max(count, 1) and label not in strong_set:
            rejected.append((label, count))
            continue
        if label in strong_set:
            accepted.add(label)
        elif count >= 2:
            accepted.add(label)
            recurring.append(label)
        elif density >= DENSE and label not in weak_set:
            accepted.add(label)
            unsure.append(label)
        else:
            rejected.append((label, count))
    # In the order the file first uses them, as a reader of the summary meets them.
    return Belief(frozenset(accepted), tuple(unsure), tuple(rejected), tuple(recurring))


# Share of a file's units (paragraphs, cues) that start with a recurring label above which the
# file is taken to follow a labelled convention, so a label that occurs once is believed too.
DENSE = 0.3


def recurring_density(counts: Mapping[str, int], units: int, known: Iterable[str] = ()) -> float:
    """The share of ``units`` that start with a label occurring at least twice (or known)."""
    if units <= 0:
        return 0.0
    known_keys = {k.casefold() for k in known if k}
    labelled = sum(
        n for label, n in counts.items()
        if (n >= 2 or label.casefold() in known_keys) and label.casefold() not in NOT_LABELS
        and label.casefold() not in ANNOTATIONS
    )
    return labelled / units
