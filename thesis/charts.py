"""The brief's charts, drawn with matplotlib as vector SVG for inline use in the HTML and the PDF.

matplotlib is imported only inside the functions here, so commands that
never draw (``check``, ``score``, ``diff``) do not pay for it. No pyplot: each
chart is a standalone :class:`~matplotlib.figure.Figure` on the SVG canvas, so
no global state is shared between charts.

Every chart is byte-identical run to run (a fixed ``svg.hashsalt`` per chart,
no date in the metadata, text kept as text), fits the A4 text width, and can
be read in greyscale: sides differ by fill *and* hatching, sources by marker
shape, and every line is labelled in words.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from thesis.brief import Brief, MetricView
    from thesis.scenarios import ScenarioAnalysis
    from thesis.scoring import Scorecard
    from thesis.sensitivity import Sensitivity

WIDTH_IN = 170 / 25.4  # A4 text width is about 176 mm; leave a little room
ROW_IN = 0.17
MAX_WATERFALL_ROWS = 22
INK = "#1d2329"
MUTED = "#5b6670"
BULL = "#1f6f43"
BEAR = "#9c2f2f"
CONSTRAINT = "#8a5a00"
LIGHT = "#d9dde1"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">")
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 7.5,
    "axes.titlesize": 8.5,
    "axes.labelsize": 7.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "text.color": INK,
    "hatch.linewidth": 0.6,
    "path.simplify": False,
}


_ID_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^"#)]+)')


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


@contextmanager
def _style(name: str) -> Iterator[None]:
    import matplotlib

    settings: Any = {**STYLE, "svg.hashsalt": f"thesis-{name}"}
    with matplotlib.rc_context(settings):
        yield


def _figure(height_in: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_IN, height_in), dpi=72)


def _svg(figure: Figure, name: str) -> Markup:
    """The figure as SVG markup without the XML prolog, every id prefixed with the chart's name.

    matplotlib numbers its ids (``figure_1``, ``patch_3``) the same way in every
    figure; inline in one HTML document they must be unique.
    """
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "thesis"})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = _ID_REFERENCE.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)
    return Markup(text.strip())  # noqa: S704 - matplotlib's own SVG; every label passed to it is plain text


def _plain(text: str) -> str:
    """Text for a matplotlib label: no mathtext, so ``$`` prints as a dollar sign."""
    return text.replace("$", r"\$")


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _band_lines(ax: Axes, card: Scorecard, low: float, high: float, *, label_y: float = 1.0) -> None:
    """Dotted lines at the band cut-points inside [low, high], each named above the plot."""
    for band in card.config.bands[1:]:
        if low < band.min < high:
            ax.axvline(band.min, color=MUTED, linestyle=":", linewidth=0.7, zorder=0)
            ax.text(
                band.min,
                label_y,
                f" {band.name} ≥ {band.min:g}",
                transform=ax.get_xaxis_transform(),
                fontsize=6.5,
                color=MUTED,
                va="bottom",
                ha="left",
            )


def _side_style(stance: str, kind: str) -> dict[str, Any]:
    if kind == "constraint":
        return {"facecolor": LIGHT, "edgecolor": CONSTRAINT, "hatch": "xxx"}
    if stance == "bull":
        return {"facecolor": BULL, "edgecolor": BULL, "hatch": None}
    return {"facecolor": "white", "edgecolor": BEAR, "hatch": "/////"}


def waterfall(card: Scorecard, sources: int) -> Chart:
    """From neutral (0) through each item's contribution to the final score."""
    from matplotlib.patches import Patch

    items = [i for i in card.items if i.contribution != 0]
    items.sort(key=lambda i: (-i.contribution, i.id))
    shown = sorted(items, key=lambda i: (-abs(i.contribution), i.id))[:MAX_WATERFALL_ROWS]
    keep = {i.id for i in shown}
    rows: list[tuple[str, float, dict[str, Any]]] = []
    for item in items:
        if item.id in keep:
            rows.append((item.id, item.contribution, _side_style(item.stance, item.kind)))
    other_bull = [i for i in items if i.id not in keep and i.contribution > 0]
    other_bear = [i for i in items if i.id not in keep and i.contribution < 0]
    if other_bull:
        bull_rows = [r for r in rows if r[1] > 0]
        rows.insert(
            len(bull_rows),
            (f"{len(other_bull)} smaller bull items", sum(i.contribution for i in other_bull), _side_style("bull", "")),
        )
    if other_bear:
        rows.append(
            (f"{len(other_bear)} smaller bear items", sum(i.contribution for i in other_bear), _side_style("bear", ""))
        )
    with _style("waterfall"):
        figure = _figure(0.9 + ROW_IN * (len(rows) + 2))
        ax = figure.add_subplot()
        running = 0.0
        labels = ["Neutral"]
        ax.barh(0, 0.0, left=0.0, height=0.6)
        ends = [0.0]
        for position, (label, value, style) in enumerate(rows, start=1):
            ax.barh(position, value, left=running, height=0.65, linewidth=0.6, **style)
            ax.plot([running + value] * 2, [position - 0.33, position + 0.67], color=MUTED, linewidth=0.4)
            running += value
            ends.append(running)
            labels.append(_plain(label))
        final = len(rows) + 1
        ax.barh(final, card.score, left=0.0, height=0.65, facecolor=INK, edgecolor=INK)
        ax.text(
            card.score,
            final,
            f"  {card.score:+.1f} {card.rating}  " if card.score >= 0 else f"  {card.rating} {card.score:+.1f}  ",
            va="center",
            ha="left" if card.score >= 0 else "right",
            fontsize=7,
            fontweight="bold",
        )
        labels.append("Score")
        ax.axvline(0, color=INK, linewidth=0.6)
        low, high = min(*ends, card.score), max(*ends, card.score)
        pad = max(2.0, (high - low) * 0.08)
        ax.set_xlim(low - pad, high + pad)
        _band_lines(ax, card, low - pad, high + pad)
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(final + 0.7, -0.7)
        ax.set_xlabel("Score (neutral = 0, range ±100)")
        ax.grid(axis="x", color=LIGHT, linewidth=0.4)
        ax.set_axisbelow(True)
        ax.legend(
            handles=[
                Patch(label="bull point", **_side_style("bull", "point")),
                Patch(label="bear point", **_side_style("bear", "point")),
                Patch(label="export-control constraint", **_side_style("bear", "constraint")),
                Patch(label="final score", facecolor=INK),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.09),
            frameon=False,
            ncols=4,
        )
        figure.tight_layout(pad=0.8)
        svg = _svg(figure, "waterfall")
    return Chart(
        name="waterfall",
        title="From neutral to the score",
        svg=svg,
        source=(
            f"Source: thesis scoring of {len(card.items)} items from {sources} sources as of "
            f"{card.as_of.isoformat()}, configuration {card.config.digest()}."
        ),
        description=(
            f"Starting from 0, each item adds its contribution; the bars end at the score {card.score:+.1f} "
            f"({card.rating})."
        ),
    )


