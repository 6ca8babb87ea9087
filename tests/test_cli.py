from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from thesis.cli import cli


def test_help_and_version() -> None:
    runner = CliRunner()
    assert "render" in runner.invoke(cli, ["--help"]).output
    assert runner.invoke(cli, ["--version"]).output.startswith("thesis, version")


def test_render_html_prints_paths_and_rating(in_project: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "acme", "--as-of", "2025-09-30", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "build/acme/2025-09-30/acme-2025-09-30.html" in result.output
    assert "rating Neutral" in result.output
    assert not (in_project / "build/acme/2025-09-30/acme-2025-09-30.pdf").exists()


def test_unknown_company_exits_2_without_traceback(in_project: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "nope"])
    assert result.exit_code == 2
    assert "unknown company 'nope'" in result.output and "acme" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["../etc", "/abs", "a/b", ".."])
def test_company_names_cannot_escape(in_project: Path, name: str) -> None:
    result = CliRunner().invoke(cli, ["render", name])
    assert result.exit_code == 2 and "invalid company name" in result.output


def test_bad_input_exits_2_and_writes_nothing(in_project: Path) -> None:
    (in_project / "inputs/acme/company.yaml").write_text("company:\n  name: [\n")
    result = CliRunner().invoke(cli, ["render", "acme", "--as-of", "2025-09-30"])
    assert result.exit_code == 2
    assert "inputs/acme/company.yaml:" in result.output and "YAML syntax error" in result.output
    assert not (in_project / "build").exists()


def test_strict_fails_on_a_wrong_quote(in_project: Path) -> None:
    points = in_project / "inputs/acme/points.yaml"
    points.write_text(points.read_text().replace("grew revenue 40%", "grew revenue 45%"))
    lenient = CliRunner().invoke(cli, ["render", "acme", "--as-of", "2025-09-30", "--format", "html"])
    assert lenient.exit_code == 0 and "warning: inputs/acme/points.yaml:" in lenient.output
    strict = CliRunner().invoke(cli, ["render", "acme", "--as-of", "2025-09-30", "--strict"])
    assert strict.exit_code == 1 and "quote not found in source 'alpha'" in strict.output
    assert "nearest passage" in strict.output
