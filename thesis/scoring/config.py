"""The scoring configuration: every knob, its default, and how overrides merge.

This module is the one documented place for the defaults. They fit any company:
no category carries a weight of its own. The desk overrides any of them in the
``scoring:`` block of its thesis.yaml, a company in a ``scoring:`` block of its
inputs (over the desk's), and ``--weights FILE`` (a YAML file with the same keys)
over both. Mappings merge key by key; other values replace.

The formula (see :mod:`thesis.scoring.score`)::

    raw_i   = stance_i × category_weight × impact_i × quality_i × recency_i
    score   = 100 × Σ raw_i / (shrinkage + Σ |raw_i|)          in (-100, 100)
    quality = reliability_factor[source grade] × credibility_factor[citation grade]
              (a point takes its best citation's quality)
    recency = max(recency_floor, 0.5 ** (age_days / half_life_days[category]))

A constraint (an export control, tariff, sanction...) either adds ``-constraint_weight × severity ×
status_factor[status] × quality`` to the sum (``constraint_mode: deduct``) or
caps the best rating allowed at ``cap_rating`` when its severity reaches
``cap_min_severity`` (``constraint_mode: cap``).
"""

import hashlib
import json
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from thesis.inputs.plain_text import plain_text

# The full configurations (ConfidenceConfig, SensitivityConfig, ScoringConfig) build their validators
# on first use (``defer_build``): ``thesis check`` validates only the overrides and never scores.
PositiveFloat = Annotated[float, Field(gt=0, le=1000)]
Factor = Annotated[float, Field(ge=0, le=10)]
Penalty = Annotated[float, Field(ge=0, le=100)]
Share = Annotated[float, Field(ge=0, le=1)]
ReasonCode = Literal["weak-sources", "single-source", "old-evidence", "both-sides", "constraints", "fragile", "thin"]


class Band(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=40)]
    min: Annotated[float, Field(ge=-100, le=100)]

    @field_validator("name")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        """A rating is printed everywhere (the brief, CSV, the terminal): no control or bidirectional characters,
        by the rule every input text follows."""
        return plain_text(name)


