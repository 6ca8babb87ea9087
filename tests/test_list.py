"""``thesis list``: every company, its last brief and whether its inputs check; never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tests.builders import write_project, write_project_file
from thesis.cli import cli
from thesis.figures import signed


def rows(output: str) -> dict[str, list[str]]:
    lines = output.splitlines()
    return {line.split()[0]: line.split() for line in lines[1:]}


def test_a_company_never_rendered_shows_counts_and_check_status(in_project: Path) -> None:
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == [
        "company",
        "as",
        "of",
        "score",
        "rating",
        "brief",
        "points",
        "metrics",
        "constraints",
        "sources",
        "check",
    ]
    assert rows(result.output)["acme"] == ["acme", "-", "-", "-", "-", "2", "1", "1", "2", "ok"]


def test_the_newest_render_gives_date_score_and_rating(in_project: Path) -> None:
    runner = CliRunner()
    for as_of in ("2025-06-30", "2025-09-30"):
        rendered = runner.invoke(cli, ["render", "acme", "--as-of", as_of, "--format", "html"])
        assert rendered.exit_code == 0, rendered.output
    (in_project / "build/acme/not-a-date").mkdir()
    snapshot = json.loads((in_project / "build/acme/2025-09-30/acme-2025-09-30.json").read_text())

    result = runner.invoke(cli, ["list"])

    row = rows(result.output)["acme"]
    assert row[1:5] == ["2025-09-30", signed(snapshot["score"]), snapshot["rating"], "current"]


def test_an_unreadable_company_shows_its_error_briefly_and_the_others_still_list(in_project: Path) -> None:
    write_project(in_project, company="broken", raw={"company.yaml": "company:\n  name: [\n"})
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    broken = next(line for line in result.output.splitlines() if line.startswith("broken"))
    assert "unreadable: inputs/broken/company.yaml:" in broken and "YAML syntax error" in broken
    assert rows(result.output)["acme"][-1] == "ok"


def test_a_wrong_quote_shows_in_the_check_column_and_fails_under_strict(in_project: Path) -> None:
    points = in_project / "inputs/acme/points.yaml"
    points.write_text(points.read_text().replace("grew revenue 40%", "grew revenue 45%"))
    runner = CliRunner()
    lenient = rows(runner.invoke(cli, ["list"]).output)["acme"]
    assert " ".join(lenient[9:]) in {"1 warning", "FAILED: 1 error"}
    strict = rows(runner.invoke(cli, ["list", "--strict"]).output)["acme"]
    assert strict[9] == "FAILED:"


def test_json_lists_every_company_with_its_last_brief(in_project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["render", "acme", "--as-of", "2025-09-30", "--format", "html"]).exit_code == 0
    data = json.loads(runner.invoke(cli, ["list", "--format", "json"]).output)
    assert [entry["company"] for entry in data] == ["acme"]
    entry = data[0]
    assert entry["status"] == "ok"
    assert entry["counts"] == {"points": 2, "metrics": 1, "constraints": 1, "sources": 2}
    assert entry["last_brief"]["as_of"] == "2025-09-30"
    assert entry["last_brief"]["snapshot"].endswith("build/acme/2025-09-30/acme-2025-09-30.json")


def test_an_empty_project_says_how_to_start(tmp_path: Path) -> None:
    write_project_file(tmp_path)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["list"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0 and "thesis new COMPANY" in result.output


def test_list_and_schema_do_not_import_the_render_stack(in_project: Path) -> None:
    """Listing a coverage universe stays quick: no WeasyPrint, pandas or openpyxl."""
    code = (
        "import sys\n"
        "from thesis.cli import cli\n"
        "for args in (['list'], ['schema']):\n"
        "    try:\n"
        "        cli(args, prog_name='thesis')\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        "heavy = ('weasyprint', 'pandas', 'openpyxl')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=in_project, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "HEAVY []"


def test_a_brief_whose_inputs_changed_since_is_stale(in_project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["render", "acme", "--as-of", "2025-09-30", "--format", "html"]).exit_code == 0
    assert rows(runner.invoke(cli, ["list"]).output)["acme"][4] == "current"
    points = in_project / "inputs/acme/points.yaml"
    points.write_text(points.read_text().replace("impact: 4", "impact: 5"))
    assert rows(runner.invoke(cli, ["list"]).output)["acme"][4] == "STALE"
    entry = json.loads(runner.invoke(cli, ["list", "--format", "json"]).output)[0]
    assert entry["last_brief"]["stale"] is True
    source = in_project / "inputs/acme/sources/alpha.txt"  # a source text counts as an input too
    points.write_text(points.read_text().replace("impact: 5", "impact: 4"))
    assert rows(runner.invoke(cli, ["list"]).output)["acme"][4] == "current"
    source.write_text(source.read_text() + "More text.\n")
    assert rows(runner.invoke(cli, ["list"]).output)["acme"][4] == "STALE"


def test_numbers_are_right_aligned_and_words_left_aligned(in_project: Path) -> None:
    # The sources column lined up with the counts beside it, not left-aligned like the brief column.
    write_project(in_project, company="vielpunkt")
    lines = CliRunner().invoke(cli, ["list"]).output.splitlines()
    header = lines[0]
    for row in lines[1:]:
        for column in ("points", "metrics", "constraints", "sources"):
            end = header.index(column) + len(column)
            assert row[end - 1].isdigit() and row[end] == " ", (column, row)


def test_the_check_column_counts_in_the_singular_for_one() -> None:
    from thesis.commands.listing import CompanyStatus, table

    counts = {"points": 1, "metrics": 1, "constraints": 1, "sources": 1}
    failed = CompanyStatus("acme", "failed", counts, errors=1, warnings=1)
    warned = CompanyStatus("beta", "warnings", counts, errors=0, warnings=1)
    rows = table([failed, warned])
    assert rows[1][-1] == "FAILED: 1 error, 1 warning"
    assert rows[2][-1] == "1 warning"
