"""Bull, base and bear cases: the probability-weighted value, the tilt, and whether it agrees with the score.

``upside`` and ``downside`` are probability-weighted: ``Σ p × max(value -
current, 0)`` and ``Σ p × max(current - value, 0)``; the expected value is
``current + upside - downside``. A change is measured against the size of
current, ``(value - current) / |current|``, so a value above current is always
a rise, also when current is negative (the inputs refuse a current of 0). The
tilt is *upside* when the expected change is above ``scenario_flat_change`` (a
fraction of current), *downside* when below minus that, else *balanced*. The qualitative score points up when its
band lies wholly above zero and down when wholly below; the two are flagged
when they point in opposite directions.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from thesis.figures import signed_percent
from thesis.inputs.models import Scenarios, written_on
from thesis.scoring.score import Scorecard

ORDER = ("bull", "base", "bear")


@dataclass(frozen=True)
class Case:
    name: str
    probability: float
    value: float
    change: float  # (value - current) / |current|
    description: str | None  # the newest version (in an as-of view, the newest written by its date)
    description_written: dt.date | None = None  # the day that version was written; None when plain or none


@dataclass(frozen=True)
class ScenarioAnalysis:
    metric: str
    unit: str
    current: float
    cases: tuple[Case, ...]  # bull, base, bear order
    expected: float
    expected_change: float
    upside: float
    downside: float
    reward_to_risk: float | None  # upside / downside; None when there is no downside
    tilt: str  # upside, downside, balanced
    score_direction: str  # up, down, neutral
    conflict: bool
    message: str


def _change(value: float, current: float) -> float:
    """``value`` against ``current`` as a fraction of current's size: positive whenever value is above it."""
    return (value - current) / abs(current)


def _ratio(upside: float, downside: float) -> float | None:
    """Reward to risk; None when there is no downside, or one so small that the ratio has no finite value."""
    if downside <= 0:
        return None
    ratio = upside / downside
    return ratio if math.isfinite(ratio) else None


def score_direction(card: Scorecard) -> str:
    """up when the rating's band lies wholly above zero, down when wholly below, else neutral."""
    bands = card.config.bands
    index = card.config.band_index(card.rating)
    low = bands[index].min
    high = bands[index + 1].min if index + 1 < len(bands) else 100.0
    if low > 0:
        return "up"
    if high <= 0:
        return "down"
    return "neutral"


def analyse(scenarios: Scenarios, card: Scorecard) -> ScenarioAnalysis:
    current = scenarios.current
    cases = tuple(
        Case(
            c.name,
            c.probability,
            c.value,
            _change(c.value, current),
            c.current_description,
            written_on(c.description),
        )
        for c in sorted(scenarios.cases, key=lambda c: ORDER.index(c.name))
    )
    upside = sum(c.probability * max(c.value - current, 0.0) for c in cases)
    downside = sum(c.probability * max(current - c.value, 0.0) for c in cases)
    expected = sum(c.probability * c.value for c in cases)
    expected_change = _change(expected, current)
    flat = card.config.scenario_flat_change
    tilt = "upside" if expected_change > flat else "downside" if expected_change < -flat else "balanced"
    direction = score_direction(card)
    conflict = (tilt == "upside" and direction == "down") or (tilt == "downside" and direction == "up")
    if conflict:
        message = (
            f"The scenarios and the score disagree: the probability-weighted {scenarios.metric.lower()} "
            f"is {signed_percent(expected_change, 1)} against current, but the score rates the thesis {card.rating}."
        )
    else:
        message = (
            f"The scenarios tilt {tilt} ({signed_percent(expected_change, 1)} probability-weighted) "
            f"and the score rates the thesis {card.rating}; they do not point in opposite directions."
        )
    return ScenarioAnalysis(
        metric=scenarios.metric,
        unit=scenarios.unit,
        current=current,
        cases=cases,
        expected=expected,
        expected_change=expected_change,
        upside=upside,
        downside=downside,
        reward_to_risk=_ratio(upside, downside),
        tilt=tilt,
        score_direction=direction,
        conflict=conflict,
        message=message,
    )
