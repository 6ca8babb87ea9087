"""A quote is found only on the source's word boundaries, with every number whole; short quotes warn."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import base_inputs, copy_alibaba, write_project
from thesis.cli import cli
from thesis.verify.quotes import SHORT_QUOTE, SourceIndex, is_cut

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("4% domestic market share", "already holds a 34% domestic market share in Q2"),
        ("40% in the year", "growth of 140% in the year"),
        ("53B pledge", "a $153B pledge"),
        ("53B pledge", "a $53B pledge"),  # the currency belongs to the number
        ("ew 1", "the new 1 GW site"),
        ("5 billion dollars", "spent 2.5 billion dollars"),
        ("5 billion dollars", "cash flow of -5 billion dollars"),
        ("$5 billion", "cash flow of -$5 billion"),
        ("234 units", "sold 1,234 units"),
        ("revenue of 2", "revenue of 2.5 billion"),
        ("revenue of 2.", "revenue of 2.5 billion"),
        ("share of 35", "a share of 35% in"),
        ("Cloud grew", "Acme Cloud grewth"),
        ("16) in the quarter", "operating income (16) in the quarter"),  # the parenthesis is the sign
        ("3.1) billion", "income from operations was RMB(3.1) billion"),
        ("$2.6) net", "a ($2.6) net loss"),
        ("(3.1) billion", "income from operations was RMB$(3.1) billion"),
        ("operating income (16", "operating income (16) in the quarter"),
        ("change (16.2)", "year-on-year change (16.2)% in"),
        ("287) Mio. €", "EBIT 312 (287) Mio. €"),  # a comparative column, included whole or left out
        ("EBIT 312 (287", "EBIT 312 (287) Mio. €"),
        ("1,650.3).", "Sales: EUR 1,842.5 million (1,650.3)."),
    ],
)
def test_a_quote_cutting_a_word_or_number_is_not_found(quote: str, source: str) -> None:
    index = SourceIndex(source)
    assert not index.contains(quote)
    assert index.cut_passage(quote) is not None


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("34% domestic market share", "already holds a 34% domestic market share in Q2"),
        ("2025 revenue", "the 2024-2025 revenue"),  # a range, not a sign
        ("$53B pledge", "a US$53B pledge"),
        ("holds a 34%", "holds a 34%."),
        ("平头哥", "T-Head (平头哥) semiconductor"),
        ("头哥", "平头哥"),  # each Chinese character is a word
        ("the cloud's best quarter", "the cloud\u2019s best\u00a0quarter"),
        ("end of 2.5", "at the end of 2.5. Next"),
        ("(16) in the quarter", "operating income (16) in the quarter"),
        ("RMB(3.1) billion", "income from operations was RMB(3.1) billion"),
        ("($2.6) net loss", "a ($2.6) net loss"),
        ("change (16.2)%", "year-on-year change (16.2)% in"),
        ("AWS (29%)", "lags behind AWS (29%) and Azure"),
        ("Qwen3 (April 2025", "Qwen3 (April 2025) spans"),  # a parenthesis that opens words, not a figure
        ("33.4 billion yuan in revenue) grew again", "Alibaba Cloud (33.4 billion yuan in revenue) grew again."),
        ("2024) results were strong", "in fiscal (2024) results were strong"),  # a year, not a figure's sign
        ("EBIT 312 (287) Mio. €", "EBIT 312 (287) Mio. €"),
        ("EBIT 312", "EBIT 312 (287) Mio. €"),
    ],
)
def test_a_quote_on_boundaries_is_found(quote: str, source: str) -> None:
    assert SourceIndex(source).contains(quote)


def test_a_later_whole_occurrence_is_found_after_a_cut_one() -> None:
    assert SourceIndex("a 140% rise, then 40% more").find("40% more") == 18


# Sources of whole words and numbers (signs, currency, separators, decimals, per cent), one space apart.
_TOKENS = st.one_of(
    st.from_regex(r"[A-Za-z]{1,5}", fullmatch=True),
    st.from_regex(r"[-+]?\$?[1-9]\d{0,2}(,\d{3})?(\.\d{1,2})?%?", fullmatch=True),
    st.from_regex(r"\$?\(\$?[1-9]\d{0,2}(,\d{3})?(\.\d{1,2})?\)%?", fullmatch=True),  # accounting negatives
)


def _is_run(words: list[str], tokens: list[str]) -> bool:
    return any(tokens[i : i + len(words)] == words for i in range(len(tokens) - len(words) + 1))


@given(st.lists(_TOKENS, min_size=1, max_size=12), st.data())
def test_the_quotes_found_are_exactly_the_runs_of_whole_words_and_numbers(
    tokens: list[str], data: st.DataObject
) -> None:
    source = " ".join(tokens)
    start = data.draw(st.integers(min_value=0, max_value=len(source) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(source)))
    quote = source[start:end]
    if quote != quote.strip():
        return
    assert SourceIndex(source).contains(quote) == _is_run(quote.split(" "), tokens)


@given(st.lists(_TOKENS, min_size=1, max_size=12), st.data())
def test_every_run_of_whole_tokens_is_found(tokens: list[str], data: st.DataObject) -> None:
    first = data.draw(st.integers(min_value=0, max_value=len(tokens) - 1))
    last = data.draw(st.integers(min_value=first + 1, max_value=len(tokens)))
    assert SourceIndex("\n".join(tokens)).contains(" ".join(tokens[first:last]))


def test_a_quote_inside_a_larger_number_fails_check_on_the_real_inputs(chdir: Path) -> None:
    metrics = copy_alibaba(chdir) / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    original = """      - value: 34
        period: "Q2 2025"
        source: ai-play-blog
        quote: "Alibaba's cloud business already holds a 34% domestic market share in Q2 2025\""""
    assert original in text
    metrics.write_text(
        text.replace(
            original,
            original.replace("value: 34", "value: 4").replace(
                "Alibaba's cloud business already holds a 34% domestic", "4% domestic"
            ),
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "alibaba", "--strict"])
    assert result.exit_code == 1, result.output
    assert "quote cuts a word or number of source 'ai-play-blog'" in result.output
    assert 'the source has "34% domestic market share in Q2 2025"' in result.output


