"""The shape of a diff: typed records with ``Literal`` kinds, the same plain data JSON gets.

:func:`thesis.diff.compare.diff_snapshots` builds a :class:`Diff`; the text,
HTML and PDF forms in :mod:`thesis.diff.output` read one. They are
``TypedDict``s, so a diff is still a plain ``dict`` (``diff_json`` writes it as
it is, and a diff read back from JSON has the same shape); the types say which
keys each kind of record has. ``docs/snapshot.md`` documents the JSON.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

ItemKind = Literal["point", "constraint", "metric", "source"]
Direction = Literal["up", "down"]
# What changed about an item in both snapshots (thesis.diff.compare's docstring says when each applies).
ValueChangeKind = Literal["stance-flipped", "status", "re-weighted", "unit-changed", "field"]
MaterialType = Literal[
    "rating",
    "constraint-added",
    "constraint-removed",
    "constraint-status",
    "constraint-severity",
    "stance-flipped",
    "kill-criterion-tripped",
    "kill-criterion-cleared",
    "catalyst-resolved",
    "catalyst-overdue",
]


class TextChange(TypedDict):
    """A wording change, with its word-level redline when both sides are text: ``[[op, text], …]``."""

    change: Literal["text"]
    field: str
    old: Any
    new: Any
    redline: NotRequired[list[list[str]]]


class ValueChange(TypedDict):
    """A field's value changed: stance, status, impact or severity, the unit, or another field."""

    change: ValueChangeKind
    field: str
    old: Any
    new: Any


class GradeChange(TypedDict):
    """An item's evidence grade or a source's reliability changed."""

    change: Literal["re-graded"]
    field: Literal["grade", "reliability"]
    old: str
    new: str


class CitationChange(TypedDict):
    """A citation (matched by source and quote) came or went."""

    change: Literal["citation-added", "citation-removed"]
    field: Literal["citations"]
    source: str
    quote: str


class CitationGradeChange(TypedDict):
    change: Literal["re-graded"]
    field: Literal["citations.grade"]
    source: str
    quote: str
    old: Any
    new: Any


class PeriodChange(TypedDict):
    change: Literal["period-changed"]
    field: Literal["observations.period"]
    source: str
    period: str
    old: str
    new: str


class ObservationValueChange(TypedDict):
    change: Literal["value-changed"]
    field: Literal["observations.value"]
    source: str
    period: str
    old: float
    new: float
    delta: float
    percent: float | None  # None when the old value is 0


class ObservationChange(TypedDict):
    change: Literal["observation-added", "observation-removed"]
    field: Literal["observations"]
    source: str
    period: str
    value: float | None


Change = (
    TextChange
    | ValueChange
    | GradeChange
    | CitationChange
    | CitationGradeChange
    | PeriodChange
    | ObservationValueChange
    | ObservationChange
)


class Moved(TypedDict):
    """An item's contribution to the score, before and after."""

    old: float
    new: float
    change: float


class ItemFields(TypedDict):
    """What an item is, and the fields a reader identifies it by."""

    kind: ItemKind
    id: str
    title: str
    stance: NotRequired[str]
    status: NotRequired[str]
    unit: NotRequired[str]
    published: NotRequired[str]
    reliability: NotRequired[str]
    observations: NotRequired[int]  # metrics: how many


class ItemSummary(ItemFields):
    """An added or removed item, with its contribution to the score when it is scored."""

    contribution: NotRequired[float]


class ModifiedItem(ItemFields):
    """An item in both snapshots that changed, its changes, and how its contribution moved (None: not scored)."""

    changes: list[Change]
    contribution: Moved | None


class Reworded(TypedDict):
    """A removed and an added item worded alike: a suggestion that they are one, never merged."""

    kind: ItemKind
    removed: str
    added: str
    similarity: float


class Mover(TypedDict):
    kind: ItemKind
    id: str
    title: str
    old: float
    new: float
    change: float


class Side(TypedDict):
    """Which snapshot one side of the diff is."""

    as_of: str | None
    inputs_sha256: str | None
    scoring_hash: str | None
    generator: str | None
    score: float | None
    rating: str | None


class CompanyRef(TypedDict):
    id: str | None
    name: str | None


class ToleranceData(TypedDict):
    abs: float
    rel: float


class ScoreChange(TypedDict):
    old: float
    new: float
    change: float
    attribution: dict[str, float]  # by group of thesis.diff.attribution.GROUPS, plus "unexplained" when needed


class RatingChange(TypedDict):
    old: str | None
    new: str | None
    changed: bool
    direction: Direction | None


class Material(TypedDict):
    """What a reader must see first. A ``rating`` change has no ``id`` or ``title``; the others have both."""

    type: MaterialType
    id: NotRequired[str]
    title: NotRequired[str]
    old: NotRequired[Any]
    new: NotRequired[Any]
    direction: NotRequired[Direction | None]


class KindCounts(TypedDict):
    added: int
    removed: int
    modified: int


class Counts(TypedDict):
    added: int
    removed: int
    modified: int
    unchanged: int
    by_kind: dict[ItemKind, KindCounts]


class Diff(TypedDict):
    diff_schema_version: int
    company: CompanyRef
    old: Side
    new: Side
    tolerance: ToleranceData
    score: ScoreChange
    rating: RatingChange
    material: list[Material]
    counts: Counts
    added: list[ItemSummary]
    removed: list[ItemSummary]
    modified: list[ModifiedItem]
    reworded: list[Reworded]
    movers: list[Mover]
