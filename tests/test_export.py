"""``thesis export``: typed tables a spreadsheet can use, the same bytes every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from tests.conftest import AS_OF
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.outputs.export import csv_text, export_tables, xlsx_bytes
from thesis.project import Project

SHEETS = ["summary", "points", "observations", "constraints", "sources", "scorecard"]


def export(*args: str) -> list[str]:
    return ["export", "acme", "--as-of", AS_OF.isoformat(), *args]


def column(sheet: openpyxl.worksheet.worksheet.Worksheet, name: str) -> list[object]:
    header = [cell.value for cell in sheet[1]]
    index = header.index(name) + 1
    return [row[0].value for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]


def test_xlsx_has_a_sheet_per_table_with_typed_cells_and_frozen_headers(in_project: Path) -> None:
    result = CliRunner().invoke(cli, export("--format", "xlsx"))
    assert result.exit_code == 0, result.output
    path = in_project / f"build/acme/{AS_OF}/acme-{AS_OF}.xlsx"
    assert f"wrote {path}" in result.output

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        assert sheet.max_row >= 2, sheet.title

    sources = workbook["sources"]
    published = column(sources, "published")
    assert all(isinstance(value, dt.datetime) for value in published)
    assert [value.date() for value in published if isinstance(value, dt.datetime)] == [
        dt.date(2025, 1, 10),
        dt.date(2025, 6, 1),
    ]
    assert column(sources, "published_estimated") == [False, True]
    assert sources.cell(row=2, column=[c.value for c in sources[1]].index("published") + 1).number_format == (
        "yyyy-mm-dd"
    )

    observations = workbook["observations"]
    values = column(observations, "value")
    assert values == [30] and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    assert column(observations, "metric") == ["cloud-share"]
    assert column(observations, "verified") == [True]

    constraints = workbook["constraints"]
    assert column(constraints, "effective") == [dt.datetime(2024, 10, 1)]
    assert column(constraints, "severity") == [3]


def test_xlsx_scorecard_adds_up_to_the_score(in_project: Path) -> None:
    assert CliRunner().invoke(cli, export("--format", "xlsx")).exit_code == 0
    workbook = openpyxl.load_workbook(in_project / f"build/acme/{AS_OF}/acme-{AS_OF}.xlsx")
    (score,) = column(workbook["summary"], "score")
    contributions = column(workbook["scorecard"], "contribution")
    assert isinstance(score, float)
    assert sum(c for c in contributions if isinstance(c, (int, float))) == pytest.approx(score, abs=1e-5)
    shares = column(workbook["scorecard"], "share")
    assert sum(s for s in shares if isinstance(s, (int, float))) == pytest.approx(1.0, abs=1e-5)
    share_column = [c.value for c in workbook["scorecard"][1]].index("share") + 1
    assert workbook["scorecard"].cell(row=2, column=share_column).number_format == "0.0%"


def test_xlsx_columns_fit_their_contents_within_limits(in_project: Path) -> None:
    assert CliRunner().invoke(cli, export("--format", "xlsx")).exit_code == 0
    sheet = openpyxl.load_workbook(in_project / f"build/acme/{AS_OF}/acme-{AS_OF}.xlsx")["points"]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert widths["title"] >= len("Negative free cash flow")
    assert widths["stance"] < widths["title"]
    assert all(6 <= width <= 60 for width in widths.values())


def test_xlsx_is_byte_identical_and_dated_by_the_as_of_date(project: Project) -> None:
    brief = prepare(project, "acme", AS_OF).brief
    first = xlsx_bytes(export_tables(brief), AS_OF)
    second = xlsx_bytes(export_tables(prepare(project, "acme", AS_OF).brief), AS_OF)
    assert first == second
    workbook = openpyxl.load_workbook(io.BytesIO(first))
    assert workbook.properties.created == dt.datetime(2025, 9, 30)
    assert workbook.properties.modified == dt.datetime(2025, 9, 30)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2025, 9, 30)}


def test_csv_writes_one_file_per_table(in_project: Path) -> None:
    result = CliRunner().invoke(cli, export("--format", "csv"))
    assert result.exit_code == 0, result.output
    folder = in_project / f"build/acme/{AS_OF}/acme-{AS_OF}-csv"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.csv" for name in SHEETS)
    with (folder / "observations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["metric"], float(r["value"]), r["period"], r["date"]) for r in rows] == [
        ("cloud-share", 30.0, "2024", "")
    ]
    with (folder / "sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle))
    assert [(s["id"], s["published"], s["published_estimated"]) for s in sources] == [
        ("alpha", "2025-01-10", "false"),
        ("beta", "2025-06-01", "true"),
    ]


def test_as_of_leaves_out_what_was_not_yet_known(in_project: Path) -> None:
    """The beta note (c. 2025-06-01) is not known on 2025-03-01: its point and its source drop out."""
    out = in_project / "early"
    result = CliRunner().invoke(cli, ["export", "acme", "--format", "csv", "--as-of", "2025-03-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    points = (out / "points.csv").read_text(encoding="utf-8")
    assert "growth" in points and "cash-burn" not in points
    assert "beta" not in (out / "sources.csv").read_text(encoding="utf-8")


def test_out_may_name_the_xlsx_file_or_its_folder(in_project: Path) -> None:
    runner = CliRunner()
    named = in_project / "mine.xlsx"
    assert runner.invoke(cli, export("--out", str(named))).exit_code == 0
    assert named.is_file()
    folder = in_project / "exports"
    folder.mkdir()
    assert runner.invoke(cli, export("--out", str(folder))).exit_code == 0
    assert (folder / f"acme-{AS_OF}.xlsx").is_file()


def test_csv_out_that_is_a_file_is_a_usage_error(in_project: Path) -> None:
    (in_project / "taken").write_text("x")
    result = CliRunner().invoke(cli, export("--format", "csv", "--out", "taken"))
    assert result.exit_code == 2
    assert "is a file" in result.output and "Traceback" not in result.output


def test_export_of_an_unknown_company_exits_2(in_project: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "nope"])
    assert result.exit_code == 2 and "unknown company 'nope'" in result.output


def test_quiet_hides_the_written_lines_and_verbose_adds_stage_timings(in_project: Path) -> None:
    runner = CliRunner()
    quiet = runner.invoke(cli, ["-q", *export("--format", "csv")])
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = runner.invoke(cli, ["-v", *export("--format", "csv")])
    assert verbose.exit_code == 0
    assert "prepare: " in verbose.output and "write: " in verbose.output and "wrote " in verbose.output


def test_csv_and_xlsx_hold_the_same_values(project: Project) -> None:
    """Whichever format the analyst picks, every cell says the same thing."""
    tables = export_tables(prepare(project, "acme", AS_OF).brief)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(tables, AS_OF)))
    for table in tables:
        from_csv = list(csv.reader(io.StringIO(csv_text(table))))
        from_xlsx = [[cell.value for cell in row] for row in workbook[table.name].iter_rows()]
        assert from_csv[0] == from_xlsx[0] == [c.name for c in table.columns]
        assert len(from_csv) == len(from_xlsx) == len(table.frame) + 1
        for csv_row, xlsx_row in zip(from_csv[1:], from_xlsx[1:], strict=True):
            for kind, text, value in zip((c.kind for c in table.columns), csv_row, xlsx_row, strict=True):
                if value is None:
                    assert text == ""
                elif kind == "date":
                    assert isinstance(value, dt.datetime) and text == value.date().isoformat()
                elif kind == "bool":
                    assert isinstance(value, bool) and text == str(value).lower()
                elif kind in ("int", "float", "number", "fraction"):
                    assert not isinstance(value, bool) and float(text) == pytest.approx(value, abs=1e-9)
                else:
                    assert text == value


def test_thesis_score_csv_is_the_exports_scorecard_table(project: Project) -> None:
    """One list of item columns: `thesis score --format csv` and the export's scorecard.csv are the same table."""
    from thesis.outputs.scorecard import scorecard_csv
    from thesis.outputs.scorecard_data import ITEM_COLUMNS, SCORE_FIELDS
    from thesis.outputs.snapshot import snapshot

    brief = prepare(project, "acme", AS_OF).brief
    (table,) = [t for t in export_tables(brief) if t.name == "scorecard"]
    assert scorecard_csv(brief.scorecard) == csv_text(table)
    assert tuple(c.name for c in table.columns) == ITEM_COLUMNS
    point = snapshot(brief, stress_tests=False)["points"][0]
    assert set(SCORE_FIELDS) <= set(point) and point["raw"] == round(brief.scorecard.item(point["id"]).raw, 6)


def test_each_table_is_a_dataframe_typed_by_its_columns(project: Project) -> None:
    """Numbers are numbers, flags are flags and an empty cell is missing (not NaN text, 0 or "None")."""
    from thesis.outputs.export import DTYPES

    tables = {t.name: t for t in export_tables(prepare(project, "acme", AS_OF).brief)}
    for table in tables.values():
        assert list(table.frame.columns) == [c.name for c in table.columns]
        assert [str(t) for t in table.frame.dtypes] == [
            str(pd.Series(dtype=DTYPES[c.kind]).dtype) for c in table.columns
        ]
    scorecard = tables["scorecard"].frame
    assert scorecard["contribution"].is_monotonic_decreasing
    assert abs(scorecard["contribution"].sum() - tables["summary"].frame.loc[0, "score"]) < 1e-9
    sources = tables["sources"].frame
    assert sources["url"].isna().all()  # the fixture's sources have no web address
    assert [row[sources.columns.get_loc("url")] for row in tables["sources"].records()] == [None, None]
