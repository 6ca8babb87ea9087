"""Export controls over time: dated status changes, each cited, and constraints whose evidence has gone stale."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import add_gamma, base_inputs, write_project
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.outputs.snapshot import snapshot
from thesis.project import Project
from thesis.render.brief import render_html

GAMMA = "Gamma reports that the chip rules were tightened into a full block on 2025-08-01.\n"


def with_a_change(**change: Any) -> dict[str, Any]:
    """acme's chip controls (restricted since 2024-10-01, on alpha) become blocked on 2025-08-01, as gamma reports."""
    inputs = copy.deepcopy(base_inputs())
    add_gamma(inputs, published="2025-08-10", retrieved="2025-08-11", reliability="A")
    inputs["constraints"]["constraints"][0]["changes"] = [
        {
            "status": "blocked",
            "date": "2025-08-01",
            "note": "tightened into a full block",
            "evidence": [{"source": "gamma", "quote": "the chip rules were tightened into a full block"}],
            **change,
        }
    ]
    return inputs


def project_with(root: Path, inputs: dict[str, Any]) -> Project:
    write_project(root, inputs, raw={"sources/gamma.txt": GAMMA})
    return Project(root)


def test_a_brief_shows_the_status_in_force_on_its_date(tmp_path: Path) -> None:
    project = project_with(tmp_path, with_a_change())
    before = prepare(project, "acme", dt.date(2025, 8, 5)).brief  # in effect, but not yet reported
    after = prepare(project, "acme", dt.date(2025, 8, 10)).brief
    (old,), (new,) = before.constraints, after.constraints
    assert (old.constraint.status, old.constraint.effective.date) == ("restricted", dt.date(2024, 10, 1))
    assert [c.source_id for c in old.citations] == ["alpha"] and len(old.history) == 1
    assert (new.constraint.status, new.constraint.effective.date) == ("blocked", dt.date(2025, 8, 1))
    assert [c.source_id for c in new.citations] == ["gamma"]
    assert [e.status for e in new.history] == ["restricted", "blocked"]
    assert new.score.contribution < old.score.contribution  # a block bites harder than a restriction
    page = render_html(project, after)
    assert "Status over time: restricted from 2024-10-01; blocked from 2025-08-01 (tightened into a full block)" in page
    data = snapshot(after)["constraints"][0]
    assert data["status"] == "blocked" and [h["status"] for h in data["history"]] == ["restricted", "blocked"]


def test_a_change_s_quote_is_verified_and_its_source_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad_quote = {"evidence": [{"source": "gamma", "quote": "the chip rules were relaxed", "credibility": 1}]}
    project_with(tmp_path / "quote", with_a_change(**bad_quote))
    monkeypatch.chdir(tmp_path / "quote")
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 1
    assert "constraints[0].changes[0].evidence[0].quote [chip-controls]: quote not found in source 'gamma'" in (
        result.output
    )
    unknown = {"evidence": [{"source": "gama", "quote": "tightened", "credibility": 1}]}
    project_with(tmp_path / "source", with_a_change(**unknown))
    monkeypatch.chdir(tmp_path / "source")
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2
    assert "constraints[0].changes[0].evidence[0].source: unknown source 'gama'" in result.output


def test_changes_out_of_order_are_refused_with_their_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project_with(tmp_path, with_a_change(date="2024-09-01"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2
    assert "constraints.yaml" in result.output
    assert "constraints[0]: a change of status dated 2024-09-01" in result.output
    assert "fix: list the changes oldest first" in result.output


def stale_inputs(days: int | None) -> dict[str, Any]:
    inputs = copy.deepcopy(base_inputs())
    if days is not None:
        inputs["scoring"] = {"scoring": {"constraint_stale_days": days}}
    return inputs


def test_a_constraint_on_old_evidence_is_flagged_stale_in_the_brief(tmp_path: Path) -> None:
    """acme's chip controls rest on alpha alone, published 2025-01-10."""
    fresh = project_with(tmp_path / "fresh", stale_inputs(None))
    brief = prepare(fresh, "acme", dt.date(2026, 1, 10)).brief  # 365 days: not over the default
    assert not brief.constraints[0].stale and brief.constraints[0].evidence_age_days == 365
    brief = prepare(fresh, "acme", dt.date(2026, 1, 11)).brief
    assert brief.constraints[0].stale and brief.constraints[0].evidence_age_days == 366
    page = render_html(fresh, brief)
    assert '<span class="flag stale"' in page and "the newest evidence for this constraint is 366 days old" in page
    assert snapshot(brief)["constraints"][0]["stale"] is True

    tight = project_with(tmp_path / "tight", stale_inputs(200))  # the age is a knob
    assert prepare(tight, "acme", dt.date(2025, 8, 1)).brief.constraints[0].stale


def test_check_reports_a_stale_constraint_as_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project_with(tmp_path, stale_inputs(30))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "acme", "--strict"])
    assert result.exit_code == 0, result.output  # a finding, not a failure: only a newer source can settle it
    assert "constraints[0].status [chip-controls]: stale: the newest evidence for status 'restricted' was " in (
        result.output
    )
    assert "(constraint_stale_days is 30)" in result.output
    assert "fix: cite a newer source that confirms the status, or record what changed under changes:" in result.output


