"""`thesis track-record` and the brief's track record in a project kept in git: each trading day is rated from
what a brief as of that day reads, so a call is what the desk's record said that day."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import base_inputs, write_project
from tests.test_record import edit, git
from tests.test_track_record import UNTIL, fixture_prices
from thesis.commands.render import prepare
from thesis.commands.track_record import track_records
from thesis.inputs.loader import load_company
from thesis.project import Project
from thesis.scoring.config import ScoringConfig
from thesis.scoring.track_record import daily_ratings


@pytest.fixture
def priced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Acme with FIXTURE prices, committed on 20 January 2025; the growth point's impact cut in a commit of
    1 September 2025, then cut further in the working tree (uncommitted)."""
    data = base_inputs()
    data["company"]["company"].update(currency="USD", benchmark="Fixture index")
    folder = write_project(
        tmp_path,
        data,
        raw={"prices.csv": fixture_prices(100, 2, 1), "benchmark.csv": fixture_prices(1000, 10, 5)},
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Start the Acme thesis", when="2025-01-20T09:00:00+00:00")
    edit(folder / "points.yaml", lambda d: d["points"][0].update(impact=2))
    git(tmp_path, "commit", "-q", "-am", "Growth matters less", when="2025-09-01T09:00:00+00:00")
    edit(folder / "points.yaml", lambda d: d["points"][0].update(impact=1))
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def test_each_day_is_rated_as_a_brief_as_of_it_rates_it(priced: Project) -> None:
    ((company, record),) = [(r.company, r.record) for r in track_records(priced, ["acme"], UNTIL)]
    assert record is not None
    for day, rating in record.ratings:
        assert rating == prepare(priced, company, day).brief.scorecard.rating, day
    working = load_company(priced, "acme").thesis
    as_if_written_then = daily_ratings(working, ScoringConfig(), [day for day, _ in record.ratings])
    assert list(record.ratings) != as_if_written_then  # later writing does not rewrite the calls
    brief = prepare(priced, "acme", UNTIL).brief
    assert brief.track_record is not None and brief.track_record.ratings == record.ratings
    assert [(c.date, c.rating) for c in brief.track_record.calls] == [(c.date, c.rating) for c in record.calls]
