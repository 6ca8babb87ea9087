"""A date written other than YYYY-MM-DD is refused with the day it names, written as it must be."""

from __future__ import annotations

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
