"""Catalysts, kill criteria, `thesis alerts` and `thesis calendar`."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.builders import base_inputs, write_project
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.errors import InputError
from thesis.inputs.loader import load
from thesis.inputs.periods import parse_period, parse_window
from thesis.outputs.snapshot import snapshot
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.scoring.asof import as_of_view
from thesis.scoring.catalysts import catalyst_states
from thesis.scoring.kill_criteria import evaluate
from thesis.verify.checks import overdue_catalysts, run_checks

AS_OF = dt.date(2025, 9, 30)

CATALYSTS = [
    {
        "id": "results-q3",
        "title": "Q3 2025 results",
        "kind": "earnings",
        "expected": "2025-11-20",
        "tests": ["growth", "cash-burn"],
    },
    {
        "id": "chip-ruling",
        "title": "Ruling on chip licences",
        "kind": "regulatory-decision",
        "expected": "Q1 2025",
        "tests": ["chip-controls"],
        "status": "happened",
        "outcome": "Licences refused.",
        "resolved": "2025-03-14",
        "evidence": [{"source": "alpha", "quote": "could cap its access to advanced chips"}],
    },
    {
        "id": "launch",
        "title": "New region launch",
        "kind": "product-launch",
        "timing": "the sources give no date",
    },
    {
        "id": "analyst-day",
        "title": "Analyst day",
        "kind": "conference",
        "expected": "2025-08",
        "tests": ["cloud-share"],
    },
]
KILL = [
    {
        "id": "cash-collapse",
        "title": "Cloud share below 35%",
        "metric": "cloud-share",
        "below": 35,
        "rationale": "Scale is the thesis.",
    },
    {"id": "chips-blocked", "title": "Chips blocked outright", "constraint": "chip-controls", "status": "blocked"},
    {"id": "no-day", "title": "No analyst day by October", "catalyst": "analyst-day", "not_happened_by": "2025-10-31"},
]


def inputs(catalysts: list[dict[str, Any]] | None = None, kill: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = base_inputs()
    data["catalysts"] = {"catalysts": CATALYSTS if catalysts is None else catalysts}
    data["kill_criteria"] = {"kill_criteria": KILL if kill is None else kill}
    return data


@pytest.fixture
def watched(tmp_path: Path) -> Project:
    write_project(tmp_path, inputs())
    return Project(tmp_path)


def load_problems(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    folder = write_project(tmp_path, data)
    with pytest.raises(InputError) as caught:
        load(folder, tmp_path)
    return [p.format() for p in caught.value.problems]


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-02-20", "2026-02-20", "2026-02-20"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("Feb 2024", "2024-02-01", "2024-02-29"),
        ("september 2025", "2025-09-01", "2025-09-30"),
        ("Q1 2026", "2026-01-01", "2026-03-31"),
        ("2025 Q4", "2025-10-01", "2025-12-31"),
        ("1H 2026", "2026-01-01", "2026-06-30"),
        ("H2 2025", "2025-07-01", "2025-12-31"),
        ("2026", "2026-01-01", "2026-12-31"),
    ],
)
def test_a_window_is_its_first_and_last_day(text: str, start: str, end: str) -> None:
    window = parse_window(text)
    assert (window.start.isoformat(), window.end.isoformat()) == (start, end)


def test_the_observation_parser_reads_iso_days_and_months_too() -> None:
    assert parse_period("2025-09 (reported)") == parse_window("2025-09")
    assert parse_period("2025-09-12") == parse_window("2025-09-12")
    assert parse_period("2024-25") == parse_period("2024")  # not a month: the year, as before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FY2026", "fiscal period"),
        ("Q1 FY2026", "fiscal period"),
        ("2026-02-30", "not a real date"),
        ("soon", "not a date or a period"),
        ("Q5 2026", "not a date or a period"),
        ("Q1 2026 (tentative)", "not a date or a period"),
        ("2025-0912", "not a date or a period"),
    ],
)
def test_a_window_that_is_not_wholly_calendar_days_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_window(text)


# ---------------------------------------------------------------- inputs


def test_catalyst_and_kill_criterion_mistakes_are_located_and_explained(tmp_path: Path) -> None:
    catalysts = [
        {"id": "a", "title": "A", "kind": "earnings"},
        {"id": "b", "title": "B", "kind": "earnings", "expected": "Q1 2026", "status": "happened"},
        {"id": "c", "title": "C", "kind": "earnings", "expected": "FY2026"},
    ]
    kill = [{"id": "k", "title": "K", "metric": "cloud-share"}]
    problems = "\n".join(load_problems(tmp_path, inputs(catalysts, kill)))
    assert "catalysts.yaml:2 catalysts[0]: a catalyst without an expected date needs timing" in problems
    assert "a catalyst that happened needs its outcome" in problems
    assert "catalysts[2].expected: 'FY2026' is a fiscal period" in problems
    assert "kill_criteria[0]: a metric criterion needs one threshold" in problems


def test_what_a_catalyst_tests_and_a_criterion_watches_must_exist(tmp_path: Path) -> None:
    catalysts = [dict(CATALYSTS[0], tests=["growht"]), dict(CATALYSTS[0], tests=[])]
    kill = [{"id": "k", "title": "K", "catalyst": "results-q4", "missed": True}]
    problems = "\n".join(load_problems(tmp_path, inputs(catalysts, kill)))
    assert "catalysts[0].tests[0]: unknown point, metric or constraint 'growht'" in problems
    assert "fix: did you mean 'growth'?" in problems
    assert "catalysts[1].id: duplicate id 'results-q3' in catalysts" in problems
    assert "kill_criteria[0].catalyst: unknown catalyst 'results-q4'" in problems


def test_a_catalyst_quote_is_verified_like_any_other(tmp_path: Path) -> None:
    wrong = dict(CATALYSTS[1], evidence=[{"source": "alpha", "quote": "could cap its access to basic chips"}])
    write_project(tmp_path, inputs([wrong], []))
    report = run_checks(Project(tmp_path), "acme")
    assert [p.path for p in report.errors()] == ["catalysts[0].evidence[0].quote"]


# ---------------------------------------------------------------- as of a date


def test_a_catalyst_is_known_from_its_source_and_resolved_only_from_its_resolution(watched: Project) -> None:
    thesis = load(watched.company_dir("acme"), watched.root).thesis
    before_source = {s.catalyst.id for s in catalyst_states(as_of_view(thesis, dt.date(2025, 1, 5)), AS_OF)}
    assert "chip-ruling" not in before_source  # its only source, alpha, is published 2025-01-10
    early = {s.catalyst.id: s for s in catalyst_states(as_of_view(thesis, dt.date(2025, 3, 1)), dt.date(2025, 3, 1))}
    assert early["chip-ruling"].status == "upcoming" and early["chip-ruling"].catalyst.outcome is None
    late = {s.catalyst.id: s for s in catalyst_states(as_of_view(thesis, AS_OF), AS_OF)}
    ruling = late["chip-ruling"]
    assert ruling.status == "happened" and ruling.catalyst.current_outcome == "Licences refused."


def test_catalysts_are_in_date_order_with_undated_ones_last_and_past_ones_overdue(watched: Project) -> None:
    thesis = load(watched.company_dir("acme"), watched.root).thesis
    states = catalyst_states(as_of_view(thesis, AS_OF), AS_OF)
    assert [(s.catalyst.id, s.state, s.when) for s in states] == [
        ("chip-ruling", "happened", "Q1 2025"),
        ("analyst-day", "overdue", "2025-08"),
        ("results-q3", "upcoming", "2025-11-20"),
        ("launch", "upcoming", "no date"),
    ]
    on_the_last_day = catalyst_states(as_of_view(thesis, dt.date(2025, 8, 31)), dt.date(2025, 8, 31))
    assert not any(s.overdue for s in on_the_last_day)


def test_check_warns_of_a_catalyst_whose_date_passed_without_an_outcome(watched: Project) -> None:
    loaded = load(watched.company_dir("acme"), watched.root)
    found = overdue_catalysts(loaded, dt.date(2025, 9, 1))
    assert [(p.path, p.severity, p.item) for p in found] == [("catalysts[3].expected", "warning", "analyst-day")]
    assert "expected 2025-08 (by 2025-08-31) and has no outcome" in found[0].message
    assert overdue_catalysts(loaded, dt.date(2025, 8, 31)) == []
    report = run_checks(watched, "acme")  # today is long after every date in the fixture
    assert {p.item for p in report.warnings()} >= {"analyst-day", "results-q3"}
    assert report.failed(strict=True)


def test_kill_criteria_trip_on_the_evidence_known_on_the_date(watched: Project) -> None:
    thesis = load(watched.company_dir("acme"), watched.root).thesis
    states = {s.criterion.id: s for s in evaluate(as_of_view(thesis, AS_OF), AS_OF)}
    assert states["cash-collapse"].tripped
    assert states["cash-collapse"].reading == "latest Cloud market share: 30% (2024, alpha), below 35%"
    assert states["cash-collapse"].citations[0].quote == "a 30% share of the domestic cloud market"
    assert not states["chips-blocked"].tripped  # restricted, not blocked
    assert not states["no-day"].tripped  # the deadline is 2025-10-31
    later = {s.criterion.id: s for s in evaluate(as_of_view(thesis, dt.date(2025, 11, 1)), dt.date(2025, 11, 1))}
    assert later["no-day"].tripped and "not happened by 2025-10-31" in later["no-day"].reading
    before = {s.criterion.id: s for s in evaluate(as_of_view(thesis, dt.date(2025, 1, 1)), dt.date(2025, 1, 1))}
    # Before its metric's first observation the criterion waits: it watches only what the thesis held by then.
    assert "cash-collapse" not in before


def test_a_metric_criterion_reads_the_latest_observation(tmp_path: Path) -> None:
    data = inputs([], [{"id": "k", "title": "Share above 40%", "metric": "cloud-share", "above": 40}])
    data["metrics"]["metrics"][0]["observations"].insert(
        0, {"value": 40, "date": "2025-05-01", "source": "alpha", "quote": "revenue 40% in 2024"}
    )
    data["metrics"]["metrics"][0]["observations"].append(  # a forecast is not an observation of what is
        {"value": 40, "period": "2030E", "source": "alpha", "quote": "revenue 40% in 2024", "note": "target"}
    )
    write_project(tmp_path, data)
    thesis = load(Project(tmp_path).company_dir("acme"), tmp_path).thesis
    (state,) = evaluate(as_of_view(thesis, AS_OF), AS_OF)
    assert not state.tripped and "40% (2025-05-01, alpha), not above 40%" in state.reading


def test_a_missed_catalyst_trips_its_criterion(tmp_path: Path) -> None:
    missed = dict(CATALYSTS[3], status="missed", resolved="2025-09-02")
    kill = [{"id": "k", "title": "Analyst day missed", "catalyst": "analyst-day", "missed": True}]
    write_project(tmp_path, inputs([missed], kill))
    thesis = load(Project(tmp_path).company_dir("acme"), tmp_path).thesis
    (state,) = evaluate(as_of_view(thesis, AS_OF), AS_OF)
    assert state.tripped and state.reading == "Analyst day: missed (2025-09-02)"
    (before,) = evaluate(as_of_view(thesis, dt.date(2025, 9, 1)), dt.date(2025, 9, 1))
    assert not before.tripped


# ---------------------------------------------------------------- the brief and the snapshot


class Cover(HTMLParser):
    """The text inside the cover (page one) and the ids of the whole brief."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.cover: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "header" and "cover" in str(values.get("class", "")):
            self.depth = 1
        elif self.depth and tag == "header":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "header":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.cover.append(data)


