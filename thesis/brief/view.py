"""Assemble everything a brief shows into one value: the render context.

Numbered citations: sources are numbered in the order the brief first cites
them (bull points, bear points, metrics, constraints); every citation shows
its quote and links to the numbered bibliography entry, with the page for a
source that has pages (``[3, p. 14]``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from thesis.figures import page_locator
from thesis.inputs.loader import Loaded
from thesis.inputs.models import (
    CONSTRAINT_KINDS,
    Catalyst,
    Citation,
    Constraint,
    KillCriterion,
    Metric,
    Observation,
    Point,
    Source,
    Thesis,
    constraints_noun,
)
from thesis.inputs.periods import Period, is_estimate, place
from thesis.scoring.asof import StatusEntry, evidence_age_days, inputs_as_of, quote_counts, status_history
from thesis.scoring.catalysts import CatalystState, catalyst_states, next_catalysts
from thesis.scoring.kill_criteria import KillState
from thesis.scoring.kill_criteria import evaluate as evaluate_kill_criteria
from thesis.scoring.scenarios import ScenarioAnalysis
from thesis.scoring.scenarios import analyse as analyse_scenarios
from thesis.scoring.score import ItemScore, Scorecard
from thesis.verify.disagreement import disagreements
from thesis.verify.quotes import Verification, sha256

if TYPE_CHECKING:
    from thesis.inputs.prices import Prices
    from thesis.scoring.confidence import Confidence
    from thesis.scoring.history import HistoryPoint, InputsInForce
    from thesis.scoring.sensitivity import Sensitivity
    from thesis.scoring.track_record import TrackRecord


_OPENING_MARKS = '"“„«'
_CLOSING_MARKS = '"”“»'
_DOUBLE_MARKS = '"“”„«»'


@dataclass(frozen=True)
class CitationView:
    number: int
    source_id: str
    quote: str
    verified: bool
    grade: str
    pages: tuple[int, int] | None = None  # first and last page of the quote, in a source with pages

    @property
    def shown(self) -> str:
        """The quote as the brief prints it, inside the brief's own quotation marks: a quote that is itself
        one quotation („…“, “…”, "…") loses that outer pair, so the brief never prints “„…“”."""
        quote = self.quote.strip()
        inner = quote[1:-1]
        whole = quote[:1] in _OPENING_MARKS and quote[-1:] in _CLOSING_MARKS and len(inner) > 1
        return inner if whole and not any(mark in inner for mark in _DOUBLE_MARKS) else self.quote

    @property
    def locator(self) -> str:
        """Where in the source the quote is: "p. 14", "pp. 14–15", or "" for a source without pages."""
        return page_locator(self.pages)


@dataclass(frozen=True)
class BibEntry:
    number: int
    source: Source
    sha256: str
    cited_by: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"source-{self.source.id}"


@dataclass(frozen=True)
class PointView:
    point: Point
    score: ItemScore
    citations: tuple[CitationView, ...]

    @property
    def id(self) -> str:
        return self.point.id

    @property
    def anchor(self) -> str:
        """The id of the point's place in the brief (links and the bibliography's back-links use it)."""
        return f"point-{self.id}"

    @property
    def title(self) -> str:
        return self.point.current_title


@dataclass(frozen=True)
class ObservationView:
    observation: Observation
    citation: CitationView
    period: Period | None  # what its period label describes, when it starts with one
    placed: dt.date  # where a chart puts it: the middle of its period, else its date, else its source's date
    estimate: bool  # a forecast, not a reported figure

    @property
    def placed_by(self) -> str:
        """How ``placed`` was found: ``period``, ``date`` or ``source`` (the fallback chain)."""
        if self.period is not None:
            return "period"
        return "date" if self.observation.date is not None else "source"


def observation_view(
    observation: Observation, citation: CitationView, published: dt.date, fiscal_year_end: int = 12
) -> ObservationView:
    """Place an observation in time and say whether it is an estimate.

    It is placed at the middle of the period its label describes
    (:mod:`thesis.inputs.periods`); a label that names no period falls back to
    the observation's ``date`` and then to its source's publication date. It is
    an estimate when its label or note says so (``FY2026E``, "projection") or
    when its period starts after its source was published, or is longer than a
    month and mostly after it: a source cannot report a quarter or a year that
    has mostly not happened yet (a month or a day is a point in time, "as of").
    """
    period, placed = place(observation, published, fiscal_year_end)
    return ObservationView(observation, citation, period, placed, is_estimate(observation, period, published))


@dataclass(frozen=True)
class MetricView:
    metric: Metric
    observations: tuple[ObservationView, ...]
    disagreement: bool

    @property
    def id(self) -> str:
        return self.metric.id

    @property
    def anchor(self) -> str:
        return f"metric-{self.id}"

    @property
    def title(self) -> str:
        return self.metric.name

    @property
    def citations(self) -> tuple[CitationView, ...]:
        return tuple(o.citation for o in self.observations)


@dataclass(frozen=True)
class ConstraintView:
    constraint: Constraint  # as of the brief's date: the status then in force, with its citations
    score: ItemScore
    citations: tuple[CitationView, ...]
    history: tuple[StatusEntry, ...] = ()  # every status known by the date, oldest first; the last is in force
    evidence_age_days: int = 0  # from the newest source citing any of those statuses
    stale: bool = False  # evidence_age_days over the configuration's constraint_stale_days

    @property
    def id(self) -> str:
        return self.constraint.id

    @property
    def anchor(self) -> str:
        return f"constraint-{self.id}"

    @property
    def title(self) -> str:
        return self.constraint.item

    @property
    def kind_label(self) -> str:
        """What one constraint of this kind is called: "export control", "tariff"..."""
        return CONSTRAINT_KINDS[self.constraint.kind][0]

    @property
    def earlier(self) -> tuple[StatusEntry, ...]:
        """The statuses before the one in force."""
        return self.history[:-1]


@dataclass(frozen=True)
class CatalystView:
    state: CatalystState
    citations: tuple[CitationView, ...]

    @property
    def catalyst(self) -> Catalyst:
        return self.state.catalyst


@dataclass(frozen=True)
class KillView:
    state: KillState
    citations: tuple[CitationView, ...]  # the evidence of the reading: what tripped it, or where it stands
    basis: tuple[CitationView, ...] = ()  # the criterion's own citations: why the condition matters

    @property
    def criterion(self) -> KillCriterion:
        return self.state.criterion


@dataclass(frozen=True)
class Brief:
    company_id: str
    thesis: Thesis
    as_of: dt.date
    scorecard: Scorecard
    bull: tuple[PointView, ...]
    bear: tuple[PointView, ...]
    metrics: tuple[MetricView, ...]
    constraints: tuple[ConstraintView, ...]
    bibliography: tuple[BibEntry, ...]
    quotes_checked: int
    quotes_unverified: int
    inputs_sha256: str
    version: str
    scenarios: ScenarioAnalysis | None
    catalysts: tuple[CatalystView, ...] = ()
    kill_criteria: tuple[KillView, ...] = ()
    prices: Prices | None = None  # the analyst's prices up to the brief's date, where the company has them
    record: str = "working tree"  # where the inputs were read: the working tree, or "commit abc1234567 of DATE"
    # The inputs as known on the date (thesis.scoring.asof.inputs_as_of), each constraint with every status
    # then reported: for the history and track record, which view them as of each earlier day (a view of the
    # as-of view is not always the same: a constraint's later status replaces its first one in it). Not the
    # whole inputs, whose events (a status change or a catalyst reported only later) would leak into them.
    known_inputs: Thesis | None = field(default=None, repr=False, compare=False)
    # In a project kept in git, the inputs each earlier day reads (those a brief as of that day reads), up to
    # a date: the history and the track record rate each day from them (thesis.commands.committed).
    # None: every day reads these inputs.
    record_in_force: Callable[[dt.date], Sequence[InputsInForce]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def next_catalysts(self) -> tuple[CatalystView, ...]:
        """The few catalysts page one shows: overdue first, then upcoming in date order."""
        views = {id(view.state): view for view in self.catalysts}
        return tuple(views[id(state)] for state in next_catalysts([view.state for view in self.catalysts]))

    @property
    def items(self) -> tuple[PointView | MetricView | ConstraintView, ...]:
        """Every point, metric and constraint, in the order the brief shows them."""
        return (*self.bull, *self.bear, *self.metrics, *self.constraints)

    def item_link(self, item_id: str) -> tuple[str, str] | None:
        """The anchor and title of a point, metric or constraint in this brief, or None when it is not in it."""
        for view in self.items:
            if view.id == item_id:
                return view.anchor, view.title
        return None

    @cached_property
    def history(self) -> tuple[HistoryPoint, ...]:
        """The score on each day something changed, up to the brief's date (:mod:`thesis.scoring.history`)."""
        from thesis.scoring.history import score_history

        record = self.record_in_force(self.as_of) if self.record_in_force is not None else ()
        return tuple(score_history(self.known_inputs or self.thesis, self.scorecard.config, self.as_of, record=record))

    @cached_property
    def track_record(self) -> TrackRecord | None:
        """The calls and their returns up to the brief's date (:mod:`thesis.scoring.track_record`), with prices."""
        if self.prices is None or not len(self.prices.company):
            return None
        from thesis.scoring.track_record import track_record

        record = self.record_in_force(self.as_of) if self.record_in_force is not None else ()
        return track_record(self.known_inputs or self.thesis, self.scorecard.config, self.prices, self.as_of, record)

    @property
    def constraints_noun(self) -> str:
        """What this brief calls its constraints: "export controls", "tariffs", "trade restrictions" (a mix)..."""
        return constraints_noun(view.constraint.kind for view in self.constraints)

    @property
    def constraints_mixed(self) -> bool:
        """Whether the constraints are of more than one kind, so that each needs its kind named."""
        return len({view.constraint.kind for view in self.constraints}) > 1

    @property
    def tripped(self) -> tuple[KillView, ...]:
        return tuple(view for view in self.kill_criteria if view.state.tripped)

    @cached_property
    def sensitivity(self) -> Sensitivity:
        """The stress tests, made on first use: they re-score the thesis dozens of times, and a diff needs none."""
        from thesis.scoring.sensitivity import analyse

        return analyse(self.thesis, self.as_of, self.scorecard)

    @cached_property
    def confidence(self) -> Confidence:
        from thesis.scoring.confidence import assess

        return assess(self.scorecard, self.sensitivity)

    @property
    def title(self) -> str:
        return f"{self.thesis.company.display_name}: investment thesis as of {self.as_of.isoformat()}"


