"""Kill criteria evaluated on a date: which have tripped, and on what evidence.

Each criterion is read against the as-of view, so nothing published after the
date can trip it:

- ``metric`` with ``above``/``below``: the metric's latest reported
  observation (forecasts left out; latest by the end of the period it refers
  to, else its date, else its source's date) is compared with the
  threshold; the observation is the evidence.
- ``constraint`` with ``status``: trips when the constraint is in force on the
  date with one of those statuses; its citations are the evidence.
- ``catalyst`` with ``missed`` or ``not_happened_by``: trips when the catalyst
  is missed as of the date, or when the date is on or after
  ``not_happened_by`` and it has not happened. The window in force (the one
  written by the date) never trips it; when it moved, the reading says so
  ("expected Q3 2026 (slipped from Q1 2026), past the deadline").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thesis.figures import minus
from thesis.inputs.models import Citation, KillCriterion, Observation, Thesis
from thesis.inputs.periods import is_estimate, parse_period
from thesis.scoring.catalysts import catalyst_state
from thesis.verify.numbers import format_value


@dataclass(frozen=True)
class KillState:
    criterion: KillCriterion
    tripped: bool
    reading: str  # what the tool found, in one line: the evidence when tripped, the current reading otherwise
    citations: tuple[Citation, ...] = ()


def latest_observation(view: Thesis, metric_id: str) -> Observation | None:
    """The metric's latest reported observation in the view: forecasts left out, the latest by the end
    of the period it refers to, else its date, else its source's date; the later-listed on a tie."""
    published = {s.id: s.published.date for s in view.sources}
    for metric in view.metrics:
        if metric.id != metric_id:
            continue
        dated = []
        for n, observation in enumerate(metric.observations):
            source_date = published[observation.source]
            period = parse_period(observation.period)
            if not is_estimate(observation, period, source_date):
                dated.append((period.end if period else observation.date or source_date, n, observation))
        return max(dated, key=lambda entry: (entry[0], entry[1]))[2] if dated else None
    return None


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _amount(value: float, unit: str) -> str:
    """A value and the threshold it is held to, written alike: ``−1.9%`` against ``−15%``, ``352.7 EUR m``."""
    text = minus(format_value(value))
    return text + "%" if unit == "%" else f"{text} {unit}"


def _metric(view: Thesis, criterion: KillCriterion) -> KillState:
    assert criterion.metric is not None
    metric = next((m for m in view.metrics if m.id == criterion.metric), None)
    observation = latest_observation(view, criterion.metric)
    if metric is None or observation is None:
        return KillState(criterion, False, f"no observation of {criterion.metric} yet")
    value = _amount(observation.value, metric.unit)
    where = f"{observation.label}, {observation.source}"
    if criterion.above is not None:
        tripped = observation.value > criterion.above
        relation = f"{'above' if tripped else 'not above'} {_amount(criterion.above, metric.unit)}"
    else:
        assert criterion.below is not None
        tripped = observation.value < criterion.below
        relation = f"{'below' if tripped else 'not below'} {_amount(criterion.below, metric.unit)}"
    reading = f"latest {metric.name}: {value} ({where}), {relation}"
    citation = Citation(source=observation.source, quote=observation.quote, credibility=observation.credibility)
    return KillState(criterion, tripped, reading, (citation,))


def _constraint(view: Thesis, criterion: KillCriterion) -> KillState:
    constraint = next((c for c in view.constraints if c.id == criterion.constraint), None)
    wanted = _either(list(criterion.status or []))
    if constraint is None:
        return KillState(criterion, False, f"{criterion.constraint} is not in force; trips when {wanted}")
    tripped = constraint.status in (criterion.status or [])
    reading = (
        f"{constraint.item}: {constraint.status} ({constraint.authority}, effective {constraint.effective.display()})"
        + ("" if tripped else f"; trips when {wanted}")
    )
    return KillState(criterion, tripped, reading, tuple(constraint.evidence))


def _catalyst(view: Thesis, criterion: KillCriterion, as_of: dt.date) -> KillState:
    catalyst = next((c for c in view.catalysts if c.id == criterion.catalyst), None)
    if catalyst is None:
        return KillState(criterion, False, f"catalyst {criterion.catalyst} is not announced yet")
    citations = tuple(catalyst.evidence)
    if criterion.missed and catalyst.status == "missed":
        when = catalyst.resolved_on.isoformat() if catalyst.resolved_on else "date not given"
        return KillState(criterion, True, f"{catalyst.current_title}: missed ({when})", citations)
    deadline = criterion.not_happened_by
    if deadline is not None and as_of >= deadline and catalyst.status != "happened":
        return KillState(
            criterion,
            True,
            f"{catalyst.current_title}: not happened by {deadline.isoformat()} (status {catalyst.status})",
            citations,
        )
    reading = f"{catalyst.current_title}: {catalyst.status}"
    if deadline is not None and catalyst.status != "happened":
        reading += f"; trips if not happened by {deadline.isoformat()}"
    state = catalyst_state(catalyst, as_of)
    if state.moved and catalyst.status == "upcoming":  # the window in force, when it moved: a slip towards the deadline
        assert state.window is not None
        past = ", past the deadline" if deadline is not None and state.window.end > deadline else ""
        reading += f"; expected {state.when} ({state.moved}){past}"
    return KillState(criterion, False, reading, citations)


def evaluate(view: Thesis, as_of: dt.date) -> list[KillState]:
    """Every kill criterion of the as-of view, tripped ones first, in input order otherwise."""
    states = []
    for criterion in view.kill_criteria:
        if criterion.kind == "metric":
            states.append(_metric(view, criterion))
        elif criterion.kind == "constraint":
            states.append(_constraint(view, criterion))
        else:
            states.append(_catalyst(view, criterion, as_of))
    return sorted(states, key=lambda state: not state.tripped)
