"""Danish-first user-facing text: gettext catalogues, numbers and lists.

Every string a user reads (reports, CLI messages, library errors and warnings,
help) is written in the code as an English gettext message id and translated
from ``qualcode/locale/<lang>/LC_MESSAGES/qualcode.po`` (compiled to ``.mo``
beside it; ``python tools/i18n.py update|compile|check``). gettext rather than
inline Danish/English pairs because it is the ecosystem's standard: plural
forms come from the catalogue's ``Plural-Forms`` rule rather than ``if n == 1``
in every sentence, translators work in ``.po`` files with the usual tools, a
third language is a new catalogue, not an edit of every call, and Babel
extracts the messages so a check can prove that none is left untranslated.

The language is Danish unless ``QUALCODE_LANG=en``, ``--lang en`` or
:func:`use_language` says otherwise; code, identifiers and logs stay English.
Numbers, percentages and lists are formatted with Babel's CLDR data (decimal
comma and "a, b og c" in Danish).
"""

from __future__ import annotations

import gettext as _gettext
import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

DOMAIN = "qualcode"
LANGUAGES = ("da", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# CLDR locales for numbers and lists; English output follows British usage (en-GB).
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}
# Word-processor proofing languages of generated documents.
PROOFING_LANGUAGES = {"da": "da-DK", "en": "en-GB"}

_current: ContextVar[str | None] = ContextVar("qualcode_lang", default=None)


def resolve_lang(lang: str | None = None) -> str:
    """The language to use: the argument, else :func:`use_language`, else QUALCODE_LANG, else Danish."""
    lang = lang or _current.get() or os.environ.get("QUALCODE_LANG") or "da"
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use 'da' or 'en'")
    return lang


@contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """Make ``lang`` the language of every message created inside the block."""
    token = _current.set(resolve_lang(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@lru_cache(maxsize=None)
def _catalogue(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        # Message ids are the English text.
        return _gettext.NullTranslations()
    # No fallback: a missing Danish catalogue is a packaging bug, not a reason to print English.
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang])


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` (an English message id) in the current language."""
    return _catalogue(resolve_lang(lang)).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural form for ``n``, by the language's plural rule."""
    return _catalogue(resolve_lang(lang)).ngettext(singular, plural, n)


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """``message`` in the current language, disambiguated by ``context`` (same English, other Danish)."""
    return _catalogue(resolve_lang(lang)).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int, lang: str | None = None) -> str:
    return _catalogue(resolve_lang(lang)).npgettext(context, singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it is translated later (tables of labels)."""
    return message


def pgettext_noop(context: str, message: str) -> str:
    """Mark ``message`` with its ``context`` for extraction; translate it later with :func:`pgettext`."""
    return message


# -- numbers and lists ---------------------------------------------------------

def format_number(value: float | int, decimals: int | None = None, lang: str | None = None) -> str:
    """``1.234,5`` in Danish, ``1,234.5`` in English; ``decimals`` fixes the number of decimals."""
    from babel.numbers import format_decimal

    locale = BABEL_LOCALES[resolve_lang(lang)]
    if decimals is None:
        return format_decimal(value, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)


def format_percent(share: float, decimals: int = 0, lang: str | None = None) -> str:
    """A share (0.889) as a percentage: ``89 %`` in Danish, ``89%`` in English."""
    from babel.numbers import format_percent as babel_percent

    locale = BABEL_LOCALES[resolve_lang(lang)]
    pattern = None
    if decimals:
        pattern = "#,##0." + "0" * decimals + "\u00a0%" if resolve_lang(lang) == "da" else "#,##0." + "0" * decimals + "%"
    text = babel_percent(share, format=pattern, locale=locale)
    # CLDR puts a no-break space before "%" in Danish; reports and catalogues use plain text.
    return text.replace("\u00a0", " ")


_DA_WORDS = ("nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv")
_EN_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve")
WORD_LIMIT = 12


def number_in_words(
    n: int, lang: str | None = None, *, neuter: bool = False, capitalise: bool = False,
    stressed: bool = False, zero: str | None = None,
) -> str:
    """A count as reports write it: words up to twelve ("tre direktører"), digits above ("14 ledere").

    Danish "one" agrees with its noun: ``en`` (common gender) or ``et`` (``neuter=True``: et interview).
    ``stressed`` writes a "one" that means the number, not the article: ``én``/``ét`` ("af én koder").
    ``zero`` replaces "nul" (Danish reports write "ingen forslag", not "nul forslag").
    ``capitalise`` for the start of a sentence, where Danish style never begins with a numeral.
    """
    lang = resolve_lang(lang)
    if n == 0 and zero is not None:
        text = zero
    elif 0 <= n <= WORD_LIMIT:
        words = _DA_WORDS if lang == "da" else _EN_WORDS
        text = words[n]
        if lang == "da" and n == 1:
            text = ("ét" if neuter else "én") if stressed else ("et" if neuter else "en")
    else:
        text = format_number(n, lang=lang)
    return text[:1].upper() + text[1:] if capitalise else text


def format_date(value, pattern: str = "d. MMMM y", lang: str | None = None) -> str:
    """A date with a CLDR pattern: ``2. marts 2026`` in Danish, ``2 March 2026`` in English (``d MMMM y``).

    ``pattern`` is a Babel/CLDR date pattern; ``"MMMM y"`` gives the month and year.
    """
    from babel.dates import format_date as babel_date

    lang = resolve_lang(lang)
    if lang == "en" and pattern == "d. MMMM y":
        pattern = "d MMMM y"
    return babel_date(value, format=pattern, locale=BABEL_LOCALES[lang])


def join_list(items: Sequence[str], lang: str | None = None) -> str:
    """``a, b og c`` in Danish, ``a, b and c`` in English (CLDR list patterns)."""
    from babel.lists import format_list

    items = list(items)
    if not items:
        return ""
    return format_list(items, locale=BABEL_LOCALES[resolve_lang(lang)])


def quote(text: str, lang: str | None = None) -> str:
    """Quotation marks for a term inside a sentence: »…« in Danish, “…” in English."""
    return f"»{text}«" if resolve_lang(lang) == "da" else f"\u201c{text}\u201d"


__all__ = [
    "DOMAIN", "LANGUAGES", "PROOFING_LANGUAGES", "resolve_lang", "use_language",
    "gettext", "ngettext", "pgettext", "npgettext", "_", "N_", "pgettext_noop",
    "format_number", "format_percent", "format_date", "number_in_words", "join_list", "quote",
]
