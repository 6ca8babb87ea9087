"""A snapshot read back from a file: untrusted data, checked field by field before anything uses it.

``thesis diff A B`` and ``thesis list`` read snapshots that may come from
anywhere (an old version, a hand edit, a hostile PDF). :class:`SnapshotRead`
types every field the diff and its score attribution read: strict (a string
is not a number, an integer is not a list), finite (no NaN), dates as
``YYYY-MM-DD``. Fields a newer writer adds are allowed, untouched. The scoring
configuration a snapshot carries must validate as a
:class:`~thesis.scoring.config.ScoringConfig`, since the score attribution
computes with it.
:func:`validate_snapshot` returns the problems as ``path: what is wrong``
lines; an empty list means the snapshot is safe to diff.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from thesis.inputs.dates import not_a_date, parse_date

# The largest snapshot or PDF brief read back (a 1,000-point brief's PDF is about 5 MiB).
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024


def iso_date(text: str) -> str:
    """A date as a snapshot writes it: YYYY-MM-DD exactly (not 20250630 or 2025-W26-1), read as the inputs are."""
    parse_date(text)
    if text != text.strip():
        raise ValueError(not_a_date(text))
    return text


IsoDate = Annotated[str, AfterValidator(iso_date)]


class _Read(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=False, frozen=True)


class CitationRead(_Read):
    source: str
    quote: str
    grade: str | None = None
    number: int | None = None
    verified: bool | None = None
    page: int | None = None
    page_end: int | None = None


class _ItemRead(_Read):
    id: str


class _ScoredRead(_ItemRead):
    raw: float
    age_days: int
    contribution: float | None = None
    citations: list[CitationRead]
    grade: str | None = None
    weight: float | None = None
    quality: float | None = None
    recency: float | None = None
    share: float | None = None
    body: str | None = None


class PointRead(_ScoredRead):
    stance: Literal["bull", "bear"]
    category: str
    impact: int
    title: str | None = None


class StatusRead(_Read):
    status: str
    effective: IsoDate
    note: str | None = None


class ConstraintRead(_ScoredRead):
    status: str
    severity: int
    kind: str | None = None  # snapshots before constraint kinds have none: an export control
    item: str | None = None
    authority: str | None = None
    effective: IsoDate | None = None
    effective_estimated: bool | None = None
    affects: list[str] | None = None
    history: list[StatusRead] | None = None


class ObservationRead(_Read):
    value: float
    date: IsoDate | None = None
    period: str | None = None
    note: str | None = None
    citation: CitationRead | None = None


class MetricRead(_ItemRead):
    name: str | None = None
    unit: str | None = None
    description: str | None = None
    higher_is_better: bool | None = None
    disagreement: bool | None = None
    observations: list[ObservationRead] = []


class SourceRead(_ItemRead):
    number: int | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: IsoDate | None = None
    published_estimated: bool | None = None
    published_basis: str | None = None
    url: str | None = None
    retrieved: IsoDate | None = None
    file: str | None = None
    reliability: str | None = None
    sha256: str | None = None
    cited_by: list[str] | None = None


class CatalystRead(_ItemRead):
    title: str
    status: str
    overdue: bool = False
    kind: str | None = None
    expected: str | None = None
    window: list[IsoDate] | None = None
    timing: str | None = None
    tests: list[str] | None = None
    outcome: str | None = None
    resolved: IsoDate | None = None
    citations: list[CitationRead] = []


class KillCriterionRead(_ItemRead):
    title: str
    tripped: bool
    reading: str
    kind: str | None = None
    watches: str | None = None
    rationale: str | None = None
    citations: list[CitationRead] = []
    basis: list[CitationRead] = []


class CaseRead(_Read):
    name: str
    probability: float
    value: float
    description: str | None = None


class ScenariosRead(_Read):
    metric: str
    unit: str
    current: float
    expected: float
    expected_change: float
    tilt: str
    cases: list[CaseRead]
    date: IsoDate | None = None


class CompanyRead(_Read):
    id: str | None = None
    name: str | None = None
    short_name: str | None = None
    tickers: list[str] | None = None
    sector: str | None = None
    analyst: str | None = None
    summary: str | None = None
    summary_written: IsoDate | None = None


class ScoringRead(_Read):
    config: dict[str, Any] = {}
    hash: str | None = None


class SnapshotHead(_Read):
    """What ``thesis list`` reads of a brief's snapshot."""

    as_of: IsoDate
    score: float | None = None
    rating: str | None = None
    inputs_sha256: str | None = None  # the inputs the brief was made from (thesis.commands.cache.tree_digest)


class SnapshotRead(SnapshotHead):
    """What ``thesis diff`` reads of a snapshot."""

    schema_version: int
    score: float
    rating: str
    uncapped_rating: str | None = None
    capped_by: list[str] | None = None
    generator: str | None = None
    company: CompanyRead | None = None
    scoring: ScoringRead | None = None
    category_totals: dict[str, float] | None = None
    points: list[PointRead]
    metrics: list[MetricRead]
    constraints: list[ConstraintRead]
    sources: list[SourceRead] = []
    catalysts: list[CatalystRead] = []
    kill_criteria: list[KillCriterionRead] = []
    scenarios: ScenariosRead | None = None


MAX_PROBLEMS = 5


def validate_snapshot(data: dict[str, Any]) -> list[str]:
    """Every way ``data`` is not a snapshot the diff can read, as ``path: what is wrong`` (at most a few)."""
    try:
        parsed = SnapshotRead.model_validate(data)
    except ValidationError as exc:
        return [_line(error) for error in exc.errors(include_url=False)[:MAX_PROBLEMS]]
    if parsed.scoring is None:
        return []
    return _config_problems(parsed.scoring.config)


def read_head(data: object) -> SnapshotHead | None:
    """The as-of date, score and rating of a snapshot, or ``None`` when they are not what they should be."""
    try:
        return SnapshotHead.model_validate(data)
    except ValidationError:
        return None


def _line(error: Any) -> str:
    path = ""
    for part in error["loc"]:
        path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
    message = _PLAIN.get(error["type"]) or str(error["msg"]).removeprefix("Value error, ")
    given = error.get("input")
    shown = "" if isinstance(given, (dict, list)) or error["type"] == "missing" else f" (got {_short(given)})"
    return f"{path or 'the snapshot'}: {message}{shown}"


_PLAIN = {
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "dict_type": "expected a mapping",
    "list_type": "expected a list",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "finite_number": "expected a finite number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "missing": "missing",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _config_problems(given: dict[str, Any]) -> list[str]:
    """Where the carried scoring configuration does not validate as a :class:`ScoringConfig` would.

    Keys this version does not know are left out (a newer version may carry more).
    """
    from thesis.scoring.config import ScoringConfig

    known = {key: value for key, value in given.items() if key in ScoringConfig.model_fields}
    try:
        ScoringConfig.model_validate({**ScoringConfig().canonical(), **known})
    except ValidationError as exc:
        lines = [_line(error) for error in exc.errors(include_url=False)[:MAX_PROBLEMS]]
        return [f"scoring.config.{line}" for line in lines]
    return []
