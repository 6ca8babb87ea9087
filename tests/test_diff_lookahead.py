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
from thesis.diff.output import diff_html, diff_text
from thesis.errors import UsageError
from thesis.inputs.loader import load_texts
from thesis.outputs.snapshot import dumps, snapshot
from thesis.project import Project
from thesis.render.brief import inputs_attachments, render_html
from thesis.scoring.asof import inputs_as_of

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


def with_later_catalyst_and_criterion_words() -> dict[str, Any]:
    """The later inputs, with catalysts and kill criteria whose words move on after the date too: a
    catalyst's title and timing, and a kill criterion's title, reworded after it; an outcome rewritten after
    it; a catalyst and a criterion first named after it; a catalyst resolved after it, and an undated one
    reported resolved only after it; and scenarios, with their cases' descriptions, set after it."""
    inputs = with_later_inputs()
    early = {"source": "alpha", "quote": "Acme Cloud grew revenue 40% in 2024"}
    inputs["catalysts"] = {
        "catalysts": [
            {
                "id": "q3",
                "title": versions("Third-quarter results", "Third-quarter results, delayed by the audit"),
                "kind": "earnings",
                "expected": "2025-12",
                "timing": versions("guided for the autumn", "slipped to December after the November call"),
                "tests": ["growth"],
                "evidence": [early],
            },
            {
                "id": "region",
                "title": "New region opens",
                "kind": "expansion",
                "expected": "2025-08-01",
                "status": "happened",
                "outcome": [
                    {"written": "2025-08-02", "text": "Opened on time."},
                    {"written": WRITTEN_LATER, "text": "Opened, then closed after gamma's report."},
                ],
                "tests": ["growth"],
            },
            {
                "id": "licence-ruling",
                "title": "Licence ruling",
                "kind": "regulatory-decision",
                "expected": "2025-03",
                "status": "happened",
                "resolved": "2025-10-15",
                "outcome": "Licences refused in October.",
                "tests": ["chip-controls"],
            },
            {
                "id": "second-region",
                "title": "Second region opens",
                "kind": "expansion",
                "timing": "the sources give no date",
                "status": "happened",
                "outcome": "The second region is open, gamma reports.",
                "evidence": [dict(early), {"source": "gamma", "quote": "Acme Cloud growth slowed to 12%"}],
            },
            {
                "id": "audit",
                "title": [{"written": WRITTEN_LATER, "text": "Audit opinion"}],
                "kind": "other",
                "timing": "the sources give no date",
            },
        ]
    }
    inputs["kill_criteria"] = {
        "kill_criteria": [
            {
                "id": "chips-blocked",
                "title": versions("Advanced chips blocked", "Advanced chips blocked, as gamma now expects"),
                "constraint": "chip-controls",
                "status": ["blocked"],
            },
            {
                "id": "share-lost",
                "title": [{"written": WRITTEN_LATER, "text": "Cloud share below a fifth"}],
                "metric": "cloud-share",
                "below": 20,
            },
        ]
    }
    inputs["scenarios"] = {
        "scenarios": {
            "metric": "Market value",
            "unit": "USD bn",
            "current": 100,
            "date": WRITTEN_LATER,
            "cases": [
                {"name": "bear", "probability": 0.5, "value": 60, "description": "Growth stalls at 12%."},
                {"name": "bull", "probability": 0.5, "value": 150, "description": "Growth rebounds from 12%."},
            ],
        }
    }
    return inputs


EARLY_WORDS = ("Third-quarter results", "guided for the autumn", "Opened on time.", "Advanced chips blocked")
LATER_WORDS = (
    "delayed by the audit",
    "slipped to December",
    "then closed",
    "Licences refused",
    "second region is open",
    "Audit opinion",
    "gamma now expects",
    "Cloud share below a fifth",
    "Growth stalls",
    "Market value",
    WRITTEN_LATER,
)


