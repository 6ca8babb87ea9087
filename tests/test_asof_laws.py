"""Laws of the as-of view for any dated texts and status changes: nothing written or reported later shows.

Every text the desk may write in dated versions is drawn both ways, plain and dated: the summary, a point's
title and body, a catalyst's title, timing and outcome, a kill criterion's title and rationale, a metric
observation's note, a constraint status change's note and a scenario case's description.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.scoring_strategies import AS_OF, COMPANY, point, source
from thesis.inputs.loader import load_texts
from thesis.inputs.models import Catalyst, Thesis, Version
from thesis.inputs.periods import parse_window
from thesis.inputs.yaml_writer import model_yaml
from thesis.scoring.asof import as_of_view, earliest_evidence, inputs_as_of, status_history
from thesis.scoring.catalysts import catalyst_states

START = AS_OF - dt.timedelta(days=800)
days = st.integers(0, 800).map(lambda n: START + dt.timedelta(days=n))


@st.composite
def dated_texts(draw: st.DrawFn) -> list[dict[str, Any]]:
    written = sorted(draw(st.sets(days, min_size=1, max_size=4)))
    return [{"written": day, "text": f"written {day.isoformat()}"} for day in written]


WINDOWS = ("2024", "Q1 2024", "2024-06", "1H 2025", "2025-03-15", "Q3 2025", "2025", "2026")


@st.composite
def dated_windows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A catalyst's expected windows as the desk moved them: any windows, oldest written first."""
    written = sorted(draw(st.sets(days, min_size=1, max_size=4)))
    return [{"written": day, "text": draw(st.sampled_from(WINDOWS))} for day in written]


def texts(plain: str) -> st.SearchStrategy[str | list[dict[str, Any]]]:
    """A text the desk writes: plain, or dated versions."""
    return st.one_of(st.just(plain), dated_texts())


@st.composite
def theses(draw: st.DrawFn) -> Thesis:
    published = sorted(draw(st.lists(days, min_size=2, max_size=2)))
    sources = [source("s-a", "B", published[0]), source("s-b", "C", published[1])]
    body = point("p", "bull", "cloud", 3, [("s-a", 2), ("s-b", 2)])
    body.update(title=draw(dated_texts()), body=draw(dated_texts()))
    if draw(st.booleans()):
        body["since"] = draw(days)
    statuses = sorted(draw(st.sets(days.filter(lambda d: d > START), max_size=3)))
    changes = [
        {
            "status": draw(st.sampled_from(["allowed", "restricted", "blocked"])),
            "date": day,
            "evidence": [{"source": draw(st.sampled_from(["s-a", "s-b"])), "quote": "a quote"}],
            **({"note": draw(texts("What changed."))} if draw(st.booleans()) else {}),
        }
        for day in statuses
    ]
    observation: dict[str, Any] = {"value": 30, "period": "2024", "source": draw(st.sampled_from(["s-a", "s-b"]))}
    observation.update(quote="a quote", note=draw(texts("approximate")))
    metric = {"id": "m", "name": "Share", "unit": "%", "higher_is_better": True, "observations": [observation]}
    scenarios: dict[str, Any] = {"metric": "Market value", "unit": "USD bn", "current": 100}
    scenarios["cases"] = [
        {"name": "bull", "probability": 0.5, "value": 150, "description": draw(texts("Growth holds."))},
        {"name": "bear", "probability": 0.5, "value": 60, "description": draw(texts("Growth stalls."))},
    ]
    if draw(st.booleans()):
        scenarios["date"] = draw(days)
    constraint = {
        "id": "c",
        "item": "Chips",
        "status": "licensed",
        "authority": "Rules",
        "effective": START,
        "affects": ["training"],
        "severity": 3,
        "evidence": [{"source": "s-a", "quote": "a quote"}],
        "changes": changes,
    }
    company = {**COMPANY, "summary": draw(dated_texts())}
    criterion: dict[str, Any] = {"id": "k", "title": draw(texts("Chips blocked")), "constraint": "c"}
    criterion.update(status=["blocked"], rationale=draw(texts("Why it matters.")))
    if draw(st.booleans()):
        criterion["evidence"] = [{"source": draw(st.sampled_from(["s-a", "s-b"])), "quote": "a quote"}]
    catalyst: dict[str, Any] = {"id": "r", "title": draw(texts("Ruling")), "kind": "policy", "tests": ["p", "c"]}
    if draw(st.booleans()):
        catalyst["expected"] = draw(st.one_of(st.sampled_from(WINDOWS), dated_windows()))
    if "expected" not in catalyst or draw(st.booleans()):
        catalyst["timing"] = draw(texts("Some time next year"))
    if draw(st.booleans()):
        catalyst["evidence"] = [
            {"source": s, "quote": "a quote"} for s in draw(st.sets(st.sampled_from(["s-a", "s-b"])))
        ]
    if draw(st.booleans()):
        catalyst.update(status="happened", outcome=draw(texts("Ruled.")))
        if not catalyst.get("evidence") and "expected" not in catalyst or draw(st.booleans()):
            catalyst["resolved"] = draw(days)  # else resolved at its last window's end, or as its newest source
            # reports it when no source dates it
    return Thesis.model_validate(
        {
            "company": company,
            "sources": sources,
            "points": [body],
            "metrics": [metric],
            "constraints": [constraint],
            "scenarios": scenarios,
            "catalysts": [catalyst],
            "kill_criteria": [criterion],
        }
    )


