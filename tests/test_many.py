"""Rendering many companies at once, and skipping briefs whose inputs did not change."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.builders import write_project
from thesis.cli import cli
from thesis.commands.cache import lookup, render_key
from thesis.project import Project, package_templates

AS_OF = "2025-09-30"
DAY = dt.date(2025, 9, 30)
COMPANIES = ("acme", "beta", "gamma")


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with three companies and its own copy of the templates, as the current folder."""
    for company in COMPANIES:
        write_project(tmp_path, company=company)
    shutil.copytree(package_templates(), tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["render", *args, "--as-of", AS_OF])


def brief(root: Path, company: str, suffix: str = "html", build: str = "build") -> Path:
    return root / build / company / AS_OF / f"{company}-{AS_OF}.{suffix}"


def test_several_companies_render_in_one_command(desk: Path) -> None:
    result = run("acme", "gamma", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "acme: rendered, score" in result.output and "gamma: rendered, score" in result.output
    assert "2 briefs as of 2025-09-30: 2 rendered, 0 unchanged, 0 failed" in result.output
    assert brief(desk, "acme").is_file() and brief(desk, "gamma").is_file()
    assert not (desk / "build" / "beta").exists()


def test_all_renders_every_company_under_inputs(desk: Path) -> None:
    result = run("--all", "--format", "html")
    assert result.exit_code == 0, result.output
    for company in COMPANIES:
        assert brief(desk, company).is_file()
        assert brief(desk, company, "json").is_file()


def test_a_failing_company_is_reported_at_the_end_and_the_others_still_render(desk: Path) -> None:
    (desk / "inputs/beta/company.yaml").write_text("company:\n  name: [\n")
    result = run("--all", "--format", "html", "--jobs", "2")
    assert result.exit_code == 1
    assert brief(desk, "acme").is_file() and brief(desk, "gamma").is_file()
    assert not (desk / "build" / "beta").exists()
    lines = result.output.splitlines()
    failure = lines.index("beta failed:")
    assert lines[failure + 1].startswith("  inputs/beta/company.yaml:")
    assert "YAML syntax error" in lines[failure + 1]
    assert lines[-1] == "3 briefs as of 2025-09-30: 2 rendered, 0 unchanged, 1 failed"
    assert "Traceback" not in result.output


def test_an_unknown_company_among_several_fails_alone(desk: Path) -> None:
    result = run("acme", "nope", "../etc", "--format", "html")
    assert result.exit_code == 1
    assert "unknown company 'nope'" in result.output and "invalid company name '../etc'" in result.output
    assert brief(desk, "acme").is_file()


def test_one_company_keeps_its_exit_codes(desk: Path) -> None:
    assert run("nope").exit_code == 2
    (desk / "inputs/acme/company.yaml").write_text("company:\n  name: [\n")
    assert run("acme", "--format", "html").exit_code == 2
    assert run("--all", "beta").exit_code == 2  # names and --all together are a usage error


def test_a_bad_weights_file_stops_everything_before_rendering(desk: Path) -> None:
    (desk / "weights.yaml").write_text("no_such_knob: 3\n")
    result = run("--all", "--format", "html", "--weights", "weights.yaml")
    assert result.exit_code == 2
    assert "weights.yaml" in result.output
    assert not (desk / "build").exists()


def test_jobs_two_gives_the_same_bytes_as_one(desk: Path) -> None:
    serial = run("acme", "beta", "--jobs", "1", "--out", "serial")
    parallel = run("acme", "beta", "--jobs", "2", "--out", "parallel")
    assert serial.exit_code == 0, serial.output
    assert parallel.exit_code == 0, parallel.output
    for company in ("acme", "beta"):
        for suffix in ("html", "pdf", "json"):
            one = brief(desk, company, suffix, "serial").read_bytes()
            assert one == brief(desk, company, suffix, "parallel").read_bytes(), (company, suffix)


def test_an_unchanged_brief_is_skipped_and_left_as_it_was(desk: Path) -> None:
    assert run("acme", "--format", "html").exit_code == 0
    written = brief(desk, "acme").stat().st_mtime_ns
    again = run("acme", "--format", "html")
    assert again.exit_code == 0
    assert "acme as of 2025-09-30: unchanged, skipped (score" in again.output
    assert "wrote" not in again.output
    assert brief(desk, "acme").stat().st_mtime_ns == written
    several = run("--all", "--format", "html")
    assert "acme: unchanged, skipped" in several.output and "beta: rendered" in several.output


def test_force_renders_an_unchanged_brief(desk: Path) -> None:
    assert run("acme", "--format", "html").exit_code == 0
    forced = run("acme", "--format", "html", "--force")
    assert forced.exit_code == 0 and "wrote" in forced.output and "skipped" not in forced.output
    many = run("acme", "beta", "--format", "html", "--force")
    assert "acme: rendered" in many.output


@pytest.mark.parametrize(
    "change",
    [
        "edit an input file",
        "edit an archived source",
        "add a file to the company folder",
        "edit a template",
        "edit a stylesheet",
        "edit the project file",
        "change the date",
        "change the format",
    ],
)
def test_any_change_renders_again(desk: Path, change: str) -> None:
    first = run("acme", "--format", "html")
    assert first.exit_code == 0
    args = ["acme", "--format", "html"]
    if change == "edit an input file":
        points = desk / "inputs/acme/points.yaml"
        points.write_text(points.read_text().replace("Fast cloud growth", "Very fast cloud growth"))
    elif change == "edit an archived source":
        with (desk / "inputs/acme/sources/beta.txt").open("a") as handle:
            handle.write("A later paragraph.\n")
    elif change == "add a file to the company folder":
        (desk / "inputs/acme/notes.md").write_text("to check\n")
    elif change == "edit a template":
        cover = desk / "templates/_cover.html.j2"
        cover.write_text(cover.read_text() + "\n<!-- revised -->\n")
    elif change == "edit a stylesheet":
        with next((desk / "templates/css").glob("*.css")).open("a") as handle:
            handle.write("\n/* revised */\n")
    elif change == "edit the project file":
        (desk / "thesis.yaml").write_text("desk: A renamed desk\n")
    elif change == "change the date":
        args = ["acme", "--format", "html", "--as-of", "2025-09-29"]
    else:
        args = ["acme", "--format", "both"]
    again = CliRunner().invoke(cli, ["render", *args] + ([] if "--as-of" in args else ["--as-of", AS_OF]))
    assert again.exit_code == 0, again.output
    assert "skipped" not in again.output and "wrote" in again.output
    if change == "edit an input file":
        assert "Very fast cloud growth" in brief(desk, "acme").read_text()
    if change == "edit a template":
        assert "<!-- revised -->" in brief(desk, "acme").read_text()
    if change == "edit the project file":
        assert "A renamed desk" in brief(desk, "acme").read_text()


def test_a_changed_weights_file_renders_again(desk: Path) -> None:
    weights = desk / "weights.yaml"
    weights.write_text("half_life_days: 100\n")
    assert run("acme", "--format", "html", "--weights", "weights.yaml").exit_code == 0
    assert "skipped" in run("acme", "--format", "html", "--weights", "weights.yaml").output
    assert "skipped" not in run("acme", "--format", "html").output  # no weights is a change too
    weights.write_text("half_life_days: 200\n")
    again = run("acme", "--format", "html", "--weights", "weights.yaml")
    assert again.exit_code == 0 and "skipped" not in again.output


def test_a_missing_or_edited_output_renders_again(desk: Path) -> None:
    assert run("acme", "--format", "html").exit_code == 0
    brief(desk, "acme", "json").unlink()
    assert "skipped" not in run("acme", "--format", "html").output
    assert brief(desk, "acme", "json").is_file()
    html = brief(desk, "acme")
    html.write_text(html.read_text().replace("Acme", "Acne"))
    assert "skipped" not in run("acme", "--format", "html").output
    assert "Acne" not in html.read_text()


def test_the_key_covers_every_ingredient(desk: Path) -> None:
    project = Project(desk)
    (desk / "w.yaml").write_text("half_life_days: 100\n")
    base = render_key(project, "acme", DAY, formats="both", strict=False, weights=None)
    assert base == render_key(project, "acme", DAY, formats="both", strict=False, weights=None)
    variants = {
        render_key(project, "beta", DAY, formats="both", strict=False, weights=None),
        render_key(project, "acme", DAY - dt.timedelta(days=1), formats="both", strict=False, weights=None),
        render_key(project, "acme", DAY, formats="html", strict=False, weights=None),
        render_key(project, "acme", DAY, formats="both", strict=True, weights=None),
        render_key(project, "acme", DAY, formats="both", strict=False, weights=desk / "w.yaml"),
    }
    assert base not in variants and len(variants) == 5
    (desk / "inputs/acme/sources/alpha.txt").rename(desk / "inputs/acme/sources/gamma.txt")
    assert render_key(project, "acme", DAY, formats="both", strict=False, weights=None) != base


def test_a_corrupt_record_is_ignored(desk: Path) -> None:
    assert run("acme", "--format", "html").exit_code == 0
    project = Project(desk)
    key = render_key(project, "acme", DAY, formats="html", strict=False, weights=None)
    assert lookup(project, "acme", DAY, key) is not None
    record = desk / "build/.render-keys/acme" / f"{AS_OF}.json"
    record.write_text("{ not json")
    assert lookup(project, "acme", DAY, key) is None
    assert "wrote" in run("acme", "--format", "html").output


def test_deciding_nothing_changed_imports_no_rendering_stack() -> None:
    code = (
        "import sys, thesis.commands.render_many; "
        "print(sorted({'weasyprint', 'jinja2', 'pydantic'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_passed_strict_render_satisfies_a_plain_one_but_not_the_reverse(desk: Path) -> None:
    # thesis site (or a plain render) after a nightly render --strict must not render the brief again.
    strict = run("acme", "--format", "html", "--strict")
    assert strict.exit_code == 0, strict.output
    plain = run("acme", "beta", "--format", "html").output
    assert "acme: unchanged, skipped" in plain and "beta: rendered" in plain
    assert "beta: rendered" in run("beta", "gamma", "--format", "html", "--strict").output
