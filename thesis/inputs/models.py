"""The typed shape of a thesis: closed, frozen pydantic models that do no I/O.

A company's inputs (``inputs/<company>/*.yaml``) are merged into one mapping
whose top-level keys are the fields of :class:`Thesis`. Field descriptions
here are the reference for the input format (``thesis schema`` and
``docs/inputs.md`` are generated from them).
"""

import datetime as dt
import math
import re
import typing
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from thesis.inputs.dates import date_fix, parse_date, readings
from thesis.inputs.periods import Period, parse_window
from thesis.inputs.plain_text import plain_text
from thesis.scoring.config import ScoringOverrides

# Any text. Like every text field of a Model (see Model._plain_texts), it refuses control characters
# (line breaks and tabs aside) and bidirectional controls.
PlainText = str
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]

# Scenario values stay far from float overflow, so every sum, ratio and chart position is finite.
SCENARIO_LIMIT = 1e15
SCENARIO_SMALLEST_CURRENT = 1e-6
ScenarioFigure = Annotated[float, Field(ge=-SCENARIO_LIMIT, le=SCENARIO_LIMIT)]

RelativeFile = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
V = TypeVar("V", bound="Version")

Stance = Literal["bull", "bear"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
ConstraintStatus = Literal["allowed", "approved", "licensed", "restricted", "blocked", "halted"]
Affects = Literal["training", "inference", "supply", "sales", "costs", "operations"]
ConstraintKind = Literal["export-control", "import-control", "tariff", "sanction", "investment-screening", "other"]
# Each kind of constraint: what one is called, what several are called, and the score category it deducts in.
CONSTRAINT_KINDS: dict[str, tuple[str, str, str]] = {
    "export-control": ("export control", "export controls", "export-controls"),
    "import-control": ("import control", "import controls", "import-controls"),
    "tariff": ("tariff", "tariffs", "tariffs"),
    "sanction": ("sanction", "sanctions", "sanctions"),
    "investment-screening": ("investment-screening rule", "investment-screening rules", "investment-screening"),
    "other": ("trade restriction", "trade restrictions", "trade-restrictions"),
}

KIND_BY_CATEGORY = {category: kind for kind, (_, _, category) in CONSTRAINT_KINDS.items()}


def constraints_noun(kinds: Iterable[str], *, one: bool = False) -> str:
    """What a brief calls its constraints: "export controls" when every one is an export control (or there are
    none), the plural of the one kind when they are all of it, else "trade restrictions"; ``one``: the singular."""
    found = set(kinds) or {"export-control"}
    if len(found) == 1:
        return CONSTRAINT_KINDS[found.pop()][0 if one else 1]
    return "trade restriction" if one else "trade restrictions"


CatalystKind = Literal[
    "earnings", "regulatory-decision", "product-launch", "conference", "policy", "capital", "deal", "expansion", "other"
]
CatalystStatus = Literal["upcoming", "happened", "missed"]


class Model(BaseModel):
    """Closed and frozen: an unknown field is an error, nothing mutates after loading.

    Numbers must be finite: YAML's ``.inf`` and ``.nan`` are refused, so no NaN reaches the scoring.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _plain_texts(cls, value: Any) -> Any:
        """Every text field, and every text in a list field, of every model: no control or bidirectional
        characters, however they were written (raw, or as a YAML escape the YAML reader cannot see)."""
        if isinstance(value, str):
            return plain_text(value)
        if isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, str):
                    plain_text(item)
        return value

    @field_validator("*", mode="before")
    @classmethod
    def _dates_are_days(cls, value: Any, info: ValidationInfo) -> Any:
        """A date field takes a date, never a number (pydantic would read 20250101 as seconds since 1970)
        nor a date with a time of day."""
        if isinstance(value, (int, float, dt.datetime)) and info.field_name in _date_fields(cls):
            raise ValueError(not_a_day(value))
        if isinstance(value, str) and info.field_name in _date_fields(cls):
            return parse_date(value)
        return value


_DATE_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


def _date_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold a plain date (``dt.date`` or ``dt.date | None``)."""
    if model not in _DATE_FIELDS:
        _DATE_FIELDS[model] = frozenset(
            name
            for name, info in model.model_fields.items()
            if info.annotation is dt.date or dt.date in typing.get_args(info.annotation)
        )
    return _DATE_FIELDS[model]


def not_a_day(value: Any) -> str:
    """Why ``value`` (a number, or a date with a time) is not a date, and what to write: "what; fix"."""
    if isinstance(value, dt.datetime):
        return f"{value.isoformat(sep=' ')} is a date with a time of day; write the date alone, {value.date()}"
    return f"{value} is a number, not a date; {date_fix(value)}"


class DateInfo(Model):
    """A date as the record gives it: printed, or estimated with the basis of the estimate.

    In YAML either a plain date (``2025-05-07``) or
    ``{estimate: 2025-09-24, basis: "reports the Apsara keynote"}``.
    """

    date: dt.date = Field(description="The date (or the estimated date).")
    estimated: bool = Field(False, description="True when the record prints no date and this is an estimate.")
    basis: PlainText | None = Field(
        None,
        description=(
            "Why the estimate is what it is; required for an estimate. One text, not dated versions: it goes with "
            "the date it explains, which decides what a brief as of a day knew (a later reading is a corrected date)."
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return {"date": value.date()}
        if isinstance(value, (int, float)):
            raise ValueError(not_a_day(value))
        if isinstance(value, dt.date):
            return {"date": value}
        if isinstance(value, str):
            try:
                return {"date": parse_date(value)}
            except ValueError as exc:
                if readings(value) or "real date" in str(exc):
                    raise
                raise ValueError(f'{exc}, or {{estimate: YYYY-MM-DD, basis: "..."}} for an estimate') from None
        if isinstance(value, dict) and "estimate" in value:
            extra = set(value) - {"estimate", "basis"}
            if extra:
                raise ValueError(f"unknown key {sorted(extra)[0]!r} in an estimated date; use only estimate and basis")
            if not value.get("basis"):
                raise ValueError('an estimated date needs a basis; write {estimate: YYYY-MM-DD, basis: "why"}')
            return {"date": value["estimate"], "estimated": True, "basis": value["basis"]}
        if isinstance(value, dict):
            raise ValueError('this mapping is not a date; write YYYY-MM-DD, or {estimate: YYYY-MM-DD, basis: "..."}')
        return value

    def display(self) -> str:
        return f"c. {self.date.isoformat()}" if self.estimated else self.date.isoformat()


class Version(Model):
    """One dated version of a text the desk wrote: a brief as of an earlier date shows the version valid then."""

    written: dt.date = Field(
        description=(
            "The day this version was written. It may rest only on sources published by then: a brief as of "
            "a date shows the newest version written by that date, and none written later."
        )
    )
    text: Text = Field(description="The text of this version, in Markdown where the field allows it.")


class TitleVersion(Version):
    """One dated version of a one-line text: a title, or a catalyst's timing."""

    text: ShortText = Field(description="The line as written on that day.")


def window_text(value: Any) -> Any:
    """An expected day or window as text, however YAML read it (a date, or a bare year), checked with the one
    parser of windows: ``ValueError("what; fix")`` when it names none."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        parse_window(value)
    return value


class WindowVersion(TitleVersion):
    """One dated version of a catalyst's expected day or window: a later version that moves the window is a
    slip (or a pull forward), and a brief as of a date before it shows the window then in force."""

    text: ShortText = Field(
        description="The day or window as written on that day: 2026-02-20, 2026-02, Feb 2026, Q1 2026, 1H 2026, 2026."
    )

    _window = field_validator("text", mode="before")(window_text)


def _in_order(versions: Any) -> Any:
    """Versions listed oldest first, one per day: refuse anything else."""
    if isinstance(versions, list):
        days = [v.written for v in versions]
        for earlier, later in zip(days, days[1:], strict=False):
            if later <= earlier:
                raise ValueError(
                    f"a version written {later.isoformat()} follows one written {earlier.isoformat()}; "
                    "list the versions oldest first, at most one per day"
                )
    return versions


def dated_versions(text: str | list[V] | None, default: dt.date, cls: type[V]) -> list[V]:
    """A text's versions, oldest first; a plain text is one version that counts as written on ``default``."""
    if text is None:
        return []
    if isinstance(text, str):
        return [cls(written=default, text=text)]
    return list(text)


def latest(text: str | Sequence[Version] | None) -> str | None:
    """The newest version of a text (the text itself when it is plain), or None when there is none."""
    if text is None or isinstance(text, str):
        return text
    return text[-1].text if text else None


def written_on(text: str | Sequence[Version] | None) -> dt.date | None:
    """The day the newest version of a text was written; None for a plain text (undated) or for none."""
    return text[-1].written if isinstance(text, Sequence) and not isinstance(text, str) and text else None


def _text_or_versions(value: Any) -> str:
    """Which form a dated text takes, so that a mistake is reported against that form alone."""
    return "prose[versions]" if isinstance(value, list) else "prose[text]"


# A text the desk writes: plain, or a list of dated versions. An empty list says that no version is
# written yet (the inputs as of a date, thesis.scoring.asof.inputs_as_of, may hold none), and a brief
# shows the evidence alone with a note. The tags carry "[" so that error locations leave them out (see
# thesis.inputs.loader).
Prose = Annotated[
    Annotated[Text, Tag("prose[text]")] | Annotated[list[Version], Tag("prose[versions]")],
    Discriminator(_text_or_versions),
]
NoteProse = Annotated[
    Annotated[PlainText, Tag("prose[text]")] | Annotated[list[Version], Tag("prose[versions]")],
    Discriminator(_text_or_versions),
]
Title = Annotated[
    Annotated[ShortText, Tag("prose[text]")]
    | Annotated[list[TitleVersion], Field(min_length=1), Tag("prose[versions]")],
    Discriminator(_text_or_versions),
]
# A one-line text that is not a title (a catalyst's timing): like a title, but [] while none is written.
Line = Annotated[
    Annotated[ShortText, Tag("prose[text]")] | Annotated[list[TitleVersion], Tag("prose[versions]")],
    Discriminator(_text_or_versions),
]
# A catalyst's expected day or window: one, or dated versions ([] while none is written), each a window.
Expected = Annotated[
    Annotated[ShortText, Tag("prose[text]")] | Annotated[list[WindowVersion], Tag("prose[versions]")],
    Discriminator(_text_or_versions),
]


class Ticker(Model):
    """One listing of the company's shares."""

    symbol: ShortText = Field(description='Ticker symbol, e.g. BABA or "9988" (quote numeric symbols).')
    exchange: ShortText = Field(description="Exchange, e.g. NYSE, HKEX.")

    @field_validator("symbol", mode="before")
    @classmethod
    def _symbol_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Company(Model):
    """Who the thesis is about, as the brief's title page shows it."""

    name: ShortText = Field(description="Full legal or common name, e.g. Alibaba Group Holding Limited.")
    short_name: ShortText | None = Field(None, description="Short name used in running text, e.g. Alibaba.")
    tickers: list[Ticker] = Field(min_length=1, description="One or more listings.")
    sector: ShortText = Field(description="Sector or industry.")
    headquarters: ShortText = Field(description="City and country of the headquarters.")
    analyst: ShortText = Field(description="Who keeps this thesis.")
    summary: Prose = Field(
        description=(
            "One paragraph of Markdown: the thesis in brief. Either one text, which counts as written on the "
            "newest source's publication date, or dated versions oldest first ([{written: YYYY-MM-DD, text: ...}]; "
            "[] while none is written): a brief as of a date shows the newest version written by then, and says so "
            "plainly when there is none."
        )
    )

    fiscal_year_end: Annotated[int, Field(ge=1, le=12)] = Field(
        12,
        description=(
            "The month the company's fiscal year ends, 1 to 12 (3 for a year to March): FY2026 is then April "
            "2025 to March 2026 in the metric charts. Default 12, the calendar year."
        ),
    )
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = Field(
        None,
        description=(
            "ISO 4217 code of the prices in prices.csv, e.g. USD or HKD; required when the folder has prices.csv."
        ),
    )
    benchmark: ShortText | None = Field(
        None, description="What benchmark.csv holds, e.g. Hang Seng Index; returns are measured against it."
    )

    _summary_order = field_validator("summary")(_in_order)

    @property
    def current_summary(self) -> str | None:
        """The newest summary, or None in an as-of view when none was written by its date."""
        return latest(self.summary)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Source(Model):
    """A document the thesis rests on, archived as text under ``sources/``."""

    id: Slug = Field(description="Unique id, cited by evidence (lowercase letters, digits, hyphens).")
    title: ShortText = Field(description="Title of the document.")
    publisher: ShortText | None = Field(None, description="Publisher, where known.")
    author: ShortText | None = Field(None, description="Author, where known.")
    published: DateInfo = Field(description="Publication date, or {estimate, basis} where none is printed.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)] | None = Field(
        None, description="Where the document was found (http or https), where known."
    )
    retrieved: dt.date = Field(description="When the text was archived under sources/.")
    file: RelativeFile = Field(
        description="The archived text: a regular file (not a link) under the company's sources/ folder, "
        "e.g. sources/wsj-2025.txt."
    )
    reliability: Reliability = Field(
        description="Admiralty source reliability: A completely reliable … E unreliable, F cannot be judged."
    )
    notes: PlainText | None = Field(None, description="Optional note on what the document is.")
    original: RelativeFile | None = Field(
        None,
        description=(
            "The document as received (a saved web page or a PDF), relative to the company folder, "
            "e.g. sources/originals/wsj-2025.pdf; `thesis source add` keeps it and writes `file` from it."
        ),
    )
    sha256: Sha256 | None = Field(
        None, description="SHA-256 of `file` when it was archived; `thesis check` fails if the text has changed."
    )
    original_sha256: Sha256 | None = Field(
        None, description="SHA-256 of `original` when it was archived; `thesis check` fails if it has changed."
    )

    @model_validator(mode="after")
    def _original_hash_needs_original(self) -> Self:
        if self.original_sha256 is not None and self.original is None:
            raise ValueError("original_sha256 is given without original; add the original's path, or remove the hash")
        return self


class Citation(Model):
    """A verbatim quote from a source, backing a point or a constraint."""

    source: Slug = Field(description="The id of a source.")
    quote: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)] = Field(
        description="A verbatim quote from the source text (white space, quotes and dashes are normalised)."
    )
    credibility: Annotated[int, Field(ge=1, le=6)] = Field(
        6,
        description="Admiralty information credibility: 1 confirmed by other sources … 6 cannot be judged.",
    )


class Point(Model):
    """A bull or bear argument, weighted by its impact and the quality of its evidence."""

    id: Slug = Field(description="Unique id among points, metrics and constraints.")
    stance: Stance = Field(description="bull or bear.")
    title: Title = Field(
        description=(
            "One-line claim: one text, which counts as written on the point's since date, or dated versions "
            "oldest first. A brief shows the point only once a title for it was written."
        )
    )
    category: Slug = Field(
        description=(
            "Category slug, the analyst's own word for a theme, e.g. orders, margins, valuation, regulation; "
            "each weighs 1.0 unless scoring.category_weights weighs it."
        )
    )
    impact: Annotated[int, Field(ge=1, le=5)] = Field(description="1 (minor) to 5 (thesis-defining).")
    body: Prose = Field(
        description=(
            "The reasoning, in Markdown (raw HTML is not allowed and is shown as text): one text, which counts as "
            "written on the point's since date, or dated versions oldest first ([] while none is written). Where no "
            "version was written by a brief's date, the brief shows the evidence alone with a note."
        )
    )
    evidence: list[Citation] = Field(min_length=1, description="One or more citations.")
    since: dt.date | None = Field(
        None,
        description=(
            "The day the desk first held this point; briefs as of an earlier date leave it out. "
            "Without it, the publication date of its earliest cited source."
        ),
    )

    _versions_order = field_validator("title", "body")(_in_order)

    @property
    def current_title(self) -> str:
        """The newest title (in an as-of view, the newest written by its date)."""
        return latest(self.title) or ""

    @property
    def current_body(self) -> str | None:
        """The newest reasoning, or None in an as-of view when none was written by its date."""
        return latest(self.body)


# What YAML 1.1 reads as text although it looks like a number: 1e9, 2E-3 (it wants 1.0e+9).
_EXPONENT_WITHOUT_POINT = re.compile(r"^[-+]?\d+(\.\d*)?[eE][-+]?\d+$")


def _plain_float(text: str) -> str:
    try:
        number = float(text)
    except (ValueError, OverflowError):
        return "the figure in full"
    return f"{number:.15g}" if math.isfinite(number) else "the figure in a larger unit"


def _fits_a_float(value: int) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


class Observation(Model):
    """One figure for a metric, as one source gives it."""

    value: float = Field(description="The number, in the metric's unit.")
    date: dt.date | None = Field(None, description="The date the figure refers to or was reported.")
    period: ShortText | None = Field(
        None,
        description=(
            "The period the figure describes, e.g. Q3 2025, 2H 2024, 9M 2026 or Q1-Q3 2026, FY2026E or GJ 2026, "
            "2023, 3 years from Feb 2025 (every form: thesis/inputs/periods.py); "
            "charts place the figure at the middle of it (a trailing E marks an estimate). A label that starts "
            "with no period these forms name is charted at the date, else at its source's publication date."
        ),
    )
    source: Slug = Field(description="The id of a source.")
    quote: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] = Field(
        description="A verbatim quote from the source that contains the number."
    )
    credibility: Annotated[int, Field(ge=1, le=6)] = Field(6, description="Admiralty information credibility 1–6.")
    note: NoteProse | None = Field(
        None,
        description=(
            "Optional note, e.g. approximate, at least, estimate. One text, which counts as written when its "
            "source was published, or dated versions oldest first ([] while none is written), so that a note "
            'written later ("probably a dropped zero") is not in a brief dated before it.'
        ),
    )

    _versions_order = field_validator("note")(_in_order)

    @property
    def current_note(self) -> str | None:
        """The newest note, or None when there is none (in an as-of view, none written by its date)."""
        return latest(self.note)

    @field_validator("value", mode="before")
    @classmethod
    def _plain_number(cls, value: Any) -> Any:
        if isinstance(value, str) and _EXPONENT_WITHOUT_POINT.match(value.strip()):
            raise ValueError(
                f"YAML reads {value.strip()} as text, not a number (an exponent needs a decimal point there); "
                f"write {_plain_float(value)}, or with the unit in the metric's unit (e.g. USD bn)"
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("write the value as a plain number; e.g. 35 or 21.8, with the unit in the metric's unit")
        if isinstance(value, int) and not _fits_a_float(value):
            raise ValueError(
                f"the number has {len(str(abs(value)))} digits, too large to compute with; "
                "write it in a larger unit (e.g. USD bn instead of USD)"
            )
        return value

    @model_validator(mode="after")
    def _date_or_period(self) -> Self:
        if self.date is None and self.period is None:
            raise ValueError("an observation has neither a date nor a period; give one (or both)")
        return self

    @property
    def label(self) -> str:
        return self.period or (self.date.isoformat() if self.date else "")


class Metric(Model):
    """A quantity the thesis tracks; sources that disagree are kept side by side."""

    id: Slug = Field(description="Unique id among points, metrics and constraints.")
    name: ShortText = Field(description="What is measured.")
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] = Field(
        description=(
            "Unit of every observation, e.g. %, USD bn, CNY bn, million, EUR. In a currency's own unit (EUR, "
            "USD per share) the brief prints each figure with two decimals, as prices are written (1.20, 23.40; "
            "0.855 keeps its third); in any other unit, with the decimals it has (571.2, 31)."
        )
    )
    higher_is_better: bool = Field(description="Whether a higher value is good for the thesis.")
    description: NoteProse | None = Field(
        None,
        description=(
            "Optional: exactly what is measured. One text, which counts as written when the earliest observation's "
            "source was published, or dated versions oldest first."
        ),
    )
    observations: list[Observation] = Field(min_length=1, description="Every observation the sources give.")

    _versions_order = field_validator("description")(_in_order)

    @property
    def current_description(self) -> str | None:
        return latest(self.description)


