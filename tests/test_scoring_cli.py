"""`thesis score`: the scorecard without rendering, as text, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from thesis.cli import cli
from thesis.outputs.scorecard_data import ITEM_COLUMNS
from thesis.project import Project

PUBLIC_KEYS = {"score", "rating", "confidence", "scoring", "sensitivity", "items"}


@pytest.fixture
def in_project(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(project.root)
    return project


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["score", "acme", "--as-of", "2025-09-30", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_carries_the_public_keys_and_contributions_add_up(in_project: Project) -> None:
    data = json.loads(run("--format", "json"))
    assert set(data) >= PUBLIC_KEYS
    assert sum(i["contribution"] for i in data["items"]) == pytest.approx(data["score"], abs=1e-5)
    assert {i["id"] for i in data["items"]} == {"growth", "cash-burn", "chip-controls"}
    assert data["scoring"]["hash"] and data["scoring"]["config"]["shrinkage"] == 10.0
    assert data["confidence"]["level"] in {"High", "Medium", "Low"}
    assert data["confidence"]["reasons"] and {"code", "text", "penalty"} <= set(data["confidence"]["reasons"][0])
    sensitivity = data["sensitivity"]
    assert {"ranges", "flip_set", "leave_one_out", "flips", "flip_search"} <= set(sensitivity)
    assert {r["knob"] for r in sensitivity["ranges"]} >= {"weight:cloud", "half_life", "shrinkage", "grades"}
    assert {s["source"] for s in sensitivity["leave_one_out"]} == {"alpha", "beta"}
    flip = sensitivity["flip_set"]
    assert flip is not None and flip["rating_after"] != data["rating"] and flip["size"] == len(flip["items"])


def test_json_is_the_same_bytes_every_run(in_project: Project) -> None:
    assert run("--format", "json") == run("--format", "json")


def test_text_shows_confidence_sensitivity_and_the_flip_set(in_project: Project) -> None:
    text = run()
    assert "confidence" in text and "Confidence reasons" in text
    assert "Sensitivity, one knob at a time" in text
    assert "What would flip the call" in text
    assert "Leave one source out" in text
    assert "-0.00" not in text


def test_csv_has_one_row_per_item(in_project: Project) -> None:
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv"))))
    assert [r["id"] for r in rows] == ["growth", "chip-controls", "cash-burn"]  # largest contribution first
    assert list(rows[0]) == list(ITEM_COLUMNS) and rows[0]["title"] == "Fast cloud growth"
    assert rows[0]["grade"] == "B2" and float(rows[1]["contribution"]) < 0


def test_the_snapshot_carries_the_same_analysis(in_project: Project) -> None:
    from thesis.commands.render import prepare
    from thesis.outputs.snapshot import snapshot

    score_json = json.loads(run("--format", "json"))
    import datetime as dt

    data = snapshot(prepare(in_project, "acme", dt.date(2025, 9, 30)).brief)
    for key in ("score", "rating", "confidence", "scoring", "sensitivity"):
        assert data[key] == score_json[key], key
