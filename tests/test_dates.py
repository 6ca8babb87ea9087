"""A date written other than YYYY-MM-DD is refused with the day it names, written as it must be."""

from __future__ import annotations

import re

import pytest

from thesis.inputs.dates import date_fix, not_a_date, parse_date
from thesis.inputs.periods import parse_window


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("2026-3-19", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("19.03.2026", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("19. 3. 2026", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("2026/03/19", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("19/03/2026", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("03/19/2026", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("19 March 2026", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("Mar 19, 2026", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("20260319", "write dates as YYYY-MM-DD, e.g. 2026-03-19"),
        ("01/10/2024", "write dates as YYYY-MM-DD: 2024-10-01 or 2024-01-10, whichever 01/10/2024 means"),
        ("31.02.2026", "write dates as YYYY-MM-DD"),  # no such day: no example to copy
        ("next spring", "write dates as YYYY-MM-DD"),
    ],
)
def test_the_fix_gives_the_day_as_it_must_be_written(written: str, fix: str) -> None:
    assert date_fix(written) == fix
    with pytest.raises(ValueError) as caught:
        parse_date(written)
    assert str(caught.value) == not_a_date(written) == f"{written!r} is not a date; {fix}"


def test_an_iso_date_reads_and_an_impossible_one_says_so() -> None:
    assert parse_date(" 2026-03-19 ").isoformat() == "2026-03-19"
    with pytest.raises(ValueError, match="'2026-02-30' is not a real date .*; check the day and the month"):
        parse_date("2026-02-30")


def test_a_catalyst_date_written_day_first_gets_the_same_fix() -> None:
    with pytest.raises(
        ValueError, match="'19.03.2026' is not a date or a period; write dates as YYYY-MM-DD, e.g. 2026"
    ):
        parse_window("19.03.2026")


def _date_options() -> list[tuple[list[str], str]]:
    """Every option of every command that takes a date (its help or metavar says so), as (command path, flag)."""
    import click

    from thesis.cli import cli

    found = []

    def visit(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                visit(sub, [*path, name])
            return
        for param in command.params:
            if isinstance(param, click.Option) and (
                param.metavar == "YYYY-MM-DD" or re.search(r"\bdate\b|YYYY-MM-DD", param.help or "")
            ):
                found.append((path, param.opts[0]))

    visit(cli, [])
    return found


def test_the_date_options_are_the_ones_we_know() -> None:
    assert sorted(" ".join([*path, flag]) for path, flag in _date_options()) == sorted(
        [
            "alerts --as-of",
            "calendar --as-of",
            "export --as-of",
            "history --from",
            "history --to",
            "preview --as-of",
            "render --as-of",
            "score --as-of",
            "site --as-of",
            "source add --published",
            "track-record --as-of",
        ]
    )


@pytest.mark.parametrize(("path", "flag"), _date_options(), ids=lambda v: " ".join(v) if isinstance(v, list) else v)
@pytest.mark.parametrize("written", ["20250630", "2025-W26-1", "30.06.2025"])
def test_every_date_option_reads_only_yyyy_mm_dd(path: list[str], flag: str, written: str) -> None:
    """Python's own parser takes 20250630 and 2025-W26-1; no option of thesis does, and each says what to write."""
    from click.testing import CliRunner

    from thesis.cli import cli

    result = CliRunner().invoke(cli, [*path, flag, written])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"Invalid value for '{flag}': {written!r} is not a date; write dates as YYYY-MM-DD" in result.stderr
    if written != "2025-W26-1":
        assert "e.g. 2025-06-30" in result.stderr
