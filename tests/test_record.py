"""The record from git: `thesis log` and `thesis diff COMPANY REV REV`."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.builders import write_project
from thesis.cli import cli
from thesis.commands.log import company_log, snapshot_at
from thesis.inputs.git_record import GitRecord
from thesis.project import Project


def git(root: Path, *args: str, when: str = "2025-03-01T09:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ann Analyst",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann Analyst",
        "GIT_COMMITTER_EMAIL": "ann@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    done = subprocess.run(["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.fixture
def kept(tmp_path: Path) -> Project:
    """A project with three commits to acme's inputs, and an uncommitted edit on top."""
    folder = write_project(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text("desk notes\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Start the Acme thesis", when="2025-02-01T09:00:00+00:00")
    edit(folder / "points.yaml", lambda d: d["points"][0].update(impact=5))
    git(tmp_path, "commit", "-q", "-am", "Cloud growth matters more", when="2025-07-01T18:30:00+02:00")
    git(tmp_path, "tag", "v-july")
    (tmp_path / "README.md").write_text("desk notes, edited\n")
    git(tmp_path, "commit", "-q", "-am", "Notes only", when="2025-08-01T09:00:00+00:00")
    edit(folder / "points.yaml", lambda d: d["points"].pop(1))
    git(tmp_path, "commit", "-q", "-am", "Drop the cash-burn point", when="2025-09-30T09:00:00+00:00")
    edit(folder / "points.yaml", lambda d: d["points"][0].update(title="Uncommitted title"))
    return Project(tmp_path)


def test_the_log_lists_each_commit_to_the_inputs_scored_as_of_its_day(kept: Project) -> None:
    entries = company_log(kept, "acme")
    assert [e.commit.message for e in entries] == [
        "Start the Acme thesis",
        "Cloud growth matters more",
        "Drop the cash-burn point",
    ]  # the commit that changed only the README is not in the company's record
    assert [e.commit.date.isoformat() for e in entries] == ["2025-02-01", "2025-07-01", "2025-09-30"]
    assert all(e.commit.author == "Ann Analyst" for e in entries)
    first, second, third = entries
    assert first.moved == "first record"
    assert first.snapshot is not None and first.snapshot["as_of"] == "2025-02-01"
    # On 1 Feb only alpha (10 Jan) was published: the cash-burn point (cited from beta, c. 1 Jun) is not known.
    assert [p["id"] for p in first.snapshot["points"]] == ["growth"]
    assert second.snapshot is not None and {p["id"] for p in second.snapshot["points"]} == {"growth", "cash-burn"}
    assert "added items \u2212" in second.moved and "edits and re-grades +" in second.moved  # a bear point came
    assert third.snapshot is not None and [p["id"] for p in third.snapshot["points"]] == ["growth"]
    assert "removed items +" in third.moved and "most: cash-burn +" in third.moved
    assert third.score is not None and second.score is not None and third.score > second.score
    assert all(e.confidence in ("Low", "Moderate", "High") for e in entries)


def test_the_log_reads_the_committed_text_and_never_touches_the_working_tree(kept: Project) -> None:
    before = subprocess.run(["git", "-C", str(kept.root), "status", "--porcelain"], capture_output=True, text=True)
    points = (kept.root / "inputs" / "acme" / "points.yaml").read_bytes()
    entries = company_log(kept, "acme")
    assert all(
        p["title"] != "Uncommitted title" for e in entries if e.snapshot is not None for p in e.snapshot["points"]
    )
    after = subprocess.run(["git", "-C", str(kept.root), "status", "--porcelain"], capture_output=True, text=True)
    assert after.stdout == before.stdout == " M inputs/acme/points.yaml\n"
    assert (kept.root / "inputs" / "acme" / "points.yaml").read_bytes() == points


def test_a_commit_whose_inputs_do_not_load_is_listed_with_why(kept: Project) -> None:
    (kept.root / "inputs" / "acme" / "points.yaml").write_text("points: [\n")
    git(kept.root, "commit", "-q", "-am", "Broken YAML", when="2025-10-01T09:00:00+00:00")
    last = company_log(kept, "acme")[-1]
    assert last.commit.message == "Broken YAML" and last.score is None
    assert last.moved == "no score: 1 problem in the inputs"


def test_log_text_and_json(kept: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(kept.root)
    result = CliRunner().invoke(cli, ["log", "acme", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["as_of"] for row in rows] == ["2025-02-01", "2025-07-01", "2025-09-30"]
    assert rows[1]["date"] == "2025-07-01T18:30:00+02:00"
    assert set(rows[0]) == {"commit", "date", "author", "message", "as_of", "score", "rating", "confidence", "moved"}
    text = CliRunner().invoke(cli, ["log", "acme"]).output.splitlines()
    assert text[0].endswith("2025-02-01 09:00:00+00:00  Ann Analyst  Start the Acme thesis")
    assert text[1].startswith("    score ") and text[1].endswith("as of 2025-02-01; first record")


def test_log_outside_git_says_how_to_start_a_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = CliRunner().invoke(cli, ["log", "acme"])
    assert result.exit_code == 2
    assert "is not in a git repository" in result.output and "git init" in result.output


def test_diff_accepts_git_revisions_and_mixes_them_with_dates(kept: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(kept.root)
    result = CliRunner().invoke(cli, ["diff", "acme", "v-july", "HEAD", "--format", "json"])
    assert result.exit_code == 1, result.output  # differences
    data = json.loads(result.output)
    assert (data["old"]["as_of"], data["new"]["as_of"]) == ("2025-07-01", "2025-09-30")
    assert [item["id"] for item in data["removed"]] == ["cash-burn"]
    today = dt.date.today().isoformat()
    mixed = CliRunner().invoke(cli, ["diff", "acme", "HEAD", today, "--format", "json"])
    assert mixed.exit_code == 1, mixed.output
    mixed_data = json.loads(mixed.output)
    assert mixed_data["new"]["as_of"] == today
    assert [item["id"] for item in mixed_data["modified"]] == ["growth"]  # today's brief: the uncommitted title
    dated = CliRunner().invoke(cli, ["diff", "acme", "HEAD", "2025-09-30", "--format", "json"])
    assert dated.exit_code == 0, dated.output  # a past date reads what was committed by then: HEAD itself
    bad = CliRunner().invoke(cli, ["diff", "acme", "no-such-branch", "HEAD"])
    assert bad.exit_code == 2 and "neither a date nor a git revision" in bad.output


def test_a_diff_operand_is_a_date_only_as_yyyy_mm_dd(kept: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """20250630 or 2025-W26-1 is no date here (as nowhere else in thesis): a revision of that name, else refused
    with the day to write; and a tag named like a date in another form is that tag, never a date."""
    monkeypatch.chdir(kept.root)
    compact = CliRunner().invoke(cli, ["diff", "acme", "20250630", "HEAD"])
    assert compact.exit_code == 2 and "Traceback" not in compact.output
    assert compact.output == (
        "error: '20250630' is neither a date nor a git revision\n"
        "  fix: write dates as YYYY-MM-DD, e.g. 2025-06-30, or name a commit, tag or branch\n"
    )
    week = CliRunner().invoke(cli, ["diff", "acme", "2025-W26-1", "HEAD"])
    assert week.exit_code == 2 and "'2025-W26-1' is neither a date nor a git revision" in week.output
    git(kept.root, "tag", "20250630", "v-july")
    tagged = CliRunner().invoke(cli, ["diff", "acme", "20250630", "HEAD", "--format", "json"])
    assert tagged.exit_code == 1, tagged.output
    assert json.loads(tagged.output)["old"]["as_of"] == "2025-07-01"  # the tag's commit day, not 30 June
    dated = CliRunner().invoke(cli, ["diff", "acme", "2025-06-30", "HEAD", "--format", "json"])
    assert dated.exit_code == 1 and json.loads(dated.output)["old"]["as_of"] == "2025-06-30"


def test_a_commit_message_reaches_the_terminal_escaped_in_every_format(
    kept: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit message is anyone's text: thesis history prints its escape sequence as text in CSV and JSON
    too, not only in the text table."""
    edit(kept.root / "inputs" / "acme" / "points.yaml", lambda d: d["points"][0].update(impact=2))
    git(kept.root, "commit", "-q", "-am", "Cut growth \x1b]0;owned\x07 \u202egnirts", when="2025-10-01T09:00:00+00:00")
    monkeypatch.chdir(kept.root)
    for fmt in ("text", "csv", "json"):
        result = CliRunner().invoke(cli, ["history", "acme", "--from", "2025-09-01", "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "Cut growth" in result.output, fmt
        assert not {"\x1b", "\x07", "\u202e"} & set(result.output), fmt


def test_a_revision_is_read_with_git_plumbing_at_that_commit(kept: Project) -> None:
    record = GitRecord(kept.root)
    july = record.resolve("v-july")
    assert july is not None and july.message == "Cloud growth matters more"
    files = record.files("v-july", "inputs/acme")
    assert sorted(files) == [
        "company.yaml",
        "constraints.yaml",
        "metrics.yaml",
        "points.yaml",
        "sources.yaml",
        "sources/alpha.txt",
        "sources/beta.txt",
    ]
    assert b"impact: 5" in files["points.yaml"] and b"Uncommitted" not in files["points.yaml"]
    data, _ = snapshot_at(record, "acme", july)
    assert data["as_of"] == "2025-07-01" and len(data["points"]) == 2
    assert record.resolve("--output=/tmp/x") is None


def test_a_commit_is_scored_with_the_project_settings_committed_with_it(kept: Project) -> None:
    """thesis.yaml's scoring as committed at each revision applies, not today's."""
    (kept.root / "thesis.yaml").write_text("scoring:\n  shrinkage: 200\n")
    git(kept.root, "add", "thesis.yaml")
    git(kept.root, "commit", "-q", "-m", "Damp every score", when="2025-10-02T09:00:00+00:00")
    record = GitRecord(kept.root)
    damped, _ = snapshot_at(record, "acme", record.resolve("HEAD"))  # type: ignore[arg-type]
    before, _ = snapshot_at(record, "acme", record.resolve("HEAD~1"))  # type: ignore[arg-type]
    assert damped["scoring"]["config"]["shrinkage"] == 200
    assert before["scoring"]["config"]["shrinkage"] != 200


def test_a_brief_as_of_an_earlier_date_reads_the_text_committed_by_then(kept: Project) -> None:
    from thesis.commands.render import prepare
    from thesis.outputs.snapshot import snapshot
    from thesis.render.brief import render_html

    august = prepare(kept, "acme", dt.date(2025, 8, 15))
    commit = GitRecord(kept.root).resolve("v-july")
    assert commit is not None
    assert august.brief.record == f"commit {commit.short} of 2025-07-01"
    points = {p["id"]: p for p in snapshot(august.brief, stress_tests=False)["points"]}
    assert points["growth"]["impact"] == 5 and points["growth"]["title"] == "Fast cloud growth"
    assert "cash-burn" in points  # dropped only in the commit of 30 September
    assert f"git history, commit {commit.short} of 2025-07-01</dd>" in render_html(kept, august.brief)
    today = prepare(kept, "acme", dt.date.today())
    assert today.brief.record == "working tree"  # uncommitted changes count only for today's brief
    assert {p["title"] for p in snapshot(today.brief, stress_tests=False)["points"]} == {"Uncommitted title"}
    before_any = prepare(kept, "acme", dt.date(2025, 1, 20))
    first = GitRecord(kept.root).commits("inputs/acme")[0]
    # nothing was committed yet: the first commit, the earliest record, stands in, and never the uncommitted edit
    assert before_any.brief.record == f"commit {first.short} of 2025-02-01"
    early = snapshot(before_any.brief, stress_tests=False)
    assert early["record"] == before_any.brief.record
    assert [p["title"] for p in early["points"]] == ["Fast cloud growth"]  # not "Uncommitted title"
    assert "Uncommitted title" in (kept.root / "inputs" / "acme" / "points.yaml").read_text()  # left as it was


def test_committed_inputs_that_do_not_load_leave_the_working_tree_to_stand_in(kept: Project) -> None:
    from thesis.commands.render import prepare

    folder = kept.root / "inputs" / "acme"
    good = (folder / "points.yaml").read_text()
    (folder / "points.yaml").write_text("points: [\n")
    git(kept.root, "commit", "-q", "-am", "Broken YAML", when="2025-10-01T09:00:00+00:00")
    (folder / "points.yaml").write_text(good)
    october = prepare(kept, "acme", dt.date(2025, 10, 15))
    short = GitRecord(kept.root).resolve("HEAD")
    assert short is not None
    assert october.brief.record == f"working tree (commit {short.short}, the last by then, does not load)"


def test_a_project_may_read_the_working_tree_for_every_date(kept: Project) -> None:
    from thesis.commands.render import prepare

    (kept.root / "thesis.yaml").write_text("record: working-tree\n")
    fresh = Project(kept.root)  # settings are read once per Project
    assert prepare(fresh, "acme", dt.date(2025, 8, 15)).brief.record == "working tree"


def test_log_of_a_misspelt_company_names_the_known_ones(kept: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # Not "no commit changes inputs/acne/: commit the company's inputs", which sends the analyst astray.
    monkeypatch.chdir(kept.root)
    result = CliRunner().invoke(cli, ["log", "acne"])
    assert result.exit_code == 2
    assert "unknown company 'acne'" in result.output and "use one of: acme" in result.output
