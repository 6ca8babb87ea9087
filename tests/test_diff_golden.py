"""The Alibaba diff between two fixed dates, compared with its golden file.

A failure here means the diff's output changed. If the change is intended
(new inputs, new scoring, a new field), regenerate with ``make golden``
(``python -m tests.regenerate``) and review ``git diff tests/golden/``.
"""

from __future__ import annotations

import json

import pytest

from tests.regenerate import DIFF_GOLDEN, GOLDEN_DIR


@pytest.mark.parametrize("name", sorted(DIFF_GOLDEN))
def test_output_matches_its_golden_file(name: str) -> None:
    expected = (GOLDEN_DIR / name).read_text(encoding="utf-8")
    actual = DIFF_GOLDEN[name]()
    assert json.loads(actual) == json.loads(expected), f"{name} changed; if intended, run `make golden` and review"
    assert actual == expected  # and byte for byte: canonical JSON


def test_the_golden_alibaba_diff_tells_the_story() -> None:
    """What the golden file records, in words: a reader can check these against the brief."""
    data = json.loads((GOLDEN_DIR / "alibaba-diff-2025-06-30-2026-01-31.json").read_text(encoding="utf-8"))
    assert (data["rating"]["old"], data["rating"]["new"]) == ("Overweight", "Neutral")
    assert data["material"][0]["type"] == "rating"
    assert "us-h200-approval" in {m.get("id") for m in data["material"]}
    score = data["score"]
    assert sum(round(v * 10**6) for v in score["attribution"].values()) == round(score["change"] * 10**6)
    assert score["attribution"]["added"] < 0 < score["attribution"]["edits"]
