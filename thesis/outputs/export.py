"""``thesis export``: the numbers of a brief as tables for a spreadsheet.

Six tables, one row per thing: ``summary`` (the score and rating),
``points``, ``observations`` (one row per metric observation), ``constraints``,
``sources`` and ``scorecard`` (every scored item with its factors). Each
column has one type, so a spreadsheet gets dates as dates and numbers as
numbers. A table is a pandas DataFrame with one nullable dtype per kind of
column (:data:`DTYPES`): it sorts the scorecard, counts the rows and sizes
the workbook's columns, and a notebook can take ``export_tables(brief)``
as it is. pandas is imported only when a table is made, so commands that
make none (``check``, ``diff``, ``score`` as text or JSON) never load it.

CSV goes to a folder, one UTF-8 file per table (plain files diff well and
open anywhere; ``thesis score --format csv`` uses the same dialect). XLSX is
one workbook with a sheet per table, typed cells, bold frozen header rows,
filters and fitted column widths. Both are deterministic: the workbook's
created and modified properties and its zip entries carry the as-of date,
never the clock.

Text is only ever text. In the workbook every text cell is stored as a
string (openpyxl would store ``=HYPERLINK(...)`` as a live formula); in CSV
a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is prefixed with ``'``, as OWASP's "CSV injection" advice has it, so a
spreadsheet opening the file shows it instead of evaluating it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from thesis.brief.view import Brief, CitationView
from thesis.errors import UsageError
from thesis.outputs.scorecard_data import FLOAT_DIGITS, ITEM_COLUMNS_SPEC
from thesis.project import Project
from thesis.scoring.score import Scorecard

if TYPE_CHECKING:
    import pandas as pd

Cell = str | int | float | bool | dt.date | None
# float: a computed figure; number: a figure as reported; fraction: a share of a whole, shown as a percentage
Kind = Literal["text", "int", "float", "number", "fraction", "date", "bool"]
FORMATS = ("csv", "xlsx")
MIN_WIDTH = 6
MAX_WIDTH = 60
NUMBER_FORMATS: dict[Kind, str] = {"date": "yyyy-mm-dd", "float": "0.00##", "fraction": "0.0%", "int": "0"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind


# Each kind's pandas dtype: nullable ones, so an empty cell stays empty (never NaN, 0 or "None"). Dates stay
# Python dates (pandas has no date-only dtype; a datetime64 column would reach the workbook as date-times).
DTYPES: dict[Kind, str] = {
    "text": "string",
    "int": "Int64",
    "float": "Float64",
    "number": "Float64",
    "fraction": "Float64",
    "bool": "boolean",
    "date": "object",
}


@dataclass(frozen=True)
class Table:
    """One table of the export: its typed columns and a DataFrame holding one column of each dtype."""

    name: str
    columns: tuple[Column, ...]
    frame: pd.DataFrame

    def records(self) -> Iterator[tuple[Cell, ...]]:
        """The rows as Python values (``None`` for an empty cell), as the CSV and XLSX writers take them."""
        values = self.frame.astype(object).where(self.frame.notna(), None)
        return values.itertuples(index=False, name=None)


def make_table(name: str, columns: tuple[Column, ...], rows: Iterable[tuple[Cell, ...]]) -> Table:
    """A table from its rows, each column converted to its kind's dtype (pandas is imported here, not at start-up)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(list(rows), columns=[c.name for c in columns])
    return Table(name, columns, frame.astype({c.name: DTYPES[c.kind] for c in columns}))


def parse_columns(spec: str) -> tuple[Column, ...]:
    """``"id:text value:float"`` → columns (keeps each table's layout on one readable line)."""
    columns = []
    for part in spec.split():
        name, kind = part.split(":")
        assert kind in ("text", "int", "float", "number", "fraction", "date", "bool"), kind
        columns.append(Column(name, kind))  # type: ignore[arg-type]
    return tuple(columns)


SUMMARY = parse_columns(
    "company:text name:text as_of:date score:float rating:text uncapped_rating:text capped_by:text "
    "points:int metrics:int constraints:int sources:int quotes_checked:int quotes_unverified:int "
    "scoring_hash:text inputs_sha256:text"
)
POINTS = parse_columns(
    "id:text stance:text category:text impact:int title:text contribution:float grade:text "
    "citations:int sources:text body:text"
)
OBSERVATIONS = parse_columns(
    "metric:text name:text unit:text higher_is_better:bool value:number date:date period:text "
    "source:text source_number:int page:int grade:text verified:bool quote:text note:text disagreement:bool"
)
CONSTRAINTS = parse_columns(
    "id:text kind:text item:text status:text authority:text effective:date effective_estimated:bool affects:text "
    "severity:int contribution:float grade:text sources:text body:text"
)
SOURCES = parse_columns(
    "number:int id:text title:text publisher:text author:text published:date published_estimated:bool "
    "reliability:text url:text retrieved:date file:text sha256:text cited_by:text"
)
SCORECARD = parse_columns(ITEM_COLUMNS_SPEC)


