"""Plural forms and numbers of the report's Danish and English, from the catalogue."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from qualcode.i18n import format_date, format_number, format_percent, ngettext, number_in_words
from qualcode.report.wording import header, role_label

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "role, da1, da2, en1, en2",
    [
        ("direktør", "direktør", "direktører", "director", "directors"),
        ("chef", "chef", "chefer", "head of department", "heads of department"),
        ("leder", "leder", "ledere", "manager", "managers"),
        ("medarbejder", "medarbejder", "medarbejdere", "employee", "employees"),
        ("frivillig", "frivillig", "frivillige", "volunteer", "volunteers"),  # adjectival noun: -e
        ("borger", "borger", "borgere", "citizen", "citizens"),
        ("interviewer", "interviewer", "interviewere", "interviewer", "interviewers"),
        ("koordinator", "koordinator", "koordinator", "koordinator", "koordinator"),  # the project's own role, as written
        ("", "ukendt", "ukendt", "unknown", "unknown"),
    ],
)
def test_role_nouns_in_both_languages(role, da1, da2, en1, en2):
    assert (role_label(role, "da"), role_label(role, "da", plural=True)) == (da1, da2)
    assert (role_label(role, "en"), role_label(role, "en", plural=True)) == (en1, en2)


@pytest.mark.parametrize(
    "n, da, en",
    [
        (0, "Nævnt af 0 af 9 interviewpersoner (0 %) i 0 kodede segmenter.", "Raised by 0 of 9 interviewees (0%) in 0 coded segments."),
        (1, "Nævnt af 1 af 9 interviewpersoner (11 %) i 1 kodet segment.", "Raised by 1 of 9 interviewees (11%) in 1 coded segment."),
        (2, "Nævnt af 2 af 9 interviewpersoner (22 %) i 2 kodede segmenter.", "Raised by 2 of 9 interviewees (22%) in 2 coded segments."),
        (1234, "Nævnt af 1.234 af 2.000 interviewpersoner (62 %) i 1.234 kodede segmenter.",  # thousands separators
         "Raised by 1,234 of 2,000 interviewees (62%) in 1,234 coded segments."),
    ],
)
def test_the_count_line_under_each_code(n, da, en):
    from qualcode.i18n import use_language
    from qualcode.report.export_docx import _raised

    total = 9 if n < 10 else 2000
    row = {"participants": n, "N": total, "segments": n, "participants_pct": 100 * n / total}
    with use_language("da"):
        assert _raised(row) == da
    with use_language("en"):
        assert _raised(row) == en


@pytest.mark.parametrize(
    "n, da, en",
    [
        (1, "Programmet foreslog én kodning", "The program suggested one coding"),
        (3, "Programmet foreslog tre kodninger", "The program suggested three codings"),
        (2494, "Programmet foreslog 2.494 kodninger", "The program suggested 2,494 codings"),
    ],
)
def test_plural_and_number_words_in_sentences(n, da, en):
    msg = ("The program suggested {n} coding from the codebook's definitions, keywords and examples, and learned from every acceptance and rejection.",
           "The program suggested {n} codings from the codebook's definitions, keywords and examples, and learned from every acceptance and rejection.")
    assert ngettext(*msg, n, "da").format(n=number_in_words(n, "da", stressed=True)).startswith(da)
    assert ngettext(*msg, n, "en").format(n=number_in_words(n, "en", stressed=True)).startswith(en)


@pytest.mark.parametrize(
    "n, kwargs, da, en",
    [
        (1, {}, "en", "one"),
        (1, {"stressed": True}, "én", "one"),              # "af én koder": the number, not the article
        (1, {"stressed": True, "neuter": True}, "ét", "one"),  # "ét interview"
        (0, {"zero": "ingen"}, "ingen", "ingen"),          # "ingen afvist", not "nul afvist"
        (0, {}, "nul", "zero"),
        (12, {}, "tolv", "twelve"),
        (13, {}, "13", "13"),
        (2494, {}, "2.494", "2,494"),
    ],
)
def test_number_in_words(n, kwargs, da, en):
    assert number_in_words(n, "da", **kwargs) == da
    assert number_in_words(n, "en", **kwargs) == en


@pytest.mark.parametrize(
    "value, pattern, da, en",
    [
        (date(2026, 3, 2), "d. MMMM y", "2. marts 2026", "2 March 2026"),
        (date(2026, 3, 2), "MMMM y", "marts 2026", "March 2026"),
        (date(2025, 11, 20), "MMMM", "november", "November"),
    ],
)
def test_dates(value, pattern, da, en):
    assert format_date(value, pattern, "da") == da
    assert format_date(value, pattern, "en") == en


def test_numbers_in_tables():
    assert format_percent(2 / 3, lang="da") == "67 %" and format_percent(2 / 3, lang="en") == "67%"
    assert format_number(0.34, 2, "da") == "0,34" and format_number(0.34, 2, "en") == "0.34"


def test_column_headers_follow_the_language():
    assert header("participants", "da") == "Interviewpersoner (n)"
    assert header("participants", "en") == "Interviewees (n)"
    assert header("passage", "da") == "Citat i sammenhæng"
    assert header("not_a_column", "da") == "not_a_column"


# Babel reads no call inside an f-string: a message written there would never be translated.
MY_FILES = [*sorted((ROOT / "qualcode" / "report").glob("*.py")), ROOT / "qualcode/cli/report_cmd.py",
            ROOT / "qualcode/cli/codebook_cmd.py", ROOT / "qualcode/cli/translated.py", ROOT / "qualcode/codebook/render.py",
            ROOT / "qualcode/codebook/export.py", ROOT / "qualcode/demo.py"]


@pytest.mark.parametrize("path", MY_FILES, ids=lambda p: p.name)
def test_no_message_is_written_inside_an_f_string(path):
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"""f["'][^"'\n]*\{\s*(?:_|gettext|ngettext|pgettext|npgettext)\(""", text)
    assert found == []
    assert "choose(" not in text  # the transitional pairs are gone from these modules


def test_help_language_is_read_from_anywhere_on_the_command_line():
    from qualcode.cli.translated import _lang_in_args

    assert _lang_in_args(["--help", "--lang", "en"]) == "en"
    assert _lang_in_args(["--lang=da", "--help"]) == "da"
    assert _lang_in_args(["--lang", "de", "--help"]) is None  # not a language qualcode speaks: click reports it
    assert _lang_in_args(["--help"]) is None