class StatusChange(Model):
    """A later status of a constraint: what it became, from when, and the evidence for it."""

    status: ConstraintStatus = Field(
        description="The new status: allowed, approved, licensed, restricted, blocked or halted."
    )
    date: DateInfo = Field(description="When the new status took effect, or {estimate, basis}.")
    evidence: list[Citation] = Field(min_length=1, description="One or more citations for the new status.")
    note: NoteProse | None = Field(
        None,
        description=(
            "Optional: what changed, in a line. One text, which counts as written when the change's earliest "
            "cited source was published, or dated versions oldest first ([] while none is written)."
        ),
    )

    _versions_order = field_validator("note")(_in_order)

    @property
    def current_note(self) -> str | None:
        """The newest note, or None when there is none (in an as-of view, none written by its date)."""
        return latest(self.note)


class Constraint(Model):
    """An export control, tariff, sanction or similar rule that limits what the company can buy, build or sell.

    ``status``, ``effective`` and ``evidence`` give its first status; ``changes`` its later ones. A brief as
    of a date shows the newest status that had taken effect and been reported (one of its sources published)
    by then.
    """

    id: Slug = Field(description="Unique id among points, metrics and constraints.")
    kind: ConstraintKind = Field(
        "export-control",
        description=(
            "export-control (the default), import-control, tariff, sanction, investment-screening or other. "
            "It names the constraint in the brief and the score category it deducts in."
        ),
    )
    item: ShortText = Field(description="What is controlled, e.g. NVIDIA H20, EUV tools.")
    status: ConstraintStatus = Field(description="allowed, approved, licensed, restricted, blocked or halted.")
    authority: ShortText = Field(description="Who imposes it, e.g. US export rules, Beijing directive.")
    effective: DateInfo = Field(description="When it took effect, or {estimate, basis}.")
    affects: list[Affects] = Field(
        min_length=1, description="Any of training, inference (AI compute), supply, sales, costs, operations."
    )
    severity: Annotated[int, Field(ge=1, le=5)] = Field(description="1 (minor) to 5 (thesis-breaking).")
    body: NoteProse | None = Field(
        None,
        description=(
            "Optional Markdown note: one text, which counts as written when its earliest cited source was "
            "published, or dated versions oldest first."
        ),
    )
    evidence: list[Citation] = Field(min_length=1, description="One or more citations.")
    changes: list[StatusChange] = Field(
        default_factory=lambda: [],
        description=(
            "Later changes of status, oldest first, each with its date and its own citations; status, effective "
            "and evidence above are the first status. A brief as of a date shows the status in force then."
        ),
    )

    _versions_order = field_validator("body")(_in_order)

    @model_validator(mode="after")
    def _changes_in_order(self) -> Self:
        previous = self.effective.date
        for change in self.changes:
            if change.date.date <= previous:
                raise ValueError(
                    f"a change of status dated {change.date.date.isoformat()} is not after "
                    f"{previous.isoformat()}; list the changes oldest first, each after the status before it"
                )
            previous = change.date.date
        return self

    @property
    def current_body(self) -> str | None:
        return latest(self.body)


