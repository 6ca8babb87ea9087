"""The SVG writer behind the charts: well-formed, escaped, with axes a reader can trust."""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.builders import base_inputs, write_project
from thesis.commands.render import prepare
from thesis.project import Project
from thesis.render.brief import brief_page, render_html
from thesis.render.svg import Drawing, date_ticks, nice_ticks, shorten, text_width, tick_label

SVG = "{http://www.w3.org/2000/svg}"
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(finite, finite, st.integers(min_value=2, max_value=12))
def test_ticks_are_round_evenly_spaced_and_inside_the_range(a: float, b: float, most: int) -> None:
    low, high = min(a, b), max(a, b)
    if high - low < 1e-6 * max(1.0, abs(low)):
        return  # no span to divide
    ticks = nice_ticks(low, high, most=most)
    assert 1 <= len(ticks) <= most
    slack = 1e-6 * (high - low)  # invisible on any axis: a millionth of its length
    assert all(low - slack <= t <= high + slack for t in ticks)
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    if gaps:
        step = gaps[0]
        assert all(math.isclose(gap, step, rel_tol=1e-6) for gap in gaps)  # evenly spaced
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))
        # the ticks cover most of the range: a reader sees where the data sits
        assert ticks[-1] - ticks[0] >= (high - low) - 2 * step * (1 + 1e-9)


def test_tick_labels_use_the_decimals_the_step_needs_and_a_real_minus() -> None:
    ticks = nice_ticks(-15, 3, most=8)
    assert [tick_label(t, ticks) for t in ticks] == ["−15.0", "−12.5", "−10.0", "−7.5", "−5.0", "−2.5", "0.0", "2.5"]
    ticks = nice_ticks(0, 1_200_000, most=4)
    assert [tick_label(t, ticks) for t in ticks] == ["0", "500,000", "1,000,000"]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 1, 1)), st.integers(min_value=1, max_value=9000))
def test_date_ticks_fall_inside_the_range_in_order_and_name_the_year(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    ticks = date_ticks(start, end)
    assert len(ticks) <= 7
    dates = [d for d, _ in ticks]
    assert dates == sorted(dates) and all(start <= d <= end and d.day == 1 for d in dates)
    if ticks:
        assert str(ticks[0][0].year) in ticks[0][1]  # the first tick says which year
        assert all(str(d.year) in label for d, label in ticks if d.month == 1)


def test_text_width_grows_with_the_text_and_shorten_fits_it() -> None:
    assert text_width("", 7) == 0
    assert text_width("iiii", 7) < text_width("MMMM", 7) < text_width("MMMM", 7, bold=True)
    assert text_width("云计算", 7) == 3 * 7  # full-width characters take one em each
    long = "export-controls-cap-compute-and-everything-after-it"
    cut = shorten(long, 100, 7)
    assert cut.endswith("…") and text_width(cut, 7) <= 100 and long.startswith(cut[:-1])


def test_text_and_titles_are_escaped() -> None:
    drawing = Drawing("x", 100, 50, 'A <b>"bold"</b> & title')
    drawing.text(1, 2, "<script>alert(1)</script> & co", size=7, fill="#000")
    markup = str(drawing.markup())
    root = ET.fromstring(markup)
    assert "<script>" not in markup
    assert root.find(f"{SVG}text") is not None
    assert root.find(f"{SVG}text").text == "<script>alert(1)</script> & co"  # type: ignore[union-attr]
    assert root.get("aria-label") == 'A <b>"bold"</b> & title'


def test_every_chart_is_well_formed_and_ids_are_unique_across_the_brief(tmp_path: Path) -> None:
    inputs = base_inputs()
    metric = inputs["metrics"]["metrics"][0]
    metric["name"] = 'Cloud <share> & "growth"'
    metric["observations"].append(
        {"value": 25, "period": "2024", "source": "alpha", "quote": "Acme Cloud grew revenue 40%"}
    )
    write_project(tmp_path, inputs)
    project = Project(tmp_path)
    brief = prepare(project, "acme", dt.date(2025, 9, 30)).brief
    charts = brief_page(brief).charts
    for chart in [charts.waterfall, charts.tornado, *charts.metrics.values()]:
        root = ET.fromstring(str(chart.svg))  # raises on anything malformed
        assert root.tag == f"{SVG}svg" and root.get("viewBox")
    assert ET.fromstring(str(charts.metrics["cloud-share"].svg)).find(f"{SVG}title").text == metric["name"]  # type: ignore[union-attr]
    html = render_html(project, brief)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
