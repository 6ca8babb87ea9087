"""The brief's charts, as vector SVG inline in the HTML and the PDF (drawn by :mod:`thesis.render.svg`).

Every chart is byte-identical run to run (it is plain text built from the
data), fits the A4 text width, and can be read in greyscale: sides differ by
fill *and* hatching, sources by marker shape, and every line is labelled in
words. Text stays text, so the PDF's charts are searchable.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from thesis.figures import counted, figure, number, signed, signed_percent
from thesis.inputs.models import KIND_BY_CATEGORY, constraints_noun
from thesis.render.svg import Drawing, Scale, date_ticks, nice_ticks, shorten, text_width, tick_label
from thesis.verify.disagreement import disagreements

if TYPE_CHECKING:
    from thesis.brief.view import Brief, MetricView
    from thesis.inputs.prices import Prices
    from thesis.scoring.config import Band
    from thesis.scoring.history import HistoryPoint
    from thesis.scoring.scenarios import ScenarioAnalysis
    from thesis.scoring.score import Scorecard
    from thesis.scoring.sensitivity import Sensitivity
    from thesis.scoring.track_record import TrackRecord

WIDTH = 482.0  # points: 170 mm, the A4 text width less a little room
ROW = 12.25  # points per row of the bar charts
MAX_WATERFALL_ROWS = 22
MAX_LABEL = 190.0  # points: the widest row label before it is cut with an ellipsis
MAX_LEGEND = 150.0  # points: the widest source name in a metric chart's legend
INK = "#1d2329"
MUTED = "#5b6670"
BULL = "#1f6f43"
BEAR = "#9c2f2f"
CONSTRAINT = "#8a5a00"
LIGHT = "#d9dde1"
WHITE = "#ffffff"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">")
TICK = 7.0  # font sizes, in points
LABEL = 7.5
NOTE = 6.5
SMALL = 6.2


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    svg: Markup
    source: str  # the source line shown under the chart
    description: str  # a sentence for readers who cannot see the chart


@dataclass(frozen=True)
class BriefCharts:
    waterfall: Chart
    tornado: Chart
    scenarios: Chart | None
    metrics: dict[str, Chart] = field(default_factory=dict)
    timeline: Chart | None = None
    price: Chart | None = None


@dataclass(frozen=True)
class _Box:
    """The plotting area of a chart, in points from the top left."""

    left: float
    top: float
    right: float
    bottom: float


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


Swatch = Callable[[Drawing, float, float], None]


def _side_fill(d: Drawing, stance: str, kind: str) -> tuple[str, str]:
    """(fill, outline) of a bar: bull solid green, bear hatched red, constraint cross-hatched amber."""
    if kind == "constraint":
        return d.hatch("constraint", CONSTRAINT, LIGHT, cross=True), CONSTRAINT
    if stance == "bull":
        return BULL, BULL
    return d.hatch("bear", BEAR, WHITE), BEAR


def _bar_swatch(fill: str, outline: str) -> Swatch:
    def draw(d: Drawing, x: float, y: float) -> None:
        d.rect(x, y - 3.5, 10, 7, fill=fill, stroke=outline)

    return draw


def _legend(d: Drawing, entries: Sequence[tuple[Swatch, str]], y: float, *, centre: float) -> None:
    """One row of swatches and labels centred on ``centre``; ``y`` is the row's middle."""
    widths = [14 + text_width(label, TICK) for _, label in entries]
    x = centre - (sum(widths) + 12 * (len(entries) - 1)) / 2
    for (swatch, label), width in zip(entries, widths, strict=True):
        swatch(d, x, y)
        d.text(x + 14, y + 2.5, label, size=TICK, fill=INK)
        x += width + 12


def _frame(d: Drawing, box: _Box) -> None:
    d.rect(box.left, box.top, box.right - box.left, box.bottom - box.top, fill="none", stroke=MUTED)


def _x_title(d: Drawing, box: _Box, title: str) -> None:
    """The x axis's title, centred under its tick labels."""
    d.text((box.left + box.right) / 2, box.bottom + 24, title, size=LABEL, fill=INK, anchor="middle")


def _x_grid(d: Drawing, box: _Box, x: Scale, ticks: Sequence[float], labels: Sequence[str]) -> None:
    """Light vertical grid lines at the ticks, tick marks under the frame and their labels."""
    shown = [(x(value), label) for value, label in zip(ticks, labels, strict=True)]
    shown = [(px, label) for px, label in shown if box.left - 0.01 <= px <= box.right + 0.01]
    for px, _ in shown:
        d.line(px, box.top, px, box.bottom, stroke=LIGHT, width=0.4)
    for px, _ in shown:
        d.line(px, box.bottom, px, box.bottom + 3, stroke=MUTED, width=0.6)
    for px, label in shown:
        d.text(px, box.bottom + 11, label, size=TICK, fill=MUTED, anchor="middle")


