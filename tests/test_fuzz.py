"""Fuzzing: any YAML gives a validated thesis or a ThesisError, and any valid thesis a finite, bounded score.

Three kinds of loader input: text built from a grammar of YAML-ish fragments
(the characters and shapes that trip parsers: tabs, anchors, tags, flow
brackets, stray colons, document markers, odd scalars); the acme fixture's
real files mutated (bytes deleted, fragments inserted, lines swapped or
repeated); and arbitrary nested values in the places the models expect
them. Whatever loads is then verified and scored, so a value the models let
through cannot crash a later stage either.
"""

from __future__ import annotations

import datetime as dt
import math
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.builders import SOURCE_A, SOURCE_B, base_inputs
from thesis.errors import ThesisError
from thesis.inputs.loader import Loaded, load_texts
from thesis.inputs.models import TOP_LEVEL_KEYS, Thesis
from thesis.scoring.asof import as_of_view
from thesis.scoring.config import ScoringConfig, ScoringOverrides, merge
from thesis.scoring.score import score
from thesis.verify.quotes import verify

AS_OF = dt.date(2025, 9, 30)
TODAY = dt.date(2026, 1, 1)
FIELD_NAMES = sorted(
    {name for model in Thesis.model_fields for name in (model,)}
    | {"id", "title", "stance", "impact", "body", "evidence", "source", "quote", "credibility", "published"}
    | {"retrieved", "file", "reliability", "name", "value", "date", "period", "observations", "estimate", "basis"}
)
FRAGMENTS = [
    ": ",
    ":",
    "- ",
    "-",
    "\t",
    "  ",
    "\n",
    "\r\n",
    "#",
    "---",
    "...",
    "%YAML 1.1",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "!!int ",
    "!!bool ",
    "!!float ",
    "!!timestamp ",
    "!!null ",
    "!!seq ",
    "!!map ",
    "!!binary ",
    "!!python/object:os.system ",
    "!custom ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "|",
    ">",
    "@",
    "`",
    "\\",
    "\x00",
    "\x07",
    "\ufeff",
    "\u2028",
    "é",
    "😀",
    "~",
    "null",
    "yes",
    "no",
    "on",
    ".inf",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "1e400",
    "99999999999999999999999999",
    "-0",
    "2025-02-30",
    "2025-13-01",
    "2999-01-01",
    "0001-01-01",
    "2025-01-10T10:00:00Z",
    "sources/alpha.txt",
    "../../etc/passwd",
    "/etc/passwd",
    "alpha",
    "beta",
    "bull",
    "bear",
    "B",
    "3",
]
TOKENS = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(list(TOP_LEVEL_KEYS) + FIELD_NAMES),
    st.text(max_size=8),
)
LINES = st.builds(
    lambda indent, parts: " " * indent + "".join(parts),
    st.sampled_from([0, 0, 2, 4, 6, 1, 3]),
    st.lists(TOKENS, max_size=6),
)
GRAMMAR_TEXT = st.lists(LINES, max_size=25).map("\n".join)


def fixture_texts() -> dict[str, str]:
    return {
        f"inputs/acme/{name}.yaml": yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        for name, content in base_inputs().items()
    }


FIXTURE = fixture_texts()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A company folder holding the fixture's two archived sources."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "sources").mkdir()
    (root / "sources" / "alpha.txt").write_text(SOURCE_A, encoding="utf-8")
    (root / "sources" / "beta.txt").write_text(SOURCE_B, encoding="utf-8")
    return root


def load_and_use(documents: dict[str, str], folder: Path) -> Loaded | ThesisError:
    """Load; whatever loads is verified and scored. Only a ThesisError may come out of a bad input."""
    try:
        loaded = load_texts(documents, folder, today=TODAY)
    except ThesisError as error:
        event(f"error: {type(error).__name__}")
        assert error.exit_code == 2
        for problem in getattr(error, "problems", []):
            assert problem.message and problem.file in documents
        return error
    event("loaded")
    verify(loaded)
    card = score(as_of_view(loaded.thesis, AS_OF), AS_OF, merge(ScoringConfig(), loaded.thesis.scoring))
    assert math.isfinite(card.score) and -100 <= card.score <= 100
    return loaded


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=GRAMMAR_TEXT)
def test_any_yaml_ish_text_gives_a_thesis_or_a_thesis_error(text: str, folder: Path) -> None:
    load_and_use({**FIXTURE, "inputs/acme/extra.yaml": text}, folder)


@FUZZ
@given(text=GRAMMAR_TEXT, name=st.sampled_from(sorted(FIXTURE)))
def test_replacing_a_real_file_with_yaml_ish_text(text: str, name: str, folder: Path) -> None:
    load_and_use({**FIXTURE, name: text}, folder)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(FIXTURE)))
    text = FIXTURE[name]
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["delete", "insert", "replace", "swap", "repeat", "indent"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        elif kind == "insert":
            text = text[:at] + draw(TOKENS) + text[at:]
        elif kind == "replace":
            text = text[:at] + draw(TOKENS) + text[at + 1 :]
        elif kind == "swap" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind == "repeat":
            i = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])
        elif kind == "indent":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
            text = "\n".join(lines)
    return name, text


@FUZZ
@given(case=mutated())
def test_mutated_real_inputs_give_a_thesis_or_a_thesis_error(case: tuple[str, str], folder: Path) -> None:
    name, text = case
    load_and_use({**FIXTURE, name: text}, folder)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.text(max_size=20),
    st.sampled_from(["alpha", "beta", "bull", "bear", "2025-01-01", "sources/alpha.txt", "B", "restricted"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=5),
    max_leaves=20,
)


