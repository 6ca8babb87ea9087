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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from thesis.diff.attribution import GROUPS, UNEXPLAINED
from thesis.diff.compare import has_differences
from thesis.diff.model import Change, Diff, ItemSummary, Material, TextChange
from thesis.diff.redline import Segment, marked
from thesis.figures import number, signed
from thesis.outputs.files import write_atomic
from thesis.project import Project

Style = Callable[..., str]

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
    "field": "changed",
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
    """A redline for the terminal: coloured with a style, else ``[-old-]{+new+}``."""
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


def change_text(change: Change, style: Style | None = None) -> str:
    """One change, on one line (a text change shows its redline)."""
    label = CHANGE_LABELS.get(change["change"], change["change"])
    if change["change"] == "text":
        if "redline" in change:
            return f"{change['field']}: {redline_text(segments_of(change), style)}"
        return f"{change['field']}: {change['old']!r} {ARROW} {change['new']!r}"
    if change["change"] == "citation-added" or change["change"] == "citation-removed":
        return f"{label}: [{change['source']}] \u201c{change['quote']}\u201d"
    if change["change"] == "re-graded" and change["field"] == "citations.grade":
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
                f"  {kind + 's':<12} {row['added']} added, {row['removed']} removed, {row['modified']} modified"
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