def _y_grid(d: Drawing, box: _Box, y: Scale, ticks: Sequence[float], labels: Sequence[str]) -> None:
    shown = [(y(value), label) for value, label in zip(ticks, labels, strict=True)]
    shown = [(py, label) for py, label in shown if box.top - 0.01 <= py <= box.bottom + 0.01]
    for py, _ in shown:
        d.line(box.left, py, box.right, py, stroke=LIGHT, width=0.4)
    for py, _ in shown:
        d.line(box.left - 3, py, box.left, py, stroke=MUTED, width=0.6)
    for py, label in shown:
        d.text(box.left - 5, py + 2.5, label, size=TICK, fill=MUTED, anchor="end")


def _label_inside(
    d: Drawing,
    box: _Box,
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    fill: str,
    gap: float = 3.0,
    prefer: str = "right",
    bold: bool = False,
) -> None:
    """A label beside the point (x, y), on the preferred side unless it would leave the box there."""
    width = text_width(text, size, bold=bold)
    room_right = box.right - (x + gap)
    room_left = (x - gap) - box.left
    right = (prefer == "right" and width <= room_right) or (prefer != "right" and width > room_left)
    if right and width > room_right and room_left > room_right:
        right = False
    room = room_right if right else room_left
    text = shorten(text, max(room, 12.0), size, bold=bold)
    if right:
        d.text(x + gap, y, text, size=size, fill=fill, bold=bold)
    else:
        d.text(x - gap, y, text, size=size, fill=fill, anchor="end", bold=bold)


def _band_lines(d: Drawing, box: _Box, x: Scale, card: Scorecard, low: float, high: float) -> None:
    """Dotted lines at the band cut-points inside [low, high], each named above the plot."""
    for band in card.config.bands[1:]:
        if low < band.min < high:
            px = x(band.min)
            d.line(px, box.top, px, box.bottom, stroke=MUTED, width=0.7, dash="1 1.5")
            label = f"{band.name} ≥ {number(band.min, 6)}"
            _label_inside(d, _Box(box.left, 0, box.right, 0), px, box.top - 3, label, size=NOTE, fill=MUTED, gap=1.5)


def _row_labels(labels: Sequence[str]) -> tuple[list[str], float]:
    """The labels cut to fit the label column, and the column's width."""
    fitted = [shorten(label, MAX_LABEL, TICK) for label in labels]
    return fitted, max((text_width(label, TICK) for label in fitted), default=0.0)


