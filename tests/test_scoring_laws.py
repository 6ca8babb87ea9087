"""Laws every scorecard obeys, for any thesis: bounded, monotone, symmetric, additive."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.builders import base_inputs, write_project
from tests.scoring_strategies import (
    AS_OF,
    bands_st,
    constraints_st,
    point,
    point_st,
    points_st,
    scenarios_st,
    source,
    sources_st,
    thesis_of,
)
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.inputs.models import Scenarios
from thesis.outputs.scorecard_data import scenarios_data
from thesis.project import Project
from thesis.render.charts import scenario_chart
from thesis.scoring.confidence import assess
from thesis.scoring.config import ScoringConfig, ScoringOverrides, merge
from thesis.scoring.scenarios import analyse as analyse_scenarios
from thesis.scoring.score import score, score_and_rating
from thesis.scoring.sensitivity import analyse

configs = st.builds(
    lambda shrinkage, floor, mode: merge(
        ScoringConfig(), ScoringOverrides(shrinkage=shrinkage, recency_floor=floor, constraint_mode=mode)
    ),
    st.floats(0.01, 50),
    st.floats(0, 1),
    st.sampled_from(["deduct", "cap"]),
)


@settings(max_examples=80, deadline=None)
@given(sources_st(), points_st(), constraints_st(), configs)
def test_score_stays_in_range_and_contributions_add_up(
    sources: list[dict[str, Any]], points: list[dict[str, Any]], constraints: list[dict[str, Any]], config: Any
) -> None:
    card = score(thesis_of(sources, points, constraints), AS_OF, config)
    assert -100 < card.score < 100
    assert sum(i.contribution for i in card.items) == pytest.approx(card.score, abs=1e-9)
    assert sum(card.category_totals.values()) == pytest.approx(card.score, abs=1e-9)
    if card.abs_total:
        assert sum(i.share for i in card.items) == pytest.approx(1.0)
    assert card.rating in {b.name for b in config.bands}


@settings(max_examples=80, deadline=None)
@given(sources_st(), points_st(), constraints_st(), configs)
def test_the_stress_tests_quick_rescore_is_the_score_bit_for_bit(
    sources: list[dict[str, Any]], points: list[dict[str, Any]], constraints: list[dict[str, Any]], config: Any
) -> None:
    """Sensitivity tables and flip sets use the quick path; they must show exactly the scorecard's numbers."""
    thesis = thesis_of(sources, points, constraints)
    card = score(thesis, AS_OF, config)
    assert score_and_rating(thesis, AS_OF, config) == (card.score, card.rating)


@settings(max_examples=80, deadline=None)
@given(sources_st(), points_st(), constraints_st(), configs, st.data())
def test_adding_a_bull_item_never_lowers_and_a_bear_item_never_raises(
    sources: list[dict[str, Any]],
    points: list[dict[str, Any]],
    constraints: list[dict[str, Any]],
    config: Any,
    data: st.DataObject,
) -> None:
    before = score(thesis_of(sources, points, constraints), AS_OF, config).score
    bull = data.draw(point_st("added", "bull"))
    bear = data.draw(point_st("added", "bear"))
    assert score(thesis_of(sources, [*points, bull], constraints), AS_OF, config).score >= before - 1e-9
    assert score(thesis_of(sources, [*points, bear], constraints), AS_OF, config).score <= before + 1e-9


