"""Did the calls work? The return after each rating change, against a benchmark where there is one.

The rating is taken as of each trading day in the price series (the as-of
view of that day, so a call is judged only on what was known when it was
made; in a project kept in git, of the inputs as committed by that day, so a
call is what the desk's record said that day, not what was written since).
A *call* is the first trading day's rating (the initiation) and every day
the rating differs from the trading day before. For each call and each
horizon of 1, 3, 6 and 12 calendar months:

- ``return`` = close on the last trading day on or before the horizon's day ÷
  close on the call's day − 1 (``None`` when the prices end before the horizon);
- ``benchmark`` = the same for the benchmark series, where there is one;
- ``excess`` = ``return − benchmark``, or ``return`` without a benchmark.

A call's *direction* comes from its rating band: above the band that holds a
score of 0 is long (+1), below it short (−1), that band itself neutral (0).
A long call is a hit when its excess return is above 0, a short call when it
is below 0; neutral calls are not counted. The hit rate at a horizon is hits
÷ the directional calls measured at that horizon.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from thesis.inputs.models import Thesis
from thesis.inputs.prices import Prices, PriceSeries
from thesis.scoring.asof import as_of_view, earliest_evidence
from thesis.scoring.config import Band, ScoringConfig
from thesis.scoring.history import InputsInForce, score_on
from thesis.scoring.score import score

HORIZONS = (1, 3, 6, 12)  # months


@dataclass(frozen=True)
class Call:
    date: dt.date
    rating: str
    previous: str | None  # None for the initiation
    direction: int  # +1 long, -1 short, 0 neutral
    move: int  # +1 a raise (to a higher band), -1 a cut, 0 the initiation
    close: float
    returns: dict[int, float | None]
    benchmark: dict[int, float | None]
    excess: dict[int, float | None]
    hits: dict[int, bool | None]  # None: neutral, or not measurable yet


@dataclass(frozen=True)
class TrackRecord:
    calls: tuple[Call, ...]
    hit_rates: dict[int, tuple[int, int]]  # horizon -> (hits, directional calls measured)
    ratings: tuple[tuple[dt.date, str], ...]  # the rating on each trading day, for the chart
    currency: str
    benchmark_name: str | None
    has_benchmark: bool


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def direction(rating: str, bands: Sequence[Band]) -> int:
    """+1 above the band holding 0, -1 below it, 0 in it (or for a name no band has)."""
    names = [band.name for band in bands]
    if rating not in names:
        return 0
    neutral = max(index for index, band in enumerate(bands) if band.min <= 0)
    index = names.index(rating)
    return (index > neutral) - (index < neutral)


def daily_ratings(
    thesis: Thesis, config: ScoringConfig, days: Sequence[dt.date], record: Sequence[InputsInForce] = ()
) -> list[tuple[dt.date, str]]:
    """The rating as of each day from the first source on (days before it had no thesis).

    With ``record`` (a project kept in git), each day is rated from the inputs in force that day, as
    :func:`thesis.scoring.history.score_history` scores it: what a brief as of that day said.
    """
    if record:
        return [(day, card.rating) for day in days if (card := score_on(record, day)) is not None]
    first = earliest_evidence(thesis)
    return [(day, score(as_of_view(thesis, day), day, config).rating) for day in days if first and day >= first]


def _change(series: PriceSeries, start: dt.date, end: dt.date, last: dt.date) -> float | None:
    if end > last:
        return None
    entry, exit_ = series.on_or_before(start), series.on_or_before(end)
    if entry is None or exit_ is None:
        return None
    return exit_[1] / entry[1] - 1


def track_record(
    thesis: Thesis,
    config: ScoringConfig,
    prices: Prices,
    until: dt.date,
    record: Sequence[InputsInForce] = (),
) -> TrackRecord:
    """Every call up to ``until`` and its returns, using only prices up to ``until``; each day rated from
    ``thesis`` or, where given, from the entry of ``record`` in force that day (:func:`daily_ratings`).
    The bands that name a call's direction are ``config``'s."""
    known = prices.until(until)
    series = known.company
    ratings = daily_ratings(thesis, config, series.dates, record)
    closes = dict(zip(series.dates, series.closes, strict=True))
    last = series.dates[-1] if len(series) else until
    calls: list[Call] = []
    previous: str | None = None
    for day, rating in ratings:
        if rating == previous:
            continue
        returns: dict[int, float | None] = {}
        benchmark: dict[int, float | None] = {}
        excess: dict[int, float | None] = {}
        hits: dict[int, bool | None] = {}
        way = direction(rating, config.bands)
        for months in HORIZONS:
            end = add_months(day, months)
            returns[months] = _change(series, day, end, last)
            benchmark[months] = _change(known.benchmark, day, end, last) if known.benchmark is not None else None
            own = returns[months]
            if known.benchmark is None:
                excess[months] = own
            else:
                other = benchmark[months]
                excess[months] = None if own is None or other is None else own - other
            measured = excess[months]
            hits[months] = None if way == 0 or measured is None else (measured > 0) == (way > 0) and measured != 0
        names = [band.name for band in config.bands]
        move = 0
        if previous is not None and previous in names and rating in names:
            move = 1 if names.index(rating) > names.index(previous) else -1
        calls.append(Call(day, rating, previous, way, move, closes[day], returns, benchmark, excess, hits))
        previous = rating
    hit_rates: dict[int, tuple[int, int]] = {}
    for months in HORIZONS:
        judged = [call.hits[months] for call in calls if call.hits[months] is not None]
        hit_rates[months] = (sum(1 for hit in judged if hit), len(judged))
    return TrackRecord(
        tuple(calls), hit_rates, tuple(ratings), prices.currency, prices.benchmark_name, known.benchmark is not None
    )