def test_a_reported_change_refreshes_the_evidence(tmp_path: Path) -> None:
    project = project_with(tmp_path, with_a_change())
    brief = prepare(project, "acme", dt.date(2026, 3, 1)).brief
    (view,) = brief.constraints
    assert view.evidence_age_days == (dt.date(2026, 3, 1) - dt.date(2025, 8, 10)).days
    assert not view.stale


def test_thesis_score_names_the_stale_constraints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project_with(tmp_path, stale_inputs(30))
    monkeypatch.chdir(tmp_path)
    text = CliRunner().invoke(cli, ["score", "acme", "--as-of", "2025-03-01"])
    assert "Stale constraints (newest evidence over 30 days old): chip-controls (50 days)" in text.output
    data = CliRunner().invoke(cli, ["score", "acme", "--as-of", "2025-03-01", "--format", "json"])
    assert '"stale_constraints": [\n    "chip-controls"\n  ]' in data.output


def test_check_compares_a_rule_across_the_coverage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rule blocked in one thesis and allowed in another: one of them is out of date, or should say why."""
    project_with(tmp_path, base_inputs())
    other = copy.deepcopy(base_inputs())
    other["constraints"]["constraints"][0].update(id="chips", item="advanced  CHIPS", status="allowed")
    write_project(tmp_path, other, company="beta-cloud")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "acme", "--strict"])
    assert result.exit_code == 0, result.output  # a finding: only the analyst can say which is right
    assert (
        "constraints[0].status [chip-controls]: status 'restricted' here, but 'allowed' for the same item in "
        "beta-cloud's thesis (inputs/beta-cloud/constraints.yaml:"
    ) in result.output
    other["constraints"]["constraints"][0]["status"] = "restricted"
    write_project(tmp_path, other, company="beta-cloud")
    assert "for the same item" not in CliRunner().invoke(cli, ["check", "acme"]).output


@pytest.mark.parametrize(
    ("kinds", "heading"),
    [
        ((), "Export controls"),  # no kind given: every existing input is an export control
        (("tariff",), "Tariffs"),
        (("sanction", "sanction"), "Sanctions"),
        (("export-control", "tariff"), "Trade restrictions"),
    ],
)
def test_a_brief_names_its_constraints_by_their_kind(tmp_path: Path, kinds: tuple[str, ...], heading: str) -> None:
    inputs = copy.deepcopy(base_inputs())
    constraints = inputs["constraints"]["constraints"]
    while len(constraints) < len(kinds):
        constraints.append({**copy.deepcopy(constraints[0]), "id": f"more-rules-{len(constraints)}"})
    for constraint, kind in zip(constraints, kinds, strict=False):
        constraint["kind"] = kind
    project = project_with(tmp_path, inputs)
    brief = prepare(project, "acme", dt.date(2025, 9, 30)).brief
    page = render_html(project, brief)
    assert f"<h2>{heading}</h2>" in page and f"<h3>{heading}</h3>" in page
    assert ('<small class="kind">' in page) == (len(set(kinds)) > 1)  # each one's kind only in a mix
    categories = {item.category for item in brief.scorecard.items if item.kind == "constraint"}
    assert categories == {
        {"tariff": "tariffs", "sanction": "sanctions", "export-control": "export-controls"}[kind]
        for kind in kinds or ("export-control",)
    }
    assert [c["kind"] for c in snapshot(brief)["constraints"]] == list(kinds or ("export-control",))


def test_an_unknown_kind_of_constraint_is_refused_with_the_kinds_there_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = copy.deepcopy(base_inputs())
    inputs["constraints"]["constraints"][0]["kind"] = "embargo"
    project_with(tmp_path, inputs)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "constraints.yaml" in result.output and "constraints[0].kind" in result.output
    assert "tariff" in result.output and "sanction" in result.output


def test_the_diff_reports_a_constraint_whose_kind_changed(tmp_path: Path) -> None:
    from thesis.diff.compare import diff_snapshots

    project = project_with(tmp_path, copy.deepcopy(base_inputs()))
    old = snapshot(prepare(project, "acme", dt.date(2025, 9, 30)).brief)
    inputs = copy.deepcopy(base_inputs())
    inputs["constraints"]["constraints"][0]["kind"] = "tariff"
    project = project_with(tmp_path, inputs)
    new = snapshot(prepare(project, "acme", dt.date(2025, 9, 30)).brief)
    (modified,) = diff_snapshots(old, new)["modified"]
    assert modified["id"] == "chip-controls"
    assert [(c["field"], c["old"], c["new"]) for c in modified["changes"] if c["field"] == "kind"] == [
        ("kind", "export-control", "tariff")
    ]