def waterfall(card: Scorecard, sources: int) -> Chart:
    """From neutral (0) through each item's contribution to the final score."""
    items = [i for i in card.items if i.contribution != 0]
    items.sort(key=lambda i: (-i.contribution, i.id))
    shown = sorted(items, key=lambda i: (-abs(i.contribution), i.id))[:MAX_WATERFALL_ROWS]
    keep = {i.id for i in shown}
    rows: list[tuple[str, float, str, str]] = [
        (item.id, item.contribution, item.stance, item.kind) for item in items if item.id in keep
    ]
    other_bull = [i for i in items if i.id not in keep and i.contribution > 0]
    other_bear = [i for i in items if i.id not in keep and i.contribution < 0]
    if other_bull:
        rows.insert(
            len([r for r in rows if r[1] > 0]),
            (f"{len(other_bull)} smaller bull items", sum(i.contribution for i in other_bull), "bull", "point"),
        )
    if other_bear:
        rows.append((f"{len(other_bear)} smaller bear items", sum(i.contribution for i in other_bear), "bear", "point"))
    labels, label_width = _row_labels(["Neutral", *(r[0] for r in rows), "Score"])
    final = len(rows) + 1
    box = _Box(label_width + 14, 16, WIDTH - 10, 16 + (final + 1.4) * ROW)
    d = Drawing("waterfall", WIDTH, box.bottom + 46, "From neutral to the score")

    ends = [0.0]
    for _, value, _, _ in rows:
        ends.append(ends[-1] + value)
    low, high = min(*ends, card.score), max(*ends, card.score)
    pad = max(2.0, (high - low) * 0.08)
    x = Scale(low - pad, high + pad, box.left, box.right)
    ticks = nice_ticks(low - pad, high + pad, most=9)
    _x_grid(d, box, x, ticks, [tick_label(t, ticks) for t in ticks])
    _band_lines(d, box, x, card, low - pad, high + pad)

    def row_y(position: int) -> float:
        return box.top + (position + 0.7) * ROW

    for position, label in enumerate(labels):
        d.text(box.left - 6, row_y(position) + 2.5, label, size=TICK, fill=INK, anchor="end")
    running = 0.0
    for position, (_, value, stance, kind) in enumerate(rows, start=1):
        fill, outline = _side_fill(d, stance, kind)
        d.rect(
            x(running),
            row_y(position) - 0.325 * ROW,
            x(running + value) - x(running),
            0.65 * ROW,
            fill=fill,
            stroke=outline,
        )
        running += value
        d.line(
            x(running), row_y(position) - 0.33 * ROW, x(running), row_y(position) + 0.67 * ROW, stroke=MUTED, width=0.4
        )
    d.rect(x(0), row_y(final) - 0.325 * ROW, x(card.score) - x(0), 0.65 * ROW, fill=INK, stroke=INK)
    summary = f"{signed(card.score)} {card.rating}" if card.score >= 0 else f"{card.rating} {signed(card.score)}"
    width = text_width(summary, TICK, bold=True)
    # beyond the bar's outer end when it fits there, else beyond its other end (the zero line)
    outward = 1 if card.score >= 0 else -1
    fits = box.left <= x(card.score) + outward * (4 + width) <= box.right
    side = outward if fits else -outward
    d.text(
        x(card.score if fits else 0) + side * 4,
        row_y(final) + 2.5,
        summary,
        size=TICK,
        fill=INK,
        bold=True,
        anchor="start" if side > 0 else "end",
    )
    d.line(x(0), box.top, x(0), box.bottom, stroke=INK, width=0.6)
    _frame(d, box)
    _x_title(d, box, "Score (neutral = 0, range ±100)")
    constraint_label = constraints_noun(
        (KIND_BY_CATEGORY[i.category] for i in card.items if i.kind == "constraint"), one=True
    )
    _legend(
        d,
        [
            (_bar_swatch(*_side_fill(d, "bull", "point")), "bull point"),
            (_bar_swatch(*_side_fill(d, "bear", "point")), "bear point"),
            (_bar_swatch(*_side_fill(d, "bear", "constraint")), constraint_label),
            (_bar_swatch(INK, INK), "final score"),
        ],
        box.bottom + 38,
        centre=(box.left + box.right) / 2,
    )
    return Chart(
        name="waterfall",
        title="From neutral to the score",
        svg=d.markup(),
        source=(
            f"Source: thesis scoring of {len(card.items)} items from {sources} sources as of "
            f"{card.as_of.isoformat()}, configuration {card.config.digest()}."
        ),
        description=(
            f"Starting from 0, each item adds its contribution; the bars end at the score {signed(card.score)} "
            f"({card.rating})."
        ),
    )


def tornado(card: Scorecard, sensitivity: Sensitivity) -> Chart:
    """The score range when each knob is turned on its own; widest at the top."""
    ranges = sensitivity.ranges
    row = ROW * 1.25
    labels, label_width = _row_labels([r.label for r in ranges])
    box = _Box(label_width + 14, 16, WIDTH - 10, 16 + (max(len(ranges), 1) + 0.2) * row)
    d = Drawing("tornado", WIDTH, box.bottom + 46, "What each knob does to the score")
    lows = [r.low for r in ranges] or [card.score]
    highs = [r.high for r in ranges] or [card.score]
    low, high = min(lows), max(highs)
    pad = max(1.5, (high - low) * 0.2)
    x = Scale(low - pad, high + pad, box.left, box.right)
    ticks = nice_ticks(low - pad, high + pad, most=9)
    _x_grid(d, box, x, ticks, [tick_label(t, ticks) for t in ticks])
    _band_lines(d, box, x, card, low - pad, high + pad)
    flipped = d.hatch("flips", INK, WHITE)
    changes = 0
    for position, (knob, label) in enumerate(zip(ranges, labels, strict=True)):
        middle = box.top + (position + 0.6) * row
        d.text(box.left - 6, middle + 2.5, label, size=TICK, fill=INK, anchor="end")
        flips = any(s.rating != card.rating for s in knob.settings)
        changes += flips
        d.rect(
            x(knob.low),
            middle - 0.3 * row,
            max(x(knob.low + knob.width) - x(knob.low), 0.8),
            0.6 * row,
            fill=flipped if flips else LIGHT,
            stroke=INK,
        )
        for setting in knob.settings:
            right = setting.score >= knob.base
            _label_inside(
                d,
                box,
                x(setting.score),
                middle + 2.2,
                setting.label,
                size=SMALL,
                fill=MUTED,
                gap=2.5,
                prefer="right" if right else "left",
            )
    d.line(x(card.score), box.top, x(card.score), box.bottom, stroke=INK, width=0.9)
    _frame(d, box)
    _x_title(d, box, f"Score (base {signed(card.score)}, solid line)")
    _legend(
        d,
        [(_bar_swatch(LIGHT, INK), "rating unchanged"), (_bar_swatch(flipped, INK), "rating changes")],
        box.bottom + 38,
        centre=(box.left + box.right) / 2,
    )
    widest = ranges[0] if ranges else None
    return Chart(
        name="tornado",
        title="What each knob does to the score",
        svg=d.markup(),
        source=(
            f"Source: the thesis rescored with one knob changed at a time, configuration {card.config.digest()}, "
            f"as of {card.as_of.isoformat()}."
        ),
        description=(
            f"{len(ranges)} knobs; the widest is {widest.label} ({signed(widest.low)} to {signed(widest.high)}); "
            f"{changes} change the rating."
            if widest
            else "No knobs to turn."
        ),
    )


