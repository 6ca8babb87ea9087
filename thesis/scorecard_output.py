"""The scorecard as text, JSON and CSV for ``thesis score``."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from thesis.scoring import Scorecard
from thesis.snapshot import _rounded

COLUMNS = (
    "id",
    "kind",
    "stance",
    "category",
    "impact",
    "grade",
    "age_days",
    "weight",
    "quality",
    "recency",
    "raw",
    "contribution",
    "share",
)


def scorecard_data(card: Scorecard) -> dict[str, Any]:
    data: dict[str, Any] = {
        "as_of": card.as_of.isoformat(),
        "score": card.score,
        "rating": card.rating,
        "uncapped_rating": card.uncapped_rating,
        "capped_by": list(card.capped_by),
        "scoring": {"config": card.config.canonical(), "hash": card.config.digest()},
        "category_totals": card.category_totals,
        "items": [{c: getattr(i, c) for c in (*COLUMNS, "title")} for i in card.items],
    }
    return dict(_rounded(data))


def scorecard_json(card: Scorecard) -> str:
    return json.dumps(scorecard_data(card), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def scorecard_csv(card: Scorecard) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in card.items:
        writer.writerow([round(v, 6) if isinstance(v, float) else v for v in (getattr(item, c) for c in COLUMNS)])
    return buffer.getvalue()


def scorecard_text(card: Scorecard) -> str:
    lines = [
        f"Score {card.score:+.1f} of ±100, rating {card.rating} "
        f"(as of {card.as_of.isoformat()}, config {card.config.digest()})",
    ]
    if card.capped_by:
        lines.append(f"Capped from {card.uncapped_rating} by: {', '.join(card.capped_by)}")
    lines.append("")
    lines.append(
        f"{'item':<36} {'side':<5} {'category':<16} {'imp':>3} {'grade':<5} "
        f"{'age':>5} {'decay':>5} {'pts':>7} {'share':>6}"
    )
    for i in sorted(card.items, key=lambda i: -i.contribution):
        lines.append(
            f"{i.id[:36]:<36} {i.stance:<5} {i.category[:16]:<16} {i.impact:>3} {i.grade:<5} {i.age_days:>5} "
            f"{i.recency:>5.2f} {i.contribution:>+7.2f} {i.share * 100:>5.1f}%"
        )
    lines.append("")
    lines.append("Category subtotals:")
    for category, total in sorted(card.category_totals.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {category:<20} {total:>+7.2f}")
    return "\n".join(lines) + "\n"
