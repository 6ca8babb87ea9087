"""The stress tests: knob ranges, the exact flip set (checked against brute force), leave one source out."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring_strategies import AS_OF, constraint, constraints_st, point, points_st, source, sources_st, thesis_of
from thesis.scoring.config import ScoringConfig, ScoringOverrides, SensitivityOverrides, merge
from thesis.scoring.score import Scorecard, rate, score
from thesis.scoring.sensitivity import analyse, find_flips, knob_ranges, leave_one_source_out

modes = st.sampled_from(["deduct", "cap"])


def smallest_flip_by_brute_force(card: Scorecard) -> int | None:
    """The size of the smallest set of items whose removal changes the rating, trying every subset."""
    items = list(card.items)
    for size in range(1, len(items) + 1):
        for removed in itertools.combinations(items, size):
            gone = {i.id for i in removed}
            _, rating = rate([i for i in items if i.id not in gone], card.config)
            if rating != card.rating:
                return size
    return None


def rating_without(card: Scorecard, removed: tuple[str, ...]) -> str:
    return rate([i for i in card.items if i.id not in removed], card.config)[1]


@settings(max_examples=150, deadline=None)
@given(sources_st(), points_st(max_size=7), constraints_st(max_size=2), modes, st.floats(0.5, 20))
def test_the_flip_set_flips_the_band_and_no_smaller_set_does(
    sources: list[dict[str, Any]],
    points: list[dict[str, Any]],
    constraints: list[dict[str, Any]],
    mode: str,
    shrinkage: float,
) -> None:
    config = merge(
        ScoringConfig(),
        ScoringOverrides(constraint_mode=mode, cap_min_severity=3, shrinkage=shrinkage),  # type: ignore[arg-type]
    )
    card = score(thesis_of(sources, points, constraints), AS_OF, config)
    search = find_flips(card)
    expected = smallest_flip_by_brute_force(card)
    assert not search.bound_hit
    if expected is None:
        assert search.best is None
        return
    best = search.best
    assert best is not None
    assert len(best.items) == expected
    assert rating_without(card, best.items) == best.rating_after != card.rating
    for flip in (search.up, search.down):
        if flip is not None:
            after = config.band_index(rating_without(card, flip.items))
            before = config.band_index(card.rating)
            assert after > before if flip.direction == "up" else after < before


def test_a_hand_checked_flip() -> None:
    # Every grade C3 (quality 1.0), category weight 1.0, fresh evidence: raw = ±impact.
    sources = [source("s-a", "C", AS_OF)]
    points = [
        point("bull-big", "bull", "other", 5, [("s-a", 3)]),
        point("bull-small", "bull", "other", 2, [("s-a", 3)]),
        point("bear-1", "bear", "other", 4, [("s-a", 3)]),
        point("bear-2", "bear", "other", 3, [("s-a", 3)]),
        point("bear-3", "bear", "other", 1, [("s-a", 3)]),
    ]
    card = score(thesis_of(sources, points), AS_OF, ScoringConfig())
    assert round(card.score, 6) == -4.0 and card.rating == "Neutral"  # 100 × (7 - 8) / (10 + 15)
    search = find_flips(card)
    # without bear-1 alone: 100 × 3 / 21 = +14.3, still Neutral; without bear-1 and bear-2: 100 × 6 / 18 = +33.3
    assert search.up is not None and search.up.items == ("bear-1", "bear-2")
    assert round(search.up.score_after, 4) == 33.3333 and search.up.rating_after == "Overweight"
    # without bull-big: 100 × -6 / 20 = -30, Underweight
    assert search.down is not None and search.down.items == ("bull-big",)
    assert round(search.down.score_after, 6) == -30.0 and search.down.rating_after == "Underweight"
    assert search.best == search.down


def test_in_cap_mode_lifting_the_cap_needs_every_capping_constraint() -> None:
    sources = [source("s-a", "B", AS_OF)]
    points = [point(f"bull-{n}", "bull", "cloud", 5, [("s-a", 1)]) for n in range(4)]
    constraints = [constraint("cap-1", "blocked", 5, "s-a"), constraint("cap-2", "blocked", 4, "s-a")]
    config = merge(ScoringConfig(), ScoringOverrides(constraint_mode="cap"))
    card = score(thesis_of(sources, points, constraints), AS_OF, config)
    assert card.rating == "Neutral" and card.uncapped_rating == "Buy"
    search = find_flips(card)
    assert search.up is not None and set(search.up.items) == {"cap-1", "cap-2"}
    assert search.up.rating_after == "Buy"


def test_the_search_says_when_it_hit_its_limit() -> None:
    sources = [source("s-a", "C", AS_OF)]
    points = [point(f"bear-{n}", "bear", "other", 1, [("s-a", 3)]) for n in range(6)]
    points += [point(f"bull-{n}", "bull", "other", 1, [("s-a", 3)]) for n in range(6)]
    config = merge(ScoringConfig(), ScoringOverrides(sensitivity=SensitivityOverrides(flip_search_limit=3)))
    card = score(thesis_of(sources, points), AS_OF, config)
    search = find_flips(card)
    assert search.bound_hit and search.evaluated == 3 and search.limit == 3


def test_knob_ranges_cover_the_base_score_and_come_widest_first() -> None:
    sources = [source("s-a", "B", AS_OF), source("s-b", "E", AS_OF.replace(year=2024))]
    points = [
        point("cloud-up", "bull", "cloud", 5, [("s-a", 1)]),
        point("chips-down", "bear", "chips", 3, [("s-b", 5)]),
    ]
    thesis = thesis_of(sources, points, [constraint("ctl", "restricted", 3, "s-a")])
    card = score(thesis, AS_OF, ScoringConfig())
    ranges = knob_ranges(thesis, AS_OF, card)
    knobs = [r.knob for r in ranges]
    assert set(knobs) == {"weight:cloud", "weight:chips", "constraint_weight", "half_life", "shrinkage", "grades"}
    widths = [r.width for r in ranges]
    assert widths == sorted(widths, reverse=True)
    for knob in ranges:
        assert knob.low <= card.score <= knob.high
    cloud = next(r for r in ranges if r.knob == "weight:cloud")
    assert [s.label for s in cloud.settings] == ["×0.75", "×1.25"]
    assert cloud.settings[0].score < card.score < cloud.settings[1].score  # a lighter bull category lowers it
    grades = next(r for r in ranges if r.knob == "grades")
    # flat grades lift the weak bear source (E5 → 1.0) more than they cut the strong bull one (B1 → 1.0)
    assert grades.settings[0].score < card.score


def test_leaving_a_source_out_drops_the_items_that_rest_on_it_alone() -> None:
    sources = [source("s-a", "B", AS_OF), source("s-b", "C", AS_OF)]
    points = [
        point("only-a", "bull", "cloud", 4, [("s-a", 2)]),
        point("both", "bull", "chips", 3, [("s-a", 2), ("s-b", 3)]),
        point("only-b", "bear", "capital", 3, [("s-b", 3)]),
    ]
    thesis = thesis_of(sources, points)
    card = score(thesis, AS_OF, ScoringConfig())
    results = {r.source: r for r in leave_one_source_out(thesis, AS_OF, card)}
    assert results["s-a"].dropped == ("only-a",)
    assert results["s-b"].dropped == ("only-b",)
    assert results["s-a"].delta < 0 < results["s-b"].delta
    # "both" keeps only its s-b citation, which grades lower (C3) than its s-a one (B2)
    both_from_b = point("both", "bull", "chips", 3, [("s-b", 3)])
    without_a = score(thesis_of([sources[1]], [both_from_b, points[2]]), AS_OF, ScoringConfig())
    assert results["s-a"].score == without_a.score


@settings(max_examples=40, deadline=None)
@given(sources_st(), points_st(max_size=6), constraints_st())
def test_every_analysis_is_deterministic(
    sources: list[dict[str, Any]], points: list[dict[str, Any]], constraints: list[dict[str, Any]]
) -> None:
    thesis = thesis_of(sources, points, constraints)
    card = score(thesis, AS_OF, ScoringConfig())
    assert analyse(thesis, AS_OF, card) == analyse(thesis, AS_OF, replace(card))