class Catalyst(Model):
    """A coming event that will test the thesis: results, a ruling, a launch.

    ``expected`` is a day (``2026-02-20``) or a window (``2026-02``, ``Q1 2026``,
    ``1H 2026``, ``2026``), or dated versions of one when it moved (a slip); without one, ``timing`` says what
    is known of when.
    """

    id: Slug = Field(description="Unique id among catalysts.")
    title: Title = Field(
        description=(
            "What will happen, e.g. Q3 FY2026 results: one text, which counts as written when its earliest "
            "cited source was published (uncited, on any day), or dated versions oldest first. A brief shows "
            "the catalyst only once a title for it was written."
        )
    )
    kind: CatalystKind = Field(
        description=(
            "earnings, regulatory-decision, product-launch, conference, policy, capital, deal, expansion or other."
        )
    )
    expected: Expected | None = Field(
        None,
        description=(
            "When it is expected: a day (2026-02-20) or a window (2026-02, Feb 2026, Q1 2026, 1H 2026, 2026); "
            "leave it out when the sources give no date, and say so in timing. One, which counts as written when "
            "the catalyst's earliest cited source was published (uncited, on any day), or dated versions oldest "
            "first when the date moved ([{written: 2025-11-02, text: Q1 2026}, {written: 2026-02-10, text: Q3 "
            "2026}]): a brief shows the window written by its date, a later window as slipped and an earlier one "
            "as brought forward."
        ),
    )
    timing: Line | None = Field(
        None,
        description=(
            'What is known of when, e.g. "the sources give no date"; required without expected. One text, which '
            "counts as written when the catalyst's earliest cited source was published (uncited, on any day), or "
            "dated versions oldest first ([] while none is written), so that a brief as of May does not say "
            '"slipped to Q3 after the July call".'
        ),
    )
    tests: list[Slug] = Field(
        default_factory=lambda: [], description="The ids of the points, metrics or constraints it will test."
    )
    status: CatalystStatus = Field("upcoming", description="upcoming, happened (give outcome) or missed.")
    outcome: Prose | None = Field(
        None,
        description=(
            "What happened; required when status is happened. A brief as of a day before the catalyst was "
            "resolved shows none. One text, which counts as written on the day it was resolved (or when its "
            "earliest cited source was published, if later), or dated versions oldest first ([] while none is "
            "written)."
        ),
    )
    resolved: dt.date | None = Field(
        None,
        description=(
            "The day it happened or was called missed; a brief as of an earlier date shows it as upcoming. "
            "Without it, the last day of expected (of its newest window, when it moved)."
        ),
    )
    evidence: list[Citation] = Field(
        default_factory=lambda: [], description="Citations announcing it or reporting the outcome, where a source does."
    )

    _versions_order = field_validator("title", "timing", "outcome", "expected")(_in_order)

    @property
    def current_title(self) -> str:
        """The newest title (in an as-of view, the newest written by its date)."""
        return latest(self.title) or ""

    @property
    def current_timing(self) -> str | None:
        """The newest timing, or None when there is none (in an as-of view, none written by its date)."""
        return latest(self.timing)

    @property
    def current_outcome(self) -> str | None:
        """The newest outcome, or None when there is none (in an as-of view, none written by its date)."""
        return latest(self.outcome)

    @property
    def current_expected(self) -> str | None:
        """The newest expected day or window, or None when there is none (in an as-of view, none written by
        its date: the catalyst is then undated, like one with timing alone)."""
        return latest(self.expected)

    _window = field_validator("expected", mode="before")(window_text)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.expected is None and self.timing is None:
            raise ValueError(
                "a catalyst without an expected date needs timing; "
                'give expected (e.g. Q1 2026), or timing: "the sources give no date"'
            )
        if self.status == "happened" and self.outcome is None:
            raise ValueError("a catalyst that happened needs its outcome; write outcome: what happened")
        if self.status == "upcoming" and (self.outcome is not None or self.resolved is not None):
            raise ValueError(
                "an upcoming catalyst has no outcome or resolved date yet; "
                "set status to happened or missed, or remove outcome and resolved"
            )
        if self.status != "upcoming" and self.resolved is None and not self.expected and not self.evidence:
            raise ValueError(
                f"a {self.status} catalyst needs the day it was resolved, or a citation reporting it; "
                "add resolved: YYYY-MM-DD, or evidence"
            )
        return self

    @property
    def window(self) -> Period | None:
        """The expected day or window, as first and last day."""
        expected = self.current_expected
        return parse_window(expected) if expected is not None else None

    @property
    def resolved_on(self) -> dt.date | None:
        """When its status stopped being upcoming: ``resolved``, else the last day expected; ``None`` for an
        undated one, known as resolved from its newest citing source (:func:`thesis.scoring.asof.known_resolved`)."""
        if self.status == "upcoming":
            return None
        window = self.window
        return self.resolved or (window.end if window is not None else None)


