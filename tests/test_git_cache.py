"""The render cache in a project kept in git: the key holds what a back-dated brief reads from the record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.builders import write_project
from tests.test_record import edit, git
from thesis.cli import cli
from thesis.commands.cache import GitInputs, git_inputs, record_ingredient, render_key
from thesis.inputs.git_record import GitRecord
from thesis.project import Project

AS_OF = "2025-08-15"
DAY = dt.date(2025, 8, 15)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Acme's inputs committed twice before the brief's date, with an uncommitted edit on top."""
    folder = write_project(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Start the Acme thesis", when="2025-02-01T09:00:00+00:00")
    edit(folder / "points.yaml", lambda d: d["points"][0].update(impact=5))
    git(tmp_path, "commit", "-q", "-am", "Growth matters more", when="2025-07-01T09:00:00+00:00")
    edit(folder / "points.yaml", lambda d: d["points"][0].update(title="Uncommitted title"))
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def render() -> Result:
    result = CliRunner().invoke(cli, ["render", "acme", "--as-of", AS_OF, "--format", "html"])
    assert result.exit_code == 0, result.output
    return result


def snapshot(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / "build/acme" / AS_OF / f"acme-{AS_OF}.json").read_text())
    return data


def growth_impact(root: Path) -> object:
    points = snapshot(root)["points"]
    assert isinstance(points, list)
    return next(point["impact"] for point in points if point["id"] == "growth")


def commit_behind_the_working_tree(root: Path, when: str, change: object, *args: str) -> None:
    """Commit ``change`` to points.yaml at ``when``, then put the working tree's bytes back as they were:
    the committed inputs change, the working tree (and so every other ingredient of the key) does not."""
    points = root / "inputs/acme/points.yaml"
    working = points.read_bytes()
    git(root, "stash", "-q")
    edit(points, change)
    git(root, "commit", "-q", "-am", "Growth matters less", *args, when=when)
    points.write_bytes(working)


def test_a_commit_dated_before_the_brief_renders_it_again(kept: Project) -> None:
    assert "wrote" in render().output and growth_impact(kept.root) == 5
    assert "unchanged, skipped" in render().output
    commit_behind_the_working_tree(kept.root, "2025-08-01T09:00:00+00:00", lambda d: d["points"][0].update(impact=2))
    assert "unchanged, skipped" not in render().output  # it was skipped, stale, before the record was in the key
    assert growth_impact(kept.root) == 2 and snapshot(kept.root)["record"] != "working tree"
    assert "unchanged, skipped" in render().output


def test_an_amended_commit_renders_it_again(kept: Project) -> None:
    render()
    commit_behind_the_working_tree(
        kept.root, "2025-07-01T09:00:00+00:00", lambda d: d["points"][0].update(impact=3), "--amend"
    )
    assert "unchanged, skipped" not in render().output
    assert growth_impact(kept.root) == 3


def test_a_commit_after_the_brief_or_an_edit_left_uncommitted_is_in_the_key_only_as_far_as_it_is_read(
    kept: Project,
) -> None:
    render()
    commit_behind_the_working_tree(kept.root, "2025-09-01T09:00:00+00:00", lambda d: d["points"][0].update(impact=1))
    assert "unchanged, skipped" in render().output  # a commit after the brief's date changes nothing it reads
    # The working tree stays in the key: a commit whose inputs do not load leaves it to stand in.
    edit(kept.root / "inputs/acme/points.yaml", lambda d: d["points"][0].update(title="Another title"))
    assert "unchanged, skipped" not in render().output


def test_a_brief_dated_before_the_first_commit_reads_it_and_renders_again_when_it_is_amended(kept: Project) -> None:
    early = "2025-01-20"
    result = CliRunner().invoke(cli, ["render", "acme", "--as-of", early, "--format", "html"])
    assert result.exit_code == 0, result.output
    data = json.loads((kept.root / "build/acme" / early / f"acme-{early}.json").read_text())
    first = GitRecord(kept.root).commits("inputs/acme")[0]
    assert data["record"] == f"commit {first.short} of 2025-02-01"  # not the working tree, edited since
    assert "Uncommitted title" not in {point["title"] for point in data["points"]}
    # so the first commit is in its key: amending or rewriting it renders the brief again
    assert record_ingredient(kept, "acme", dt.date(2025, 1, 20), DAY).startswith(f"reads {first.sha};")


def test_the_key_changes_the_day_the_brief_stops_reading_the_working_tree(kept: Project) -> None:
    day = dt.date(2025, 7, 1)  # a commit's day: its brief reads the working tree that day, the commit after it
    that_day = render_key(kept, "acme", day, formats="html", strict=False, weights=None, today=day)
    next_day = render_key(kept, "acme", day, formats="html", strict=False, weights=None, today=day.replace(day=2))
    assert that_day != next_day
    assert next_day == render_key(kept, "acme", day, formats="html", strict=False, weights=None, today=DAY)
    (kept.root / "thesis.yaml").write_text("record: working-tree\n")
    working = Project(kept.root)
    # a project that reads the working tree for every date has nothing from git in its key
    assert render_key(working, "acme", day, formats="html", strict=False, weights=None, today=day) == render_key(
        working, "acme", day, formats="html", strict=False, weights=None, today=DAY
    )


def test_one_listing_of_the_record_keys_many_briefs_as_each_brief_keys_itself(kept: Project) -> None:
    write_project(kept.root, company="beta")
    git(kept.root, "add", "inputs/beta")
    git(kept.root, "commit", "-q", "-m", "Cover Beta", when="2025-07-10T09:00:00+00:00")
    record = GitRecord(kept.root)
    listed = record.commits_by_folder("inputs")
    assert listed is not None and listed == {name: record.commits(f"inputs/{name}") for name in ("acme", "beta")}

    def keys(git: GitInputs | None) -> list[str]:
        return [
            render_key(kept, company, day, formats="html", strict=False, weights=None, git=git)
            for company in ("acme", "beta")
            for day in (dt.date(2025, 1, 20), dt.date(2025, 7, 1), DAY, dt.date.today())
        ]

    assert keys(git_inputs(kept)) == keys(None)
    # a merge: git log simplifies it path by path, so each company's commits are listed on their own
    git(kept.root, "stash", "-q")
    git(kept.root, "checkout", "-q", "-b", "side", "HEAD~1")
    edit(kept.root / "inputs/acme/points.yaml", lambda d: d["points"][0].update(impact=1))
    git(kept.root, "commit", "-q", "-am", "Growth matters little", when="2025-07-20T09:00:00+00:00")
    git(kept.root, "checkout", "-q", "main")
    git(kept.root, "merge", "-q", "--no-ff", "-m", "Merge the side view", "side", when="2025-07-21T09:00:00+00:00")
    assert GitRecord(kept.root).commits_by_folder("inputs") is None
    assert keys(git_inputs(kept)) == keys(None)
    # Rendered many at a time, the briefs are keyed as each render keyed itself: nothing is rendered twice.
    many = ["render", "acme", "beta", "--as-of", AS_OF, "--format", "html"]
    assert "2 rendered" in CliRunner().invoke(cli, many).output
    assert "0 rendered, 2 unchanged" in CliRunner().invoke(cli, many).output
