"""Look-ahead: the thesis as of a date is the same whether or not later inputs exist.

A copy of the fixture gains a source published after the date, a point and a
constraint resting on it, a citation of it on an existing point, an
observation from it (dated before the date, to prove the source's date
rules), and a constraint that takes effect after the date. The desk's words
move on too: the summary, a point's title and body, a constraint's body and a
metric's description each gain a version written after the date, and a point
resting on early evidence is first held (``since``) after it. Rendered as of
the date, both give the same snapshot byte for byte, except for the hash of
the input files, which must differ, and the same HTML brief.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.builders import add_gamma, base_inputs, write_project
from thesis.commands.render import prepare, render
from thesis.diff.compare import diff_snapshots, has_differences
from thesis.errors import UsageError
from thesis.outputs.snapshot import dumps, snapshot
from thesis.project import Project
from thesis.render.brief import inputs_attachments, render_html

AS_OF = dt.date(2025, 9, 30)
LATER = "Gamma reports that Acme Cloud growth slowed to 12% in the fourth quarter.\n"
WRITTEN_LATER = "2025-11-16"  # the day after gamma appeared: these words may rest on it


def versions(before: str, after: str) -> list[dict[str, str]]:
    return [{"written": "2025-06-01", "text": before}, {"written": WRITTEN_LATER, "text": after}]


def with_later_inputs() -> dict[str, Any]:
    inputs = copy.deepcopy(base_inputs())
    add_gamma(inputs, title="Gamma quarterly", published="2025-11-15", retrieved="2025-11-16", reliability="A")
    later = {"source": "gamma", "quote": "Acme Cloud growth slowed to 12%", "credibility": 1}
    inputs["points"]["points"].append(
        {
            "id": "growth-slows",
            "stance": "bear",
            "title": "Cloud growth slows",
            "category": "cloud",
            "impact": 5,
            "body": "Growth fell to 12%.",
            "evidence": [dict(later)],
        }
    )
    inputs["points"]["points"][0]["evidence"].append(dict(later))  # a fresher, better citation on an existing point
    inputs["metrics"]["metrics"][0]["observations"].append(
        {"value": 12, "date": "2025-06-30", "source": "gamma", "quote": "slowed to 12%"}
    )
    company = inputs["company"]["company"]
    company["summary"] = versions(company["summary"], "Acme's cloud growth *slowed to 12%*; the lead is gone.")
    growth = inputs["points"]["points"][0]
    growth["title"] = [
        {"written": "2025-01-10", "text": growth["title"]},
        {"written": WRITTEN_LATER, "text": "Growth peaked"},
    ]
    growth["body"] = [
        {"written": "2025-01-10", "text": growth["body"]},
        {"written": WRITTEN_LATER, "text": "Down to 12%."},
    ]
    inputs["points"]["points"].append(
        {
            "id": "share-held-later",
            "stance": "bull",
            "title": "Share holds",
            "category": "cloud",
            "impact": 3,
            "body": "A third of the market, as the desk saw it in December.",
            "evidence": [{"source": "alpha", "quote": "a 30% share of the domestic cloud market", "credibility": 2}],
            "since": "2025-12-01",
        }
    )
    inputs["metrics"]["metrics"][0]["description"] = [
        {"written": WRITTEN_LATER, "text": "Share of the domestic market, which gamma says is slipping."}
    ]
    early = inputs["constraints"]["constraints"][0]
    early["body"] = [{"written": WRITTEN_LATER, "text": "Tightened after gamma's report."}]
    inputs["constraints"]["constraints"] += [
        {**copy.deepcopy(early), "id": "later-rule", "effective": "2025-12-01", "status": "blocked"},
        {**copy.deepcopy(early), "id": "gamma-rule", "effective": "2025-01-01", "evidence": [dict(later)]},
    ]
    return inputs


def projects(tmp_path: Path) -> tuple[Project, Project]:
    write_project(tmp_path / "plain")
    write_project(tmp_path / "later", with_later_inputs(), raw={"sources/gamma.txt": LATER})
    return Project(tmp_path / "plain"), Project(tmp_path / "later")


def without_hash(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if '"inputs_sha256"' not in line)


def test_nothing_published_after_the_date_leaks_into_the_snapshot(tmp_path: Path) -> None:
    plain, later = projects(tmp_path)
    render(plain, "acme", AS_OF, formats="html")
    render(later, "acme", AS_OF, formats="html")
    name = f"build/acme/{AS_OF.isoformat()}/acme-{AS_OF.isoformat()}.json"
    before, after = (plain.root / name).read_text(), (later.root / name).read_text()
    assert json.loads(before)["inputs_sha256"] != json.loads(after)["inputs_sha256"]  # the inputs do differ
    assert without_hash(before) == without_hash(after)
    assert not has_differences(diff_snapshots(json.loads(before), json.loads(after)))


def test_nothing_published_after_the_date_leaks_into_the_brief(tmp_path: Path) -> None:
    """The HTML brief too: what it says about its evidence (quotes checked) comes from the as-of view."""
    plain, later = projects(tmp_path)
    pages = []
    for project in (plain, later):
        brief = prepare(project, "acme", AS_OF).brief
        pages.append(render_html(project, brief).replace(brief.inputs_sha256[:16], "INPUTS"))
    assert pages[0] == pages[1]


def test_a_brief_before_any_written_text_shows_the_evidence_alone_and_says_so(tmp_path: Path) -> None:
    """Where no version of a text was written by the date, the brief says so instead of printing a later one."""
    inputs = with_later_inputs()
    company = inputs["company"]["company"]
    company["summary"] = [{"written": WRITTEN_LATER, "text": "Growth *slowed to 12%*."}]
    growth = inputs["points"]["points"][0]
    growth["body"] = [{"written": WRITTEN_LATER, "text": "Down to 12%."}]
    write_project(tmp_path, inputs, raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    brief = prepare(project, "acme", AS_OF).brief
    page = render_html(project, brief)
    assert "12%" not in page and "slowed" not in page
    assert "The desk had written no summary of this thesis by 30 September 2025" in page
    assert "No reasoning for this point had been written by 30 September 2025" in page
    data = snapshot(brief)
    assert data["company"]["summary"] is None
    assert next(p for p in data["points"] if p["id"] == "growth")["body"] is None


def test_a_date_before_any_evidence_is_refused(tmp_path: Path) -> None:
    """Nothing was known yet: no brief, rather than a neutral rating that reads like a call."""
    write_project(tmp_path)
    with pytest.raises(UsageError) as caught:
        prepare(Project(tmp_path), "acme", dt.date(2025, 1, 9))
    assert "before the earliest source of 'acme' (published 2025-01-10): nothing was known yet" in str(caught.value)
    assert prepare(Project(tmp_path), "acme", dt.date(2025, 1, 10)).brief.scorecard.items


def test_the_later_inputs_count_once_their_date_has_come(tmp_path: Path) -> None:
    """The control: the same additions are seen after their date, so the test above can fail."""
    plain, later = projects(tmp_path)
    as_of = dt.date(2025, 12, 31)
    before = snapshot(prepare(plain, "acme", as_of).brief)
    after = snapshot(prepare(later, "acme", as_of).brief)
    diff = diff_snapshots(json.loads(dumps(before)), json.loads(dumps(after)))
    assert {e["id"] for e in diff["added"]} == {"growth-slows", "later-rule", "gamma-rule", "gamma", "share-held-later"}
    growth = next(e for e in diff["modified"] if e["id"] == "growth")
    assert {c["change"] for c in growth["changes"]} == {"citation-added", "re-graded", "text"}
    assert after["company"]["summary"] == "Acme's cloud growth *slowed to 12%*; the lead is gone."
    assert next(p for p in after["points"] if p["id"] == "growth")["body"] == "Down to 12%."
    assert any(e["id"] == "cloud-share" for e in diff["modified"])


# Facts the Alibaba sources first print after 30 June 2025 (Outpost, Implicator, the blog and the
# research note), in the words the desk's later texts use for them.
LATER_ALIBABA_FACTS = (
    "will exceed",
    "spend beyond",
    "Qwen3-Max",
    "Apsara",
    "BMW",
    "T-Head",
    "H200",
    "Blackwell",
    "nine by",
    "eight by",
    "34%",
    "150 million",
    "600 million",
    "$53 billion",
    "Beijing",
    "free cash flow",
    "research note",
    "Implicator",
    "LMArena",
    "a third of",
)


def without_styles(page: str) -> str:
    return re.sub(r"<style[^>]*>.*?</style>", "", page, flags=re.DOTALL)


def test_the_alibaba_brief_before_the_later_sources_says_nothing_they_said(repo: Project) -> None:
    """As of 2025-06-30 only Wallstreetcn (7 May 2025) was published: no text may draw on the later four."""
    brief = prepare(repo, "alibaba", dt.date(2025, 6, 30)).brief
    assert [entry.source.id for entry in brief.bibliography] == ["wallstreetcn-qwen3"]
    page = without_styles(render_html(repo, brief))
    found = [fact for fact in LATER_ALIBABA_FACTS if fact.lower() in page.lower()]
    assert found == []
    assert brief.thesis.company.current_summary and "Wallstreetcn" not in brief.thesis.company.current_summary
    today = prepare(repo, "alibaba", dt.date(2026, 1, 31)).brief  # the control: the later texts are there
    later_page = without_styles(render_html(repo, today))
    assert [fact for fact in LATER_ALIBABA_FACTS if fact.lower() in later_page.lower()] != []
    assert "will exceed" in later_page


def test_nothing_published_after_the_date_leaks_into_the_pdf_s_attached_inputs(tmp_path: Path) -> None:
    """The inputs a PDF brief attaches are those as of its date: the same for both projects, byte for byte
    (built as the PDF builds them, without laying a PDF out), and loadable again."""
    attached = []
    for project in projects(tmp_path):
        prepared = prepare(project, "acme", AS_OF)
        attached.append({a.name: a.data for a in inputs_attachments(project, prepared.brief, prepared.loaded)})
    assert attached[0] == attached[1]
    text = attached[1][f"inputs/acme/thesis-as-of-{AS_OF.isoformat()}.yaml"].decode()
    for later in ("gamma", "12%", "slowed", "Growth peaked", WRITTEN_LATER, "share-held-later", "later-rule"):
        assert later not in text, later
    assert "Acme is a *cloud* leader" in text and "restricted" in text


def test_a_catalyst_tests_and_a_kill_criterion_watches_only_what_was_held_by_the_date(tmp_path: Path) -> None:
    """A catalyst naming a point first held later, or a kill criterion on a constraint first reported later,
    would print that item's id: as of the date the catalyst tests what was held, and the criterion waits."""
    inputs = with_later_inputs()
    inputs["catalysts"] = {
        "catalysts": [
            {
                "id": "q4",
                "title": "Q4 results",
                "kind": "earnings",
                "expected": "2026-02",
                "tests": ["growth", "growth-slows"],
            }
        ]
    }
    inputs["kill_criteria"] = {
        "kill_criteria": [
            {"id": "blocked", "title": "Chips blocked", "constraint": "later-rule", "status": ["blocked"]}
        ]
    }
    write_project(tmp_path, inputs, raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    brief = prepare(project, "acme", AS_OF).brief
    assert [c.tests for c in brief.thesis.catalysts] == [["growth"]]
    assert brief.thesis.kill_criteria == []
    page = render_html(project, brief)
    assert "growth-slows" not in page and "later-rule" not in page and "Chips blocked" not in page
    later = prepare(project, "acme", dt.date(2025, 12, 31)).brief
    assert [c.tests for c in later.thesis.catalysts] == [["growth", "growth-slows"]]
    assert [k.id for k in later.thesis.kill_criteria] == ["blocked"]


def test_the_score_over_time_names_no_change_reported_after_the_date(tmp_path: Path) -> None:
    """A status change that took effect before the date but was first reported after it, and a catalyst
    announced only later, are not events of the brief's timeline: it reads the inputs as known on its date."""
    inputs = with_later_inputs()
    later = {"source": "gamma", "quote": "Acme Cloud growth slowed to 12%"}
    inputs["constraints"]["constraints"][0]["changes"] = [
        {"status": "blocked", "date": "2025-06-15", "evidence": [later]}
    ]
    inputs["catalysts"] = {
        "catalysts": [
            {
                "id": "gamma-launch",
                "title": "Launch",
                "kind": "product-launch",
                "expected": "2025-03",
                "status": "happened",
                "outcome": "Launched.",
                "evidence": [later],
            }
        ]
    }
    write_project(tmp_path, inputs, raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    brief = prepare(project, "acme", AS_OF).brief
    events = [event.text for point in brief.history for event in point.events]
    assert events and not [text for text in events if "blocked" in text or "gamma" in text], events
    page = render_html(project, brief)
    assert "blocked (changed)" not in page and "gamma-launch" not in page
    afterwards = prepare(project, "acme", dt.date(2025, 12, 31)).brief  # the control: once reported, they are
    later_events = [event.text for point in afterwards.history for event in point.events]
    assert "Advanced chips: blocked (changed)" in later_events and "catalyst gamma-launch happened" in later_events
