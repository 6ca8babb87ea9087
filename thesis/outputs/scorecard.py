"""The scorecard as text, JSON and CSV for ``thesis score`` (no WeasyPrint; pandas only for the CSV table)."""

from __future__ import annotations

import json
from typing import Any

from thesis.brief.view import Brief
from thesis.figures import counted, figure, signed, signed_percent
from thesis.outputs.export import csv_text, scorecard_table
from thesis.outputs.scorecard_data import analysis_data, rounded
from thesis.scoring.score import Scorecard


def scorecard_data(brief: Brief) -> dict[str, Any]:
    """The public JSON of ``thesis score``: score, rating, confidence, scoring, sensitivity, scenarios, items."""
    data = analysis_data(brief.scorecard, brief.confidence, brief.sensitivity, brief.scenarios)
    data["company"] = brief.company_id
    data["stale_constraints"] = [view.constraint.id for view in brief.constraints if view.stale]
    return dict(rounded(data))


def scorecard_json(brief: Brief) -> str:
    return json.dumps(scorecard_data(brief), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def scorecard_csv(card: Scorecard) -> str:
    """The export's scorecard table as CSV: one row per scored item, largest contribution first."""
    return csv_text(scorecard_table(card))


def scorecard_text(brief: Brief) -> str:
    card = brief.scorecard
    confidence = brief.confidence
    sensitivity = brief.sensitivity
    lines = [
        f"{brief.company_id}: score {signed(card.score, 1)} of ±100, rating {card.rating}, "
        f"confidence {confidence.standing}",
        f"as of {card.as_of.isoformat()}, configuration {card.config.digest()}",
    ]
    if card.capped_by:
        lines.append(f"Capped from {card.uncapped_rating} by: {', '.join(card.capped_by)}")
    if confidence.cap_note:
        lines.append(confidence.cap_note)
    stale = [f"{v.constraint.id} ({v.evidence_age_days} days)" for v in brief.constraints if v.stale]
    if stale:
        lines.append(
            f"Stale constraints (newest evidence over {card.config.constraint_stale_days} days old): "
            + ", ".join(stale)
        )
    lines.append("")
    lines.append("Confidence reasons:" if confidence.reasons else "Confidence reasons: none found")
    for reason in confidence.reasons:
        lines.append(f"  -{reason.penalty:>3.0f}  {reason.text}")
    lines.append("")
    lines.append(
        f"{'item':<36} {'side':<5} {'category':<16} {'imp':>3} {'grade':<5} "
        f"{'age':>5} {'decay':>5} {'pts':>7} {'share':>6}"
    )
    for i in sorted(card.items, key=lambda i: (-i.contribution, i.id)):
        lines.append(
            f"{i.id[:36]:<36} {i.stance:<5} {i.category[:16]:<16} {i.impact:>3} {i.grade:<5} {i.age_days:>5} "
            f"{i.recency:>5.2f} {signed(i.contribution, 2):>7} {i.share * 100:>5.1f}%"
        )
    total_share = 100.0 if card.abs_total else 0.0
    lines.append(
        f"{'total':<36} {'':<5} {'':<16} {'':>3} {'':<5} {'':>5} {'':>5} "
        f"{signed(card.score, 2):>7} {total_share:>5.1f}%"
    )
    lines.append("")
    lines.append("Category subtotals:")
    for category, total in sorted(card.category_totals.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {category:<20} {signed(total, 2):>7}")
    lines.append("")
    lines.append("Sensitivity, one knob at a time (score range):")
    for knob in sensitivity.ranges:
        settings = ", ".join(f"{s.label} {signed(s.score, 1)} {s.rating}" for s in knob.settings)
        lines.append(f"  {knob.label:<30} {signed(knob.low, 1):>6} to {signed(knob.high, 1):>6}   ({settings})")
    flips = sensitivity.flips
    best = flips.best
    lines.append("")
    if best is None:
        lines.append(f"What would flip the call: no set of items, removed, moves the rating out of {card.rating}.")
    else:
        lines.append(
            f"What would flip the call: removing {counted(len(best.items), 'items')} moves the rating to "
            f"{best.rating_after} ({signed(best.score_after, 1)}): {', '.join(best.items)}"
        )
    for label, flip in (("up", flips.up), ("down", flips.down)):
        if flip is not None:
            lines.append(
                f"  {label:<5} {counted(len(flip.items), 'items')} → {flip.rating_after}: {', '.join(flip.items)}"
            )
        else:
            lines.append(f"  {label:<5} no set of items moves the rating {label}")
    search = f"  exact search: {flips.evaluated} candidate sets evaluated"
    if flips.bound_hit:
        search += f"; LIMIT OF {flips.limit} REACHED, a smaller set may exist"
    lines.append(search)
    lines.append("")
    lines.append("Leave one source out:")
    for entry in sorted(sensitivity.leave_one_out, key=lambda e: (e.delta, e.source)):
        changed = "  rating changes" if entry.rating != card.rating else ""
        lines.append(
            f"  {entry.source:<28} {signed(entry.score, 1):>6} ({signed(entry.delta, 1)}) {entry.rating}{changed}"
        )
    scenarios = brief.scenarios
    if scenarios is not None:
        unit = scenarios.unit
        lines.append("")
        lines.append(f"Scenarios ({scenarios.metric}, {unit}; current {figure(scenarios.current, unit, 2)}):")
        for case in scenarios.cases:
            lines.append(
                f"  {case.name:<5} p={case.probability:.0%}  {figure(case.value, unit, 2):>10}  "
                f"({signed_percent(case.change)} vs current)"
            )
        lines.append(
            f"  probability-weighted {figure(scenarios.expected, unit, 2)} "
            f"({signed_percent(scenarios.expected_change, 1)}), tilt {scenarios.tilt}"
        )
        lines.append(("  CONFLICT: " if scenarios.conflict else "  ") + scenarios.message)
    return "\n".join(lines) + "\n"
