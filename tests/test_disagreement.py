"""One rule for "sources disagree": the brief's flag, `thesis check` and the metric chart always say the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.builders import base_inputs, write_project
from thesis.commands.render import prepare
from thesis.inputs.models import Observation
from thesis.project import Project
from thesis.render.charts import metric_chart
from thesis.verify.checks import run_checks
from thesis.verify.disagreement import TOLERANCE, disagreements, refers_to

AS_OF = dt.date(2025, 9, 30)
QUOTE = "a 30% share of the domestic cloud market"


def observation(value: float, **when: str) -> dict[str, Any]:
    return {"value": value, "source": "alpha", "quote": QUOTE, **when}


def verdicts(root: Path, *observations: dict[str, Any]) -> tuple[bool, bool, bool]:
    """(the brief flags the metric, `thesis check` reports it, its chart marks sources differing)."""
    inputs = base_inputs()
    inputs["metrics"]["metrics"][0]["observations"] = list(observations)
    write_project(root, inputs)
    project = Project(root)
    brief = prepare(project, "acme", AS_OF, today=AS_OF).brief
    (metric,) = brief.metrics
    chart = metric_chart(metric)
    checked = any("observations disagree" in p.message for p in run_checks(project, "acme").problems)
    return metric.disagreement, checked, "sources differ" in chart.description


CASES = [
    # the same period written two ways is one period
    ((observation(30, period="Q3 2025"), observation(20, period="2025 Q3")), True),
    # a difference within the tolerance is rounding
    ((observation(100, period="2024"), observation(100 * (1 + TOLERANCE / 2), period="2024")), False),
    ((observation(100, period="2024"), observation(100 * (1 + 2 * TOLERANCE), period="2024")), True),
    # different periods never disagree; calendar and fiscal years are different periods
    ((observation(30, period="2024"), observation(20, period="FY2024")), False),
    # no period: the same date is the same thing, different dates are not
    ((observation(30, date="2025-01-01"), observation(20, date="2025-01-01")), True),
    ((observation(30, date="2025-01-01"), observation(20, date="2025-01-05")), False),
    # neither a date nor a recognisable period: compared with each other
    ((observation(30, period="recent"), observation(20, period="not stated")), True),
]


@pytest.mark.parametrize(("observations", "disagree"), CASES)
def test_the_brief_the_check_and_the_chart_agree(
    tmp_path: Path, observations: tuple[dict[str, Any], ...], disagree: bool
) -> None:
    assert verdicts(tmp_path, *observations) == (disagree, disagree, disagree)


def test_groups_name_the_observations_that_disagree() -> None:
    made = [
        Observation.model_validate(o)
        for o in (
            observation(30, period="Q3 2025"),
            observation(31, period="2024"),
            observation(20, period="q3 2025"),
            observation(45, period="2024"),
        )
    ]
    assert refers_to(made[0]) == refers_to(made[2]) == "2025-Q3"
    assert [g.indices for g in disagreements(made)] == [(0, 2), (1, 3)]
