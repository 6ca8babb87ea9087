"""Period labels parse into the days they describe (thesis/inputs/periods.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thesis.inputs.periods import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("label", "start", "end", "key", "estimate"),
    [
        ("Q3 2025", D(2025, 7, 1), D(2025, 9, 30), "2025-Q3", False),
        ("3Q25", D(2025, 7, 1), D(2025, 9, 30), "2025-Q3", False),
        ("2025 Q4", D(2025, 10, 1), D(2025, 12, 31), "2025-Q4", False),
        ("Q2 2025 (reported Aug 2025)", D(2025, 4, 1), D(2025, 6, 30), "2025-Q2", False),
        ("2H 2024", D(2024, 7, 1), D(2024, 12, 31), "2024-H2", False),
        ("H1 2024", D(2024, 1, 1), D(2024, 6, 30), "2024-H1", False),
        ("9M 2026", D(2026, 1, 1), D(2026, 9, 30), "2026-9M", False),
        ("9M26 (nine months)", D(2026, 1, 1), D(2026, 9, 30), "2026-9M", False),
        ("6M 2025", D(2025, 1, 1), D(2025, 6, 30), "2025-6M", False),
        ("FY2025", D(2025, 1, 1), D(2025, 12, 31), "FY2025", False),
        ("FY2026E", D(2026, 1, 1), D(2026, 12, 31), "FY2026", True),
        ("FY26", D(2026, 1, 1), D(2026, 12, 31), "FY2026", False),
        ("2023", D(2023, 1, 1), D(2023, 12, 31), "2023", False),
        ("2030E", D(2030, 1, 1), D(2030, 12, 31), "2030", True),
        ("2032 target", D(2032, 1, 1), D(2032, 12, 31), "2032", True),
        ("Sep 2025 launch", D(2025, 9, 1), D(2025, 9, 30), "2025-09", False),
        ("September 2025", D(2025, 9, 1), D(2025, 9, 30), "2025-09", False),
        ("as of Jan 2026", D(2026, 1, 1), D(2026, 1, 31), "2026-01", False),
        ("29 Apr 2025", D(2025, 4, 29), D(2025, 4, 29), "2025-04-29", False),
        ("late 2025", D(2025, 9, 1), D(2025, 12, 31), "2025-late", False),
        ("3 years from Feb 2025", D(2025, 2, 1), D(2028, 1, 31), "2025-02+3y", False),
        ("five years from 2025 (projection)", D(2025, 1, 1), D(2029, 12, 31), "2025+5y", True),
        ("FY2026E-FY2027E", D(2026, 1, 1), D(2027, 12, 31), "FY2026/FY2027", True),
        ("Q1 2024 to Q3 2025", D(2024, 1, 1), D(2025, 9, 30), "2024-Q1/2025-Q3", False),
        ("GJ 2025", D(2025, 1, 1), D(2025, 12, 31), "FY2025", False),  # Geschäftsjahr, as German reports write it
        ("GJ2026 (Prognose)", D(2026, 1, 1), D(2026, 12, 31), "FY2026", True),
        ("Q1-Q3 2026", D(2026, 1, 1), D(2026, 9, 30), "2026-9M", False),  # the same days as 9M 2026
        ("Q1\u2013Q3 2026", D(2026, 1, 1), D(2026, 9, 30), "2026-9M", False),
        ("1Q-3Q26", D(2026, 1, 1), D(2026, 9, 30), "2026-9M", False),
        ("Q1 2026 to Q3 2026", D(2026, 1, 1), D(2026, 9, 30), "2026-9M", False),
        ("Q2\u2013Q4 2026 guidance", D(2026, 4, 1), D(2026, 12, 31), "2026-Q2/2026-Q4", True),
    ],
)
def test_labels_give_the_days_they_describe(label: str, start: dt.date, end: dt.date, key: str, estimate: bool) -> None:
    period = parse_period(label)
    assert period is not None
    assert (period.start, period.end, period.key, period.estimate) == (start, end, key, estimate)


def test_a_fiscal_year_ending_in_march_runs_from_april() -> None:
    year = parse_period("FY2026", fiscal_year_end=3)
    quarter = parse_period("Q1 FY2026", fiscal_year_end=3)
    half = parse_period("2H FY2026", fiscal_year_end=3)
    assert year is not None and (year.start, year.end) == (D(2025, 4, 1), D(2026, 3, 31))
    assert quarter is not None and (quarter.start, quarter.end, quarter.key) == (
        D(2025, 4, 1),
        D(2025, 6, 30),
        "FY2026-Q1",
    )
    assert half is not None and (half.start, half.end) == (D(2025, 10, 1), D(2026, 3, 31))
    german = parse_period("GJ 2026", fiscal_year_end=3)
    assert german is not None and (german.start, german.end, german.key) == (D(2025, 4, 1), D(2026, 3, 31), "FY2026")
    run = parse_period("Q1\u2013Q3 GJ 2026", fiscal_year_end=3)
    assert run is not None and (run.start, run.end, run.key) == (D(2025, 4, 1), D(2025, 12, 31), "FY2026-Q1/FY2026-Q3")


@pytest.mark.parametrize(
    "label",
    [
        "Qwen3 launch, Apr 2025",
        "most recent quarter before Sep 2025",
        "3 years",
        "",
        None,
        "20251",
        "Q3 2025x",
        "Q5 2025",
        "Q3-Q1 2026",  # a run of quarters backwards is no period
        "GJ",
    ],
)
def test_labels_without_a_leading_period_fall_back(label: str | None) -> None:
    assert parse_period(label) is None


def test_the_middle_is_where_a_chart_places_the_figure() -> None:
    period = parse_period("2024")
    assert period is not None and period.middle == D(2024, 7, 1)


def test_a_window_refuses_a_german_fiscal_year_as_it_does_fy() -> None:
    from thesis.inputs.periods import parse_window

    with pytest.raises(ValueError, match="fiscal period"):
        parse_window("GJ 2026")
    assert parse_window("Q1-Q3 2026").key == "2026-9M"


def test_same_days_same_key() -> None:
    first, second = parse_period("Q3 2025"), parse_period("3Q 2025 (reported Nov 2025)")
    assert first is not None and second is not None and first.key == second.key


@given(st.text(max_size=60))
def test_any_text_gives_a_period_in_order_or_none(text: str) -> None:
    period = parse_period(text)
    assert period is None or period.start <= period.end


@given(st.integers(1990, 2100), st.integers(1, 4))
def test_quarters_tile_their_year(year: int, quarter: int) -> None:
    period = parse_period(f"Q{quarter} {year}")
    following = parse_period(f"Q{quarter + 1} {year}") if quarter < 4 else parse_period(f"Q1 {year + 1}")
    assert period is not None and following is not None
    assert following.start == period.end + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("passage", "period"),
    [
        ("Revenue in Q1\u2013Q3 2026 was EUR 812.4 million", "Q1\u2013Q3 2026"),
        ("Umsatz GJ 2025: EUR 812.4 million", "GJ 2025"),
    ],
)
def test_thesis_quote_offers_the_period_as_the_source_prints_it(passage: str, period: str) -> None:
    from thesis.verify.search import observation

    found = observation("812.4", passage)
    assert found is not None and found.period == period and parse_period(found.period) is not None
