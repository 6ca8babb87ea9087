"""Catalysts as an iCalendar file (RFC 5545) that Outlook and Google Calendar import.

Written with the ``icalendar`` library (BSD licence), imported only here. Each
dated catalyst is one all-day event: a day is that day; a window (a month,
quarter, half or year) spans the whole window, its title saying so. The window
is the one in force on the as-of date; one that slipped says from what. Undated
catalysts cannot be placed and are left out. The bytes depend only on the
inputs and the as-of date: each event's UID is the company and catalyst id
(so a re-import updates the event rather than adding a copy), and DTSTAMP is
the as-of date at midnight UTC, not the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from thesis.scoring.catalysts import CatalystState

PRODID = "-//thesis//catalyst calendar//EN"
UID_DOMAIN = "catalysts.thesis.invalid"  # .invalid: a name that can never belong to anyone (RFC 2606)
_STATUS = {"happened": "CONFIRMED", "missed": "CANCELLED"}


@dataclass(frozen=True)
class CalendarEntry:
    company: str  # the folder name under inputs/
    company_name: str
    state: CatalystState


def event_uid(company: str, catalyst_id: str) -> str:
    return f"{company}.{catalyst_id}@{UID_DOMAIN}"


def _summary(entry: CalendarEntry) -> str:
    state = entry.state
    assert state.window is not None
    prefix = f"{entry.company_name}: {state.catalyst.current_title}"
    marks = []
    if state.window.start != state.window.end:
        marks.append(f"expected {state.when}")
    if state.moved:
        marks.append(state.moved)  # the window in force, and the one the desk first gave
    if state.state != "upcoming":
        marks.append(state.state)
    return prefix + (f" ({', '.join(marks)})" if marks else "")


def _description(entry: CalendarEntry) -> str:
    catalyst = entry.state.catalyst
    lines = [f"Kind: {catalyst.kind.replace('-', ' ')}", f"Status: {entry.state.state}"]
    if entry.state.window is not None and entry.state.window.start != entry.state.window.end:
        lines.append(f"Expected in the window {entry.state.when}, as the sources give it.")
    if entry.state.moved and isinstance(catalyst.expected, list):
        written = ", then ".join(f"{v.text} (written {v.written.isoformat()})" for v in catalyst.expected)
        lines.append(f"Moved: {entry.state.moved}. Expected {written}.")
    if catalyst.current_timing:
        lines.append(f"Timing: {catalyst.current_timing}")
    if catalyst.tests:
        lines.append("Tests: " + ", ".join(catalyst.tests))
    if catalyst.current_outcome:
        lines.append(f"Outcome: {catalyst.current_outcome}")
    for citation in catalyst.evidence:
        lines.append(f'Source {citation.source}: "{citation.quote}"')
    return "\n".join(lines)


def calendar_bytes(entries: Sequence[CalendarEntry], as_of: dt.date, name: str) -> bytes:
    """The iCalendar file for the dated entries, in date order; undated entries are skipped."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")  # a calendar to import, not an invitation to answer
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
    dated = [entry for entry in entries if entry.state.window is not None]
    for entry in sorted(dated, key=lambda e: (e.state.window.start, e.company, e.state.catalyst.id)):  # type: ignore[union-attr]
        window = entry.state.window
        assert window is not None
        event = Event()
        event.add("uid", event_uid(entry.company, entry.state.catalyst.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", window.start)
        event.add("dtend", window.end + dt.timedelta(days=1))  # exclusive, as RFC 5545 has it for all-day events
        event.add("summary", _summary(entry))
        event.add("description", _description(entry))
        event.add("categories", [entry.state.catalyst.kind])
        event.add("status", _STATUS.get(entry.state.status, "CONFIRMED" if window.start == window.end else "TENTATIVE"))
        event.add("transp", "TRANSPARENT")  # a catalyst does not make anyone busy
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
