"""``thesis alerts`` and ``thesis calendar``: catalysts and kill criteria across the coverage.

Both read each company's inputs and take the as-of view (no verification and
no scoring: a nightly job over many companies should be quick); ``alerts``
lists tripped kill criteria and overdue catalysts, ``calendar`` writes the
catalysts as an iCalendar file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from thesis.errors import InputError
from thesis.inputs.loader import load_company
from thesis.inputs.models import Thesis
from thesis.outputs.files import write_atomic
from thesis.project import Project
from thesis.scoring.asof import as_of_view
from thesis.scoring.catalysts import catalyst_states
from thesis.scoring.kill_criteria import evaluate


def view_of(project: Project, company: str, as_of: dt.date) -> Thesis:
    """The company's thesis as of ``as_of``, loaded as every command loads it (its scoring over the project's)."""
    return as_of_view(load_company(project, company).thesis, as_of)


@dataclass(frozen=True)
class Alert:
    company: str
    kind: Literal["kill-criterion", "overdue-catalyst", "unreadable"]
    item: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"company": self.company, "kind": self.kind, "item": self.item, "message": self.message}


def alerts(project: Project, companies: list[str], as_of: dt.date) -> list[Alert]:
    """Tripped kill criteria and overdue catalysts of each company as of ``as_of``; inputs that
    cannot be read are an alert too, so a nightly job never passes over a broken company."""
    found: list[Alert] = []
    for company in companies:
        try:
            view = view_of(project, company, as_of)
        except InputError as exc:
            first = exc.problems[0].format().splitlines()[0] if exc.problems else exc.message
            found.append(Alert(company, "unreadable", "", f"{exc.message}; first: {first}"))
            continue
        for state in evaluate(view, as_of):
            if state.tripped:
                reading = f"{state.criterion.current_title}: {state.reading}"
                found.append(Alert(company, "kill-criterion", state.criterion.id, reading))
        for catalyst in catalyst_states(view, as_of):
            if catalyst.overdue:
                assert catalyst.window is not None
                found.append(
                    Alert(
                        company,
                        "overdue-catalyst",
                        catalyst.catalyst.id,
                        f"{catalyst.catalyst.current_title}: expected {catalyst.when} "
                        f"(by {catalyst.window.end.isoformat()}), no outcome recorded",
                    )
                )
    return found


@dataclass(frozen=True)
class CalendarResult:
    path: Path
    events: int
    undated: list[str]  # company/catalyst ids left out for want of a date


def write_calendar(
    project: Project, companies: list[str], as_of: dt.date, out: Path | None, *, coverage: bool = False
) -> CalendarResult:
    """One calendar for the companies; ``coverage`` (--all) names it for the coverage even for one company."""
    from thesis.outputs.calendar import CalendarEntry, calendar_bytes

    entries: list[CalendarEntry] = []
    names: list[str] = []
    for company in companies:
        view = view_of(project, company, as_of)
        names.append(view.company.display_name)
        for state in catalyst_states(view, as_of):
            entries.append(CalendarEntry(company, view.company.display_name, state))
    single = len(companies) == 1 and not coverage
    title = f"{names[0]} catalysts" if single else "Coverage catalysts"
    if out is None:
        out = project.build_dir / (f"{companies[0]}/{companies[0]}-catalysts.ics" if single else "catalysts.ics")
    data = calendar_bytes(entries, as_of, title)
    write_atomic(out, data)
    undated = [f"{e.company}/{e.state.catalyst.id}" for e in entries if e.state.window is None]
    return CalendarResult(out, len(entries) - len(undated), undated)
