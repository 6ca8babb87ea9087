"""How European reports write figures (units like EURm and TEUR, a fall written as "minus"), and counts of one."""

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


def test_counts_are_singular_for_one() -> None:
    from thesis.figures import counted

    assert [counted(1, n) for n in ("sources", "kill_criteria", "companies", "info", "errors")] == [
        "1 source",
        "1 kill criterion",
        "1 company",
        "1 info",
        "1 error",
    ]
    assert counted(2, "kill_criteria") == "2 kill criteria" and counted(1200, "quotes") == "1,200 quotes"


def test_the_check_summary_of_a_one_point_company_is_singular() -> None:
    from thesis.verify.checks import CheckReport

    report = CheckReport("kleinwerk", [], {"sources": 1, "points": 1, "metrics": 0, "kill_criteria": 1, "quotes": 1})
    assert report.summary(strict=True) == (
        "kleinwerk: ok (strict): 0 errors, 0 warnings, 0 info "
        "(checked 1 source, 1 point, 0 metrics, 1 kill criterion, 1 quote)"
    )


@pytest.mark.parametrize(
    ("value", "unit", "quote"),
    [
        (1842.5, "EUR m", "Der Umsatz sank um 6,2 % auf 1.842,5 Mio. EUR"),
        (0.85, "EUR", "eine Dividende von 0,85 € je Aktie"),
        (23.4, "EUR", "Die Aktie schloss bei 23,40 Euro"),
        (3.2, "EUR bn", "ein Auftragsbestand von 3,2 Mrd. €"),
        (-42.6, "EUR m", "ein Free Cashflow von -42,6 Mio. EUR"),
    ],
)
def test_german_figures_are_read_as_german_texts_print_them(value: float, unit: str, quote: str) -> None:
    assert appears(value, unit, quote)


def test_english_separators_keep_their_meaning_beside_the_german_ones() -> None:
    assert appears(380000, "count", "380,000") and appears(1.842, "count", "1.842")
    assert not appears(1842.5, "USD m", "1.842,5 Mio. EUR")  # a euro figure is not dollars
    assert appears(53, "USD bn", "53 Billion dollars")  # a capitalised scale word is a scale
