"""`thesis track-record`: the return after each rating change, on FIXTURE prices.

The prices below are invented for these tests and are not market data: a
company close of 100 + 2m on the 1st and 101 + 2m on the 15th of the m-th
month from January 2025, and a benchmark of 1000 + 10m and 1005 + 10m, so
that every expected return can be worked out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import base_inputs, write_project
from thesis.cli import cli
from thesis.commands.track_record import track_records
from thesis.errors import InputError
from thesis.inputs.prices import read_prices
from thesis.project import Project
from thesis.scoring.config import ScoringConfig
from thesis.scoring.track_record import add_months, direction

FIXTURE_NOTE = "# FIXTURE prices invented for tests: not market data\n"
UNTIL = dt.date(2026, 3, 1)


def fixture_prices(base: float, step: float, half: float) -> str:
    lines = [FIXTURE_NOTE, "date,close\n"]
    for m in range(15):  # January 2025 to March 2026
        year, month = 2025 + m // 12, m % 12 + 1
        lines.append(f"{year}-{month:02d}-01,{base + step * m:g}\n")
        if dt.date(year, month, 15) <= UNTIL:
            lines.append(f"{year}-{month:02d}-15,{base + half + step * m:g}\n")
    return "".join(lines)


@pytest.fixture
def priced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    data = base_inputs()
    data["company"]["company"].update(currency="USD", benchmark="Fixture index")
    # The calls below are worked out with the cloud point weighed 1.2, as a desk that leans on cloud would weigh it.
    data["scoring"] = {"scoring": {"category_weights": {"cloud": 1.2}}}
    write_project(
        tmp_path,
        data,
        raw={"prices.csv": fixture_prices(100, 2, 1), "benchmark.csv": fixture_prices(1000, 10, 5)},
    )
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def test_the_returns_after_each_rating_change_are_the_documented_ones(priced: Project) -> None:
    ((_, record),) = [(r.company, r.record) for r in track_records(priced, ["acme"], UNTIL)]
    assert record is not None and record.has_benchmark and record.currency == "USD"
    first, second = record.calls
    # Initiated Overweight on the first trading day after the first source (10 Jan): the 15th, at 101.
    assert (first.date, first.previous, first.rating, first.direction, first.close) == (
        dt.date(2025, 1, 15),
        None,
        "Overweight",
        1,
        101,
    )
    assert first.returns == pytest.approx({1: 2 / 101, 3: 6 / 101, 6: 12 / 101, 12: 24 / 101})
    assert first.benchmark == pytest.approx({1: 10 / 1005, 3: 30 / 1005, 6: 60 / 1005, 12: 120 / 1005})
    assert first.excess == pytest.approx({m: first.returns[m] - first.benchmark[m] for m in (1, 3, 6, 12)})
    assert first.hits == {1: True, 3: True, 6: True, 12: True}
    # Cut to Neutral on 1 Jun, when the bear point's source appeared: neutral calls are not judged.
    assert (second.date, second.previous, second.rating, second.direction, second.close) == (
        dt.date(2025, 6, 1),
        "Overweight",
        "Neutral",
        0,
        110,
    )
    assert (first.move, second.move) == (0, -1)
    assert second.returns[6] == pytest.approx(12 / 110) and second.returns[12] is None  # prices end 1 Mar 2026
    assert second.hits == {1: None, 3: None, 6: None, 12: None}
    assert record.hit_rates == {1: (1, 1), 3: (1, 1), 6: (1, 1), 12: (1, 1)}


def test_only_prices_known_by_the_date_count(priced: Project) -> None:
    ((record),) = [r.record for r in track_records(priced, ["acme"], dt.date(2025, 5, 20))]
    assert record is not None
    (only,) = record.calls
    assert only.returns[3] == pytest.approx(6 / 101) and only.returns[6] is None


def test_a_short_call_is_a_hit_when_it_lags_the_benchmark() -> None:
    bands = ScoringConfig().bands
    assert [direction(b.name, bands) for b in bands] == [-1, -1, 0, 1, 1]
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)


def test_track_record_text_and_csv(priced: Project) -> None:
    text = CliRunner().invoke(cli, ["track-record", "acme", "--as-of", UNTIL.isoformat()])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0] == "acme: 2 calls; excess over Fixture index after 1, 3, 6 and 12 months"
    assert lines[2].split() == ["2025-01-15", "initiated", "Overweight", "101.00", "+1.0%", "+3.0%", "+5.9%", "+11.8%"]
    assert lines[3].split()[:6] == ["2025-06-01", "Overweight", "->", "Neutral", "110.00", "+0.9%"]
    assert lines[-1].split() == ["hit", "rate", "1/1", "1/1", "1/1", "1/1"]
    csv_out = CliRunner().invoke(cli, ["track-record", "--all", "--as-of", UNTIL.isoformat(), "--format", "csv"])
    rows = [line.split(",") for line in csv_out.output.splitlines()]
    assert rows[0][:7] == ["company", "date", "previous", "rating", "direction", "close", "currency"]
    assert rows[1][:7] == ["acme", "2025-01-15", "", "Overweight", "1", "101", "USD"]
    assert float(rows[1][rows[0].index("return_12m")]) == pytest.approx(24 / 101, abs=1e-6)
    assert rows[2][rows[0].index("hit_1m")] == "" and rows[1][rows[0].index("hit_12m")] == "true"


def test_a_rating_name_that_starts_like_a_formula_is_text_in_the_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Band names are the desk's own: one that starts like a formula stays text in a spreadsheet, as in the export.
    (One holding an escape sequence is refused: see tests/bad_inputs/yaml-escape-band-name.)"""
    data = base_inputs()
    data["company"]["company"].update(currency="USD")
    bands = [("Sell", -100), ("Underweight", -50), ("-Neutral", -15), ("=1+1", 15), ("Buy", 50)]
    data["scoring"] = {
        "scoring": {
            "category_weights": {"cloud": 1.2},
            "bands": [{"name": n, "min": m} for n, m in bands],
            "cap_rating": bands[2][0],
        }
    }
    write_project(tmp_path, data, raw={"prices.csv": fixture_prices(100, 2, 1)})
    monkeypatch.chdir(tmp_path)
    csv_out = CliRunner().invoke(cli, ["track-record", "acme", "--as-of", UNTIL.isoformat(), "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    rows = list(csv.reader(io.StringIO(csv_out.output)))
    assert [row[2:4] for row in rows[1:]] == [["", "'=1+1"], ["'=1+1", "'-Neutral"]]
    assert rows[1][5] == "101"  # the export's number format: no padding zeros
    text = CliRunner().invoke(cli, ["track-record", "acme", "--as-of", UNTIL.isoformat()])
    assert text.exit_code == 0 and "=1+1 -> -Neutral" in text.output  # the terminal shows the names as they are


def test_no_prices_no_numbers(repo: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alibaba's sources give no price series, so it ships none and gets no invented track record."""
    assert not (repo.inputs_dir / "alibaba" / "prices.csv").exists()
    monkeypatch.chdir(repo.root)
    result = CliRunner().invoke(cli, ["track-record", "alibaba"])
    assert result.exit_code == 0
    assert result.output == "alibaba: no prices.csv, so no track record (the analyst supplies prices)\n"


def test_bad_price_files_are_located(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(FIXTURE_NOTE + "date,close\n2025-01-02,10\n2025-01-02,11\n2025-13-01,9\n2025-02-01,-3\n")
    with pytest.raises(InputError) as caught:
        read_prices(path, "prices.csv")
    assert [p.format().splitlines()[0] for p in caught.value.problems] == [
        "prices.csv:4 date: 2025-01-02 is not after the line before (2025-01-02)",
        "prices.csv:5 date: '2025-13-01' is not a real date (month must be in 1..12)",
        "prices.csv:6 close: '-3' is not a positive price",
    ]


def test_prices_need_the_company_currency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, raw={"prices.csv": fixture_prices(100, 2, 1)})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["track-record", "acme"])
    assert result.exit_code == 2
    assert "company.currency: prices.csv is here but the company names no currency" in result.output


def test_the_brief_charts_the_price_with_the_rating_history(priced: Project) -> None:
    from thesis.commands.render import prepare
    from thesis.render.brief import render_html

    brief = prepare(priced, "acme", UNTIL).brief
    assert brief.prices is not None and brief.prices.company.dates[-1] == UNTIL
    html = render_html(priced, brief)
    section = html[html.index('<section id="track-record"') : html.index("</section>", html.index('id="track-record"'))]
    assert 'id="chart-price"' in section and "Fixture index, rebased" in section
    assert "initiated Overweight" in section and "Overweight → Neutral" in section
    assert section.count("<polygon") == 2  # a triangle per call: up for the initiation, down for the cut
    early = prepare(priced, "acme", dt.date(2025, 3, 1)).brief
    assert early.prices is not None and early.prices.company.dates[-1] == dt.date(2025, 3, 1)  # no later prices
    assert early.track_record is not None and len(early.track_record.calls) == 1


def test_a_company_without_prices_has_no_price_section(project: Project) -> None:
    from thesis.commands.render import prepare
    from thesis.render.brief import render_html

    brief = prepare(project, "acme", dt.date(2025, 9, 30)).brief
    assert brief.prices is None and brief.track_record is None
    assert 'id="track-record"' not in render_html(project, brief)


def test_check_reports_a_bad_price_file(tmp_path: Path) -> None:
    from thesis.verify.checks import run_checks

    data = base_inputs()
    data["company"]["company"]["currency"] = "USD"
    write_project(tmp_path, data, raw={"prices.csv": "day,price\n2025-01-02,10\n"})
    report = run_checks(Project(tmp_path), "acme")
    assert [p.format().splitlines()[0] for p in report.errors()] == [
        "inputs/acme/prices.csv:1: the header is 'day,price'"
    ]
