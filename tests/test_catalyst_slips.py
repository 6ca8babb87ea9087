"""A catalyst whose expected window slips: each brief shows the window in force on its date, and says it slipped.

The fixture's launch was guided for Q1 2025 (written 2025-01-15); the desk wrote on 2025-05-10 that it slipped
to Q3 2025, after Q1 had ended. So a brief as of 2025-04-15 shows Q1 2025 and calls it overdue (on that day the
desk's record said so); from 2025-05-10 on, briefs show Q3 2025, slipped from Q1 2025, not overdue until Q3 ends.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from tests.builders import base_inputs, write_project
from tests.test_catalysts import Cover
from thesis.commands.render import prepare
from thesis.commands.watch import alerts, write_calendar
from thesis.diff.compare import diff_snapshots, snapshots_as_of
from thesis.diff.output import diff_html, diff_text
from thesis.inputs.loader import load
from thesis.inputs.periods import parse_window
from thesis.outputs.snapshot import snapshot
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.scoring.asof import as_of_view
from thesis.scoring.catalysts import CatalystState, catalyst_states, move
from thesis.scoring.kill_criteria import evaluate
from thesis.verify.checks import overdue_catalysts

GUIDED = dt.date(2025, 1, 15)  # Q1 2025 written
SLIPPED = dt.date(2025, 5, 10)  # Q3 2025 written, after Q1 ended
BEFORE_Q1_ENDED = dt.date(2025, 2, 15)
BETWEEN = dt.date(2025, 4, 15)  # Q1 ended, the slip not yet written
AFTER_Q3_ENDED = dt.date(2025, 10, 15)


def launch(expected: Any, **more: Any) -> dict[str, Any]:
    return {"id": "launch", "title": "Region launch", "kind": "product-launch", "expected": expected, **more}


def versions(*pairs: tuple[dt.date, str]) -> list[dict[str, str]]:
    return [{"written": day.isoformat(), "text": text} for day, text in pairs]


SLIP = versions((GUIDED, "Q1 2025"), (SLIPPED, "Q3 2025"))
DEADLINE = {"id": "no-launch", "title": "No launch by June", "catalyst": "launch", "not_happened_by": "2025-06-30"}


def slipping(tmp_path: Path, expected: Any = SLIP, **more: Any) -> Project:
    data = base_inputs()
    data["catalysts"] = {"catalysts": [launch(expected, **more)]}
    data["kill_criteria"] = {"kill_criteria": [DEADLINE]}
    write_project(tmp_path, data)
    return Project(tmp_path)


def state(project: Project, as_of: dt.date) -> CatalystState:
    (found,) = catalyst_states(as_of_view(load(project.company_dir("acme"), project.root).thesis, as_of), as_of)
    return found


def test_the_window_in_force_is_the_one_written_by_the_date(tmp_path: Path) -> None:
    """The exact overdue rule: upcoming, and the window written by the date ended before it. Between the
    first window's end and the day the slip was written the catalyst is overdue; from the slip on it is not."""
    project = slipping(tmp_path)
    seen = {day: state(project, day) for day in (BEFORE_Q1_ENDED, BETWEEN, SLIPPED, AFTER_Q3_ENDED)}
    assert {day: (s.when, s.overdue, s.moved) for day, s in seen.items()} == {
        BEFORE_Q1_ENDED: ("Q1 2025", False, ""),
        BETWEEN: ("Q1 2025", True, ""),
        SLIPPED: ("Q3 2025", False, "slipped from Q1 2025"),
        AFTER_Q3_ENDED: ("Q3 2025", True, "slipped from Q1 2025"),
    }
    assert seen[BETWEEN].window == parse_window("Q1 2025")
    assert seen[SLIPPED].window == parse_window("Q3 2025")


def test_a_slip_written_before_the_first_window_ended_is_never_overdue_in_between(tmp_path: Path) -> None:
    project = slipping(tmp_path, versions((GUIDED, "Q1 2025"), (dt.date(2025, 3, 10), "Q3 2025")))
    assert [(s.when, s.overdue) for s in (state(project, dt.date(2025, 3, 9)), state(project, BETWEEN))] == [
        ("Q1 2025", False),
        ("Q3 2025", False),
    ]


