"""Scenarios: probability-weighted value, tilt, and the flag when they contradict the score."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import base_inputs, write_project
from tests.scoring_strategies import AS_OF, point, source, thesis_of
from thesis.cli import cli
from thesis.inputs.models import Scenarios
from thesis.scoring.config import ScoringConfig
from thesis.scoring.scenarios import analyse
from thesis.scoring.score import score

CASES = {
    "metric": "Market value",
    "unit": "USD bn",
    "current": 100,
    "cases": [
        {"name": "bear", "probability": 0.2, "value": 60},
        {"name": "base", "probability": 0.5, "value": 110},
        {"name": "bull", "probability": 0.3, "value": 150},
    ],
}


def card_with(stance: str):  # type: ignore[no-untyped-def]
    points = [point(f"p-{n}", stance, "cloud", 5, [("s-a", 1)]) for n in range(4)]
    return score(thesis_of([source("s-a", "A", AS_OF)], points), AS_OF, ScoringConfig())


def test_probability_weighted_value_and_tilt_are_hand_computed() -> None:
    analysis = analyse(Scenarios.model_validate(CASES), card_with("bull"))
    assert [c.name for c in analysis.cases] == ["bull", "base", "bear"]
    assert analysis.expected == pytest.approx(0.2 * 60 + 0.5 * 110 + 0.3 * 150)  # 112
    assert analysis.expected_change == pytest.approx(0.12)
    assert analysis.upside == pytest.approx(0.5 * 10 + 0.3 * 50)  # 20
    assert analysis.downside == pytest.approx(0.2 * 40)  # 8
    assert analysis.reward_to_risk == pytest.approx(2.5)
    assert analysis.tilt == "upside"
    assert analysis.score_direction == "up" and not analysis.conflict


def test_scenarios_that_point_against_the_score_are_flagged() -> None:
    analysis = analyse(Scenarios.model_validate(CASES), card_with("bear"))
    assert analysis.score_direction == "down"
    assert analysis.conflict
    assert "disagree" in analysis.message


def test_a_balanced_set_never_conflicts() -> None:
    flat = {
        **CASES,
        "cases": [
            {"name": "bull", "probability": 0.5, "value": 102},
            {"name": "bear", "probability": 0.5, "value": 99},
        ],
    }
    for stance in ("bull", "bear"):
        analysis = analyse(Scenarios.model_validate(flat), card_with(stance))
        assert analysis.tilt == "balanced" and not analysis.conflict


def test_probabilities_that_do_not_sum_to_one_are_a_clean_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = base_inputs()
    bad = {**CASES, "cases": [{**c, "probability": 0.5} for c in CASES["cases"]]}  # type: ignore[dict-item]
    inputs["scenarios"] = {"scenarios": bad}
    write_project(tmp_path, inputs)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["score", "acme", "--as-of", "2025-09-30"])
    assert result.exit_code == 2
    assert "scenarios.yaml" in result.output and "sum to 1.5" in result.output
    assert "Traceback" not in result.output


def test_the_alibaba_scenarios_rest_on_figures_in_the_sources(repo) -> None:  # type: ignore[no-untyped-def]
    from thesis.inputs.loader import load

    loaded = load(repo.company_dir("alibaba"), repo.root)
    scenarios = loaded.thesis.scenarios
    assert scenarios is not None
    observed = {o.value for m in loaded.thesis.metrics for o in m.observations}
    assert scenarios.current in observed
    for case in scenarios.cases:
        assert case.value in observed, f"{case.name} value {case.value} is not a figure the sources print"
        assert case.description


def _scenarios_at(root: Path, monkeypatch: pytest.MonkeyPatch, as_of: str, **extra: object) -> object:
    inputs = base_inputs()
    inputs["scenarios"] = {"scenarios": {**CASES, **extra}}
    write_project(root, inputs)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["score", "acme", "--as-of", as_of, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["scenarios"]


def test_scenarios_set_after_the_as_of_date_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A brief as of a date shows only the cases the desk had set by then: no look-ahead."""
    assert _scenarios_at(tmp_path, monkeypatch, "2025-06-30", date="2025-07-01") is None
    shown = _scenarios_at(tmp_path, monkeypatch, "2025-07-01", date="2025-07-01")
    assert isinstance(shown, dict) and shown["current"] == 100


def test_undated_scenarios_count_as_set_on_the_newest_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # acme's newest source, beta, is estimated to be published on 2025-06-01
    assert _scenarios_at(tmp_path, monkeypatch, "2025-05-31") is None
    assert _scenarios_at(tmp_path, monkeypatch, "2025-06-01") is not None
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert "the scenarios have no date, so they count as set on 2025-06-01" in result.output
    assert "add date: YYYY-MM-DD" in result.output


def test_a_scenarios_date_in_the_future_is_a_located_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = base_inputs()
    inputs["scenarios"] = {"scenarios": {**CASES, "date": "2999-01-01"}}
    write_project(tmp_path, inputs)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["score", "acme", "--as-of", "2025-09-30"])
    assert result.exit_code == 2
    assert re.search(r"scenarios\.yaml:\d+ scenarios\.date", result.output), result.output
    assert "scenarios date 2999-01-01 is in the future" in result.output
    assert "Traceback" not in result.output


def _cases(current: float, bull: float, base: float, bear: float) -> Scenarios:
    return Scenarios.model_validate(
        {
            **CASES,
            "current": current,
            "cases": [
                {"name": "bull", "probability": 0.3, "value": bull},
                {"name": "base", "probability": 0.4, "value": base},
                {"name": "bear", "probability": 0.3, "value": bear},
            ],
        }
    )


def test_a_negative_current_keeps_the_sign_of_each_change() -> None:
    """Free cash flow of -100 rising to -50 is a rise of half its size, not a fall of 50%."""
    analysis = analyse(_cases(-100, -50, -100, -150), card_with("bull"))
    assert [c.change for c in analysis.cases] == pytest.approx([0.5, 0.0, -0.5])
    bull_heavy = analyse(_cases(-100, 0, -80, -110), card_with("bull"))
    assert bull_heavy.expected > -100 and bull_heavy.expected_change > 0 and bull_heavy.tilt == "upside"


def test_a_current_of_zero_is_refused_with_a_located_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = base_inputs()
    inputs["scenarios"] = {"scenarios": {**CASES, "current": 0}}
    write_project(tmp_path, inputs)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2
    assert "scenarios.yaml:4 scenarios.current: current is 0, too close to 0" in result.output
    assert "Traceback" not in result.output


def test_figures_too_large_to_add_up_are_refused() -> None:
    with pytest.raises(ValueError, match="less than or equal to 1000000000000000"):
        _cases(100, 1e308, 100, -1e308)


def test_the_chart_writes_values_as_the_table_does_never_in_e_notation() -> None:
    # A share price of 30,456 (yen, say) read "3.046e+04" on the chart; 26.38 read 26.4 in the table.
    from thesis.render.charts import scenario_chart

    chart = scenario_chart(analyse(_cases(30456, 41000, 30456, 20000), card_with("bull")), "the desk")
    assert "e+0" not in chart.svg and "e+0" not in chart.description
    assert "current 30,456" in chart.svg and "against 30,456 today" in chart.description
