"""A diff for people and programs: terminal text, JSON, and an HTML or PDF diff brief.

Every form leads with what matters (rating change, constraint changes,
flipped points), then counts, then details. Colour is never the only cue: the
terminal without colour marks words as ``[-old-]{+new+}``, and the diff brief
strikes through and underlines as well as colouring.

The terminal form takes a ``style`` function (``click.style`` from the command
line) so this module does not import click; without one it writes plain text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from thesis.diff.attribution import GROUPS, UNEXPLAINED
from thesis.diff.compare import has_differences
from thesis.diff.model import (
    Change,
    Diff,
    Figure,
    ItemKind,
    ItemSummary,
    Material,
    ScenariosChange,
    TextChange,
    Transition,
    WindowChange,
)
from thesis.diff.redline import Segment, marked
from thesis.figures import number, page_locator, signed, signed_percent
from thesis.outputs.files import write_atomic
from thesis.project import Project

Style = Callable[..., str]
_ONE_LINE = re.compile(r"\s+")

GROUP_LABELS = {
    "added": "added items",
    "removed": "removed items",
    "edits": "edits and re-grades",
    "time_decay": "time decay",
    "configuration": "configuration",
    UNEXPLAINED: "unexplained (different scoring)",
}
CHANGE_LABELS = {
    "text": "reworded",
    "stance-flipped": "stance flipped",
    "re-weighted": "re-weighted",
    "re-graded": "re-graded",
    "citation-added": "citation added",
    "citation-removed": "citation removed",
    "status": "status",
    "unit-changed": "unit changed",
    "value-changed": "value",
    "period-changed": "period changed",
    "observation-added": "observation added",
    "observation-removed": "observation removed",
    "citation-page": "page changed",
    "history-added": "status reported",
    "history-removed": "status withdrawn",
    "field": "changed",
    "slipped": "slipped",
    "brought-forward": "brought forward",
}
KIND_LABELS: dict[ItemKind, str] = {
    "company": "company",
    "point": "points",
    "constraint": "constraints",
    "metric": "metrics",
    "source": "sources",
    "catalyst": "catalysts",
    "kill-criterion": "kill criteria",
}
MATERIAL_LABELS = {
    "rating": "Rating",
    "constraint-added": "Constraint added",
    "constraint-removed": "Constraint removed",
    "constraint-status": "Constraint status",
    "constraint-severity": "Constraint severity",
    "stance-flipped": "Stance flipped",
    "kill-criterion-tripped": "Kill criterion tripped",
    "kill-criterion-cleared": "Kill criterion cleared",
    "catalyst-resolved": "Catalyst resolved",
    "catalyst-overdue": "Catalyst overdue",
    "catalyst-slipped": "Catalyst slipped",
    "scenario-tilt": "Scenario tilt",
}
ARROW = "\u2192"


def diff_json(diff: Diff) -> str:
    """The structured diff as canonical JSON (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(diff, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else signed(value, 1) + "%"


def _plain(text: str, **_: Any) -> str:
    return text


def segments_of(change: TextChange) -> list[Segment]:
    segments: list[Segment] = []
    for op, text in change.get("redline", []):
        if op not in ("equal", "delete", "insert"):
            raise ValueError(f"unknown redline operation {op!r}")
        segments.append((op, text))  # type: ignore[arg-type]  # checked just above
    return segments


def redline_text(segments: list[Segment], style: Style | None) -> str:
    """A redline for the terminal on one line: coloured with a style, else ``[-old-]{+new+}``.

    A paragraph's line breaks are spaces here (a reader cannot see them in the brief either)."""
    segments = [(op, _ONE_LINE.sub(" ", text)) for op, text in segments]
    if style is None:
        return marked(segments)
    parts = []
    for op, text in segments:
        if op == "equal":
            parts.append(text)
        elif op == "delete":
            parts.append(style(text, fg="red", strikethrough=True))
        else:
            parts.append(style(text, fg="green", underline=True))
    return "".join(parts)


def _figure(value: float | None) -> str:
    """A metric value as the brief writes it (``1,251.6``, ``−18.3``), to six decimals so no digit is lost."""
    return "no value" if value is None else number(value, 6)


def pages_text(pages: list[int] | None) -> str:
    """A citation's pages as the brief prints them ("p. 3", "pp. 3–4"); "no page" for a source without pages."""
    return page_locator((pages[0], pages[1])) if pages else "no page"


def versions_text(change: TextChange | WindowChange) -> str:
    """Which versions a reworded text compares ("version of 2026-03-19 → 2026-11-18"); "" when not known or when
    both sides date the same version (a plain text edited in place)."""
    if change.get("old_written") == change.get("new_written"):  # unknown, or one version edited in place
        return ""
    old = change.get("old_written") or ("none" if change["old"] is None else "undated")
    new = change.get("new_written") or ("none" if change["new"] is None else "undated")
    return f"version of {old} {ARROW} {new}"


def change_text(change: Change, style: Style | None = None) -> str:
    """One change, on one line (a text change shows its redline)."""
    label = CHANGE_LABELS.get(change["change"], change["change"])
    if change["change"] == "text":
        versions = versions_text(change)
        field = f"{change['field']} {change['entry']}" if "entry" in change else change["field"]
        field = f"{field} ({versions})" if versions else field
        if "redline" in change:
            return f"{field}: {redline_text(segments_of(change), style)}"
        return f"{field}: {change['old']!r} {ARROW} {change['new']!r}"
    if change["change"] == "citation-added" or change["change"] == "citation-removed":
        where = "" if change["field"] == "citations" else f" ({change['field']})"
        return f"{label}{where}: [{change['source']}] \u201c{change['quote']}\u201d"
    if change["change"] == "citation-page":
        old, new = pages_text(change["old"]), pages_text(change["new"])
        return f"{label}: [{change['source']}] \u201c{change['quote']}\u201d: {old} {ARROW} {new}"
    if change["change"] == "history-added" or change["change"] == "history-removed":
        note = f" ({change['note']})" if change["note"] else ""
        return f"{label}: {change['status']} from {change['effective']}{note}"
    if change["change"] == "re-graded" and change["field"] in ("citations.grade", "basis.grade"):
        return f"{label}: [{change['source']}] {change['old']} {ARROW} {change['new']}"
    if change["change"] == "value-changed":
        old, new = _figure(change["old"]), _figure(change["new"])
        return (
            f"{label} {change['period']} [{change['source']}]: {old} {ARROW} {new} "
            f"({signed(change['delta'], 3, trim=True)}, {_percent(change['percent'])})"
        )
    if change["change"] == "observation-added" or change["change"] == "observation-removed":
        return f"{label}: {_figure(change['value'])} {change['period']} [{change['source']}]"
    if change["change"] == "period-changed":
        return f"{label} [{change['source']}]: {change['old']} {ARROW} {change['new']}"
    if change["change"] == "slipped" or change["change"] == "brought-forward":
        versions = versions_text(change)
        return f"{label}: {change['old']} {ARROW} {change['new']}" + (f" ({versions})" if versions else "")
    if change["change"] in ("stance-flipped", "status", "unit-changed"):
        return f"{label}: {change.get('old')} {ARROW} {change.get('new')}"
    return f"{label} {change['field']}: {change.get('old')} {ARROW} {change.get('new')}"


def material_text(entry: Material) -> str:
    label = MATERIAL_LABELS.get(entry["type"], entry["type"])
    if entry["type"] == "rating":
        return f"{label}: {entry['old']} {ARROW} {entry['new']} ({entry['direction']})"
    if entry["type"] == "constraint-added":
        return f"{label}: {entry.get('title')} ({entry.get('new')})"
    if entry["type"] == "constraint-removed":
        return f"{label}: {entry.get('title')} (was {entry.get('old')})"
    if entry["type"] in ("kill-criterion-tripped", "kill-criterion-cleared"):
        return f"{label}: {entry.get('title')} ({entry.get('new')})"
    if entry["type"] == "catalyst-overdue":
        return f"{label}: {entry.get('title')}"
    if entry["type"] == "catalyst-resolved" and "old" not in entry:
        return f"{label}: {entry.get('title')} ({entry.get('new')}; first reported so)"
    return f"{label}: {entry.get('title')}: {entry.get('old')} {ARROW} {entry.get('new')}"


def attribution_rows(diff: Diff) -> list[tuple[str, str, float]]:
    """(group, label, amount) in a fixed order; ``unexplained`` only when present."""
    amounts = diff["score"]["attribution"]
    groups = [g for g in (*GROUPS, UNEXPLAINED) if g in amounts]
    return [(g, GROUP_LABELS.get(g, g), float(amounts[g])) for g in groups]


def _item_line(entry: ItemSummary) -> str:
    extra = [str(entry[k]) for k in ("stance", "status", "unit") if entry.get(k)]
    if entry.get("kind") == "source" and entry.get("published"):
        extra.append(f"published {entry['published']}")
    if entry.get("kind") == "catalyst":
        extra.append(f"expected {entry['expected']}" if entry.get("expected") else "no date given")
    if "tripped" in entry:
        extra.append("tripped" if entry["tripped"] else "not tripped")
    tail = f" ({', '.join(extra)})" if extra else ""
    contribution = entry.get("contribution")
    points = f" {signed(contribution, 2)} pts" if isinstance(contribution, (int, float)) else ""
    return f"{entry['kind']} {entry['id']}: {entry['title']}{tail}{points}"


def diff_text(diff: Diff, style: Style | None = None) -> str:
    """The diff for a terminal: material changes, then counts, then details."""
    paint: Style = style or _plain
    old, new, score = diff["old"], diff["new"], diff["score"]
    lines = [
        paint(f"{diff['company']['name'] or diff['company']['id']}: {old['as_of']} {ARROW} {new['as_of']}", bold=True),
        f"Score  {signed(score['old'])} {ARROW} {signed(score['new'])} ({signed(score['change'], 2)})",
        f"Rating {diff['rating']['old']} {ARROW} {diff['rating']['new']}"
        + (f" ({diff['rating']['direction']})" if diff["rating"]["changed"] else " (unchanged)"),
        "",
    ]
    if not has_differences(diff):
        lines.append("No differences.")
        return "\n".join(lines) + "\n"
    if diff["material"]:
        lines.append(paint("Material changes", bold=True))
        lines += [paint(f"  ! {material_text(m)}", fg="yellow", bold=True) for m in diff["material"]]
        lines.append("")
    lines.append(paint(f"Why the score moved ({signed(score['change'], 2)} in all)", bold=True))
    for _, label, amount in attribution_rows(diff):
        lines.append(f"  {label:<32} {signed(amount, 2):>8}")
    lines.append("")
    counts = diff["counts"]
    lines.append(
        paint("Counts", bold=True)
        + f": {counts['added']} added, {counts['removed']} removed, {counts['modified']} modified, "
        f"{counts['unchanged']} unchanged"
    )
    for kind, row in counts["by_kind"].items():
        if any(row.values()):
            lines.append(
                f"  {KIND_LABELS.get(kind, kind):<14} {row['added']} added, {row['removed']} removed, "
                f"{row['modified']} modified"
            )
    if diff["added"]:
        lines += ["", paint("Added", bold=True)]
        lines += [paint(f"  + {_item_line(e)}", fg="green") for e in diff["added"]]
    if diff["removed"]:
        lines += ["", paint("Removed", bold=True)]
        lines += [paint(f"  - {_item_line(e)}", fg="red") for e in diff["removed"]]
    if diff["modified"]:
        lines += ["", paint("Modified", bold=True)]
        for entry in diff["modified"]:
            moved = entry.get("contribution")
            tail = f"  [{signed(moved['old'], 2)} {ARROW} {signed(moved['new'], 2)} pts]" if moved else ""
            lines.append(f"  ~ {entry['kind']} {entry['id']}: {entry['title']}{tail}")
            lines += [f"      {change_text(c, style)}" for c in entry["changes"]]
    if diff["scenarios"]:
        lines += ["", *scenario_lines(diff["scenarios"], style, paint)]
    if diff["reworded"]:
        lines += ["", paint("Reworded? (suggested, not merged)", bold=True)]
        lines += [
            f"  ? {r['kind']} {r['removed']} {ARROW} {r['added']} (similarity {r['similarity']:.0%})"
            for r in diff["reworded"]
        ]
    if diff["movers"]:
        lines += ["", paint("Largest moves in contribution", bold=True)]
        lines += [
            f"  {r['id'][:40]:<40} {signed(r['old'], 2):>7} {ARROW} {signed(r['new'], 2):>7} ({signed(r['change'], 2)})"
            for r in diff["movers"]
        ]
    return "\n".join(lines) + "\n"


SCENARIO_HEADINGS = {"added": "Scenarios set", "removed": "Scenarios dropped", "modified": "Scenarios changed"}


def scenario_heading(scenarios: ScenariosChange) -> str:
    """ "Scenarios set (Share price, EUR; set 2026-07-30)"."""
    date = scenarios["date"]
    dated = date["new"] or date["old"]
    when = f"; set {dated}" if dated and date["old"] in (None, date["new"]) else ""
    if date["old"] and date["new"] and date["old"] != date["new"]:
        when = f"; set {date['old']} {ARROW} {date['new']}"
    return f"{SCENARIO_HEADINGS[scenarios['status']]} ({scenarios['metric']}, {scenarios['unit']}{when})"


def figure_text(figure: Figure, digits: int = 2) -> str:
    """``25.1 → 26.3 (+1.2)``; a side without scenarios is ``none``."""
    old = "none" if figure["old"] is None else number(figure["old"], digits)
    new = "none" if figure["new"] is None else number(figure["new"], digits)
    if figure["old"] is None or figure["new"] is None:
        return new if figure["old"] is None else f"{old} {ARROW} none"
    change = figure["change"] or 0.0
    return f"{old} {ARROW} {new} ({signed(change, digits, trim=True)})" if change else f"{old} (unchanged)"


def share_text(figure: Figure) -> str:
    """A fraction on each side as percent: ``+12% → +9%``."""
    old = "none" if figure["old"] is None else signed_percent(figure["old"], 1)
    new = "none" if figure["new"] is None else signed_percent(figure["new"], 1)
    if figure["old"] is None:
        return new
    return f"{old} {ARROW} {new}" if figure["old"] != figure["new"] else f"{old} (unchanged)"


def _percent_of(fraction: float | None) -> str:
    return "none" if fraction is None else number(100 * fraction, 1) + "%"


def probability_text(figure: Figure) -> str:
    """A case's probability on each side: ``25% → 30%``, or ``25% (unchanged)``."""
    old, new = _percent_of(figure["old"]), _percent_of(figure["new"])
    return f"{old} {ARROW} {new}" if figure["old"] != figure["new"] else f"{old} (unchanged)"


def transition_text(transition: Transition) -> str:
    """``balanced → upside``, or ``upside (unchanged)``."""
    if transition["old"] == transition["new"]:
        return f"{transition['new']} (unchanged)"
    if transition["old"] is None:  # the scenarios were set
        return str(transition["new"])
    return f"{transition['old']} {ARROW} {transition['new'] or 'none'}"


def scenario_lines(scenarios: ScenariosChange, style: Style | None, paint: Style) -> list[str]:
    """The scenarios compared, for the terminal: expected value, tilt, current value, then each case."""
    tilt = scenarios["tilt"]
    lines = [
        paint(scenario_heading(scenarios), bold=True),
        f"  expected value   {figure_text(scenarios['expected'])}",
        f"  against current  {share_text(scenarios['expected_change'])}",
        f"  current value    {figure_text(scenarios['current'])}",
        f"  tilt             {transition_text(tilt)}",
    ]
    lines += [f"  {change_text(c, style)}" for c in scenarios["changes"]]
    marks = {"added": "+", "removed": "-", "modified": "~"}
    for case in scenarios["cases"]:
        probability, value = case["probability"], case["value"]
        if case["status"] == "modified":
            detail = f"probability {probability_text(probability)}, value {figure_text(value)}"
        else:
            shown = probability["new"] if case["status"] == "added" else probability["old"]
            worth = value["new"] if case["status"] == "added" else value["old"]
            detail = f"probability {_percent_of(shown)}, value {number(worth or 0, 2)}"
        lines.append(f"  {marks[case['status']]} {case['name']}: {detail}")
        lines += [f"      {change_text(c, style)}" for c in case["changes"]]
    return lines


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def diff_html(project: Project, diff: Diff, snapshots: tuple[Mapping[str, Any], Mapping[str, Any]]) -> str:
    """The diff brief as one self-contained HTML page, styled like the brief."""
    from thesis import __version__
    from thesis.render.brief import desk_view
    from thesis.render.environment import render_template

    company = snapshots[1].get("company", {})
    context = {
        "diff": diff,
        "company": company,
        "old_date": _date(diff["old"]["as_of"]),
        "new_date": _date(diff["new"]["as_of"]),
        "attribution": attribution_rows(diff),
        "material": [(m, material_text(m)) for m in diff["material"]],
        "change_labels": CHANGE_LABELS,
        "kind_labels": KIND_LABELS,
        "pages_text": pages_text,
        "versions_text": versions_text,
        "figure_text": figure_text,
        "share_text": share_text,
        "probability_text": probability_text,
        "transition_text": transition_text,
        "scenario_heading": scenario_heading(diff["scenarios"]) if diff["scenarios"] else "",
        "version": __version__,
        "desk": (desk := desk_view(project)),
        "notice": desk.disclaimer,
    }
    return render_template(project.templates_dirs, "diff.html.j2", context)


def diff_pdf(project: Project, diff: Diff, html: str) -> bytes:
    """The diff brief as PDF, with the structured diff attached as JSON."""
    from thesis.render.pdf import PdfAttachment, render_pdf

    new_date = _date(diff["new"]["as_of"]) or dt.date(1970, 1, 1)
    created = dt.datetime.combine(new_date, dt.time(0, 0), tzinfo=dt.UTC)
    name = f"{diff['company']['id']}-diff-{diff['old']['as_of']}-{diff['new']['as_of']}.json"
    identifier = f"diff:{diff['company']['id']}:{diff['old']['inputs_sha256']}:{diff['new']['inputs_sha256']}"
    attachments = [PdfAttachment(name, diff_json(diff).encode(), "application/json", "The structured diff")]
    return render_pdf(html, project.templates_dirs, identifier, created, attachments)


def default_path(project: Project, diff: Diff, fmt: str) -> Path:
    """``build/COMPANY/diff-OLD-NEW.html`` (or ``.pdf``)."""
    company = str(diff["company"]["id"] or "thesis")
    return project.output_dir(company, f"diff-{diff['old']['as_of']}-{diff['new']['as_of']}").with_suffix(f".{fmt}")


def write_diff_brief(
    project: Project,
    diff: Diff,
    snapshots: tuple[Mapping[str, Any], Mapping[str, Any]],
    fmt: str,
    out: Path | None = None,
) -> tuple[Path, int]:
    """Render the diff brief as ``html`` or ``pdf`` and write it atomically; returns the path and size."""
    html = diff_html(project, diff, snapshots)
    data = html.encode() if fmt == "html" else diff_pdf(project, diff, html)
    path = out if out is not None else default_path(project, diff, fmt)
    write_atomic(path, data)
    return path, len(data)
