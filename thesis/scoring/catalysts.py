"""Where each catalyst stands on a date: upcoming, overdue, happened or missed.

Works on the as-of view (:func:`thesis.scoring.asof.as_of_view`), in which a
catalyst resolved after the date is still upcoming. An upcoming catalyst whose
expected day or window ended before the date is *overdue*: its date passed and
no outcome was recorded.

The window is the one in force on the date: a catalyst's ``expected`` may be
dated versions, and the view holds those written by then, the newest in force.
So a brief dated before a slip was written shows the first window, and is
overdue once that window has ended, until the day the slip is written: on the
date, the desk's record said the catalyst was late. From the slip on, the new
window is in force. Each earlier window is compared with the one in force
(:func:`move`): the catalyst *slipped* from it when the window in force ends
later; it was *brought forward* from it when the window in force starts
earlier and ends no later; a window in force inside an earlier one (``2026`` →
``Q1 2026``, or the same days written another way) narrows it and is neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from thesis.inputs.models import Catalyst, CatalystStatus, Thesis
from thesis.inputs.periods import Period, parse_window

NEXT_FEW = 4  # catalysts shown on the first page

Move = Literal["slipped", "brought-forward"]


def move(before: Period, after: Period) -> Move | None:
    """How a catalyst's expected window moved from ``before`` to ``after``: ``slipped`` when it now ends later,
    ``brought-forward`` when it starts earlier and ends no later, ``None`` when it lies within ``before``
    (narrowed, or the same days)."""
    if after.end > before.end:
        return "slipped"
    if after.start < before.start:
        return "brought-forward"
    return None


@dataclass(frozen=True)
class CatalystState:
    catalyst: Catalyst
    status: CatalystStatus
    window: Period | None
    overdue: bool
    slipped_from: tuple[str, ...] = ()  # earlier windows the one in force ends after, oldest first
    brought_forward_from: tuple[str, ...] = ()  # earlier windows it was brought forward from, oldest first

    @property
    def when(self) -> str:
        """The expected day or window in force, as written, or that there is no date."""
        return self.catalyst.current_expected or "no date"

    @property
    def moved(self) -> str:
        """How the window in force moved from those written before it ("slipped from Q1 2026"), or ""."""
        parts = []
        if self.slipped_from:
            parts.append(f"slipped from {_and(self.slipped_from)}")
        if self.brought_forward_from:
            parts.append(f"brought forward from {_and(self.brought_forward_from)}")
        return "; ".join(parts)

    @property
    def state(self) -> str:
        """upcoming, overdue, happened or missed."""
        return "overdue" if self.overdue else self.status


def _and(texts: tuple[str, ...]) -> str:
    return ", ".join(texts[:-1]) + " and " + texts[-1] if len(texts) > 1 else texts[0]


def moves(catalyst: Catalyst) -> dict[Move, tuple[str, ...]]:
    """The earlier windows of ``catalyst`` (versions of ``expected`` before the newest) by how the window in
    force moved from each (:func:`move`), oldest first; one plain window has none."""
    found: dict[Move, tuple[str, ...]] = {"slipped": (), "brought-forward": ()}
    window = catalyst.window
    if window is None or not isinstance(catalyst.expected, list):
        return found
    for version in catalyst.expected[:-1]:
        moved = move(parse_window(version.text), window)
        if moved is not None and version.text not in found[moved]:
            found[moved] += (version.text,)
    return found


def _order(state: CatalystState) -> tuple[int, dt.date, dt.date, str]:
    undated = state.window is None
    start = state.window.start if state.window is not None else dt.date.max
    end = state.window.end if state.window is not None else dt.date.max
    return (int(undated), start, end, state.catalyst.id)


def catalyst_states(view: Thesis, as_of: dt.date) -> list[CatalystState]:
    """Every catalyst of the as-of view, dated ones in order of their expected start, undated last."""
    return sorted((catalyst_state(catalyst, as_of) for catalyst in view.catalysts), key=_order)


def catalyst_state(catalyst: Catalyst, as_of: dt.date) -> CatalystState:
    """Where one catalyst of the as-of view stands on ``as_of``, in the window then in force."""
    window = catalyst.window
    overdue = catalyst.status == "upcoming" and window is not None and window.end < as_of
    moved = moves(catalyst)
    return CatalystState(catalyst, catalyst.status, window, overdue, moved["slipped"], moved["brought-forward"])


def next_catalysts(states: list[CatalystState], count: int = NEXT_FEW) -> list[CatalystState]:
    """What to watch next: overdue ones first, then upcoming ones in date order (undated last)."""
    overdue = [s for s in states if s.overdue]
    upcoming = [s for s in states if s.status == "upcoming" and not s.overdue]
    return (overdue + upcoming)[:count]
