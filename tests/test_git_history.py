"""`thesis history` and the brief's timeline in a project kept in git: each day reads what a brief as of it reads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import write_project
from tests.test_record import edit, git
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.inputs.git_record import GitRecord
from thesis.inputs.loader import load_company
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.scoring.asof import as_of_view
from thesis.scoring.config import ScoringConfig
from thesis.scoring.score import score


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Acme's inputs in git: the growth point's impact and evidence change from commit to commit, one commit
    puts back an earlier version, and the working tree has an uncommitted change of its own."""
    folder = write_project(tmp_path)
    points = folder / "points.yaml"
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Start the Acme thesis", when="2025-02-01T09:00:00+00:00")
    edit(points, lambda d: d["points"][0].update(impact=2))
    git(tmp_path, "commit", "-q", "-am", "Growth matters less", when="2025-04-15T09:00:00+00:00")
    edit(points, lambda d: d["points"][0].update(impact=4))
    git(tmp_path, "commit", "-q", "-am", "Back to the first reading", when="2025-05-20T09:00:00+00:00")
    edit(points, lambda d: d["points"][0].update(impact=5))
    edit(points, lambda d: d["points"][0]["evidence"][0].update(credibility=1))
    git(tmp_path, "commit", "-q", "-am", "Growth confirmed, and it matters more", when="2025-07-01T18:30:00+02:00")
    edit(points, lambda d: d["points"].pop(1))
    git(tmp_path, "commit", "-q", "-am", "Drop the cash-burn point", when="2025-08-20T09:00:00+00:00")
    edit(points, lambda d: d["points"][0].update(impact=1))  # uncommitted: today's brief alone reads it
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def history_rows(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["history", "acme", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.output)
    return rows


def test_each_history_row_is_what_a_brief_as_of_its_day_says(kept: Project) -> None:
    rows = history_rows()
    days = [row["date"] for row in rows]
    today = dt.date.today().isoformat()
    for day in ("2025-01-10", "2025-04-15", "2025-05-20", "2025-06-01", "2025-07-01", "2025-08-20", today):
        assert day in days  # sources, commits (each a change of what the days read) and today
    for row in rows:
        brief = prepare(kept, "acme", dt.date.fromisoformat(row["date"])).brief
        shown = (row["score"], row["rating"], row["confidence"])
        assert shown == (round(brief.scorecard.score, 6), brief.scorecard.rating, brief.confidence.level), row
    # and not the working tree's inputs on every day, which is what the rows read before
    working = load_company(kept, "acme").thesis
    differ = [
        row["date"]
        for row in rows
        if row["score"]
        != round(score(as_of_view(working, day := dt.date.fromisoformat(row["date"])), day, ScoringConfig()).score, 6)
    ]
    # before any commit the first commit stands in, never the working tree with its uncommitted change
    assert "2025-04-15" in differ and "2025-07-01" in differ and "2025-01-10" in differ
    by_day = {row["date"]: row for row in rows}
    assert by_day["2025-04-15"]["change"] < 0 and by_day["2025-04-15"]["moved_most"] == "growth"
    assert by_day["2025-05-20"]["change"] > 0  # the commit that put the first reading back
    assert "commit" in by_day["2025-08-20"]["events"] and by_day["2025-08-20"]["moved_most"] == "cash-burn"


def test_a_window_measures_its_first_change_from_the_record_of_the_day_before(kept: Project) -> None:
    rows = history_rows("--from", "2025-04-15", "--to", "2025-07-31")
    assert [row["date"] for row in rows] == ["2025-04-15", "2025-05-20", "2025-06-01", "2025-07-01", "2025-07-31"]
    before = prepare(kept, "acme", dt.date(2025, 4, 14)).brief.scorecard.score
    after = prepare(kept, "acme", dt.date(2025, 4, 15)).brief.scorecard.score
    assert rows[0]["change"] == pytest.approx(after - before, abs=1e-5) and rows[0]["change"] < 0
    assert rows[-1]["score"] == round(prepare(kept, "acme", dt.date(2025, 7, 31)).brief.scorecard.score, 6)


def test_the_timeline_of_a_brief_reads_the_record_as_the_history_does(kept: Project) -> None:
    day = dt.date(2025, 7, 15)
    brief = prepare(kept, "acme", day).brief
    rows = history_rows("--to", day.isoformat())
    timeline = [(p.date.isoformat(), round(p.score, 6), p.rating) for p in brief.history]
    assert timeline == [(r["date"], r["score"], r["rating"]) for r in rows]
    assert ("2025-04-15", rows[2]["score"], rows[2]["rating"]) in timeline
    for point in brief.history:
        assert point.score == prepare(kept, "acme", point.date).brief.scorecard.score
    today = prepare(kept, "acme", dt.date.today()).brief  # reads the working tree today, the record before
    assert today.history[-1].score == today.scorecard.score
    assert [p.score for p in today.history if p.date < day] == [p.score for p in brief.history[:-1]]


def test_each_version_of_the_inputs_is_read_once(kept: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    files = GitRecord.files

    def counted(self: GitRecord, revision: str, folder: str) -> dict[str, bytes]:
        reads.append(revision)
        return files(self, revision, folder)

    monkeypatch.setattr(GitRecord, "files", counted)
    rows = history_rows()
    assert len(rows) >= 8
    commits = GitRecord(kept.root).commits("inputs/acme")
    assert len(commits) == 5 and len(reads) == 4  # five commits, one of them back to the first's inputs
    assert len(set(reads)) == len(reads)


def test_a_project_reading_the_working_tree_keeps_its_history(kept: Project) -> None:
    (kept.root / "thesis.yaml").write_text("record: working-tree\n")
    working = load_company(Project(kept.root), "acme").thesis
    for row in history_rows():
        day = dt.date.fromisoformat(row["date"])
        assert row["score"] == round(score(as_of_view(working, day), day, ScoringConfig()).score, 6)
    brief = prepare(Project(kept.root), "acme", dt.date(2025, 9, 30)).brief
    assert "a catalyst resolved." in render_html(Project(kept.root), brief)  # no commits in this brief's days


def test_the_timeline_names_the_commits_as_the_history_does(kept: Project) -> None:
    brief = prepare(kept, "acme", dt.date(2025, 9, 30)).brief
    events = {p.date.isoformat(): [e.text for e in p.events] for p in brief.history}
    assert events["2025-04-15"] == [
        f"commit {GitRecord(kept.root).commits('inputs/acme')[1].short}: Growth matters less"
    ]
    rows = {row["date"]: row["events"] for row in history_rows("--to", "2025-09-30")}
    assert {day: "; ".join(texts) or "(time decay only)" for day, texts in events.items()} == rows
    assert "a catalyst resolved, a commit to the inputs." in render_html(kept, brief)  # the lede says so


def test_a_commit_that_does_not_load_says_so_and_its_days_read_the_working_tree(kept: Project) -> None:
    points = kept.root / "inputs/acme/points.yaml"
    working = points.read_bytes()
    points.write_text("points: [\n")
    git(kept.root, "commit", "-q", "-am", "Broken YAML", when="2025-09-01T09:00:00+00:00")
    points.write_bytes(working)
    rows = {row["date"]: row for row in history_rows("--to", "2025-09-30")}
    assert rows["2025-09-01"]["events"].endswith("Broken YAML (does not load: the working tree stands in)")
    for day in ("2025-09-01", "2025-09-30"):
        brief = prepare(kept, "acme", dt.date.fromisoformat(day)).brief
        assert brief.record.startswith("working tree (commit")
        assert rows[day]["score"] == round(brief.scorecard.score, 6)
