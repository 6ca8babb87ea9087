"""Every example in docs/verification.md is what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thesis.verify.numbers import appears
from thesis.verify.quotes import SourceIndex

DOC = Path(__file__).resolve().parent.parent / "docs" / "verification.md"


def _table(header: str) -> list[list[str]]:
    """The rows of the table whose header line is ``header``, as cells."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(header) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


QUOTES = _table("| quote | source text | found |")
NUMBERS = _table("| value | unit | quote | matches |")


def test_the_tables_are_there() -> None:
    assert len(QUOTES) >= 10 and len(NUMBERS) >= 20


@pytest.mark.parametrize(("quote", "source", "found"), QUOTES)
def test_quote_examples(quote: str, source: str, found: str) -> None:
    assert SourceIndex(source).contains(quote) is (found == "yes")


@pytest.mark.parametrize(("value", "unit", "quote", "found"), NUMBERS)
def test_number_examples(value: str, unit: str, quote: str, found: str) -> None:
    assert appears(float(value), unit, quote) is (found == "yes")


def test_the_short_quote_limit_is_the_documented_one() -> None:
    from thesis.verify.quotes import SHORT_QUOTE

    assert re.search(rf"A quote under {SHORT_QUOTE} characters is a warning", DOC.read_text(encoding="utf-8"))
