"""The command line: parse options, call one core function, print. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from thesis import __version__
from thesis.errors import Problem, ThesisError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn a :class:`ThesisError` into a clean message and its exit code; no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ThesisError as exc:
            click.echo(exc.format(), err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(f"warning: {problem.format()}", err=True)


def _project(out: Path | None = None) -> Any:
    from thesis.project import Project

    return Project(Path.cwd(), out)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thesis")
def cli() -> None:
    """Turn an investment thesis kept as YAML into a dated, cited research brief.

    \b
    Example:
      thesis render alibaba --as-of 2025-12-31
    """


@cli.command()
@click.argument("company")
@click.option(
    "--as-of",
    "as_of",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="Render the thesis as known on this date (default: today).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "both"]),
    default="both",
    show_default=True,
    help="Which brief to write; the JSON snapshot is always written.",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Write under this folder instead of build/."
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) when a quote is not found in its source.")
@click.option(
    "--weights",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file overriding the scoring configuration.",
)
@handle_errors
def render(company: str, as_of: dt.date | None, fmt: str, out: Path | None, strict: bool, weights: Path | None) -> None:
    """Render COMPANY's brief to build/COMPANY/DATE/ as HTML, PDF and JSON.

    \b
    Example:
      thesis render alibaba
      thesis render alibaba --as-of 2025-06-30 --format html --out /tmp/briefs
    """
    from thesis.pipeline import render as render_brief

    result = render_brief(_project(out), company, as_of or dt.date.today(), formats=fmt, strict=strict, weights=weights)
    _warn(result.warnings)
    for path in result.paths:
        size = result.sizes[path.suffix.lstrip(".")]
        click.echo(f"wrote {path} ({size / 1024:,.0f} KiB)")
    click.echo(f"{company} as of {result.as_of.isoformat()}: score {result.score:+.1f}, rating {result.rating}")


@cli.command()
@click.argument("company")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object with company, ok, strict, counts and problems (see README).",
)
@handle_errors
def check(company: str, strict: bool, fmt: str) -> None:
    """Verify COMPANY's inputs: schema, ids, sources, quotes, numbers, dates.

    Every quote must be verbatim in its archived source (the nearest passage is
    shown when it is not); every metric value must be printed in its quote; no
    observation may be dated after its source. Sources that disagree about one
    period are listed as info. Exit 0 when clean, 1 when a check failed (an
    error, or a warning with --strict), 2 when the inputs cannot be read.

    \b
    Example:
      thesis check alibaba --strict
      thesis check alibaba --format json
    """
    from thesis.checks import make_report, run_checks
    from thesis.errors import InputError

    try:
        report = run_checks(_project(), company)
    except InputError as exc:
        if fmt != "json":
            raise
        click.echo(json.dumps(make_report(company, exc.problems).as_dict(strict), indent=2, sort_keys=True))
        sys.exit(exc.exit_code)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(strict), indent=2, sort_keys=True))
    else:
        click.echo(report.text(strict))
    sys.exit(1 if report.failed(strict) else 0)


@cli.command()
@click.argument("company")
@click.option(
    "--as-of",
    "as_of",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="Score the thesis as known on this date (default: today).",
)
@click.option(
    "--weights",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file overriding the scoring configuration.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@handle_errors
def score(company: str, as_of: dt.date | None, weights: Path | None, fmt: str) -> None:
    """Print COMPANY's scorecard without rendering a brief.

    \b
    Example:
      thesis score alibaba --format json
    """
    from thesis.pipeline import prepare
    from thesis.scorecard_output import scorecard_csv, scorecard_json, scorecard_text

    prepared = prepare(_project(), company, as_of or dt.date.today(), weights=weights)
    card = prepared.scorecard
    if fmt == "json":
        click.echo(scorecard_json(card), nl=False)
    elif fmt == "csv":
        click.echo(scorecard_csv(card), nl=False)
    else:
        click.echo(scorecard_text(card), nl=False)


def main() -> None:
    cli(prog_name="thesis")
