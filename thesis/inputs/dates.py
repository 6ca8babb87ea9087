"""How a date is written in the inputs, and the one wording of every date written otherwise.

A date is ``YYYY-MM-DD`` (ISO 8601), whatever the analyst's country writes. A date
written another way that still names one day unambiguously (``2026-3-19``,
``19.03.2026`` as German texts print it, ``19/03/2026``, ``19 March 2026``) is
refused with that day in ISO form as the example to copy: "write dates as
YYYY-MM-DD, e.g. 2026-03-19". A slashed date whose first two parts could each be
the month (``01/10/2024``) names both readings instead of guessing between them.
"""

from __future__ import annotations

import datetime as dt
import re

ISO_FORM = "YYYY-MM-DD"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 20260319, as YAML reads a date without hyphens: a number
_YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")  # 2026-3-19, 2026/03/19, 2026.3.19
_DAY_FIRST_DOTS = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")  # 19.03.2026, German and most of Europe
_SLASHED = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")  # 19/03/2026 (day first) or 03/19/2026 (month first)
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4})")  # 19 March 2026
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")  # March 19, 2026


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def readings(text: str) -> tuple[dt.date, ...]:
    """The days ``text``, a date not written as YYYY-MM-DD, may mean: one when it is plain, two when it is not."""
    clean = " ".join(str(text).strip().lower().split())
    if (found := _YEAR_FIRST.fullmatch(clean) or _COMPACT.fullmatch(clean)) is not None:
        year, month, day = (found[1], found[2], found[3]) if found.re is _COMPACT else (found[1], found[3], found[4])
        days = [_day(int(year), int(month), int(day))]
    elif (found := _DAY_FIRST_DOTS.fullmatch(clean)) is not None:
        days = [_day(int(found[3]), int(found[2]), int(found[1]))]
    elif (found := _SLASHED.fullmatch(clean)) is not None:
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        days = [_day(year, second, first), _day(year, first, second)]
    elif (found := _DAY_MONTH_NAME.fullmatch(clean)) is not None and found[2] in _MONTHS:
        days = [_day(int(found[3]), _MONTHS[found[2]], int(found[1]))]
    elif (found := _MONTH_NAME_DAY.fullmatch(clean)) is not None and found[1] in _MONTHS:
        days = [_day(int(found[3]), _MONTHS[found[1]], int(found[2]))]
    else:
        days = []
    return tuple(dict.fromkeys(day for day in days if day is not None))


def date_fix(text: object = None) -> str:
    """How to write the date ``text`` tried to: "write dates as YYYY-MM-DD, e.g. 2026-03-19".

    The example is the day ``text`` names, when it names one; both days when it may mean either.
    """
    days = readings(str(text)) if text is not None else ()
    if len(days) == 1:
        return f"write dates as {ISO_FORM}, e.g. {days[0].isoformat()}"
    if len(days) == 2:
        return f"write dates as {ISO_FORM}: {days[0].isoformat()} or {days[1].isoformat()}, whichever {text} means"
    return f"write dates as {ISO_FORM}"


def not_a_date(text: object) -> str:
    """The problem and its fix, as a validator words them ("what; fix"): "'19.03.2026' is not a date; write …"."""
    return f"{str(text)!r} is not a date; {date_fix(text)}"


def written_as_date(text: str) -> bool:
    """Whether ``text`` is written YYYY-MM-DD, the one form of a date (a real day or not): what makes a
    ``thesis diff`` operand a date rather than a git revision. ``20250630`` and ``2025-W26-1`` are not."""
    return _ISO_DAY.fullmatch(text.strip()) is not None


def parse_date(text: str) -> dt.date:
    """The day ``text`` writes as YYYY-MM-DD; ``ValueError("what; fix")`` for anything else or a day that is not."""
    clean = text.strip()
    if not written_as_date(clean):
        raise ValueError(not_a_date(text))
    try:
        return dt.date.fromisoformat(clean)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc}); check the day and the month") from None
