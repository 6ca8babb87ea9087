from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from tests.conftest import Rendered
from thesis.commands.render import prepare
from thesis.errors import InputError
from thesis.project import Project
from thesis.render.brief import render_html

AS_OF = dt.date(2025, 9, 30)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if tag == "script":
            self.scripts += 1


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_every_citation_resolves_to_a_bibliography_entry(project: Project) -> None:
    html = render_html(project, prepare(project, "acme", AS_OF).brief)
    links = parse(html)
    cites = [h for h in links.hrefs if h.startswith("#source-")]
    assert len(cites) >= 4
    for href in cites:
        assert href[1:] in links.ids
    assert "Fast cloud growth" in html and "Acme Cloud grew revenue 40% in 2024" in html
    assert html.count('class="check ok"') == 3  # two points and one constraint; metrics flag only misses


def test_a_broken_quote_is_flagged(tmp_path: Path, project: Project) -> None:
    points = project.inputs_dir / "acme" / "points.yaml"
    points.write_text(points.read_text().replace("grew revenue 40%", "grew revenue 45%"))
    prepared = prepare(project, "acme", AS_OF)
    assert [p.path for p in prepared.verification.problems] == ["points[0].evidence[0].quote"]
    html = render_html(project, prepared.brief)
    assert html.count("not verified") >= 1


def test_render_writes_html_pdf_and_json(rendered_acme: Rendered) -> None:
    folder = rendered_acme.folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "acme-2025-09-30.html",
        "acme-2025-09-30.json",
        "acme-2025-09-30.pdf",
    ]
    data = json.loads((folder / "acme-2025-09-30.json").read_text())
    assert data["as_of"] == "2025-09-30" and data["rating"] == rendered_acme.rating
    assert {"id", "stance", "title", "contribution", "citations"} <= set(data["points"][0])
    assert {p["id"] for p in data["points"]} == {"growth", "cash-burn"}
    reader = pypdf.PdfReader(folder / "acme-2025-09-30.pdf")
    meta = reader.metadata
    assert meta is not None and meta.title == "Acme: investment thesis as of 2025-09-30"
    assert meta.author == "Test desk"
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Acme Holdings" in text and "30 September 2025" in text and rendered_acme.rating in text


def test_as_of_drops_later_evidence(project: Project) -> None:
    early = prepare(project, "acme", dt.date(2025, 3, 1)).brief
    assert [v.point.id for v in early.bull] == ["growth"]
    assert early.bear == ()  # beta (c. 2025-06-01) was not yet published
    assert [b.source.id for b in early.bibliography] == ["alpha"]


def test_prepare_judges_future_dates_against_the_today_it_is_given(project: Project) -> None:
    """A source published after the day the brief is prepared on is refused, not silently used."""
    day = dt.date(2025, 3, 1)  # after alpha (2025-01-10), before beta's estimated 2025-06-01
    with pytest.raises(InputError) as caught:
        prepare(project, "acme", day, today=day)
    assert [p.path for p in caught.value.problems] == ["sources[1].published", "sources[1].retrieved"]
    assert "estimated publication date 2025-06-01 is in the future" in caught.value.problems[0].message
    assert prepare(project, "acme", day, today=dt.date(2025, 9, 30)).brief.as_of == day


def test_the_template_reads_a_finished_context_and_starts_no_stress_test(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Charts, sensitivity and confidence are computed before brief.html.j2 renders; the template only reads them."""
    import dataclasses

    import thesis.scoring.sensitivity
    from thesis.render.brief import brief_page
    from thesis.render.environment import render_template

    brief = prepare(project, "acme", AS_OF).brief
    page = brief_page(brief)

    def no_stress_tests(*args: object, **kwargs: object) -> None:
        raise AssertionError("the template started the stress tests")

    monkeypatch.setattr(thesis.scoring.sensitivity, "analyse", no_stress_tests)
    untouched = dataclasses.replace(brief)  # the same brief with nothing computed yet
    html = render_template(project.templates_dirs, "brief.html.j2", {**page.context(), "brief": untouched})
    assert "What each knob does to the score" in html


def test_the_view_model_does_not_import_the_renderer() -> None:
    """No brief ↔ charts cycle: building a brief needs nothing from thesis.render."""
    import subprocess
    import sys

    code = "import sys, thesis.brief.view; print(sorted(m for m in sys.modules if m.startswith('thesis.render')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