def test_page_one_shows_tripped_criteria_with_their_evidence_and_the_next_catalysts(watched: Project) -> None:
    html = render_html(watched, prepare(watched, "acme", AS_OF).brief)
    parser = Cover()
    parser.feed(html)
    cover = " ".join(" ".join(parser.cover).split())
    assert "Kill criteria tripped" in cover
    assert "Cloud share below 35% : latest Cloud market share: 30% (2024, alpha), below 35%" in cover
    assert "a 30% share of the domestic cloud market" in cover
    assert "Next catalysts" in cover and "2025-08 Analyst day overdue" in cover
    assert cover.index("Analyst day") < cover.index("Q3 2025 results") < cover.index("New region launch")
    assert {"catalysts", "kill-criteria", "catalyst-launch", "kill-no-day"} <= parser.ids
    assert "No date: the sources give no date" in html


def test_a_brief_without_tripped_criteria_has_no_such_box(project: Project) -> None:
    html = render_html(project, prepare(project, "acme", AS_OF).brief)
    assert "Kill criteria tripped" not in html and 'id="catalysts"' not in html


def test_the_snapshot_carries_catalysts_and_kill_criteria(watched: Project) -> None:
    data = snapshot(prepare(watched, "acme", AS_OF).brief, stress_tests=False)
    catalysts = {c["id"]: c for c in data["catalysts"]}
    assert catalysts["analyst-day"]["overdue"] is True
    assert catalysts["chip-ruling"]["window"] == ["2025-01-01", "2025-03-31"]
    assert catalysts["chip-ruling"]["resolved"] == "2025-03-14"
    assert catalysts["launch"]["window"] is None and catalysts["launch"]["timing"] == "the sources give no date"
    kill = {k["id"]: k for k in data["kill_criteria"]}
    assert kill["cash-collapse"]["tripped"] is True and kill["cash-collapse"]["watches"] == "cloud-share"
    assert kill["cash-collapse"]["citations"][0]["verified"] is True
    assert kill["chips-blocked"]["tripped"] is False


