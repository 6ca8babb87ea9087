"""`thesis diff`: what changed between two snapshots, as a reader and a program see it."""

from __future__ import annotations

import copy
import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import base_inputs, write_project
from tests.conftest import Rendered
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.diff.compare import Tolerance, diff_snapshots, has_differences
from thesis.outputs.snapshot import dumps, snapshot
from thesis.project import Project

AS_OF = dt.date(2025, 9, 30)


def snap(root: Path, as_of: dt.date = AS_OF) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(snapshot(prepare(Project(root), "acme", as_of).brief)))
    return data


def edited_inputs() -> dict[str, Any]:
    """The acme thesis after a quarter of news: every kind of change a diff must show."""
    inputs = copy.deepcopy(base_inputs())
    growth, burn = inputs["points"]["points"]
    growth["title"] = "Fastest cloud growth in the sector"
    growth["impact"] = 5
    growth["evidence"][0]["credibility"] = 1
    burn["stance"] = "bull"
    burn["evidence"].append({"source": "beta", "quote": "Analysts see the spending as too aggressive"})
    inputs["constraints"]["constraints"][0]["status"] = "approved"
    metric = inputs["metrics"]["metrics"][0]
    metric["unit"] = "pp"
    metric["observations"][0]["value"] = 31
    return inputs


@pytest.fixture
def pair(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    write_project(tmp_path / "old")
    write_project(tmp_path / "new", edited_inputs())
    return snap(tmp_path / "old"), snap(tmp_path / "new")


@pytest.fixture
def files(tmp_path: Path, pair: tuple[dict[str, Any], dict[str, Any]]) -> tuple[Path, Path]:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(dumps(pair[0]))
    new.write_text(dumps(pair[1]))
    return old, new


def changes_of(diff: dict[str, Any], item_id: str) -> dict[str, dict[str, Any]]:
    entry = next(e for e in diff["modified"] if e["id"] == item_id)
    return {f"{c['change']}:{c['field']}": c for c in entry["changes"]}


def test_a_snapshot_against_itself_has_no_differences(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[0]), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["added"], data["removed"], data["modified"], data["material"]) == ([], [], [], [])
    assert data["score"]["change"] == 0 and set(data["score"]["attribution"].values()) == {0.0}
    text = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[0])])
    assert text.exit_code == 0 and "No differences." in text.output


