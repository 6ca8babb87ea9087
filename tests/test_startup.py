"""What `thesis check`, `score` and `diff` load when they start: nothing of the render stack.

These commands are meant to answer in well under the time it takes to import
WeasyPrint, so the libraries only a render, an export or a calendar needs
(WeasyPrint, pandas, openpyxl, Jinja, Markdown, pypdf, icalendar) must not be
imported by them.
Their speed itself is measured by bench/, not asserted here.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import thesis
from tests.builders import write_project
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.diff.compare import diff_snapshots, has_differences, snapshots_as_of
from thesis.inputs import loader
from thesis.outputs.snapshot import snapshot
from thesis.project import Project

RENDER_STACK = ("weasyprint", "pandas", "openpyxl", "jinja2", "markdown_it", "pypdf", "icalendar")

RUN_AND_LIST = """
import sys
from thesis.cli import cli
try:
    cli({args!r}, prog_name="thesis")
except SystemExit as exit:
    assert exit.code in (0, 1), exit.code  # 1: the check found problems, or the diff differences
print("LOADED", sorted(name for name in {stack!r} if name in sys.modules))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_project(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["check", "acme"],
        ["check", "acme", "--format", "json"],
        ["score", "acme", "--as-of", "2025-09-30"],
        ["diff", "acme", "2025-03-01", "2025-09-30"],
        ["diff", "acme", "2025-03-01", "2025-09-30", "--format", "json"],
        ["alerts", "acme"],
    ],
    ids=" ".join,
)
def test_commands_that_answer_at_once_do_not_load_the_render_stack(project: Path, args: list[str]) -> None:
    code = RUN_AND_LIST.format(args=args, stack=RENDER_STACK)
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "LOADED []", done.stderr


def test_version_is_the_one_the_package_was_installed_with() -> None:
    """The version is written once (thesis/__init__.py) and the package metadata reads it from there."""
    assert version("thesis") == thesis.__version__
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"thesis, version {thesis.__version__}\n"


def test_diff_of_two_dates_reads_the_inputs_once_and_matches_the_diff_of_two_full_snapshots(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """thesis diff COMPANY A B reads once and skips the stress tests, yet reports what a diff of two renders does."""
    dates = (dt.date(2025, 3, 1), dt.date(2025, 9, 30))
    full = [snapshot(prepare(Project(project), "acme", day).brief) for day in dates]
    reads = []

    def counting_load(*args: Any, **kwargs: Any) -> loader.Loaded:
        reads.append(args)
        return loader.load_company(*args, **kwargs)

    monkeypatch.setattr("thesis.commands.render.load_company", counting_load)
    together = snapshots_as_of(Project(project), "acme", *dates)
    assert len(reads) == 1
    assert [data["as_of"] for data in together] == ["2025-03-01", "2025-09-30"]
    assert all("sensitivity" not in data and "confidence" not in data for data in together)
    assert all("sensitivity" in data and "confidence" in data for data in full)
    for lean, whole in zip(together, full, strict=True):
        assert lean == {key: value for key, value in whole.items() if key not in ("sensitivity", "confidence")}
    result = diff_snapshots(*together)
    assert has_differences(result)
    assert result == diff_snapshots(*full)


def test_diff_of_two_dates_does_not_load_the_stress_tests(project: Path) -> None:
    code = RUN_AND_LIST.format(
        args=["diff", "acme", "2025-03-01", "2025-09-30"],
        stack=("thesis.scoring.sensitivity", "thesis.scoring.confidence"),
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "LOADED []", done.stderr
