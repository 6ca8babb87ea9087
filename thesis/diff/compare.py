"""What changed in a thesis between two snapshots: a pure function of the two.

Items (the company, points, metrics, constraints, sources, catalysts and kill
criteria) are matched by ``id`` (the company is one item, in both snapshots).
An item only in the new snapshot is *added*, only in the old one *removed*; an
item in both is *modified* when something about it a reader would care about
changed:

- ``text``: a title, body, summary, outcome, reading or other wording (with a
  word-level redline; a text the desk writes in dated versions says when each
  side's version was written);
- ``stance-flipped``: a bull point became a bear point or the reverse;
- ``re-weighted``: impact, severity or category;
- ``re-graded``: an evidence grade (source reliability or information credibility);
- ``citation-added`` / ``citation-removed``: evidence (and a kill criterion's
  ``basis``), matched by source and quote;
- ``citation-page``: the pages a citation is found on in its PDF source;
- ``status``: a constraint's or a catalyst's status transition, e.g.
  restricted → approved, upcoming → happened;
- ``history-added`` / ``history-removed``: a constraint's dated status entry
  (one in both whose note was reworded is a ``text`` change of ``history.note``);
- ``unit-changed``, ``value-changed``, ``period-changed``, ``observation-added``,
  ``observation-removed``: a metric's unit and observations (matched by source
  and period or date; a change within the tolerance counts as unchanged; a
  reworded note is a ``text`` change of ``observations.note``);
- ``slipped`` / ``brought-forward``: a catalyst's expected window moved later
  (it now ends later) or earlier (it starts earlier and ends no later), old →
  new with the day each was written; a slip is material too;
- ``field``: anything else shown in the brief (dates, authority, affects, a
  catalyst's expected date narrowed within its window, a kill criterion's
  state …).

A field one snapshot does not carry at all (written by an older version) is
not compared. The scenarios (bull, base and bear cases) are compared apart:
their expected value, tilt and current value, and each case by name.

An item's contribution moving only because other items or the date moved is
not a modification; it shows in the score attribution and in ``movers``.
Unmatched pairs with very similar wording are listed under ``reworded`` as a
suggestion and never merged. ``docs/snapshot.md`` describes the output.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from thesis.diff.attribution import attribute
from thesis.diff.model import (
    Change,
    CitationChange,
    CitationField,
    CitationGradeChange,
    CitationPageChange,
    Counts,
    Diff,
    Direction,
    Figure,
    GradeChange,
    HistoryChange,
    ItemKind,
    ItemSummary,
    KindCounts,
    Material,
    MaterialType,
    ModifiedItem,
    Moved,
    Mover,
    ObservationChange,
    ObservationValueChange,
    PeriodChange,
    RatingChange,
    Reworded,
    ScenarioCaseChange,
    ScenariosChange,
    Side,
    TextChange,
    Transition,
    ValueChange,
    WindowChange,
)
from thesis.diff.redline import redline, similarity
from thesis.inputs.periods import Period
from thesis.project import Project
from thesis.scoring.catalysts import move

DIFF_SCHEMA_VERSION = 2
KINDS: tuple[ItemKind, ...] = ("company", "point", "constraint", "metric", "source", "catalyst", "kill-criterion")
COLLECTIONS: dict[ItemKind, str] = {
    "point": "points",
    "constraint": "constraints",
    "metric": "metrics",
    "source": "sources",
    "catalyst": "catalysts",
    "kill-criterion": "kill_criteria",
}
REWORD_THRESHOLD = 0.6
MOVERS = 10

Snapshot = Mapping[str, Any]
Item = Mapping[str, Any]


@dataclass(frozen=True)
class Tolerance:
    """Two metric values are the same when within ``abs_tol`` or within ``rel_tol`` of the larger."""

    abs_tol: float = 0.0
    rel_tol: float = 0.0

    def same(self, old: float, new: float) -> bool:
        return math.isclose(old, new, rel_tol=self.rel_tol, abs_tol=self.abs_tol) or old == new


def title_of(kind: str, item: Item) -> str:
    field = {"company": "name", "constraint": "item", "metric": "name"}.get(kind, "title")
    return str(item.get(field) or item.get("id", ""))


def _wording(kind: str, item: Item) -> str:
    return " ".join(str(item.get(f) or "") for f in _TEXT_FIELDS[kind]).strip()


_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "company": ("name", "summary"),
    "point": ("title", "body"),
    "constraint": ("item", "authority", "body"),
    "metric": ("name", "description"),
    "source": ("title", "publisher", "author"),
    "catalyst": ("title", "outcome", "timing"),
    "kill-criterion": ("title", "rationale", "reading"),
}
_REWEIGHT_FIELDS: dict[str, tuple[str, ...]] = {
    "point": ("impact", "category"),
    "constraint": ("severity",),
}
_OTHER_FIELDS: dict[str, tuple[str, ...]] = {
    "company": ("short_name", "tickers", "sector", "analyst"),
    "constraint": ("kind", "effective", "effective_estimated", "affects"),
    "metric": ("higher_is_better",),
    "source": ("published", "published_estimated", "url", "file", "sha256"),
    "catalyst": ("kind", "expected", "window", "tests", "resolved", "overdue"),
    "kill-criterion": ("kind", "watches", "tripped"),
}
_CITED: tuple[str, ...] = ("point", "constraint", "catalyst", "kill-criterion")


def diff_snapshots(old: Snapshot, new: Snapshot, tolerance: Tolerance | None = None) -> Diff:
    """The structured difference from ``old`` to ``new`` (plain data, ready for JSON)."""
    tolerance = tolerance or Tolerance()
    added: list[ItemSummary] = []
    removed: list[ItemSummary] = []
    modified: list[ModifiedItem] = []
    reworded: list[Reworded] = []
    unchanged = 0
    for kind in KINDS:
        old_items, new_items = _items(old, new, kind)
        gone = [old_items[i] for i in sorted(set(old_items) - set(new_items))]
        came = [new_items[i] for i in sorted(set(new_items) - set(old_items))]
        removed += [_summary(kind, item) for item in gone]
        added += [_summary(kind, item) for item in came]
        reworded += _reworded(kind, gone, came)
        for item_id in sorted(set(old_items) & set(new_items)):
            changes = _item_changes(kind, old_items[item_id], new_items[item_id], tolerance)
            if changes:
                summary = _summary(kind, new_items[item_id])
                summary.pop("contribution", None)
                moved = _moved(old_items[item_id], new_items[item_id])
                modified.append(ModifiedItem(**summary, changes=changes, contribution=moved))
            else:
                unchanged += 1

    attribution = attribute(old, new)
    scenarios = _scenarios_change(old.get("scenarios"), new.get("scenarios"))
    rating = RatingChange(
        old=old.get("rating"),
        new=new.get("rating"),
        changed=old.get("rating") != new.get("rating"),
        direction=_direction(old, new),
    )
    return Diff(
        diff_schema_version=DIFF_SCHEMA_VERSION,
        company={"id": new.get("company", {}).get("id"), "name": new.get("company", {}).get("name")},
        old=_side(old),
        new=_side(new),
        tolerance={"abs": tolerance.abs_tol, "rel": tolerance.rel_tol},
        score={
            "old": attribution.old,
            "new": attribution.new,
            "change": attribution.change,
            "attribution": attribution.by_group,
        },
        rating=rating,
        material=_material(rating, added, removed, modified) + _watch_material(old, new) + _tilt_material(scenarios),
        counts=_counts(added, removed, modified, unchanged),
        added=added,
        removed=removed,
        modified=modified,
        reworded=reworded,
        movers=_movers(old, new),
        scenarios=scenarios,
    )


def has_differences(diff: Diff) -> bool:
    """Whether anything changed that the diff reports (the exit code of ``thesis diff``)."""
    return bool(
        diff["added"]
        or diff["removed"]
        or diff["modified"]
        or diff["score"]["change"]
        or diff["rating"]["changed"]
        or diff["material"]
        or diff["scenarios"]
    )


def _by_id(items: Iterable[Item]) -> dict[str, Item]:
    return {str(item["id"]): item for item in items}


def _items(old: Snapshot, new: Snapshot, kind: ItemKind) -> tuple[dict[str, Item], dict[str, Item]]:
    """The items of one kind on each side, by id. A list a snapshot does not carry (an older version's) is
    empty; the company is one item, compared only when both snapshots describe it."""
    if kind != "company":
        return _by_id(old.get(COLLECTIONS[kind], [])), _by_id(new.get(COLLECTIONS[kind], []))
    a, b = old.get("company"), new.get("company")
    if not isinstance(a, Mapping) or not isinstance(b, Mapping):
        return {}, {}
    company_id = str(b.get("id") or a.get("id") or "company")
    return {company_id: {**a, "id": company_id}}, {company_id: {**b, "id": company_id}}


def _side(snapshot: Snapshot) -> Side:
    return Side(
        as_of=snapshot.get("as_of"),
        inputs_sha256=snapshot.get("inputs_sha256"),
        scoring_hash=snapshot.get("scoring", {}).get("hash"),
        generator=snapshot.get("generator"),
        score=snapshot.get("score"),
        rating=snapshot.get("rating"),
    )


def _summary(kind: ItemKind, item: Item) -> ItemSummary:
    entry = ItemSummary(kind=kind, id=item["id"], title=title_of(kind, item))
    for key in ("stance", "status", "unit", "published", "reliability"):
        if key in item:
            entry[key] = item[key]
    if kind == "catalyst" and "expected" in item:
        entry["expected"] = item["expected"]
    if kind == "kill-criterion" and "tripped" in item:
        entry["tripped"] = bool(item["tripped"])
    if "contribution" in item:
        entry["contribution"] = item["contribution"]
    if kind == "metric":
        entry["observations"] = len(item.get("observations", []))
    return entry


def _moved(old: Item, new: Item) -> Moved | None:
    if "contribution" not in old or "contribution" not in new:
        return None
    return Moved(
        old=old["contribution"],
        new=new["contribution"],
        change=_round(new["contribution"] - old["contribution"]),
    )


def _round(value: float) -> float:
    rounded = round(value, 6)
    return 0.0 if rounded == 0 else rounded


def _item_changes(kind: ItemKind, old: Item, new: Item, tolerance: Tolerance) -> list[Change]:
    changes: list[Change] = []

    def compared(field: str) -> bool:
        """Whether ``field`` differs; a field one side does not carry at all is not compared."""
        return field in old and field in new and old[field] != new[field]

    for field in _TEXT_FIELDS[kind]:
        if compared(field):
            changes.append(dated_text_change(field, old, new))
    if compared("stance"):
        changes.append(ValueChange(change="stance-flipped", field="stance", old=old["stance"], new=new["stance"]))
    if compared("status"):
        changes.append(ValueChange(change="status", field="status", old=old["status"], new=new["status"]))
    for field in _REWEIGHT_FIELDS.get(kind, ()):
        if compared(field):
            changes.append(ValueChange(change="re-weighted", field=field, old=old[field], new=new[field]))
    graded: tuple[Literal["grade", "reliability"], ...] = ("grade", "reliability")
    for grade in graded:
        if compared(grade):
            changes.append(GradeChange(change="re-graded", field=grade, old=old[grade], new=new[grade]))
    if kind in _CITED:
        changes += _citation_changes(old.get("citations", []), new.get("citations", []))
    if kind == "kill-criterion":
        changes += _citation_changes(old.get("basis", []), new.get("basis", []), "basis")
    if kind == "constraint" and "history" in old and "history" in new:
        changes += _history_changes(old["history"], new["history"])
    if kind == "metric":
        if compared("unit"):
            changes.append(ValueChange(change="unit-changed", field="unit", old=old["unit"], new=new["unit"]))
        changes += _observation_changes(old.get("observations", []), new.get("observations", []), tolerance)
    moved = _window_change(old, new) if kind == "catalyst" else None
    if moved is not None:
        changes.append(moved)
    for field in _OTHER_FIELDS.get(kind, ()):
        if compared(field) and not (moved and field in ("expected", "window")):  # the move says it
            changes.append(ValueChange(change="field", field=field, old=old[field], new=new[field]))
    return changes


def _window(item: Item) -> Period | None:
    window = item.get("window")
    if not window:
        return None
    start, end = (dt.date.fromisoformat(day) for day in window)
    return Period(start, end, str(item.get("expected")), False)


def _window_change(old: Item, new: Item) -> WindowChange | None:
    """A catalyst's expected window that slipped or was brought forward between two snapshots (a window given
    where there was none, or one narrowed within the old, is a plain field change)."""
    before, after = _window(old), _window(new)
    moved = move(before, after) if before is not None and after is not None else None
    if moved is None:
        return None
    return WindowChange(
        change=moved,
        field="expected",
        old=str(old["expected"]),
        new=str(new["expected"]),
        old_written=old.get("expected_written"),
        new_written=new.get("expected_written"),
    )


def text_change(field: str, old: Any, new: Any) -> TextChange:
    """A wording change; with a word-level redline when one side is text and the other text or nothing."""
    change = TextChange(change="text", field=field, old=old, new=new)
    if isinstance(old, (str, type(None))) and isinstance(new, (str, type(None))):
        change["redline"] = [[op, text] for op, text in redline(old or "", new or "")]
    return change


def dated_text_change(
    field: str, old: Mapping[str, Any], new: Mapping[str, Any], key: str = "", entry: str = ""
) -> TextChange:
    """The change of ``old[key]`` to ``new[key]`` (``key`` defaults to ``field``); a text the desk writes in
    dated versions (``KEY_written`` beside it) says which versions are compared. ``entry`` names the
    observation or status a note belongs to."""
    key = key or field
    reworded = text_change(field, old.get(key), new.get(key))
    dated = f"{key}_written"
    if dated in old or dated in new:
        reworded["old_written"] = old.get(dated)
        reworded["new_written"] = new.get(dated)
    if entry:
        reworded["entry"] = entry
    return reworded


def _citation_key(citation: Mapping[str, Any]) -> tuple[str, str]:
    return (str(citation.get("source")), str(citation.get("quote")))


def _pages(citation: Mapping[str, Any]) -> list[int] | None:
    """The pages a citation is found on, ``[first, last]``; ``None`` when its source has no pages."""
    page = citation.get("page")
    if page is None:
        return None
    last = citation.get("page_end")
    return [int(page), int(page if last is None else last)]


def _page_changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether the pages differ; a citation written before citations had pages is not compared."""
    carried = all(key in c for c in (old, new) for key in ("page", "page_end"))
    return carried and _pages(old) != _pages(new)