def test_every_kind_of_change_is_reported(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    diff = diff_snapshots(*pair)
    assert has_differences(diff)
    growth = changes_of(diff, "growth")
    assert growth["text:title"]["redline"] == [
        ["delete", "Fast"],
        ["insert", "Fastest"],
        ["equal", " cloud growth"],
        ["insert", " in the sector"],
    ]
    assert (growth["re-weighted:impact"]["old"], growth["re-weighted:impact"]["new"]) == (4, 5)
    assert (growth["re-graded:grade"]["old"], growth["re-graded:grade"]["new"]) == ("B2", "B1")
    burn = changes_of(diff, "cash-burn")
    assert (burn["stance-flipped:stance"]["old"], burn["stance-flipped:stance"]["new"]) == ("bear", "bull")
    assert burn["citation-added:citations"]["quote"] == "Analysts see the spending as too aggressive"
    status = changes_of(diff, "chip-controls")["status:status"]
    assert (status["old"], status["new"]) == ("restricted", "approved")
    metric = changes_of(diff, "cloud-share")
    assert (metric["unit-changed:unit"]["old"], metric["unit-changed:unit"]["new"]) == ("%", "pp")
    value = metric["value-changed:observations.value"]
    assert (value["old"], value["new"], value["delta"], value["percent"]) == (30.0, 31.0, 1.0, 3.333333)
    # Material changes lead: the constraint's transition and the flipped point.
    material = {(m["type"], m.get("id")) for m in diff["material"]}
    assert {("constraint-status", "chip-controls"), ("stance-flipped", "cash-burn")} <= material


def test_the_score_change_is_attributed_to_edits(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    diff = diff_snapshots(*pair)
    score = diff["score"]
    assert score["change"] == round(pair[1]["score"] - pair[0]["score"], 6) and score["change"] > 0
    assert sum(round(v * 10**6) for v in score["attribution"].values()) == round(score["change"] * 10**6)
    assert score["attribution"]["edits"] == score["change"]  # same date, same config, no items added or removed


def test_reversing_the_order_mirrors_the_diff(pair: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path) -> None:
    forward, backward = diff_snapshots(*pair), diff_snapshots(pair[1], pair[0])
    assert backward["score"]["change"] == -forward["score"]["change"]
    swap = {"added": "removed", "removed": "added"}
    for group, amount in forward["score"]["attribution"].items():
        assert backward["score"]["attribution"][swap.get(group, group)] == pytest.approx(-amount, abs=2e-6)
    assert [e["id"] for e in forward["modified"]] == [e["id"] for e in backward["modified"]]
    for ahead, behind in zip(forward["modified"], backward["modified"], strict=True):
        assert sorted(
            (c["change"], c["field"], str(c.get("old")), str(c.get("new"))) for c in ahead["changes"]
        ) == sorted(
            (
                {"citation-added": "citation-removed", "citation-removed": "citation-added"}.get(
                    c["change"], c["change"]
                ),
                c["field"],
                str(c.get("new")),
                str(c.get("old")),
            )
            for c in behind["changes"]
        )
    flip = {"delete": "insert", "insert": "delete", "equal": "equal"}
    title = changes_of(forward, "growth")["text:title"]["redline"]
    back = changes_of(backward, "growth")["text:title"]["redline"]
    assert sorted((flip[op], text) for op, text in title) == sorted((op, text) for op, text in back)


def test_added_removed_and_reworded_are_mirrors(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["id"] = "cloud-growth"  # renamed, same words
    inputs["points"]["points"][0]["body"] = "Revenue grew **40%** last year."
    write_project(tmp_path / "old")
    write_project(tmp_path / "new", inputs)
    old, new = snap(tmp_path / "old"), snap(tmp_path / "new")
    forward, backward = diff_snapshots(old, new), diff_snapshots(new, old)
    assert [e["id"] for e in forward["added"]] == ["cloud-growth"] == [e["id"] for e in backward["removed"]]
    assert [e["id"] for e in forward["removed"]] == ["growth"] == [e["id"] for e in backward["added"]]
    # Suggested, never merged: both stay listed as added and removed.
    assert forward["reworded"] == [{"kind": "point", "removed": "growth", "added": "cloud-growth", "similarity": 0.714}]
    assert backward["reworded"][0]["removed"] == "cloud-growth"


def test_metric_values_within_the_tolerance_are_unchanged(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["metrics"]["metrics"][0]["observations"][0]["value"] = 30.2
    write_project(tmp_path / "old")
    write_project(tmp_path / "new", inputs)
    old, new = snap(tmp_path / "old"), snap(tmp_path / "new")
    assert (
        changes_of(diff_snapshots(old, new), "cloud-share")["value-changed:observations.value"]["percent"] == 0.666667
    )
    assert diff_snapshots(old, new, Tolerance(rel_tol=0.01))["modified"] == []
    assert diff_snapshots(old, new, Tolerance(abs_tol=0.5))["modified"] == []
    assert diff_snapshots(old, new, Tolerance(abs_tol=0.1))["modified"] != []


def test_a_changed_period_is_flagged_not_split(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["metrics"]["metrics"][0]["observations"][0]["period"] = "FY2024"
    write_project(tmp_path / "old")
    write_project(tmp_path / "new", inputs)
    changes = changes_of(diff_snapshots(snap(tmp_path / "old"), snap(tmp_path / "new")), "cloud-share")
    assert list(changes) == ["period-changed:observations.period"]
    assert (
        changes["period-changed:observations.period"]["old"],
        changes["period-changed:observations.period"]["new"],
    ) == (
        "2024",
        "FY2024",
    )


def test_no_color_marks_words_as_wdiff_does(files: tuple[Path, Path]) -> None:
    result = CliRunner(env={"NO_COLOR": "1"}).invoke(cli, ["diff", str(files[0]), str(files[1])])
    assert result.exit_code == 1
    assert "title: [-Fast-]{+Fastest+} cloud growth {+in the sector+}" in result.output
    assert "\x1b[" not in result.output
    lines = result.output.splitlines()
    # Material changes come before the counts, the counts before the details.
    assert (
        lines.index("Material changes")
        < next(i for i, line in enumerate(lines) if line.startswith("Counts"))
        < lines.index("Modified")
    )
    assert "  ! Constraint status: Advanced chips: restricted \u2192 approved" in lines


def test_colour_is_used_when_asked(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[1]), "--color"])
    assert result.exit_code == 1
    assert "\x1b[31m\x1b[9mFast\x1b[0m" in result.output  # red and struck through: colour is not the only cue
    assert "[-Fast-]" not in result.output


def test_json_has_the_public_shape(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[1]), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data["score"]) == {"old", "new", "change", "attribution"}
    assert set(data["score"]["attribution"]) == {"added", "removed", "edits", "time_decay", "configuration"}
    assert {"added", "removed", "modified"} <= set(data)
    assert data["rating"] == {"old": "Neutral", "new": data["rating"]["new"], "changed": True, "direction": "up"}


def test_two_dates_of_a_company_are_computed_from_the_inputs(in_project: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "acme", "2025-03-01", "2025-09-30", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert [e["id"] for e in data["added"]] == ["cash-burn", "beta"]  # the bear point arrives with its source
    assert data["score"]["attribution"]["added"] < 0
    assert not (in_project / "build").exists()  # nothing written


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nope", "2025-03-01", "2025-09-30"], "unknown company 'nope'"),
        (["acme", "2025-03-01", "30/09/2025"], "'30/09/2025' is not a date"),
        (["acme", "2025-03-01", "2999-01-01"], "is in the future"),
        (["missing.json", "other.json"], "cannot read missing.json"),
        (["acme"], "expected COMPANY DATE_A DATE_B or two files, got 1"),
        (["acme", "2025-03-01", "2025-09-30", "--out", "x.txt"], "--out is for --format html or pdf, not text"),
    ],
)
def test_trouble_exits_2_with_a_message(in_project: Path, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["diff", *arguments])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.json:1: not valid JSON"),
        ('{"as_of": "2025-01-01"}', "is not a thesis snapshot (no schema_version)"),
        ('{"schema_version": 99}', "has schema_version 99; this version of thesis reads up to 1"),
        ('{"schema_version": 1, "as_of": "2025-01-01"}', "missing score, rating, points, metrics, constraints"),
        (
            '{"schema_version": 1, "as_of": "2025-01-01", "score": 1, "rating": "Buy", "points": [{"title": "x"}],'
            ' "metrics": [], "constraints": []}',
            "points[0] is not an item with an id",
        ),
        (
            '{"schema_version": 1, "as_of": "2025-01-01", "score": 1, "rating": "Buy", "points": [{"id": "x"}],'
            ' "metrics": [], "constraints": []}',
            "points[0] (x) lacks its score fields",
        ),
    ],
)
def test_a_bad_snapshot_file_exits_2(tmp_path: Path, files: tuple[Path, Path], content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = CliRunner().invoke(cli, ["diff", str(bad), str(files[1])])
    assert result.exit_code == 2 and message in result.output, result.output


def test_snapshots_of_two_companies_are_not_compared(tmp_path: Path, files: tuple[Path, Path]) -> None:
    other = json.loads(files[1].read_text())
    other["company"]["id"] = "globex"
    (tmp_path / "globex.json").write_text(json.dumps(other))
    result = CliRunner().invoke(cli, ["diff", str(files[0]), str(tmp_path / "globex.json")])
    assert result.exit_code == 2 and "is a snapshot of 'acme' but" in result.output and "'globex'" in result.output


def test_a_pdf_without_a_snapshot_exits_2(tmp_path: Path, files: tuple[Path, Path]) -> None:
    from pypdf import PdfWriter

    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with plain.open("wb") as handle:
        writer.write(handle)
    result = CliRunner().invoke(cli, ["diff", str(plain), str(files[1])])
    assert result.exit_code == 2 and "plain.pdf has no snapshot attached" in result.output


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids |= {str(v) for k, v in attrs if k == "id"}

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_diff_brief_leads_with_what_matters(in_project: Path, files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[1]), "--format", "html"])
    assert result.exit_code == 1, result.output
    path = in_project / "build/acme/diff-2025-09-30-2025-09-30.html"
    assert f"wrote {path.relative_to(in_project)}" in result.output or f"wrote {path}" in result.output
    html = path.read_text()
    page = Page()
    page.feed(html)
    assert "script" not in page.tags
    assert {"material", "attribution", "counts", "modified", "method"} <= page.ids
    assert html.index('id="material"') < html.index('id="counts"') < html.index('id="modified"')
    assert "<del>Fast</del><ins>Fastest</ins> cloud growth<ins> in the sector</ins>" in html
    text = " ".join(" ".join(page.text).split())
    assert "Constraint status: Advanced chips: restricted → approved" in text
    again = CliRunner().invoke(cli, ["diff", str(files[0]), str(files[1]), "--format", "html"])
    assert again.exit_code == 1 and path.read_text() == html  # deterministic


