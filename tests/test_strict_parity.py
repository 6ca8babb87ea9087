"""`render --strict` refuses what `check --strict` refuses; `check` refuses what `render` would; "verified" means
the quote and its number."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import base_inputs, write_project
from thesis.cli import cli

AS_OF = "2025-09-30"


def _wrong_number(inputs: dict[str, Any]) -> None:
    inputs["metrics"]["metrics"][0]["observations"][0]["value"] = 31  # the quote prints 30%


def _broken_quote(inputs: dict[str, Any]) -> None:
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "Acme Cloud grew revenue 45% in 2024"


def _short_quote(inputs: dict[str, Any]) -> None:
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "revenue 40%"


def _unused_source(inputs: dict[str, Any]) -> None:
    inputs["points"]["points"][1]["evidence"][0]["source"] = "alpha"
    inputs["points"]["points"][1]["evidence"][0]["quote"] = "the fastest of any provider"


def _late_observation(inputs: dict[str, Any]) -> None:
    inputs["metrics"]["metrics"][0]["observations"][0]["date"] = "2025-03-01"


def _clean(inputs: dict[str, Any]) -> None:
    pass


SPOILERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "clean": _clean,
    "wrong-number": _wrong_number,
    "broken-quote": _broken_quote,
    "short-quote": _short_quote,
    "unused-source": _unused_source,
    "late-observation": _late_observation,
}


@pytest.mark.parametrize("spoil", list(SPOILERS))
def test_render_strict_fails_exactly_when_check_strict_fails(chdir: Path, spoil: str) -> None:
    inputs = base_inputs()
    SPOILERS[spoil](inputs)
    write_project(chdir, inputs)
    check = CliRunner().invoke(cli, ["check", "acme", "--strict"])
    render = CliRunner().invoke(cli, ["render", "acme", "--strict", "--format", "html", "--as-of", AS_OF])
    assert check.exit_code in (0, 1), check.output
    assert render.exit_code == check.exit_code, (check.output, render.output)
    if check.exit_code:
        assert not (chdir / "build").exists()
        assert " failed (--strict)" in render.stderr
        for line in check.output.splitlines():
            if line.startswith(("error: inputs/", "warning: inputs/")):
                assert line.split(": ", 1)[1].split(" [")[0] in render.stderr  # the same file, line and field


def test_a_value_its_quote_does_not_print_is_not_verified_in_the_brief_or_the_snapshot(chdir: Path) -> None:
    inputs = base_inputs()
    _wrong_number(inputs)
    write_project(chdir, inputs)
    result = CliRunner().invoke(cli, ["render", "acme", "--format", "html", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "value 31 (%) is not in its quote" in result.stderr
    folder = chdir / "build" / "acme" / AS_OF
    snapshot = json.loads((folder / f"acme-{AS_OF}.json").read_text(encoding="utf-8"))
    (metric,) = snapshot["metrics"]
    assert metric["observations"][0]["citation"]["verified"] is False
    assert snapshot["quotes"] == {"checked": 4, "unverified": 1}
    html = (folder / f"acme-{AS_OF}.html").read_text(encoding="utf-8")
    assert html.count("not verified") >= 1


@pytest.mark.parametrize("command", [["check", "acme"], ["render", "acme", "--format", "html", "--as-of", AS_OF]])
def test_a_cap_rating_naming_no_band_is_refused_alike_with_a_clean_located_message(
    chdir: Path, command: list[str]
) -> None:
    inputs = base_inputs()
    inputs["scoring"] = {"scoring": {"cap_rating": "Strong Buy"}}
    write_project(chdir, inputs)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        "inputs/acme/scoring.yaml:2 scoring.cap_rating: cap_rating 'Strong Buy' is not one of the bands' names\n"
        "    fix: use one of: Sell, Underweight, Neutral, Overweight, Buy, or name the band in bands\n"
    ), result.stderr
    assert "For further information" not in result.output and "pydantic" not in result.output


def test_a_weights_file_that_breaks_the_configuration_is_a_clean_message(chdir: Path) -> None:
    write_project(chdir)
    (chdir / "weights.yaml").write_text("cap_rating: Strong Buy\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["render", "acme", "--format", "html", "--as-of", AS_OF, "--weights", "weights.yaml"]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("weights.yaml scoring.cap_rating: cap_rating 'Strong Buy' is not one of")
    assert "For further information" not in result.output


def test_a_confidence_block_valid_field_by_field_but_not_as_a_whole_fails_check(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["scoring"] = {"scoring": {"confidence": {"medium": 80, "high": 70}}}
    write_project(chdir, inputs)
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2, result.output
    assert "inputs/acme/scoring.yaml:2 scoring.confidence: confidence: medium must not be above high" in result.stderr
