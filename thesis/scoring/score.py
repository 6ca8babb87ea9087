"""Score a thesis: a pure function from a thesis, a date and a configuration to a scorecard.

See :mod:`thesis.scoring.config` for the formula and every knob. The item
contributions add up exactly to the score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from thesis.inputs.models import CONSTRAINT_KINDS, Citation, Constraint, Point, Thesis
from thesis.scoring.config import ScoringConfig

SCALE = 100.0


@dataclass(frozen=True)
class ItemScore:
    id: str
    kind: str  # "point" or "constraint"
    stance: str  # "bull" or "bear"
    category: str
    title: str
    impact: int  # impact of a point, severity of a constraint
    grade: str  # best citation's Admiralty grade, e.g. "B2"
    sources: tuple[str, ...]
    age_days: int
    weight: float
    quality: float
    recency: float
    raw: float
    contribution: float = 0.0  # in score points; contributions sum to the score
    share: float = 0.0  # |raw| / Σ|raw|
    caps: bool = False  # a constraint that caps the rating (constraint_mode: cap)

    def scaled(self, scale: float, abs_total: float) -> ItemScore:
        """This item with its contribution (``raw × scale``) and share of ``abs_total``.

        A copy of its fields rather than dataclasses.replace, which inspects the class on
        every call: the sensitivity analysis scores every item dozens of times per brief.
        """
        share = abs(self.raw) / abs_total if abs_total else 0.0
        return ItemScore(**{**vars(self), "contribution": self.raw * scale, "share": share})


@dataclass(frozen=True)
class Scorecard:
    as_of: dt.date
    score: float
    rating: str
    uncapped_rating: str
    capped_by: tuple[str, ...]
    config: ScoringConfig
    items: tuple[ItemScore, ...]
    raw_total: float
    abs_total: float
    category_totals: dict[str, float] = field(default_factory=dict)

    def item(self, item_id: str) -> ItemScore:
        for entry in self.items:
            if entry.id == item_id:
                return entry
        raise KeyError(item_id)


@dataclass(frozen=True)
class _Sources:
    """What scoring needs of the sources, looked up once per score: grade and date by id."""

    reliability: dict[str, str]
    published: dict[str, dt.date]


def best_citation(
    citations: list[Citation], reliability: Mapping[str, str], config: ScoringConfig
) -> tuple[Citation, float]:
    """The citation with the highest evidence quality, and that quality (``reliability``: grade by source id)."""
    best: tuple[Citation, float] | None = None
    for citation in citations:
        grade = reliability.get(citation.source, "F")
        quality = config.reliability_factors[grade] * config.credibility_factors[str(citation.credibility)]  # type: ignore[index]
        if best is None or quality > best[1]:
            best = (citation, quality)
    assert best is not None
    return best


def evidence_age(citations: list[Citation], published: Mapping[str, dt.date], as_of: dt.date) -> int:
    """Days from the newest cited source to the as-of date (never negative); ``published``: date by source id."""
    newest = max(published.get(c.source, as_of) for c in citations)
    return max(0, (as_of - newest).days)


def recency(age_days: int, half_life: float, floor: float) -> float:
    return max(floor, float(0.5 ** (age_days / half_life)))


def point_raw(stance: str, weight: float, impact: int, quality: float, decay: float) -> float:
    """A point's raw value: ``±weight × impact × quality × recency`` (+ for bull, − for bear)."""
    return (1.0 if stance == "bull" else -1.0) * weight * impact * quality * decay


def constraint_raw(mode: str, weight: float, severity: int, quality: float) -> float:
    """A constraint's raw value: ``−weight × severity × quality`` when constraints deduct, else 0.

    ``weight`` is the constraint weight times how much the constraint's status bites.
    """
    return -weight * severity * quality if mode == "deduct" else 0.0


def _point_raw(
    point: Point, sources: _Sources, as_of: dt.date, config: ScoringConfig
) -> tuple[Citation, float, int, float, float, float]:
    """A point's best citation, quality, age, recency, weight and raw contribution."""
    citation, quality = best_citation(point.evidence, sources.reliability, config)
    age = evidence_age(point.evidence, sources.published, as_of)
    decay = recency(age, config.half_life(point.category), config.recency_floor)
    weight = config.category_weight(point.category)
    return citation, quality, age, decay, weight, point_raw(point.stance, weight, point.impact, quality, decay)


def _point_score(point: Point, sources: _Sources, as_of: dt.date, config: ScoringConfig) -> ItemScore:
    citation, quality, age, decay, weight, raw = _point_raw(point, sources, as_of, config)
    return ItemScore(
        id=point.id,
        kind="point",
        stance=point.stance,
        category=point.category,
        title=point.current_title,
        impact=point.impact,
        grade=_grade(citation, sources.reliability),
        sources=_sources(point.evidence),
        age_days=age,
        weight=weight,
        quality=quality,
        recency=decay,
        raw=raw,
    )


