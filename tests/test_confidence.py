"""Confidence: separate from the score, lowered for named reasons."""

from __future__ import annotations

import datetime as dt

from tests.scoring_strategies import AS_OF, constraint, point, source, thesis_of
from thesis.scoring.confidence import assess
from thesis.scoring.config import ConfidenceOverrides, ScoringConfig, ScoringOverrides, merge
from thesis.scoring.score import score
from thesis.scoring.sensitivity import analyse


def reasons_for(thesis_args: tuple[list, list, list], config: ScoringConfig | None = None) -> tuple[str, set[str]]:  # type: ignore[type-arg]
    thesis = thesis_of(*thesis_args)
    card = score(thesis, AS_OF, config or ScoringConfig())
    confidence = assess(card, analyse(thesis, AS_OF, card))
    return confidence.level, {r.code for r in confidence.reasons}


def spread_sources(reliability: str = "B", published: dt.date = AS_OF) -> list[dict]:  # type: ignore[type-arg]
    return [source(s, reliability, published) for s in ("s-a", "s-b", "s-c")]


def bulls(count: int, citations: list[tuple[str, int]] | None = None) -> list[dict]:  # type: ignore[type-arg]
    return [
        point(f"bull-{n}", "bull", "cloud", 4, citations or [(("s-a", "s-b", "s-c")[n % 3], 1)]) for n in range(count)
    ]


def test_broad_strong_fresh_one_sided_evidence_is_high_confidence() -> None:
    level, reasons = reasons_for((spread_sources(), bulls(9), []))
    assert (level, reasons) == ("High", set())


def test_weak_sources_lower_confidence() -> None:
    _, reasons = reasons_for((spread_sources("E"), bulls(9, None), []))
    assert "weak-sources" in reasons


def test_single_source_dependence_is_named() -> None:
    _, reasons = reasons_for((spread_sources(), bulls(9, [("s-a", 1)]), []))
    assert "single-source" in reasons


def test_old_evidence_lowers_confidence() -> None:
    _, reasons = reasons_for((spread_sources(published=AS_OF.replace(year=AS_OF.year - 3)), bulls(9), []))
    assert "old-evidence" in reasons


def test_strong_evidence_on_both_sides_lowers_confidence() -> None:
    points = bulls(6) + [point(f"bear-{n}", "bear", "cloud", 4, [(("s-a", "s-b", "s-c")[n % 3], 1)]) for n in range(6)]
    level, reasons = reasons_for((spread_sources(), points, []))
    assert "both-sides" in reasons
    assert level != "High"


def test_biting_constraints_raise_uncertainty_but_allowed_ones_do_not() -> None:
    _, allowed = reasons_for((spread_sources(), bulls(9), [constraint("ok", "allowed", 5, "s-a")]))
    assert "constraints" not in allowed
    level, blocked = reasons_for((spread_sources(), bulls(9), [constraint("ban", "blocked", 5, "s-a")]))
    assert "constraints" in blocked


def test_thin_and_fragile_evidence_is_low_confidence() -> None:
    level, reasons = reasons_for((spread_sources(), [point("only", "bull", "cloud", 2, [("s-a", 3)])], []))
    assert {"thin", "fragile", "single-source"} <= reasons
    assert level == "Low"


def test_confidence_is_not_the_score() -> None:
    """Both theses are bullish; only the quality, breadth and age of their evidence differ."""
    strong = thesis_of(spread_sources(), bulls(9), [])
    weak = thesis_of(spread_sources("E", AS_OF.replace(year=AS_OF.year - 3)), bulls(9, [("s-a", 5)]), [])
    strong_card = score(strong, AS_OF, ScoringConfig())
    weak_card = score(weak, AS_OF, ScoringConfig())
    assert weak_card.score > 0 and strong_card.score > 0
    assert assess(strong_card).level == "High"
    assert assess(weak_card).value < assess(strong_card).value


def test_no_evidence_is_low_confidence_whatever_the_score() -> None:
    level, reasons = reasons_for((spread_sources(), [], [constraint("ok", "allowed", 5, "s-a")]))
    assert (level, reasons) == ("Low", {"thin"})


def test_a_buy_on_five_items_from_one_source_is_low_confidence_and_says_why() -> None:
    """The value alone (100 - 20 - 25 = 55) would read Medium; single-source and thin evidence cap it at Low."""
    thesis = thesis_of(spread_sources("C"), [point(f"p-{n}", "bull", "cloud", 5, [("s-a", 1)]) for n in range(5)], [])
    card = score(thesis, AS_OF, ScoringConfig())
    confidence = assess(card, analyse(thesis, AS_OF, card))
    assert card.rating == "Buy"
    assert confidence.value == 55
    assert confidence.level == "Low"
    assert confidence.capped_by == ("single-source", "thin")
    assert "single-source dependence and thin evidence" in confidence.cap_note


def test_each_capping_reason_alone_holds_the_level_at_low() -> None:
    one_source = (spread_sources(), bulls(9, [("s-a", 1)]), [])
    few = (spread_sources(), bulls(3), [])
    for args, code in ((one_source, "single-source"), (few, "thin")):
        thesis = thesis_of(*args)
        card = score(thesis, AS_OF, ScoringConfig())
        confidence = assess(card, analyse(thesis, AS_OF, card))
        assert confidence.value >= ScoringConfig().confidence.medium, code  # Medium or better by value
        assert (confidence.level, confidence.capped_by) == ("Low", (code,))


def test_the_capping_reasons_are_a_knob() -> None:
    thesis = thesis_of(spread_sources(), bulls(9, [("s-a", 1)]), [])
    config = merge(ScoringConfig(), ScoringOverrides(confidence=ConfidenceOverrides(low_when=())))
    card = score(thesis, AS_OF, config)
    confidence = assess(card, analyse(thesis, AS_OF, card))
    assert confidence.level != "Low" and confidence.capped_by == ()


def test_the_score_bar_says_why_a_cap_holds_confidence_at_low() -> None:
    """80/100 reads High or Medium; beside "Low" it must say which rule holds it there, as the cover does."""
    thesis = thesis_of(*(spread_sources(), bulls(9, [("s-a", 1)]), []))
    card = score(thesis, AS_OF, ScoringConfig())
    held = assess(card, analyse(thesis, AS_OF, card))
    assert (held.value, held.uncapped_level) == (80, "High")
    assert held.standing == "Low: held by single-source dependence (80/100 before the cap)"
    assert held.cap_note.endswith("whatever the value (80 alone would be High).")
    thin = thesis_of(spread_sources(), [point("only", "bull", "cloud", 2, [("s-a", 3)])], [])
    card = score(thin, AS_OF, ScoringConfig())
    low_anyway = assess(card, analyse(thin, AS_OF, card))
    assert not low_anyway.held_down
    assert low_anyway.standing.startswith(f"Low ({low_anyway.value:.0f}/100; held at Low by")
    clear = thesis_of(spread_sources(), bulls(9), [])
    assert assess(score(clear, AS_OF, ScoringConfig())).standing == "High (100/100)"