class KillCriterion(Model):
    """A condition under which the desk abandons the call, evaluated as of the brief's date.

    Exactly one of: a metric's latest observation ``above`` or ``below`` a
    threshold; a constraint reaching one of ``status``; a catalyst ``missed``
    or not happened by ``not_happened_by``.
    """

    id: Slug = Field(description="Unique id among kill criteria.")
    title: Title = Field(
        description=(
            "The condition in words, e.g. Quarterly free cash flow below -40 bn yuan: one text, which counts "
            "as written when its earliest cited source was published (uncited, on any day), or dated versions "
            "oldest first. A brief shows the criterion only once a title for it was written."
        )
    )
    metric: Slug | None = Field(None, description="A metric's id: trips on its latest observation.")
    above: float | None = Field(None, description="With metric: trips when the latest value is above this.")
    below: float | None = Field(None, description="With metric: trips when the latest value is below this.")
    constraint: Slug | None = Field(None, description="A constraint's id: trips when it is in force with status.")
    status: list[ConstraintStatus] | None = Field(
        None, description="With constraint: the statuses that trip it, e.g. [blocked, halted]."
    )
    catalyst: Slug | None = Field(None, description="A catalyst's id: trips when missed, or not happened by a date.")
    missed: bool = Field(False, description="With catalyst: trips when the catalyst is missed.")
    not_happened_by: dt.date | None = Field(
        None, description="With catalyst: trips when it has not happened by this day."
    )
    rationale: NoteProse | None = Field(
        None,
        description=(
            "Optional Markdown: why this would kill the thesis. One text, which counts as written when its "
            "earliest cited source was published, or dated versions oldest first."
        ),
    )
    evidence: list[Citation] = Field(
        default_factory=lambda: [], description="Citations behind the criterion: why this condition matters."
    )

    _versions_order = field_validator("title", "rationale")(_in_order)

    @property
    def current_title(self) -> str:
        """The newest title (in an as-of view, the newest written by its date)."""
        return latest(self.title) or ""

    @property
    def current_rationale(self) -> str | None:
        return latest(self.rationale)

    @field_validator("status", mode="before")
    @classmethod
    def _one_status(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_condition(self) -> Self:
        kinds = [name for name in ("metric", "constraint", "catalyst") if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a kill criterion needs exactly one of metric, constraint or catalyst; "
                "split it into one criterion per condition"
                if kinds
                else "a kill criterion names nothing to watch; give metric (with above or below), "
                "constraint (with status) or catalyst (with missed or not_happened_by)"
            )
        kind = kinds[0]
        stray = {
            "metric": ("status", "missed", "not_happened_by"),
            "constraint": ("above", "below", "missed", "not_happened_by"),
            "catalyst": ("above", "below", "status"),
        }[kind]
        for name in stray:
            if getattr(self, name) not in (None, False):
                raise ValueError(f"{name} does not apply to a {kind} criterion; remove {name}")
        if kind == "metric" and (self.above is None) == (self.below is None):
            raise ValueError("a metric criterion needs one threshold; give either above or below")
        if kind == "constraint" and not self.status:
            raise ValueError("a constraint criterion needs the statuses that trip it; add status, e.g. [blocked]")
        if kind == "catalyst" and not self.missed and self.not_happened_by is None:
            raise ValueError("a catalyst criterion needs its trigger; add missed: true or not_happened_by: YYYY-MM-DD")
        return self

    @property
    def kind(self) -> Literal["metric", "constraint", "catalyst"]:
        if self.metric is not None:
            return "metric"
        return "constraint" if self.constraint is not None else "catalyst"

    @property
    def watched(self) -> str:
        """The id of the metric, constraint or catalyst it watches."""
        return self.metric or self.constraint or self.catalyst or ""


class Scenario(Model):
    """One case of the scenario analysis."""

    name: Literal["bull", "base", "bear"] = Field(description="bull, base or bear.")
    probability: Annotated[float, Field(ge=0, le=1)] = Field(description="Probability, 0 to 1; the three sum to 1.")
    value: ScenarioFigure = Field(description="The value in this case, in the scenarios' unit.")
    description: NoteProse | None = Field(
        None,
        description=(
            "What has to happen. One text, which counts as written on the scenarios' date, or dated versions "
            "oldest first ([] while none is written): a brief shows the newest written by its date."
        ),
    )

    _versions_order = field_validator("description")(_in_order)

    @property
    def current_description(self) -> str | None:
        """The newest description, or None when there is none (in an as-of view, none written by its date)."""
        return latest(self.description)


class Scenarios(Model):
    """Optional bull, base and bear cases for a value such as market value."""

    metric: ShortText = Field(description="What the value is, e.g. Market value.")
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] = Field(
        description="Unit of the values, e.g. USD bn, or EUR for a share price (printed with two decimals, 23.40)."
    )
    current: ScenarioFigure = Field(
        description=(
            "Today's value, to measure upside and downside against. It may be negative (a change is measured "
            "against its size, so a case above it is always upside); it may not be 0 (nor within 1e-6 of it), "
            "against which no change can be measured."
        )
    )
    cases: list[Scenario] = Field(min_length=2, max_length=3, description="Bull, base and bear cases.")
    date: dt.date | None = Field(
        None,
        description=(
            "The day the desk set these cases; a brief as of an earlier date leaves them out. "
            "Without it they count as set on the newest source's publication date."
        ),
    )

    @field_validator("current")
    @classmethod
    def _measurable(cls, value: float) -> float:
        if abs(value) < SCENARIO_SMALLEST_CURRENT:
            raise ValueError(
                f"current is {value:g}, too close to 0 for any case's change to be measured against it; "
                "give today's value, or set the scenarios on a measure that is not zero today"
            )
        return value

    @model_validator(mode="after")
    def _probabilities(self) -> Self:
        names = [c.name for c in self.cases]
        if len(set(names)) != len(names):
            raise ValueError("a case name appears twice; use each of bull, base and bear at most once")
        total = sum(c.probability for c in self.cases)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"case probabilities sum to {total:g}, not 1; adjust them so that they add up to 1")
        return self