def test_a_catalyst_with_no_window_written_yet_is_undated_and_says_what_its_timing_says(tmp_path: Path) -> None:
    """Like a title not yet written: the window is not yet known, so the catalyst is undated then, with its
    timing, rather than shown in a window the desk gave only later."""
    project = slipping(tmp_path, versions((dt.date(2025, 3, 1), "Q2 2025")), timing="the sources give no date")
    early = state(project, dt.date(2025, 2, 1))
    assert (early.window, early.when, early.overdue) == (None, "no date", False)
    page = render_html(project, prepare(project, "acme", dt.date(2025, 2, 1)).brief)
    assert "No date: the sources give no date" in page and "Q2 2025" not in page
    later = state(project, dt.date(2025, 3, 1))
    assert (later.when, later.moved) == ("Q2 2025", "")


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [
        ("Q1 2025", "Q3 2025", "slipped"),
        ("2025-02-20", "2025-02-21", "slipped"),
        ("Q1 2025", "1H 2025", "slipped"),  # widened to end later: it may now come later
        ("Q3 2025", "Q1 2025", "brought-forward"),
        ("2025-03", "Q1 2025", "brought-forward"),  # may now come earlier, no later
        ("2025", "Q1 2025", None),  # narrowed within the window given
        ("Q1 2025", "2025-02-20", None),
        ("Q1 2025", "2025 Q1", None),  # the same days written another way
    ],
)
def test_a_window_slips_when_it_ends_later_and_is_brought_forward_when_it_starts_earlier(
    before: str, after: str, moved: str | None
) -> None:
    assert move(parse_window(before), parse_window(after)) == moved


def test_page_one_and_the_calendar_section_show_the_window_in_force_and_the_slip(tmp_path: Path) -> None:
    project = slipping(tmp_path)
    for day, shown, hidden in ((BETWEEN, "Q1 2025", "Q3 2025"), (SLIPPED, "Q3 2025 (slipped from Q1 2025)", "")):
        page = render_html(project, prepare(project, "acme", day).brief)
        parser = Cover()
        parser.feed(page)
        cover = " ".join(" ".join(parser.cover).split())
        assert f"Next catalysts {shown} Region launch" in cover
        row = re.search(r'<tr id="catalyst-launch">.*?</tr>\s*<tr class="detail">.*?</tr>', page, re.DOTALL)
        assert row is not None
        text = " ".join(re.sub(r"<[^>]+>", " ", row[0]).split())
        assert text.startswith(f"{shown} Region launch")
        if hidden:  # before the slip: nothing of the later window, anywhere
            assert hidden not in page and "slipped" not in page
        else:
            assert "Expected, as written: Q1 2025 (2025-01-15) → Q3 2025 (2025-05-10)" in text


def test_the_snapshot_gives_the_window_in_force_when_it_was_written_and_what_it_slipped_from(tmp_path: Path) -> None:
    project = slipping(tmp_path)
    keys = ("expected", "expected_written", "window", "overdue", "slipped_from", "brought_forward_from")
    before, after = (
        {key: snapshot(prepare(project, "acme", day).brief, stress_tests=False)["catalysts"][0][key] for key in keys}
        for day in (BETWEEN, SLIPPED)
    )
    assert before == dict(zip(keys, ("Q1 2025", "2025-01-15", ["2025-01-01", "2025-03-31"], True, [], []), strict=True))
    after_values = ("Q3 2025", "2025-05-10", ["2025-07-01", "2025-09-30"], False, ["Q1 2025"], [])
    assert after == dict(zip(keys, after_values, strict=True))


