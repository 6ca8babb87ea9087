"""Regenerate the golden files the tests compare against: ``python -m tests.regenerate`` (or ``make golden``).

Run it after a deliberate change to the templates, the CSS, the Alibaba
inputs, the scoring, the snapshot or the diff format, then review
``git diff tests/golden/`` before committing: the golden files are the record
of what changed in the output.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
DIFF_DATES = (dt.date(2025, 6, 30), dt.date(2026, 1, 31))
# The small company of tests/builders.py, rendered as of this date (also its "today", so no check depends on the clock).
SMALL_AS_OF = dt.date(2025, 9, 30)
SMALL_STEM = f"acme-{SMALL_AS_OF.isoformat()}"


def alibaba_diff() -> str:
    """The structured diff of the Alibaba thesis between two dates within its sources' range."""
    from thesis.diff.compare import diff_snapshots, snapshots_as_of
    from thesis.diff.output import diff_json
    from thesis.project import Project

    old, new = snapshots_as_of(Project(ROOT), "alibaba", *DIFF_DATES)
    return diff_json(diff_snapshots(old, new))


def small_company_outputs() -> dict[str, str]:
    """The brief's HTML and its JSON snapshot for the small company, through the render pipeline."""
    from tests.builders import write_project
    from thesis.commands.render import prepare
    from thesis.outputs.snapshot import dumps, snapshot
    from thesis.project import Project
    from thesis.render.brief import render_html

    with tempfile.TemporaryDirectory() as folder:
        write_project(Path(folder))
        project = Project(Path(folder))
        brief = prepare(project, "acme", SMALL_AS_OF, today=SMALL_AS_OF).brief
        return {"html": render_html(project, brief), "json": dumps(snapshot(brief))}


def small_company_html() -> str:
    return small_company_outputs()["html"]


def small_company_snapshot() -> str:
    return small_company_outputs()["json"]


DIFF_GOLDEN: dict[str, Callable[[], str]] = {
    f"alibaba-diff-{DIFF_DATES[0].isoformat()}-{DIFF_DATES[1].isoformat()}.json": alibaba_diff,
}
GOLDEN: dict[str, Callable[[], str]] = {
    **DIFF_GOLDEN,
    f"{SMALL_STEM}.html": small_company_html,
    f"{SMALL_STEM}.json": small_company_snapshot,
}


def main() -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    small = small_company_outputs()  # one render for both of its files
    produced = {f"{SMALL_STEM}.html": small["html"], f"{SMALL_STEM}.json": small["json"]}
    for name, produce in GOLDEN.items():
        path = GOLDEN_DIR / name
        text = produced[name] if name in produced else produce()
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        print(f"{'wrote' if changed else 'unchanged'} {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