# A line break inside a Markdown paragraph, where the YAML block wrapped the text: not before a blank line,
# a list item or a heading, which Markdown keeps as breaks.
_SOFT_BREAK = re.compile(r"(?<!\n)[ \t]*\n(?![ \t]*(?:\n|[-*+] |\d+[.)] |#))[ \t]*")


def _unwrapped(text: str | None) -> str | None:
    """A Markdown body as one line per paragraph, as the brief prints it: a cell shows no wrap the YAML made."""
    return _SOFT_BREAK.sub(" ", text.strip()) if text else text


def export_tables(brief: Brief) -> list[Table]:
    """Every table of the export, in sheet order."""
    card = brief.scorecard
    company = brief.thesis.company
    points = (*brief.bull, *brief.bear)
    summary = (
        (
            brief.company_id,
            company.name,
            brief.as_of,
            card.score,
            card.rating,
            card.uncapped_rating,
            "; ".join(card.capped_by),
            len(points),
            len(brief.metrics),
            len(brief.constraints),
            len(brief.bibliography),
            brief.quotes_checked,
            brief.quotes_unverified,
            card.config.digest(),
            brief.inputs_sha256,
        ),
    )
    point_rows = tuple(
        (
            view.point.id,
            view.point.stance,
            view.point.category,
            view.point.impact,
            view.point.current_title,
            view.score.contribution,
            view.score.grade,
            len(view.citations),
            _source_ids(view.citations),
            _unwrapped(view.point.current_body),
        )
        for view in points
    )
    observation_rows = tuple(
        (
            view.metric.id,
            view.metric.name,
            view.metric.unit,
            view.metric.higher_is_better,
            obs.observation.value,
            obs.observation.date,
            obs.observation.period,
            obs.citation.source_id,
            obs.citation.number,
            obs.citation.pages[0] if obs.citation.pages else None,  # the page of a PDF source the quote is on
            obs.citation.grade,
            obs.citation.verified,
            obs.observation.quote,
            obs.observation.current_note,
            view.disagreement,
        )
        for view in brief.metrics
        for obs in view.observations
    )
    constraint_rows = tuple(
        (
            view.constraint.id,
            view.constraint.kind,
            view.constraint.item,
            view.constraint.status,
            view.constraint.authority,
            view.constraint.effective.date,
            view.constraint.effective.estimated,
            ", ".join(view.constraint.affects),
            view.constraint.severity,
            view.score.contribution,
            view.score.grade,
            _source_ids(view.citations),
            _unwrapped(view.constraint.current_body),
        )
        for view in brief.constraints
    )
    source_rows = tuple(
        (
            entry.number,
            entry.source.id,
            entry.source.title,
            entry.source.publisher,
            entry.source.author,
            entry.source.published.date,
            entry.source.published.estimated,
            entry.source.reliability,
            entry.source.url,
            entry.source.retrieved,
            entry.source.file,
            entry.sha256,
            ", ".join(entry.cited_by),
        )
        for entry in brief.bibliography
    )
    return [
        make_table("summary", SUMMARY, summary),
        make_table("points", POINTS, point_rows),
        make_table("observations", OBSERVATIONS, observation_rows),
        make_table("constraints", CONSTRAINTS, constraint_rows),
        make_table("sources", SOURCES, source_rows),
        scorecard_table(card),
    ]


def scorecard_table(card: Scorecard) -> Table:
    """Every scored item with its factors, largest contribution first (also ``thesis score --format csv``)."""
    table = make_table("scorecard", SCORECARD, (tuple(getattr(i, c.name) for c in SCORECARD) for i in card.items))
    ordered = table.frame.sort_values(["contribution", "id"], ascending=[False, True], kind="stable", ignore_index=True)
    return Table(table.name, table.columns, ordered)


def _source_ids(citations: Sequence[CitationView]) -> str:
    return ", ".join(dict.fromkeys(c.source_id for c in citations))


