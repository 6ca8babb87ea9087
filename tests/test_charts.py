"""Charts: vector SVG inline in the HTML and the PDF, byte-identical run to run, readable without colour."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf

from tests.builders import base_inputs, write_project
from thesis.commands.render import prepare, render
from thesis.project import Project
from thesis.render.brief import brief_page, render_html

AS_OF = dt.date(2025, 9, 30)


def project_with_charts(root: Path) -> Project:
    """Acme with a second, disagreeing observation of its metric and a scenarios block."""
    inputs = base_inputs()
    observations = inputs["metrics"]["metrics"][0]["observations"]
    observations.append({"value": 25, "period": "2024", "source": "alpha", "quote": "Acme Cloud grew revenue 40%"})
    inputs["scenarios"] = {
        "scenarios": {
            "metric": "Market value",
            "unit": "USD bn",
            "current": 100,
            "cases": [
                {"name": "bull", "probability": 0.3, "value": 140, "description": "Cloud keeps growing."},
                {"name": "base", "probability": 0.5, "value": 100, "description": "No change."},
                {"name": "bear", "probability": 0.2, "value": 60, "description": "Cash burn bites."},
            ],
        }
    }
    write_project(root, inputs)
    return Project(root)


class Figures(HTMLParser):
    """Each <figure class="chart">: its id, how many <svg> it holds, and its caption text."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, object]] = {}
        self._current: str | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "figure" and values.get("class") == "chart":
            self._current = str(values["id"])
            self.figures[self._current] = {"svg": 0, "caption": "", "patterns": 0}
        elif self._current and tag == "svg":
            self.figures[self._current]["svg"] = int(self.figures[self._current]["svg"]) + 1  # type: ignore[call-overload]
        elif self._current and tag == "pattern":
            self.figures[self._current]["patterns"] = int(self.figures[self._current]["patterns"]) + 1  # type: ignore[call-overload]
        elif self._current and tag == "figcaption":
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._current = None
        if tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._current and self._in_caption:
            self.figures[self._current]["caption"] = str(self.figures[self._current]["caption"]) + data


def test_the_brief_shows_each_chart_inline_with_a_source_line(tmp_path: Path) -> None:
    project = project_with_charts(tmp_path)
    html = render_html(project, prepare(project, "acme", AS_OF).brief)
    parser = Figures()
    parser.feed(html)
    figures = parser.figures
    assert set(figures) == {
        "chart-waterfall",
        "chart-tornado",
        "chart-scenarios",
        "chart-metric-cloud-share",
        "chart-timeline",
    }
    for name, figure in figures.items():
        assert figure["svg"] == 1, name
        assert "Source" in str(figure["caption"]), name
    # the sides differ by hatching as well as colour
    assert int(figures["chart-waterfall"]["patterns"]) >= 2  # type: ignore[call-overload]
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    assert "sources differ" in html  # 30% and 25% for the same period are joined and labelled


def test_a_metric_with_one_observation_has_no_chart(project: Project) -> None:
    charts = brief_page(prepare(project, "acme", AS_OF).brief).charts
    assert charts.metrics == {} and charts.scenarios is None


def test_chart_svg_is_byte_identical_run_to_run(tmp_path: Path) -> None:
    project = project_with_charts(tmp_path)
    first = brief_page(prepare(project, "acme", AS_OF).brief).charts
    second = brief_page(prepare(project, "acme", AS_OF).brief).charts
    assert first == second
    assert str(first.waterfall.svg).startswith("<svg")
    assert "<dc:date>" not in str(first.waterfall.svg)


