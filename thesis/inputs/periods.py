"""What a period label such as ``Q3 2025`` or ``FY2026E`` describes: the days it covers.

One parser for every part of ``thesis`` that needs to know when a figure
applies (the metric charts place each observation at its period; the checks
group observations of the same period). It reads the label from its start:

============================  ===========================================  ===============
label                          covers                                       key
============================  ===========================================  ===============
``Q3 2025``, ``3Q25``,         1 Jul – 30 Sep 2025                          ``2025-Q3``
``2025 Q3``
``Q1 FY2026``, ``Q1 GJ 2026``  the fiscal year's first quarter              ``FY2026-Q1``
``Q1-Q3 2026``, ``Q1–Q3 2026``  1 Jan – 30 Sep 2026 (the same days as 9M)   ``2026-9M``
``Q2-Q4 2026``                 1 Apr – 31 Dec 2026                          ``2026-Q2/2026-Q4``
``2H 2024``, ``H2 2024``       1 Jul – 31 Dec 2024                          ``2024-H2``
``9M 2026``, ``9M26``          1 Jan – 30 Sep 2026 (the first nine months)  ``2026-9M``
``FY2025``, ``FY25``,          the fiscal year ending in 2025 (calendar     ``FY2025``
``FY2026E``, ``GJ 2025``       2025 unless a fiscal year end is given)
``2023``, ``2030E``            1 Jan – 31 Dec 2023                          ``2023``
``Sep 2025``, ``as of Jan      the month                                    ``2025-09``
2026``
``29 Apr 2025``, ``2025-04-29``  the day                                    ``2025-04-29``
``2025-04``                    the month                                    ``2025-04``
``early 2025``, ``mid 2025``,  Jan – Apr, May – Aug, Sep – Dec               ``2025-early``
``late 2025``
``3 years from Feb 2025``,     from the start of the inner period for that  ``2025-02+3y``
``five years from 2025``       many years
``FY2026E-FY2027E``,           from the start of the first to the end of    ``FY2026/FY2027``
``Q1 2024 to Q3 2025``         the second
============================  ===========================================  ===============

Anything may follow the label ("Q2 2025 (reported Aug 2025)", "2032
target"). A period is an **estimate** when its label says so: a year written
with a trailing ``E`` (``FY2026E``, ``2030E``) or a word such as estimate,
forecast, projection, target, guidance or expected (or German Prognose) anywhere in the text.

**Fallback.** A label that does not start with one of these forms (``Qwen3
launch, Apr 2025``, ``most recent quarter before Sep 2025``, ``3 years``)
gives ``None``: the caller then uses the observation's own ``date``, and
failing that its source's publication date (see
:func:`thesis.render.charts.metric_chart`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from thesis.inputs.dates import date_fix, readings

if TYPE_CHECKING:
    from thesis.inputs.models import Observation

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_ESTIMATE_WORDS = re.compile(
    r"\b(estimates?|estimated|forecasts?|projections?|projected|targets?|guidance|expected|prognosen?)\b"
)  # Prognose: German for forecast
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_YEAR = r"'?(\d{4}|\d{2})"
_END = r"(?![\w])"  # the label ends at a word boundary: "2025" but not "20251", "Q3 2025" but not "Q3 2025x"


@dataclass(frozen=True)
class Period:
    """The days a period label describes, both ends included."""

    start: dt.date
    end: dt.date
    key: str  # canonical and comparable: two labels for the same days have the same key
    estimate: bool

    @property
    def middle(self) -> dt.date:
        """The day halfway through the period: where a chart places a figure for it."""
        return self.start + (self.end - self.start) / 2


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one read as 20xx."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    """``count`` months from month ``first`` of ``year`` (months may run past December)."""
    start_index = year * 12 + first - 1
    end_index = start_index + count - 1
    return dt.date(year, first, 1), _month_end(end_index // 12, end_index % 12 + 1)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _fiscal_year(year: int, end_month: int) -> tuple[dt.date, dt.date]:
    """The fiscal year that ends in month ``end_month`` of ``year``."""
    return _months(year if end_month == 12 else year - 1, end_month % 12 + 1, 12)


def _quarter(quarter: int, fiscal: bool, year: int, fiscal_year_end: int) -> tuple[dt.date, dt.date, str]:
    """(start, end, key) of a quarter: of the calendar year, or of the fiscal year when ``fiscal`` and it differs."""
    if fiscal and fiscal_year_end != 12:
        first, _ = _fiscal_year(year, fiscal_year_end)
        index = first.year * 12 + first.month - 1 + 3 * (quarter - 1)
        start, end = _months(index // 12, index % 12 + 1, 3)
        return start, end, f"FY{year}-Q{quarter}"
    start, end = _months(year, 3 * quarter - 2, 3)
    return start, end, f"{year}-Q{quarter}"


def _range_key(first: str, last: str) -> str:
    """The key of a run of periods: ``2026-Q2/2026-Q4``; quarters from the first of a calendar year have the
    key of the same months counted from January, so ``Q1-Q3 2026``, ``Q1 2026 to Q3 2026`` and ``9M 2026``
    are one period."""
    quarters = re.fullmatch(r"(\d{4})-Q1/(\d{4})-Q([1-4])", f"{first}/{last}")
    if quarters is not None and quarters[1] == quarters[2]:
        return f"{quarters[1]}-{3 * int(quarters[3])}M"
    return f"{first}/{last}"


# Each form: a pattern matched at the start of the (lower-cased, space-normalised) text, and what it gives.
_FY = r"(fy|gj)"  # fiscal year; GJ, Geschäftsjahr, as German companies write it
_QUARTER = re.compile(rf"q([1-4])\s*{_FY}?\s*{_YEAR}{_END}")
_QUARTER_DIGIT_FIRST = re.compile(rf"([1-4])q\s*{_FY}?\s*{_YEAR}{_END}")
# Q1-Q3 2026, Q1–Q3 2026, 1Q-3Q26: a run of quarters of one year, the year written once at the end
_QUARTERS = re.compile(rf"(?:q([1-4])|([1-4])q)\s*(?:-|–|—|to)\s*(?:q([1-4])|([1-4])q)\s*{_FY}?\s*{_YEAR}{_END}")
_YEAR_QUARTER = re.compile(r"(\d{4})\s*q([1-4])" + _END)
_HALF = re.compile(rf"(?:([12])h|h([12]))\s*{_FY}?\s*{_YEAR}{_END}")
_FISCAL = re.compile(rf"(?:fy|gj)\s*{_YEAR}(e)?{_END}")
_YEAR_TO_DATE = re.compile(rf"([1-9]|1[0-2])m\s*{_YEAR}(e)?{_END}")
_DAY = re.compile(rf"(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}}){_END}")
_MONTH_YEAR = re.compile(rf"{_MONTH}\s+(\d{{4}}){_END}")
_PART_OF_YEAR = re.compile(rf"(early|mid|late)[\s-]*(\d{{4}})(e)?{_END}")
_PLAIN_YEAR = re.compile(rf"(\d{{4}})(e)?{_END}")
_SPAN = re.compile(
    r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\s+(?:from|starting|beginning)\s+"
)
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})" + _END)
_ISO_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])(?![\w-])")
_PREFIX = re.compile(r"(?:as of|as at|end of|end-)\s*")
_RANGE = re.compile(r"\s*(?:-|–|—|to)\s*")


def _one(text: str, fiscal_year_end: int) -> tuple[dt.date, dt.date, str, bool, int] | None:
    """(start, end, key, estimate, characters used) of the single period at the start of ``text``."""
    if match := _ISO_DAY.match(text):
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return day, day, day.isoformat(), False, match.end()
    if match := _ISO_MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        start, end = _months(year, month, 1)
        return start, end, f"{year}-{month:02d}", False, match.end()
    if match := _QUARTERS.match(text):
        first_quarter, last_quarter = int(match[1] or match[2]), int(match[3] or match[4])
        fiscal, year = bool(match[5]), _year(match[6])
        if last_quarter <= first_quarter:
            return None
        start, _, first_key = _quarter(first_quarter, fiscal, year, fiscal_year_end)
        _, end, last_key = _quarter(last_quarter, fiscal, year, fiscal_year_end)
        return start, end, _range_key(first_key, last_key), False, match.end()
    if match := _QUARTER.match(text) or _QUARTER_DIGIT_FIRST.match(text):
        start, end, key = _quarter(int(match[1]), bool(match[2]), _year(match[3]), fiscal_year_end)
        return start, end, key, False, match.end()
    if match := _YEAR_QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        start, end = _months(year, 3 * quarter - 2, 3)
        return start, end, f"{year}-Q{quarter}", False, match.end()
    if match := _HALF.match(text):
        half, fiscal, year = int(match[1] or match[2]), bool(match[3]), _year(match[4])
        if fiscal and fiscal_year_end != 12:
            first, _ = _fiscal_year(year, fiscal_year_end)
            index = first.year * 12 + first.month - 1 + 6 * (half - 1)
            start, end = _months(index // 12, index % 12 + 1, 6)
            return start, end, f"FY{year}-H{half}", False, match.end()
        start, end = _months(year, 6 * half - 5, 6)
        return start, end, f"{year}-H{half}", False, match.end()
    if match := _YEAR_TO_DATE.match(text):
        months, year = int(match[1]), _year(match[2])
        start, end = _months(year, 1, months)
        return start, end, f"{year}-{months}M", bool(match[3]), match.end()
    if match := _FISCAL.match(text):
        year = _year(match[1])
        start, end = _fiscal_year(year, fiscal_year_end)
        return start, end, f"FY{year}", bool(match[2]), match.end()
    if match := _DAY.match(text):
        month = MONTHS.index(match[2]) + 1
        year = int(match[3])
        try:
            day = dt.date(year, month, int(match[1]))
        except ValueError:
            return None
        return day, day, day.isoformat(), False, match.end()
    if match := _MONTH_YEAR.match(text):
        month, year = MONTHS.index(match[1]) + 1, int(match[2])
        start, end = _months(year, month, 1)
        return start, end, f"{year}-{month:02d}", False, match.end()
    if match := _PART_OF_YEAR.match(text):
        part, year = match[1], int(match[2])
        start, end = _months(year, {"early": 1, "mid": 5, "late": 9}[part], 4)
        return start, end, f"{year}-{part}", bool(match[3]), match.end()
    if match := _PLAIN_YEAR.match(text):
        year = int(match[1])
        if not 1900 <= year <= 2200:
            return None
        start, end = _months(year, 1, 12)
        return start, end, str(year), bool(match[2]), match.end()
    return None


def says_estimate(text: str | None) -> bool:
    """Whether a label or note calls its figure a forecast: estimate, forecast, projection, target, guidance…"""
    return text is not None and _ESTIMATE_WORDS.search(text.lower()) is not None


def parse_period(text: str | None, *, fiscal_year_end: int = 12) -> Period | None:
    """The period a label describes, or ``None`` when it does not start with one (see the module's table).

    ``fiscal_year_end`` is the month a company's fiscal year ends (3 for a year
    to March): ``FY2026`` is then April 2025 to March 2026.
    """
    if not text:
        return None
    clean = " ".join(text.lower().split())
    estimate = says_estimate(clean)
    if prefix := _PREFIX.match(clean):
        clean = clean[prefix.end() :]
    years = 0
    if span := _SPAN.match(clean):
        years = int(span[1]) if span[1].isdigit() else _NUMBER_WORDS[span[1]]
        clean = clean[span.end() :]
    first = _one(clean, fiscal_year_end)
    if first is None:
        return None
    start, end, key, first_estimate, used = first
    estimate = estimate or first_estimate
    if years:
        if years < 1:
            return None
        return Period(start, _add_years(start, years) - dt.timedelta(days=1), f"{key}+{years}y", estimate)
    if joint := _RANGE.match(clean, used):
        second = _one(clean[joint.end() :], fiscal_year_end)
        if second is not None and second[1] >= start:
            return Period(start, second[1], _range_key(key, second[2]), estimate or second[3])
    return Period(start, end, key, estimate)


WINDOW_EXAMPLES = "2026-02-20, 2026-02, Feb 2026, Q1 2026, 1H 2026 or 2026"


def parse_window(text: str) -> Period:
    """The calendar day or window that all of ``text`` names, as an input such as a catalyst's date gives it.

    Stricter than :func:`parse_period`: nothing may follow the period, and a
    fiscal year or fiscal quarter is refused, since where it starts depends on
    the company. Raises ``ValueError("what is wrong; how to fix it")``.
    """
    clean = " ".join(text.lower().split())
    if "fy" in clean or re.search(r"\bgj", clean):
        raise ValueError(
            f"{text!r} is a fiscal period, whose days depend on the company's year end; "
            "write the calendar day, month, quarter, half or year instead, e.g. Q1 2026"
        )
    if (iso := _ISO_DAY.fullmatch(clean)) is not None:
        try:
            dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a real date ({exc}); check the day and the month") from None
    found = _one(clean, 12)
    if found is None or found[4] != len(clean):
        if readings(text):  # a day written another way: say it as YYYY-MM-DD
            raise ValueError(f"{text!r} is not a date or a period; {date_fix(text)}")
        raise ValueError(f"{text!r} is not a date or a period; write one of {WINDOW_EXAMPLES}")
    start, end, key, estimate, _ = found
    return Period(start, end, key, estimate)


def place(observation: Observation, published: dt.date, fiscal_year_end: int = 12) -> tuple[Period | None, dt.date]:
    """The period an observation's label describes, and the date it is listed and charted at: the
    middle of that period, else the observation's ``date``, else its source's publication date.
    ``fiscal_year_end`` is the company's (see :func:`parse_period`)."""
    period = parse_period(observation.period, fiscal_year_end=fiscal_year_end)
    return period, period.middle if period is not None else observation.date or published


def _mostly_after(period: Period, published: dt.date) -> bool:
    if period.start > published:
        return True
    return (period.end - period.start).days > 31 and period.middle > published


def is_estimate(observation: Observation, period: Period | None, published: dt.date) -> bool:
    """A forecast rather than a reported figure: its label or note says so, or its period starts after
    its source was published, or is longer than a month and mostly after it."""
    return (period is not None and (period.estimate or _mostly_after(period, published))) or says_estimate(
        observation.current_note
    )