def check_bands(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    """Refuse bands that cannot rate a score one way: return them unchanged, or raise ``ValueError``.

    At least two bands, the first from -100, each ``min`` above the one before, and no two
    names alike (compared without case): a name used twice would make the rating ambiguous.
    """
    if len(bands) < 2:
        raise ValueError("a single band rates every score the same; give at least two bands")
    seen: dict[str, int] = {}
    for index, band in enumerate(bands):
        key = band.name.casefold()
        if key in seen:
            raise ValueError(
                f"bands[{seen[key]}] and bands[{index}] are both named {band.name!r}; give each band a different name"
            )
        seen[key] = index
    mins = [b.min for b in bands]
    if mins[0] != -100:
        raise ValueError(f"bands[0] {bands[0].name!r} starts at {mins[0]:g}; the first band must start at min -100")
    for index in range(1, len(bands)):
        if mins[index] <= mins[index - 1]:
            raise ValueError(
                f"bands[{index}] {bands[index].name!r} starts at {mins[index]:g}, not above "
                f"bands[{index - 1}] {bands[index - 1].name!r} at {mins[index - 1]:g}; "
                "list the bands from lowest to highest min, each min different"
            )
    return bands


# No category is weighted by default: every category a point names weighs ``default_category_weight``
# (1.0). Categories are the analyst's own words for a company's themes, so their weights belong to the
# desk (``scoring:`` in thesis.yaml) or to one company (its inputs' ``scoring:`` block), not to the code.
DEFAULT_CATEGORY_WEIGHTS: dict[str, float] = {}

DEFAULT_RELIABILITY: dict[str, float] = {"A": 1.3, "B": 1.15, "C": 1.0, "D": 0.8, "E": 0.6, "F": 1.0}
DEFAULT_CREDIBILITY: dict[str, float] = {"1": 1.3, "2": 1.15, "3": 1.0, "4": 0.8, "5": 0.6, "6": 1.0}
DEFAULT_STATUS_FACTORS: dict[str, float] = {
    "allowed": 0.0,
    "approved": 0.0,
    "licensed": 0.25,
    "restricted": 0.6,
    "blocked": 1.0,
    "halted": 1.0,
}


class ConfidenceConfig(BaseModel):
    """How sure the score is, separate from how good: the thresholds behind each reason and its penalty.

    Confidence starts at 100 and each reason found subtracts its penalty; the
    level is High from ``high``, Medium from ``medium``, Low below.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    min_quality: Factor = Field(
        1.0, description="Weak sources: the |raw|-weighted average evidence quality below this (1.0 = neutral grade)."
    )
    weak_quality_penalty: Penalty = Field(20, description="Penalty for weak average source quality.")
    single_source_share: Share = Field(
        0.4, description="Single-source dependence: one source alone carries more than this share of Σ|raw|."
    )
    single_source_penalty: Penalty = Field(20, description="Penalty for single-source dependence.")
    min_recency: Share = Field(0.6, description="Old evidence: the |raw|-weighted average recency below this.")
    old_evidence_penalty: Penalty = Field(15, description="Penalty for old evidence.")
    conflict_ratio: Share = Field(
        0.6, description="Evidence on both sides: the weaker side's Σ|raw| is at least this share of the stronger's."
    )
    conflict_penalty: Penalty = Field(30, description="Penalty for strong evidence on both sides.")
    constraint_penalty: Penalty = Field(5, description="Penalty per biting constraint (export control, tariff...).")
    severe_constraint_penalty: Penalty = Field(
        10, description="Penalty per biting constraint of severity 4 or 5 (instead of constraint_penalty)."
    )
    max_constraint_penalty: Penalty = Field(25, description="Most that constraints together can take off.")
    fragile_penalty: Penalty = Field(15, description="Penalty when removing a single item changes the rating.")
    min_items: Annotated[int, Field(ge=0, le=1000)] = Field(6, description="Thin evidence: fewer scored items.")
    thin_penalty: Penalty = Field(25, description="Penalty for thin evidence.")
    high: Annotated[float, Field(ge=0, le=100)] = Field(75, description="Confidence from which the level is High.")
    medium: Annotated[float, Field(ge=0, le=100)] = Field(45, description="Confidence from which it is Medium.")
    low_when: tuple[ReasonCode, ...] = Field(
        ("single-source", "thin"),
        description="Reasons that cap the level at Low whatever the value: a call resting on one source, "
        "or on very few items, is never Medium or High.",
    )

    @model_validator(mode="after")
    def _levels_ordered(self) -> Self:
        if self.medium > self.high:
            raise ValueError("confidence: medium must not be above high")
        return self


class SensitivityConfig(BaseModel):
    """The one-knob-at-a-time stress test and the search for the smallest set that flips the rating."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    weight_step: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.25, description="Each category weight (and the constraint weight) is moved down and up by this fraction."
    )
    half_life_factors: tuple[PositiveFloat, PositiveFloat] = Field(
        (0.5, 2.0), description="Every half-life is multiplied by each of these."
    )
    shrinkage_factors: tuple[PositiveFloat, PositiveFloat] = Field(
        (0.5, 2.0), description="The shrinkage constant is multiplied by each of these."
    )
    flip_search_limit: Annotated[int, Field(ge=1, le=10_000_000)] = Field(
        200_000, description="Most candidate sets the flip search evaluates before it stops and says so."
    )


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(name="Sell", min=-100),
    Band(name="Underweight", min=-50),
    Band(name="Neutral", min=-15),
    Band(name="Overweight", min=15),
    Band(name="Buy", min=50),
)


