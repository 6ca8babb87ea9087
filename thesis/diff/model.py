"""The shape of a diff: typed records with ``Literal`` kinds, the same plain data JSON gets.

:func:`thesis.diff.compare.diff_snapshots` builds a :class:`Diff`; the text,
HTML and PDF forms in :mod:`thesis.diff.output` read one. They are
``TypedDict``s, so a diff is still a plain ``dict`` (``diff_json`` writes it as
it is, and a diff read back from JSON has the same shape); the types say which
keys each kind of record has. ``docs/snapshot.md`` documents the JSON.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

ItemKind = Literal["company", "point", "constraint", "metric", "source", "catalyst", "kill-criterion"]
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
    "catalyst-slipped",
    "scenario-tilt",
]


class TextChange(TypedDict):
    """A wording change, with its word-level redline when either side is text: ``[[op, text], …]``.

    A text the desk writes in dated versions (the summary, a point's title and body, a constraint's body and
    its status changes' notes, a metric's description and its observations' notes, a catalyst's title, timing
    and outcome, a kill criterion's title and rationale, a scenario case's description) also says when each
    side's version was written (``None``: not known, or no version). A note names the observation
    (``"FY2025 [source]"``) or the status (``"blocked from 2025-07-01"``) it belongs to in ``entry``.
    """

    change: Literal["text"]
    field: str
    old: Any
    new: Any
    redline: NotRequired[list[list[str]]]
    old_written: NotRequired[str | None]
    new_written: NotRequired[str | None]
    entry: NotRequired[str]


class ValueChange(TypedDict):
    """A field's value changed: stance, status, impact or severity, the unit, or another field."""

    change: ValueChangeKind
    field: str
    old: Any
    new: Any


class WindowChange(TypedDict):
    """A catalyst's expected window moved (thesis.scoring.catalysts.move): ``slipped`` when it now ends later,
    ``brought-forward`` when it now starts earlier and ends no later; ``old`` → ``new`` as written, with the day
    each side's version was written (``None``: a plain window)."""

    change: Literal["slipped", "brought-forward"]
    field: Literal["expected"]
    old: str
    new: str
    old_written: str | None
    new_written: str | None


class GradeChange(TypedDict):
    """An item's evidence grade or a source's reliability changed."""

    change: Literal["re-graded"]
    field: Literal["grade", "reliability"]
    old: str
    new: str


# Where a citation is: an item's evidence, or a kill criterion's ``basis`` (why the analyst set it).
CitationField = Literal["citations", "basis"]


class CitationChange(TypedDict):
    """A citation (matched by source and quote) came or went."""

    change: Literal["citation-added", "citation-removed"]
    field: CitationField
    source: str
    quote: str


class CitationGradeChange(TypedDict):
    change: Literal["re-graded"]
    field: Literal["citations.grade", "basis.grade"]
    source: str
    quote: str
    old: Any
    new: Any


class CitationPageChange(TypedDict):
    """The pages a citation (or an observation's citation) is found on in its PDF source: ``[first, last]``
    (the same page twice for one page), or ``None`` when the source has no pages."""

    change: Literal["citation-page"]
    field: Literal["citations.page", "basis.page", "observations.page"]
    source: str
    quote: str
    old: list[int] | None
    new: list[int] | None


class HistoryChange(TypedDict):
    """A dated status entry of a constraint (its ``history``, matched by status and date) came or went."""

    change: Literal["history-added", "history-removed"]
    field: Literal["history"]
    status: str
    effective: str
    note: str | None


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
    | WindowChange
    | GradeChange
    | CitationChange
    | CitationGradeChange
    | CitationPageChange
    | HistoryChange
    | PeriodChange
    | ObservationValueChange
    | ObservationChange
)


class Transition(TypedDict):
    old: str | None
    new: str | None


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
    expected: NotRequired[str | None]  # catalysts: the date or window as written
    tripped: NotRequired[bool]  # kill criteria


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


class Figure(TypedDict):
    """A scenario figure on each side (``None`` where that side has no scenarios) and the change."""

    old: float | None
    new: float | None
    change: float | None


class ScenarioCaseChange(TypedDict):
    """One case (matched by name: bull, base, bear) added, removed or changed."""

    name: str
    status: Literal["added", "removed", "modified"]
    probability: Figure
    value: Figure
    changes: list[Change]  # its description reworded (with a redline)


class ScenariosChange(TypedDict):
    """The bull, base and bear cases, compared: set, dropped, or changed.

    ``expected`` is the probability-weighted value, ``expected_change`` its change against ``current`` as a
    fraction, ``tilt`` upside, downside or balanced; ``date`` the day the desk set them, where given.
    """

    status: Literal["added", "removed", "modified"]
    metric: str
    unit: str
    date: Transition
    expected: Figure
    expected_change: Figure
    current: Figure
    tilt: Transition
    cases: list[ScenarioCaseChange]
    changes: list[Change]  # the metric, unit or date changed


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
    scenarios: ScenariosChange | None  # None: the same on both sides, or neither has any
