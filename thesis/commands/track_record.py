"""``thesis track-record``: the return after each rating change, across the coverage.

Reads each company's inputs and its ``prices.csv`` (and ``benchmark.csv``),
then :func:`thesis.scoring.track_record.track_record`. A company without
prices is listed as such, never given invented numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thesis.commands.render import scoring_config
from thesis.errors import display_path
from thesis.inputs.loader import load_company
from thesis.inputs.prices import Prices, read_company_prices
from thesis.project import Project
from thesis.scoring.track_record import HORIZONS, TrackRecord, track_record
from thesis.terminal import aligned


@dataclass(frozen=True)
class CompanyRecord:
    company: str
    record: TrackRecord | None  # None: the company has no prices.csv


def company_prices(project: Project, company: str, currency: str | None, benchmark: str | None) -> Prices | None:
    folder = project.company_dir(company)
    return read_company_prices(folder, display_path(folder, project.root), currency, benchmark)


def track_records(project: Project, companies: list[str], until: dt.date) -> list[CompanyRecord]:
    """Each company's calls up to ``until``, each day rated from what a brief as of that day reads (in a
    project kept in git, the inputs as committed by then: :mod:`thesis.commands.committed`)."""
    from thesis.commands.committed import CommittedInputs
    from thesis.scoring.history import InputsInForce

    records = []
    for company in companies:
        loaded = load_company(project, company)
        info = loaded.thesis.company
        prices = company_prices(project, company, info.currency, info.benchmark)
        if prices is None:
            records.append(CompanyRecord(company, None))
            continue
        config = scoring_config(loaded)
        working = InputsInForce(dt.date.min, loaded.thesis, config)
        committed = CommittedInputs.of(project, company, dt.date.today(), working=working)
        record = committed.in_force(until) if committed is not None else []
        records.append(CompanyRecord(company, track_record(loaded.thesis, config, prices, until, record)))
    return records


def _percent(value: float | None) -> str:
    from thesis.figures import signed_percent

    return "n/a" if value is None else signed_percent(value, 1)


def records_text(records: list[CompanyRecord]) -> str:
    """Per company: each call with its returns (excess over the benchmark where there is one), then hit rates."""
    lines: list[str] = []
    for entry in records:
        record = entry.record
        if record is None:
            lines.append(f"{entry.company}: no prices.csv, so no track record (the analyst supplies prices)")
            continue
        against = f"excess over {record.benchmark_name or 'the benchmark'}" if record.has_benchmark else "return"
        lines.append(f"{entry.company}: {len(record.calls)} calls; {against} after 1, 3, 6 and 12 months")
        header = ["date", "call", f"close ({record.currency})", *[f"{m}m" for m in HORIZONS]]
        rows = [
            [
                call.date.isoformat(),
                f"{call.previous} -> {call.rating}" if call.previous else f"initiated {call.rating}",
                f"{call.close:,.2f}",
                *[_percent(call.excess[m]) for m in HORIZONS],
            ]
            for call in record.calls
        ]
        rates = ["hit rate", "", ""]
        for months in HORIZONS:
            hits, judged = record.hit_rates[months]
            rates.append(f"{hits}/{judged}" if judged else "n/a")
        lines += ["  " + line.rstrip() for line in aligned([header, *rows, rates], right=range(2, len(header)))]
    return "\n".join(lines) + "\n"


# In the export's CSV dialect (thesis.outputs.export.csv_text): returns as fractions (0.05 = 5%), hits as true,
# false or empty (neutral, not yet), and a rating name that starts like a formula (=, +, -, @) kept as text.
CSV_COLUMNS = " ".join(
    [
        "company:text date:date previous:text rating:text direction:int close:float currency:text",
        *[f"return_{m}m:fraction" for m in HORIZONS],
        *[f"benchmark_{m}m:fraction" for m in HORIZONS],
        *[f"excess_{m}m:fraction" for m in HORIZONS],
        *[f"hit_{m}m:bool" for m in HORIZONS],
    ]
)


def records_csv(records: list[CompanyRecord]) -> str:
    """One row per call, through the export's CSV writer (pandas is imported here, for the table only)."""
    from thesis.outputs.export import csv_text, make_table, parse_columns

    rows = [
        (
            entry.company,
            call.date,
            call.previous,
            call.rating,
            call.direction,
            call.close,
            entry.record.currency,
            *[call.returns[m] for m in HORIZONS],
            *[call.benchmark[m] for m in HORIZONS],
            *[call.excess[m] for m in HORIZONS],
            *[call.hits[m] for m in HORIZONS],
        )
        for entry in records
        if entry.record is not None
        for call in entry.record.calls
    ]
    return csv_text(make_table("track-record", parse_columns(CSV_COLUMNS), rows))
