"""The scorecard and its analysis as plain data, shared by ``thesis score --format json`` and the snapshot.

The key names here (``score``, ``rating``, ``confidence``, ``scoring``,
``sensitivity``, ``items``, ``scenarios``) are public interface; see
docs/scoring.md. Floats are not rounded here; the callers round them with
:func:`rounded` to :data:`FLOAT_DIGITS` decimals, as the export does its cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from thesis.scoring.scenarios import ScenarioAnalysis
from thesis.scoring.score import ItemScore, Scorecard

if TYPE_CHECKING:  # imported by the snapshot, which a diff builds without the stress tests
    from thesis.scoring.confidence import Confidence
    from thesis.scoring.sensitivity import Flip, Sensitivity

FLOAT_DIGITS = 6  # the decimals of every float the JSON outputs and the export write


def rounded(value: Any) -> Any:
    """JSON-like ``value`` with every float to :data:`FLOAT_DIGITS` decimals (and no ``-0.0``), keys as text."""
    if isinstance(value, float):
        near = round(value, FLOAT_DIGITS)
        return 0.0 if near == 0 else near
    if isinstance(value, dict):
        return {str(k): rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


# The columns of a scored item, each with the kind of value it holds (see thesis.outputs.export.Kind): the one
# list behind `thesis score` (JSON and CSV), the export's scorecard table and the snapshot's score fields.
ITEM_COLUMNS_SPEC = (
    "id:text kind:text stance:text category:text title:text impact:int grade:text age_days:int "
    "weight:float quality:float recency:float raw:float contribution:float share:fraction"
)
ITEM_COLUMNS = tuple(part.split(":")[0] for part in ITEM_COLUMNS_SPEC.split())
# How an item scored, as opposed to what it is: what a snapshot adds to each point and constraint.
SCORE_FIELDS = ITEM_COLUMNS[ITEM_COLUMNS.index("grade") :]


def item_data(item: ItemScore) -> dict[str, Any]:
    data = {column: getattr(item, column) for column in ITEM_COLUMNS}
    data["sources"] = list(item.sources)
    return data


def scoring_data(card: Scorecard) -> dict[str, Any]:
    return {"config": card.config.canonical(), "hash": card.config.digest()}


def confidence_data(confidence: Confidence) -> dict[str, Any]:
    return {
        "level": confidence.level,
        "value": confidence.value,
        "reasons": [{"code": r.code, "text": r.text, "penalty": r.penalty} for r in confidence.reasons],
        "capped_by": list(confidence.capped_by),
        "measures": {
            "average_quality": confidence.average_quality,
            "average_recency": confidence.average_recency,
            "top_source": confidence.top_source,
            "top_source_share": confidence.top_source_share,
            "balance": confidence.balance,
            "biting_constraints": list(confidence.biting_constraints),
        },
    }


def _flip(flip: Flip | None) -> dict[str, Any] | None:
    if flip is None:
        return None
    return {
        "direction": flip.direction,
        "items": list(flip.items),
        "size": len(flip.items),
        "score_after": flip.score_after,
        "rating_after": flip.rating_after,
        "removed_contribution": flip.removed_contribution,
    }


def sensitivity_data(sensitivity: Sensitivity) -> dict[str, Any]:
    flips = sensitivity.flips
    return {
        "base_score": sensitivity.base_score,
        "base_rating": sensitivity.base_rating,
        "ranges": [
            {
                "knob": r.knob,
                "label": r.label,
                "low": r.low,
                "high": r.high,
                "settings": [{"label": s.label, "score": s.score, "rating": s.rating} for s in r.settings],
            }
            for r in sensitivity.ranges
        ],
        "flip_set": _flip(flips.best),
        "flips": {"up": _flip(flips.up), "down": _flip(flips.down)},
        "flip_search": {"evaluated": flips.evaluated, "limit": flips.limit, "bound_hit": flips.bound_hit},
        "leave_one_out": [
            {"source": s.source, "score": s.score, "rating": s.rating, "delta": s.delta, "dropped": list(s.dropped)}
            for s in sensitivity.leave_one_out
        ],
    }


def scenarios_data(analysis: ScenarioAnalysis | None) -> dict[str, Any] | None:
    if analysis is None:
        return None
    return {
        "metric": analysis.metric,
        "unit": analysis.unit,
        "current": analysis.current,
        "cases": [
            {
                "name": c.name,
                "probability": c.probability,
                "value": c.value,
                "change": c.change,
                "description": c.description,
            }
            for c in analysis.cases
        ],
        "expected": analysis.expected,
        "expected_change": analysis.expected_change,
        "upside": analysis.upside,
        "downside": analysis.downside,
        "reward_to_risk": analysis.reward_to_risk,
        "tilt": analysis.tilt,
        "score_direction": analysis.score_direction,
        "conflict": analysis.conflict,
        "message": analysis.message,
    }


def analysis_data(
    card: Scorecard, confidence: Confidence, sensitivity: Sensitivity, scenarios: ScenarioAnalysis | None
) -> dict[str, Any]:
    """Everything ``thesis score`` prints and the snapshot carries about the score."""
    return {
        "as_of": card.as_of.isoformat(),
        "score": card.score,
        "rating": card.rating,
        "uncapped_rating": card.uncapped_rating,
        "capped_by": list(card.capped_by),
        "confidence": confidence_data(confidence),
        "scoring": scoring_data(card),
        "sensitivity": sensitivity_data(sensitivity),
        "scenarios": scenarios_data(scenarios),
        "category_totals": card.category_totals,
        "items": [item_data(i) for i in card.items],
    }