def test_the_calendar_and_alerts_use_the_window_in_force(tmp_path: Path) -> None:
    import icalendar

    project = slipping(tmp_path)
    events = {}
    for day in (BETWEEN, SLIPPED):
        result = write_calendar(project, ["acme"], day, tmp_path / f"{day}.ics")
        (events[day],) = icalendar.Calendar.from_ical(result.path.read_bytes()).walk("VEVENT")
    assert (events[BETWEEN].decoded("dtstart"), events[BETWEEN].decoded("dtend")) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 4, 1),
    )
    assert str(events[BETWEEN]["summary"]) == "Acme: Region launch (expected Q1 2025, overdue)"
    assert (events[SLIPPED].decoded("dtstart"), events[SLIPPED].decoded("dtend")) == (
        dt.date(2025, 7, 1),
        dt.date(2025, 10, 1),
    )
    assert str(events[SLIPPED]["summary"]) == "Acme: Region launch (expected Q3 2025, slipped from Q1 2025)"
    description = str(events[SLIPPED]["description"])
    assert "Moved: slipped from Q1 2025. Expected Q1 2025 (written 2025-01-15), then Q3 2025 (written 2025-05-10)." in (
        description
    )
    overdue = [(a.kind, a.message) for a in alerts(project, ["acme"], BETWEEN) if a.kind == "overdue-catalyst"]
    assert overdue == [("overdue-catalyst", "Region launch: expected Q1 2025 (by 2025-03-31), no outcome recorded")]
    assert [a for a in alerts(project, ["acme"], SLIPPED) if a.kind == "overdue-catalyst"] == []


def test_a_not_happened_by_criterion_reads_the_slip_and_trips_on_its_deadline(tmp_path: Path) -> None:
    project = slipping(tmp_path)
    thesis = load(project.company_dir("acme"), project.root).thesis
    readings = {day: evaluate(as_of_view(thesis, day), day)[0] for day in (BETWEEN, SLIPPED, dt.date(2025, 6, 30))}
    assert readings[BETWEEN].reading == "Region launch: upcoming; trips if not happened by 2025-06-30"
    assert readings[SLIPPED].reading == (
        "Region launch: upcoming; trips if not happened by 2025-06-30; "
        "expected Q3 2025 (slipped from Q1 2025), past the deadline"
    )
    assert not readings[SLIPPED].tripped and readings[dt.date(2025, 6, 30)].tripped


def test_the_diff_across_the_slip_reports_it_old_to_new_with_when_each_was_written(tmp_path: Path) -> None:
    project = slipping(tmp_path)
    snapshots = snapshots_as_of(project, "acme", BETWEEN, SLIPPED)
    diff = diff_snapshots(*snapshots)
    (entry,) = [e for e in diff["modified"] if e["id"] == "launch"]
    moved = [c for c in entry["changes"] if c["field"] in ("expected", "window")]
    assert moved == [
        {
            "change": "slipped",
            "field": "expected",
            "old": "Q1 2025",
            "new": "Q3 2025",
            "old_written": "2025-01-15",
            "new_written": "2025-05-10",
        }
    ]
    slip = {"type": "catalyst-slipped", "id": "launch", "title": "Region launch", "old": "Q1 2025", "new": "Q3 2025"}
    assert slip in diff["material"]
    text = diff_text(diff)
    assert "Catalyst slipped: Region launch: Q1 2025 \u2192 Q3 2025" in text
    assert "slipped: Q1 2025 \u2192 Q3 2025 (version of 2025-01-15 \u2192 2025-05-10)" in text
    page = diff_html(project, diff, snapshots)
    assert '<span class="change-kind slipped">slipped</span>' in page
    assert "(version of 2025-01-15 \u2192 2025-05-10)" in page
    assert '<span class="transition"><del>Q1 2025</del> \u2192 <ins>Q3 2025</ins></span>' in page
    back = diff_snapshots(*snapshots_as_of(project, "acme", SLIPPED, BETWEEN))  # read backwards: brought forward
    (entry,) = [e for e in back["modified"] if e["id"] == "launch"]
    assert [c["change"] for c in entry["changes"] if c["field"] == "expected"] == ["brought-forward"]
    assert not any(m["type"] == "catalyst-slipped" for m in back["material"])