@settings(max_examples=80, deadline=None)
@given(sources_st(), points_st(), configs)
def test_flipping_every_stance_mirrors_the_score_around_neutral(
    sources: list[dict[str, Any]], points: list[dict[str, Any]], config: Any
) -> None:
    flipped = [{**p, "stance": "bear" if p["stance"] == "bull" else "bull"} for p in points]
    original = score(thesis_of(sources, points), AS_OF, config)
    mirrored = score(thesis_of(sources, flipped), AS_OF, config)
    assert mirrored.score == pytest.approx(-original.score, abs=1e-9)
    for item in original.items:
        assert mirrored.item(item.id).contribution == pytest.approx(-item.contribution, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(sources_st(), points_st(min_size=1), st.sampled_from(["cloud", "chips", "capital", "other"]))
def test_a_heavier_category_pulls_the_score_toward_its_net_side(
    sources: list[dict[str, Any]], points: list[dict[str, Any]], category: str
) -> None:
    thesis = thesis_of(sources, points)
    base = score(thesis, AS_OF, ScoringConfig())
    heavier = score(thesis, AS_OF, merge(ScoringConfig(), ScoringOverrides(category_weights={category: 3.0})))
    net = base.category_totals.get(category, 0.0)
    if all(i.stance == "bull" for i in base.items if i.category == category) and net > 0:
        assert heavier.score >= base.score - 1e-9
    if all(i.stance == "bear" for i in base.items if i.category == category) and net < 0:
        assert heavier.score <= base.score + 1e-9


def test_a_weight_in_the_inputs_moves_the_score_the_expected_way(tmp_path: Path) -> None:
    """The company's scoring block and a --weights file both reach the score, and the file wins."""
    as_of = dt.date(2025, 9, 30)
    plain_root = tmp_path / "plain"
    write_project(plain_root)
    base = prepare(Project(plain_root), "acme", as_of).scorecard

    inputs = base_inputs()
    inputs["scoring"] = {"scoring": {"category_weights": {"cloud": 3.0}}}  # cloud is acme's bull side
    heavy_root = tmp_path / "heavy"
    write_project(heavy_root, inputs)
    heavier_cloud = prepare(Project(heavy_root), "acme", as_of).scorecard
    assert heavier_cloud.score > base.score
    assert heavier_cloud.config.category_weight("cloud") == 3.0

    weights = tmp_path / "weights.yaml"
    weights.write_text(yaml.safe_dump({"category_weights": {"capital": 4.0, "cloud": 0.5}}), encoding="utf-8")
    overridden = prepare(Project(heavy_root), "acme", as_of, weights=weights).scorecard
    assert overridden.score < base.score  # the bear side (capital) is heavier, the bull side lighter
    assert overridden.config.category_weight("cloud") == 0.5  # --weights overrides the company's block
    assert overridden.config.digest() != heavier_cloud.config.digest()


def test_a_bad_weight_is_reported_with_its_file_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path)
    (tmp_path / "w.yaml").write_text("category_weights:\n  cloud: -1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["score", "acme", "--as-of", "2025-09-30", "--weights", "w.yaml"])
    assert result.exit_code == 2
    assert "w.yaml" in result.output and "category_weights.cloud" in result.output
    assert "Traceback" not in result.output


@settings(max_examples=80, deadline=None)
@given(sources_st(), points_st(), constraints_st())
def test_single_source_or_thin_evidence_is_never_more_than_low_confidence(
    sources: list[dict[str, Any]], points: list[dict[str, Any]], constraints: list[dict[str, Any]]
) -> None:
    thesis = thesis_of(sources, points, constraints)
    card = score(thesis, AS_OF, ScoringConfig())
    confidence = assess(card, analyse(thesis, AS_OF, card))
    codes = {r.code for r in confidence.reasons}
    if codes & {"single-source", "thin"}:
        assert confidence.level == "Low"
        assert set(confidence.capped_by) == codes & {"single-source", "thin"} and confidence.cap_note
    else:
        assert confidence.capped_by == ()


@settings(max_examples=150, deadline=None)
@given(bands_st(), st.floats(-100, 100))
def test_bands_either_give_one_unambiguous_rating_or_are_refused(bands: list[dict[str, Any]], total: float) -> None:
    names = [b["name"].casefold() for b in bands]
    usable = len(bands) >= 2 and len(set(names)) == len(names)
    for model in (ScoringOverrides, ScoringConfig):
        if not usable:
            with pytest.raises(ValidationError):
                model.model_validate({"bands": bands, "cap_rating": bands[0]["name"]})
            continue
        model.model_validate({"bands": bands, "cap_rating": bands[0]["name"]})
    if usable:
        config = ScoringConfig.model_validate({"bands": bands, "cap_rating": bands[0]["name"]})
        rating = config.band_for(total)
        index = config.band_index(rating)
        assert config.bands[index].min <= total or index == 0
        assert index + 1 == len(config.bands) or total < config.bands[index + 1].min


@settings(max_examples=150, deadline=None)
@given(scenarios_st(), st.sampled_from(["bull", "bear"]))
def test_scenario_changes_keep_their_sign_and_every_figure_is_finite(block: dict[str, Any], stance: str) -> None:
    scenarios = Scenarios.model_validate(block)
    points = [point(f"p-{n}", stance, "cloud", 5, [("s-a", 1)]) for n in range(4)]
    card = score(thesis_of([source("s-a", "A", AS_OF)], points), AS_OF, ScoringConfig())
    analysis = analyse_scenarios(scenarios, card)
    for case in analysis.cases:
        assert (case.change > 0) == (case.value > analysis.current)
        assert (case.change < 0) == (case.value < analysis.current)
    assert (analysis.expected_change > 0) == (analysis.expected > analysis.current) or analysis.expected_change == 0
    json.dumps(scenarios_data(analysis), allow_nan=False)  # raises on NaN or Infinity
    svg = scenario_chart(analysis, "fixture").svg
    assert not re.search(r"\b(nan|inf)\b", str(svg), re.IGNORECASE)


@pytest.mark.parametrize("current", [0, -0.0, 2.2e-309, -1e-7])
def test_a_current_of_zero_is_refused(current: float) -> None:
    with pytest.raises(ValidationError, match="too close to 0"):
        Scenarios.model_validate({**scenarios_block(), "current": current})


def scenarios_block() -> dict[str, Any]:
    return {
        "metric": "Value",
        "unit": "USD bn",
        "current": 10,
        "cases": [{"name": "bull", "probability": 0.5, "value": 12}, {"name": "bear", "probability": 0.5, "value": 8}],
    }
