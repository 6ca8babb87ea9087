"""``thesis new``: a scaffold that checks strictly and renders as it is, and never overwrites."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import write_project_file
from thesis.cli import cli
from thesis.commands.new import scaffold
from thesis.errors import UsageError
from thesis.inputs.loader import load
from thesis.inputs.schema import MODELINE_PREFIX
from thesis.project import Project

TODAY = dt.date(2025, 3, 14)


@pytest.fixture
def empty_project(tmp_path: Path) -> Iterator[Path]:
    write_project_file(tmp_path)
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def new(*args: str) -> list[str]:
    return ["new", *args]


def test_new_company_checks_and_renders_html_and_pdf(empty_project: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, new("globex", "--name", "Globex Corporation", "--ticker", "GBX:NYSE"))
    assert made.exit_code == 0, made.output
    assert "created inputs/globex/" in made.output
    folder = empty_project / "inputs/globex"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [
        "company.yaml",
        "constraints.yaml",
        "metrics.yaml",
        "points.yaml",
        "sources.yaml",
        "sources/example.txt",
    ]

    checked = runner.invoke(cli, ["check", "globex"])
    assert checked.exit_code == 0, checked.output
    assert "globex: ok: 0 errors" in checked.output

    rendered = runner.invoke(cli, ["render", "globex"])
    assert rendered.exit_code == 0, rendered.output
    today = dt.date.today().isoformat()
    out = empty_project / "build/globex" / today
    html = (out / f"globex-{today}.html").read_text(encoding="utf-8")
    assert "Globex Corporation" in html
    assert "Example: revenue growth ahead of competitors" in html  # the bull example
    assert "Example: spending outruns cash flow" in html  # the bear example
    assert (out / f"globex-{today}.pdf").read_bytes().startswith(b"%PDF")


def test_every_yaml_file_starts_with_the_schema_line_and_the_schema_exists(empty_project: Path) -> None:
    result = CliRunner().invoke(cli, new("globex", "--name", "Globex", "--ticker", "GBX:NYSE"))
    assert result.exit_code == 0, result.output
    for path in sorted((empty_project / "inputs/globex").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE_PREFIX), path
        target = (path.parent / first.removeprefix(MODELINE_PREFIX)).resolve()
        assert target == (empty_project / "docs/thesis.schema.json").resolve()
        assert target.is_file()


def test_new_refuses_to_overwrite_an_existing_company(empty_project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, new("globex", "--name", "Globex", "--ticker", "GBX:NYSE")).exit_code == 0
    company = empty_project / "inputs/globex/company.yaml"
    company.write_text(company.read_text(encoding="utf-8") + "# my own work\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (empty_project / "inputs").rglob("*") if p.is_file()}

    again = runner.invoke(cli, new("globex", "--name", "Other", "--ticker", "OTH:LSE"))

    assert again.exit_code == 2
    assert "inputs/globex/ already exists; nothing was written" in again.output
    assert "Traceback" not in again.output
    assert {p: p.read_bytes() for p in (empty_project / "inputs").rglob("*") if p.is_file()} == before


def test_new_refuses_an_existing_empty_folder_too(empty_project: Path) -> None:
    (empty_project / "inputs/globex").mkdir(parents=True)
    result = CliRunner().invoke(cli, new("globex", "--name", "Globex", "--ticker", "GBX:NYSE"))
    assert result.exit_code == 2 and "already exists" in result.output


@pytest.mark.parametrize("name", ["../escape", "Globex", "a/b", "/abs", ""])
def test_new_validates_the_company_name(empty_project: Path, name: str) -> None:
    result = CliRunner().invoke(cli, new(name, "--name", "Globex", "--ticker", "GBX:NYSE"))
    assert result.exit_code == 2
    assert "invalid company name" in result.output
    assert not (empty_project / "inputs").exists() or not any((empty_project / "inputs").iterdir())


@pytest.mark.parametrize("ticker", ["GBX", "GBX:", ":NYSE", "A:B:C"])
def test_a_ticker_needs_symbol_and_exchange(empty_project: Path, ticker: str) -> None:
    result = CliRunner().invoke(cli, new("globex", "--name", "Globex", "--ticker", ticker))
    assert result.exit_code == 2
    assert f"invalid ticker {ticker!r}" in result.output and "SYMBOL:EXCHANGE" in result.output
    assert not (empty_project / "inputs/globex").exists()


def test_a_ticker_is_required(empty_project: Path) -> None:
    result = CliRunner().invoke(cli, new("globex", "--name", "Globex"))
    assert result.exit_code == 2 and "--ticker" in result.output


def test_several_listings_and_numeric_symbols_are_kept_as_text(tmp_path: Path) -> None:
    project = Project(tmp_path)
    scaffold(project, "tencent", "Tencent Holdings", ["0700:HKEX", "TCEHY:OTC"], TODAY)
    thesis = load(tmp_path / "inputs/tencent", tmp_path).thesis
    assert [(t.symbol, t.exchange) for t in thesis.company.tickers] == [("0700", "HKEX"), ("TCEHY", "OTC")]
    assert thesis.sources[0].published.date == TODAY
    assert [p.stance for p in thesis.points] == ["bull", "bear"]


def test_scaffold_writes_nothing_when_a_ticker_is_bad(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        scaffold(Project(tmp_path), "globex", "Globex", ["GBX:NYSE", "bad"], TODAY)
    assert not (tmp_path / "inputs/globex").exists()
    assert not (tmp_path / "docs").exists()


@settings(max_examples=25, deadline=None)
@given(
    name=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60
    ).filter(lambda s: s.strip() and "\x85" not in s and "\ufeff" not in s),
    symbol=st.from_regex(r"[A-Z0-9#'\"{}\[\], &*!|>%@`]{1,8}", fullmatch=True).filter(lambda s: s.strip()),
)
def test_any_name_and_symbol_survive_the_yaml(name: str, symbol: str) -> None:
    """Whatever the analyst types as the name or symbol, the files load and give it back unchanged."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        scaffold(Project(root), "co", name, [f"{symbol}:NYSE"], TODAY)
        company = load(root / "inputs/co", root).thesis.company
        assert company.name == name.strip()
        assert company.tickers[0].symbol == symbol.strip()


