"""Why the score moved: the change split into groups that sum exactly to it.

The score is ``100 × Σ raw / (shrinkage + Σ |raw|)`` (:func:`thesis.scoring.score.combine`).
Between two snapshots five things can move it:

``added``
    items only in the new snapshot (at their new raw value);
``removed``
    items only in the old snapshot (at their old raw value);
``edits``
    for items in both: stance, category, impact or severity, constraint
    status, evidence grades, and fresher or staler evidence (the newest cited
    source);
``time_decay``
    for items in both: the as-of date moving, which ages the evidence;
``configuration``
    the scoring configuration (weights, factors, half-lives, shrinkage).

An item in both snapshots is re-scored from its snapshot fields under any mix
of old and new attributes, dates and configuration, with the functions of
:mod:`thesis.scoring.score` (:func:`~thesis.scoring.score.point_raw`,
:func:`~thesis.scoring.score.constraint_raw`, :func:`~thesis.scoring.score.recency`,
:func:`~thesis.scoring.score.combine`). That defines the score for every subset of the groups,
and each group's share is its Shapley value: its marginal effect averaged over
every order in which the groups could be applied. Shapley values always add
up to the whole change, split interactions fairly, give exactly 0 to a group
that changes nothing, and swapping old and new negates every share.

If the snapshots' scores were not produced by this formula (for example by a
different version of the scoring), the part the groups cannot explain is
reported as ``unexplained`` rather than hidden in another group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from math import factorial
from typing import Any

from thesis.scoring.config import ScoringConfig
from thesis.scoring.score import combine, constraint_raw, point_raw, recency

GROUPS = ("added", "removed", "edits", "time_decay", "configuration")
UNEXPLAINED = "unexplained"
ROUNDING_TOLERANCE = 1e-5  # snapshot floats carry 6 decimals; smaller gaps are rounding
DIGITS = 6

Snapshot = Mapping[str, Any]
Item = Mapping[str, Any]


@dataclass(frozen=True)
class Attribution:
    old: float
    new: float
    change: float
    by_group: dict[str, float]  # every group in GROUPS, plus UNEXPLAINED when needed; sums to ``change``


@cache
def _default_config() -> dict[str, Any]:
    return ScoringConfig().canonical()


def scoring_config(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot's scoring configuration, with defaults for any key it does not carry."""
    given = snapshot.get("scoring", {}).get("config", {})
    return {**_default_config(), **given}


def scored_items(snapshot: Snapshot) -> dict[str, tuple[str, Item]]:
    """Every item that counts in the score, by id: points and constraints."""
    items: dict[str, tuple[str, Item]] = {}
    for kind, key in (("point", "points"), ("constraint", "constraints")):
        for item in snapshot.get(key, []):
            items[str(item["id"])] = (kind, item)
    return items


def _quality(config: Mapping[str, Any], citations: list[Mapping[str, Any]]) -> float:
    """The best citation's evidence quality under ``config`` (as :func:`thesis.scoring.score.best_citation`)."""
    best = 0.0
    for citation in citations:
        grade = str(citation.get("grade", "F6"))
        reliability = config["reliability_factors"].get(grade[:1], 1.0)
        credibility = config["credibility_factors"].get(grade[1:], 1.0)
        best = max(best, float(reliability) * float(credibility))
    return best


def item_raw(kind: str, item: Item, age_days: int, config: Mapping[str, Any]) -> float:
    """An item's raw value from its snapshot fields, at an evidence age, under a configuration."""
    quality = _quality(config, item.get("citations", []))
    if kind == "constraint":
        bite = float(config["status_factors"].get(item["status"], 0.0))
        weight = float(config["constraint_weight"]) * bite
        return constraint_raw(str(config["constraint_mode"]), weight, int(item["severity"]), quality)
    category = str(item["category"])
    weight = float(config["category_weights"].get(category, config["default_category_weight"]))
    half_life = float(config["half_life_by_category"].get(category, config["half_life_days"]))
    decay = recency(age_days, half_life, float(config["recency_floor"]))
    return point_raw(str(item["stance"]), weight, int(item["impact"]), quality, decay)


def shapley(players: tuple[str, ...], value: Callable[[frozenset[str]], float]) -> dict[str, float]:
    """Exact Shapley values of a small game (every subset is evaluated once)."""
    n = len(players)
    memo: dict[frozenset[str], float] = {}

    def v(coalition: frozenset[str]) -> float:
        if coalition not in memo:
            memo[coalition] = value(coalition)
        return memo[coalition]

    result: dict[str, float] = {}
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for size in range(n):
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            for subset in combinations(others, size):
                coalition = frozenset(subset)
                total += weight * (v(coalition | {player}) - v(coalition))
        result[player] = total
    return result


