"""The small company's brief (HTML) and snapshot (JSON), compared with their golden files.

A failure means the rendered output changed. If the change is intended (a
template, the CSS, the scoring, the snapshot format), regenerate with
``make golden`` (``python -m tests.regenerate``) and review ``git diff tests/golden/``.
"""

from __future__ import annotations

import difflib
import json
from html.parser import HTMLParser

import pytest

from tests.regenerate import GOLDEN_DIR, SMALL_STEM, small_company_outputs

REGENERATE = "run `make golden` (python -m tests.regenerate) and review `git diff tests/golden/`"


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return small_company_outputs()


def _first_difference(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "rendered", n=1, lineterm="")
    return "\n".join(list(lines)[:40])


@pytest.mark.parametrize("suffix", ["html", "json"])
def test_small_company_output_matches_its_golden_file(outputs: dict[str, str], suffix: str) -> None:
    name = f"{SMALL_STEM}.{suffix}"
    expected = (GOLDEN_DIR / name).read_text(encoding="utf-8")
    actual = outputs[suffix]
    if actual != expected:
        pytest.fail(
            f"tests/golden/{name} differs from the rendered output; if intended, {REGENERATE}\n"
            + _first_difference(expected, actual)
        )


def test_the_golden_snapshot_records_the_brief() -> None:
    """What the golden snapshot says, in words, so a wrong golden file cannot pass review unnoticed."""
    data = json.loads((GOLDEN_DIR / f"{SMALL_STEM}.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2025-09-30"
    assert {p["id"] for p in data["points"]} == {"growth", "cash-burn"}
    assert [c["id"] for c in data["constraints"]] == ["chip-controls"]
    assert data["company"]["name"] == "Acme Holdings"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k == "id" and v)


def test_the_golden_html_shows_every_item() -> None:
    parser = _Ids()
    parser.feed((GOLDEN_DIR / f"{SMALL_STEM}.html").read_text(encoding="utf-8"))
    assert {"point-growth", "point-cash-burn", "metric-cloud-share", "constraint-chip-controls"} <= parser.ids
