"""A company's price series: ``prices.csv`` (and ``benchmark.csv``) beside its YAML inputs.

The analyst supplies them; nothing is downloaded. Each is a CSV file with the
header ``date,close`` and one row per trading day, oldest first: an ISO date
and a positive closing price, in the currency named by ``company.currency``
(the benchmark in its own units; only its returns are used). Lines starting
with ``#`` are comments, so a file can say where its numbers come from.
Every problem is reported at once, with the file and line.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

from thesis.errors import InputError, Problem
from thesis.inputs.dates import parse_date
from thesis.inputs.reading import ReadFailure, read_bounded

PRICES = "prices.csv"
BENCHMARK = "benchmark.csv"
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class PriceSeries:
    """Closing prices by trading day, oldest first."""

    dates: tuple[dt.date, ...]
    closes: tuple[float, ...]

    def on_or_before(self, day: dt.date) -> tuple[dt.date, float] | None:
        """The last close on or before ``day``, or None before the first."""
        index = bisect.bisect_right(self.dates, day) - 1
        return (self.dates[index], self.closes[index]) if index >= 0 else None

    def until(self, day: dt.date) -> PriceSeries:
        """The closes up to and including ``day``: what was known then."""
        end = bisect.bisect_right(self.dates, day)
        return PriceSeries(self.dates[:end], self.closes[:end])

    def __len__(self) -> int:
        return len(self.dates)


def read_prices(path: Path, display: str) -> PriceSeries:
    """Read one price file; every problem is an :class:`InputError` naming the file and line."""
    try:
        raw = read_bounded(path, MAX_BYTES)
    except ReadFailure as failure:
        if failure.size is not None:
            raise InputError(
                [Problem(display, None, "", f"over {MAX_BYTES:,} bytes", "keep daily closes only")]
            ) from None
        raise InputError([Problem(display, None, "", f"cannot read the file: {failure.cause}", failure.hint)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(display, None, "", "not UTF-8 text", "save the file as UTF-8 CSV")]) from None
    problems: list[Problem] = []
    dates: list[dt.date] = []
    closes: list[float] = []
    header_seen = False
    for line_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in row]
        if not header_seen:
            header_seen = True
            if [cell.lower() for cell in cells] != ["date", "close"]:
                problems.append(
                    Problem(
                        display,
                        line_number,
                        "",
                        f"the header is {','.join(cells)!r}",
                        "start with the header date,close",
                    )
                )
                break
            continue
        if len(cells) != 2:
            problems.append(
                Problem(display, line_number, "", f"{len(cells)} columns, not 2", "write one date,close pair per line")
            )
            continue
        try:
            day = parse_date(cells[0])
        except ValueError as exc:
            message, _, hint = str(exc).partition("; ")
            problems.append(Problem(display, line_number, "date", message, hint))
            continue
        try:
            close = float(cells[1].replace(",", ""))
        except ValueError:
            close = math.nan
        if not math.isfinite(close) or close <= 0:
            problems.append(
                Problem(
                    display, line_number, "close", f"{cells[1]!r} is not a positive price", "write the close, e.g. 84.2"
                )
            )
            continue
        if dates and day <= dates[-1]:
            problems.append(
                Problem(
                    display,
                    line_number,
                    "date",
                    f"{day.isoformat()} is not after the line before ({dates[-1].isoformat()})",
                    "list each trading day once, oldest first",
                )
            )
            continue
        dates.append(day)
        closes.append(close)
    if not problems and not dates:
        problems.append(
            Problem(display, None, "", "no prices", "add date,close lines under the header, or remove the file")
        )
    if problems:
        raise InputError(problems)
    return PriceSeries(tuple(dates), tuple(closes))


def prices_csv(series: PriceSeries, comment: str = "") -> str:
    """``series`` as the CSV :func:`read_prices` reads back to it (each close written exactly), ``comment``
    above it as ``#`` lines."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()] + ["date,close"]
    lines += [f"{day.isoformat()},{close!r}" for day, close in zip(series.dates, series.closes, strict=True)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Prices:
    """A company's prices, with the benchmark's where there is one."""

    company: PriceSeries
    currency: str
    benchmark: PriceSeries | None
    benchmark_name: str | None

    def until(self, day: dt.date) -> Prices:
        return Prices(
            self.company.until(day),
            self.currency,
            self.benchmark.until(day) if self.benchmark is not None else None,
            self.benchmark_name,
        )


def read_company_prices(
    folder: Path, display_folder: str, currency: str | None, benchmark_name: str | None
) -> Prices | None:
    """The company's ``prices.csv`` and ``benchmark.csv``, or None when it has no prices."""
    path = folder / PRICES
    if not path.is_file():
        if (folder / BENCHMARK).is_file():
            raise InputError(
                [Problem(f"{display_folder}/{BENCHMARK}", None, "", "a benchmark without prices.csv", f"add {PRICES}")]
            )
        return None
    problems: list[Problem] = []
    if currency is None:
        problems.append(
            Problem(
                f"{display_folder}/company.yaml",
                None,
                "company.currency",
                f"{PRICES} is here but the company names no currency",
                "add currency: (ISO code, e.g. USD) under company",
            )
        )
    series: PriceSeries | None = None
    benchmark: PriceSeries | None = None
    try:
        series = read_prices(path, f"{display_folder}/{PRICES}")
    except InputError as exc:
        problems += exc.problems
    if (folder / BENCHMARK).is_file():
        try:
            benchmark = read_prices(folder / BENCHMARK, f"{display_folder}/{BENCHMARK}")
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    assert series is not None and currency is not None
    return Prices(series, currency, benchmark, benchmark_name)