def build_brief(
    company_id: str,
    loaded: Loaded,
    view: Thesis,
    verification: Verification,
    card: Scorecard,
    inputs_sha256: str,
    version: str,
    prices: Prices | None = None,
) -> Brief:
    """The brief's content; ``prices`` (the analyst's price series) are cut to the brief's date."""
    sources = {s.id: s for s in view.sources}
    reliability = {s.id: s.reliability for s in view.sources}
    numbers: dict[str, int] = {}
    cited_by: dict[str, list[str]] = {}
    units = {m.id: m.unit for m in view.metrics}

    def cite(
        source_id: str, quote: str, credibility: int, item: str, number: Observation | None = None
    ) -> CitationView:
        if source_id not in numbers:
            numbers[source_id] = len(numbers) + 1
        users = cited_by.setdefault(source_id, [])
        if item not in users:
            users.append(item)
        return CitationView(
            number=numbers[source_id],
            source_id=source_id,
            quote=quote,
            verified=verification.verified_citation(
                source_id, quote, number.value if number else None, units.get(item, "")
            ),
            grade=f"{reliability[source_id]}{credibility}",
            pages=verification.pages(source_id, quote),
        )

    def cites(citations: list[Citation], item: str) -> tuple[CitationView, ...]:
        return tuple(cite(c.source, c.quote, c.credibility, item) for c in citations)

    def ordered(points: list[Point]) -> list[Point]:
        return sorted(points, key=lambda p: (-abs(card.item(p.id).contribution), p.id))

    bull = tuple(PointView(p, card.item(p.id), cites(p.evidence, p.id)) for p in ordered(view.bull))
    bear = tuple(PointView(p, card.item(p.id), cites(p.evidence, p.id)) for p in ordered(view.bear))
    year_end = view.company.fiscal_year_end
    metrics = tuple(
        MetricView(
            m,
            tuple(
                observation_view(
                    o, cite(o.source, o.quote, o.credibility, m.id, o), sources[o.source].published.date, year_end
                )
                for o in sorted(
                    m.observations, key=lambda o: (place(o, sources[o.source].published.date, year_end)[1], o.source)
                )
            ),
            bool(disagreements(m.observations)),
        )
        for m in view.metrics
    )
    published = {s.id: s.published.date for s in loaded.thesis.sources}
    recorded = {c.id: c for c in loaded.thesis.constraints}

    def constraint_view(constraint: Constraint) -> ConstraintView:
        history = status_history(recorded.get(constraint.id, constraint), card.as_of, published)
        age = evidence_age_days(history, published, card.as_of) if history else 0
        return ConstraintView(
            constraint,
            card.item(constraint.id),
            cites(constraint.evidence, constraint.id),
            tuple(history),
            age,
            age > card.config.constraint_stale_days,
        )

    constraints = tuple(
        constraint_view(c) for c in sorted(view.constraints, key=lambda c: (-c.severity, c.effective.date, c.id))
    )
    kill_criteria = tuple(
        KillView(
            state, cites(list(state.citations), state.criterion.id), cites(state.criterion.evidence, state.criterion.id)
        )
        for state in evaluate_kill_criteria(view, card.as_of)
    )
    catalysts = tuple(
        CatalystView(state, cites(state.catalyst.evidence, state.catalyst.id))
        for state in catalyst_states(view, card.as_of)
    )
    for source in view.sources:
        if source.id not in numbers:
            numbers[source.id] = len(numbers) + 1
    bibliography = tuple(
        BibEntry(numbers[s.id], s, sha256(loaded.source_texts[s.id]), tuple(cited_by.get(s.id, [])))
        for s in sorted(view.sources, key=lambda s: numbers[s.id])
    )
    quotes_checked, quotes_unverified = quote_counts(view, verification)
    return Brief(
        company_id=company_id,
        thesis=view,
        as_of=card.as_of,
        scorecard=card,
        bull=bull,
        bear=bear,
        metrics=metrics,
        constraints=constraints,
        bibliography=bibliography,
        quotes_checked=quotes_checked,
        quotes_unverified=quotes_unverified,
        inputs_sha256=inputs_sha256,
        version=version,
        scenarios=analyse_scenarios(view.scenarios, card) if view.scenarios else None,
        catalysts=catalysts,
        kill_criteria=kill_criteria,
        prices=prices.until(card.as_of) if prices is not None else None,
        known_inputs=inputs_as_of(loaded.thesis, card.as_of),
    )
