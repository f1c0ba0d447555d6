"""Help texts follow --lang: command help, option help, click's own words and the value placeholders."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli.main import cli


@pytest.mark.parametrize(
    "args, present, absent",
    [
        # Danish by default: the usage line names MØNSTER as the help text does, and click's PATH/TEXT read STI/TEKST
        (["search", "--help"],
         ["Brug: qualcode search [TILVALG] MØNSTER", "Find MØNSTER i interviewene", "-p, --project STI", "--doc TEKST"],
         ["PATTERN", " PATH ", "TEXT"]),
        (["suggest", "--help"],
         ["--top HELTAL", "--min-score TAL", "[standard: 3; 1<=x<=50]", "Eksempler:", "Forslag pr. segment."],
         ["INTEGER", "FLOAT", "Suggestions per segment."]),
        (["codebook", "split", "--help"], ["--into ID=NAVN"], ["ID=NAME"]),
        # choices and option names are never translated
        (["anonymise", "--help"], ["--operator [tag|surrogate|role|redact]", "Mappe til de anonymiserede kopier."], []),
        # English on request, also after --help
        (["search", "--help", "--lang", "en"],
         ["Usage: qualcode search [OPTIONS] PATTERN", "-p, --project PATH", "--doc TEXT"], ["MØNSTER", "STI", "Tilvalg"]),
        (["--lang", "en", "suggest", "--help"], ["--top INTEGER RANGE", "Suggestions per segment.", "Examples:"], ["HELTAL"]),
    ],
)
def test_help_is_in_one_language(args, present, absent):
    result = CliRunner().invoke(cli, args, prog_name="qualcode")
    assert result.exit_code == 0, result.output
    for text in present:
        assert text in result.output, text
    for text in absent:
        assert text not in result.output, text