def test_a_window_brought_forward_or_narrowed_shows_as_such(tmp_path: Path) -> None:
    project = slipping(tmp_path, versions((GUIDED, "2025"), (dt.date(2025, 2, 1), "Q3 2025"), (SLIPPED, "2025-06")))
    shown = state(project, SLIPPED)
    assert (shown.when, shown.slipped_from, shown.brought_forward_from) == ("2025-06", (), ("Q3 2025",))
    assert shown.moved == "brought forward from Q3 2025"
    assert state(project, dt.date(2025, 2, 1)).moved == ""  # 2025 narrowed to Q3 2025: no move


def test_check_warns_of_the_window_in_force_at_its_line(tmp_path: Path) -> None:
    project = slipping(tmp_path)
    loaded = load(project.company_dir("acme"), project.root)
    (warning,) = overdue_catalysts(loaded, dt.date(2025, 10, 15))
    assert warning.path == "catalysts[0].expected[1]" and warning.line == 8
    assert "expected Q3 2025 (by 2025-09-30) and has no outcome" in warning.message
    assert "list expected as dated versions, the new window last" in warning.hint
    assert overdue_catalysts(loaded, dt.date(2025, 9, 30)) == []


def test_a_catalyst_resolved_with_no_day_given_resolves_at_its_last_window_s_end(tmp_path: Path) -> None:
    """It happened in Q2, the slip from Q1 written only afterwards: a brief in between shows it happened on
    the last day of Q2, not of Q1, the window then in force."""
    expected = versions((GUIDED, "Q1 2025"), (dt.date(2025, 8, 1), "Q2 2025"))
    project = slipping(tmp_path, expected, status="happened", outcome="Launched.")
    shown = state(project, dt.date(2025, 7, 15))
    assert (shown.when, shown.status, shown.catalyst.resolved_on) == ("Q1 2025", "happened", dt.date(2025, 6, 30))
    assert state(project, dt.date(2025, 6, 29)).status == "upcoming"


def test_the_score_over_time_marks_the_slip_and_each_window_s_overdue_day_as_then_known(tmp_path: Path) -> None:
    """Overdue on 1 April in the first window (the slip was not yet written), slipped on the day it was, and
    overdue again once the new window ended; a brief before the slip has neither later event."""
    from thesis.scoring.asof import inputs_as_of
    from thesis.scoring.history import events

    project = slipping(tmp_path)
    thesis = load(project.company_dir("acme"), project.root).thesis

    def marked(as_of: dt.date) -> list[tuple[dt.date, str]]:
        return [(e.date, e.text) for e in events(inputs_as_of(thesis, as_of)) if e.kind == "catalyst"]

    assert marked(AFTER_Q3_ENDED) == [
        (dt.date(2025, 4, 1), "catalyst launch overdue"),
        (SLIPPED, "catalyst launch slipped to Q3 2025"),
        (dt.date(2025, 10, 1), "catalyst launch overdue"),
    ]
    assert marked(BETWEEN) == [(dt.date(2025, 4, 1), "catalyst launch overdue")]
    early = slipping(tmp_path / "early", versions((GUIDED, "Q1 2025"), (dt.date(2025, 3, 10), "Q3 2025")))
    thesis = load(early.company_dir("acme"), early.root).thesis
    assert marked(AFTER_Q3_ENDED) == [
        (dt.date(2025, 3, 10), "catalyst launch slipped to Q3 2025"),
        (dt.date(2025, 10, 1), "catalyst launch overdue"),
    ]


def test_the_site_index_says_a_next_catalyst_slipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from thesis.cli import cli
    from thesis.commands.site import CompanyHistory, gather, site_pages

    project = slipping(tmp_path)
    monkeypatch.chdir(tmp_path)
    for day in (BEFORE_Q1_ENDED, SLIPPED):
        result = CliRunner().invoke(cli, ["render", "acme", "--as-of", day.isoformat(), "--format", "html"])
        assert result.exit_code == 0, result.output
    history = CompanyHistory("acme", tuple(gather(project, "acme")))
    index = site_pages(project, [history], SLIPPED)["index.html"].decode()
    assert 'Region launch <span class="muted">(Q3 2025, slipped from Q1 2025)</span>' in index
    early = CompanyHistory("acme", history.briefs[:1])
    assert "(Q1 2025)</span>" in site_pages(project, [early], BEFORE_Q1_ENDED)["index.html"].decode()
