"""How sure the score is, separate from how good it is.

Confidence starts at 100; each reason found takes off its penalty (see
:class:`thesis.scoring.config.ConfidenceConfig`). Some reasons (``low_when``:
by default single-source dependence and thin evidence) hold the level at Low
whatever the value: a call resting on one source or a handful of items is
never Medium or High. Measures are weighted by
each item's |raw| so that the items that drive the score drive the measure.
Items that contribute nothing (a constraint whose status does not bite) are
left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from thesis.figures import counted
from thesis.inputs.models import KIND_BY_CATEGORY, constraints_noun
from thesis.scoring.score import ItemScore, Scorecard
from thesis.scoring.sensitivity import Sensitivity

REASON_NAMES = {
    "weak-sources": "weak sources",
    "single-source": "single-source dependence",
    "old-evidence": "old evidence",
    "both-sides": "strong evidence on both sides",
    "constraints": "constraints that bite",
    "fragile": "a fragile call",
    "thin": "thin evidence",
}


@dataclass(frozen=True)
class Reason:
    code: str  # weak-sources, single-source, old-evidence, both-sides, constraints, fragile, thin
    text: str
    penalty: float


@dataclass(frozen=True)
class Confidence:
    level: str
    value: float  # 0 to 100
    reasons: tuple[Reason, ...]
    average_quality: float
    average_recency: float
    top_source: str | None
    top_source_share: float  # share of Σ|raw| resting on that source alone
    balance: float  # the weaker side's Σ|raw| over the stronger side's (0 = one-sided, 1 = even)
    biting_constraints: tuple[str, ...]
    capped_by: tuple[str, ...] = ()  # codes of the reasons that hold the level at Low (``low_when``)
    uncapped_level: str = ""  # the level the value alone gives ("" when it is the level)

    @property
    def held_down(self) -> bool:
        """Whether a reason holds the level at Low below the level its value alone gives."""
        return bool(self.capped_by) and self.uncapped_level not in ("", self.level)

    @property
    def standing(self) -> str:
        """The level with its value, and why a cap holds it there, as the score bar and ``thesis score`` write it:
        "Low: held by single-source dependence (80/100 before the cap)", "Low (5/100; held at Low by thin
        evidence)", "Medium (45/100)". The cover says the same in its own words."""
        value = f"{self.value:.0f}/100"
        if self.held_down:
            return f"{self.level}: held by {self.cap_reasons} ({value} before the cap)"
        if self.capped_by:
            return f"{self.level} ({value}; held at Low by {self.cap_reasons})"
        return f"{self.level} ({value})"

    @property
    def cap_reasons(self) -> str:
        """The reasons that hold the level at Low, in words ("single-source dependence and thin evidence")."""
        return " and ".join(REASON_NAMES.get(code, code) for code in self.capped_by)

    @property
    def cap_note(self) -> str:
        """Why the level is Low whatever the value, or "" when no reason caps it."""
        if not self.capped_by:
            return ""
        alone = f" ({self.value:.0f} alone would be {self.uncapped_level})" if self.held_down else ""
        return f"Held at Low by {self.cap_reasons}, which caps confidence whatever the value{alone}."


def _weighted(items: list[ItemScore], value: str) -> float:
    total = sum(abs(i.raw) for i in items)
    if total == 0:
        return 1.0
    return sum(abs(i.raw) * float(getattr(i, value)) for i in items) / total


def sole_source_shares(items: list[ItemScore]) -> dict[str, float]:
    """For each source, the share of Σ|raw| carried by items that cite that source and no other."""
    total = sum(abs(i.raw) for i in items)
    shares: dict[str, float] = {}
    if total == 0:
        return shares
    for item in items:
        if len(item.sources) == 1:
            shares[item.sources[0]] = shares.get(item.sources[0], 0.0) + abs(item.raw) / total
    return shares


