"""`thesis history` and the brief's timeline chart: the score on each day something changed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import write_project
from tests.test_catalysts import inputs
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.inputs.loader import load
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.scoring.asof import as_of_view
from thesis.scoring.config import ScoringConfig
from thesis.scoring.history import events, score_history
from thesis.scoring.score import score

AS_OF = dt.date(2025, 9, 30)


@pytest.fixture
def watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    write_project(tmp_path, inputs())
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def test_the_events_are_the_days_the_inputs_can_change(watched: Project) -> None:
    thesis = load(watched.company_dir("acme"), watched.root).thesis
    found = [(e.date.isoformat(), e.kind, e.item) for e in events(thesis)]
    assert found == [
        ("2024-10-01", "constraint", "chip-controls"),
        ("2025-01-10", "source", "alpha"),
        ("2025-03-14", "catalyst", "chip-ruling"),  # resolved
        ("2025-06-01", "source", "beta"),
        ("2025-09-01", "catalyst", "analyst-day"),  # the day after its window, with no outcome: overdue
        ("2025-11-21", "catalyst", "results-q3"),
    ]


def test_each_row_is_the_score_as_of_its_day(watched: Project) -> None:
    thesis = load(watched.company_dir("acme"), watched.root).thesis
    config = ScoringConfig()
    points = score_history(thesis, config, AS_OF)
    assert [p.date.isoformat() for p in points] == [
        "2025-01-10",
        "2025-03-14",
        "2025-06-01",
        "2025-09-01",
        "2025-09-30",
    ]
    for point in points:
        assert point.score == score(as_of_view(thesis, point.date), point.date, config).score
    beta = points[2]
    assert beta.change == pytest.approx(points[2].score - points[1].score)
    assert beta.mover is not None and beta.mover[0] == "cash-burn" and beta.mover[1] < 0  # the bear point arrived
    assert beta.cause.startswith("cash-burn \u2212")
    assert points[-1].events == ()  # the last day: time decay only
    late = score_history(thesis, config, AS_OF, since=dt.date(2025, 5, 1))
    assert [p.date.isoformat() for p in late] == ["2025-05-01", "2025-06-01", "2025-09-01", "2025-09-30"]
    day_before = score(as_of_view(thesis, dt.date(2025, 4, 30)), dt.date(2025, 4, 30), config).score
    assert late[0].change == pytest.approx(late[0].score - day_before)  # measured from the day before the first row
    assert late[1].score == beta.score


def test_thesis_history_and_the_timeline_chart_agree(watched: Project) -> None:
    result = CliRunner().invoke(cli, ["history", "acme", "--to", AS_OF.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    brief = prepare(watched, "acme", AS_OF).brief
    assert [(r["date"], r["score"], r["rating"]) for r in rows] == [
        (p.date.isoformat(), round(p.score, 6), p.rating) for p in brief.history
    ]
    assert all(r["confidence"] in ("Low", "Medium", "High") for r in rows)
    html = render_html(watched, brief)
    chart = html[html.index('id="chart-timeline"') : html.index("</figure>", html.index('id="chart-timeline"'))]
    assert chart.count("<circle") == len(rows) + 2  # one mark a day, and the legend's two
    assert 'id="timeline"' in html and "Score over time" in html
    assert f"{rows[-1]['date']}" in chart


def test_history_csv_text_and_a_window(watched: Project) -> None:
    csv = CliRunner().invoke(cli, ["history", "acme", "--from", "2025-03-01", "--to", "2025-07-01", "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    lines = csv.output.splitlines()
    assert lines[0] == "date,score,change,rating,confidence,events,moved_most,moved_by"
    assert [line.split(",")[0] for line in lines[1:]] == ["2025-03-01", "2025-03-14", "2025-06-01", "2025-07-01"]
    text = CliRunner().invoke(cli, ["history", "acme", "--to", "2025-09-30"]).output.splitlines()
    assert text[0].split() == ["date", "score", "change", "rating", "confidence", "events", "moved_most"]
    assert "source beta published" in text[3] and "cash-burn \u2212" in text[3]
    backwards = CliRunner().invoke(cli, ["history", "acme", "--from", "2025-09-30", "--to", "2025-01-01"])
    assert backwards.exit_code == 2 and "is after --to" in backwards.output


def test_a_brief_with_one_day_of_history_has_no_timeline(tmp_path: Path) -> None:
    write_project(tmp_path)
    project = Project(tmp_path)
    brief = prepare(project, "acme", dt.date(2025, 1, 10)).brief
    assert len(brief.history) == 1
    assert 'id="timeline"' not in render_html(project, brief)


def blocked_from_august() -> dict[str, Any]:
    """The inputs with the chip controls, restricted since 2024-10-01, blocked from 2025-08-01 (on beta)."""
    data = inputs([], [])
    data["constraints"]["constraints"][0]["changes"] = [
        {
            "status": "blocked",
            "date": "2025-08-01",
            "evidence": [{"source": "beta", "quote": "Analysts see the spending as too aggressive."}],
        }
    ]
    return data


def test_a_constraint_status_change_is_an_event(tmp_path: Path) -> None:
    data = blocked_from_august()
    write_project(tmp_path, data)
    thesis = load(Project(tmp_path).company_dir("acme"), tmp_path).thesis
    found = [(e.date.isoformat(), e.text) for e in events(thesis) if e.kind == "constraint"]
    assert found == [
        ("2024-10-01", "Advanced chips: restricted (US export rules)"),
        ("2025-08-01", "Advanced chips: blocked (changed)"),
    ]
    points = {p.date.isoformat(): p for p in score_history(thesis, ScoringConfig(), AS_OF)}
    assert points["2025-08-01"].change < 0 and points["2025-08-01"].mover is not None
    assert points["2025-08-01"].mover[0] == "chip-controls"


def test_thesis_history_alibaba_and_its_timeline_chart_agree(repo: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    day = dt.date(2026, 1, 31)
    monkeypatch.chdir(repo.root)
    result = CliRunner().invoke(cli, ["history", "alibaba", "--to", day.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    brief = prepare(repo, "alibaba", day).brief
    assert [(r["date"], r["score"], r["rating"]) for r in rows] == [
        (p.date.isoformat(), round(p.score, 6), p.rating) for p in brief.history
    ]
    assert len(rows) >= 5


def test_history_csv_is_the_exports_dialect_so_text_never_becomes_a_formula() -> None:
    import pandas as pd

    from thesis.commands.history import COLUMNS, history_csv

    row = ["2025-03-01", 1.5, 0.0, "Neutral", None, '=HYPERLINK("http://x")', "growth", -0.25]
    text = history_csv(pd.DataFrame([row], columns=list(COLUMNS)))
    assert text.splitlines() == [
        ",".join(COLUMNS),
        '2025-03-01,1.5,0,Neutral,,"\'=HYPERLINK(""http://x"")",growth,-0.25',
    ]


def test_the_brief_history_views_every_input_as_of_each_day(tmp_path: Path) -> None:
    """A constraint's later status must not rewrite its earlier days: the brief's history is computed from
    the inputs, as thesis history is, not from the brief's own as-of view."""
    data = blocked_from_august()
    write_project(tmp_path, data)
    project = Project(tmp_path)
    thesis = load(project.company_dir("acme"), tmp_path).thesis
    brief = prepare(project, "acme", AS_OF).brief
    assert [(p.date, p.score) for p in brief.history] == [
        (p.date, p.score) for p in score_history(thesis, brief.scorecard.config, AS_OF)
    ]
