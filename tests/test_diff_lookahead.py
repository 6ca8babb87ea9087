"""Look-ahead: the thesis as of a date is the same whether or not later inputs exist.

A copy of the fixture gains a source published after the date, a point and a
constraint resting on it, a citation of it on an existing point, an
observation from it (dated before the date, to prove the source's date
rules), and a constraint that takes effect after the date. Rendered as of the
date, both give the same snapshot byte for byte, except for the hash of the
input files, which must differ.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.builders import base_inputs, write_project
from thesis.commands.render import prepare, render
from thesis.diff.compare import diff_snapshots, has_differences
from thesis.outputs.snapshot import dumps, snapshot
from thesis.project import Project
from thesis.render.brief import render_html

AS_OF = dt.date(2025, 9, 30)
LATER = "Gamma reports that Acme Cloud growth slowed to 12% in the fourth quarter.\n"


def with_later_inputs() -> dict[str, Any]:
    inputs = copy.deepcopy(base_inputs())
    inputs["sources"]["sources"].append(
        {
            "id": "gamma",
            "title": "Gamma quarterly",
            "published": "2025-11-15",
            "retrieved": "2025-11-16",
            "file": "sources/gamma.txt",
            "reliability": "A",
        }
    )
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
    early = inputs["constraints"]["constraints"][0]
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


def test_the_later_inputs_count_once_their_date_has_come(tmp_path: Path) -> None:
    """The control: the same additions are seen after their date, so the test above can fail."""
    plain, later = projects(tmp_path)
    as_of = dt.date(2025, 12, 31)
    before = snapshot(prepare(plain, "acme", as_of).brief)
    after = snapshot(prepare(later, "acme", as_of).brief)
    diff = diff_snapshots(json.loads(dumps(before)), json.loads(dumps(after)))
    assert {e["id"] for e in diff["added"]} == {"growth-slows", "later-rule", "gamma-rule", "gamma"}
    growth = next(e for e in diff["modified"] if e["id"] == "growth")
    assert {c["change"] for c in growth["changes"]} == {"citation-added", "re-graded"}
    assert any(e["id"] == "cloud-share" for e in diff["modified"])
