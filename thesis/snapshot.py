"""The machine-readable brief: a versioned, canonical JSON document.

Sorted keys, floats rounded to 6 places, a ``schema_version``; the same
inputs and as-of date always give the same bytes. ``docs/snapshot.md``
documents the format.
"""

from __future__ import annotations

import json
from typing import Any

from thesis.brief import Brief, CitationView
from thesis.scorecard_data import confidence_data, scenarios_data, sensitivity_data

SCHEMA_VERSION = 1
FLOAT_DIGITS = 6


def _citation(c: CitationView) -> dict[str, Any]:
    return {"number": c.number, "source": c.source_id, "quote": c.quote, "verified": c.verified, "grade": c.grade}


def snapshot(brief: Brief) -> dict[str, Any]:
    """The snapshot of a brief as plain data."""
    card = brief.scorecard
    company = brief.thesis.company

    def item_fields(entry: Any) -> dict[str, Any]:
        return {
            "contribution": entry.contribution,
            "raw": entry.raw,
            "share": entry.share,
            "weight": entry.weight,
            "quality": entry.quality,
            "recency": entry.recency,
            "age_days": entry.age_days,
            "grade": entry.grade,
        }

    points = [
        {
            "id": view.point.id,
            "stance": view.point.stance,
            "title": view.point.title,
            "category": view.point.category,
            "impact": view.point.impact,
            "body": view.point.body,
            "citations": [_citation(c) for c in view.citations],
            **item_fields(view.score),
        }
        for view in (*brief.bull, *brief.bear)
    ]
    metrics = [
        {
            "id": view.metric.id,
            "name": view.metric.name,
            "unit": view.metric.unit,
            "higher_is_better": view.metric.higher_is_better,
            "disagreement": view.disagreement,
            "observations": [
                {
                    "value": o.observation.value,
                    "date": o.observation.date.isoformat() if o.observation.date else None,
                    "period": o.observation.period,
                    "note": o.observation.note,
                    "citation": _citation(o.citation),
                }
                for o in view.observations
            ],
        }
        for view in brief.metrics
    ]
    constraints = [
        {
            "id": view.constraint.id,
            "item": view.constraint.item,
            "status": view.constraint.status,
            "authority": view.constraint.authority,
            "effective": view.constraint.effective.date.isoformat(),
            "effective_estimated": view.constraint.effective.estimated,
            "affects": list(view.constraint.affects),
            "severity": view.constraint.severity,
            "citations": [_citation(c) for c in view.citations],
            **item_fields(view.score),
        }
        for view in brief.constraints
    ]
    sources = [
        {
            "number": entry.number,
            "id": entry.source.id,
            "title": entry.source.title,
            "publisher": entry.source.publisher,
            "author": entry.source.author,
            "published": entry.source.published.date.isoformat(),
            "published_estimated": entry.source.published.estimated,
            "published_basis": entry.source.published.basis,
            "url": entry.source.url,
            "retrieved": entry.source.retrieved.isoformat(),
            "file": entry.source.file,
            "reliability": entry.source.reliability,
            "sha256": entry.sha256,
            "cited_by": list(entry.cited_by),
        }
        for entry in brief.bibliography
    ]
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"thesis {brief.version}",
        "company": {
            "id": brief.company_id,
            "name": company.name,
            "short_name": company.short_name,
            "tickers": [f"{t.symbol} ({t.exchange})" for t in company.tickers],
            "sector": company.sector,
            "analyst": company.analyst,
        },
        "as_of": brief.as_of.isoformat(),
        "inputs_sha256": brief.inputs_sha256,
        "score": card.score,
        "rating": card.rating,
        "uncapped_rating": card.uncapped_rating,
        "capped_by": list(card.capped_by),
        "scoring": {"config": card.config.canonical(), "hash": card.config.digest()},
        "category_totals": card.category_totals,
        "confidence": confidence_data(brief.confidence),
        "sensitivity": sensitivity_data(brief.sensitivity),
        "scenarios": scenarios_data(brief.scenarios),
        "quotes": {"checked": brief.quotes_checked, "unverified": brief.quotes_unverified},
        "points": points,
        "metrics": metrics,
        "constraints": constraints,
        "sources": sources,
    }
    data.update(brief.extras)
    rounded: dict[str, Any] = _rounded(data)
    return rounded


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        rounded = round(value, FLOAT_DIGITS)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def dumps(data: dict[str, Any]) -> str:
    """Canonical JSON text: sorted keys, two-space indent, UTF-8, trailing newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
