"""The score over time: the thesis as of each day something changed.

An *event* is a day on which what the thesis knows, or what it says, can
change: a source is published, a point starts to count (its ``since``), a
constraint takes effect, the scenarios are set, a catalyst is resolved, its
window then in force passes with no outcome or the desk moves its window (a
slip, on the day it was written), and, in a project kept in git, a commit
changes the inputs. The history scores the as-of view (:func:`thesis.scoring.asof.as_of_view`)
on each event day from the first source on, and on the last day asked for
(where time decay alone has moved it). A move between two days is explained
by the item whose contribution moved most: ``thesis history`` prints these
rows, and the brief's timeline chart draws the same ones up to its date.

Which inputs a day reads is the caller's to say. By default every day reads
the one thesis given (the working tree, with its dated texts). In a project
kept in git, each day reads what a brief as of that day reads, the inputs as
committed by then (:mod:`thesis.commands.committed`), given here as a list of
:class:`InputsInForce`, each read from its start day until the next one's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from thesis.inputs.models import Catalyst, Thesis
from thesis.inputs.periods import parse_window
from thesis.scoring.asof import as_of_view, earliest_evidence, point_since
from thesis.scoring.catalysts import move
from thesis.scoring.config import ScoringConfig
from thesis.scoring.score import Scorecard, score

EventKind = Literal["source", "point", "constraint", "scenarios", "catalyst", "commit"]
KIND_ORDER: tuple[EventKind, ...] = ("source", "point", "catalyst", "constraint", "scenarios", "commit")  # on one day


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: EventKind
    item: str  # the id of what changed (a commit's short hash)
    text: str  # in words, e.g. "source wallstreetcn-qwen3 published"


@dataclass(frozen=True)
class InputsInForce:
    """The inputs each day from ``start`` on reads, until the next entry's start, and the scoring they were
    read with. ``thesis`` is None where nothing could be read: those days are not scored. ``events`` say
    what made them the inputs read from ``start`` on (the commits of that day)."""

    start: dt.date
    thesis: Thesis | None
    config: ScoringConfig
    events: tuple[Event, ...] = ()


def in_force_on(record: Sequence[InputsInForce], day: dt.date) -> InputsInForce | None:
    """The entry of ``record`` (oldest first) that ``day`` reads: the last one started by then."""
    found = None
    for entry in record:
        if entry.start > day:
            break
        found = entry
    return found


@dataclass(frozen=True)
class HistoryPoint:
    date: dt.date
    score: float
    rating: str
    change: float  # from the previous point (0 for the first)
    events: tuple[Event, ...]
    mover: tuple[str, float] | None  # the item that moved most the way the score went since the previous point
    card: Scorecard

    @property
    def cause(self) -> str:
        """The mover in words, e.g. ``qwen3-launch +5.1``; empty when nothing moved."""
        from thesis.figures import signed

        return f"{self.mover[0]} {signed(self.mover[1])}" if self.mover else ""


def events(thesis: Thesis, extra: Sequence[Event] = ()) -> list[Event]:
    """Every dated event of the inputs (and ``extra``, such as commits), in date order."""
    found: list[Event] = [Event(s.published.date, "source", s.id, f"source {s.id} published") for s in thesis.sources]
    published = {s.id: s.published.date for s in thesis.sources}
    for point in thesis.points:
        if point.since is not None:
            found.append(Event(point_since(point, published), "point", point.id, f"point {point.id} held"))
    for constraint in thesis.constraints:
        found.append(
            Event(
                constraint.effective.date,
                "constraint",
                constraint.id,
                f"{constraint.item}: {constraint.status} ({constraint.authority})",
            )
        )
        for change in constraint.changes:
            found.append(
                Event(change.date.date, "constraint", constraint.id, f"{constraint.item}: {change.status} (changed)")
            )
    set_on = thesis.scenarios_date()
    if set_on is not None and thesis.scenarios is not None and thesis.scenarios.date is not None:
        found.append(Event(set_on, "scenarios", "scenarios", "scenarios set"))
    for catalyst in thesis.catalysts:
        resolved = catalyst.resolved_on
        if resolved is not None:
            found.append(Event(resolved, "catalyst", catalyst.id, f"catalyst {catalyst.id} {catalyst.status}"))
        elif catalyst.status == "upcoming":
            found.extend(_window_events(catalyst))
    found.extend(extra)
    return sorted(found, key=lambda e: (e.date, KIND_ORDER.index(e.kind), e.item))


def _window_events(catalyst: Catalyst) -> list[Event]:
    """An upcoming catalyst's moves, each on the day it was written, and the day it went overdue in the window
    then in force (the first window is in force from the start; a later one from the day it was written)."""
    versions = catalyst.expected if isinstance(catalyst.expected, list) and len(catalyst.expected) > 1 else None
    if versions is None:
        window = catalyst.window
        return [] if window is None else [_overdue(catalyst, window.end + dt.timedelta(days=1))]
    found: list[Event] = []
    for index, version in enumerate(versions):
        window = parse_window(version.text)
        overdue = window.end + dt.timedelta(days=1)
        if index:
            moved = move(parse_window(versions[index - 1].text), window)
            verb = moved.replace("-", " ") if moved else "re-dated"
            found.append(
                Event(version.written, "catalyst", catalyst.id, f"catalyst {catalyst.id} {verb} to {version.text}")
            )
            overdue = max(overdue, version.written)
        until = versions[index + 1].written if index + 1 < len(versions) else dt.date.max
        if overdue < until:
            found.append(_overdue(catalyst, overdue))
    return found


def _overdue(catalyst: Catalyst, day: dt.date) -> Event:
    return Event(day, "catalyst", catalyst.id, f"catalyst {catalyst.id} overdue")


def _cause(old: Scorecard | None, new: Scorecard) -> tuple[str, float] | None:
    """The item that moved most the way the score went between two scorecards, and by how much."""
    if old is None:
        return None
    before = {i.id: i.contribution for i in old.items}
    after = {i.id: i.contribution for i in new.items}
    moves = {key: after.get(key, 0.0) - before.get(key, 0.0) for key in set(before) | set(after)}
    change = new.score - old.score
    moved = sorted((m for m in moves.items() if round(m[1], 1) != 0), key=lambda m: (-abs(m[1]), m[0]))
    with_the_change = [m for m in moved if (m[1] > 0) == (change > 0)]
    moved = with_the_change or moved  # the item that moved most the way the score went
    return moved[0] if moved else None


def score_history(
    thesis: Thesis,
    config: ScoringConfig,
    until: dt.date,
    *,
    since: dt.date | None = None,
    extra: Sequence[Event] = (),
    record: Sequence[InputsInForce] = (),
) -> list[HistoryPoint]:
    """The score on each event day from the first source (or ``since``) to ``until``, and on ``until``.

    Each day is scored from ``thesis`` with ``config`` or, where ``record`` is given (oldest first), from
    the entry in force that day: a day before the first entry, or whose entry knows nothing yet, is not
    scored; the events of an entry's inputs count on the days it is in force, and the day it starts is a
    row, with the entry's own events.
    Changes and causes are measured from the day before the first point shown, so a history that
    starts late still says what moved on its first day.
    """
    entries = list(record) or [InputsInForce(dt.date.min, thesis, config)]
    ends = [entry.start for entry in entries[1:]] + [until + dt.timedelta(days=1)]
    first: dt.date | None = None
    found: list[Event] = list(extra)
    for entry, end in zip(entries, ends, strict=True):
        found.extend(entry.events)
        known = earliest_evidence(entry.thesis) if entry.thesis is not None else None
        if entry.thesis is None or known is None or max(known, entry.start) >= end:
            continue
        first = min(first or dt.date.max, max(known, entry.start))
        found.extend(event for event in events(entry.thesis) if entry.start <= event.date < end)
    if first is None or first > until:
        return []
    start = max(first, since) if since is not None else first
    by_day: dict[dt.date, list[Event]] = {}
    for event in sorted(found, key=lambda e: (e.date, KIND_ORDER.index(e.kind), e.item)):
        if start <= event.date <= until:
            by_day.setdefault(event.date, []).append(event)
    for entry in entries[1:]:
        if start <= entry.start <= until:
            by_day.setdefault(entry.start, [])  # other inputs from that day on
    by_day.setdefault(start, [])
    by_day.setdefault(until, [])
    previous = score_on(entries, start - dt.timedelta(days=1)) if start > first else None
    points: list[HistoryPoint] = []
    for day in sorted(by_day):
        card = score_on(entries, day)
        if card is None:
            continue
        change = card.score - previous.score if previous is not None else 0.0
        points.append(
            HistoryPoint(day, card.score, card.rating, change, tuple(by_day[day]), _cause(previous, card), card)
        )
        previous = card
    return points


def score_on(record: Sequence[InputsInForce], day: dt.date) -> Scorecard | None:
    """The scorecard, as of ``day``, of the inputs of ``record`` in force on it; None when they know nothing
    by then (or nothing could be read, or ``record`` starts later)."""
    entry = in_force_on(record, day)
    if entry is None or entry.thesis is None:
        return None
    known = earliest_evidence(entry.thesis)
    if known is None or known > day:
        return None
    return score(as_of_view(entry.thesis, day), day, entry.config)


def largest_moves(points: Sequence[HistoryPoint], count: int = 3) -> list[HistoryPoint]:
    """The points where the score moved most, largest first (ties: the earlier)."""
    moved = [p for p in points if round(p.change, 1) != 0]
    return sorted(moved, key=lambda p: (-abs(p.change), p.date))[:count]