# ---------------------------------------------------------------- alerts and calendar


def test_alerts_list_tripped_criteria_and_overdue_catalysts_and_exit_1(
    watched: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(watched.root)
    result = CliRunner().invoke(cli, ["alerts", "--all", "--as-of", "2025-09-30", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = json.loads(result.output)
    assert [(a["kind"], a["item"]) for a in found] == [
        ("kill-criterion", "cash-collapse"),
        ("overdue-catalyst", "analyst-day"),
    ]
    text = CliRunner().invoke(cli, ["alerts", "acme", "--as-of", "2025-09-30"])
    assert "acme: kill-criterion cash-collapse: Cloud share below 35%" in text.output
    assert text.output.rstrip().endswith("2 alerts across 1 company as of 2025-09-30")


def test_alerts_exit_0_when_nothing_is_tripped_or_overdue(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["alerts", "acme"])
    assert result.exit_code == 0, result.output
    assert "0 alerts across 1 company" in result.output


def test_alerts_need_a_company_or_all(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["alerts"])
    assert result.exit_code == 2 and "no company given" in result.output


def test_the_calendar_is_an_ics_file_a_calendar_library_reads_back(
    watched: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import icalendar

    monkeypatch.chdir(watched.root)
    result = CliRunner().invoke(cli, ["calendar", "--all", "--as-of", "2025-09-30"])
    assert result.exit_code == 0, result.output
    assert "wrote " in result.output and "(3 events)" in result.output
    assert "left out 1 catalyst with no date: acme/launch" in result.output
    path = watched.root / "build" / "catalysts.ics"
    data = path.read_bytes()
    parsed = icalendar.Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {
        "acme.chip-ruling@catalysts.thesis.invalid",
        "acme.analyst-day@catalysts.thesis.invalid",
        "acme.results-q3@catalysts.thesis.invalid",
    }
    day = events["acme.results-q3@catalysts.thesis.invalid"]
    assert day.decoded("dtstart") == dt.date(2025, 11, 20)  # a date, not a date-time: an all-day event
    assert day.decoded("dtend") == dt.date(2025, 11, 21)
    assert str(day["summary"]) == "Acme: Q3 2025 results"
    assert day.decoded("dtstamp") == dt.datetime(2025, 9, 30, tzinfo=dt.UTC)
    window = events["acme.analyst-day@catalysts.thesis.invalid"]
    assert (window.decoded("dtstart"), window.decoded("dtend")) == (dt.date(2025, 8, 1), dt.date(2025, 9, 1))
    assert str(window["summary"]) == "Acme: Analyst day (expected 2025-08, overdue)"
    assert str(events["acme.chip-ruling@catalysts.thesis.invalid"]["status"]) == "CONFIRMED"
    assert b"VALUE=DATE" in data and b"PRODID:-//thesis//catalyst calendar//EN" in data and b"METHOD:PUBLISH" in data
    again = CliRunner().invoke(cli, ["calendar", "acme", "--as-of", "2025-09-30", "--out", "again.ics"])
    assert again.exit_code == 0
    assert (watched.root / "again.ics").read_bytes().replace(b"Acme catalysts", b"Coverage catalysts") == data


# ---------------------------------------------------------------- the Alibaba example

TODAY = dt.date(2026, 12, 1)  # the day the Alibaba catalysts were written; BMW's "2026 launch" is still open


def test_the_alibaba_catalysts_and_kill_criteria_pass_the_strict_check(repo: Project) -> None:
    report = run_checks(repo, "alibaba", today=TODAY)
    assert not report.failed(strict=True), report.text(strict=True)
    assert report.counts["catalysts"] >= 5 and report.counts["kill_criteria"] >= 3


def test_every_alibaba_catalyst_and_criterion_is_cited_and_an_undated_one_says_so(repo: Project) -> None:
    thesis = load(repo.company_dir("alibaba"), repo.root, TODAY).thesis
    for catalyst in thesis.catalysts:
        assert catalyst.evidence, catalyst.id
        if catalyst.expected is None:
            assert catalyst.timing is not None and "no date" in catalyst.timing, catalyst.id
    assert any(catalyst.expected is None for catalyst in thesis.catalysts)
    assert all(criterion.evidence for criterion in thesis.kill_criteria)


def test_the_alibaba_criteria_read_the_latest_reported_figure(repo: Project) -> None:
    """Latest by the period a figure refers to: the Q3 2025 growth (published in December) beats the
    undated figure of a September article; forecasts never count."""
    thesis = load(repo.company_dir("alibaba"), repo.root, TODAY).thesis
    states = {s.criterion.id: s for s in evaluate(as_of_view(thesis, TODAY), TODAY)}
    assert states["cloud-growth-below-10"].reading.startswith(
        "latest Cloud revenue growth (year on year): 34% (Q3 2025, ai-play-blog)"
    )
    assert not any(state.tripped for state in states.values())
    early = dt.date(2025, 6, 30)
    (growth,) = [s for s in evaluate(as_of_view(thesis, early), early) if s.criterion.id == "cloud-growth-below-10"]
    assert "13% (Q4 2024, wallstreetcn-qwen3)" in growth.reading


def test_the_alibaba_calendar_holds_the_dated_catalysts(repo: Project, tmp_path: Path) -> None:
    import icalendar

    from thesis.commands.watch import write_calendar

    result = write_calendar(repo, ["alibaba"], TODAY, tmp_path / "alibaba.ics")
    parsed = icalendar.Calendar.from_ical(result.path.read_bytes())
    starts = {str(e["uid"]).split("@")[0]: e.decoded("dtstart") for e in parsed.walk("VEVENT")}
    assert starts["alibaba.qwen3-launch"] == dt.date(2025, 4, 29)
    assert starts["alibaba.bmw-qwen-vehicles"] == dt.date(2026, 1, 1)
    assert sorted(result.undated) == [
        "alibaba/apsara-conference-2025",
        "alibaba/first-data-centres-brazil-france-netherlands",
    ]


def test_a_metric_criterion_writes_value_and_threshold_alike_with_a_minus_sign(tmp_path: Path) -> None:
    # "−1.9% ..., not below −15%", not "-1.9% ..., not below -15": the brief's minus, and the threshold's unit.
    data = inputs([], [{"id": "k", "title": "Share below -15%", "metric": "cloud-share", "below": -15}])
    data["metrics"]["metrics"][0]["observations"].insert(
        0, {"value": -1.9, "date": "2025-05-01", "source": "alpha", "quote": "revenue -1.9% in 2024"}
    )
    write_project(tmp_path, data)
    thesis = load(Project(tmp_path).company_dir("acme"), tmp_path).thesis
    (state,) = evaluate(as_of_view(thesis, AS_OF), AS_OF)
    assert "\u22121.9% (2025-05-01, alpha), not below \u221215%" in state.reading


def test_the_diff_puts_tripped_criteria_and_resolved_catalysts_first(
    watched: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thesis.diff.compare import diff_snapshots, snapshots_as_of
    from thesis.diff.output import diff_text

    diff = diff_snapshots(*snapshots_as_of(watched, "acme", dt.date(2025, 3, 1), dt.date(2025, 11, 1)))
    material = [(m["type"], m.get("id")) for m in diff["material"]]
    assert ("catalyst-resolved", "chip-ruling") in material
    assert ("catalyst-overdue", "analyst-day") in material
    assert ("kill-criterion-tripped", "no-day") in material
    assert ("kill-criterion-tripped", "cash-collapse") not in material  # tripped on both dates
    text = diff_text(diff)
    assert "Kill criterion tripped: No analyst day by October (Analyst day: not happened by 2025-10-31" in text
    assert "Catalyst resolved: Ruling on chip licences: upcoming \u2192 happened" in text
    quiet = diff_snapshots(*snapshots_as_of(watched, "acme", dt.date(2025, 11, 1), dt.date(2025, 11, 1)))
    assert quiet["material"] == []


def test_alerts_name_a_company_whose_inputs_cannot_be_read(watched: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(watched.root, company="broken", raw={"points.yaml": "points: [\n"})
    monkeypatch.chdir(watched.root)
    result = CliRunner().invoke(cli, ["alerts", "broken", "--format", "json"])
    assert result.exit_code == 1
    (alert,) = json.loads(result.output)
    assert alert["kind"] == "unreadable" and alert["company"] == "broken"
    assert alert["message"].startswith("1 problem in the inputs; first: inputs/broken/points.yaml")