def test_pdf_briefs_are_compared_through_their_attached_snapshots(
    tmp_path: Path, rendered_acme: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    in_project = rendered_acme.copy_to(tmp_path / "project")  # rendered as of 2025-09-30 already
    monkeypatch.chdir(in_project)
    rendered = CliRunner().invoke(cli, ["render", "acme", "--as-of", "2025-03-01", "--format", "pdf"])
    assert rendered.exit_code == 0, rendered.output
    old, new = (in_project / f"build/acme/{d}/acme-{d}.pdf" for d in ("2025-03-01", "2025-09-30"))
    from_pdfs = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json"])
    from_json = CliRunner().invoke(
        cli, ["diff", str(old.with_suffix(".json")), str(new.with_suffix(".json")), "--format", "json"]
    )
    assert from_pdfs.exit_code == 1 and from_pdfs.output == from_json.output
    out = in_project / "what-changed.pdf"
    brief = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "pdf", "--out", str(out)])
    assert brief.exit_code == 1 and f"wrote {out}" in brief.output
    reader = PdfReader(out)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "What changed" in text and "Material changes" in text and "Why the score moved" in text
    attached = reader.attachments["acme-diff-2025-03-01-2025-09-30.json"][0]
    assert json.loads(attached) == json.loads(from_pdfs.output)