def tornado(card: Scorecard, sensitivity: Sensitivity) -> Chart:
    """The score range when each knob is turned on its own; widest at the top."""
    from matplotlib.patches import Patch

    ranges = sensitivity.ranges
    with _style("tornado"):
        figure = _figure(0.95 + ROW_IN * 1.25 * max(len(ranges), 1))
        ax = figure.add_subplot()
        changes = 0
        for position, knob in enumerate(ranges):
            flips = any(s.rating != card.rating for s in knob.settings)
            changes += flips
            ax.barh(
                position,
                max(knob.width, 0.05),
                left=knob.low,
                height=0.6,
                facecolor=LIGHT if not flips else "white",
                edgecolor=INK,
                hatch="////" if flips else None,
                linewidth=0.6,
            )
            for setting in knob.settings:
                right = setting.score >= knob.base
                ax.text(
                    setting.score + (0.15 if right else -0.15),
                    position,
                    _plain(setting.label),
                    va="center",
                    ha="left" if right else "right",
                    fontsize=6.2,
                    color=MUTED,
                )
        ax.axvline(card.score, color=INK, linewidth=0.9)
        lows = [r.low for r in ranges] or [card.score]
        highs = [r.high for r in ranges] or [card.score]
        low, high = min(lows), max(highs)
        pad = max(1.5, (high - low) * 0.2)
        ax.set_xlim(low - pad, high + pad)
        _band_lines(ax, card, low - pad, high + pad)
        ax.set_yticks(range(len(ranges)), [_plain(r.label) for r in ranges])
        ax.set_ylim(len(ranges) - 0.4, -0.6)
        ax.set_xlabel(f"Score (base {card.score:+.1f}, solid line)")
        ax.grid(axis="x", color=LIGHT, linewidth=0.4)
        ax.set_axisbelow(True)
        ax.legend(
            handles=[
                Patch(facecolor=LIGHT, edgecolor=INK, label="rating unchanged"),
                Patch(facecolor="white", edgecolor=INK, hatch="////", label="rating changes"),
            ],
            loc="lower right",
            frameon=False,
        )
        figure.tight_layout(pad=0.8)
        svg = _svg(figure, "tornado")
    widest = ranges[0] if ranges else None
    return Chart(
        name="tornado",
        title="What each knob does to the score",
        svg=svg,
        source=(
            f"Source: the thesis rescored with one knob changed at a time, configuration {card.config.digest()}, "
            f"as of {card.as_of.isoformat()}."
        ),
        description=(
            f"{len(ranges)} knobs; the widest is {widest.label} ({widest.low:+.1f} to {widest.high:+.1f}); "
            f"{changes} change the rating."
            if widest
            else "No knobs to turn."
        ),
    )