def _citation_changes(
    old: list[Mapping[str, Any]], new: list[Mapping[str, Any]], field: CitationField = "citations"
) -> list[Change]:
    old_keys = {_citation_key(c): c for c in old}
    new_keys = {_citation_key(c): c for c in new}
    changes: list[Change] = []
    for key in old_keys:
        if key not in new_keys:
            changes.append(CitationChange(change="citation-removed", field=field, source=key[0], quote=key[1]))
    for key in new_keys:
        if key not in old_keys:
            changes.append(CitationChange(change="citation-added", field=field, source=key[0], quote=key[1]))
    for key, citation in new_keys.items():
        before = old_keys.get(key)
        if before is None:
            continue
        if before.get("grade") != citation.get("grade"):
            changes.append(
                CitationGradeChange(
                    change="re-graded",
                    field="citations.grade" if field == "citations" else "basis.grade",
                    source=key[0],
                    quote=key[1],
                    old=before.get("grade"),
                    new=citation.get("grade"),
                )
            )
        if _page_changed(before, citation):
            changes.append(
                CitationPageChange(
                    change="citation-page",
                    field="citations.page" if field == "citations" else "basis.page",
                    source=key[0],
                    quote=key[1],
                    old=_pages(before),
                    new=_pages(citation),
                )
            )
    return changes


