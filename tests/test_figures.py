"""One way to write a signed figure, in every output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thesis.figures import figure, number, signed, signed_percent
from thesis.render.environment import environment
from thesis.render.svg import tick_label

PACKAGE = Path(__file__).resolve().parent.parent / "thesis"
SIGN_SPEC = re.compile(r":(?:.?[<>^=])?\+[\d,._]*[a-z%]?\}")  # a format spec with a sign: {x:+.1f}, {x:>+8.2f}


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (-0.04, 1, "0.0"),
        (0.04, 1, "0.0"),
        (-0.0, 2, "0.00"),
        (-0.05001, 1, "\u22120.1"),
        (1.25, 2, "+1.25"),
        (-1234.5, 1, "\u22121,234.5"),
        (12, 0, "+12"),
    ],
)
def test_signed(value: float, digits: int, text: str) -> None:
    assert signed(value, digits) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1.2, "EUR", "1.20"),  # an amount in a currency's own unit keeps its cents
        (23.4, "EUR per share", "23.40"),
        (0.855, "USD", "0.855"),  # more decimals than cents, as written
        (12, "\u20ac", "12.00"),
        (-3.5, "EUR", "\u22123.50"),
        (-0.001, "EUR", "\u22120.001"),
        (-0.0001, "EUR", "0.00"),
        (571.2, "EUR m", "571.2"),  # a scaled amount is no price in cents: no zeros added
        (31.0, "%", "31"),
        (6420, "count", "6,420"),
        (1.2, None, "1.2"),
    ],
)
def test_a_figure_in_a_currency_keeps_two_decimals(value: float, unit: str | None, text: str) -> None:
    assert figure(value, unit) == text


def test_trimmed_and_plain_figures_never_print_minus_zero() -> None:
    assert signed(0.5, 3, trim=True) == "+0.5"
    assert signed(-0.0004, 3, trim=True) == "0"
    assert number(-0.04) == "0" and number(-2.50) == "\u22122.5" and number(1234.0) == "1,234"
    assert (
        signed_percent(-0.004) == "0%" and signed_percent(0.284) == "+28%" and signed_percent(-0.035, 1) == "\u22123.5%"
    )


def test_the_templates_and_the_charts_use_the_same_formatter(tmp_path: Path) -> None:
    env = environment((PACKAGE / "render" / "templates",))
    assert env.filters["signed"] is signed and env.filters["number"] is number
    assert tick_label(-0.0, [-1.0, 0.0, 1.0]) == "0" and tick_label(-1.0, [-1.0, 0.0]) == "\u22121"


def test_no_module_formats_a_sign_by_itself() -> None:
    """A format spec with ``+`` (``:+.1f``) prints ``+0.0`` and a hyphen: use :func:`thesis.figures.signed`."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "figures.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SIGN_SPEC.search(line)
    ]
    assert offenders == []