@settings(max_examples=150, deadline=None)
@given(theses(), days)
def test_the_view_shows_the_newest_text_written_by_its_date_and_nothing_later(thesis: Thesis, as_of: dt.date) -> None:
    view = as_of_view(thesis, as_of)
    summary = [v for v in thesis.company.summary if v.written <= as_of]  # type: ignore[union-attr]
    assert view.company.current_summary == (summary[-1].text if summary else None)
    (original,) = thesis.points
    published = {s.id: s.published.date for s in thesis.sources}
    since = original.since or min(published.values())
    titles = [v for v in original.title if v.written <= as_of]  # type: ignore[union-attr]
    if since > as_of or not titles or min(published.values()) > as_of:
        assert view.points == []
        return
    (shown,) = view.points
    assert shown.current_title == titles[-1].text
    bodies = [v for v in original.body if v.written <= as_of]  # type: ignore[union-attr]
    assert shown.current_body == (bodies[-1].text if bodies else None)
    assert all(published[c.source] <= as_of for c in shown.evidence)


def newest_by(text: str | Sequence[Version] | None, written: dt.date | None, as_of: dt.date) -> str | None:
    """The newest text written by ``as_of``: a version written by then, or a plain text written on ``written``
    (``None``: on any day)."""
    if isinstance(text, str):
        return text if written is None or written <= as_of else None
    versions = [v for v in text or [] if v.written <= as_of]
    return versions[-1].text if versions else None


@settings(max_examples=200, deadline=None)
@given(theses(), days)
def test_a_catalyst_and_a_kill_criterion_say_only_what_was_written_by_the_date(thesis: Thesis, as_of: dt.date) -> None:
    """Their titles, a catalyst's timing and outcome: the newest version written by the date (a plain text of a
    cited item counts as written when its first source was published; an outcome, once resolved and known).
    An item counts from its first title on, and no outcome shows before the day it was resolved."""
    view = as_of_view(thesis, as_of)
    published = {s.id: s.published.date for s in thesis.sources}
    (catalyst,) = thesis.catalysts
    first = min((published[c.source] for c in catalyst.evidence), default=None)
    title = newest_by(catalyst.title, first, as_of)
    if title is None or (first is not None and first > as_of):
        assert view.catalysts == []
    else:
        (shown,) = view.catalysts
        assert shown.current_title == title
        assert shown.current_timing == newest_by(catalyst.timing, first, as_of)
        assert shown.current_expected == newest_by(catalyst.expected, first, as_of)
        assert_window_in_force(view, catalyst, as_of)
        resolved = catalyst.resolved_on
        if resolved is None and catalyst.status != "upcoming":
            resolved = max(published[c.source] for c in catalyst.evidence)
        if resolved is not None and resolved > as_of:
            assert (shown.status, shown.outcome, shown.current_outcome) == ("upcoming", None, None)
        else:
            known_on = max(day for day in (resolved, first) if day is not None) if catalyst.outcome else None
            assert shown.current_outcome == newest_by(catalyst.outcome, known_on, as_of)
            if catalyst.resolved_on is not None:  # the end of its last window, whichever was then in force
                assert shown.resolved_on == catalyst.resolved_on
    (criterion,) = thesis.kill_criteria
    first = min((published[c.source] for c in criterion.evidence), default=None)
    title = newest_by(criterion.title, first, as_of)
    if title is None or (first is not None and first > as_of) or not view.constraints:
        assert view.kill_criteria == []
        return
    (kept,) = view.kill_criteria
    assert kept.current_title == title
    assert kept.current_rationale == newest_by(criterion.rationale, first, as_of)