def _percent_labels(ticks: Sequence[float]) -> list[str]:
    return [tick_label(t * 100, [v * 100 for v in ticks]) + "%" for t in ticks]


def _clear_of(verticals: Sequence[float], width: float, px: float, box: _Box) -> float:
    """Where a label of ``width`` over a mark at ``px`` starts: centred over it, else just right of it, else
    just left of it, whichever first stays inside the plot and crosses none of the ``verticals`` (centred,
    kept inside the plot, when none does)."""
    centred = min(max(px - width / 2, box.left + 2), box.right - 2 - width)
    for left in (centred, px + 6, px - 6 - width):
        inside = box.left + 2 <= left and left + width <= box.right - 2
        if inside and not any(left - 2 <= line <= left + width + 2 for line in verticals):
            return left
    return centred


def scenario_chart(analysis: ScenarioAnalysis, source: str) -> Chart:
    """Risk and reward: each case's value and probability against the current value and the expected value."""
    box = _Box(50, 22, WIDTH - 12, 166 - 32)
    d = Drawing("scenarios", WIDTH, 166, "Risk and reward")
    values = [c.value for c in analysis.cases] + [analysis.current, analysis.expected]
    span = max(values) - min(values) or abs(analysis.current) or 1.0
    x = Scale(min(values) - span * 0.18, max(values) + span * 0.18, box.left, box.right)
    top = max(c.probability for c in analysis.cases) * 1.45
    y = Scale(0, top, box.bottom, box.top)
    yticks = nice_ticks(0, top, most=5)
    _y_grid(d, box, y, yticks, _percent_labels(yticks))
    xticks = nice_ticks(x.low, x.high, most=8)
    for value, label in zip(xticks, [tick_label(t, xticks) for t in xticks], strict=True):
        d.line(x(value), box.bottom, x(value), box.bottom + 3, stroke=MUTED, width=0.6)
        d.text(x(value), box.bottom + 11, label, size=TICK, fill=MUTED, anchor="middle")
    markers = {"bull": "^", "base": "o", "bear": "v"}
    fills = {"bull": BULL, "base": WHITE, "bear": BEAR}
    placed: list[tuple[float, float, float]] = []  # left, right, baseline of each case label
    # The current (solid) and expected (dashed) lines run the height of the plot: no case label may cross one.
    verticals = (x(analysis.current), x(analysis.expected))
    for case in sorted(analysis.cases, key=lambda c: c.value):
        px, py = x(case.value), y(case.probability)
        d.line(px, y(0), px, py, stroke=MUTED, width=1.0)
        d.marker(markers[case.name], px, py, 9, fill=fills[case.name], stroke=INK)
        shown = figure(case.value, analysis.unit, 2)
        label = f"{case.name.capitalize()} {shown} ({signed_percent(case.change)}), p={case.probability:.0%}"
        width = text_width(label, TICK)
        left = _clear_of(verticals, width, px, box)
        baseline = py - 8
        while any(left < r + 4 and left + width > lo - 4 and abs(baseline - b) < 8 for lo, r, b in placed):
            baseline -= 9
        placed.append((left, left + width, baseline))
        d.text(left, baseline, label, size=TICK, fill=INK)
    d.line(x(analysis.current), box.top, x(analysis.current), box.bottom, stroke=INK, width=1.0)
    current = figure(analysis.current, analysis.unit, 2)
    d.text(x(analysis.current), box.top - 4, f"current {current}", size=6.8, fill=INK, anchor="middle")
    d.line(x(analysis.expected), box.top, x(analysis.expected), box.bottom, stroke=INK, width=1.0, dash="4 2")
    right = analysis.expected >= analysis.current
    expected = figure(analysis.expected, analysis.unit, 2)  # as the scenario table writes it; never 3.046e+04
    _label_inside(
        d,
        box,
        x(analysis.expected),
        box.top + 9,
        f"expected {expected} (dashed)" if right else f"(dashed) expected {expected}",
        size=6.8,
        fill=INK,
        prefer="right" if right else "left",
    )
    _frame(d, box)
    d.text(12, (box.top + box.bottom) / 2, "Probability", size=LABEL, fill=INK, anchor="middle", rotate=-90)
    _x_title(d, box, f"{analysis.metric} ({analysis.unit})")
    ratio = number(analysis.reward_to_risk, 2) if analysis.reward_to_risk is not None else "no downside"
    return Chart(
        name="scenarios",
        title="Risk and reward",
        svg=d.markup(),
        source=source,
        description=(
            f"Probability-weighted {analysis.metric.lower()} {expected} {analysis.unit} against "
            f"{current} today; reward to risk {ratio}."
        ),
    )


