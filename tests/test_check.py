"""`thesis check`: each check catches what it should, and the real inputs pass."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import SOURCE_A, SOURCE_B, add_gamma, base_inputs, write_project
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.verify.disagreement import period_key
from thesis.verify.numbers import appears, mentions
from thesis.verify.quotes import SourceIndex

ROOT = Path(__file__).resolve().parent.parent

SOURCE_GAMMA = (
    "Acme's cloud revenue rose 35% in 2024, the company said.\nOther estimates put growth at 39% for the year.\n"
)


def check(project: Path, inputs: dict[str, Any] | None = None, *options: str, **raw: str) -> Result:
    """Write the acme project (``inputs`` defaults to the base fixture) and run `thesis check acme`.

    The fixture's sources date from 2025, so by the clock its constraint grows stale; these tests judge
    the inputs, not their age, so the stale age is set out of reach (unless the inputs give a scoring block).
    """
    inputs = copy.deepcopy(inputs if inputs is not None else base_inputs())
    inputs.setdefault("scoring", {"scoring": {"constraint_stale_days": 36_500}})
    write_project(project, inputs, raw={f"sources/{name}.txt": text for name, text in raw.items()})
    return CliRunner().invoke(cli, ["check", "acme", *options])


def growth_metric(*observations: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "cloud-growth",
        "name": "Cloud revenue growth",
        "unit": "%",
        "higher_is_better": True,
        "observations": list(observations),
    }


def test_clean_inputs_pass(chdir: Path) -> None:
    result = check(chdir, None, "--strict")
    assert result.exit_code == 0, result.output
    assert "acme: ok (strict): 0 errors, 0 warnings, 0 info" in result.output


def test_a_mutated_quote_shows_the_nearest_passage(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "Acme Cloud grew revenue 45% in 2024"
    result = check(chdir, inputs)
    assert result.exit_code == 1
    assert "error: inputs/acme/points.yaml:" in result.output
    assert "points[0].evidence[0].quote [growth]: quote not found in source 'alpha'" in result.output
    hint = re.search(
        r"fix: nearest passage \((\d+)% similar, at inputs/acme/sources/alpha.txt:1\): \"(.*?)\"", result.output
    )
    assert hint is not None, result.output
    assert int(hint[1]) >= 90
    assert hint[2].startswith("Acme Cloud grew revenue 40% in 2024")
    assert 'the quote has "45" where the source has "40"' in result.output


def test_a_quote_from_another_source_names_it(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][1]["evidence"][0]["quote"] = "a 30% share of the domestic cloud market"
    result = check(chdir, inputs)
    assert result.exit_code == 1
    assert "the quote is in source 'alpha': cite that source instead of 'beta'" in result.output


def test_an_unrelated_quote_says_nothing_is_close(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "Bananas orbit the moon every Tuesday"
    result = check(chdir, inputs)
    assert result.exit_code == 1
    assert "no passage of alpha is close" in result.output and "check the source id" in result.output


def test_a_wrong_number_is_an_error(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["metrics"]["metrics"][0]["observations"][0]["value"] = 31
    result = check(chdir, inputs)
    assert result.exit_code == 1
    assert "error: inputs/acme/metrics.yaml:" in result.output
    assert "metrics[0].observations[0].value [cloud-share]: value 31 (%) is not in its quote" in result.output
    assert "fix: the quote writes '30%'" in result.output


def test_a_number_written_with_a_scale_and_a_sign_matches(chdir: Path) -> None:
    inputs = base_inputs()
    cash = {
        "id": "free-cash-flow",
        "name": "Free cash flow",
        "unit": "USD bn",
        "higher_is_better": True,
        "observations": [
            {"value": -5, "period": "2024", "source": "beta", "quote": "negative at -5 billion dollars in 2024"}
        ],
    }
    inputs["metrics"]["metrics"].append(cash)
    assert check(chdir, inputs, "--strict").exit_code == 0
    cash["unit"] = "USD m"
    result = check(chdir, inputs)
    assert result.exit_code == 1
    assert "the quote writes '5 billion', a different scale from the unit 'USD m'" in result.output


def test_an_unused_source_is_a_warning(chdir: Path) -> None:
    inputs = add_gamma(base_inputs())
    lenient = check(chdir, inputs, gamma=SOURCE_GAMMA)
    assert lenient.exit_code == 0, lenient.output
    assert "warning: inputs/acme/sources.yaml:" in lenient.output
    assert "sources[2].id [gamma]: source 'gamma' is not cited by any point, metric or constraint" in lenient.output
    assert CliRunner().invoke(cli, ["check", "acme", "--strict"]).exit_code == 1


def test_an_unknown_source_cannot_be_read(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["source"] = "alpah"
    result = check(chdir, inputs)
    assert result.exit_code == 2
    assert "inputs/acme/points.yaml:" in result.output
    assert "unknown source 'alpah'" in result.output and "did you mean 'alpha'?" in result.output
    assert "Traceback" not in result.output


def duplicate_metric_id(inputs: dict[str, Any]) -> str:
    inputs["metrics"]["metrics"][0]["id"] = "growth"
    return "metrics[0].id: duplicate id 'growth' (also in points)"


def value_as_text(inputs: dict[str, Any]) -> str:
    inputs["metrics"]["metrics"][0]["observations"][0]["value"] = "30%"
    return "metrics[0].observations[0].value: write the value as a plain number"


def duplicate_source_id(inputs: dict[str, Any]) -> str:
    inputs["sources"]["sources"][1]["id"] = "alpha"
    return "sources[1].id: duplicate source id 'alpha'"


@pytest.mark.parametrize("mutate", [duplicate_metric_id, value_as_text, duplicate_source_id])
def test_schema_and_id_errors_cannot_be_read(chdir: Path, mutate: Any) -> None:
    inputs = base_inputs()
    expected = mutate(inputs)
    result = check(chdir, inputs)
    assert result.exit_code == 2
    assert re.search(r"inputs/acme/\w+\.yaml:\d+ " + re.escape(expected), result.output), result.output
    assert "Traceback" not in result.output


def test_an_observation_dated_after_its_source_fails(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["metrics"]["metrics"][0]["observations"][0]["date"] = "2025-03-01"  # alpha: 2025-01-10
    result = check(chdir, inputs)
    assert result.exit_code == 1
    assert (
        "error: inputs/acme/metrics.yaml:" in result.output
        and "metrics[0].observations[0].date [cloud-share]: dated 2025-03-01, after its source 'alpha' "
        "was published (2025-01-10)"
        in result.output
    )


def test_an_observation_after_an_estimated_source_date_is_a_warning(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["metrics"]["metrics"].append(
        growth_metric({"value": -5, "date": "2025-07-01", "source": "beta", "quote": "-5 billion dollars in 2024"})
    )
    inputs["metrics"]["metrics"][1]["unit"] = "USD bn"
    lenient = check(chdir, inputs)
    assert lenient.exit_code == 0, lenient.output
    assert "warning:" in lenient.output and "(c. 2025-06-01)" in lenient.output
    assert "move its estimated publication date" in lenient.output
    assert CliRunner().invoke(cli, ["check", "acme", "--strict"]).exit_code == 1


def test_a_source_dated_in_the_future_cannot_be_read(chdir: Path) -> None:
    inputs = base_inputs()
    future = dt.date.today() + dt.timedelta(days=30)
    inputs["sources"]["sources"][0]["published"] = future.isoformat()
    inputs["sources"]["sources"][0]["retrieved"] = future.isoformat()
    result = check(chdir, inputs)
    assert result.exit_code == 2
    assert "inputs/acme/sources.yaml:" in result.output and "sources[0].published" in result.output
    assert future.isoformat() in result.output
    assert "Traceback" not in result.output


def test_a_contradiction_is_reported_as_info_and_passes(chdir: Path) -> None:
    inputs = add_gamma(base_inputs())
    inputs["metrics"]["metrics"].append(
        growth_metric(
            {"value": 40, "period": "2024", "source": "alpha", "quote": "grew revenue 40% in 2024"},
            {"value": 35, "period": "FY 2024", "source": "gamma", "quote": "revenue rose 35% in 2024"},
        )
    )
    different_periods = check(chdir, inputs, "--strict", gamma=SOURCE_GAMMA)
    assert different_periods.exit_code == 0, different_periods.output
    assert "0 info" in different_periods.output  # calendar 2024 and fiscal 2024 are different periods
    inputs["metrics"]["metrics"][1]["observations"][1]["period"] = "2024 (full year)"
    result = check(chdir, inputs, "--strict", gamma=SOURCE_GAMMA)
    assert result.exit_code == 0, result.output
    assert "info: inputs/acme/metrics.yaml:" in result.output
    assert "[cloud-growth]: observations disagree: 40 % (alpha, observations[0]) vs 35 % (gamma, observations[1])" in (
        result.output
    )
    assert "acme: ok (strict): 0 errors, 0 warnings, 1 info" in result.output


def test_undated_observations_from_two_sources_are_compared(chdir: Path) -> None:
    inputs = add_gamma(base_inputs())
    inputs["metrics"]["metrics"].append(
        growth_metric(
            {"value": 40, "period": "not stated", "source": "alpha", "quote": "grew revenue 40% in 2024"},
            {"value": 35, "period": "recent", "source": "gamma", "quote": "revenue rose 35% in 2024"},
        )
    )
    result = check(chdir, inputs, gamma=SOURCE_GAMMA)
    assert result.exit_code == 0
    assert "observations disagree: 40 % (alpha, observations[0]) vs 35 % (gamma, observations[1]) for no date" in (
        result.output
    )
    within_tolerance = {"value": 39, "period": "recent", "source": "gamma", "quote": "growth at 39% for the year"}
    inputs["metrics"]["metrics"][1]["observations"][1] = within_tolerance
    result = check(chdir, inputs, gamma=SOURCE_GAMMA)
    assert result.exit_code == 0 and "observations disagree" not in result.output


def test_json_report_is_stable_and_complete(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["metrics"]["metrics"][0]["observations"][0]["value"] = 31
    result = check(chdir, inputs, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) == {"company", "ok", "strict", "counts", "problems"}
    assert report["company"] == "acme" and report["ok"] is False and report["strict"] is False
    assert report["counts"]["errors"] == 1 and report["counts"]["quotes"] == 4 and report["counts"]["sources"] == 2
    (problem,) = report["problems"]
    assert problem == {
        "file": "inputs/acme/metrics.yaml",
        "line": problem["line"],
        "path": "metrics[0].observations[0].value",
        "item": "cloud-share",
        "severity": "error",
        "message": "value 31 (%) is not in its quote",
        "hint": problem["hint"],
    }
    assert isinstance(problem["line"], int) and "'30%'" in problem["hint"]
    assert CliRunner().invoke(cli, ["check", "acme", "--format", "json"]).output == result.output


def test_json_report_for_unreadable_inputs(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["source"] = "nope"
    result = check(chdir, inputs, "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["counts"]["errors"] >= 1
    assert any("unknown source 'nope'" in p["message"] for p in report["problems"])


def test_real_inputs_pass_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "alibaba", "--strict", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["counts"]["errors"] == 0 and report["counts"]["warnings"] == 0
    assert report["counts"]["quotes"] >= 150 and report["counts"]["metrics"] >= 15
    # The capex pledge printed as both 380 and 38 billion yuan in one article is a finding, not a failure.
    assert any(
        p["severity"] == "info"
        and p["item"] == "ai-capex-pledge-cny"
        and "380" in p["message"]
        and "38 " in p["message"]
        for p in report["problems"]
    )


def test_the_brief_marks_each_claim_and_gives_each_source_hash(chdir: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "Acme Cloud grew revenue 45% in 2024"
    write_project(chdir, inputs)
    project = Project(chdir)
    html = render_html(project, prepare(project, "acme", dt.date(2025, 9, 30)).brief)
    unverified = re.findall(r'<li class="citation unverified">(.*?)</li>', html, re.S)
    assert len(unverified) == 1 and "grew revenue 45%" in unverified[0]
    verified = re.findall(r'<li class="citation">(.*?)</li>', html, re.S)
    assert any("free cash flow turned negative" in c and "verified" in c for c in verified)
    for text in (SOURCE_A, SOURCE_B):
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() in html


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (53, "USD bn", "a $53B+ AI investment pledge"),
        (53, "USD bn", "a plan worth 53 billion"),
        (53, "USD bn", "380 billion yuan (~$53 billion)"),
        (380, "CNY bn", "380 billion yuan"),
        (380, "CNY bn", "a capital expenditure of 380 billion on AI"),
        (35, "%", "~35% China cloud market share"),
        (35, "%", "a share of 35 per cent"),
        (150, "million", "~150M monthly active users"),
        (150_000_000, "count", "~150M monthly active users"),
        (-21.8, "CNY bn", "a RMB 21.8 billion outflow"),
        (-2.6, "USD bn", "changed by -2.6 in the quarter"),
        (23_000, "count", "the nearly 23,000 chips installed"),
        (1.5, "USD tn", "worth 1.5 trillion"),
        (1_500, "USD bn", "worth 1.5 trillion"),
        (6, "quarters", "triple-digit growth for six consecutive quarters"),
        (9, "quarters", "for the ninth consecutive quarter"),
        (5, "x", "five times 2022 levels"),
        (10, "x", "energy consumption up tenfold by 2032"),
        (25, "count", "twenty-five models"),
        (1, "USD tn", "over one trillion parameters"),
        (1, "trillion parameters", "a trillion-parameter large language model"),
        (16.9, "thousand", "surpassed 16.9k stars"),
        (31.742, "CNY bn", "revenue of 31.742 billion yuan"),
    ],
)
def test_number_formats_are_found(value: float, unit: str, text: str) -> None:
    assert appears(value, unit, text)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (53, "USD bn", "53 million"),  # scale disagrees with the unit
        (72, "count", "about 72% of the chips"),  # a percentage is not a count
        (20, "count", "4 H20s"),  # part of a name
        (3, "count", "Qwen3 launched"),
        (26, "%", "26.1%"),  # no rounding
        (31.7, "CNY bn", "31.742 billion"),
        (3, "count", "Q3 2025"),
        (2.6, "USD bn", "changed by -2.6 in the quarter"),  # a positive value, a printed minus
    ],
)
def test_lookalikes_are_not_found(value: float, unit: str, text: str) -> None:
    assert not appears(value, unit, text)


_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[float, str, str]:
    """A value, its metric unit, and the value written one of the ways sources write it."""
    whole = draw(st.integers(min_value=0, max_value=9_999_999))
    cents = draw(st.integers(min_value=0, max_value=99))
    value = whole + cents / 100
    plain = f"{whole}.{cents:02d}" if cents else str(whole)
    grouped = f"{whole:,}.{cents:02d}" if cents else f"{whole:,}"
    forms = [
        ("USD bn", f"${plain}B"),
        ("USD bn", f"{grouped} billion"),
        ("CNY bn", f"RMB {grouped} billion"),
        ("CNY bn", f"{plain} billion yuan"),
        ("USD bn", f"US${plain}bn"),
        ("%", f"~{plain}%"),
        ("%", f"{plain} percent"),
        ("million", f"{plain}M"),
        ("million", f"{grouped} million"),
        ("count", grouped),
        ("count", plain),
    ]
    if cents == 0 and 1 <= whole <= len(_WORDS):
        forms.append(("quarters", _WORDS[whole - 1]))
        forms.append(("x", f"{_WORDS[whole - 1]} times"))
    unit, written = draw(st.sampled_from(forms))
    if draw(st.booleans()):  # a negative value, written with a minus or a word of decline
        return -value, unit, draw(st.sampled_from([f"-{plain}", f"a fall of {written}", f"{written} lower"]))
    return value, unit, written


@given(written_numbers(), st.sampled_from(["The figure was {}.", "{} in the quarter", "about {}, analysts said"]))
def test_a_written_number_is_found(written: tuple[float, str, str], sentence: str) -> None:
    value, unit, text = written
    assert appears(value, unit, sentence.format(text))


@given(written_numbers(), st.integers(min_value=1, max_value=1_000_000))
def test_a_different_number_is_not_found(written: tuple[float, str, str], delta_cents: int) -> None:
    value, unit, text = written
    other = abs(value) + delta_cents / 100
    assert not appears(other, unit, f"The figure was {text}.")
    assert not appears(-other, unit, f"The figure was {text}.")


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=200))
def test_mentions_never_fail_on_any_text(text: str) -> None:
    for mention in mentions(text):
        assert mention.number >= 0 and text[mention.start :].startswith(mention.text[:1])


# ------------------------------------------------------------------ quotes and periods


@given(st.data())
def test_every_passage_of_a_source_is_its_own_nearest(data: st.DataObject) -> None:
    index = SourceIndex(SOURCE_A)
    start = data.draw(st.integers(min_value=0, max_value=len(index.words) - 1))
    length = data.draw(st.integers(min_value=1, max_value=12))
    quote = " ".join(index.words[start : start + length])
    assert index.contains(quote)
    passage = index.nearest(quote)
    assert passage.similarity == 1.0 and passage.text == quote and not passage.differences


@pytest.mark.parametrize(
    ("period", "key"),
    [
        ("Q3 2025", "2025-Q3"),
        ("Q2 2025 (reported Aug 2025)", "2025-Q2"),
        ("2025 Q1", "2025-Q1"),
        ("2H 2024", "2024-H2"),
        ("H1 2025", "2025-H1"),
        ("FY2026E", "FY2026"),
        ("Sep 2025", "2025-09"),
        ("September 2025", "2025-09"),
        ("2030E", "2030"),
        ("most recent quarter before Sep 2025", None),
        ("3 years from Feb 2025", "2025-02+3y"),
        ("Qwen3 launch, Apr 2025", None),
        (None, None),
    ],
)
def test_period_keys(period: str | None, key: str | None) -> None:
    assert period_key(period) == key