def assess(card: Scorecard, sensitivity: Sensitivity | None = None) -> Confidence:
    """The confidence level of a scorecard, with every reason it is not higher."""
    rules = card.config.confidence
    scored = [i for i in card.items if i.raw != 0]
    reasons: list[Reason] = []

    quality = _weighted(scored, "quality")
    if scored and quality < rules.min_quality:
        reasons.append(
            Reason(
                "weak-sources",
                f"Weak sources: average evidence quality {quality:.2f} is below {rules.min_quality:g} "
                "(a neutral grade).",
                rules.weak_quality_penalty,
            )
        )

    shares = sole_source_shares(scored)
    top_source, top_share = max(shares.items(), key=lambda kv: (kv[1], kv[0]), default=(None, 0.0))
    deciding = [s for s in (sensitivity.leave_one_out if sensitivity else ()) if s.rating != card.rating]
    concentrated = top_source is not None and top_share > rules.single_source_share
    if concentrated or deciding:
        parts = []
        if concentrated:
            parts.append(f"{top_share:.0%} of the evidence weight rests on {top_source} alone")
        if deciding:
            parts.append(
                "leaving out "
                + ", ".join(f"{s.source} moves the rating to {s.rating}" for s in deciding[:3])
                + (" and more" if len(deciding) > 3 else "")
            )
        reasons.append(
            Reason("single-source", "Single-source dependence: " + "; ".join(parts) + ".", rules.single_source_penalty)
        )

    freshness = _weighted(scored, "recency")
    if scored and freshness < rules.min_recency:
        reasons.append(
            Reason(
                "old-evidence",
                f"Old evidence: on average it keeps {freshness:.0%} of its weight after decay "
                f"(below {rules.min_recency:.0%}).",
                rules.old_evidence_penalty,
            )
        )

    bull = sum(i.raw for i in scored if i.raw > 0)
    bear = -sum(i.raw for i in scored if i.raw < 0)
    balance = min(bull, bear) / max(bull, bear) if max(bull, bear) > 0 else 0.0
    if balance >= rules.conflict_ratio and min(bull, bear) > 0:
        reasons.append(
            Reason(
                "both-sides",
                f"Strong evidence on both sides: bull weight {bull:.1f} against bear weight {bear:.1f} "
                f"(the weaker side is {balance:.0%} of the stronger).",
                rules.conflict_penalty,
            )
        )

    biting = tuple(i for i in card.items if i.kind == "constraint" and (i.weight > 0 or i.caps))
    if biting:
        severe = [i for i in biting if i.impact >= 4]
        penalty = min(
            rules.max_constraint_penalty,
            len(severe) * rules.severe_constraint_penalty + (len(biting) - len(severe)) * rules.constraint_penalty,
        )
        reasons.append(
            Reason(
                "constraints",
                f"{constraints_noun(KIND_BY_CATEGORY[i.category] for i in biting).capitalize()} add uncertainty: "
                f"{counted(len(biting), 'constraints')} "
                + ("bites" if len(biting) == 1 else "bite")
                + (f", {len(severe)} of severity 4 or more" if severe else "")
                + ".",
                penalty,
            )
        )

    best = sensitivity.flips.best if sensitivity else None
    if best is not None and len(best.items) == 1:
        reasons.append(
            Reason(
                "fragile",
                f"Fragile call: removing {best.items[0]} alone moves the rating to {best.rating_after}.",
                rules.fragile_penalty,
            )
        )

    if not scored:
        reasons.append(
            Reason("thin", "No evidence: nothing contributes to the score, so it is neutral by default.", 100)
        )
    elif len(scored) < rules.min_items:
        reasons.append(
            Reason(
                "thin",
                f"Thin evidence: only {counted(len(scored), 'scored items')} (fewer than {rules.min_items}).",
                rules.thin_penalty,
            )
        )

    value = max(0.0, 100.0 - sum(r.penalty for r in reasons))
    level = uncapped = "High" if value >= rules.high else "Medium" if value >= rules.medium else "Low"
    capped_by = tuple(r.code for r in reasons if r.code in rules.low_when)
    if capped_by:
        level = "Low"
    return Confidence(
        level=level,
        value=value,
        reasons=tuple(reasons),
        average_quality=quality,
        average_recency=freshness,
        top_source=top_source,
        top_source_share=top_share,
        balance=balance,
        biting_constraints=tuple(i.id for i in biting),
        capped_by=capped_by,
        uncapped_level="" if uncapped == level else uncapped,
    )