class Thesis(Model):
    """Everything in ``inputs/<company>/``, merged."""

    company: Company = Field(description="Who the thesis is about: name, listings, sector, analyst and summary.")
    sources: list[Source] = Field(min_length=1, description="The documents the thesis rests on.")
    # ``lambda: []`` rather than ``list``: pydantic inspects a factory's signature, and for a builtin
    # that first call compiles the tokenizer's patterns (~5 ms of every start-up).
    points: list[Point] = Field(default_factory=lambda: [], description="Bull and bear points.")
    metrics: list[Metric] = Field(default_factory=lambda: [], description="Metrics with every observation.")
    constraints: list[Constraint] = Field(default_factory=lambda: [], description="Export-control constraints.")
    scoring: ScoringOverrides | None = Field(None, description="Overrides of the default scoring weights.")
    scenarios: Scenarios | None = Field(None, description="Optional bull, base and bear cases.")
    catalysts: list[Catalyst] = Field(
        default_factory=lambda: [], description="Coming events that will test the thesis, with dates or windows."
    )
    kill_criteria: list[KillCriterion] = Field(
        default_factory=lambda: [], description="Conditions under which the desk abandons the call."
    )

    def scenarios_date(self) -> dt.date | None:
        """When the scenarios were set: their ``date``, else the newest source's (they may rest on any source)."""
        if self.scenarios is None:
            return None
        return self.scenarios.date or max(s.published.date for s in self.sources)

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def citations(self) -> Iterator[tuple[tuple[str | int, ...], str, Citation | Observation]]:
        """Every citation, as (path, item id, citation): the evidence of points, constraints, catalysts and
        kill criteria, and metric observations.

        The one walk over what the thesis cites: the loader checks each source id, the verifier each quote,
        the as-of view counts them. ``path`` locates the citation, e.g. ``("points", 0, "evidence", 1)``.
        """
        for index, point in enumerate(self.points):
            for n, citation in enumerate(point.evidence):
                yield ("points", index, "evidence", n), point.id, citation
        for index, metric in enumerate(self.metrics):
            for n, observation in enumerate(metric.observations):
                yield ("metrics", index, "observations", n), metric.id, observation
        for index, constraint in enumerate(self.constraints):
            for n, citation in enumerate(constraint.evidence):
                yield ("constraints", index, "evidence", n), constraint.id, citation
            for k, change in enumerate(constraint.changes):
                for n, citation in enumerate(change.evidence):
                    yield ("constraints", index, "changes", k, "evidence", n), constraint.id, citation
        for index, catalyst in enumerate(self.catalysts):
            for n, citation in enumerate(catalyst.evidence):
                yield ("catalysts", index, "evidence", n), catalyst.id, citation
        for index, criterion in enumerate(self.kill_criteria):
            for n, citation in enumerate(criterion.evidence):
                yield ("kill_criteria", index, "evidence", n), criterion.id, citation

    @property
    def bull(self) -> list[Point]:
        return [p for p in self.points if p.stance == "bull"]

    @property
    def bear(self) -> list[Point]:
        return [p for p in self.points if p.stance == "bear"]


