"""How European reports write figures: units like EURm and TEUR, and a fall written as "minus"."""

from __future__ import annotations

import pytest

from thesis.verify.numbers import Unit, appears, parse_unit


@pytest.mark.parametrize(
    ("unit", "parsed"),
    [
        ("EURm", Unit(1e6, False, "EUR")),
        ("EURbn", Unit(1e9, False, "EUR")),
        ("USDbn", Unit(1e9, False, "USD")),
        ("CNYbn", Unit(1e9, False, "CNY")),
        ("TEUR", Unit(1e3, False, "EUR")),
        ("kEUR", Unit(1e3, False, "EUR")),
        ("MEUR", Unit(1e6, False, "EUR")),
        ("EUR m", Unit(1e6, False, "EUR")),
        ("€m", Unit(1e6, False, "EUR")),
    ],
)
def test_a_code_glued_to_a_scale_is_a_currency_and_a_scale(unit: str, parsed: Unit) -> None:
    assert parse_unit(unit) == parsed


def test_a_value_in_eurm_is_read_off_euro_millions_and_not_dollars() -> None:
    assert appears(1842.5, "EURm", "Our revenue fell 6.2% to EUR 1,842.5 million")
    assert appears(1842500, "TEUR", "revenue of EUR 1,842.5 million")
    assert not appears(42.6, "EURm", "a loss of USD 42.6 million and more")


def test_the_word_minus_is_a_minus_sign() -> None:
    quote = "free cash flow of minus EUR 18.3 million"
    assert appears(-18.3, "EUR m", quote)
    assert not appears(18.3, "EUR m", quote)
    assert appears(-4.3, "%", "orders were minus 4.3% on the year")
    assert appears(5, "%", "the terminus 5% of the line")
