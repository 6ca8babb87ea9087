from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.builders import write_project
from thesis.inputs.loader import load
from thesis.project import Project
from thesis.scoring.config import ScoringConfig, ScoringOverrides, merge
from thesis.scoring.score import score


def test_hand_computed_contributions(tmp_path: Path) -> None:
    thesis = load(write_project(tmp_path), tmp_path).thesis
    as_of = dt.date(2025, 7, 10)  # alpha is 181 days old, beta (estimated 2025-06-01) 39 days
    # docs/scoring.md's worked example: a scoring block that weighs cloud 1.2, every other category 1.0
    card = score(thesis, as_of, merge(ScoringConfig(), ScoringOverrides(category_weights={"cloud": 1.2})))
    # growth: bull × cloud 1.2 × impact 4 × (B 1.15 × cred-2 1.15) × 0.5 ** (181 / 365)
    growth = 1.2 * 4 * 1.15 * 1.15 * 0.5 ** (181 / 365)
    # cash-burn: bear × capital 1.0 × impact 3 × (C 1.0 × cred-3 1.0) × 0.5 ** (39 / 365)
    burn = -1.0 * 3 * 1.0 * 1.0 * 0.5 ** (39 / 365)
    # chip-controls: restricted 0.6 × severity 3 × (B 1.15 × cred-6 1.0)
    chips = -0.6 * 3 * 1.15
    total = growth + burn + chips
    expected = 100 * total / (10 + abs(growth) + abs(burn) + abs(chips))
    assert card.score == pytest.approx(expected)
    assert card.item("growth").raw == pytest.approx(growth)
    assert card.item("cash-burn").raw == pytest.approx(burn)
    assert card.item("chip-controls").raw == pytest.approx(chips)
    assert sum(i.contribution for i in card.items) == pytest.approx(card.score)
    assert card.item("growth").grade == "B2"
    assert card.rating == "Neutral"


def test_the_defaults_weigh_every_category_alike() -> None:
    """No company's themes are built in: any category, Alibaba's or another's, weighs the default 1.0."""
    config = ScoringConfig()
    assert config.category_weights == {}
    assert {config.category_weight(c) for c in ("cloud", "geopolitics", "partnerships", "order-intake")} == {1.0}


def test_alibaba_weights_its_own_categories_in_its_scoring_block() -> None:
    from thesis.commands.render import scoring_config
    from thesis.inputs.loader import load_company

    config = scoring_config(load_company(Project(Path(__file__).resolve().parent.parent), "alibaba"))
    assert config.category_weights["cloud"] == 1.2 and config.category_weights["partnerships"] == 0.7
    assert config.category_weight("order-intake") == 1.0


def test_overrides_move_the_score_the_expected_way(tmp_path: Path) -> None:
    thesis = load(write_project(tmp_path), tmp_path).thesis
    as_of = dt.date(2025, 7, 10)
    base = score(thesis, as_of, ScoringConfig()).score
    heavier_cloud = merge(ScoringConfig(), ScoringOverrides(category_weights={"cloud": 3.0}))
    assert heavier_cloud.category_weight("capital") == 1.0  # mappings merge key by key
    assert score(thesis, as_of, heavier_cloud).score > base
    capped = merge(
        ScoringConfig(), ScoringOverrides(constraint_mode="cap", cap_min_severity=3, cap_rating="Underweight")
    )
    card = score(thesis, as_of, capped)
    assert card.rating == "Underweight" and card.capped_by == ("chip-controls",)


def test_bands_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="lowest to highest"):
        ScoringConfig.model_validate({"bands": [{"name": "B", "min": -100}, {"name": "A", "min": -100}]})


def test_one_kernel_gives_the_score_the_stress_tests_and_the_attribution_bit_for_bit(project: Project) -> None:
    """score(), score_and_rating(), combine() and the diff's re-scoring of a snapshot are one formula."""
    from thesis.commands.render import prepare
    from thesis.diff.attribution import item_raw, scored_items, scoring_config
    from thesis.outputs.snapshot import snapshot
    from thesis.scoring.score import combine, score_and_rating

    as_of = dt.date(2025, 9, 30)
    brief = prepare(project, "acme", as_of, today=as_of).brief
    card = brief.scorecard
    assert combine([i.raw for i in card.items], card.config.shrinkage) == card.score
    assert score_and_rating(brief.thesis, as_of, card.config) == (card.score, card.rating)
    data = snapshot(brief, stress_tests=False)
    config = scoring_config(data)
    for item_id, (kind, item) in scored_items(data).items():
        assert item_raw(kind, item, int(item["age_days"]), config) == pytest.approx(card.item(item_id).raw, abs=1e-12)