def scenario_chart(analysis: ScenarioAnalysis, source: str) -> Chart:
    """Risk and reward: each case's value and probability against the current value and the expected value."""
    with _style("scenarios"):
        figure = _figure(2.3)
        ax = figure.add_subplot()
        markers = {"bull": "^", "base": "o", "bear": "v"}
        fills = {"bull": BULL, "base": "white", "bear": BEAR}
        for case in analysis.cases:
            ax.vlines(case.value, 0, case.probability, color=MUTED, linewidth=1.0)
            ax.plot(
                case.value,
                case.probability,
                marker=markers[case.name],
                markersize=9,
                markerfacecolor=fills[case.name],
                markeredgecolor=INK,
                linestyle="none",
            )
            ax.annotate(
                _plain(f"{case.name.capitalize()} {case.value:,.4g} ({case.change:+.0%}), p={case.probability:.0%}"),
                (case.value, case.probability),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
        ax.axvline(analysis.current, color=INK, linewidth=1.0)
        ax.axvline(analysis.expected, color=INK, linewidth=1.0, linestyle="--")
        ax.text(
            analysis.current,
            1.0,
            _plain(f"current {analysis.current:,.4g}"),
            transform=ax.get_xaxis_transform(),
            fontsize=6.8,
            va="bottom",
            ha="center",
        )
        right = analysis.expected >= analysis.current
        ax.text(
            analysis.expected,
            0.97,
            _plain(
                f" expected {analysis.expected:,.4g} (dashed) "
                if right
                else f" (dashed) expected {analysis.expected:,.4g} "
            ),
            transform=ax.get_xaxis_transform(),
            fontsize=6.8,
            va="top",
            ha="left" if right else "right",
        )
        values = [c.value for c in analysis.cases] + [analysis.current, analysis.expected]
        span = max(values) - min(values) or abs(analysis.current) or 1.0
        ax.set_xlim(min(values) - span * 0.18, max(values) + span * 0.18)
        ax.set_ylim(0, max(c.probability for c in analysis.cases) * 1.45)
        ax.set_ylabel("Probability")
        ax.set_xlabel(_plain(f"{analysis.metric} ({analysis.unit})"))
        ax.grid(axis="y", color=LIGHT, linewidth=0.4)
        ax.set_axisbelow(True)
        figure.tight_layout(pad=0.8)
        svg = _svg(figure, "scenarios")
    ratio = f"{analysis.reward_to_risk:.1f}" if analysis.reward_to_risk is not None else "no downside"
    return Chart(
        name="scenarios",
        title="Risk and reward",
        svg=svg,
        source=source,
        description=(
            f"Probability-weighted {analysis.metric.lower()} {analysis.expected:,.4g} {analysis.unit} against "
            f"{analysis.current:,.4g} today; reward to risk {ratio}."
        ),
    )


def metric_chart(view: MetricView, published: dict[str, dt.date]) -> Chart:
    """Every observation of one metric by date, one marker shape per source; disagreements joined by a line."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num

    metric = view.metric
    sources = list(dict.fromkeys(o.citation.source_id for o in view.observations))
    numbers = {o.citation.source_id: o.citation.number for o in view.observations}
    groups: dict[str, list[tuple[float, float]]] = {}
    placed: list[tuple[float, float, str]] = []
    with _style(f"metric-{metric.id}"):
        figure = _figure(1.9)
        ax = figure.add_subplot()
        for index, source_id in enumerate(sources):
            points = [o for o in view.observations if o.citation.source_id == source_id]
            xs = [float(date2num(o.observation.date or published[source_id])) for o in points]  # type: ignore[no-untyped-call]
            ys = [o.observation.value for o in points]
            ax.plot(
                xs,
                ys,
                marker=MARKERS[index % len(MARKERS)],
                markersize=6,
                linestyle="none",
                markerfacecolor="white" if index % 2 else INK,
                markeredgecolor=INK,
                label=_plain(f"[{numbers[source_id]}] {source_id}"),
                zorder=3,
            )
            for o, x, y in zip(points, xs, ys, strict=True):
                groups.setdefault(o.observation.label, []).append((x, y))
                placed.append((x, y, o.observation.label))
        differing = 0
        for label, marks in groups.items():
            values = [y for _, y in marks]
            if len(marks) > 1 and max(values) - min(values) > 0.02 * max(abs(v) for v in values):
                differing += 1
                x = sorted(x for x, _ in marks)[0]
                ax.vlines(x, min(values), max(values), colors=BEAR, linestyles="--", linewidth=0.9, zorder=2)
                ax.annotate(
                    _plain(f"≠ sources differ ({_short(label)})"),
                    (x, (min(values) + max(values)) / 2),
                    xytext=(5, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=6.2,
                    color=BEAR,
                )
        xs_all = [x for marks in groups.values() for x, _ in marks]
        if max(xs_all) - min(xs_all) < 30:
            low, high = min(xs_all) - 45, max(xs_all) + 75
        else:
            span = max(xs_all) - min(xs_all)
            low, high = min(xs_all) - span * 0.08, max(xs_all) + span * 0.1
        ax.set_xlim(low, high)
        placed.sort()
        for x, y, label in placed:
            # marks within a few days of each other get their labels stacked, not piled up;
            # marks in the right part of the plot are labelled on their left, so text stays inside
            cluster = [p for p in placed if abs(p[0] - x) < 4]
            rank = cluster.index((x, y, label))
            leftward = x > low + (high - low) * 0.6
            ax.annotate(
                _plain(_short(label)),
                (x, y),
                xytext=(-6 if leftward else 6, -3 + (rank - (len(cluster) - 1) / 2) * 7.5),
                textcoords="offset points",
                ha="right" if leftward else "left",
                fontsize=6,
                color=MUTED,
            )
        ys_all = [y for marks in groups.values() for _, y in marks]
        yspan = (max(ys_all) - min(ys_all)) or abs(max(ys_all)) or 1.0
        ax.set_ylim(min(ys_all) - yspan * 0.2, max(ys_all) + yspan * 0.3)
        locator = AutoDateLocator(maxticks=6)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.set_ylabel(_plain(metric.unit))
        ax.grid(color=LIGHT, linewidth=0.4)
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="source", title_fontsize=6.5)
        figure.tight_layout(pad=0.8)
        svg = _svg(figure, f"metric-{metric.id}")
    return Chart(
        name=f"metric-{metric.id}",
        title=metric.name,
        svg=svg,
        source="Sources: "
        + "; ".join(f"[{numbers[s]}] {s}" for s in sources)
        + " (dated by the observation, else by its source).",
        description=(
            f"{len(view.observations)} observations from {len(sources)} source(s)"
            + (f"; sources differ on {differing} period(s)." if differing else ".")
        ),
    )


def brief_charts(brief: Brief) -> BriefCharts:
    """Every chart of a brief."""
    card = brief.scorecard
    published = {s.id: s.published.date for s in brief.thesis.sources}
    scenarios = None
    if brief.scenarios is not None:
        scenarios = scenario_chart(
            brief.scenarios, f"Source: the scenarios block of the inputs for {brief.thesis.company.display_name}."
        )
    return BriefCharts(
        waterfall=waterfall(card, len(brief.thesis.sources)),
        tornado=tornado(card, brief.sensitivity),
        scenarios=scenarios,
        metrics={view.metric.id: metric_chart(view, published) for view in brief.metrics if len(view.observations) > 1},
    )