def test_a_short_quote_is_a_warning_and_fails_strict(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "revenue 40%"
    assert len("revenue 40%") < SHORT_QUOTE
    write_project(chdir, inputs)
    plain = CliRunner().invoke(cli, ["check", "acme"])
    assert plain.exit_code == 0, plain.output
    assert "warning: inputs/acme/points.yaml" in plain.output
    assert "quote 'revenue 40%' is only 11 characters long (under 12)" in plain.output
    strict = CliRunner().invoke(cli, ["check", "acme", "--strict"])
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    ("text", "at", "cut"),
    [
        ("Alibaba Cloud (33.4 billion yuan in revenue) grew again.", 15, True),  # inside an aside
        ("revenue (2024) grew", 9, True),  # inside a year's parentheses
        ("revenue (2024) grew", 13, True),
        ("operating income (16) in the quarter", 18, False),  # inside accounting parentheses
        ("operating income (16) in the quarter", 20, False),
        ("operating income (16) in the quarter", 17, True),  # at them: the quote includes them
        ("EBIT 312 (287) Mio. €", 10, False),  # inside a comparative column
        ("EBIT 312 (287) Mio. €", 13, False),
        ("EBIT 312 (287) Mio. €", 9, True),
        ("operating income $(1,234) net", 18, False),  # between the currency mark and its parenthesis
    ],
)
def test_a_quote_cuts_at_parentheses_around_a_figure_alone_as_numbers_reads_them(text: str, at: int, cut: bool) -> None:
    assert is_cut(text, at) is cut