class ScoringConfig(BaseModel):
    """The full configuration used for one score; every field has a documented default."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    category_weights: dict[str, Factor] = Field(
        default_factory=lambda: dict(DEFAULT_CATEGORY_WEIGHTS),
        description=(
            "Weight per point category, e.g. {valuation: 0.9}; none by default: a category not listed "
            "takes default_category_weight."
        ),
    )
    default_category_weight: Factor = Field(
        1.0, description="Weight of every category not in category_weights (by default, every category)."
    )
    reliability_factors: dict[Literal["A", "B", "C", "D", "E", "F"], Factor] = Field(
        default_factory=lambda: dict(DEFAULT_RELIABILITY),  # type: ignore[arg-type]
        description="Factor per Admiralty source reliability grade; F (cannot be judged) is neutral.",
    )
    credibility_factors: dict[Literal["1", "2", "3", "4", "5", "6"], Factor] = Field(
        default_factory=lambda: dict(DEFAULT_CREDIBILITY),  # type: ignore[arg-type]
        description="Factor per Admiralty information credibility grade; 6 (cannot be judged) is neutral.",
    )
    half_life_days: PositiveFloat = Field(365.0, description="Evidence loses half its weight every this many days.")
    half_life_by_category: dict[str, PositiveFloat] = Field(
        default_factory=lambda: {}, description="Half-life per category, overriding half_life_days."
    )
    recency_floor: Annotated[float, Field(ge=0, le=1)] = Field(
        0.25, description="Old evidence never weighs less than this fraction."
    )
    shrinkage: Annotated[float, Field(ge=0, le=10_000)] = Field(
        10.0, description="Pulls the score toward neutral so that few or weak items cannot reach an extreme."
    )
    constraint_mode: Literal["deduct", "cap"] = Field(
        "deduct", description="deduct: constraints count as bear items; cap: they cap the best rating."
    )
    constraint_weight: Factor = Field(1.0, description="Weight of a constraint per point of severity (deduct mode).")
    status_factors: dict[Literal["allowed", "approved", "licensed", "restricted", "blocked", "halted"], Factor] = Field(
        default_factory=lambda: dict(DEFAULT_STATUS_FACTORS),  # type: ignore[arg-type]
        description="How much a constraint in each status bites (0 = not at all).",
    )
    constraint_stale_days: Annotated[int, Field(ge=1, le=36_500)] = Field(
        365,
        description=(
            "A constraint whose newest evidence is older than this many days is flagged stale, in check and in "
            "the brief: its status may have changed since."
        ),
    )
    cap_rating: str = Field("Neutral", description="cap mode: the best rating allowed under a severe constraint.")
    cap_min_severity: Annotated[int, Field(ge=1, le=5)] = Field(
        4, description="cap mode: the severity from which a biting constraint caps the rating."
    )
    bands: tuple[Band, ...] = Field(
        DEFAULT_BANDS, description="Rating bands, each with the lowest score it covers; the lowest starts at -100."
    )
    scenario_flat_change: Annotated[float, Field(ge=0, le=1)] = Field(
        0.05, description="Scenarios: a probability-weighted change within ± this fraction of current is balanced."
    )
    confidence: ConfidenceConfig = Field(
        default_factory=ConfidenceConfig, description="Thresholds and penalties of the confidence level."
    )
    sensitivity: SensitivityConfig = Field(
        default_factory=SensitivityConfig, description="Steps of the stress test and the flip search's limit."
    )

    @model_validator(mode="after")
    def _bands_ordered(self) -> Self:
        check_bands(self.bands)
        if self.cap_rating not in {b.name for b in self.bands}:
            names = ", ".join(b.name for b in self.bands)
            raise ValueError(
                f"cap_rating {self.cap_rating!r} is not one of the bands' names; use one of: {names}, "
                "or name the band in bands"
            )
        return self

    def category_weight(self, category: str) -> float:
        return self.category_weights.get(category, self.default_category_weight)

    def half_life(self, category: str) -> float:
        return self.half_life_by_category.get(category, self.half_life_days)

    def band_for(self, score: float) -> str:
        name = self.bands[0].name
        for band in self.bands:
            if score >= band.min:
                name = band.name
        return name

    def band_index(self, name: str) -> int:
        return [b.name for b in self.bands].index(name)

    def canonical(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.model_dump_json())
        return data

    def digest(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:12]


class ConfidenceOverrides(BaseModel):
    """Any subset of :class:`ConfidenceConfig`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_quality: Factor | None = None
    weak_quality_penalty: Penalty | None = None
    single_source_share: Share | None = None
    single_source_penalty: Penalty | None = None
    min_recency: Share | None = None
    old_evidence_penalty: Penalty | None = None
    conflict_ratio: Share | None = None
    conflict_penalty: Penalty | None = None
    constraint_penalty: Penalty | None = None
    severe_constraint_penalty: Penalty | None = None
    max_constraint_penalty: Penalty | None = None
    fragile_penalty: Penalty | None = None
    min_items: Annotated[int, Field(ge=0, le=1000)] | None = None
    thin_penalty: Penalty | None = None
    high: Annotated[float, Field(ge=0, le=100)] | None = None
    medium: Annotated[float, Field(ge=0, le=100)] | None = None
    low_when: tuple[ReasonCode, ...] | None = None


