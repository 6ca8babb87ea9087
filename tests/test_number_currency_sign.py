"""A metric's value is found in its quote only in the unit's currency and with its sign."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import add_gamma, base_inputs, copy_alibaba, write_project
from thesis.cli import cli
from thesis.verify.checks import number_hint
from thesis.verify.numbers import CURRENCIES, appears, mentions, parse_unit
from thesis.verify.search import observation

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("value", "unit", "text", "found"),
    [
        (27, "CNY bn", "revenue of RMB 196 billion (USD 27 billion)", False),
        (196, "CNY bn", "revenue of RMB 196 billion (USD 27 billion)", True),
        (27, "USD bn", "revenue of RMB 196 billion (USD 27 billion)", True),
        (53, "CNY bn", "380 billion yuan (~$53 billion)", False),
        (53, "USD bn", "380 billion yuan (~$53 billion)", True),
        (380, "CNY bn", "380 billion yuan (~$53 billion)", True),
        (380, "USD bn", "380 billion yuan (~$53 billion)", False),
        (380, "CNY bn", "a capital expenditure of 380 billion on AI", True),  # no currency: any
        (380, "CNY bn", "\u00a5380 billion", True),
        (380, "CNY bn", "380 billion renminbi", True),
        (3.8, "CNY bn", "380\u4ebf\u5143", False),  # 亿 is 1e8: 38 billion
        (38, "CNY bn", "380\u4ebf\u5143", True),
        (53, "HKD bn", "HK$53 billion", True),
        (53, "USD bn", "HK$53 billion", False),
        (53, "$bn", "US$53bn", True),
        (53, "count", "US$53", True),  # a unit with no currency: any
        (35, "%", "a 35% share in RMB terms", True),
    ],
)
def test_currency(value: float, unit: str, text: str, found: bool) -> None:
    assert appears(value, unit, text) is found


@pytest.mark.parametrize(
    ("value", "unit", "text", "found"),
    [
        (-16, "%", "a 16% increase", False),
        (16, "%", "a 16% increase", True),
        (16, "%", "a 16% decrease", False),
        (-16, "%", "a 16% decrease", True),
        (16, "%", "revenue fell 16%", False),
        (-16, "%", "revenue fell 16%", True),
        (-20, "%", "the usage of the Qwen series dropped by nearly 20%", True),
        (20, "%", "the usage of the Qwen series dropped by nearly 20%", False),
        (-21.8, "CNY bn", "a RMB 21.8 billion outflow", True),
        (21.8, "CNY bn", "a RMB 21.8 billion outflow", False),
        (-16, "%", "a 16% year-on-year decline", True),
        (16, "%", "a 16% year-on-year decline", False),
        (25, "%", "share fell to 25%", True),  # a level, not the change
        (30, "%", "a share of 25%, down from 30%", True),
        (29, "%", "lags behind AWS (29%)", True),  # an aside in parentheses
        (-2.6, "USD bn", "net income (2.6)", True),  # an accounting negative
        (-2.6, "USD bn", "changed by \u22122.6 in the quarter", True),
        (2.6, "USD bn", "changed by -2.6 in the quarter", False),
        (2025, "count", "the 2024-2025 season", True),  # a range, not a minus
        (0, "%", "growth fell 0%", True),
    ],
)
def test_sign(value: float, unit: str, text: str, found: bool) -> None:
    assert appears(value, unit, text) is found


_SPELLINGS = [(code, spelling) for code, spellings in CURRENCIES.items() for spelling in spellings]


def _written(number: str, spelling: str) -> str:
    if not (spelling[-1].isascii() and spelling[-1].isalpha()):
        return f"{spelling}{number} billion" if spelling != "\u5143" else f"{number}\u4ebf\u5143"
    return f"{spelling.upper() if len(spelling) == 3 else spelling} {number} billion"


@given(
    st.integers(min_value=1, max_value=999_999),
    st.sampled_from(_SPELLINGS),
    st.sampled_from(list(CURRENCIES)),
    st.sampled_from(["Revenue was {}.", "about {}, it said", "({})"]),
)
def test_a_figure_matches_only_a_unit_in_its_own_currency_or_none(
    number: int, written: tuple[str, str], unit_code: str, sentence: str
) -> None:
    code, spelling = written
    text = sentence.format(_written(str(number), spelling))
    value = number / 10 if spelling == "\u5143" else number  # 亿 is a tenth of a billion
    (mention,) = mentions(text)
    assert mention.currency == code
    assert appears(value, f"{unit_code} bn", text) is (unit_code == code)
    assert appears(value, "bn", text)


_DECLINING = ["fell {}", "dropped by nearly {}", "a decrease of ~{}", "a {} decline", "{} lower", "a {} net outflow"]
_RISING = ["rose {}", "a {} increase", "grew by about {}", "up {} from a year earlier", "reached {}"]


@given(
    st.integers(min_value=1, max_value=10_000),
    st.sampled_from(["{}%", "${} billion", "RMB {} billion", "{} million"]),
    st.sampled_from(_DECLINING),
)
def test_a_figure_on_a_decline_word_is_negative(number: int, form: str, phrase: str) -> None:
    text = phrase.format(form.format(number))
    unit = "%" if "%" in form else "million" if "million" in form else "bn"
    assert appears(-number, unit, text)
    assert not appears(number, unit, text)


@given(
    st.integers(min_value=1, max_value=10_000),
    st.sampled_from(["{}%", "${} billion", "RMB {} billion", "{} million"]),
    st.sampled_from(_RISING),
)
def test_a_figure_in_a_quote_without_a_decline_word_is_positive(number: int, form: str, phrase: str) -> None:
    text = phrase.format(form.format(number))
    unit = "%" if "%" in form else "million" if "million" in form else "bn"
    assert appears(number, unit, text)
    assert not appears(-number, unit, text)


@given(st.sampled_from(["USD bn", "CNY bn", "RMB billion", "$bn", "US dollars (bn)", "HKD m", "count", "%", "x"]))
def test_a_unit_names_its_currency_and_scale(unit: str) -> None:
    parsed = parse_unit(unit)
    expected = {"USD": "USD", "CNY": "CNY", "RMB": "CNY", "$bn": "USD", "US d": "USD", "HKD": "HKD"}
    assert parsed.currency == next((code for start, code in expected.items() if unit.startswith(start)), None)
    assert parsed.scale == {"bn": 1e9, "billion": 1e9, "m": 1e6}.get(unit.split()[-1].strip("()$"), 1.0) or (
        unit == "US dollars (bn)" and parsed.scale == 1e9
    )


def test_a_yuan_value_read_off_a_dollar_figure_fails_on_the_real_inputs(chdir: Path) -> None:
    metrics = copy_alibaba(chdir) / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    original = '      - value: 380\n        period: "3 years from early 2025; to be exceeded'
    assert original in text
    metrics.write_text(text.replace(original, original.replace("380", "53")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "alibaba", "--strict"])
    assert result.exit_code == 1, result.output
    assert "metrics[0].observations[2].value [ai-capex-pledge-cny]: value 53 (CNY bn) is not in its quote" in (
        result.output
    )
    assert "the quote writes '53 billion' in USD, but the unit 'CNY bn' is CNY" in result.output


def test_check_reports_currency_and_sign(chdir: Path) -> None:
    inputs = base_inputs()
    add_gamma(inputs)
    quote = "revenue of RMB 196 billion (USD 27 billion) in 2024, a 16% increase"
    inputs["metrics"]["metrics"] += [
        {
            "id": "revenue",
            "name": "Revenue",
            "unit": "CNY bn",
            "higher_is_better": True,
            "observations": [{"value": 27, "period": "2024", "source": "gamma", "quote": quote}],
        },
        {
            "id": "revenue-growth",
            "name": "Revenue growth",
            "unit": "%",
            "higher_is_better": True,
            "observations": [{"value": -16, "period": "2024", "source": "gamma", "quote": quote}],
        },
    ]
    write_project(chdir, inputs, raw={"sources/gamma.txt": f"Acme reported {quote}.\n"})
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 1, result.output
    assert "[revenue]: value 27 (CNY bn) is not in its quote" in result.output
    assert "the quote writes '27 billion' in USD, but the unit 'CNY bn' is CNY" in result.output
    assert "[revenue-growth]: value -16 (%) is not in its quote" in result.output
    assert (
        "the value is negative but the quote writes '16%' as a rise ('increase' governs it): quote the words that "
        "say it fell, or correct the sign"
    ) in result.output


def test_check_reports_a_sign_written_by_parentheses_or_by_a_decline_word_of_another_figure(chdir: Path) -> None:
    inputs = base_inputs()
    add_gamma(inputs)
    text = (
        "Operating income was RMB(16) billion in 2024. Revenue fell 5% while margins rose 3%. "
        "Sales fell 4%; EBIT was 6%."
    )

    def metric(metric_id: str, unit: str, value: float, quote: str) -> dict[str, object]:
        observation = {"value": value, "period": "2024", "source": "gamma", "quote": quote}
        return {
            "id": metric_id,
            "name": metric_id,
            "unit": unit,
            "higher_is_better": True,
            "observations": [observation],
        }

    inputs["metrics"]["metrics"] += [
        metric("operating-income", "CNY bn", 16, "Operating income was RMB(16) billion in 2024"),
        metric("margin-change", "%", -3, "Revenue fell 5% while margins rose 3%"),
        metric("revenue-change", "%", 5, "Revenue fell 5% while margins rose 3%"),
        metric("operating-loss", "CNY bn", -16, "Operating income was RMB(16) billion in 2024"),
        metric("ebit-change", "%", -6, "Sales fell 4%; EBIT was 6%"),
    ]
    write_project(chdir, inputs, raw={"sources/gamma.txt": f"Acme: {text}\n"})
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 1, result.output
    assert "[operating-income]: value 16 (CNY bn) is not in its quote" in result.output
    assert (
        "the quote writes '(16) billion' as a negative (in accounting parentheses): record it as -16" in result.output
    )
    assert "[margin-change]: value -3 (%) is not in its quote" in result.output
    assert "the value is negative but the quote writes '3%' as a rise ('rose' governs it)" in result.output
    assert "[ebit-change]: value -6 (%) is not in its quote" in result.output
    assert (
        "writes '6%' with no minus, accounting parentheses or word of decline or outflow that applies to it "
        "('fell' signs '4%')"
    ) in result.output
    assert "[revenue-change]: value 5 (%) is not in its quote" in result.output
    assert "the quote writes '5%' as a negative ('fell' signs it): record it as -5" in result.output
    assert "operating-loss" not in result.output


@pytest.mark.parametrize(
    ("value", "unit", "text", "found"),
    [
        (-16, "count", "operating income (16) in the quarter", True),
        (16, "count", "operating income (16) in the quarter", False),
        (-16.2, "%", "year-on-year change (16.2)%", True),
        (16.2, "%", "year-on-year change (16.2)%", False),
        (-3.1, "CNY bn", "income from operations was RMB(3.1) billion", True),
        (3.1, "CNY bn", "income from operations was RMB(3.1) billion", False),
        (-3.1, "USD bn", "income from operations was RMB(3.1) billion", False),  # the currency outside counts
        (-2.6, "USD bn", "net income ($2.6)", True),
        (-1234, "USD m", "operating income $(1,234)", True),
        (1234, "USD m", "operating income $(1,234)", False),
        (-1842.5, "EUR m", "Ergebnis (1.842,5) Mio. EUR", True),
        (29, "%", "lags behind AWS (29%)", True),  # a percentage inside: an aside
        (-29, "%", "lags behind AWS (29%)", False),
        (53, "USD bn", "380 billion yuan ($53 billion)", True),  # a scale inside: an aside
        (-53, "USD bn", "380 billion yuan ($53 billion)", False),
        (16, "count", "new stores (16 in all)", True),  # words inside: an aside
        (-16, "count", "new stores (16 in all)", False),
        (2024, "count", "revenue (2024)", True),  # a year, not a negative
        (-2024, "count", "revenue (2024)", False),
        (-2024, "USD m", "revenue (2,024)", True),  # a figure with a thousands mark is an amount
        (1, "count", "Adjusted EBITA(1) rose", True),  # a note mark glued to a word
    ],
)
def test_accounting_parentheses(value: float, unit: str, text: str, found: bool) -> None:
    assert appears(value, unit, text) is found


@pytest.mark.parametrize(
    ("value", "unit", "text", "found"),
    [
        (-5, "%", "revenue fell 5% while margins rose 3%", True),
        (5, "%", "revenue fell 5% while margins rose 3%", False),
        (3, "%", "revenue fell 5% while margins rose 3%", True),
        (-3, "%", "revenue fell 5% while margins rose 3%", False),
        (-3, "%", "revenue fell 5% and 3%", True),  # the word signs 5%, and lets the rest of its clause be negative
        (3, "%", "revenue fell 5% and 3%", True),
        (-3, "%", "revenue fell; margins were 3%", False),
        (3, "%", "revenue fell; margins were 3%", True),
        (-3, "%", "revenue fell, but margins were 3%", False),
        (-3, "%", "revenue fell, margins rose 3%", False),  # a word of rise stands between
        (-3, "%", "Revenue fell. Margins were 3% of sales", False),
        (-3.1, "CNY bn", "net loss was RMB 3.1 billion", True),
        (3.1, "CNY bn", "net loss was RMB 3.1 billion", False),
        (-5, "%", "revenue declined in the quarter by 5%", True),
        (5, "%", "revenue declined in the quarter by 5%", False),
        (-5, "%", "revenue fell in 2024 by 5%", True),  # a year is not the figure a word signs
        (9, "quarters", "revenue fell for the ninth consecutive quarter", True),  # nor an ordinal
        (3, "x", "free cash flow fell as capex tripled", True),  # nor a multiple
        (-25, "%", "share fell to 25%", False),  # a level, not the change
        (-20, "%", "usage dropped by up to 20%", True),  # "up to" is a bound, not a rise or a level
        (20, "%", "usage dropped by up to 20%", False),
        (-3.1, "CNY bn", "net loss narrowed to RMB 3.1 billion", True),  # a word of state: still the loss
        (3.1, "CNY bn", "net loss narrowed to RMB 3.1 billion", False),
        (-30, "%", "a share of 25%, down from 30%", False),
        (196, "CNY bn", "revenue of RMB 196 billion, down 2%", True),
        (-196, "CNY bn", "revenue of RMB 196 billion, down 2%", False),
        (-2, "%", "revenue of RMB 196 billion, down 2%", True),
        (-2.6, "USD bn", "swung to a roughly $2.6 billion outflow as capex more than tripled", True),
        (3, "x", "swung to a roughly $2.6 billion outflow as capex more than tripled", True),
        (-3, "x", "swung to a roughly $2.6 billion outflow as capex more than tripled", False),
    ],
)
def test_a_decline_word_signs_one_figure_of_its_clause(value: float, unit: str, text: str, found: bool) -> None:
    assert appears(value, unit, text) is found


_AMOUNTS = st.one_of(
    st.integers(min_value=1, max_value=999).map(str),
    st.integers(min_value=1_000, max_value=999_999).map(lambda n: f"{n:,}"),
    st.decimals(min_value="0.1", max_value="999.9", places=1).map(str),
)


@given(
    _AMOUNTS,
    st.sampled_from(["({})", "RMB({}) billion", "$({})", "(${})", "({})%", "US$({}) million", "({}) bn"]),
    st.sampled_from(["Net income {}", "{}", "Operating income was {} in the quarter", "| Free cash flow | {} |"]),
)
def test_a_figure_in_accounting_parentheses_is_negative(amount: str, form: str, sentence: str) -> None:
    text = sentence.format(form.format(amount))
    number = float(amount.replace(",", ""))
    unit = "%" if "%" in form else "million" if "million" in form else "bn" if "b" in form else "count"
    assert appears(-number, unit, text)
    assert not appears(number, unit, text)


@given(
    _AMOUNTS,
    st.sampled_from(["({}%)", "(${} billion)", "(about {})", "({} stores)", "(USD {} billion)", "(~{}%)"]),
)
def test_a_figure_in_an_aside_is_positive(amount: str, form: str) -> None:
    text = f"Acme Cloud {form.format(amount)} lags behind"
    number = float(amount.replace(",", ""))
    unit = "%" if "%" in form else "bn" if "billion" in form else "count"
    assert appears(number, unit, text)
    assert not appears(-number, unit, text)


_FALLS = ["fell", "dropped by nearly", "declined in the quarter by", "was down", "recorded a loss of"]
_RISES = ["rose", "grew by", "increased to", "reached", "was"]
_BREAKS = [" while ", "; ", ". Meanwhile ", ", but ", ", whereas "]


@given(
    st.integers(min_value=1, max_value=500),
    st.integers(min_value=1, max_value=500),
    st.sampled_from(_FALLS),
    st.sampled_from(_RISES),
    st.sampled_from(_BREAKS),
    st.booleans(),
)
def test_a_decline_word_signs_only_the_figure_of_its_own_clause(
    fall: int, rise: int, falling: str, rising: str, between: str, fall_first: bool
) -> None:
    falls, rises = f"revenue {falling} {fall}%", f"margins {rising} {rise}%"
    text = falls + between + rises if fall_first else rises + between + falls
    assert appears(-fall, "%", text)
    assert appears(rise, "%", text)
    if fall != rise:
        assert not appears(fall, "%", text)
        assert not appears(-rise, "%", text)


# Each behaviour below is a rule of the sign of a figure (docs/verification.md, "Sign"): a figure is signed negative
# by a minus, accounting parentheses or a word of decline that governs it; a negative value also matches a figure
# that a word of decline of its clause reaches; a positive value is refused only by a figure signed negative.
@pytest.mark.parametrize(
    ("value", "unit", "text", "found"),
    [
        # Filing sentences: a decline word of the clause lets the figures after the one it governs be negative.
        (-8, "%", "Operating income decreased by $1.2 billion, or 8%.", True),
        (-1.2, "USD bn", "Operating income decreased by $1.2 billion, or 8%.", True),
        (8, "%", "Operating income decreased by $1.2 billion, or 8%.", True),  # not signed: ", or" stands between
        (1.2, "USD bn", "Operating income decreased by $1.2 billion, or 8%.", False),
        (-7, "%", "Cloud and retail revenue declined 5% and 7%, respectively.", True),
        (-1.2, "CNY bn", "Operating loss narrowed to RMB 0.5 billion from RMB 1.2 billion.", True),
        (-0.5, "CNY bn", "Operating loss narrowed to RMB 0.5 billion from RMB 1.2 billion.", True),
        (0.5, "CNY bn", "Operating loss narrowed to RMB 0.5 billion from RMB 1.2 billion.", False),
        (-1.2, "USD bn", "Revenue decreased for the three months ended June 30, 2025 by $1.2 billion.", True),
        # Positive values near a decline word that governs another figure, or none.
        (15, "%", "We benefited from a lower effective tax rate of 15%.", True),
        (-15, "%", "We benefited from a lower effective tax rate of 15%.", False),  # an adjective: a level
        (65, "%", "The loss ratio was 65% in the quarter.", True),
        (2.1, "USD bn", "Despite the decline in ad sales, revenue was $2.1 billion.", True),
        # A verb after a figure governs the figure after it, not this one.
        (10.2, "USD bn", "Net revenue of $10.2 billion declined 5% year over year.", True),
        (-10.2, "USD bn", "Net revenue of $10.2 billion declined 5% year over year.", False),
        (-5, "%", "Net revenue of $10.2 billion declined 5% year over year.", True),
        (5, "%", "Net revenue of $10.2 billion declined 5% year over year.", False),
        # A word of rise that governs a figure keeps the decline words of its clause from it.
        (-3, "%", "revenue fell 5% and margins rose 3%", False),
        (-3, "%", "revenue fell, with margins up 3%", False),
        (-3, "%", "revenue fell, with a 3% increase in margins", False),
        (-5, "%", "revenue fell 2% despite 5% growth in cloud", False),
        (-5, "%", "negative growth of 5%", True),  # "growth" governs only the figure before it
        # Levels: the figure after "to" or "from" of a word of change, negative only after a word of state.
        (-25, "%", "share fell to 25%", False),
        (-30, "%", "a share of 25%, down from 30%", False),
        (-25, "%", "a share of 25%, down from 30%", False),
        (-1.2, "USD bn", "revenue fell 5% to $1.2 billion", False),
        (-196, "CNY bn", "revenue of RMB 196 billion, down 2%", False),  # before the figure "down" governs
        (-5, "USD bn", "revenue of $5 billion fell", True),  # a decline word that governs no figure
        # Comparative columns: the prior year in parentheses after the current figure, ambiguous in sign.
        (287, "EUR million", "EBIT 312 (287) Mio. €", True),
        (-287, "EUR million", "EBIT 312 (287) Mio. €", True),
        (312, "EUR million", "EBIT 312 (287) Mio. €", True),
        (-312, "EUR million", "EBIT 312 (287) Mio. €", False),
        (1650.3, "EUR million", "Sales: EUR 1,842.5 million (1,650.3).", True),
        (-1650.3, "EUR million", "Sales: EUR 1,842.5 million (1,650.3).", True),
        (1650.3, "EUR million", "Umsatz 1.842,5 Mio. € (1.650,3)", True),
        (2, "years", "for a term of two (2) years", True),  # a number word restated in figures
        (16, "count", "operating income (16) in the quarter", False),  # after words: accounting parentheses
        (2.6, "USD bn", "net income 2024 (2.6)", False),  # after a year: accounting parentheses
    ],
)
def test_a_sign_is_written_by_the_words_that_govern_a_figure(value: float, unit: str, text: str, found: bool) -> None:
    assert appears(value, unit, text) is found


@pytest.mark.parametrize(
    ("value", "unit", "quote", "hint"),
    [
        (
            -10.2,
            "USD bn",
            "Net revenue of $10.2 billion declined 5% year over year.",
            "the value is negative but the quote writes '10.2 billion' with no minus, accounting parentheses or word "
            "of decline or outflow that applies to it ('declined' signs '5%')",
        ),
        (5, "%", "Net revenue of $10.2 billion declined 5% year over year.", "record it as -5"),
        (-312, "EUR million", "EBIT 312 (287) Mio. €", "with no minus"),
        (2.6, "USD bn", "net income (2.6)", "writes '(2.6)' as a negative (in accounting parentheses)"),
    ],
)
def test_the_hint_names_what_signs_a_figure(value: float, unit: str, quote: str, hint: str) -> None:
    assert not appears(value, unit, quote)
    assert hint in number_hint(value, unit, quote)


@pytest.mark.parametrize("value", [287, -287, 1650.3, -1650.3])
def test_the_hint_never_claims_a_sign_for_a_comparative_column(value: float) -> None:
    quote = "EBIT 312 (287) Mio. €; Sales: EUR 1,842.5 million (1,650.3)."
    wrong = value * 10  # a value the quote does not print, so the hint lists what it does
    assert appears(value, "EUR million", quote)
    assert "negative" not in number_hint(wrong, "EUR million", quote)


@pytest.mark.parametrize(
    ("words", "passage", "value"),
    [
        ("10.2 billion", "Net revenue of $10.2 billion declined 5% year over year.", 10.2),
        ("5%", "Net revenue of $10.2 billion declined 5% year over year.", -5),
        ("8%", "Operating income decreased by $1.2 billion, or 8%.", 8),
        ("1.2 billion", "Operating income decreased by $1.2 billion, or 8%.", -1.2),
        ("287", "EBIT 312 (287) Mio. €", 287),
        ("1,650.3", "Sales: EUR 1,842.5 million (1,650.3).", 1650.3),
        ("42.6", "Free cash flow (42.6) 63.9", -42.6),
        ("15%", "We benefited from a lower effective tax rate of 15%.", 15),
    ],
)
def test_quote_proposes_a_negative_only_for_a_figure_signed_negative(words: str, passage: str, value: float) -> None:
    proposed = observation(words, passage)
    assert proposed is not None
    assert proposed.value == value
