"""Where each catalyst stands on a date: upcoming, overdue, happened or missed.

Works on the as-of view (:func:`thesis.scoring.asof.as_of_view`), in which a
catalyst resolved after the date is still upcoming. An upcoming catalyst whose
expected day or window ended before the date is *overdue*: its date passed and
no outcome was recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thesis.inputs.models import Catalyst, CatalystStatus, Thesis
from thesis.inputs.periods import Period

NEXT_FEW = 4  # catalysts shown on the first page


@dataclass(frozen=True)
class CatalystState:
    catalyst: Catalyst
    status: CatalystStatus
    window: Period | None
    overdue: bool

    @property
    def when(self) -> str:
        """The expected day or window as written, or that there is no date."""
        return self.catalyst.expected or "no date"

    @property
    def state(self) -> str:
        """upcoming, overdue, happened or missed."""
        return "overdue" if self.overdue else self.status


def _order(state: CatalystState) -> tuple[int, dt.date, dt.date, str]:
    undated = state.window is None
    start = state.window.start if state.window is not None else dt.date.max
    end = state.window.end if state.window is not None else dt.date.max
    return (int(undated), start, end, state.catalyst.id)


def catalyst_states(view: Thesis, as_of: dt.date) -> list[CatalystState]:
    """Every catalyst of the as-of view, dated ones in order of their expected start, undated last."""
    states = []
    for catalyst in view.catalysts:
        window = catalyst.window
        overdue = catalyst.status == "upcoming" and window is not None and window.end < as_of
        states.append(CatalystState(catalyst, catalyst.status, window, overdue))
    return sorted(states, key=_order)


def next_catalysts(states: list[CatalystState], count: int = NEXT_FEW) -> list[CatalystState]:
    """What to watch next: overdue ones first, then upcoming ones in date order (undated last)."""
    overdue = [s for s in states if s.overdue]
    upcoming = [s for s in states if s.status == "upcoming" and not s.overdue]
    return (overdue + upcoming)[:count]
