"""`thesis diff` compares everything a snapshot holds: the summary, catalysts, kill criteria, scenarios,
constraint histories and citation pages, besides points, metrics, constraints and sources."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import base_inputs, write_project
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.diff.compare import diff_snapshots, has_differences
from thesis.diff.output import diff_html, diff_text
from thesis.outputs.snapshot import dumps, snapshot
from thesis.project import Project

AS_OF = dt.date(2025, 9, 30)
SCENARIOS = {
    "metric": "Market value",
    "unit": "USD bn",
    "current": 100,
    "date": "2025-06-15",
    "cases": [
        {"name": "bull", "probability": 0.25, "value": 150, "description": "Cloud keeps its lead."},
        {"name": "base", "probability": 0.5, "value": 110, "description": "Growth slows."},
        {"name": "bear", "probability": 0.25, "value": 60, "description": "Chips are blocked."},
    ],
}


def old_inputs() -> dict[str, Any]:
    inputs = copy.deepcopy(base_inputs())
    inputs["company"]["company"]["summary"] = [
        {"written": "2025-06-01", "text": "Acme is a cloud leader with cash-flow risk."}
    ]
    inputs["catalysts"] = {
        "catalysts": [
            {"id": "results-q3", "title": "Q3 2025 results", "kind": "earnings", "expected": "2025-11-20"},
            {"id": "launch", "title": "New region launch", "kind": "product-launch", "timing": "no date given"},
        ]
    }
    inputs["kill_criteria"] = {
        "kill_criteria": [
            {"id": "share-falls", "title": "Cloud share below 25%", "metric": "cloud-share", "below": 25},
        ]
    }
    inputs["scenarios"] = {"scenarios": copy.deepcopy(SCENARIOS)}
    return inputs


def new_inputs() -> dict[str, Any]:
    """A quarter later: a new summary version, catalysts and kill criteria came and went, the cases moved."""
    inputs = old_inputs()
    inputs["company"]["company"]["summary"].append(
        {"written": "2025-09-01", "text": "Acme is a cloud leader whose cash burn now worries us."}
    )
    growth = inputs["points"]["points"][0]
    growth["title"] = [
        {"written": "2025-01-10", "text": growth["title"]},
        {"written": "2025-09-02", "text": "Fastest cloud growth"},
    ]
    catalysts = inputs["catalysts"]["catalysts"]
    catalysts[0]["expected"] = "2025-11-27"
    catalysts[1] = {"id": "analyst-day", "title": "Analyst day", "kind": "conference", "expected": "2025-12-04"}
    inputs["kill_criteria"]["kill_criteria"] = [
        {"id": "share-falls", "title": "Cloud share below 20%", "metric": "cloud-share", "below": 20},
        {"id": "chips-blocked", "title": "Chips blocked outright", "constraint": "chip-controls", "status": "blocked"},
    ]
    cases = inputs["scenarios"]["scenarios"]["cases"]
    cases[1].update(value=90, description="Growth stalls.")
    cases[2].update(value=40)
    return inputs


def snap(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(snapshot(prepare(Project(root), "acme", AS_OF).brief)))
    return data


@pytest.fixture
def pair(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    write_project(tmp_path / "old", old_inputs())
    write_project(tmp_path / "new", new_inputs())
    return snap(tmp_path / "old"), snap(tmp_path / "new")


def entry(diff: Any, group: str, kind: str, item_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in diff[group] if e["kind"] == kind and e["id"] == item_id)
    return found


def test_catalysts_and_kill_criteria_are_matched_by_id(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    diff = diff_snapshots(*pair)
    added = entry(diff, "added", "catalyst", "analyst-day")
    assert (added["title"], added["status"], added["expected"]) == ("Analyst day", "upcoming", "2025-12-04")
    assert entry(diff, "removed", "catalyst", "launch")["expected"] is None
    moved = entry(diff, "modified", "catalyst", "results-q3")["changes"]
    assert [(c["change"], c["field"], c["old"], c["new"]) for c in moved if c["field"] in ("expected", "window")] == [
        ("slipped", "expected", "2025-11-20", "2025-11-27")  # a week later: a slip, its window not repeated
    ]
    assert entry(diff, "added", "kill-criterion", "chips-blocked")["tripped"] is False
    reworded = entry(diff, "modified", "kill-criterion", "share-falls")["changes"]
    title = next(c for c in reworded if c["field"] == "title")
    assert title["redline"] == [["equal", "Cloud share below "], ["delete", "25%"], ["insert", "20%"]]
    assert diff["counts"]["by_kind"]["catalyst"] == {"added": 1, "removed": 1, "modified": 1}
    assert diff["counts"]["by_kind"]["kill-criterion"] == {"added": 1, "removed": 0, "modified": 1}


def test_new_text_versions_are_redlined_with_their_dates(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    diff = diff_snapshots(*pair)
    company = entry(diff, "modified", "company", "acme")
    (summary,) = company["changes"]
    assert (summary["field"], summary["old_written"], summary["new_written"]) == ("summary", "2025-06-01", "2025-09-01")
    assert ["delete", "with cash-flow risk."] in summary["redline"]
    assert ["insert", "whose cash burn now worries us."] in summary["redline"]
    text = diff_text(diff)
    assert "summary (version of 2025-06-01 → 2025-09-01): Acme is a cloud leader [-with cash-flow risk.-]" in text
    title = entry(diff, "modified", "point", "growth")["changes"][0]
    assert (title["field"], title["old_written"], title["new_written"]) == ("title", "2025-01-10", "2025-09-02")
    assert "title (version of 2025-01-10 → 2025-09-02): [-Fast-]{+Fastest+} cloud growth" in text


def test_scenarios_are_compared_by_expected_value_cases_and_tilt(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    diff = diff_snapshots(*pair)
    scenarios = diff["scenarios"]
    assert scenarios is not None and scenarios["status"] == "modified"
    # 0.25*150 + 0.5*110 + 0.25*60 = 107.5, then 0.25*150 + 0.5*90 + 0.25*40 = 92.5
    assert scenarios["expected"] == {"old": 107.5, "new": 92.5, "change": -15.0}
    assert scenarios["tilt"] == {"old": "upside", "new": "downside"}
    cases = {c["name"]: c for c in scenarios["cases"]}
    assert set(cases) == {"base", "bear"}  # the bull case is as it was
    assert cases["base"]["value"] == {"old": 110.0, "new": 90.0, "change": -20.0}
    assert cases["base"]["changes"][0]["redline"] == [["equal", "Growth "], ["delete", "slows."], ["insert", "stalls."]]
    assert {
        "type": "scenario-tilt",
        "id": "scenarios",
        "title": "Market value",
        "old": "upside",
        "new": "downside",
    } in (diff["material"])
    text = diff_text(diff)
    assert "Scenarios changed (Market value, USD bn; set 2025-06-15)" in text
    assert "expected value   107.5 → 92.5 (−15)" in text and "tilt             upside → downside" in text
    assert "~ base: probability 50% (unchanged), value 110 → 90 (−20)" in text


def test_scenarios_set_or_dropped_are_reported(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old, new = pair
    none = copy.deepcopy(old)
    none["scenarios"] = None
    diff = diff_snapshots(none, new)
    assert diff["scenarios"] is not None and diff["scenarios"]["status"] == "added"
    assert [c["status"] for c in diff["scenarios"]["cases"]] == ["added"] * 3
    assert "Scenarios set (Market value, USD bn; set 2025-06-15)" in diff_text(diff)
    back = diff_snapshots(new, none)
    assert back["scenarios"] is not None and back["scenarios"]["status"] == "removed"
    assert diff_snapshots(none, none)["scenarios"] is None


def test_constraint_history_and_citation_pages_are_compared(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old = pair[0]
    new = copy.deepcopy(old)
    constraint = new["constraints"][0]
    constraint["history"].append(
        {"status": "blocked", "effective": "2025-08-01", "effective_estimated": False, "note": "a full block"}
    )
    constraint["citations"][0].update(page=3, page_end=4)
    diff = diff_snapshots(old, new)
    changes = {c["change"]: c for c in entry(diff, "modified", "constraint", "chip-controls")["changes"]}
    assert changes["history-added"] == {
        "change": "history-added",
        "field": "history",
        "status": "blocked",
        "effective": "2025-08-01",
        "note": "a full block",
    }
    assert (changes["citation-page"]["old"], changes["citation-page"]["new"]) == (None, [3, 4])
    text = diff_text(diff)
    assert "status reported: blocked from 2025-08-01 (a full block)" in text
    assert "page changed: [alpha]" in text and ": no page → pp. 3–4" in text


def test_an_old_snapshot_without_the_new_keys_is_still_diffable(
    pair: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    old, new = pair
    written_before = copy.deepcopy(old)
    for key in ("catalysts", "kill_criteria", "scenarios"):
        del written_before[key]
    del written_before["company"]["summary_written"]
    for item in (*written_before["points"], *written_before["constraints"]):
        for citation in item["citations"]:
            del citation["page"], citation["page_end"]
    for constraint in written_before["constraints"]:
        del constraint["history"]
    files = tmp_path / "before.json", tmp_path / "after.json", tmp_path / "same.json"
    files[0].write_text(dumps(written_before))
    files[1].write_text(dumps(new))
    files[2].write_text(dumps(old))
    # Against a snapshot of the same inputs: a field the old one never carried (pages, histories, the summary's
    # date) is not compared; a list it never carried reads as empty, as when the inputs had none.
    same = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[2]), "--format", "json"])
    assert same.exit_code == 1, same.output
    data = json.loads(same.output)
    assert (data["modified"], data["removed"]) == ([], [])
    assert {(e["kind"], e["id"]) for e in data["added"]} == {
        ("catalyst", "results-q3"),
        ("catalyst", "launch"),
        ("kill-criterion", "share-falls"),
    }
    assert data["scenarios"]["status"] == "added"
    changed = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[1]), "--format", "json"])
    assert changed.exit_code == 1, changed.output
    summary = entry(json.loads(changed.output), "modified", "company", "acme")["changes"][0]
    assert (summary["old_written"], summary["new_written"]) == (None, "2025-09-01")
    assert "summary (version of undated → 2025-09-01)" in CliRunner().invoke(cli, ["diff", *map(str, files[:2])]).output


def test_a_malformed_catalyst_in_a_snapshot_is_refused_with_its_place(
    pair: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    bad = copy.deepcopy(pair[1])
    bad["catalysts"][0]["status"] = 3
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = CliRunner().invoke(cli, ["diff", str(path), str(path)])
    assert result.exit_code == 2
    assert "catalysts[0].status: expected text (got 3)" in result.output


def test_the_html_diff_brief_shows_every_kind(pair: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path) -> None:
    import lxml.html

    write_project(tmp_path / "project", old_inputs())
    diff = diff_snapshots(*pair)
    assert has_differences(diff)
    tree = lxml.html.document_fromstring(diff_html(Project(tmp_path / "project"), diff, pair))
    text = " ".join(tree.text_content().split())
    assert "Analyst day" in tree.xpath("string(//section[@id='added'])")
    assert "New region launch" in tree.xpath("string(//section[@id='removed'])")
    rows = {r.xpath("string(td[1])"): [c.text_content() for c in r.xpath("td")[1:]] for r in tree.xpath("//tbody/tr")}
    assert rows["catalysts"] == ["1", "1", "1"] and rows["kill criteria"] == ["1", "0", "1"]
    summary = tree.xpath("//article[@id='company-acme']//li")[0]
    assert summary.xpath("string(.//del)") == "with cash-flow risk."
    assert "version of 2025-06-01 → 2025-09-01" in summary.text_content()
    figures = [
        [" ".join(c.text_content().split()) for c in r.xpath("td")]
        for r in tree.xpath("//section[@id='scenarios']//tr[td]")
    ]
    assert ["Probability-weighted value USD bn", "107.5", "92.5", "−15"] in figures
    assert ["Tilt", "upside", "downside", "!turned"] in figures
    assert ["~", "base", "50% (unchanged)", "110 → 90 (−20)"] in figures
    assert "Scenario tilt: Market value: upside → downside" in text
