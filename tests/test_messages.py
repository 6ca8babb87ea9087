"""Messages that say what is wrong and how to fix it (most cases live in tests/bad_inputs/).

Here: ``check --format json`` answers in JSON even for a usage error; a quote
that differs from its source only by Unicode normalisation verifies, and one
that differs by an invisible character or a look-alike letter is told which,
by code point; ``thesis new`` refuses a name or ticker the inputs would refuse.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import SOURCE_A
from thesis.cli import cli
from thesis.verify.quotes import normalize


@pytest.mark.parametrize(
    ("args", "company", "message"),
    [
        (["check", "--format", "json"], "", "Missing argument 'COMPANY'."),
        (["check", "acme", "--format=json", "--bogus"], "acme", "No such option: --bogus"),
        (["check", "nosuch", "--format", "json"], "nosuch", "unknown company 'nosuch'"),
        (["check", "../x", "--format", "json"], "../x", "invalid company name '../x'"),
    ],
)
def test_check_json_answers_in_json_even_for_usage_errors(
    in_project: Path, args: list[str], company: str, message: str
) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["company"] == company
    assert report["counts"]["errors"] == 1
    assert report["problems"][0]["message"].startswith(message.split(":")[0])
    assert message.split(": ")[-1].strip("'") in report["problems"][0]["message"]


def test_check_text_usage_errors_stay_text(in_project: Path) -> None:
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2 and "Missing argument 'COMPANY'" in result.stderr
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout or "x")


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["score", "acme", "--format", "json", "--bogus"], "No such option '--bogus'.", "see: thesis score --help"),
        (["log", "--format=json"], "Missing argument 'COMPANY'.", "see: thesis log --help"),
        (
            ["history", "acme", "--format", "json", "--from", "20250101"],
            "Invalid value for '--from': '20250101' is not a date; write dates as YYYY-MM-DD, e.g. 2025-01-01",
            "see: thesis history --help",
        ),
        (["scroe", "acme", "--format", "json"], "No such command 'scroe'. Did you mean 'score'?", "see: thesis --help"),
        (
            ["-q", "-v", "list", "--format", "json"],
            "-q/--quiet and -v/--verbose cannot be used together",
            "see: thesis --help",
        ),
        (
            ["score", "nosuch", "--format", "json"],
            "unknown company 'nosuch'",
            "use one of: acme; or start it with: thesis new nosuch --name ... --ticker ...",
        ),
        (
            ["diff", "acme", "2025-02-30", "2025-09-30", "--format", "json"],
            "'2025-02-30' is not a real date (day is out of range for month)",
            "check the day and the month",
        ),
    ],
)
def test_every_command_asked_for_json_fails_in_json(in_project: Path, args: list[str], message: str, hint: str) -> None:
    """A script that asked for JSON reads the failure as JSON on standard output, as from thesis check: usage
    errors from click (unknown option or command, missing argument, bad value) as well as the tool's own."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and result.stderr == ""
    answer = json.loads(result.stdout)
    assert answer["ok"] is False and answer["error"].startswith(message)
    (problem,) = answer["problems"]
    assert problem["message"].startswith(message) and problem["hint"] == hint
    assert set(problem) == {"file", "line", "path", "item", "severity", "message", "hint"}


def test_unreadable_inputs_under_json_are_every_problem_located(in_project: Path) -> None:
    spoil_quote(in_project, "impact: 4", "impact: eleven")
    spoil_quote(in_project, "impact: 3", "impact: 99")
    result = CliRunner().invoke(cli, ["score", "acme", "--format", "json"])
    assert result.exit_code == 2 and result.stderr == ""
    answer = json.loads(result.stdout)
    assert answer["ok"] is False and answer["error"] == "2 problems in the inputs"
    assert [(p["file"], p["path"]) for p in answer["problems"]] == [
        ("inputs/acme/points.yaml", "points[0].impact"),
        ("inputs/acme/points.yaml", "points[1].impact"),
    ]
    assert all(isinstance(p["line"], int) and p["hint"] for p in answer["problems"])


def test_usage_errors_stay_text_unless_json_was_asked_for(in_project: Path) -> None:
    for args in (["score", "acme", "--format", "xml"], ["score", "acme", "--bogus"], ["scroe", "acme"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith("Usage: ") and "Error: " in result.stderr


def test_normalisation_folds_compatibility_forms() -> None:
    assert normalize("cash \ufb02ow") == "cash flow"  # the ligature fl
    assert normalize("gre\u0301w") == normalize("gr\u00e9w")  # decomposed and composed é
    assert normalize("\uff21\uff23\uff2d\uff25") == "ACME"  # full-width letters


def spoil_quote(root: Path, old: str, new: str) -> None:
    points = root / "inputs" / "acme" / "points.yaml"
    text = points.read_text(encoding="utf-8")
    assert old in text
    points.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_quote_differing_only_by_normalisation_verifies(in_project: Path) -> None:
    alpha = in_project / "inputs" / "acme" / "sources" / "alpha.txt"
    alpha.write_text(SOURCE_A.replace("grew", "gr\u00e9w"), encoding="utf-8")  # composed in the source
    spoil_quote(in_project, "quote: Acme Cloud grew revenue", 'quote: "Acme Cloud gre\\u0301w revenue')
    spoil_quote(in_project, "40% in 2024\n", '40% in 2024"\n')
    spoil_quote(in_project, "free cash flow", "free cash \ufb02ow")
    result = CliRunner().invoke(cli, ["check", "acme", "--strict"])
    assert result.exit_code == 0, result.output


def test_an_invisible_character_or_a_look_alike_letter_is_named_by_code_point(in_project: Path) -> None:
    spoil_quote(in_project, "quote: Acme Cloud grew", "quote: \u0410cme Cloud grew")  # Cyrillic А
    spoil_quote(in_project, "free cash flow turned negative", '"free cash flow turned n\\u200begative"')
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 1
    assert (
        "(the quote's U+0410 CYRILLIC CAPITAL LETTER A only looks like the source's U+0041 LATIN CAPITAL LETTER A)"
        in result.output
    )
    assert "(the quote holds U+200B ZERO WIDTH SPACE, which is invisible)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "A" * 301, "--ticker", "A:B"], "--name cannot be the company's name: it is 301 characters"),
        (["--name", "Acme\x1b]0;x\x07", "--ticker", "A:B"], "the text holds the control character U+001B (ESC)"),
        (["--name", "Acme", "--ticker", "A\u202e:B"], "invalid ticker 'A\\u202e:B': the text holds the bidirectional"),
    ],
)
def test_new_refuses_what_the_inputs_would_refuse(in_project: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["new", "gamma", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (in_project / "inputs" / "gamma").exists()


@pytest.mark.parametrize("before", [["-q", "-v"], ["--bogus"], ["--project", "no-such-folder"]])
def test_check_json_keeps_its_report_shape_for_errors_before_the_command(in_project: Path, before: list[str]) -> None:
    # a script reading check's counts must find them whatever went wrong, here in the group's own options
    result = CliRunner().invoke(cli, [*before, "check", "acme", "--format", "json"])
    assert result.exit_code == 2 and result.stderr == ""
    report = json.loads(result.stdout)
    assert set(report) == {"company", "counts", "ok", "problems", "strict"}
    assert report["company"] == "acme" and report["ok"] is False and report["counts"]["errors"] == 1
