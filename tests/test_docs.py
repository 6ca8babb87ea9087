"""Generated docs stay current, and every command is documented with an example."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.builders import write_project
from tests.conftest import ROOT
from thesis.cli import cli
from thesis.inputs.models import DateInfo, Thesis
from thesis.inputs.reference import REFERENCE_FILE, reference_markdown
from thesis.inputs.schema import PROJECT_SCHEMA_FILE, SCHEMA_FILE, models_in, schema_json

REGENERATE = "out of date: run `make docs` and commit the result"
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_inputs_reference_is_current() -> None:
    assert (ROOT / REFERENCE_FILE).read_text(encoding="utf-8") == reference_markdown(), f"{REFERENCE_FILE} {REGENERATE}"


def test_schema_file_is_current() -> None:
    assert (ROOT / SCHEMA_FILE).read_text(encoding="utf-8") == schema_json(), f"{SCHEMA_FILE} {REGENERATE}"


def test_reference_documents_every_field_of_every_input_model() -> None:
    text = reference_markdown()
    missing = [
        f"{model.__name__}.{name}"
        for model in models_in(Thesis)
        if model is not DateInfo  # written as a date or {estimate, basis}: documented as those forms
        for name in model.model_fields
        if f"| `{name}` |" not in text
    ]
    assert missing == []
    assert "| `estimate` |" in text and "| `basis` |" in text


def test_every_input_field_has_a_description() -> None:
    """The reference and the editor's hover help are only as good as the models' descriptions."""
    text = reference_markdown()
    undescribed = re.findall(r"^\| `(\w+)` \| [^|]+ \| (?:yes|no|yes, in one file) \|  \|$", text, re.MULTILINE)
    assert set(undescribed) <= {"name", "min"}, undescribed  # Band's name and min explain themselves


def test_the_commands_are_the_documented_ones() -> None:
    assert {"render", "check", "score", "new", "list", "schema", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    examples = result.output.split("Example:", 1)[1]
    assert f"thesis {name}" in examples


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_appears_in_the_readme_usage(name: str) -> None:
    assert re.search(rf"^thesis {name}\b", README, re.MULTILINE), f"add a `thesis {name}` example to README.md"


def test_readme_documents_completion_editor_set_up_and_the_global_options() -> None:
    assert "_THESIS_COMPLETE=bash_source thesis" in README
    assert "yaml-language-server" in README and "redhat.vscode-yaml" in README
    for option in ("--quiet", "--verbose", "NO_COLOR"):
        assert option in README
    assert "## How the score is computed" in README


def test_shell_completion_offers_the_project_companies(in_project: Path) -> None:
    write_project(in_project, company="acme-two")
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="thesis",
        env={"_THESIS_COMPLETE": "bash_complete", "COMP_WORDS": "thesis export ac", "COMP_CWORD": "2"},
    )
    assert result.exit_code == 0
    assert result.output.split() == ["plain,acme", "plain,acme-two"]


def test_no_color_turns_colour_off_even_when_forced(in_project: Path) -> None:
    runner = CliRunner()
    coloured = runner.invoke(cli, ["list"], color=True, env={"NO_COLOR": ""})
    assert coloured.exit_code == 0 and "\x1b[" in coloured.output  # empty NO_COLOR does not count
    plain = runner.invoke(cli, ["list"], color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 0 and "\x1b[" not in plain.output
    assert click.unstyle(coloured.output) == plain.output


def test_quiet_and_verbose_together_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["-q", "-v", "schema"])
    assert result.exit_code == 2 and "cannot be used together" in result.output


def test_vscode_maps_the_schema_onto_the_inputs() -> None:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert "inputs/*/*.yaml" in mapping["./" + SCHEMA_FILE.as_posix()]
    assert mapping["./" + PROJECT_SCHEMA_FILE.as_posix()] == ["thesis.yaml"]
    assert (ROOT / SCHEMA_FILE).is_file() and (ROOT / PROJECT_SCHEMA_FILE).is_file()
    extensions = json.loads((ROOT / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