def test_new_is_quiet_with_q_and_lists_files_with_v(empty_project: Path) -> None:
    runner = CliRunner()
    quiet = runner.invoke(cli, ["-q", *new("globex", "--name", "Globex", "--ticker", "GBX:NYSE")])
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = runner.invoke(cli, ["-v", *new("initech", "--name", "Initech", "--ticker", "INI:NYSE")])
    assert verbose.exit_code == 0
    assert "wrote " + str(Path("inputs/initech/points.yaml")) in verbose.output.replace(str(empty_project) + "/", "")


def test_the_examples_warn_until_replaced_and_strict_fails_while_any_is_there(empty_project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, new("globex", "--name", "Globex Corporation", "--ticker", "GBX:NYSE")).exit_code == 0
    plain = runner.invoke(cli, ["check", "globex"])
    assert plain.exit_code == 0
    for placeholder in ("Example sector (replace)", "Example analyst (replace", "EXAMPLE. One paragraph"):
        assert f"'{placeholder}" in plain.output and "is example text written by thesis new" in plain.output
    assert "source file 'sources/example.txt' is the example text written by thesis new" in plain.output
    assert runner.invoke(cli, ["check", "globex", "--strict"]).exit_code == 1
    assert runner.invoke(cli, ["render", "globex", "--strict", "--format", "html"]).exit_code == 1

    folder = empty_project / "inputs" / "globex"
    own = {
        "Example sector (replace)": "Conglomerates",
        "Example city, country (replace)": "Springfield, USA",
        "Example analyst (replace with who keeps this thesis)": "Desk A",
        "EXAMPLE. One paragraph of Markdown": "Globex in brief. One paragraph of Markdown",
        '"Example: annual results report (replace)"': "Annual results report",
        "Example Publisher": "Globex",
        "An example source written by `thesis new`; replace it.": "The annual report.",
        '"Example: ': '"',
        "EXAMPLE. ": "",
        "Example export rules": "US export rules",
    }
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for old, replacement in own.items():
            text = text.replace(old, replacement)
        path.write_text(text, encoding="utf-8")
    source = folder / "sources" / "example.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("EXAMPLE SOURCE.", "Annual report."), "utf-8")
    strict = runner.invoke(cli, ["check", "globex", "--strict"])
    assert strict.exit_code == 0, strict.output
