"""Message catalogues, plural forms and Danish number formatting (qualcode.i18n)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.i18n import (
    format_number, format_percent, gettext, join_list, ngettext, number_in_words, quote, use_language,
)

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_in_the_code_is_translated_and_the_mo_is_fresh():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_inline_language_pairs_are_left():
    # The transitional choose(da, en) is gone: every message is a catalogue entry, so the check above sees it.
    import re

    import qualcode.i18n

    assert not hasattr(qualcode.i18n, "choose")
    pairs = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "qualcode").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bchoose\(", line)]
    assert pairs == []


def test_language_follows_use_language_and_the_argument_wins():
    assert gettext("Error: {message}", "da") == "Fejl: {message}"
    with use_language("en"):
        assert gettext("Error: {message}") == "Error: {message}"
        assert gettext("Error: {message}", "da") == "Fejl: {message}"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        gettext("Error: {message}", "de")


def test_plural_rule_of_the_catalogue_header_is_danish():
    # Without a catalogue entry gettext falls back to the English ids, chosen by the Danish rule n != 1.
    # (ids no catalogue entry has: "{n} file" itself is translated now)
    assert ngettext("{n} widget (untranslated)", "{n} widgets (untranslated)", 1, "da") == "{n} widget (untranslated)"
    assert ngettext("{n} widget (untranslated)", "{n} widgets (untranslated)", 0, "da") == "{n} widgets (untranslated)"
    # ... and the catalogue's own plurals follow the same rule.
    assert ngettext("{n} file", "{n} files", 1, "da") == "{n} fil"
    assert ngettext("{n} file", "{n} files", 0, "da") == "{n} filer"


@pytest.mark.parametrize(
    "value, decimals, lang, expected",
    [
        (0.34, 2, "da", "0,34"),          # decimal comma
        (0.34, 2, "en", "0.34"),
        (1234.5, 1, "da", "1.234,5"),     # thousands point
        (1234.5, 1, "en", "1,234.5"),
        (2494, 0, "da", "2.494"),
        (3, None, "da", "3"),
    ],
)
def test_numbers_follow_the_language(value, decimals, lang, expected):
    assert format_number(value, decimals, lang) == expected


def test_percentages():
    assert format_percent(0.889, lang="da") == "89 %"
    assert format_percent(0.889, lang="en") == "89%"
    assert format_percent(0.8889, 1, lang="da") == "88,9 %"


@pytest.mark.parametrize(
    "n, lang, neuter, expected",
    [
        (0, "da", False, "nul"),
        (1, "da", False, "en"),       # en direktør
        (1, "da", True, "et"),        # et interview
        (3, "da", False, "tre"),
        (12, "da", False, "tolv"),
        (13, "da", False, "13"),      # above twelve reports write digits
        (1500, "da", False, "1.500"),
        (4, "en", False, "four"),
    ],
)
def test_number_in_words(n, lang, neuter, expected):
    assert number_in_words(n, lang, neuter=neuter) == expected


def test_number_in_words_at_the_start_of_a_sentence():
    assert number_in_words(0, "da", capitalise=True) == "Nul"
    assert number_in_words(9, "en", capitalise=True) == "Nine"


def test_lists_and_quotes():
    assert join_list(["tre direktører", "fire chefer", "fem medarbejdere"], "da") == \
        "tre direktører, fire chefer og fem medarbejdere"
    assert join_list(["a", "b", "c"], "en") == "a, b and c"
    assert join_list(["kun én"], "da") == "kun én"
    assert join_list([], "da") == ""
    assert quote("gold", "da") == "»gold«"
    assert quote("gold", "en") == "\u201cgold\u201d"


@pytest.mark.parametrize(
    "error, lang, text",
    [
        # the system's English strerror would stand inside a Danish line
        (PermissionError(13, "Permission denied"), "da", "adgang nægtet"),
        (PermissionError(13, "Permission denied"), "en", "permission denied"),
        (FileNotFoundError(2, "No such file or directory"), "da", "filen eller mappen findes ikke"),
        (OSError(28, "No space left on device"), "da", "disken er fuld"),
        (BrokenPipeError(32, "Broken pipe"), "da", "outputtet blev lukket, før alt var skrevet (broken pipe)"),
        # an errno without an entry keeps the system's words rather than hiding them
        (OSError(71, "Protocol error"), "da", "Protocol error"),
    ],
)
def test_os_problems_in_the_users_language(error, lang, text):
    from qualcode.errors import os_problem

    with use_language(lang):
        assert os_problem(error) == text


def test_a_closed_output_ends_quietly_not_with_an_error_line():
    # qualcode search ... | head: the reader went away. Not a user error and nothing to report
    # (it printed "Fejl: outputtet blev lukket ..." before); other system errors still get their line.
    import click
    from click.testing import CliRunner

    from qualcode.cli.main import QualcodeGroup

    def fail(exc):
        def callback():
            raise exc
        return callback

    group = QualcodeGroup(name="qualcode")
    group.add_command(click.Command("pipe", callback=fail(BrokenPipeError(32, "Broken pipe"))))
    group.add_command(click.Command("denied", callback=fail(PermissionError(13, "Permission denied", "ud.docx"))))
    closed = CliRunner().invoke(group, ["pipe"])
    assert (closed.exit_code, closed.output) == (1, "")
    with use_language("da"):
        denied = CliRunner().invoke(group, ["denied"])
    assert denied.exit_code == 2
    assert denied.output == "Fejl: ud.docx: adgang nægtet\n"
