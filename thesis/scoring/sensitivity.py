"""Stress the score: one knob at a time, the smallest set of items that flips the rating, and each source left out.

All three are pure functions of a thesis, a date and the scorecard; none
imports anything heavy, so ``thesis score`` stays fast.

The flip search is exact. Removing a bull item never raises the score and
removing a bear item never lowers it (the score is ``100 × Σraw / (k + Σ|raw|)``),
so a set that lifts the rating can be reduced to its bear items (plus, in cap
mode, the capping constraints) and a set that lowers it to its bull items.
The search therefore tries each direction separately, by increasing set size,
over the candidates ordered by the size of their contribution, and prunes a
branch when even the largest remaining candidates could not reach the next
band. It stops after ``sensitivity.flip_search_limit`` evaluations and says
so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from thesis.inputs.models import Thesis
from thesis.scoring.score import ItemScore, Scorecard, combine, rate, rating_for, score_and_rating

Direction = Literal["up", "down"]


@dataclass(frozen=True)
class Setting:
    """One setting of a knob and the score it gives."""

    label: str
    score: float
    rating: str


@dataclass(frozen=True)
class KnobRange:
    """How far one knob moves the score when turned on its own."""

    knob: str  # machine name, e.g. "weight:cloud", "half_life", "shrinkage", "grades"
    label: str  # for people, e.g. "Weight of cloud ±25%"
    settings: tuple[Setting, ...]
    base: float

    @property
    def low(self) -> float:
        return min(self.base, *(s.score for s in self.settings))

    @property
    def high(self) -> float:
        return max(self.base, *(s.score for s in self.settings))

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Flip:
    """A set of items whose removal moves the rating to another band."""

    direction: Direction
    items: tuple[str, ...]
    score_after: float
    rating_after: str
    removed_contribution: float  # Σ contribution of the removed items, in score points


@dataclass(frozen=True)
class FlipSearch:
    """The smallest flip in each direction; ``best`` is the smaller of the two."""

    up: Flip | None
    down: Flip | None
    evaluated: int
    limit: int
    bound_hit: bool

    @property
    def best(self) -> Flip | None:
        found = [f for f in (self.down, self.up) if f is not None]
        if not found:
            return None
        return min(found, key=lambda f: (len(f.items), abs(f.removed_contribution)))


@dataclass(frozen=True)
class SourceLeftOut:
    source: str
    score: float
    rating: str
    delta: float
    dropped: tuple[str, ...]  # items left with no evidence


@dataclass(frozen=True)
class Sensitivity:
    base_score: float
    base_rating: str
    ranges: tuple[KnobRange, ...]  # widest first
    flips: FlipSearch
    leave_one_out: tuple[SourceLeftOut, ...]


def knob_ranges(thesis: Thesis, as_of: dt.date, card: Scorecard) -> tuple[KnobRange, ...]:
    """Turn each knob on its own and rescore: category weights, constraint weight, half-life, shrinkage, grades."""
    config = card.config
    steps = config.sensitivity
    down, up = 1 - steps.weight_step, 1 + steps.weight_step
    pct = f"{steps.weight_step * 100:g}%"

    def run(label: str, **update: object) -> Setting:
        variant = config.model_copy(update=update)
        return Setting(label, *score_and_rating(thesis, as_of, variant))

    ranges: list[KnobRange] = []
    for category in sorted({i.category for i in card.items if i.kind == "point"}):
        weight = config.category_weight(category)
        settings = tuple(
            run(f"×{factor:g}", category_weights={**config.category_weights, category: weight * factor})
            for factor in (down, up)
        )
        ranges.append(KnobRange(f"weight:{category}", f"{category} weight ±{pct}", settings, card.score))
    if any(i.kind == "constraint" and i.raw != 0 for i in card.items):
        settings = tuple(
            run(f"×{factor:g}", constraint_weight=config.constraint_weight * factor) for factor in (down, up)
        )
        ranges.append(KnobRange("constraint_weight", f"constraint weight ±{pct}", settings, card.score))
    settings = tuple(
        run(
            f"×{factor:g}",
            half_life_days=config.half_life_days * factor,
            half_life_by_category={k: v * factor for k, v in config.half_life_by_category.items()},
        )
        for factor in steps.half_life_factors
    )
    ranges.append(
        KnobRange(
            "half_life",
            f"half-life ×{steps.half_life_factors[0]:g} / ×{steps.half_life_factors[1]:g}",
            settings,
            card.score,
        )
    )
    settings = tuple(run(f"×{factor:g}", shrinkage=config.shrinkage * factor) for factor in steps.shrinkage_factors)
    ranges.append(
        KnobRange(
            "shrinkage",
            f"shrinkage ×{steps.shrinkage_factors[0]:g} / ×{steps.shrinkage_factors[1]:g}",
            settings,
            card.score,
        )
    )
    flat = run(
        "flat",
        reliability_factors=dict.fromkeys(config.reliability_factors, 1.0),
        credibility_factors=dict.fromkeys(config.credibility_factors, 1.0),
    )
    ranges.append(KnobRange("grades", "flat grades (all 1.0)", (flat,), card.score))
    return tuple(sorted(ranges, key=lambda r: (-r.width, r.knob)))


def find_flips(card: Scorecard) -> FlipSearch:
    """The smallest set of items whose removal moves the rating up, and down (exact, bounded)."""
    limit = card.config.sensitivity.flip_search_limit
    counter = _Counter(limit)
    up = _search(card, "up", counter)
    down = _search(card, "down", counter)
    return FlipSearch(up=up, down=down, evaluated=counter.count, limit=limit, bound_hit=counter.exhausted)


class _Counter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self.exhausted = False

    def tick(self) -> bool:
        """Count one evaluation; False once the limit is reached."""
        if self.count >= self.limit:
            self.exhausted = True
            return False
        self.count += 1
        return True


def _moves(item: ItemScore, direction: Direction) -> bool:
    """Whether removing ``item`` can move the rating in ``direction`` at all."""
    return item.raw < 0 or item.caps if direction == "up" else item.raw > 0


def _search(card: Scorecard, direction: Direction, counter: _Counter) -> Flip | None:
    config = card.config
    items = card.items
    base_index = config.band_index(card.rating)
    # by the monotonicity above, only bear items (and capping constraints) can lift it, only bull items lower it
    candidates = sorted((i for i in items if _moves(i, direction)), key=lambda i: (-abs(i.raw), i.id))
    capping = {i.id for i in items if i.caps}

    def better(rating: str) -> bool:
        index = config.band_index(rating)
        return index > base_index if direction == "up" else index < base_index

    def rating_without(removed: set[str]) -> tuple[float, str]:
        return rate([i for i in items if i.id not in removed], config)

    def bound(chosen: set[str], start: int, room: int) -> bool:
        """Could any completion of ``chosen`` with ``room`` more of ``candidates[start:]`` flip the rating?"""
        rest = [c for c in candidates[start:] if c.raw != 0][:room]  # the largest remaining magnitudes
        removed = chosen | {c.id for c in rest}
        kept = [i for i in items if i.id not in removed]
        total = combine([i.raw for i in kept], config.shrinkage)
        left_capping = capping - chosen
        liftable = (
            direction == "up" and left_capping <= {c.id for c in candidates[start:]} and len(left_capping) <= room
        )
        still_capping = () if liftable else tuple(sorted(left_capping))
        rating, _, _ = rating_for(total, still_capping, config)
        return better(rating)

    def dfs(chosen: list[ItemScore], start: int, size: int) -> Flip | None | Literal[False]:
        room = size - len(chosen)
        if room == 0:
            if not counter.tick():
                return False
            removed = {c.id for c in chosen}
            total, rating = rating_without(removed)
            if better(rating):
                return Flip(
                    direction=direction,
                    items=tuple(c.id for c in chosen),
                    score_after=total,
                    rating_after=rating,
                    removed_contribution=sum(c.contribution for c in chosen),
                )
            return None
        if not counter.tick():
            return False
        if not bound({c.id for c in chosen}, start, room):
            return None
        for index in range(start, len(candidates) - room + 1):
            found = dfs([*chosen, candidates[index]], index + 1, size)
            if found is not None:
                return found
        return None

    for size in range(1, len(candidates) + 1):
        result = dfs([], 0, size)
        if result is False:
            return None
        if result is not None:
            return result
    return None


def leave_one_source_out(thesis: Thesis, as_of: dt.date, card: Scorecard) -> tuple[SourceLeftOut, ...]:
    """The score with each source's evidence removed (an item left with no evidence drops out)."""
    results: list[SourceLeftOut] = []
    for source in thesis.sources:
        without = without_source(thesis, source.id)
        kept = {p.id for p in without.points} | {c.id for c in without.constraints}
        total, rating = score_and_rating(without, as_of, card.config)
        dropped = tuple(i.id for i in card.items if i.id not in kept)
        results.append(SourceLeftOut(source.id, total, rating, total - card.score, dropped))
    return tuple(results)


def without_source(thesis: Thesis, source_id: str) -> Thesis:
    points = []
    for point in thesis.points:
        evidence = [c for c in point.evidence if c.source != source_id]
        if evidence:
            points.append(point.model_copy(update={"evidence": evidence}))
    constraints = []
    for constraint in thesis.constraints:
        evidence = [c for c in constraint.evidence if c.source != source_id]
        if evidence:
            constraints.append(constraint.model_copy(update={"evidence": evidence}))
    return thesis.model_copy(
        update={
            "sources": [s for s in thesis.sources if s.id != source_id],
            "points": points,
            "constraints": constraints,
        }
    )


def analyse(thesis: Thesis, as_of: dt.date, card: Scorecard) -> Sensitivity:
    """Every stress test of one scorecard."""
    return Sensitivity(
        base_score=card.score,
        base_rating=card.rating,
        ranges=knob_ranges(thesis, as_of, card),
        flips=find_flips(card),
        leave_one_out=leave_one_source_out(thesis, as_of, card),
    )