@st.composite
def spoiled_structure(draw: st.DrawFn) -> dict[str, str]:
    """The fixture with one value somewhere replaced by an arbitrary nested value."""
    inputs = base_inputs()
    key = draw(st.sampled_from(sorted(inputs)))
    node: Any = inputs[key]
    path: list[Any] = [key]
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        step = draw(st.sampled_from(sorted(node)) if isinstance(node, dict) else st.integers(0, len(node) - 1))
        path.append(step)
        node = node[step]
    parent: Any = inputs
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = draw(VALUES)
    return {
        f"inputs/acme/{name}.yaml": yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        for name, content in inputs.items()
    }


@FUZZ
@given(documents=spoiled_structure())
def test_any_value_in_any_place_gives_a_thesis_or_a_thesis_error(documents: dict[str, str], folder: Path) -> None:
    load_and_use(documents, folder)


# --- scoring: never NaN, never infinite, always within [-100, 100] -----------------------------------------

GRADES = st.sampled_from("ABCDEF")
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
FACTOR = st.floats(min_value=0, max_value=10)


@st.composite
def extreme_theses(draw: st.DrawFn) -> tuple[Thesis, dt.date]:
    n_sources = draw(st.integers(1, 4))
    sources = []
    for index in range(n_sources):
        published = draw(DATES)
        sources.append(
            {
                "id": f"s{index}",
                "title": "Source",
                "published": published,
                "retrieved": published,
                "file": f"sources/s{index}.txt",
                "reliability": draw(GRADES),
            }
        )
    citation = st.fixed_dictionaries(
        {
            "source": st.sampled_from([s["id"] for s in sources]),
            "quote": st.just("a quote"),
            "credibility": st.integers(1, 6),
        }
    )
    points = [
        {
            "id": f"p{index}",
            "stance": draw(st.sampled_from(["bull", "bear"])),
            "title": "Point",
            "category": draw(st.sampled_from(["cloud", "chips", "capital", "unlisted-category"])),
            "impact": draw(st.integers(1, 5)),
            "body": "Body.",
            "evidence": draw(st.lists(citation, min_size=1, max_size=3)),
        }
        for index in range(draw(st.integers(0, 12)))
    ]
    constraints = [
        {
            "id": f"c{index}",
            "item": "Item",
            "status": draw(st.sampled_from(["allowed", "approved", "licensed", "restricted", "blocked", "halted"])),
            "authority": "Rule",
            "effective": draw(DATES),
            "affects": ["training"],
            "severity": draw(st.integers(1, 5)),
            "evidence": draw(st.lists(citation, min_size=1, max_size=2)),
        }
        for index in range(draw(st.integers(0, 4)))
    ]
    thesis = Thesis.model_validate(
        {
            "company": {
                "name": "Fuzz Co",
                "tickers": [{"symbol": "FZ", "exchange": "X"}],
                "sector": "Test",
                "headquarters": "Here",
                "analyst": "Desk",
                "summary": "Fuzz.",
            },
            "sources": sources,
            "points": points,
            "constraints": constraints,
        }
    )
    return thesis, draw(DATES)


OVERRIDES = st.fixed_dictionaries(
    {},
    optional={
        "category_weights": st.dictionaries(st.sampled_from(["cloud", "chips", "capital"]), FACTOR, max_size=3),
        "default_category_weight": FACTOR,
        "reliability_factors": st.dictionaries(GRADES, FACTOR),
        "credibility_factors": st.dictionaries(st.sampled_from("123456"), FACTOR),
        "half_life_days": st.floats(min_value=1e-9, max_value=1000, exclude_min=False),
        "recency_floor": st.floats(min_value=0, max_value=1),
        "shrinkage": st.floats(min_value=0, max_value=10_000),
        "constraint_mode": st.sampled_from(["deduct", "cap"]),
        "constraint_weight": FACTOR,
        "cap_min_severity": st.integers(1, 5),
    },
)


@settings(max_examples=300, deadline=None)
@given(case=extreme_theses(), overrides=OVERRIDES)
def test_the_score_is_finite_and_within_bounds_for_any_valid_thesis_and_weights(
    case: tuple[Thesis, dt.date], overrides: dict[str, Any]
) -> None:
    thesis, as_of = case
    config = merge(ScoringConfig(), ScoringOverrides.model_validate(overrides))
    card = score(as_of_view(thesis, as_of), as_of, config)
    assert math.isfinite(card.score) and -100 <= card.score <= 100
    assert card.rating in {band.name for band in config.bands}
    for item in card.items:
        assert math.isfinite(item.raw) and math.isfinite(item.contribution), item
        assert 0 <= item.recency <= 1 or item.recency == config.recency_floor
    assert math.isfinite(sum(item.contribution for item in card.items))


# --- scale: a generated 100-point thesis renders (bench/scale.py measures the 1,000-point one) -------------


def _scale_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_scale", Path(__file__).parent.parent / "bench" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _PointArticles(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element_id = dict(attrs).get("id") or ""
        if tag == "article" and element_id.startswith("point-"):
            self.ids.append(element_id)


def test_a_generated_100_point_thesis_loads_verifies_and_renders(tmp_path: Path) -> None:
    from thesis.commands.render import render
    from thesis.project import Project

    scale = _scale_module()
    scale.generate(tmp_path, points=100, metrics=10, sources=10, constraints=3)
    result = render(Project(tmp_path), scale.COMPANY, scale.AS_OF, formats="html")
    assert result.warnings == [], "every generated quote is verbatim in its source"
    articles = _PointArticles()
    articles.feed(next(p for p in result.paths if p.suffix == ".html").read_text(encoding="utf-8"))
    assert len(articles.ids) == len(set(articles.ids)) == 100
    assert -100 <= result.score <= 100
