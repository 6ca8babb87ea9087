"""Snapshots and render-cache records read back are untrusted: typed before use, never a traceback.

The bad snapshots for ``thesis diff`` are in tests/bad_inputs/diff-snapshot-*;
here: the render cache's record and ``thesis list`` reading build/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import write_project
from tests.conftest import AS_OF
from thesis.cli import cli
from thesis.commands.cache import lookup, read_record, record_path, render_key
from thesis.outputs.snapshot_model import validate_snapshot
from thesis.project import Project


@pytest.fixture
def rendered(tmp_path: Path) -> Iterator[Path]:
    write_project(tmp_path)
    old = Path.cwd()
    os.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "acme", "--as-of", AS_OF.isoformat(), "--format", "html"])
    assert result.exit_code == 0, result.output
    yield tmp_path
    os.chdir(old)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda r: r.update(score=float("nan")), id="nan-score"),
        pytest.param(lambda r: r.update(score="high"), id="text-score"),
        pytest.param(lambda r: r.update(outputs="all"), id="outputs-not-a-list"),
        pytest.param(lambda r: r["outputs"][0].update(name="../../../etc/passwd"), id="name-with-a-path"),
        pytest.param(lambda r: r["outputs"][0].update(size=-1), id="negative-size"),
        pytest.param(lambda r: r["outputs"][0].update(format="exe"), id="unknown-format"),
        pytest.param(lambda r: r.update(warnings=[{"file": 1}]), id="warning-of-the-wrong-shape"),
        pytest.param(lambda r: r.update(warnings=[1, 2]), id="warnings-not-mappings"),
        pytest.param(lambda r: r.update(key=["x"]), id="key-not-text"),
    ],
)
def test_a_record_of_the_wrong_shape_is_no_record_and_the_brief_renders_again(rendered: Path, spoil: Any) -> None:
    project = Project(rendered)
    key = render_key(project, "acme", AS_OF, formats="html", strict=False, weights=None)
    assert lookup(project, "acme", AS_OF, key) is not None
    path = record_path(project, "acme", AS_OF)
    record = json.loads(path.read_text())
    spoil(record)
    path.write_text(json.dumps(record))
    assert read_record(path) is None
    assert lookup(project, "acme", AS_OF, key) is None
    again = CliRunner().invoke(cli, ["render", "acme", "--as-of", AS_OF.isoformat(), "--format", "html"])
    assert again.exit_code == 0 and "wrote" in again.output


def test_a_deeply_nested_record_is_no_record(rendered: Path) -> None:
    path = record_path(Project(rendered), "acme", AS_OF)
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert read_record(path) is None


def test_list_skips_a_snapshot_of_the_wrong_shape_and_exits_0(rendered: Path) -> None:
    day = AS_OF.isoformat()
    snapshot = rendered / "build" / "acme" / day / f"acme-{day}.json"
    data = json.loads(snapshot.read_text())
    data["score"] = "very high"
    snapshot.write_text(json.dumps(data))
    later = (AS_OF + dt.timedelta(days=1)).isoformat()
    (rendered / "build" / "acme" / later).mkdir()
    (rendered / "build" / "acme" / later / f"acme-{later}.json").write_text("[" * 100_000)
    result = CliRunner().invoke(cli, ["list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["last_brief"] is None


def test_a_written_snapshot_validates(rendered: Path) -> None:
    day = AS_OF.isoformat()
    snapshot = json.loads((rendered / "build" / "acme" / day / f"acme-{day}.json").read_text())
    assert validate_snapshot(snapshot) == []