def metric_chart(view: MetricView) -> Chart:
    """Every observation of one metric at its period, one marker shape per source.

    Each observation sits at the middle of the period it describes, with a
    light bar across the whole period; a source's observations are joined into
    a line, dashed where it runs to an estimate; estimates have an open dotted
    ring and an "E" after their label; figures that differ for the same period
    are joined by a red dashed line.
    """
    metric = view.metric
    name = f"metric-{metric.id}"
    sources = list(dict.fromkeys(o.citation.source_id for o in view.observations))
    numbers = {o.citation.source_id: o.citation.number for o in view.observations}
    entries = [f"[{numbers[s]}] {s}" for s in sources]
    shown = [shorten(e, MAX_LEGEND, TICK) for e in entries]  # the caption's source line names them in full
    legend_width = 26 + max(text_width(e, TICK) for e in shown)
    days = [float(o.placed.toordinal()) for o in view.observations]
    values = [o.observation.value for o in view.observations]

    # the axis spans every mark and every period's bar
    earliest = min(days + [float(o.period.start.toordinal()) for o in view.observations if o.period])
    latest = max(days + [float(o.period.end.toordinal() + 1) for o in view.observations if o.period])
    if latest - earliest < 30:
        xlow, xhigh = earliest - 45, latest + 75
    else:
        xspan = latest - earliest
        xlow, xhigh = earliest - xspan * 0.05, latest + xspan * 0.05
    yspan = (max(values) - min(values)) or abs(max(values)) or 1.0
    ylow, yhigh = min(values) - yspan * 0.2, max(values) + yspan * 0.3
    yticks = nice_ticks(ylow, yhigh, most=5)
    ylabels = [tick_label(t, yticks) for t in yticks]
    left = 20 + max(text_width(label, TICK) for label in ylabels)
    box = _Box(left, 8, WIDTH - legend_width - 12, 137 - 24)
    d = Drawing(name, WIDTH, 137, metric.name)
    x = Scale(xlow, xhigh, box.left, box.right)
    y = Scale(ylow, yhigh, box.bottom, box.top)
    dates = date_ticks(dt.date.fromordinal(math.ceil(xlow)), dt.date.fromordinal(math.floor(xhigh)))
    _x_grid(d, box, x, [float(t.toordinal()) for t, _ in dates], [label for _, label in dates])
    _y_grid(d, box, y, yticks, ylabels)

    # the span of each period, as a light bar behind its mark (clipped to the plot)
    for o, value in zip(view.observations, values, strict=True):
        if o.period is not None and o.period.end > o.period.start:
            first = max(x(float(o.period.start.toordinal())), box.left)
            last = min(x(float(o.period.end.toordinal() + 1)), box.right)
            if last - first > 2:
                d.line(first, y(value), last, y(value), stroke=LIGHT, width=2.4)
    # one line per source through its observations in time order; dashed where either end is an estimate
    for source_id in sources:
        series = sorted(
            (day, value, o.estimate)
            for o, day, value in zip(view.observations, days, values, strict=True)
            if o.citation.source_id == source_id
        )
        for (day1, value1, estimate1), (day2, value2, estimate2) in itertools.pairwise(series):
            if day1 != day2:
                dash = "2.5 2" if estimate1 or estimate2 else None
                d.line(x(day1), y(value1), x(day2), y(value2), stroke=MUTED, width=0.9, dash=dash)

    placed = [
        (
            day,
            value,
            _short(o.observation.label) + (" E" if o.estimate and not o.observation.label.endswith("E") else ""),
        )
        for o, day, value in zip(view.observations, days, values, strict=True)
    ]
    groups = disagreements([o.observation for o in view.observations])
    for group in groups:
        marked = [values[i] for i in group.indices]
        first_day = min(days[i] for i in group.indices)
        d.line(x(first_day), y(min(marked)), x(first_day), y(max(marked)), stroke=BEAR, width=0.9, dash="3 2")
        _label_inside(
            d,
            box,
            x(first_day),
            (y(min(marked)) + y(max(marked))) / 2 + 2.2,
            "≠ sources differ",
            size=SMALL,
            fill=BEAR,
            gap=5,
        )
    estimates = 0
    for index, source_id in enumerate(sources):
        for o, day, value in zip(view.observations, days, values, strict=True):
            if o.citation.source_id == source_id:
                if o.estimate:
                    estimates += 1
                    d.marker("o", x(day), y(value), 10, fill="none", stroke=INK, dash="1.2 1.2")
                d.marker(
                    MARKERS[index % len(MARKERS)],
                    x(day),
                    y(value),
                    6,
                    fill=WHITE if index % 2 else INK,
                    stroke=INK,
                )
    placed.sort()
    for day, value, label in placed:
        # marks within a few days of each other get their labels stacked, not piled up;
        # marks in the right part of the plot are labelled on their left, so text stays inside
        cluster = [p for p in placed if abs(p[0] - day) < 4]
        rank = cluster.index((day, value, label))
        leftward = day > xlow + (xhigh - xlow) * 0.6
        baseline = y(value) + 3 - (rank - (len(cluster) - 1) / 2) * 7.5
        _label_inside(
            d, box, x(day), baseline, label, size=6.0, fill=MUTED, gap=6, prefer="left" if leftward else "right"
        )
    _frame(d, box)
    d.text(10, (box.top + box.bottom) / 2, metric.unit, size=LABEL, fill=INK, anchor="middle", rotate=-90)

    legend_x = box.right + 14
    d.text(legend_x + 4, box.top + 6, "source", size=NOTE, fill=INK)
    for index, entry in enumerate(shown):
        row_y = box.top + 17 + index * 11
        d.marker(MARKERS[index % len(MARKERS)], legend_x + 4, row_y, 6, fill=WHITE if index % 2 else INK, stroke=INK)
        d.text(legend_x + 12, row_y + 2.5, entry, size=TICK, fill=INK)
    if estimates:
        row_y = box.top + 17 + len(shown) * 11
        d.marker("o", legend_x + 4, row_y, 10, fill="none", stroke=INK, dash="1.2 1.2")
        d.text(legend_x + 12, row_y + 2.5, "estimate (E)", size=TICK, fill=INK)
    by_source = sum(o.placed_by == "source" for o in view.observations)
    by_date = sum(o.placed_by == "date" for o in view.observations)
    fallback = "; ".join(
        part
        for part in (
            f"{by_date} at its date" if by_date else "",
            f"{by_source} at its source's publication date" if by_source else "",
        )
        if part
    )
    return Chart(
        name=name,
        title=metric.name,
        svg=d.markup(),
        source=(
            "Sources: "
            + "; ".join(entries)
            + ". Each figure is placed at the middle of the period it describes"
            + (f" ({fallback}, having no period the parser reads)." if fallback else ".")
        ),
        description=(
            f"{counted(len(view.observations), 'observations')} from {counted(len(sources), 'sources')}"
            + (f", {estimates} of them estimates" if estimates else "")
            + (f"; sources differ on {counted(len(groups), 'periods')}." if groups else ".")
        ),
    )