class SensitivityOverrides(BaseModel):
    """Any subset of :class:`SensitivityConfig`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weight_step: Annotated[float, Field(gt=0, lt=1)] | None = None
    half_life_factors: tuple[PositiveFloat, PositiveFloat] | None = None
    shrinkage_factors: tuple[PositiveFloat, PositiveFloat] | None = None
    flip_search_limit: Annotated[int, Field(ge=1, le=10_000_000)] | None = None


class ScoringOverrides(BaseModel):
    """The ``scoring:`` block of a company's inputs, or a ``--weights`` file: any subset of the knobs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category_weights: dict[str, Factor] | None = None
    default_category_weight: Factor | None = None
    reliability_factors: dict[Literal["A", "B", "C", "D", "E", "F"], Factor] | None = None
    credibility_factors: dict[Literal["1", "2", "3", "4", "5", "6"], Factor] | None = None
    half_life_days: PositiveFloat | None = None
    half_life_by_category: dict[str, PositiveFloat] | None = None
    recency_floor: Annotated[float, Field(ge=0, le=1)] | None = None
    shrinkage: Annotated[float, Field(ge=0, le=10_000)] | None = None
    constraint_mode: Literal["deduct", "cap"] | None = None
    constraint_weight: Factor | None = None
    status_factors: (
        dict[Literal["allowed", "approved", "licensed", "restricted", "blocked", "halted"], Factor] | None
    ) = None
    constraint_stale_days: Annotated[int, Field(ge=1, le=36_500)] | None = None
    cap_rating: str | None = None
    cap_min_severity: Annotated[int, Field(ge=1, le=5)] | None = None
    bands: tuple[Band, ...] | None = None
    scenario_flat_change: Annotated[float, Field(ge=0, le=1)] | None = None
    confidence: ConfidenceOverrides | None = None
    sensitivity: SensitivityOverrides | None = None

    @field_validator("bands")
    @classmethod
    def _bands_usable(cls, bands: tuple[Band, ...] | None) -> tuple[Band, ...] | None:
        return None if bands is None else check_bands(bands)

    @model_validator(mode="before")
    @classmethod
    def _grade_keys_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("credibility_factors"), dict):
            value = dict(value)
            value["credibility_factors"] = {str(k): v for k, v in value["credibility_factors"].items()}
        return value


def merge(base: ScoringConfig, *overrides: ScoringOverrides | None) -> ScoringConfig:
    """Apply overrides in order: mappings merge key by key, other values replace."""
    data = base.model_dump()
    for override in overrides:
        if override is None:
            continue
        for key, value in override.model_dump(exclude_none=True).items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
    return ScoringConfig.model_validate(data)