def csv_text(table: Table) -> str:
    """One table as CSV: a header row, ISO dates, ``true``/``false``, floats to 6 places, empty for none."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.records():
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


# The first characters that make a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet evaluates: a formula's first character gets a ``'`` before it."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_cell(value: Cell) -> str | int | float:
    if isinstance(value, str):
        return csv_safe(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        rounded = round(value, FLOAT_DIGITS)
        return int(rounded) if rounded.is_integer() else rounded
    return value


def csv_files(tables: list[Table]) -> dict[str, bytes]:
    """``{file name: bytes}`` for a CSV export folder."""
    return {f"{table.name}.csv": csv_text(table).encode("utf-8") for table in tables}


def xlsx_bytes(tables: list[Table], as_of: dt.date, title: str = "") -> bytes:
    """The tables as one workbook; the same tables and date give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "thesis"
    workbook.properties.lastModifiedBy = "thesis"
    workbook.properties.title = title or None
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        sheet.append([c.name for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.records():
            sheet.append([_xlsx_cell(value) for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula or an error code, whatever it starts with
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            number_format = NUMBER_FORMATS.get(column.kind)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            sheet.column_dimensions[letter].width = _width(column, table.frame[column.name])
        sheet.freeze_panes = "A2"
        if len(table.frame):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.frame) + 1}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # not Workbook.save, which stamps the clock
    return _fixed_zip_times(buffer.getvalue(), as_of)


def _xlsx_cell(value: Cell) -> str | int | float | bool | dt.date | None:
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS)
    return value


def _width(column: Column, values: pd.Series) -> float:
    """A column wide enough for its header and its longest value (a text's longest line), within limits."""
    present = values.dropna()
    if column.kind == "date":
        lengths = present.map(lambda _: 10)
    elif column.kind in ("float", "fraction"):
        lengths = present.map(lambda v: len(f"{v:.2f}"))
    else:
        lengths = present.map(lambda v: max((len(line) for line in str(v).splitlines()), default=0))
    longest = max(len(column.name), int(lengths.max()) if len(lengths) else 0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _fixed_zip_times(data: bytes, as_of: dt.date) -> bytes:
    """The same archive with every entry stamped with the as-of date instead of the clock."""
    stamp = (as_of.year, as_of.month, as_of.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def default_path(project: Project, company: str, as_of: dt.date, fmt: str) -> Path:
    """``build/COMPANY/DATE/COMPANY-DATE.xlsx``, or the folder ``build/COMPANY/DATE/COMPANY-DATE-csv/``."""
    stem = f"{company}-{as_of.isoformat()}"
    folder = project.output_dir(company, as_of.isoformat())
    return folder / (f"{stem}.xlsx" if fmt == "xlsx" else f"{stem}-csv")


def write_export(brief: Brief, tables: list[Table], fmt: str, out: Path) -> list[Path]:
    """Write the export atomically, file by file; return the paths written."""
    from thesis.outputs.files import write_atomic

    if fmt == "xlsx":
        write_atomic(out, xlsx_bytes(tables, brief.as_of, brief.title))
        return [out]
    written = []
    for name, data in csv_files(tables).items():
        write_atomic(out / name, data)
        written.append(out / name)
    return written


@dataclass(frozen=True)
class ExportResult:
    company: str
    as_of: dt.date
    paths: list[Path]
    rows: dict[str, int]
    seconds: dict[str, float]  # per stage: prepare (load, verify, score), write


def export(
    project: Project,
    company: str,
    as_of: dt.date,
    fmt: str,
    out: Path | None = None,
    weights: Path | None = None,
) -> ExportResult:
    """Prepare COMPANY's brief as of a date and write its tables as CSV files or one workbook."""
    from thesis.commands.render import prepare

    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    started = time.perf_counter()
    prepared = prepare(project, company, as_of, weights=weights)
    prepared_at = time.perf_counter()
    target = export_path(project, company, as_of, fmt, out)
    tables = export_tables(prepared.brief)
    paths = write_export(prepared.brief, tables, fmt, target)
    finished = time.perf_counter()
    return ExportResult(
        company,
        as_of,
        paths,
        {table.name: len(table.frame) for table in tables},
        {"prepare": prepared_at - started, "write": finished - prepared_at},
    )


def export_path(project: Project, company: str, as_of: dt.date, fmt: str, out: Path | None) -> Path:
    """Where the export goes: ``--out`` (a folder for CSV; a file, or a folder to put it in, for XLSX)."""
    default = default_path(project, company, as_of, fmt)
    if out is None:
        return default
    if fmt == "xlsx":
        return out / default.name if out.is_dir() else out
    if out == Path("-"):
        raise UsageError("--out - (standard output) is for --format xlsx", "give a folder for the CSV files")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; CSV export writes a folder of files", "give a folder path")
    return out