def test_the_pdf_draws_the_charts_as_vectors_not_images(tmp_path: Path) -> None:
    project = project_with_charts(tmp_path)
    render(project, "acme", AS_OF, formats="pdf")
    reader = pypdf.PdfReader(tmp_path / "build" / "acme" / "2025-09-30" / "acme-2025-09-30.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "From neutral to the score" in text and "What each knob does to the score" in text
    # the chart's own labels are text in the PDF (pypdf drops the spaces inside SVG text runs)
    assert "Score(neutral=0,range±100)" in text.replace(" ", "")
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for name in xobjects:
            assert xobjects[name].get_object().get("/Subtype") != "/Image", name


def test_metric_charts_place_each_figure_at_its_period_and_join_a_source_into_a_line(tmp_path: Path) -> None:
    inputs = base_inputs()
    quote = "a 30% share of the domestic cloud market"
    inputs["metrics"]["metrics"][0]["observations"] = [
        {"value": 30, "period": "2024", "source": "alpha", "quote": quote},
        {"value": 20, "period": "2023", "source": "alpha", "quote": quote},
        {"value": 35, "period": "FY2026E", "source": "alpha", "quote": quote},
        {"value": 28, "period": "Q3 2024", "source": "beta", "quote": "free cash flow turned negative"},
    ]
    write_project(tmp_path, inputs)
    brief = prepare(Project(tmp_path), "acme", AS_OF).brief
    (view,) = brief.metrics
    placed = {o.observation.period: (o.placed, o.estimate) for o in view.observations}
    # each figure at the middle of its period, not at its source's publication date (2025-01-10 for alpha)
    assert placed == {
        "2023": (dt.date(2023, 7, 2), False),
        "2024": (dt.date(2024, 7, 1), False),
        "Q3 2024": (dt.date(2024, 8, 15), False),
        "FY2026E": (dt.date(2026, 7, 2), True),
    }
    assert [o.observation.period for o in view.observations] == ["2023", "2024", "Q3 2024", "FY2026E"]
    svg = str(brief_page(brief).charts.metrics["cloud-share"].svg)
    circles = [float(c) for c in re.findall(r'<circle cx="([\d.]+)"[^>]*fill="#1d2329"', svg)]
    assert len(circles) == 4  # alpha's three marks, then its legend entry
    assert circles[:3] == sorted(circles[:3])  # left to right in time
    series = re.findall(r'<path d="([^"]*)" fill="none" stroke="#5b6670" stroke-width="0.9"([^>]*)/>', svg)
    # 2023 → 2024 solid, 2024 → FY2026E dashed (an estimate): one segment each
    assert [(d.count("M"), "stroke-dasharray" in rest) for d, rest in series] == [(1, False), (1, True)]
    assert "estimate (E)" in svg and "FY2026E" in svg


def test_a_label_without_a_period_falls_back_to_the_date_then_the_source(tmp_path: Path) -> None:
    inputs = base_inputs()
    quote = "a 30% share of the domestic cloud market"
    inputs["metrics"]["metrics"][0]["observations"] = [
        {"value": 30, "period": "latest quarter", "source": "alpha", "quote": quote},
        {"value": 31, "period": "at launch", "date": "2024-11-20", "source": "alpha", "quote": quote},
    ]
    write_project(tmp_path, inputs)
    brief = prepare(Project(tmp_path), "acme", AS_OF).brief
    (view,) = brief.metrics
    assert [(o.placed, o.placed_by) for o in view.observations] == [
        (dt.date(2024, 11, 20), "date"),
        (dt.date(2025, 1, 10), "source"),
    ]
    assert "1 at its date; 1 at its source's publication date" in brief_page(brief).charts.metrics["cloud-share"].source


def test_a_fiscal_year_is_placed_by_the_company_s_year_end(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["company"]["company"]["fiscal_year_end"] = 3
    quote = "a 30% share of the domestic cloud market"
    inputs["metrics"]["metrics"][0]["observations"] = [
        {"value": 30, "period": "FY2024", "source": "alpha", "quote": quote},
        {"value": 31, "period": "Q3 2024", "source": "alpha", "quote": quote},
    ]
    write_project(tmp_path, inputs)
    (view,) = prepare(Project(tmp_path), "acme", AS_OF).brief.metrics
    placed = {o.observation.period: o.placed for o in view.observations}
    # FY2024 runs April 2023 to March 2024, so its middle is before the calendar third quarter of 2024
    assert placed == {"FY2024": dt.date(2023, 9, 30), "Q3 2024": dt.date(2024, 8, 15)}