def test_a_catalyst_s_and_a_kill_criterion_s_words_are_those_written_by_the_date(tmp_path: Path) -> None:
    """The brief, its snapshot and the inputs it attaches quote the catalyst titles and timings, the outcomes
    and the kill criterion titles written by the date; one resolved later is upcoming with no outcome, one
    first named later is not there, and nor are scenarios set later."""
    write_project(tmp_path, with_later_catalyst_and_criterion_words(), raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    prepared = prepare(project, "acme", AS_OF)
    brief = prepared.brief
    page = without_styles(render_html(project, brief))
    attached = {a.name: a.data for a in inputs_attachments(project, brief, prepared.loaded)}
    inputs = attached[f"inputs/acme/thesis-as-of-{AS_OF.isoformat()}.yaml"].decode()
    data = snapshot(brief)
    shown = dumps(data)
    for text in (page, shown, inputs):
        assert [words for words in EARLY_WORDS if words not in text] == []
        assert [words for words in LATER_WORDS if words in text] == []
    catalysts = {c["id"]: c for c in data["catalysts"]}
    assert set(catalysts) == {"q3", "region", "licence-ruling", "second-region"}
    assert (catalysts["q3"]["title"], catalysts["q3"]["title_written"]) == ("Third-quarter results", "2025-06-01")
    assert (catalysts["q3"]["timing"], catalysts["q3"]["timing_written"]) == ("guided for the autumn", "2025-06-01")
    assert (catalysts["region"]["outcome"], catalysts["region"]["outcome_written"]) == ("Opened on time.", "2025-08-02")
    ruling = catalysts["licence-ruling"]
    assert (ruling["status"], ruling["outcome"], ruling["resolved"]) == ("upcoming", None, None)
    undated = catalysts["second-region"]  # no source dates it: resolved once gamma, reporting it, is out
    assert (undated["status"], undated["outcome"], len(undated["citations"])) == ("upcoming", None, 1)
    (criterion,) = data["kill_criteria"]
    assert (criterion["title"], criterion["title_written"]) == ("Advanced chips blocked", "2025-06-01")
    assert data["scenarios"] is None


def test_the_later_catalyst_and_criterion_words_show_once_written_and_the_diff_says_when(tmp_path: Path) -> None:
    """The control, so that the test above can fail: as of a later day the later words are there, and the
    diff of the two briefs names the day each side's version was written."""
    write_project(tmp_path, with_later_catalyst_and_criterion_words(), raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    old = snapshot(prepare(project, "acme", AS_OF).brief, stress_tests=False)
    later = prepare(project, "acme", dt.date(2025, 12, 31)).brief
    page = without_styles(render_html(project, later))
    assert [words for words in LATER_WORDS[:-1] if words not in page] == []
    new = snapshot(later, stress_tests=False)
    diff = diff_snapshots(json.loads(dumps(old)), json.loads(dumps(new)))
    assert {e["id"] for e in diff["added"] if e["kind"] in ("catalyst", "kill-criterion")} == {"audit", "share-lost"}
    q3 = next(e for e in diff["modified"] if e["id"] == "q3")
    texts = {c["field"]: c for c in q3["changes"] if c["change"] == "text"}
    assert {f: (c["old_written"], c["new_written"]) for f, c in texts.items()} == {
        "title": ("2025-06-01", WRITTEN_LATER),
        "timing": ("2025-06-01", WRITTEN_LATER),
    }
    blocked = next(e for e in diff["modified"] if e["id"] == "chips-blocked")
    (title,) = [c for c in blocked["changes"] if c["change"] == "text" and c["field"] == "title"]
    assert (title["old"], title["new"]) == ("Advanced chips blocked", "Advanced chips blocked, as gamma now expects")


def test_a_catalyst_resolved_before_its_outcome_was_written_says_so(tmp_path: Path) -> None:
    """On the day it happened the desk had written no outcome: the brief says so rather than print a later one,
    and the inputs it attaches hold none ([]) and load again."""
    write_project(tmp_path, with_later_catalyst_and_criterion_words(), raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    prepared = prepare(project, "acme", dt.date(2025, 8, 1))
    region = next(c for c in prepared.brief.thesis.catalysts if c.id == "region")
    assert (region.status, region.outcome, region.current_outcome) == ("happened", [], None)
    page = without_styles(render_html(project, prepared.brief))
    assert "the desk had written none by 1 August 2025" in page and "Opened" not in page
    shown = {c["id"]: c for c in snapshot(prepared.brief, stress_tests=False)["catalysts"]}
    assert (shown["region"]["outcome"], shown["region"]["outcome_written"]) == (None, None)


def with_later_notes() -> dict[str, Any]:
    """The later inputs, with notes reworded after the date: an observation's note, a status change's note
    and a scenario case's description, each with a version written before it and one after; and a case
    whose only description was written after it."""
    inputs = with_later_inputs()
    (observation, _) = inputs["metrics"]["metrics"][0]["observations"]
    observation["note"] = versions("approximate", "disagrees with gamma's 12%; probably a misprint")
    chips = inputs["constraints"]["constraints"][0]
    chips["changes"] = [
        {
            "status": "blocked",
            "date": "2025-03-01",
            "evidence": [{"source": "alpha", "quote": "could cap its access to advanced chips"}],
            "note": versions("blocked on the March ruling", "blocked for good, as gamma now reports"),
        }
    ]
    inputs["scenarios"] = {
        "scenarios": {
            "metric": "Market value",
            "unit": "USD bn",
            "current": 100,
            "date": "2025-05-01",
            "cases": [
                {
                    "name": "bear",
                    "probability": 0.5,
                    "value": 60,
                    "description": versions("Growth stalls", "Growth stalls, as gamma reports"),
                },
                {
                    "name": "bull",
                    "probability": 0.5,
                    "value": 150,
                    "description": [{"written": WRITTEN_LATER, "text": "Growth rebounds past the gamma figure"}],
                },
            ],
        }
    }
    return inputs


EARLY_NOTES = ("approximate", "blocked on the March ruling", "Growth stalls")
LATER_NOTES = ("probably a misprint", "blocked for good", "as gamma reports", "rebounds past", WRITTEN_LATER)


def test_a_note_is_the_one_written_by_the_date(tmp_path: Path) -> None:
    """The brief, its snapshot and the inputs it attaches quote an observation's note, a status change's note
    and a scenario case's description as written by the date; a case described only later has no description."""
    write_project(tmp_path, with_later_notes(), raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    prepared = prepare(project, "acme", AS_OF)
    page = without_styles(render_html(project, prepared.brief))
    attached = {a.name: a.data for a in inputs_attachments(project, prepared.brief, prepared.loaded)}
    inputs = attached[f"inputs/acme/thesis-as-of-{AS_OF.isoformat()}.yaml"].decode()
    data = snapshot(prepared.brief, stress_tests=False)
    for text in (page, dumps(data), inputs):
        assert [words for words in EARLY_NOTES if words not in text] == []
        assert [words for words in LATER_NOTES if words in text] == []
    (observation,) = data["metrics"][0]["observations"]
    assert (observation["note"], observation["note_written"]) == ("approximate", "2025-06-01")
    history = data["constraints"][0]["history"]
    assert [(e["status"], e["note"], e["note_written"]) for e in history] == [
        ("restricted", None, None),
        ("blocked", "blocked on the March ruling", "2025-06-01"),
    ]
    cases = {c["name"]: (c["description"], c["description_written"]) for c in data["scenarios"]["cases"]}
    assert cases == {"bear": ("Growth stalls", "2025-06-01"), "bull": (None, None)}
    assert "blocked from 2025-03-01 (blocked on the March ruling)" in page
    again = load_texts({"inputs.yaml": inputs}, tmp_path / "inputs" / "acme", AS_OF).thesis
    known = inputs_as_of(prepared.loaded.thesis, AS_OF)  # the attachment adds the scoring in force
    assert (again.metrics, again.constraints, again.scenarios) == (known.metrics, known.constraints, known.scenarios)


def test_a_later_note_shows_once_written_and_the_diff_says_when(tmp_path: Path) -> None:
    """The control, so that the test above can fail: as of a later day the later notes are there, and the diff
    names the observation or status each note belongs to and the day each side's version was written."""
    write_project(tmp_path, with_later_notes(), raw={"sources/gamma.txt": LATER})
    project = Project(tmp_path)
    old = snapshot(prepare(project, "acme", AS_OF).brief, stress_tests=False)
    later = prepare(project, "acme", dt.date(2025, 12, 31)).brief
    page = without_styles(render_html(project, later))
    assert [words for words in LATER_NOTES[:-1] if words not in page] == []
    sides = json.loads(dumps(old)), json.loads(dumps(snapshot(later, stress_tests=False)))
    diff = diff_snapshots(*sides)
    changes = [c for e in diff["modified"] for c in e["changes"] if c["change"] == "text"]
    notes = {
        (c["field"], c.get("entry")): (c["old_written"], c["new_written"]) for c in changes if "note" in c["field"]
    }
    assert notes == {
        ("observations.note", "2024 [alpha]"): ("2025-06-01", WRITTEN_LATER),
        ("history.note", "blocked from 2025-03-01"): ("2025-06-01", WRITTEN_LATER),
    }
    assert diff["scenarios"] is not None
    described = {row["name"]: row["changes"] for row in diff["scenarios"]["cases"]}
    (bear,) = described["bear"]
    assert (bear["old"], bear["new"], bear.get("old_written"), bear.get("new_written")) == (
        "Growth stalls",
        "Growth stalls, as gamma reports",
        "2025-06-01",
        WRITTEN_LATER,
    )
    assert "observations.note 2024 [alpha] (version of 2025-06-01 → 2025-11-16)" in diff_text(diff)
    assert "history.note blocked from 2025-03-01 <small" in diff_html(project, diff, sides)
