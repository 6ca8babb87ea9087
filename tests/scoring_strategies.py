"""Hypothesis strategies for in-memory theses (no files), for the scoring laws and the sensitivity tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from thesis.inputs.models import SCENARIO_SMALLEST_CURRENT, Thesis

AS_OF = dt.date(2026, 1, 31)
SOURCE_IDS = ("s-a", "s-b", "s-c")
CATEGORIES = ("cloud", "chips", "capital", "other")
COMPANY = {
    "name": "Law Test Co",
    "tickers": [{"symbol": "LAW", "exchange": "NYSE"}],
    "sector": "Testing",
    "headquarters": "Nowhere",
    "analyst": "Desk",
    "summary": "A company that exists for the laws.",
}


def source(source_id: str, reliability: str, published: dt.date) -> dict[str, Any]:
    return {
        "id": source_id,
        "title": f"Source {source_id}",
        "published": published,
        "retrieved": AS_OF,
        "file": f"sources/{source_id}.txt",
        "reliability": reliability,
    }


def point(point_id: str, stance: str, category: str, impact: int, citations: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "id": point_id,
        "stance": stance,
        "title": f"Point {point_id}",
        "category": category,
        "impact": impact,
        "body": "Reasoning.",
        "evidence": [{"source": s, "quote": "a quote", "credibility": c} for s, c in citations],
    }


def constraint(constraint_id: str, status: str, severity: int, source_id: str) -> dict[str, Any]:
    return {
        "id": constraint_id,
        "item": "Chips",
        "status": status,
        "authority": "Rules",
        "effective": dt.date(2024, 1, 1),
        "affects": ["training"],
        "severity": severity,
        "evidence": [{"source": source_id, "quote": "a quote", "credibility": 3}],
    }


def thesis_of(
    sources: list[dict[str, Any]], points: list[dict[str, Any]], constraints: list[dict[str, Any]] | None = None
) -> Thesis:
    return Thesis.model_validate(
        {"company": COMPANY, "sources": sources, "points": points, "constraints": constraints or []}
    )


@st.composite
def sources_st(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [
        source(
            source_id,
            draw(st.sampled_from("ABCDEF")),
            AS_OF - dt.timedelta(days=draw(st.integers(0, 1500))),
        )
        for source_id in SOURCE_IDS
    ]


@st.composite
def point_st(draw: st.DrawFn, point_id: str, stance: str | None = None) -> dict[str, Any]:
    citations = draw(st.lists(st.tuples(st.sampled_from(SOURCE_IDS), st.integers(1, 6)), min_size=1, max_size=3))
    return point(
        point_id,
        stance or draw(st.sampled_from(["bull", "bear"])),
        draw(st.sampled_from(CATEGORIES)),
        draw(st.integers(1, 5)),
        citations,
    )


@st.composite
def points_st(draw: st.DrawFn, min_size: int = 0, max_size: int = 8) -> list[dict[str, Any]]:
    count = draw(st.integers(min_size, max_size))
    return [draw(point_st(f"p-{n}")) for n in range(count)]


@st.composite
def constraints_st(draw: st.DrawFn, max_size: int = 2) -> list[dict[str, Any]]:
    count = draw(st.integers(0, max_size))
    return [
        constraint(
            f"c-{n}",
            draw(st.sampled_from(["allowed", "licensed", "restricted", "blocked"])),
            draw(st.integers(1, 5)),
            draw(st.sampled_from(SOURCE_IDS)),
        )
        for n in range(count)
    ]


SCENARIO_FIGURES = st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios_st(draw: st.DrawFn) -> dict[str, Any]:
    """A scenarios block the inputs accept: current not within 1e-6 of zero, probabilities that sum to 1."""
    current = draw(SCENARIO_FIGURES.filter(lambda v: abs(v) >= SCENARIO_SMALLEST_CURRENT))
    names = draw(st.lists(st.sampled_from(["bull", "base", "bear"]), min_size=2, max_size=3, unique=True))
    weights = [draw(st.integers(0, 20)) for _ in names]
    if sum(weights) == 0:
        weights[0] = 1
    probabilities = [w / sum(weights) for w in weights]
    probabilities[-1] = max(0.0, 1 - sum(probabilities[:-1]))
    return {
        "metric": "Value",
        "unit": "USD bn",
        "current": current,
        "cases": [
            {"name": name, "probability": p, "value": draw(SCENARIO_FIGURES)}
            for name, p in zip(names, probabilities, strict=True)
        ],
    }


@st.composite
def bands_st(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rating bands from -100 upwards, with names drawn from a small set so that some repeat."""
    count = draw(st.integers(1, 6))
    mins = sorted(draw(st.lists(st.integers(-99, 99), min_size=count - 1, max_size=count - 1, unique=True)))
    names = draw(
        st.lists(st.sampled_from(["Sell", "sell", "Hold", "Buy", "Neutral", "Top"]), min_size=count, max_size=count)
    )
    return [{"name": name, "min": low} for name, low in zip(names, [-100, *mins], strict=True)]
