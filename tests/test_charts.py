"""Charts: vector SVG inline in the HTML and the PDF, byte-identical run to run, readable without colour."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pypdf

from tests.builders import base_inputs, write_project
from thesis.commands.render import prepare, render
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.render.charts import brief_charts

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
    assert set(figures) == {"chart-waterfall", "chart-tornado", "chart-scenarios", "chart-metric-cloud-share"}
    for name, figure in figures.items():
        assert figure["svg"] == 1, name
        assert "Source" in str(figure["caption"]), name
    # the sides differ by hatching as well as colour
    assert int(figures["chart-waterfall"]["patterns"]) >= 2  # type: ignore[call-overload]
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    assert "sources differ" in html  # 30% and 25% for the same period are joined and labelled


def test_a_metric_with_one_observation_has_no_chart(project: Project) -> None:
    charts = brief_charts(prepare(project, "acme", AS_OF).brief)
    assert charts.metrics == {} and charts.scenarios is None


def test_chart_svg_is_byte_identical_run_to_run(tmp_path: Path) -> None:
    project = project_with_charts(tmp_path)
    first = brief_charts(prepare(project, "acme", AS_OF).brief)
    second = brief_charts(prepare(project, "acme", AS_OF).brief)
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


def test_thesis_score_does_not_import_matplotlib_or_pandas(project: Project) -> None:
    code = (
        "import sys; from click.testing import CliRunner; from thesis.cli import cli; "
        "r = CliRunner().invoke(cli, ['score', 'acme', '--as-of', '2025-09-30', '--format', 'json']); "
        "assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in ('matplotlib', 'pandas', 'weasyprint') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