@settings(max_examples=200, deadline=None)
@given(theses(), days)
def test_a_note_says_only_what_was_written_by_the_date(thesis: Thesis, as_of: dt.date) -> None:
    """An observation's note, a status change's note and a scenario case's description: the newest version
    written by the date, a plain one counting as written when the observation's source was published, when
    the change's first source was, or on the scenarios' date; none written by then, no note. The view and the
    inputs as of the date (a PDF brief's attachment) agree."""
    view, known = as_of_view(thesis, as_of), inputs_as_of(thesis, as_of)
    published = {s.id: s.published.date for s in thesis.sources}
    (observation,) = thesis.metrics[0].observations
    if published[observation.source] > as_of:
        assert view.metrics == known.metrics == []
    else:
        expected = newest_by(observation.note, published[observation.source], as_of)
        assert [o.current_note for m in (*view.metrics, *known.metrics) for o in m.observations] == [expected] * 2
    (constraint,) = thesis.constraints
    shown = {e.effective.date: e.current_note for e in status_history(constraint, as_of, published)[1:]}
    kept = {c.date.date: c.current_note for k in known.constraints for c in k.changes}
    expected_notes = {
        change.date.date: newest_by(change.note, min(published[c.source] for c in change.evidence), as_of)
        for change in constraint.changes
        if change.date.date <= as_of and any(published[c.source] <= as_of for c in change.evidence)
    }
    assert shown == kept == expected_notes
    set_on = thesis.scenarios_date()
    assert thesis.scenarios is not None and set_on is not None
    if set_on > as_of:
        assert view.scenarios is None
    else:
        assert view.scenarios is not None
        cases = {c.name: c.current_description for c in view.scenarios.cases}
        assert cases == {c.name: newest_by(c.description, set_on, as_of) for c in thesis.scenarios.cases}


def assert_window_in_force(view: Thesis, catalyst: Catalyst, as_of: dt.date) -> None:
    """The window in force is the newest written by the date: overdue when it ended before the date with no
    outcome; it slipped from each earlier window written by then that ended before it ends, and was brought
    forward from each that ends no earlier and starts after it starts."""
    (state,) = catalyst_states(view, as_of)
    shown = state.catalyst
    window = parse_window(shown.current_expected) if shown.current_expected else None
    assert state.window == window
    assert state.overdue == (shown.status == "upcoming" and window is not None and window.end < as_of)
    written = [v.text for v in catalyst.expected if v.written <= as_of] if isinstance(catalyst.expected, list) else []
    earlier = [parse_window(text) for text in written[:-1]]
    assert window is not None or not earlier
    slipped = {p.key for p in earlier if window is not None and p.end < window.end}
    forward = {p.key for p in earlier if window is not None and p.end >= window.end and p.start > window.start}
    assert {parse_window(t).key for t in state.slipped_from} == slipped
    assert {parse_window(t).key for t in state.brought_forward_from} == forward


@settings(max_examples=150, deadline=None)
@given(theses(), days)
def test_the_status_in_force_is_the_newest_reported_by_the_date(thesis: Thesis, as_of: dt.date) -> None:
    (constraint,) = thesis.constraints
    published = {s.id: s.published.date for s in thesis.sources}
    entries = [(constraint.effective.date, constraint.status, constraint.evidence)]
    entries += [(c.date.date, c.status, c.evidence) for c in constraint.changes]
    reported = [
        (day, status)
        for day, status, evidence in entries
        if day <= as_of and any(published[c.source] <= as_of for c in evidence)
    ]
    shown = as_of_view(thesis, as_of).constraints
    if not reported:
        assert shown == []
        return
    (view,) = shown
    assert (view.effective.date, view.status) == reported[-1]
    assert view.evidence and all(published[c.source] <= as_of for c in view.evidence)


@pytest.fixture(scope="module")
def company_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A company folder holding the archived texts the laws' sources name."""
    folder = tmp_path_factory.mktemp("law-company")
    (folder / "sources").mkdir()
    for source_id in ("s-a", "s-b"):
        (folder / "sources" / f"{source_id}.txt").write_text("a quote\n", encoding="utf-8")
    return folder


@settings(max_examples=150, deadline=None)
@given(thesis=theses(), as_of=days)
def test_the_inputs_as_of_a_date_written_out_load_into_the_same_view(
    company_folder: Path, thesis: Thesis, as_of: dt.date
) -> None:
    """What a PDF brief attaches: the inputs as of its date, as YAML, load (with the loader's every check)
    into those inputs again, and so into the very view the brief was made from."""
    assume(earliest_evidence(thesis) is not None and earliest_evidence(thesis) <= as_of)  # type: ignore[operator]
    known = inputs_as_of(thesis, as_of)
    again = load_texts({"thesis-as-of.yaml": model_yaml(known)}, company_folder, AS_OF).thesis
    assert again == known
    assert as_of_view(again, as_of) == as_of_view(thesis, as_of)
    assert all(v.written <= as_of for v in again.company.summary)  # type: ignore[union-attr]
    published = {s.id: s.published.date for s in thesis.sources}
    histories = [[status_history(c, as_of, published) for c in t.constraints] for t in (thesis, again)]
    assert histories[1] == [h for h in histories[0] if h]  # each status then known, in order, with its citations


@settings(max_examples=150, deadline=None)
@given(thesis=theses(), as_of=days, earlier=days)
def test_the_inputs_as_of_a_date_viewed_as_of_an_earlier_day_are_the_inputs_viewed_then(
    thesis: Thesis, as_of: dt.date, earlier: dt.date
) -> None:
    """So a brief's score over time, read from its inputs as of its date, is the one its own date could know."""
    assume(earliest_evidence(thesis) <= earlier <= as_of)  # type: ignore[operator]
    assert as_of_view(inputs_as_of(thesis, as_of), earlier) == as_of_view(thesis, earlier)
