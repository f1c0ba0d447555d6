"""Every CLI command has help and is shown in the README; the README's set-up comes first."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli.main import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert cli.commands[name].help, f"{name} has no help text"
    assert f"qualcode {name}" in README, f"'qualcode {name}' is not shown in README.md"


def test_readme_starts_with_the_two_setup_commands():
    blocks = [b.split("```", 1)[0].strip() for b in README.split("```bash")[1:3]]
    assert blocks == ['pip install -e . && qualcode demo --out report/', 'pip install -e ".[test]" && pytest']


def test_ci_runs_exactly_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[test]" && pytest' in ci.splitlines()