def _history_key(entry: Mapping[str, Any]) -> tuple[str, str]:
    return (str(entry.get("status")), str(entry.get("effective")))


def _history_changes(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> list[Change]:
    """A constraint's dated statuses that came or went, matched by status and effective date, and the notes
    of those in both that were reworded."""
    before, after = {_history_key(e): e for e in old}, {_history_key(e): e for e in new}
    removed: list[Change] = [_history_change("history-removed", e) for key, e in before.items() if key not in after]
    added: list[Change] = [_history_change("history-added", e) for key, e in after.items() if key not in before]
    noted: list[Change] = [
        dated_text_change("history.note", before[key], e, "note", f"{key[0]} from {key[1]}")
        for key, e in after.items()
        if key in before and "note" in before[key] and "note" in e and before[key]["note"] != e["note"]
    ]
    return [*removed, *added, *noted]


def _history_change(change: Literal["history-added", "history-removed"], entry: Mapping[str, Any]) -> HistoryChange:
    status, effective = _history_key(entry)
    return HistoryChange(change=change, field="history", status=status, effective=effective, note=entry.get("note"))


def _observation_label(observation: Mapping[str, Any]) -> str:
    return str(observation.get("period") or observation.get("date") or "")


def _observation_source(observation: Mapping[str, Any]) -> str:
    return str(observation.get("citation", {}).get("source", ""))


_MATCH_KEYS = (
    lambda o: (_observation_source(o), o.get("period"), o.get("date")),
    lambda o: (_observation_source(o), o.get("period")),
    lambda o: (_observation_source(o), o.get("date")),
    lambda o: (_observation_source(o), o.get("citation", {}).get("quote")),
)


def match_observations(
    old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]
) -> tuple[list[tuple[Mapping[str, Any], Mapping[str, Any]]], list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Pair observations by source and period and date; then, for what is left, by looser keys.

    Returns the pairs, the observations only in ``old`` and those only in ``new``.
    """
    left_old, left_new = list(old), list(new)
    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    for key in _MATCH_KEYS:
        waiting: dict[Any, list[Mapping[str, Any]]] = {}
        for observation in left_new:
            waiting.setdefault(key(observation), []).append(observation)
        still_old = []
        for observation in left_old:
            candidates = waiting.get(key(observation))
            if candidates:
                partner = candidates.pop(0)
                pairs.append((observation, partner))
                left_new.remove(partner)
            else:
                still_old.append(observation)
        left_old = still_old
    return pairs, left_old, left_new


def _observation_changes(
    old: list[Mapping[str, Any]], new: list[Mapping[str, Any]], tolerance: Tolerance
) -> list[Change]:
    pairs, gone, came = match_observations(old, new)
    changes: list[Change] = []
    for a, b in pairs:
        source, period = _observation_source(b), _observation_label(b)
        if a.get("period") != b.get("period") or a.get("date") != b.get("date"):
            changes.append(
                PeriodChange(
                    change="period-changed",
                    field="observations.period",
                    source=source,
                    period=period,
                    old=_observation_label(a),
                    new=_observation_label(b),
                )
            )
        cited_a, cited_b = a.get("citation") or {}, b.get("citation") or {}
        if _page_changed(cited_a, cited_b):
            changes.append(
                CitationPageChange(
                    change="citation-page",
                    field="observations.page",
                    source=source,
                    quote=str(cited_b.get("quote", "")),
                    old=_pages(cited_a),
                    new=_pages(cited_b),
                )
            )
        if "note" in a and "note" in b and a["note"] != b["note"]:
            changes.append(dated_text_change("observations.note", a, b, "note", f"{period} [{source}]"))
        old_value, new_value = float(a["value"]), float(b["value"])
        if not tolerance.same(old_value, new_value):
            changes.append(
                ObservationValueChange(
                    change="value-changed",
                    field="observations.value",
                    source=source,
                    period=period,
                    old=old_value,
                    new=new_value,
                    delta=_round(new_value - old_value),
                    percent=_round(100 * (new_value - old_value) / abs(old_value)) if old_value else None,
                )
            )
    for observation in gone:
        changes.append(_observation_change("observation-removed", observation))
    for observation in came:
        changes.append(_observation_change("observation-added", observation))
    return changes


def _observation_change(
    change: Literal["observation-added", "observation-removed"], observation: Mapping[str, Any]
) -> ObservationChange:
    return ObservationChange(
        change=change,
        field="observations",
        source=_observation_source(observation),
        period=_observation_label(observation),
        value=observation.get("value"),
    )


def _reworded(kind: ItemKind, gone: list[Item], came: list[Item]) -> list[Reworded]:
    """Removed and added items whose wording is very similar: suggested, never merged."""
    scored = sorted(
        ((similarity(_wording(kind, a), _wording(kind, b)), str(a["id"]), str(b["id"])) for a in gone for b in came),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    taken: set[str] = set()
    suggestions: list[Reworded] = []
    for score, old_id, new_id in scored:
        if score < REWORD_THRESHOLD or old_id in taken or new_id in taken:
            continue
        taken |= {old_id, new_id}
        suggestions.append(Reworded(kind=kind, removed=old_id, added=new_id, similarity=round(score, 3)))
    return suggestions


def _direction(old: Snapshot, new: Snapshot) -> Direction | None:
    if old.get("rating") == new.get("rating"):
        return None
    bands = [b["name"] for b in new.get("scoring", {}).get("config", {}).get("bands", [])]
    if old.get("rating") in bands and new.get("rating") in bands:
        return "up" if bands.index(str(new["rating"])) > bands.index(str(old["rating"])) else "down"
    return "up" if float(new.get("score", 0)) > float(old.get("score", 0)) else "down"


def _material(
    rating: RatingChange, added: list[ItemSummary], removed: list[ItemSummary], modified: list[ModifiedItem]
) -> list[Material]:
    """What a reader must see first: the rating, constraints, and flipped points."""
    material: list[Material] = []
    if rating["changed"]:
        material.append(Material(type="rating", old=rating["old"], new=rating["new"], direction=rating["direction"]))
    for entry in added:
        if entry["kind"] == "constraint":
            material.append(
                Material(type="constraint-added", id=entry["id"], title=entry["title"], new=entry.get("status"))
            )
    for entry in removed:
        if entry["kind"] == "constraint":
            material.append(
                Material(type="constraint-removed", id=entry["id"], title=entry["title"], old=entry.get("status"))
            )
    for item in modified:
        for change in item["changes"]:
            if change["change"] not in ("status", "re-weighted", "stance-flipped") or "old" not in change:
                continue
            if change["change"] == "stance-flipped":
                kind: MaterialType = "stance-flipped"
            elif item["kind"] != "constraint":
                continue
            else:
                kind = "constraint-status" if change["change"] == "status" else "constraint-severity"
            material.append(
                Material(type=kind, id=item["id"], title=item["title"], old=change["old"], new=change["new"])
            )
    return material


def _watch_material(old: Snapshot, new: Snapshot) -> list[Material]:
    """Kill criteria that tripped or cleared, and catalysts resolved, gone overdue or slipped, between two snapshots
    (snapshots from before catalysts and kill criteria have neither list, which reads as empty)."""
    material: list[Material] = []
    before = {str(k["id"]): k for k in old.get("kill_criteria", [])}
    for criterion in new.get("kill_criteria", []):
        was = before.get(str(criterion["id"]), {}).get("tripped", False)
        if criterion["tripped"] != was:
            kind: MaterialType = "kill-criterion-tripped" if criterion["tripped"] else "kill-criterion-cleared"
            material.append(
                Material(type=kind, id=str(criterion["id"]), title=str(criterion["title"]), new=criterion["reading"])
            )
    earlier = {str(c["id"]): c for c in old.get("catalysts", [])}
    for catalyst in new.get("catalysts", []):
        prior = earlier.get(str(catalyst["id"]), {})
        if catalyst["status"] != "upcoming" and prior.get("status", "upcoming") == "upcoming":
            entry = Material(
                type="catalyst-resolved", id=str(catalyst["id"]), title=str(catalyst["title"]), new=catalyst["status"]
            )
            if prior:  # known before as upcoming; else it first appears already resolved
                entry["old"] = "upcoming"
            material.append(entry)
        elif catalyst.get("overdue") and not prior.get("overdue", False):
            material.append(
                Material(type="catalyst-overdue", id=str(catalyst["id"]), title=str(catalyst["title"]), new="overdue")
            )
        moved = _window_change(prior, catalyst) if catalyst["status"] == "upcoming" else None
        if moved is not None and moved["change"] == "slipped":  # the test of the thesis comes later than it was
            material.append(
                Material(
                    type="catalyst-slipped",
                    id=str(catalyst["id"]),
                    title=str(catalyst["title"]),
                    old=moved["old"],
                    new=moved["new"],
                )
            )
    return material


def _counts(
    added: list[ItemSummary], removed: list[ItemSummary], modified: list[ModifiedItem], unchanged: int
) -> Counts:
    by_kind: dict[ItemKind, KindCounts] = {
        kind: {
            "added": sum(1 for e in added if e["kind"] == kind),
            "removed": sum(1 for e in removed if e["kind"] == kind),
            "modified": sum(1 for m in modified if m["kind"] == kind),
        }
        for kind in KINDS
    }
    return Counts(added=len(added), removed=len(removed), modified=len(modified), unchanged=unchanged, by_kind=by_kind)


def _movers(old: Snapshot, new: Snapshot) -> list[Mover]:
    """Items in both whose contribution to the score moved most, largest first."""
    rows: list[Mover] = []
    scored: tuple[ItemKind, ...] = ("point", "constraint")
    for kind in scored:
        old_items = _by_id(old.get(COLLECTIONS[kind], []))
        new_items = _by_id(new.get(COLLECTIONS[kind], []))
        for item_id in set(old_items) & set(new_items):
            moved = _moved(old_items[item_id], new_items[item_id])
            if moved and moved["change"]:
                rows.append(Mover(kind=kind, id=item_id, title=title_of(kind, new_items[item_id]), **moved))
    rows.sort(key=lambda r: (-abs(r["change"]), r["id"]))
    return rows[:MOVERS]


def _figure(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, key: str) -> Figure:
    a = None if old is None or old.get(key) is None else float(old[key])
    b = None if new is None or new.get(key) is None else float(new[key])
    return Figure(old=a, new=b, change=None if a is None or b is None else _round(b - a))


def _transition(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, key: str) -> Transition:
    a = None if old is None or old.get(key) is None else str(old[key])
    b = None if new is None or new.get(key) is None else str(new[key])
    return Transition(old=a, new=b)


def _case_changes(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> list[ScenarioCaseChange]:
    """Cases matched by name (bull, base, bear), in the new order then any the new side dropped."""
    before, after = {str(c["name"]): c for c in old}, {str(c["name"]): c for c in new}
    rows: list[ScenarioCaseChange] = []
    for name in [*after, *(n for n in before if n not in after)]:
        a, b = before.get(name), after.get(name)
        changes: list[Change] = []
        if a is not None and b is not None and a.get("description") != b.get("description"):
            changes.append(dated_text_change("description", a, b))
        row = ScenarioCaseChange(
            name=name,
            status="added" if a is None else "removed" if b is None else "modified",
            probability=_figure(a, b, "probability"),
            value=_figure(a, b, "value"),
            changes=changes,
        )
        if row["status"] != "modified" or changes or row["probability"]["change"] or row["value"]["change"]:
            rows.append(row)
    return rows


def _scenarios_change(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> ScenariosChange | None:
    """The scenarios compared: set (``added``), dropped (``removed``) or changed; ``None`` when the same."""
    if not old and not new:
        return None
    either: Mapping[str, Any] = new or old or {}
    changes: list[Change] = []
    if old and new:
        for field in ("metric", "unit", "date"):
            if field in old and field in new and old[field] != new[field]:
                changes.append(ValueChange(change="field", field=field, old=old[field], new=new[field]))
    result = ScenariosChange(
        status="added" if not old else "removed" if not new else "modified",
        metric=str(either.get("metric", "")),
        unit=str(either.get("unit", "")),
        date=_transition(old, new, "date"),
        expected=_figure(old, new, "expected"),
        expected_change=_figure(old, new, "expected_change"),
        current=_figure(old, new, "current"),
        tilt=_transition(old, new, "tilt"),
        cases=_case_changes((old or {}).get("cases", []), (new or {}).get("cases", [])),
        changes=changes,
    )
    figures = (result["expected"], result["expected_change"], result["current"])
    moved = any(f["change"] for f in figures) or result["tilt"]["old"] != result["tilt"]["new"]
    if result["status"] == "modified" and not (moved or result["cases"] or changes):
        return None
    return result


def _tilt_material(scenarios: ScenariosChange | None) -> list[Material]:
    """Scenarios whose tilt turned (say, from upside to downside): a reader must see it first."""
    if scenarios is None or scenarios["status"] != "modified":
        return []
    tilt = scenarios["tilt"]
    if tilt["old"] == tilt["new"]:
        return []
    return [Material(type="scenario-tilt", id="scenarios", title=scenarios["metric"], old=tilt["old"], new=tilt["new"])]


# Where the two snapshots come from. The diff itself (above) never reads anything.


def snapshots_as_of(
    project: Project, company: str, old: dt.date, new: dt.date
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The company's snapshots as of two dates, computed from its inputs (read once); nothing is written.

    They leave out the stress tests (confidence, sensitivity), which the diff does not compare.
    """
    from thesis.commands.render import prepare_dates
    from thesis.outputs.snapshot import snapshot

    first, second = prepare_dates(project, company, (old, new), names=("DATE_A", "DATE_B"))
    return snapshot(first.brief, stress_tests=False), snapshot(second.brief, stress_tests=False)


def snapshots_from_files(old: Path, new: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two snapshots read from JSON files or from the snapshots attached to PDF briefs."""
    from thesis.errors import UsageError
    from thesis.outputs.snapshot import read_snapshot

    first, second = read_snapshot(old), read_snapshot(new)
    companies = [s.get("company", {}).get("id") for s in (first, second)]
    if companies[0] != companies[1]:
        raise UsageError(
            f"{old} is a snapshot of {companies[0]!r} but {new} is one of {companies[1]!r}",
            "compare two snapshots of the same company",
        )
    return first, second
