"""What may reach a terminal: text from files, with its control characters made visible.

A source text, a snapshot from elsewhere or an input file can hold escape
sequences (ESC ] 0; … BEL retitles the window; others rewrite the screen) or
bidirectional controls that make a line read differently from what it holds.
Everything the command line prints passes through :func:`printable`, which
leaves line breaks and tabs alone and writes every other control character
as a visible escape such as ``\\x1b`` or ``\\u202e`` (``\\u`` from DEL up, so that
JSON output stays the same JSON).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from typing import Any

# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional controls
# (ALM U+061C, LRM/RLM U+200E-F, embeddings and overrides U+202A-E, isolates U+2066-9).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    # \u form from DEL up: inside a JSON string (where json.dumps already escaped C0) it is a valid escape
    # of the same character, so printable() of JSON output is still the same JSON.
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x7F else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character but line feed and tab written as a visible escape."""
    return CONTROL.sub(_escape, text)


def printable_data(value: Any) -> Any:
    """:func:`printable` applied to every text in JSON-like data (mappings, lists, strings)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {printable_data(k): printable_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [printable_data(v) for v in value]
    return value


def aligned(rows: Sequence[Sequence[str]], right: Container[int]) -> list[str]:
    """``rows`` (the header first) as lines of columns two spaces apart, each as wide as its widest cell;
    the columns whose index is in ``right`` (numbers) aligned right, the others left. Trailing spaces stay."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return [
        "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
