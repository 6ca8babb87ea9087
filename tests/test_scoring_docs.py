"""docs/scoring.md documents every scoring knob, and the README links to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from thesis.scoring.config import ConfidenceConfig, ScoringConfig, SensitivityConfig

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("model", [ScoringConfig, ConfidenceConfig, SensitivityConfig])
def test_every_knob_is_documented(model: type[BaseModel]) -> None:
    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"| `{name}` |" not in text]
    assert missing == []


def test_the_readme_links_to_the_scoring_reference() -> None:
    assert "docs/scoring.md" in (ROOT / "README.md").read_text(encoding="utf-8")