TIMELINE_NOTES = 3  # the largest moves annotated with their cause
BAND_FILLS = ("#f3f5f7", WHITE)


def _event_text(point: HistoryPoint) -> str:
    """What happened on a day, in a few words: its first event (and how many more)."""
    if not point.events:
        return "time decay"
    first = point.events[0].text
    return first + (f" (+{len(point.events) - 1} more)" if len(point.events) > 1 else "")


def timeline_chart(points: Sequence[HistoryPoint], bands: Sequence[Band], company: str) -> Chart:
    """The score on each day something changed, against the rating bands; events marked on the line and
    along the axis, the largest moves labelled with their cause."""
    from thesis.scoring.history import largest_moves

    name = "timeline"
    days = [float(p.date.toordinal()) for p in points]
    scores = [p.score for p in points]
    span = max(days[-1] - days[0], 30.0)
    xlow, xhigh = days[0] - span * 0.03, days[-1] + span * 0.03
    yspan = max(max(scores) - min(scores), 10.0)
    ylow = max(-100.0, min(scores) - yspan * 0.35)
    yhigh = min(100.0, max(scores) + yspan * 0.45)
    yticks = nice_ticks(ylow, yhigh, most=5)
    ylabels = [tick_label(t, yticks) for t in yticks]
    band_labels = [f"{band.name} \u2265 {number(band.min, 6)}" if i else band.name for i, band in enumerate(bands)]
    right_room = 8 + max(text_width(label, SMALL) for label in band_labels)
    left = 20 + max(text_width(label, TICK) for label in ylabels)
    notes_count = len(largest_moves(points, TIMELINE_NOTES))
    height = 180.0 + 10 * notes_count
    box = _Box(left, 8, WIDTH - right_room, 140)
    d = Drawing(name, WIDTH, height, f"{company}: score over time")
    x = Scale(xlow, xhigh, box.left, box.right)
    y = Scale(ylow, yhigh, box.bottom, box.top)

    # the rating bands as shaded strips, named at the right
    for index, band in enumerate(bands):
        low = max(band.min, ylow)
        high = min(bands[index + 1].min if index + 1 < len(bands) else 100.0, yhigh)
        if high <= low:
            continue
        d.rect(box.left, y(high), box.right - box.left, y(low) - y(high), fill=BAND_FILLS[index % 2])
        if index and band.min > ylow:
            d.line(box.left, y(band.min), box.right, y(band.min), stroke=MUTED, width=0.5, dash="1 1.5")
        if y(low) - y(high) >= SMALL:
            d.text(box.right + 4, (y(low) + y(high)) / 2 + 2.2, band_labels[index], size=SMALL, fill=MUTED)
    dates = date_ticks(dt.date.fromordinal(math.ceil(xlow)), dt.date.fromordinal(math.floor(xhigh)))
    _x_grid(d, box, x, [float(t.toordinal()) for t, _ in dates], [label for _, label in dates])
    _y_grid(d, box, y, yticks, ylabels)
    _frame(d, box)
    if ylow < 0 < yhigh:
        d.line(box.left, y(0), box.right, y(0), stroke=MUTED, width=0.6)

    # the score, joined from day to day; a mark on each day with events, and a tick for it on the axis
    for (day1, score1), (day2, score2) in itertools.pairwise(zip(days, scores, strict=True)):
        d.line(x(day1), y(score1), x(day2), y(score2), stroke=INK, width=1.3)
    for point, day, value in zip(points, days, scores, strict=True):
        if point.events:
            d.marker("o", x(day), y(value), 4.6, fill=INK, stroke=INK)
            d.line(x(day), box.bottom - 4, x(day), box.bottom, stroke=INK, width=0.8)
        else:
            d.marker("o", x(day), y(value), 4.6, fill=WHITE, stroke=INK)

    # the largest moves, numbered on the line and told under the legend: the day's event, the item that moved most
    notes = sorted(largest_moves(points, TIMELINE_NOTES), key=lambda p: p.date)
    for number_, point in enumerate(notes, start=1):
        px, py = x(float(point.date.toordinal())), y(point.score)
        ny = py - 5 if py - 5 - NOTE > box.top else py + 5 + NOTE
        d.text(px, ny, str(number_), size=NOTE, fill=BEAR, anchor="middle", bold=True)
    _legend(
        d,
        [
            (lambda dd, lx, ly: dd.marker("o", lx + 5, ly, 4.6, fill=INK, stroke=INK), "a day something changed"),
            (lambda dd, lx, ly: dd.marker("o", lx + 5, ly, 4.6, fill=WHITE, stroke=INK), "the brief's date"),
            (
                lambda dd, lx, ly: dd.text(lx + 5, ly + 2.3, "1", size=NOTE, fill=BEAR, anchor="middle", bold=True),
                "a large move, told below",
            ),
        ],
        box.bottom + 34,
        centre=WIDTH / 2,
    )
    for number_, point in enumerate(notes, start=1):
        line = f"{point.date.isoformat()}: {signed(point.change)}, {_event_text(point)}"
        if point.cause:
            line += f"; moved most: {point.cause}"
        ny = box.bottom + 48 + (number_ - 1) * 10
        d.text(box.left - 10, ny, str(number_), size=NOTE, fill=BEAR, bold=True)
        d.text(box.left, ny, shorten(line, WIDTH - box.left - 4, NOTE), size=NOTE, fill=INK)
    moves = largest_moves(points, 1)
    biggest = (
        f" The largest move was {signed(moves[0].change)} on {moves[0].date.isoformat()} ({_event_text(moves[0])}"
        + (f"; most moved: {moves[0].cause}" if moves[0].cause else "")
        + ")."
        if moves
        else ""
    )
    return Chart(
        name,
        "Score over time",
        d.markup(),
        f"Source: thesis scoring of the inputs as known on each day something changed, "
        f"{points[0].date.isoformat()} to {points[-1].date.isoformat()}; the same rows as thesis history.",
        f"The score went from {signed(scores[0])} ({points[0].rating}) on {points[0].date.isoformat()} "
        f"to {signed(scores[-1])} ({points[-1].rating}) on {points[-1].date.isoformat()}, over {len(points)} "
        f"days on which something changed.{biggest}",
    )