def attribute(old: Snapshot, new: Snapshot) -> Attribution:
    """Split ``new.score − old.score`` into :data:`GROUPS` (plus ``unexplained`` if the formula differs)."""
    old_items, new_items = scored_items(old), scored_items(new)
    switched = _kind_changed(old_items, new_items)
    both = sorted(set(old_items) & set(new_items) - switched)
    added = sorted(set(new_items) - set(old_items) | switched)
    removed = sorted(set(old_items) - set(new_items) | switched)
    old_config, new_config = scoring_config(old), scoring_config(new)
    shift = (dt.date.fromisoformat(new["as_of"]) - dt.date.fromisoformat(old["as_of"])).days

    def age(item: Item, towards_new_date: bool, from_new: bool) -> int:
        days = int(item["age_days"])
        if from_new == towards_new_date:
            return days
        return max(0, days + shift) if towards_new_date else max(0, days - shift)

    @cache  # items in both depend on three of the five groups: 8 rescorings, not one per coalition (32)
    def both_raws(edits: bool, later: bool, configured: bool) -> tuple[float, ...]:
        config = new_config if configured else old_config
        raws = []
        for item_id in both:
            kind, item = new_items[item_id] if edits else old_items[item_id]
            raws.append(item_raw(kind, item, age(item, later, edits), config))
        return tuple(raws)

    def value(coalition: frozenset[str]) -> float:
        config = new_config if "configuration" in coalition else old_config
        raws = list(both_raws("edits" in coalition, "time_decay" in coalition, "configuration" in coalition))
        if "added" in coalition:
            raws += [float(new_items[i][1].get("raw", 0.0)) for i in added]
        if "removed" not in coalition:
            raws += [float(old_items[i][1].get("raw", 0.0)) for i in removed]
        return combine(raws, float(config["shrinkage"]))

    old_score, new_score = float(old.get("score", 0.0)), float(new.get("score", 0.0))
    change = round(new_score - old_score, DIGITS)
    shares = shapley(GROUPS, value)
    by_group = {g: shares.get(g, 0.0) for g in GROUPS}
    slack = _rounding_slack(old_items, old_config) + _rounding_slack(new_items, new_config)
    return Attribution(old_score, new_score, change, _settled(by_group, change, slack))


def _rounding_slack(items: dict[str, tuple[str, Item]], config: Mapping[str, Any]) -> float:
    """How far a score can move when its raw values are rounded to 6 places, as snapshots store them.

    ``∂score/∂raw_i`` is at most ``2 × 100 / (shrinkage + Σ|raw|)``; each raw value is off by at
    most half a millionth, and the score itself by another half.
    """
    half = 0.5 * 10.0**-DIGITS
    denominator = float(config["shrinkage"]) + sum(abs(float(i.get("raw", 0.0))) for _, i in items.values())
    if denominator <= 0:
        return half
    return half + len(items) * half * 2 * 100 / denominator


def _kind_changed(old_items: dict[str, tuple[str, Item]], new_items: dict[str, tuple[str, Item]]) -> set[str]:
    """Ids that are a point on one side and a constraint on the other: one removed, another added."""
    return {i for i in set(old_items) & set(new_items) if old_items[i][0] != new_items[i][0]}


# Which group takes the rounding gap among equally large shares: first those that swapping old and new maps to
# themselves, so that a diff read backwards still negates every share (added and removed trade places).
_TIE_ORDER = ("edits", "time_decay", "configuration", "added", "removed", UNEXPLAINED)


def _settled(by_group: dict[str, float], change: float, slack: float) -> dict[str, float]:
    """Round to the snapshot's precision so that the shares add up exactly to ``change``.

    The arithmetic is done in millionths (integers), so the sum is exact, not
    merely close. A gap larger than the snapshots' rounding can explain
    (``slack``) becomes an ``unexplained`` share; a smaller one goes to the
    largest share.
    """
    unit = 10**DIGITS
    target = round(change * unit)
    micro = {g: round(v * unit) for g, v in by_group.items()}
    gap = target - sum(micro.values())
    if abs(gap) > max(slack, ROUNDING_TOLERANCE) * unit:
        micro[UNEXPLAINED] = gap
    elif gap:
        largest = max(micro, key=lambda g: (abs(micro[g]), -_TIE_ORDER.index(g)))
        micro[largest] += gap
    return {g: (m / unit if m else 0.0) for g, m in micro.items()}
