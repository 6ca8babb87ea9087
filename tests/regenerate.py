"""Regenerate the golden files the tests compare against: ``python -m tests.regenerate`` (or ``make golden``).

Run it after a deliberate change to the Alibaba inputs, the scoring or the
diff format, then review ``git diff tests/golden/`` before committing: the
golden files are the record of what changed in the output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
DIFF_DATES = (dt.date(2025, 6, 30), dt.date(2026, 1, 31))


def alibaba_diff() -> str:
    """The structured diff of the Alibaba thesis between two dates within its sources' range."""
    from thesis.diff.compare import diff_snapshots, snapshots_as_of
    from thesis.diff.output import diff_json
    from thesis.project import Project

    old, new = snapshots_as_of(Project(ROOT), "alibaba", *DIFF_DATES)
    return diff_json(diff_snapshots(old, new))


GOLDEN: dict[str, Callable[[], str]] = {
    f"alibaba-diff-{DIFF_DATES[0].isoformat()}-{DIFF_DATES[1].isoformat()}.json": alibaba_diff,
}


def main() -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, produce in GOLDEN.items():
        path = GOLDEN_DIR / name
        text = produce()
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        print(f"{'wrote' if changed else 'unchanged'} {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
