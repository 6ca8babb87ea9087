"""A metric's value is found in its quote only in the unit's currency and with its sign."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import add_gamma, base_inputs, copy_alibaba, write_project
from thesis.cli import cli
from thesis.verify.numbers import CURRENCIES, appears, mentions, parse_unit

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
    assert "the value is negative but the quote writes '16%' with no minus, parentheses or word of decline" in (
        result.output
    )