TOP_LEVEL_KEYS = tuple(Thesis.model_fields)

DEFAULT_DISCLAIMER = "For discussion only. Not investment advice."
LOGO_SUFFIXES = (".png", ".svg")


def _logo_path(value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", value):
        raise ValueError(
            f"logo {value!r} is outside the project; give a path inside the project folder, e.g. assets/logo.svg"
        )
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise ValueError(f"logo {value!r} is not a PNG or SVG file; give a .png or .svg file, e.g. assets/logo.svg")
    return path.as_posix()


LogoPath = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_logo_path)
]


class ProjectFile(Model):
    """``thesis.yaml`` at the root of a research project: what belongs to the desk rather than to one company."""

    desk: ShortText | None = Field(
        None, description="The desk's name, shown at the top of every brief, e.g. Example Capital research."
    )
    disclaimer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)] = Field(
        DEFAULT_DISCLAIMER,
        description="Printed in every brief's footer (each PDF page's) and its About section, and in diff briefs.",
    )
    logo: LogoPath | None = Field(
        None,
        description=(
            "A PNG or SVG file inside the project, relative to thesis.yaml (e.g. assets/logo.svg), "
            "shown beside the desk's name; it is embedded, so the brief stays one self-contained file."
        ),
    )
    scoring: ScoringOverrides | None = Field(
        None,
        description=(
            "Default scoring overrides for every company of the project; a company's own scoring block "
            "and --weights override these."
        ),
    )
    record: Literal["git", "working-tree"] = Field(
        "git",
        description=(
            "What a brief as of an earlier date reads, and so each earlier day of thesis history, the brief's "
            "timeline and the track record: git (the inputs as committed by that date, in a project "
            "kept in git, and the first commit for dates before it; today's brief reads the working tree) or "
            "working-tree (the inputs as they are now, with their dated texts)."
        ),
    )


def is_slug(text: str) -> bool:
    return re.match(SLUG_PATTERN, text) is not None