CALL_FILLS = {1: "#e3efe7", 0: "#eef0f2", -1: "#f3e3e3"}  # long, neutral, short


def price_chart(record: TrackRecord, prices: Prices, company: str) -> Chart:
    """The analyst's price series with the rating over it: the background says which call held when,
    a triangle marks each change (up for a raise, down for a cut), and the benchmark, rebased to the
    first close, is dashed."""
    name = "price"
    series = prices.company
    days = [float(day.toordinal()) for day in series.dates]
    closes = list(series.closes)
    lines = [closes]
    bench: list[float] = []
    if prices.benchmark is not None and len(prices.benchmark):
        base = prices.benchmark.on_or_before(series.dates[0]) or (prices.benchmark.dates[0], prices.benchmark.closes[0])
        for day in series.dates:
            found = prices.benchmark.on_or_before(day)
            bench.append(closes[0] * found[1] / base[1] if found else math.nan)
        lines.append([b for b in bench if not math.isnan(b)])
    low = min(min(line) for line in lines if line)
    high = max(max(line) for line in lines if line)
    yspan = (high - low) or abs(high) or 1.0
    yticks = nice_ticks(low - yspan * 0.08, high + yspan * 0.25, most=5)
    ylabels = [tick_label(t, yticks) for t in yticks]
    left = 20 + max(text_width(label, TICK) for label in ylabels)
    height = 175.0
    box = _Box(left, 8, WIDTH - 10, height - 45)
    d = Drawing(name, WIDTH, height, f"{company}: price and rating history")
    span = max(days[-1] - days[0], 30.0)
    x = Scale(days[0] - span * 0.02, days[-1] + span * 0.02, box.left, box.right)
    y = Scale(yticks[0], yticks[-1], box.bottom, box.top)

    # which call held when, as background strips
    calls = list(record.calls)
    for index, call in enumerate(calls):
        start = x(float(call.date.toordinal()))
        end = x(float(calls[index + 1].date.toordinal())) if index + 1 < len(calls) else box.right
        d.rect(start, box.top, end - start, box.bottom - box.top, fill=CALL_FILLS[call.direction])
    dates = date_ticks(series.dates[0], series.dates[-1])
    _x_grid(d, box, x, [float(t.toordinal()) for t, _ in dates], [label for _, label in dates])
    _y_grid(d, box, y, yticks, ylabels)
    _frame(d, box)
    if bench:
        for (day1, b1), (day2, b2) in itertools.pairwise(zip(days, bench, strict=True)):
            if not (math.isnan(b1) or math.isnan(b2)):
                d.line(x(day1), y(b1), x(day2), y(b2), stroke=MUTED, width=0.9, dash="3 2")
    for (day1, c1), (day2, c2) in itertools.pairwise(zip(days, closes, strict=True)):
        d.line(x(day1), y(c1), x(day2), y(c2), stroke=INK, width=1.2)
    for call in calls:
        px, py = x(float(call.date.toordinal())), y(call.close)
        shape = "v" if call.move < 0 else "^"
        d.marker(
            shape, px, py, 7, fill=BULL if call.direction > 0 else BEAR if call.direction < 0 else WHITE, stroke=INK
        )
        _label_inside(d, box, px, py - 6, call.rating, size=SMALL, fill=INK, gap=2)
    entries: list[tuple[Swatch, str]] = [
        (lambda dd, lx, ly: dd.line(lx, ly, lx + 10, ly, stroke=INK, width=1.2), f"close ({prices.currency})"),
    ]
    if bench:
        entries.append(
            (
                lambda dd, lx, ly: dd.line(lx, ly, lx + 10, ly, stroke=MUTED, width=0.9, dash="3 2"),
                f"{prices.benchmark_name or 'benchmark'}, rebased",
            )
        )
    for way, label in ((1, "long call"), (0, "neutral"), (-1, "short call")):
        entries.append((_bar_swatch(CALL_FILLS[way], MUTED), label))
    _legend(d, entries, height - 12, centre=WIDTH / 2)
    first, last = calls[0], calls[-1]
    return Chart(
        name,
        "Price and rating history",
        d.markup(),
        f"Source: prices.csv{' and benchmark.csv' if bench else ''} supplied by the desk ({prices.currency}), "
        f"{series.dates[0].isoformat()} to {series.dates[-1].isoformat()}; ratings as of each trading day.",
        f"{counted(len(calls), 'calls')} from {first.date.isoformat()} ({first.rating}) "
        f"to {last.date.isoformat()} ({last.rating}); the close went from {figure(closes[0], prices.currency, 2)} to "
        f"{figure(closes[-1], prices.currency, 2)} {prices.currency}.",
    )


def brief_charts(brief: Brief, sensitivity: Sensitivity) -> BriefCharts:
    """Every chart of a brief (the tornado shows the stress tests, computed before)."""
    card = brief.scorecard
    scenarios = None
    if brief.scenarios is not None:
        scenarios = scenario_chart(
            brief.scenarios, f"Source: the scenarios block of the inputs for {brief.thesis.company.display_name}."
        )
    return BriefCharts(
        waterfall=waterfall(card, len(brief.thesis.sources)),
        tornado=tornado(card, sensitivity),
        scenarios=scenarios,
        metrics={view.metric.id: metric_chart(view) for view in brief.metrics if len(view.observations) > 1},
        timeline=timeline_chart(brief.history, card.config.bands, brief.thesis.company.display_name)
        if len(brief.history) > 1
        else None,
        price=price_chart(record, brief.prices, brief.thesis.company.display_name)
        if (record := brief.track_record) is not None and brief.prices is not None and record.calls
        else None,
    )
