"""Laws of the score attribution: it sums exactly to the change, mirrors, and blames only what moved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from thesis.commands.render import prepare
from thesis.diff.attribution import GROUPS, UNEXPLAINED, attribute, item_raw, scored_items, scoring_config
from thesis.outputs.snapshot import snapshot
from thesis.project import Project
from thesis.scoring.config import ScoringConfig
from thesis.scoring.score import combine

MICRO = 10**6
GRADES = [f"{r}{c}" for r in "ABCDEF" for c in "123456"]
CATEGORIES = ["cloud", "models", "capital", "unlisted-category"]
STATUSES = ["allowed", "approved", "licensed", "restricted", "blocked", "halted"]


def micro(value: float) -> int:
    return round(value * MICRO)


def point_fields() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "stance": st.sampled_from(["bull", "bear"]),
            "category": st.sampled_from(CATEGORIES),
            "impact": st.integers(1, 5),
            "citations": st.lists(st.sampled_from(GRADES).map(lambda g: {"grade": g}), min_size=1, max_size=3),
            "age_days": st.integers(0, 1500),
        }
    )


def constraint_fields() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "status": st.sampled_from(STATUSES),
            "severity": st.integers(1, 5),
            "citations": st.lists(st.sampled_from(GRADES).map(lambda g: {"grade": g}), min_size=1, max_size=2),
            "age_days": st.integers(0, 3000),
        }
    )


def configs() -> st.SearchStrategy[dict[str, Any]]:
    base = ScoringConfig().canonical()
    return st.fixed_dictionaries(
        {
            "shrinkage": st.sampled_from([0.0, 5.0, 10.0, 30.0]),
            "half_life_days": st.sampled_from([90.0, 365.0, 730.0]),
            "cloud": st.sampled_from([0.5, 1.2, 2.0]),
            "constraint_mode": st.sampled_from(["deduct", "deduct", "cap"]),
        }
    ).map(
        lambda c: {
            **base,
            "shrinkage": c["shrinkage"],
            "half_life_days": c["half_life_days"],
            "category_weights": {**base["category_weights"], "cloud": c["cloud"]},
            "constraint_mode": c["constraint_mode"],
        }
    )


def build(as_of: dt.date, config: dict[str, Any], items: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """A snapshot as thesis writes one: raw values from the scoring formula, rounded to 6 places."""
    points, constraints, raws = [], [], []
    for item_id, (kind, fields) in sorted(items.items()):
        item = {"id": item_id, **fields}
        item["raw"] = round(item_raw(kind, item, fields["age_days"], config), 6)
        raws.append(item["raw"])
        (points if kind == "point" else constraints).append(item)
    return {
        "schema_version": 1,
        "as_of": as_of.isoformat(),
        "score": round(combine(raws, config["shrinkage"]), 6),
        "rating": "Neutral",
        "scoring": {"config": config},
        "points": points,
        "constraints": constraints,
        "metrics": [],
        "sources": [],
    }


POINT_FIELDS = point_fields()
CONSTRAINT_FIELDS = constraint_fields()
CONFIGS = configs()


@st.composite
def snapshot_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    ids = [f"item-{n}" for n in range(8)]
    kinds = {i: draw(st.sampled_from(["point", "point", "constraint"])) for i in ids}

    def fields(kind: str) -> dict[str, Any]:
        return draw(POINT_FIELDS if kind == "point" else CONSTRAINT_FIELDS)

    old_ids = draw(st.sets(st.sampled_from(ids), max_size=8))
    new_ids = draw(st.sets(st.sampled_from(ids), max_size=8))
    old_items = {i: (kinds[i], fields(kinds[i])) for i in old_ids}
    new_items: dict[str, tuple[str, dict[str, Any]]] = {}
    shift = draw(st.integers(-400, 400))
    for i in new_ids:
        if i in old_items and old_items[i][1]["age_days"] + shift >= 0 and draw(st.booleans()):
            kept = dict(old_items[i][1])  # unedited: the same evidence, seen from the new date
            kept["age_days"] += shift
            new_items[i] = (kinds[i], kept)
        else:
            new_items[i] = (kinds[i], fields(kinds[i]))
    old_config = draw(CONFIGS)
    new_config = old_config if draw(st.booleans()) else draw(CONFIGS)
    old_date = dt.date(2025, 6, 30)
    return build(old_date, old_config, old_items), build(old_date + dt.timedelta(days=shift), new_config, new_items)


@settings(max_examples=150, deadline=None)
@given(snapshot_pairs())
def test_attribution_sums_exactly_to_the_change(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old, new = pair
    result = attribute(old, new)
    assert micro(result.change) == micro(new["score"]) - micro(old["score"])
    assert sum(micro(v) for v in result.by_group.values()) == micro(result.change)
    assert UNEXPLAINED not in result.by_group  # both snapshots follow the formula, so nothing is left over
    assert set(result.by_group) == set(GROUPS)


@settings(max_examples=150, deadline=None)
@given(snapshot_pairs())
def test_swapping_old_and_new_negates_every_share(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old, new = pair
    forward, backward = attribute(old, new), attribute(new, old)
    assert backward.change == -forward.change
    swapped = {"added": "removed", "removed": "added"}
    for group, amount in forward.by_group.items():
        assert backward.by_group[swapped.get(group, group)] == pytest.approx(-amount, abs=2e-6)


@settings(max_examples=150, deadline=None)
@given(snapshot_pairs())
def test_a_group_that_changes_nothing_gets_exactly_zero(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old, new = pair
    result = attribute(old, new)
    old_ids, new_ids = set(scored_items(old)), set(scored_items(new))
    if not new_ids - old_ids:
        assert result.by_group["added"] == 0
    if not old_ids - new_ids:
        assert result.by_group["removed"] == 0
    if scoring_config(old) == scoring_config(new):
        assert result.by_group["configuration"] == 0
    if old["as_of"] == new["as_of"]:
        assert result.by_group["time_decay"] == 0


def test_scores_of_the_same_thesis_attribute_nothing() -> None:
    old = build(dt.date(2025, 6, 30), ScoringConfig().canonical(), {"a": ("point", _point())})
    result = attribute(old, old)
    assert result.change == 0 and set(result.by_group.values()) == {0.0}


def test_a_different_formula_shows_as_unexplained_not_hidden() -> None:
    config = ScoringConfig().canonical()
    old = build(dt.date(2025, 6, 30), config, {"a": ("point", _point())})
    new = build(dt.date(2025, 6, 30), config, {"a": ("point", _point()), "b": ("point", _point())})
    new["score"] = round(new["score"] + 5.0, 6)  # as if another version of the scoring had produced it
    result = attribute(old, new)
    assert result.by_group[UNEXPLAINED] == pytest.approx(5.0, abs=1e-5)
    assert sum(micro(v) for v in result.by_group.values()) == micro(result.change)


def _point() -> dict[str, Any]:
    return {"stance": "bull", "category": "cloud", "impact": 3, "citations": [{"grade": "B2"}], "age_days": 10}


def test_the_recomposed_raw_values_match_the_scoring_module() -> None:
    """The attribution re-scores items from snapshot fields; that must agree with thesis.scoring.score."""
    repo = Project(ROOT)
    for as_of in (dt.date(2025, 6, 30), dt.date(2026, 1, 31)):
        data = snapshot(prepare(repo, "alibaba", as_of).brief)
        config = scoring_config(data)
        for kind, item in scored_items(data).values():
            assert item_raw(kind, item, item["age_days"], config) == pytest.approx(item["raw"], abs=1e-6), item["id"]


def test_only_the_date_moving_is_all_time_decay(project: Project) -> None:
    # Both acme sources are published by 2025-06-01, so between these dates only the evidence ages.
    old = snapshot(prepare(project, "acme", dt.date(2025, 7, 1)).brief)
    new = snapshot(prepare(project, "acme", dt.date(2025, 12, 31)).brief)
    result = attribute(old, new)
    assert result.change < 0  # the bull point (older, heavier) fades; the thesis drifts to neutral
    assert result.by_group["time_decay"] == result.change
    assert {g for g, v in result.by_group.items() if v} == {"time_decay"}


def test_only_the_weights_changing_is_all_configuration(project: Project, tmp_path: Path) -> None:
    weights = tmp_path / "weights.yaml"
    weights.write_text("shrinkage: 2\ncategory_weights: {cloud: 2.0}\n")
    as_of = dt.date(2025, 9, 30)
    old = snapshot(prepare(project, "acme", as_of).brief)
    new = snapshot(prepare(project, "acme", as_of, weights=weights).brief)
    result = attribute(old, new)
    assert result.change > 0
    assert result.by_group["configuration"] == result.change
    assert {g for g, v in result.by_group.items() if v} == {"configuration"}
