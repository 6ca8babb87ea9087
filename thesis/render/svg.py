"""A small SVG writer for the brief's charts: shapes and text in points, escaped and deterministic.

The charts are a handful of bars, lines, markers and labels. Drawing them
here, rather than through a plotting library, keeps a brief's charts to a few
milliseconds instead of seconds, and keeps the markup small, which WeasyPrint
lays out faster. Text stays text (selectable and searchable in the PDF); its
width is estimated from DejaVu Sans's advance widths, the font the charts
name, so labels can be placed without a layout engine.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from thesis.figures import minus

FONT_FAMILY = "DejaVu Sans, sans-serif"

# Advance widths of DejaVu Sans (regular, then bold) for U+0020..U+007E, in font units (2048 per em).
_UNITS_PER_EM = 2048
_REGULAR = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,
    2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
    1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,
    1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,
    1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
)  # fmt: skip
_BOLD = (
    713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
    1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188,
    2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741,
    1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024,
    1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702, 2134, 1458, 1407,
    1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716,
)  # fmt: skip
_WIDE = 2048  # CJK and other full-width characters: one em
_OTHER = 1716  # anything else (≠, ≥, ±, ×, −, accented letters): the width of the maths symbols, a safe upper guess


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` in points at ``size`` points, as DejaVu Sans sets it (close enough to place labels)."""
    table = _BOLD if bold else _REGULAR
    units = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            units += table[code - 32]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            units += _WIDE
        elif unicodedata.combining(char):
            continue
        else:
            units += _OTHER
    return units * size / _UNITS_PER_EM


