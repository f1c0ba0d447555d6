"""CPR numbers and telephone numbers.

CPR: DDMMYY-SSSS or ten digits. python-stdnum checks the birth date and the
century digit; the modulus-11 check is deliberately not applied, because CPR
numbers issued since 2007 need not satisfy it. A dashed number next to a CPR
cue ("cpr", "personnummer") is masked even when its date is impossible: a
typo in a real CPR is still a CPR.

Phones: Danish numbers are 8 digits, written 8, 2-2-2-2, 4-4 or 3-2-3, with
an optional +45/0045. phonenumbers validates the number range; context rules
keep amounts ("12 50 00 00 kr."), year pairs ("2019 2020") and case numbers
("sag 2023-1234") out.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.spans import PiiSpan

_CPR = re.compile(r"(?<![\d.,/-])(\d{6})(-|\s?)(\d{4})(?![\d]|[.,/-]\d)")
_CPR_CUE = re.compile(r"(cpr|personnummer|personnr|cpr-nr|cpr-nummer)", re.I)
_NOT_CPR_CUE = re.compile(
    r"(sag|sags-?nr|sagsnummer|journal|j\.\s?nr|jnr|faktura|ordre|konto|reg\.?\s?nr|bilag|ref)\w*[.:]?\s*(nr\.?|nummer)?\s*$",
    re.I,
)

# Maximal runs of digit groups, with an optional country code in front.
_DIGIT_RUN = re.compile(r"(?<![\w.,/-])(?:(?:\+|00)\s?45[\s.-]?|\(\+?45\)\s?)?\d+(?:[ .-]\d+)*(?![\w]|[.,/-]\d)")
_COUNTRY = re.compile(r"^(?:(?:\+|00)\s?45[\s.-]?|\(\+?45\)\s?)")
_PHONE_GROUPS = {(8,), (2, 2, 2, 2), (4, 4), (3, 2, 3), (4, 2, 2), (2, 3, 3)}
_PHONE_CUE = re.compile(
    r"\b(tlf|telefon\w*|mobil\w*|nummer|nummeret|nr|ring\w*|sms\w*|kontakt\w*)\b\.?(?:\s+[\wæøå.]{1,6}){0,3}[\s:.]*$", re.I
)
_AMOUNT_AFTER = re.compile(r"^\s*(kr\b|kroner|mio|mia|millioner|%|procent|timer|dage|borgere|personer|stk)", re.I)
_AMOUNT_BEFORE = re.compile(r"(kr\.?|dkk|ca\.?|cirka|årene|år|fra|mellem|sag|sags-?nr\.?|sagsnummer|journalnr\.?|j\.\s?nr\.?)\s*$", re.I)


class CprDetector:
    name = "cpr"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text = context.text
        found = []
        for m in _CPR.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            cue = bool(_CPR_CUE.search(before))
            if m.group(2) == " " and not cue:
                continue  # "120385 1234" without a cue is more likely two numbers
            if not cue and _NOT_CPR_CUE.search(before):
                continue
            if _valid_cpr(m.group(1) + m.group(3)):
                found.append(span(context, m.start(), m.end(), "CPR", 0.99, self.name))
            elif cue and m.group(2) == "-" and _plausible_date(m.group(1)):
                found.append(span(context, m.start(), m.end(), "CPR", 0.9, self.name))
        return found


def _valid_cpr(digits: str) -> bool:
    try:
        stdnum_cpr.get_birth_date(digits)
        stdnum_cpr.validate(digits)
    except ValidationError:
        return False
    return True


def _plausible_date(ddmmyy: str) -> bool:
    return 1 <= int(ddmmyy[:2]) <= 31 and 1 <= int(ddmmyy[2:4]) <= 12


class PhoneDetector:
    name = "phone"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text = context.text
        found = []
        for m in _DIGIT_RUN.finditer(text):
            raw = m.group()
            country = _COUNTRY.match(raw)
            number = raw[country.end() :] if country else raw
            groups = tuple(len(g) for g in re.split(r"[ .-]", number))
            if groups not in _PHONE_GROUPS:
                continue
            digits = re.sub(r"\D", "", number)
            before = text[max(0, m.start() - 25) : m.start()]
            after = text[m.end() : m.end() + 12]
            cue = bool(_PHONE_CUE.search(before)) or bool(country)
            if not cue and (_AMOUNT_AFTER.match(after) or _AMOUNT_BEFORE.search(before) or _year_pair(number)):
                continue
            if "." in number and not cue:
                continue  # "12.34.56.78" is more often a date or an amount than a phone
            valid = phonenumbers.is_valid_number(phonenumbers.parse("+45" + digits))
            # Fictional numbers ("12 34 56 78") fail the range check but are
            # written, and must be masked, like real ones: the 2-2-2-2
            # grouping or a cue ("tlf.", "ring på") is evidence enough.
            if not valid and not cue and not (groups == (2, 2, 2, 2) and " " in number):
                continue
            score = 0.97 if cue else 0.9 if valid else 0.85
            found.append(span(context, m.start(), m.end(), "PHONE", score, self.name))
        found.extend(self._international(context, found))
        return found

    def _international(self, context: DetectionContext, danish: list[PiiSpan]) -> list[PiiSpan]:
        """Foreign numbers written with their country code ("+46 70 123 45 67")."""
        result = []
        for match in phonenumbers.PhoneNumberMatcher(context.text, "DK", leniency=phonenumbers.Leniency.VALID):
            if not match.raw_string.startswith(("+", "00")) or match.number.country_code == 45:
                continue
            if any(s.start < match.end and match.start < s.end for s in danish):
                continue
            result.append(span(context, match.start, match.end, "PHONE", 0.95, self.name))
        return result


def _year_pair(number: str) -> bool:
    """"2019 2020", "1990-2000": two years, not a phone number."""
    parts = re.split(r"[ .-]", number)
    return len(parts) == 2 and all(len(p) == 4 and p[:2] in ("19", "20") for p in parts)
