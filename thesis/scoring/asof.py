"""The thesis as it was known on a date: nothing later leaks in.

Counts only evidence from sources published on or before the date, metric
observations dated on or before it (an undated observation takes its
source's date), constraints in effect by it, scenarios set by it (undated
scenarios count as set on the newest source's date), and catalysts announced
by it, still upcoming where they were resolved later. An item left with no
evidence drops out; a catalyst tests, and a kill criterion watches, only the
items left (a criterion on an item not yet there waits for it). Whatever the brief says about its evidence (such as how
many quotes were checked) is counted from this view, never from every input.

The desk's own words are dated too, so that a brief as of a date quotes no text
written from later knowledge. Each text (the company summary, a point's title
and body, a constraint's body and the note of each of its status changes, a
metric's description and the note of each of its observations, a catalyst's
title, timing, expected window and outcome, a kill criterion's title and
rationale, a scenario case's description) is a plain text or a list of dated
versions. The view keeps, for each, the versions written on or
before the date (oldest first; consumers show the newest, ``models.latest``),
and may keep none: then the brief shows the evidence alone with a note. A
plain text counts as written on:

- the company summary: the newest source's publication date (it may rest on any source);
- a point's title and body: the point's ``since`` date;
- a constraint's body: its earliest cited source's publication date;
- a metric's description: its earliest observation's source's publication date;
- a metric observation's note: its source's publication date;
- a constraint status change's note: the change's earliest cited source's
  publication date;
- a scenario case's description: the scenarios' date (:meth:`Thesis.scenarios_date`);
- a catalyst's title, timing and expected window, a kill criterion's title and rationale: the
  item's earliest cited source's publication date (uncited, a plain text is
  undated and counts as written on any day);
- a catalyst's outcome: the day it was resolved, or its earliest cited source's
  publication date when that is later (no outcome shows before it was resolved;
  one no source dates counts as resolved when its newest citing source was
  published).

A note or a case's description written by none of them shows nothing: they are
optional, and the brief prints no line for one. The basis of an estimated date
(``{estimate, basis}``) is one text, like the names of things: it says how the
date, which is not versioned, was read from the record, and the date is what
decides whether a source or a status was known on a day; an estimate read
differently later is a corrected date, and its basis goes with it.

A point counts from its ``since`` date (default: its earliest cited source's
publication date) and, when its title is versioned, from its first title; a
catalyst and a kill criterion likewise from their first title. The
versions may come from the inputs or from any other record of what was written
when (such as a project's history), as long as each carries its date.

:func:`inputs_as_of` is that thesis as valid inputs again, each text as its dated
versions and each constraint with its statuses then reported; a PDF brief
attaches it, written out as YAML (:mod:`thesis.inputs.yaml_writer`).
:func:`as_of_view` is the same with each constraint at the status in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from thesis.inputs.models import (
    Catalyst,
    Citation,
    Constraint,
    ConstraintStatus,
    DateInfo,
    KillCriterion,
    Metric,
    Observation,
    Point,
    StatusChange,
    Thesis,
    TitleVersion,
    Version,
    WindowVersion,
    dated_versions,
    latest,
)

if TYPE_CHECKING:
    from thesis.verify.quotes import Verification

V = TypeVar("V", bound=Version)


def as_of_view(thesis: Thesis, as_of: dt.date) -> Thesis:
    """The thesis as known on ``as_of``, each constraint at the status then in force (its one status,
    its citations those of that status): what a brief as of the date shows and scores."""
    known = inputs_as_of(thesis, as_of)
    constraints = []
    for constraint in known.constraints:
        current = constraint.changes[-1] if constraint.changes else None
        update: dict[str, object] = {"changes": []}
        if current is not None:
            update |= {"status": current.status, "effective": current.date, "evidence": current.evidence}
        constraints.append(constraint.model_copy(update=update))
    return known.model_copy(update={"constraints": constraints})


def inputs_as_of(thesis: Thesis, as_of: dt.date) -> Thesis:
    """The inputs as they stood on ``as_of``: valid inputs again, holding nothing published, written,
    reported or resolved later, so that they may be written out and loaded (a PDF brief attaches them).

    The same as :func:`as_of_view` except that a constraint keeps the statuses known by then (the first
    of them as its status, the later ones as its changes), so its history reads as it did on the date.
    Each text is its versions written by then, with their dates; a catalyst tests, and a kill criterion
    watches, only what is in them.
    """
    known = {s.id for s in thesis.sources if s.published.date <= as_of}
    sources = [s for s in thesis.sources if s.id in known]
    published = {s.id: s.published.date for s in thesis.sources}

    def written_by(text: str | list[V] | None, default: dt.date, cls: type[V]) -> list[V]:
        return [v for v in dated_versions(text, default, cls) if v.written <= as_of]

    points: list[Point] = []
    for point in thesis.points:
        since = point_since(point, published)
        evidence = [c for c in point.evidence if c.source in known]
        titles = written_by(point.title, since, TitleVersion)
        if evidence and since <= as_of and titles:
            body = written_by(point.body, since, Version)
            points.append(point.model_copy(update={"evidence": evidence, "title": titles, "body": body}))

    metrics: list[Metric] = []
    for metric in thesis.metrics:
        observations = [
            o for o in metric.observations if o.source in known and (o.date or published[o.source]) <= as_of
        ]
        if observations:
            first = min(published[o.source] for o in metric.observations)
            description = written_by(metric.description, first, Version)
            observations = [
                o if o.note is None else o.model_copy(update={"note": written_by(o.note, published[o.source], Version)})
                for o in observations
            ]
            metrics.append(metric.model_copy(update={"observations": observations, "description": description}))

    constraints: list[Constraint] = []
    for constraint in thesis.constraints:
        history = status_history(constraint, as_of, published)
        if history:
            first = min(published[c.source] for c in constraint.evidence)
            body = written_by(constraint.body, first, Version)
            base, *later = history
            changes = [
                StatusChange(
                    status=e.status,
                    date=e.effective,
                    evidence=list(e.evidence),
                    note=None if e.note is None else list(e.note),
                )
                for e in later
            ]
            update = {"status": base.status, "effective": base.effective, "evidence": list(base.evidence)}
            constraints.append(constraint.model_copy(update={**update, "changes": changes, "body": body}))

    company = thesis.company
    newest = max(published.values())
    summary = written_by(company.summary, newest, Version)

    # A catalyst's or a kill criterion's words, cited, count as written when its earliest cited source was
    # published (it counts from then on); uncited and plain, they are undated and count as written on any day.
    def first_cited(cited: list[Citation]) -> dt.date | None:
        return min((published[c.source] for c in cited), default=None)

    def item_text(text: str | list[V] | None, cited: list[Citation], cls: type[V]) -> str | list[V]:
        if not cited and isinstance(text, str):
            return text
        return written_by(text, first_cited(cited) or as_of, cls)

    items = {item.id for group in (points, metrics, constraints) for item in group}
    catalysts: list[Catalyst] = []
    for catalyst in catalysts_as_of(thesis, as_of, known):
        title = item_text(catalyst.title, catalyst.evidence, TitleVersion)  # its earliest source is known
        if not title:
            continue  # no title written yet: like a point, it counts from its first title on
        texts: dict[str, object] = {"title": title, "tests": [tested for tested in catalyst.tests if tested in items]}
        if catalyst.timing is not None:
            texts["timing"] = item_text(catalyst.timing, catalyst.evidence, TitleVersion)
        if catalyst.expected is not None:  # the window in force then: a later slip is not yet known
            texts["expected"] = item_text(catalyst.expected, catalyst.evidence, WindowVersion)
            written = catalyst.model_copy(update={"expected": texts["expected"]})
            if catalyst.resolved is None and written.resolved_on != catalyst.resolved_on:
                # a window written later was left out: it resolves at the end of its last window all the same
                texts["resolved"] = catalyst.resolved_on
        if catalyst.outcome is not None:  # resolved by the date: catalysts_as_of leaves out a later outcome
            # written once it was resolved and the desk knew of it
            known_on = [day for day in (known_resolved(catalyst, published), first_cited(catalyst.evidence)) if day]
            texts["outcome"] = written_by(catalyst.outcome, max(known_on, default=as_of), Version)
        catalysts.append(catalyst.model_copy(update=texts))
    watched = {
        "metric": {m.id for m in metrics},
        "constraint": {c.id for c in constraints},
        "catalyst": {c.id for c in catalysts},
    }

    # A cited kill criterion was set on its evidence, so it counts from its first source on (its
    # title and rationale may rest on any of them); an uncited one counts always, from its first title.
    # Either watches something the thesis held by then: one on a metric not yet observed, a constraint
    # not yet reported or a catalyst not yet announced waits for it.
    kill_criteria: list[KillCriterion] = []
    for criterion in thesis.kill_criteria:
        if criterion.evidence and not any(c.source in known for c in criterion.evidence):
            continue
        title = item_text(criterion.title, criterion.evidence, TitleVersion)
        if not title or criterion.watched not in watched[criterion.kind]:
            continue
        rationale = item_text(criterion.rationale, criterion.evidence, Version)
        evidence = [c for c in criterion.evidence if c.source in known]
        kill_criteria.append(
            criterion.model_copy(update={"evidence": evidence, "title": title, "rationale": rationale})
        )

    set_on = thesis.scenarios_date()
    scenarios = None
    if thesis.scenarios is not None and set_on is not None and set_on <= as_of:
        cases = [
            case
            if case.description is None
            else case.model_copy(update={"description": written_by(case.description, set_on, Version)})
            for case in thesis.scenarios.cases
        ]
        scenarios = thesis.scenarios.model_copy(update={"cases": cases})

    return thesis.model_copy(
        update={
            "company": company.model_copy(update={"summary": summary}),
            "sources": sources,
            "points": points,
            "metrics": metrics,
            "constraints": constraints,
            "scenarios": scenarios,
            "catalysts": catalysts,
            "kill_criteria": kill_criteria,
        }
    )


def catalysts_as_of(thesis: Thesis, as_of: dt.date, known: set[str]) -> list[Catalyst]:
    """Catalysts as known on ``as_of``: a cited one from its first source on, citing only sources then
    published; one resolved later is still upcoming, with no outcome (:func:`known_resolved`)."""
    published = {s.id: s.published.date for s in thesis.sources}
    catalysts: list[Catalyst] = []
    for catalyst in thesis.catalysts:
        evidence = [c for c in catalyst.evidence if c.source in known]
        if catalyst.evidence and not evidence:
            continue
        update: dict[str, object] = {"evidence": evidence}
        resolved_on = known_resolved(catalyst, published)
        if resolved_on is not None and resolved_on > as_of:
            update.update(status="upcoming", outcome=None, resolved=None)
        catalysts.append(catalyst.model_copy(update=update))
    return catalysts


def known_resolved(catalyst: Catalyst, published: dict[str, dt.date]) -> dt.date | None:
    """The day a catalyst is known as resolved: its ``resolved_on``; for one no source dates, the day the
    newest source citing it was published (the one reporting it: before it, only the announcement was out).
    ``None`` while it is upcoming."""
    if catalyst.status == "upcoming":
        return None
    return catalyst.resolved_on or max((published[c.source] for c in catalyst.evidence), default=None)


@dataclass(frozen=True)
class StatusEntry:
    """One status of a constraint as known on a date, with the citations then published."""

    status: ConstraintStatus
    effective: DateInfo
    evidence: tuple[Citation, ...]
    note: tuple[Version, ...] | None = None  # its note's versions written by then; None: it has no note

    @property
    def current_note(self) -> str | None:
        """The newest note written by then, or None."""
        return latest(self.note)


def status_history(constraint: Constraint, as_of: dt.date, published: dict[str, dt.date]) -> list[StatusEntry]:
    """A constraint's statuses known on ``as_of``, oldest first: each in effect by then and cited by a source
    published by then (with only those citations), with its note's versions written by then. The last is the
    status in force; empty when none is known."""
    entries = [StatusEntry(constraint.status, constraint.effective, tuple(constraint.evidence))]
    for change in constraint.changes:
        note = None
        if change.note is not None:
            first = min(published[c.source] for c in change.evidence)
            note = tuple(v for v in dated_versions(change.note, first, Version) if v.written <= as_of)
        entries.append(StatusEntry(change.status, change.date, tuple(change.evidence), note))
    known: list[StatusEntry] = []
    for entry in entries:
        evidence = tuple(c for c in entry.evidence if published[c.source] <= as_of)
        if entry.effective.date <= as_of and evidence:
            known.append(StatusEntry(entry.status, entry.effective, evidence, entry.note))
    return known


def evidence_age_days(history: list[StatusEntry], published: dict[str, dt.date], as_of: dt.date) -> int:
    """Days from the newest source citing any of ``history``'s statuses to ``as_of`` (never negative)."""
    newest = max(published[c.source] for entry in history for c in entry.evidence)
    return max(0, (as_of - newest).days)


def point_since(point: Point, published: dict[str, dt.date]) -> dt.date:
    """The day the desk first held ``point``: its ``since``, else its earliest cited source's publication date."""
    return point.since or min(published[c.source] for c in point.evidence)


def earliest_evidence(thesis: Thesis) -> dt.date | None:
    """The first day anything in the thesis was known: its earliest source's publication date."""
    return min((s.published.date for s in thesis.sources), default=None)


def quote_counts(view: Thesis, verification: Verification) -> tuple[int, int]:
    """The quotes ``view`` cites, and how many of them are not verified: not found in their sources or,
    for a metric observation, not printing its value."""
    units = {m.id: m.unit for m in view.metrics}
    citations = list(view.citations())
    unverified = sum(
        1
        for _, item, cited in citations
        if not verification.verified_citation(
            cited.source, cited.quote, cited.value if isinstance(cited, Observation) else None, units.get(item, "")
        )
    )
    return len(citations), unverified