def _constraint_raw(
    constraint: Constraint, sources: _Sources, config: ScoringConfig
) -> tuple[Citation, float, float, float, bool]:
    """A constraint's best citation, quality, weight, raw contribution and whether it caps the rating."""
    citation, quality = best_citation(constraint.evidence, sources.reliability, config)
    bite = config.status_factors[constraint.status]
    weight = config.constraint_weight * bite
    raw = constraint_raw(config.constraint_mode, weight, constraint.severity, quality)
    caps = config.constraint_mode == "cap" and constraint.severity >= config.cap_min_severity and bite > 0
    return citation, quality, weight, raw, caps


def _constraint_score(constraint: Constraint, sources: _Sources, as_of: dt.date, config: ScoringConfig) -> ItemScore:
    citation, quality, weight, raw, caps = _constraint_raw(constraint, sources, config)
    return ItemScore(
        id=constraint.id,
        kind="constraint",
        stance="bear",
        category=CONSTRAINT_KINDS[constraint.kind][2],
        title=constraint.item,
        impact=constraint.severity,
        grade=_grade(citation, sources.reliability),
        sources=_sources(constraint.evidence),
        age_days=max(0, (as_of - constraint.effective.date).days),
        weight=weight,
        quality=quality,
        recency=1.0,
        raw=raw,
        caps=caps,
    )


def _grade(citation: Citation, reliability: Mapping[str, str]) -> str:
    return f"{reliability.get(citation.source, 'F')}{citation.credibility}"


def _sources(citations: list[Citation]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.source for c in citations))


def points_per_raw(abs_total: float, shrinkage: float) -> float:
    """Score points per unit of raw value: ``100 / (shrinkage + Σ |raw|)``, 0 when nothing counts."""
    denominator = shrinkage + abs_total
    return SCALE / denominator if denominator > 0 else 0.0


def bounded(total: float) -> float:
    """The score within ±100 (rounding may overshoot by an ulp)."""
    return max(-SCALE, min(SCALE, total))


def combine(raws: Sequence[float], shrinkage: float) -> float:
    """The score from raw contributions: ``100 × Σ raw / (shrinkage + Σ |raw|)``.

    The one formula: :func:`score`, the stress tests and the diff's attribution all come here
    (or to :func:`points_per_raw` and :func:`bounded`, which this is made of), so they agree bit for bit.
    """
    return bounded(sum(raws) * points_per_raw(sum(abs(r) for r in raws), shrinkage))


def rating_for(total: float, capping: tuple[str, ...], config: ScoringConfig) -> tuple[str, str, tuple[str, ...]]:
    """The rating of a score, the rating before any cap, and the constraints that capped it."""
    uncapped = config.band_for(total)
    if capping and config.band_index(uncapped) > config.band_index(config.cap_rating):
        return config.cap_rating, uncapped, capping
    return uncapped, uncapped, ()


def rate(items: tuple[ItemScore, ...] | list[ItemScore], config: ScoringConfig) -> tuple[float, str]:
    """The score and rating of a set of scored items (used to ask "what if these were gone?")."""
    total = combine([i.raw for i in items], config.shrinkage)
    rating, _, _ = rating_for(total, tuple(i.id for i in items if i.caps), config)
    return total, rating


def _lookups(thesis: Thesis) -> _Sources:
    return _Sources({s.id: s.reliability for s in thesis.sources}, {s.id: s.published.date for s in thesis.sources})


def score_and_rating(thesis: Thesis, as_of: dt.date, config: ScoringConfig) -> tuple[float, str]:
    """``score(...).score`` and ``.rating``, bit for bit, without building the scorecard.

    The stress tests rescore a thesis dozens of times and look only at the
    result; the same arithmetic in the same order gives the same floats.
    """
    sources = _lookups(thesis)
    raws = [_point_raw(p, sources, as_of, config)[5] for p in thesis.points]
    capping: list[str] = []
    for constraint in thesis.constraints:
        _, _, _, raw, caps = _constraint_raw(constraint, sources, config)
        raws.append(raw)
        if caps:
            capping.append(constraint.id)
    total = combine(raws, config.shrinkage)
    rating, _, _ = rating_for(total, tuple(capping), config)
    return total, rating


def score(thesis: Thesis, as_of: dt.date, config: ScoringConfig) -> Scorecard:
    """Score ``thesis`` as of a date with a configuration. Pure: no I/O."""
    sources = _lookups(thesis)
    items = [_point_score(p, sources, as_of, config) for p in thesis.points]
    items += [_constraint_score(c, sources, as_of, config) for c in thesis.constraints]
    raw_total = sum(i.raw for i in items)
    abs_total = sum(abs(i.raw) for i in items)
    scale = points_per_raw(abs_total, config.shrinkage)
    scored = tuple(i.scaled(scale, abs_total) for i in items)
    total = bounded(raw_total * scale)
    rating, uncapped, capped_by = rating_for(total, tuple(i.id for i in scored if i.caps), config)
    categories: dict[str, float] = {}
    for entry in scored:
        categories[entry.category] = categories.get(entry.category, 0.0) + entry.contribution
    return Scorecard(
        as_of=as_of,
        score=total,
        rating=rating,
        uncapped_rating=uncapped,
        capped_by=capped_by,
        config=config,
        items=scored,
        raw_total=raw_total,
        abs_total=abs_total,
        category_totals=dict(sorted(categories.items())),
    )
