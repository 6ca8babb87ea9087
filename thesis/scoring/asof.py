"""The thesis as it was known on a date: nothing later leaks in.

Counts only evidence from sources published on or before the date, metric
observations dated on or before it (an undated observation takes its
source's date), constraints in effect by it, scenarios set by it (undated
scenarios count as set on the newest source's date), and catalysts announced
by it, still upcoming where they were resolved later. An item left with no
evidence drops out. Whatever the brief says about its evidence (such as how
many quotes were checked) is counted from this view, never from every input.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from thesis.inputs.models import Catalyst, Constraint, Metric, Point, Thesis

if TYPE_CHECKING:
    from thesis.verify.quotes import Verification


def as_of_view(thesis: Thesis, as_of: dt.date) -> Thesis:
    known = {s.id for s in thesis.sources if s.published.date <= as_of}
    sources = [s for s in thesis.sources if s.id in known]
    published = {s.id: s.published.date for s in thesis.sources}

    points: list[Point] = []
    for point in thesis.points:
        evidence = [c for c in point.evidence if c.source in known]
        if evidence:
            points.append(point.model_copy(update={"evidence": evidence}))

    metrics: list[Metric] = []
    for metric in thesis.metrics:
        observations = [
            o for o in metric.observations if o.source in known and (o.date or published[o.source]) <= as_of
        ]
        if observations:
            metrics.append(metric.model_copy(update={"observations": observations}))

    constraints: list[Constraint] = []
    for constraint in thesis.constraints:
        if constraint.effective.date > as_of:
            continue
        evidence = [c for c in constraint.evidence if c.source in known]
        if evidence:
            constraints.append(constraint.model_copy(update={"evidence": evidence}))

    catalysts = catalysts_as_of(thesis, as_of, known)

    set_on = thesis.scenarios_date()
    scenarios = thesis.scenarios if set_on is not None and set_on <= as_of else None

    return thesis.model_copy(
        update={
            "sources": sources,
            "points": points,
            "metrics": metrics,
            "constraints": constraints,
            "scenarios": scenarios,
            "catalysts": catalysts,
        }
    )


def catalysts_as_of(thesis: Thesis, as_of: dt.date, known: set[str]) -> list[Catalyst]:
    """Catalysts as known on ``as_of``: a cited one from its first source on, citing only sources then
    published; one resolved later is still upcoming, with no outcome."""
    catalysts: list[Catalyst] = []
    for catalyst in thesis.catalysts:
        evidence = [c for c in catalyst.evidence if c.source in known]
        if catalyst.evidence and not evidence:
            continue
        update: dict[str, object] = {"evidence": evidence}
        resolved_on = catalyst.resolved_on
        if resolved_on is not None and resolved_on > as_of:
            update.update(status="upcoming", outcome=None, resolved=None)
        catalysts.append(catalyst.model_copy(update=update))
    return catalysts


def quote_counts(view: Thesis, verification: Verification) -> tuple[int, int]:
    """The quotes ``view`` cites, and how many of them were not found in their sources."""
    quotes = [(cited.source, cited.quote) for _, _, cited in view.citations()]
    return len(quotes), sum(1 for source, quote in quotes if not verification.verified_quote(source, quote))