def shorten(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` points."""
    if text_width(text, size, bold=bold) <= width:
        return text
    while text and text_width(text + "…", size, bold=bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def number(value: float) -> str:
    """A coordinate or length for an attribute: at most two decimals, no trailing zeros, never ``-0``.

    A value that is not finite is a bug in the chart that asked for it, never something to draw.
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot place a chart element at {value!r}")
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass
class Drawing:
    """One chart: a fixed width in points, shapes appended in drawing order, ids prefixed by the chart's name.

    Several charts sit inline in one HTML document, so every id (a hatching
    pattern, say) carries the chart's name to stay unique.
    """

    name: str
    width: float
    height: float
    title: str
    defs: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set, init=False, repr=False)
    _path: tuple[int, str, list[str]] | None = field(default=None, init=False, repr=False)  # the open run of lines

    def ref(self, local: str) -> str:
        return f"{self.name}-{local}"

    def hatch(self, local: str, colour: str, background: str, *, angle: float = 45, cross: bool = False) -> str:
        """A diagonal hatching fill (two directions when ``cross``); returns the ``fill`` value that uses it."""
        pattern_id = self.ref(local)
        if pattern_id not in self._ids:
            self._ids.add(pattern_id)
            lines = f'<path d="M0 0V4" stroke="{colour}" stroke-width="0.7"/>'
            if cross:
                lines += f'<path d="M0 2H4" stroke="{colour}" stroke-width="0.7"/>'
            self.defs.append(
                f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="4" height="4" '
                f'patternTransform="rotate({number(angle)})">'
                f'<rect width="4" height="4" fill="{background}"/>{lines}</pattern>'
            )
        return f"url(#{pattern_id})"

    def rect(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        *,
        fill: str,
        stroke: str | None = None,
        stroke_width: float = 0.6,
    ) -> None:
        if width < 0:
            x, width = x + width, -width
        if height < 0:
            y, height = y + height, -height
        outline = f' stroke="{stroke}" stroke-width="{number(stroke_width)}"' if stroke else ""
        self.body.append(
            f'<rect x="{number(x)}" y="{number(y)}" width="{number(width)}" height="{number(height)}" '
            f'fill="{fill}"{outline}/>'
        )

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        stroke: str,
        width: float = 0.6,
        dash: str | None = None,
    ) -> None:
        """A straight line. Lines drawn one after another in the same style share one ``<path>``: the same
        picture, with a fraction of the elements for a renderer (WeasyPrint's) to style and draw one by one."""
        pattern = f' stroke-dasharray="{dash}"' if dash else ""
        style = f'fill="none" stroke="{stroke}" stroke-width="{number(width)}"{pattern}'
        segment = f"M{number(x1)} {number(y1)}L{number(x2)} {number(y2)}"
        if self._path is not None and self._path[0] == len(self.body) - 1 and self._path[1] == style:
            self._path[2].append(segment)
        else:
            self._path = (len(self.body), style, [segment])
            self.body.append("")
        self.body[-1] = f'<path d="{"".join(self._path[2])}" {style}/>'

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        fill: str,
        anchor: str = "start",
        bold: bool = False,
        italic: bool = False,
        rotate: float | None = None,
    ) -> None:
        """Text whose baseline starts (``start``), centres (``middle``) or ends (``end``) at (x, y)."""
        attributes = f'x="{number(x)}" y="{number(y)}" font-size="{number(size)}" fill="{fill}"'
        if anchor != "start":
            attributes += f' text-anchor="{anchor}"'
        if bold:
            attributes += ' font-weight="bold"'
        if italic:
            attributes += ' font-style="italic"'
        if rotate is not None:
            attributes += f' transform="rotate({number(rotate)} {number(x)} {number(y)})"'
        self.body.append(f"<text {attributes}>{escape(text, quote=False)}</text>")

    def marker(
        self, shape: str, x: float, y: float, size: float, *, fill: str, stroke: str, dash: str | None = None
    ) -> None:
        """A marker centred on (x, y), ``size`` points across: o s ^ v D P X h < >."""
        r = size / 2
        style = f'fill="{fill}" stroke="{stroke}" stroke-width="0.8"' + (f' stroke-dasharray="{dash}"' if dash else "")
        if shape == "o":
            self.body.append(f'<circle cx="{number(x)}" cy="{number(y)}" r="{number(r * 0.9)}" {style}/>')
            return
        self.body.append(f'<polygon points="{_points(_marker_outline(shape, r), x, y)}" {style}/>')

    def markup(self) -> Markup:
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{number(self.width)}pt" '
            f'height="{number(self.height)}pt" viewBox="0 0 {number(self.width)} {number(self.height)}" '
            f'role="img" aria-label="{escape(self.title)}" font-family="{FONT_FAMILY}">'
            f"<title>{escape(self.title, quote=False)}</title>{defs}{''.join(self.body)}</svg>"
        )
        return Markup(svg)  # noqa: S704 - every text and attribute value above is escaped or a number


def _points(outline: Sequence[tuple[float, float]], x: float, y: float) -> str:
    return " ".join(f"{number(x + dx)},{number(y + dy)}" for dx, dy in outline)


def _marker_outline(shape: str, r: float) -> list[tuple[float, float]]:
    if shape == "s":
        s = r * 0.8
        return [(-s, -s), (s, -s), (s, s), (-s, s)]
    if shape in ("^", "v", "<", ">"):
        tip = {"^": (0.0, -1.0), "v": (0.0, 1.0), "<": (-1.0, 0.0), ">": (1.0, 0.0)}[shape]
        angle = math.atan2(tip[1], tip[0])
        return [
            (r * math.cos(angle + k * 2 * math.pi / 3), r * math.sin(angle + k * 2 * math.pi / 3)) for k in range(3)
        ]
    if shape == "D":
        return [(0, -r), (r * 0.7, 0), (0, r), (-r * 0.7, 0)]
    if shape == "h":
        return [
            (r * math.cos(math.pi / 6 + k * math.pi / 3), r * math.sin(math.pi / 6 + k * math.pi / 3)) for k in range(6)
        ]
    if shape in ("P", "X"):
        a, b = r, r * 0.35  # a plus sign with arms of half-width b; X is the same turned by 45°
        plus = [
            (-b, -a),
            (b, -a),
            (b, -b),
            (a, -b),
            (a, b),
            (b, b),
            (b, a),
            (-b, a),
            (-b, b),
            (-a, b),
            (-a, -b),
            (-b, -b),
        ]
        if shape == "P":
            return plus
        c = math.sqrt(0.5)
        return [((px - py) * c, (px + py) * c) for px, py in plus]
    raise ValueError(f"unknown marker {shape!r}")


@dataclass(frozen=True)
class Scale:
    """A linear map from data values onto a span of points (``start`` may be greater than ``end``)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) * (self.end - self.start) / (self.high - self.low)


def nice_ticks(low: float, high: float, *, most: int = 7) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) inside [low, high], at most ``most`` of them."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / max(most - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        first = math.ceil(low / step - 1e-9)
        last = math.floor(high / step + 1e-9)
        if last - first + 1 <= most:
            return [float(f"{k * step:.12g}") for k in range(first, last + 1)]  # 0.30000000000000004 → 0.3
    return [low, high]  # not reached: a step of 10 × magnitude always fits


def tick_label(value: float, ticks: Sequence[float]) -> str:
    """``value`` with as many decimals as the tick step needs, a real minus sign and thousands separators."""
    step = min((b - a for a, b in zip(ticks, ticks[1:], strict=False)), default=1.0)
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    return minus(f"{0.0 if round(value, decimals) == 0 else value:,.{decimals}f}")


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_ticks(low: dt.date, high: dt.date, *, most: int = 7) -> list[tuple[dt.date, str]]:
    """First-of-month (or first-of-year) ticks inside [low, high], labelled ``May``, ``2025`` or ``Jan 2026``.

    The first tick and every January carry the year, so the axis is never ambiguous.
    """
    months = (high.year - low.year) * 12 + high.month - low.month + 1
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        if months / step <= most:
            break
    ticks: list[tuple[dt.date, str]] = []
    year, month = low.year, low.month
    first = dt.date(year, month, 1)
    if first < low:
        month += 1
    index = (year * 12 + month - 1) // step * step  # align to the step, so quarters start in Jan/Apr/Jul/Oct
    if index < year * 12 + month - 1:
        index += step
    while True:
        date = dt.date(index // 12, index % 12 + 1, 1)
        if date > high:
            break
        if step >= 12:
            label = str(date.year)
        elif not ticks or date.month == 1:
            label = f"{_MONTHS[date.month - 1]} {date.year}"
        else:
            label = _MONTHS[date.month - 1]
        ticks.append((date, label))
        index += step
    return ticks
