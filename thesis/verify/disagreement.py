"""When sources disagree: the one rule the brief, ``thesis check`` and the metric charts share.

Two observations of a metric are about the same thing when :func:`refers_to`
gives both the same key: the same canonical period ("Q3 2025" and "2025 Q3",
"FY 2024" and "fy'2024"), the same period text where it is not recognised,
the same date where no period is given, or neither date nor recognisable
period at all. A group of such observations disagrees when its values spread
by more than :data:`TOLERANCE` of the largest magnitude among them: small
differences are rounding ("about 30%" and "29.6%"), not disagreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from thesis.inputs.models import Observation
from thesis.inputs.periods import parse_period

TOLERANCE = 0.05  # observations of one period agree when within 5% of the larger magnitude
UNDATED = ""  # the key of observations with neither a date nor a recognisable period


def period_key(period: str | None) -> str | None:
    """The canonical key of the period a label starts with ("2025-Q3", "2024-H2", "FY2026", "2025-09",
    "2025"), else None: "Q3 2025 (reported Aug 2025)" is 2025-Q3 (:mod:`thesis.inputs.periods` reads it)."""
    parsed = parse_period(period)
    return parsed.key if parsed is not None else None


def refers_to(observation: Observation) -> str:
    """What an observation is a figure for: observations with the same key are compared."""
    key = period_key(observation.period)
    if key is not None:
        return key
    if observation.date is None:
        return UNDATED
    if observation.period:
        return "text:" + " ".join(observation.period.lower().split())
    return observation.date.isoformat()


def differ(values: Sequence[float]) -> bool:
    """True when the values spread by more than :data:`TOLERANCE` of the largest magnitude."""
    low, high = min(values), max(values)
    return high - low > TOLERANCE * max(abs(low), abs(high))


@dataclass(frozen=True)
class Disagreement:
    """Observations (by index in the metric's list) about the same thing whose values differ."""

    key: str
    indices: tuple[int, ...]

    @property
    def undated(self) -> bool:
        return self.key == UNDATED


def disagreements(observations: Sequence[Observation]) -> list[Disagreement]:
    """Every group of observations about the same thing that disagrees, in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for index, observation in enumerate(observations):
        groups.setdefault(refers_to(observation), []).append(index)
    return [
        Disagreement(key, tuple(indices))
        for key, indices in groups.items()
        if len(indices) > 1 and differ([observations[i].value for i in indices])
    ]
