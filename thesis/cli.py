"""The command line: parse options, call one core function, print. Nothing else lives here."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from thesis import __version__
from thesis.errors import Problem, ThesisError
from thesis.figures import counted, signed
from thesis.terminal import printable

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn a :class:`ThesisError` into a clean message and its exit code; no traceback.

    Also: SIGTERM is raised as :class:`~thesis.errors.Interrupted` while the command runs, and an
    interruption (Ctrl-C, SIGTERM) is one line and exit 130 or 143; an ``OSError`` no core function
    worded is one line naming the path and the cause, exit 1.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from thesis.errors import Interrupted, raise_on_sigterm

        main = threading.current_thread() is threading.main_thread()
        previous = raise_on_sigterm() if main else None
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: clean-ups have run; one line, 130 or 143
            stop = exc if isinstance(exc, Interrupted) else Interrupted(signal.SIGINT)
            click.echo(stop.format(), err=True)
            sys.exit(stop.exit_code)
        except ThesisError as exc:
            if _asked_for_json():
                _json_error(exc.message, exc.as_problems(), exc.exit_code)
            click.echo(printable(exc.format()), err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # a fault no core function worded: still one line, never a traceback
            from thesis.errors import os_error_cause

            cause, hint = os_error_cause(exc)
            where = f" {exc.filename}" if exc.filename is not None else ""
            if _asked_for_json():
                _json_error(cause, [Problem(where.strip(), None, "", cause, hint)], 1)
            click.echo(printable(f"error:{where}: {cause}\n  fix: {hint}"), err=True)
            sys.exit(1)
        finally:
            if main and previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return wrapper  # type: ignore[return-value]


def _json_error(message: str, problems: list[Problem], code: int) -> NoReturn:
    """What a command asked for ``--format json`` prints when it fails, on standard output, whatever went wrong
    (a usage error included), then exits ``code``: ``{"ok": false, "error": message, "problems": [...]}``, each
    problem as ``thesis check --format json`` gives it (file, line, path, item, severity, message, hint), so a
    script reads every failure as JSON and still tells it by the exit code."""
    data = {"ok": False, "error": message, "problems": [p.as_dict() for p in problems]}
    click.echo(json.dumps(data, indent=2, sort_keys=True))  # ASCII: every control character escaped
    sys.exit(code)


def _wants_json(args: list[str]) -> bool:
    """Whether the command line asks for ``--format json`` (read before click parses it, for its usage errors)."""
    return "--format=json" in args or any(a == "--format" and b == "json" for a, b in zip(args, args[1:], strict=False))


def _asked_for_json() -> bool:
    """Whether the running command was given ``--format json``."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.params.get("fmt") == "json"


_JSON = "thesis.json"  # ctx.meta key: the command line asks for --format json
_ARGS = "thesis.args"  # ctx.meta key: the command line as given


class _Group(click.Group):
    """The ``thesis`` group. When the command line asks for ``--format json``, a click usage error anywhere (an
    unknown command or option, a missing argument, a bad value) is JSON on standard output (:func:`_json_error`),
    exit 2; otherwise click's text on standard error."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_JSON] = _wants_json(list(args))
        ctx.meta[_ARGS] = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            self._json_usage_error(ctx, exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # resolving the command, parsing its arguments, -q with -v...
            self._json_usage_error(ctx, exc)

    @staticmethod
    def _json_usage_error(ctx: click.Context, exc: click.UsageError) -> NoReturn:
        if not ctx.meta.get(_JSON):
            raise exc
        names = (exc.ctx or ctx).command_path.split()[1:]  # without the program's own name
        hint = f"see: {' '.join(['thesis', *names, '--help'])}"
        problem = Problem("", None, "", exc.format_message(), hint)
        args: list[str] = ctx.meta.get(_ARGS, [])
        if _command_name(args) == "check":  # thesis check answers in its own report's shape, always
            _check_json_error(_check_company(args[args.index("check") + 1 :]), [problem], exc.exit_code)
        _json_error(exc.format_message(), [problem], exc.exit_code)


def _command_name(args: list[str]) -> str | None:
    """The command a ``thesis`` command line names: its first word that is not a group option or its value."""
    rest = iter(args)
    for arg in rest:
        if arg == "--project":
            next(rest, None)
        elif not arg.startswith("-"):
            return arg
    return None


def _check_company(args: list[str]) -> str:
    """The company a ``thesis check`` command line names, as far as it can be read when click could not."""
    return next((a for a in args if not a.startswith("-") and a not in ("text", "json")), "")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from thesis.inputs.dates import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _as_of_option(help: str) -> Callable[[F], F]:
    """``--as-of YYYY-MM-DD``, read as a date; ``help`` says what the day is for."""
    return click.option("--as-of", "as_of", callback=_date, metavar="YYYY-MM-DD", help=help)


def _weights_option(help: str = "YAML file overriding the scoring configuration.") -> Callable[[F], F]:
    """``--weights FILE``: scoring overrides above the company's and the project's."""
    return click.option("--weights", type=click.Path(exists=True, dir_okay=False, path_type=Path), help=help)


def _format_option(*choices: str, default: str = "text", help: str | None = None) -> Callable[[F], F]:
    """``--format`` with the command's ``choices``, passed to the command as ``fmt``."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )


def _jobs_option(help: str) -> Callable[[F], F]:
    """``--jobs/-j N``: how many briefs render at once (0: one per CPU, see :func:`_workers`)."""
    return click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help=help)


def _workers(jobs: int) -> int:
    """The number of worker processes ``--jobs`` asks for: 0 is one per CPU."""
    return jobs or os.cpu_count() or 1


def _companies_options(all_help: str) -> Callable[[F], F]:
    """``COMPANY...`` and ``--all`` (every company under inputs/), for the commands over a coverage list."""

    def decorate(func: F) -> F:
        func = click.option("--all", "all_companies", is_flag=True, help=all_help)(func)
        return click.argument("companies", nargs=-1, metavar="COMPANY...", shell_complete=_complete_company)(func)

    return decorate


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(printable(f"warning: {problem.format()}"), err=True)


def _project(out: Path | None = None) -> Any:
    """The project the command works on (``--project``, else the nearest ``thesis.yaml`` above), validated."""
    from thesis.project import discover

    project = discover(Path.cwd(), _verbosity().project, out)
    project.settings  # noqa: B018 - read and check thesis.yaml now, before any work
    return project


@dataclass(frozen=True)
class Verbosity:
    """The global options (-q/-v, --project), kept on the click context for every command."""

    quiet: bool = False
    verbose: bool = False
    project: Path | None = None


def _verbosity() -> Verbosity:
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Verbosity) if ctx is not None else None
    return found or Verbosity()


def _info(message: str, err: bool = False) -> None:
    """An informational line (what was written, what to do next); -q hides it."""
    if not _verbosity().quiet:
        click.echo(printable(message), err=err)


def _detail(message: str) -> None:
    """A detail such as a timing, on stderr; only with -v."""
    if _verbosity().verbose:
        click.echo(printable(message), err=True)


def _complete_company(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for a COMPANY argument: the folders under the project's inputs/."""
    from thesis.project import discover

    try:
        project = discover(Path.cwd(), ctx.find_root().params.get("project"))
    except ThesisError:
        return []
    return [name for name in project.companies() if name.startswith(incomplete)]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thesis")
@click.option("-q", "--quiet", is_flag=True, help="Print only results, warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print details, such as how long each stage took.")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Work on the project in DIR (the folder holding thesis.yaml) instead of the nearest one above here.",
)
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool, project: Path | None) -> None:
    """Turn an investment thesis kept as YAML into a dated, cited research brief.

    Every command works on a research project: the nearest folder at or
    above the current one that holds a thesis.yaml (make one with
    `thesis init DIR`), or the one named with --project. Outputs go to the
    project's build/. Colour is used only on a terminal, and never when
    NO_COLOR is set.

    \b
    Example:
      thesis init my-research --desk "Example Capital research"
      thesis render alibaba --as-of 2025-12-31
      thesis --project ~/research -q render alibaba
    """
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together")
    ctx.obj = Verbosity(quiet=quiet, verbose=verbose, project=project)
    if os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
        ctx.color = False


@cli.command()
@_companies_options("Render every company under inputs/.")
@_as_of_option("Render the thesis as known on this date (default: today).")
@_format_option(
    "html", "pdf", "both", default="both", help="Which brief to write; the JSON snapshot is always written."
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Write under this folder instead of build/."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1), writing nothing, on any error or warning thesis check --strict reports.",
)
@_weights_option()
@_jobs_option("Render this many companies at once, each in its own process; 0 = one per CPU.")
@click.option("--force", is_flag=True, help="Render even when nothing changed since the last render.")
@click.option(
    "--executor",
    type=click.Choice(["process", "dask"]),
    default="process",
    show_default=True,
    help="Where the briefs render: local processes, or a Dask cluster (pip install 'thesis[dask]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --executor dask: the scheduler (tcp://HOST:8786); default: a local cluster of --jobs workers.",
)
@handle_errors
def render(
    companies: tuple[str, ...],
    all_companies: bool,
    as_of: dt.date | None,
    fmt: str,
    out: Path | None,
    strict: bool,
    weights: Path | None,
    jobs: int,
    force: bool,
    executor: str,
    scheduler: str | None,
) -> None:
    """Render COMPANY's brief to build/COMPANY/DATE/ as HTML, PDF and JSON.

    Give several companies, or --all, to render a whole coverage list; with
    --jobs N they render N at a time. A company that fails is reported at the
    end and the others still render (exit 1 if any failed). A brief whose
    inputs, templates, scoring configuration, format and date (and, in a git
    project, the commits it reads) are unchanged since it was last rendered, and whose files are still in place, is
    skipped ("unchanged, skipped"); --force renders it anyway.

    \b
    Example:
      thesis render alibaba
      thesis render alibaba --as-of 2025-06-30 --format html --out /tmp/briefs
      thesis render --all --jobs 2
      thesis render --all --executor dask --scheduler tcp://scheduler:8786
    """
    from thesis.errors import UsageError
    from thesis.project import choose_companies

    project = _project(out)
    day = as_of or dt.date.today()
    if scheduler is not None and executor != "dask":
        raise UsageError("--scheduler goes with --executor dask", "add --executor dask, or drop --scheduler")
    # an unknown company is reported with those that failed, after the others rendered
    names = choose_companies(
        project, companies, all_companies, "thesis render", nothing="no company to render", known=False
    )
    if len(companies) == 1 and executor == "process":
        _render_one(project, companies[0], day, fmt, strict, weights, force)
        return
    _render_several(project, names, day, fmt, strict, weights, _workers(jobs), force, executor, scheduler)


def _render_one(
    project: Any, company: str, day: dt.date, fmt: str, strict: bool, weights: Path | None, force: bool
) -> None:
    from thesis.commands.render import render as render_brief

    started = time.perf_counter()
    result = render_brief(project, company, day, formats=fmt, strict=strict, weights=weights, skip_unchanged=not force)
    _detail(f"{'checked' if result.skipped else 'rendered'} in {time.perf_counter() - started:.2f} s")
    _warn(result.warnings)
    if result.skipped:
        for path in result.paths:
            _detail(f"kept {path}")
        click.echo(
            f"{company} as of {result.as_of.isoformat()}: unchanged, skipped "
            f"(score {signed(result.score)}, rating {result.rating}; --force renders anyway)"
        )
        return
    for path in result.paths:
        size = result.sizes[path.suffix.lstrip(".")]
        _info(f"wrote {path} ({size / 1024:,.0f} KiB)")
    click.echo(f"{company} as of {result.as_of.isoformat()}: score {signed(result.score)}, rating {result.rating}")


def _outcome_line(outcome: Any) -> str:
    if outcome.status == "failed":
        return f"{outcome.company}: failed (reason below)"
    scored = f"score {signed(outcome.score)}, rating {outcome.rating}"
    if outcome.status == "skipped":
        return f"{outcome.company}: unchanged, skipped ({scored})"
    return f"{outcome.company}: rendered, {scored}"


def _report_failures(failed: list[Any]) -> None:
    """Each brief that failed to render, with its error indented beneath, on stderr."""
    from textwrap import indent

    for outcome in failed:
        click.echo(printable(f"{outcome.company} failed:\n{indent(outcome.error, '  ')}"), err=True)


@contextlib.contextmanager
def _progress(count: int) -> Iterator[Callable[[Any], None]]:
    """How each finished brief is reported: a bar on a terminal, else a line each (-q hides them)."""
    if not sys.stderr.isatty() or _verbosity().quiet:
        yield lambda outcome: _info(_outcome_line(outcome))
        return
    bar: Any  # click types a length-only bar as showing ints; it shows the last company
    with click.progressbar(
        length=count,
        label=f"Rendering {count} briefs",
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda outcome: outcome.company if outcome is not None else None,
    ) as bar:
        yield lambda outcome: bar.update(1, outcome)


def _render_several(
    project: Any,
    names: list[str],
    day: dt.date,
    fmt: str,
    strict: bool,
    weights: Path | None,
    workers: int,
    force: bool,
    executor: Any = "process",
    scheduler: str | None = None,
) -> None:
    """Render many briefs; a bar on a terminal, else one line per company; failures at the end."""
    from thesis.commands.render_many import RenderJob, render_many

    jobs = [RenderJob(project, name, day, fmt, strict, weights) for name in names]
    started = time.perf_counter()
    with _progress(len(jobs)) as report:
        outcomes = render_many(
            jobs, workers=workers, force=force, report=report, executor_kind=executor, scheduler=scheduler
        )
    where = f"on the Dask scheduler at {scheduler}" if scheduler else f"with {counted(workers, executor + ' workers')}"
    _detail(f"{len(jobs)} briefs in {time.perf_counter() - started:.2f} s {where}")
    for outcome in outcomes:
        _warn(list(outcome.warnings))
    failed = [outcome for outcome in outcomes if outcome.status == "failed"]
    _report_failures(failed)
    counts = {status: sum(o.status == status for o in outcomes) for status in ("rendered", "skipped", "failed")}
    click.echo(
        f"{len(outcomes)} briefs as of {day.isoformat()}: {counts['rendered']} rendered, "
        f"{counts['skipped']} unchanged, {counts['failed']} failed"
    )
    if failed:
        sys.exit(1)


def _check_json_error(company: str, problems: list[Problem], code: int, strict: bool = False) -> NoReturn:
    """``thesis check --format json`` answers with its report whatever went wrong: the problems, the exit code."""
    from thesis.verify.checks import make_report

    click.echo(json.dumps(make_report(company, problems).as_dict(strict), indent=2, sort_keys=True))
    sys.exit(code)


class _CheckCommand(click.Command):
    """``thesis check``: a usage error under ``--format json`` is a check report, as every other answer is."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # click's parser consumes the list it is handed
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if not _wants_json(given):
                raise
            problem = Problem("", None, "", exc.format_message(), "see: thesis check --help")
            _check_json_error(_check_company(given), [problem], exc.exit_code)


@cli.command(cls=_CheckCommand)
@click.argument("company")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@_format_option(
    "text",
    "json",
    help="json: one object with company, ok, strict, counts and problems (see README); always JSON, "
    "even for a usage error.",
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
    from thesis.verify.checks import run_checks

    try:
        report = run_checks(_project(), company, coverage=True)
    except ThesisError as exc:  # unreadable inputs, an unknown company, a bad name...
        if fmt != "json":
            raise
        _check_json_error(company, exc.as_problems(), exc.exit_code, strict)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(strict), indent=2, sort_keys=True))
    else:
        click.echo(printable(report.text(strict)))
    sys.exit(1 if report.failed(strict) else 0)


@cli.command("verify")
@click.argument("brief", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="For a JSON snapshot: the folder of the archived source texts (the company's sources/).",
)
@_format_option("text", "json", help="json: one object with brief, ok, counts and failures.")
@handle_errors
def verify_command(brief: Path, sources: Path | None, fmt: str) -> None:
    """Re-check a rendered brief from what it carries: hashes, quotes, numbers, score.

    A PDF brief carries its snapshot and the archived text of every source it
    cites: each text must match the SHA-256 the snapshot records, each quote
    must be in its source and each metric value in its quote, as thesis check
    finds them. It also carries its inputs as known on its date: made again
    from them, the brief must give its snapshot (score, rating, every item).
    A JSON snapshot is checked against --sources DIR. Exit 0 all verified, 1 a
    quote, number or hash failed or the inputs do not give the snapshot, 2 not
    a thesis brief or unreadable.

    \b
    Example:
      thesis verify build/alibaba/2026-01-31/alibaba-2026-01-31.pdf
      thesis verify build/acme/2025-09-30/acme-2025-09-30.json --sources inputs/acme/sources
    """
    from thesis.commands.verify_brief import verify_brief

    verified = verify_brief(brief, sources)
    result = verified.result
    if fmt == "json":
        click.echo(json.dumps(verified.as_dict(), indent=2, sort_keys=True))
    else:
        for failure in result.failures:
            click.echo(printable(f"failed: {failure.text()}"))
        click.echo(printable(result.summary(verified.name)))
        if verified.inputs is not None:
            click.echo(printable(verified.inputs))
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.argument("company")
@_as_of_option("Score the thesis as known on this date (default: today).")
@_weights_option()
@_format_option("text", "json", "csv")
@handle_errors
def score(company: str, as_of: dt.date | None, weights: Path | None, fmt: str) -> None:
    """Print COMPANY's scorecard without rendering a brief.

    Shows the score, rating, confidence and its reasons, each item's
    contribution, the sensitivity to each knob, the smallest set of items
    whose removal changes the rating, the score without each source, and the
    scenarios. JSON keys: score, rating, confidence, scoring, sensitivity,
    scenarios, items (see docs/scoring.md); CSV: one row per item.

    \b
    Example:
      thesis score alibaba --format json
      thesis score alibaba --as-of 2025-09-30 --weights heavy-cloud.yaml
    """
    from thesis.commands.render import prepare
    from thesis.outputs.scorecard import scorecard_csv, scorecard_json, scorecard_text

    prepared = prepare(_project(), company, as_of or dt.date.today(), weights=weights)
    if fmt == "json":
        output = scorecard_json(prepared.brief)
    elif fmt == "csv":
        output = scorecard_csv(prepared.scorecard)
    else:
        output = scorecard_text(prepared.brief)
    click.echo(printable(output), nl=False)  # item texts come from input files, in every format


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIR")
@click.option("--desk", help='The desk\'s name, shown at the top of every brief, e.g. "Example Capital research".')
@handle_errors
def init(directory: Path, desk: str | None) -> None:
    """Make DIR a research project: thesis.yaml, inputs/, .gitignore, schemas, editor settings.

    DIR may be new or an existing folder (for example a git repository);
    an existing project, or any file init would write, is never overwritten
    (exit 2). Edit thesis.yaml for the desk's name, disclaimer, logo and
    default scoring; then add companies with `thesis new`.

    \b
    Example:
      thesis init my-research --desk "Example Capital research"
      cd my-research && thesis new acme --name "Acme Holdings" --ticker ACME:NYSE
    """
    from thesis.commands.init import init_project

    made = init_project(directory, desk)
    for path in made.files:
        _detail(f"wrote {path}")
    _info(f"created the research project {directory}/ ({len(made.files)} files; the desk's settings: thesis.yaml)")
    _info(f'next: cd {directory} && thesis new COMPANY --name "Company Name" --ticker SYMBOL:EXCHANGE')


@cli.command()
@click.argument("company", shell_complete=_complete_company)
@click.option("--name", required=True, help='The company\'s full name, e.g. "Tencent Holdings Limited".')
@click.option(
    "--ticker",
    "tickers",
    multiple=True,
    required=True,
    metavar="SYMBOL:EXCHANGE",
    help="A listing, e.g. 0700:HKEX; repeat the option for each listing.",
)
@handle_errors
def new(company: str, name: str, tickers: tuple[str, ...]) -> None:
    """Start a thesis in inputs/COMPANY/ from a commented example.

    The example (one source, a bull and a bear point, a metric, a
    constraint) checks and renders as it is, with a warning for each example
    value still in place; replace it piece by piece until `thesis check
    --strict` passes. An existing company is never overwritten (exit 2).

    \b
    Example:
      thesis new tencent --name "Tencent Holdings Limited" --ticker 0700:HKEX --ticker TCEHY:OTC
    """
    from thesis.commands.new import scaffold

    project = _project()
    made = scaffold(project, company, name, list(tickers), dt.date.today())
    for path in made.files:
        _detail(f"wrote {path}")
    if made.schema_written is not None:
        _info(f"wrote {made.schema_written} (the schema your editor uses)")
    _info(f"created inputs/{company}/ with example inputs ({len(made.files)} files)")
    _info(f"next: replace the examples, then run: thesis check {company} --strict && thesis render {company}")


_STATUS_COLOURS = {"ok": "green", "warnings": "yellow", "failed": "red", "unreadable": "red"}


@cli.group()
def source() -> None:
    """Archive the documents a thesis cites.

    \b
    Example:
      thesis source add acme ~/Downloads/acme-results.html --reliability B
    """


@source.command("add")
@click.argument("company", shell_complete=_complete_company)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--id", "source_id", metavar="ID", help="The source's id (default: publisher, title and month, in 40 characters)."
)
@click.option("--url", metavar="URL", help="Where the document was found (default: the page's canonical link).")
@click.option(
    "--published",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="The publication date, when the document's own is missing or wrong.",
)
@click.option(
    "--reliability",
    type=click.Choice(list("ABCDEF")),
    help="Admiralty reliability grade (default: F, cannot be judged, for you to decide).",
)
@handle_errors
def source_add(
    company: str, file: Path, source_id: str | None, url: str | None, published: dt.date | None, reliability: str | None
) -> None:
    """Archive FILE (a saved web page, a PDF, or text) as a source of COMPANY.

    Keeps the document as received under inputs/COMPANY/sources/originals/,
    writes the text quotes are verified against under sources/ (a PDF's pages
    separated by form feeds, so quotes know their page), and appends a
    complete entry to the sources file, leaving its comments and layout as
    they are. Prints what it filled in and what you still have to decide.
    Nothing is fetched from the network; nothing is changed when the file
    cannot be added (wrong type, encrypted or scanned PDF, no text, too big,
    already archived).

    \b
    Example:
      thesis source add acme ~/Downloads/acme-results.html --reliability B
      thesis source add acme broker-note.pdf --id broker-note-2025 --published 2025-04-02
    """
    from thesis.commands.source import add_source

    added = add_source(
        _project(), company, file, source_id=source_id, url=url, published=published, reliability=reliability
    )
    _info(f"added source {added.source_id!r} to {added.sources_file}")
    width = max(len(key) for key, _ in added.filled)
    for key, value in added.filled:
        _info(f"  {key.ljust(width)}  {value}")
    if added.to_decide:
        click.echo("still to decide:")
        for item in added.to_decide:
            click.echo(printable(f"  - {item}"))
    _info(f"wrote {', '.join(added.written)}")


@cli.command()
@click.argument("company", shell_complete=_complete_company)
@click.argument("words", nargs=-1, required=True)
@click.option("--source", "source_id", metavar="ID", help="Look only in this source.")
@_format_option(
    "text", "yaml", "json", help="yaml: the best passage as a citation to paste under evidence:; json: every passage."
)
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Show at most this many.")
@handle_errors
def quote(company: str, words: tuple[str, ...], source_id: str | None, fmt: str, limit: int) -> None:
    """Find WORDS in COMPANY's sources, exactly or approximately, ready to cite.

    Prints each passage like the words (in their order, without regard to
    capitals), most similar first, with its source, page (for a PDF) or line,
    and how similar it is; the passage is the sentence around the words, as
    the source prints it, so it verifies as a quote. With a number in the
    words it also reads the observation: value, unit (currency and scale)
    and period. Exit 1 when nothing is close.

    \b
    Example:
      thesis quote alibaba cloud revenue grew
      thesis quote acme "35 billion" --format yaml >> snippet.yaml
      thesis quote acme data centres --source broker-outlook --format json
    """
    from thesis.commands.quote import as_json, as_text, as_yaml, find_quotes

    quoted = find_quotes(_project(), company, " ".join(words), source=source_id, limit=limit)
    answer = {"json": as_json, "yaml": as_yaml, "text": as_text}[fmt](quoted)
    click.echo(answer if fmt == "yaml" else printable(answer))  # the passages come from source files


@cli.command("list")
@click.option("--strict", is_flag=True, help="Count warnings as failures in the check column.")
@_format_option("text", "json", help="json: a list of objects with company, status, counts and last_brief.")
@handle_errors
def list_command(strict: bool, fmt: str) -> None:
    """List every company with its last brief and check status.

    One line per company: the date, score and rating of its last brief,
    whether that brief is STALE (its inputs changed since) or current, its
    counts of points, metrics, constraints and sources, and its check status.
    The last brief is the newest build/COMPANY/DATE/COMPANY-DATE.json; the
    check status comes from running `thesis check` now.

    \b
    Example:
      thesis list
      thesis list --format json
    """
    from thesis.commands.listing import COUNTED, list_companies, table

    statuses = list_companies(_project(), strict)
    for entry in statuses:
        _detail(f"checked {entry.company} in {entry.seconds:.2f} s")
    if fmt == "json":
        click.echo(json.dumps([entry.as_dict() for entry in statuses], indent=2, sort_keys=True))
        return
    if not statuses:
        _info('no companies under inputs/; start one with: thesis new COMPANY --name "..." --ticker SYMBOL:EXCHANGE')
        return
    from thesis.terminal import aligned

    rows = [[printable(cell) for cell in row] for row in table(statuses)]
    numeric = {i for i, name in enumerate(rows[0]) if name in {"score", *COUNTED}}
    # the check column comes last, unpadded, so that its colour does not count in the widths
    for index, (line, row) in enumerate(zip(aligned([row[:-1] for row in rows], numeric), rows, strict=True)):
        check = row[-1]
        if index > 0:
            check = click.style(check, fg=_STATUS_COLOURS[statuses[index - 1].status])
        click.echo(f"{line}  {check}")


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of printing it (- prints it).",
)
@click.option(
    "--file",
    "which",
    type=click.Choice(["inputs", "project"]),
    default="inputs",
    show_default=True,
    help="inputs: a YAML file under inputs/COMPANY/; project: the project's thesis.yaml.",
)
@handle_errors
def schema(out: Path | None, which: str) -> None:
    """Print the JSON Schema of an input file (or of thesis.yaml), for editors.

    Editors with a YAML language server validate and complete the inputs
    as you type. Each YAML file under inputs/ starts with a line that points the editor at
    docs/thesis.schema.json, and thesis.yaml one that points at
    docs/thesis-project.schema.json; `thesis init` writes both.

    \b
    Example:
      thesis schema --out docs/thesis.schema.json
      thesis schema --file project --out docs/thesis-project.schema.json
    """
    from thesis.inputs.schema import SCHEMAS, write_schema

    if out is None or out == Path("-"):
        click.echo(SCHEMAS[which](), nl=False)
        return
    write_schema(out, which)
    _info(f"wrote {out}")


@cli.command()
@click.argument("company", shell_complete=_complete_company)
@_format_option(
    "csv", "xlsx", default="xlsx", help="xlsx: one workbook, a sheet per table; csv: a folder with one file per table."
)
@_as_of_option("Export the thesis as known on this date (default: today).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="xlsx: the file (or a folder to put it in; - for standard output); csv: the folder. "
    "Default: build/COMPANY/DATE/.",
)
@_weights_option()
@handle_errors
def export(company: str, fmt: str, as_of: dt.date | None, out: Path | None, weights: Path | None) -> None:
    """Export COMPANY's numbers to a spreadsheet (xlsx or CSV).

    Six tables: summary, points, observations, constraints, sources and
    scorecard. One row per point, metric observation, constraint, source and scored
    item; dates are dates and numbers are numbers.

    \b
    Example:
      thesis export alibaba --format xlsx
      thesis export alibaba --format csv --as-of 2025-06-30 --out /tmp/alibaba-csv
    """
    from thesis.outputs.export import export as export_numbers

    result = export_numbers(_project(), company, as_of or dt.date.today(), fmt, out, weights)
    for stage, seconds in result.seconds.items():
        _detail(f"{stage}: {seconds:.2f} s")
    to_stdout = out == Path("-")  # the workbook is on standard output: the report goes to stderr
    for path in result.paths:
        _info(f"wrote {path}", err=to_stdout)
    counted = ", ".join(f"{name} {rows}" for name, rows in result.rows.items() if name != "summary")
    _info(f"{company} as of {result.as_of.isoformat()}, rows per table: {counted}", err=to_stdout)


@cli.command()
@click.argument("operands", nargs=-1, metavar="COMPANY A B | A B")
@_format_option(
    "text",
    "json",
    "html",
    "pdf",
    help="text for the terminal, json for programs, html or pdf for a diff brief written to a file.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="html/pdf: the file to write, - for standard output (default: build/COMPANY/diff-DATE_A-DATE_B.html or .pdf).",
)
@click.option(
    "--abs-tol",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Metric values closer than this count as unchanged.",
)
@click.option(
    "--rel-tol",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Metric values within this fraction of the larger (0.01 = 1%) count as unchanged.",
)
@click.option(
    "--color/--no-color",
    "color",
    default=None,
    help="Colour the text (default: on a terminal, unless NO_COLOR is set).",
)
@handle_errors
def diff(
    operands: tuple[str, ...], fmt: str, out: Path | None, abs_tol: float, rel_tol: float, color: bool | None
) -> None:
    """Show what changed in a thesis between two dates, and why the score moved.

    With COMPANY A B, each of A and B is a date, YYYY-MM-DD (the inputs as of
    that date), or else a git revision: a commit, tag or branch (the inputs as
    committed there, as of the commit's day, read without touching the working
    tree); 20250630 is a revision, never a date. Nothing
    is written. With A B alone, compare two snapshots (COMPANY-DATE.json) or
    two PDF briefs (their attached snapshots).

    Material changes come first (rating, constraints, flipped points), then
    why the score moved (the change split exactly into added items, removed
    items, edits and re-grades, time decay and configuration), then counts,
    then every added, removed and modified item (the summary, points,
    metrics, constraints, sources, catalysts, kill criteria) with a
    word-level redline, then the scenarios compared.

    Exit 0 when there are no differences, 1 when there are, 2 on trouble.

    \b
    Example:
      thesis diff alibaba 2025-06-30 2026-01-31
      thesis diff old/alibaba-2025-06-30.pdf new/alibaba-2026-01-31.pdf --format json
      thesis diff alibaba 2025-06-30 2026-01-31 --format pdf --out /tmp/what-changed.pdf
      thesis diff alibaba HEAD~3 HEAD
    """
    from thesis.diff.compare import Tolerance, diff_snapshots, has_differences, snapshots_from_files
    from thesis.diff.output import diff_json, diff_text, write_diff_brief
    from thesis.errors import UsageError
    from thesis.terminal import printable_data

    if out is not None and fmt not in ("html", "pdf"):
        raise UsageError(f"--out is for --format html or pdf, not {fmt}", "redirect the output instead: > FILE")
    # Two files compared as text or JSON need no project; everything else is the project's.
    project: Any = _project() if len(operands) == 3 or fmt in ("html", "pdf") else None
    if len(operands) == 3:
        from thesis.commands.log import snapshots_for_diff

        company, first, second = operands
        snapshots = snapshots_for_diff(project, company, first, second)
    elif len(operands) == 2:
        snapshots = snapshots_from_files(Path(operands[0]), Path(operands[1]))
    else:
        raise UsageError(
            f"expected COMPANY DATE_A DATE_B or two files, got {counted(len(operands), 'arguments')}",
            "e.g. thesis diff alibaba 2025-06-30 2026-01-31, or thesis diff A.json B.json",
        )
    if fmt == "text":  # snapshots can come from anywhere: their control characters are shown, not obeyed
        snapshots = (printable_data(snapshots[0]), printable_data(snapshots[1]))
    result = diff_snapshots(*snapshots, Tolerance(abs_tol=abs_tol, rel_tol=rel_tol))
    if fmt == "json":
        click.echo(printable(diff_json(result)), nl=False)
    elif fmt == "text":
        if color is None:
            color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        click.echo(diff_text(result, click.style if color else None), nl=False, color=color)
    else:
        path, size = write_diff_brief(project, result, snapshots, fmt, out)
        click.echo(f"wrote {path} ({size / 1024:,.0f} KiB)", err=out == Path("-"))
    sys.exit(1 if has_differences(result) else 0)


@cli.command()
@click.argument("company", shell_complete=_complete_company)
@click.option("--as-of", callback=_date, help="Preview the brief as of this date (YYYY-MM-DD); default: today.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0 picks a free port.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; anything but a loopback address shows the brief to other machines.",
)
@_weights_option("Scoring overrides, as for render; watched too.")
@handle_errors
def preview(company: str, as_of: dt.date | None, port: int, host: str, weights: Path | None) -> None:
    """Serve COMPANY's HTML brief and reload it in the browser on every save.

    Watches the company's inputs and source texts, the project's templates
    and thesis.yaml, renders the HTML again in this process on each change,
    and reloads every open page. Input problems replace the page until the
    next good save. The page links to the PDF, rendered on demand. Ctrl-C
    stops the server.

    \b
    Example:
      thesis preview alibaba
      thesis preview alibaba --as-of 2025-06-30 --port 8001
    """
    from thesis.commands.preview import Page, Preview, serve

    def rebuilt(page: Page, paths: list[Path]) -> None:
        names = sorted({p.name for p in paths if p.exists()}) or sorted({p.name for p in paths})
        changed = f"{', '.join(names[:3])}{' …' if len(names) > 3 else ''} changed: " if paths else ""
        state = "brief rendered" if page.ok else "the inputs have problems (shown in the page)"
        _info(f"{changed}{state} in {page.seconds * 1000:,.0f} ms")

    def ready(url: str) -> None:
        click.echo(f"serving {company}'s brief at {url} (Ctrl-C to stop)")

    serve(Preview(_project(), company, as_of, weights), host, port, ready, rebuilt)
    click.echo("stopped")


@cli.command()
@_companies_options("Every company under inputs/.")
@_as_of_option("Evaluate as known on this date (default: today).")
@_format_option("text", "json")
@handle_errors
def alerts(companies: tuple[str, ...], all_companies: bool, as_of: dt.date | None, fmt: str) -> None:
    """List tripped kill criteria and overdue catalysts across the coverage.

    A kill criterion is evaluated on the evidence known on the date; a
    catalyst is overdue when its expected day or window has passed with no
    outcome recorded. Inputs that cannot be read are listed too. Exit 0 when
    there is nothing to report, 1 when there is (for a nightly job).

    \b
    Example:
      thesis alerts --all
      thesis alerts alibaba --as-of 2026-06-30 --format json
    """
    from thesis.commands.watch import alerts as find_alerts
    from thesis.project import choose_companies

    project = _project()
    names = choose_companies(project, companies, all_companies, "thesis alerts")
    day = as_of or dt.date.today()
    found = find_alerts(project, names, day)
    if fmt == "json":
        click.echo(json.dumps([alert.as_dict() for alert in found], indent=2, sort_keys=True))
    else:
        for alert in found:
            item = f" {alert.item}" if alert.item else ""
            click.echo(printable(f"{alert.company}: {alert.kind}{item}: {alert.message}"))
        _info(f"{counted(len(found), 'alerts')} across {counted(len(names), 'companies')} as of {day.isoformat()}")
    sys.exit(1 if found else 0)


@cli.command()
@_companies_options("Every company under inputs/, in one calendar.")
@_as_of_option("Catalysts as known on this date (default: today).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .ics file (default: build/COMPANY/COMPANY-catalysts.ics, or build/catalysts.ics for several).",
)
@handle_errors
def calendar(companies: tuple[str, ...], all_companies: bool, as_of: dt.date | None, out: Path | None) -> None:
    """Write the catalysts as an iCalendar (.ics) file for Outlook or Google Calendar.

    Each dated catalyst is an all-day event: on its day, or across its window
    (a month or quarter) when the sources give only that. Event ids are
    stable, so importing again updates events instead of copying them.
    Catalysts without a date are left out and named.

    \b
    Example:
      thesis calendar alibaba
      thesis calendar --all --out ~/catalysts.ics
    """
    from thesis.commands.watch import write_calendar
    from thesis.project import choose_companies

    project = _project()
    names = choose_companies(project, companies, all_companies, "thesis calendar")
    day = as_of or dt.date.today()
    result = write_calendar(project, names, day, out, coverage=all_companies)
    _info(f"wrote {result.path} ({counted(result.events, 'events')})")
    if not result.events and not result.undated:
        known = f"no catalyst is known as of {day.isoformat()}"
        _info(f"the calendar is empty: {known} (a company lists its own under catalysts:)")
    if result.undated:
        _info(f"left out {counted(len(result.undated), 'catalysts')} with no date: {', '.join(result.undated)}")


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="The site's folder (default: build/site); replaced whole, and only if thesis site made it.",
)
@click.option("--as-of", callback=_date, help="Render each company's newest brief as of this date; default: today.")
@_jobs_option("Render this many missing or stale briefs at once; 0 = one per CPU.")
@handle_errors
def site(out: Path | None, as_of: dt.date | None, jobs: int) -> None:
    """Build a static site of the whole coverage for the desk.

    Renders each company's brief as of today where it is missing or stale
    (unchanged briefs are skipped by the render cache), then writes an index
    of every company (sortable by rating, score, change, confidence, kill
    criteria, next catalyst, date) and a page per company with its history
    chart, every brief (HTML, PDF, JSON) and the diff between consecutive
    briefs. Every link is relative and nothing is fetched, so the folder
    works from file:// or any static host. Exit 1 if a brief failed to render.

    \b
    Example:
      thesis site
      thesis site --out /srv/desk-site --jobs 2
    """
    from thesis.commands.site import build_site

    day = as_of or dt.date.today()
    result = build_site(_project(), out, day, workers=_workers(jobs), report=lambda o: _detail(_outcome_line(o)))
    _report_failures(result.failed)
    rendered = sum(o.status == "rendered" for o in result.outcomes)
    click.echo(
        f"wrote {result.path}: {counted(result.companies, 'companies')}, {counted(result.briefs, 'briefs')} "
        f"({rendered} rendered now, {len(result.failed)} failed), {counted(result.pages, 'pages')}"
    )
    sys.exit(1 if result.failed else 0)


@cli.command()
@click.argument("company", shell_complete=_complete_company)
@_format_option("text", "json")
@handle_errors
def log(company: str, fmt: str) -> None:
    """Show COMPANY's record from git: each commit that changed its inputs, scored as of its day.

    For every commit that changed inputs/COMPANY/ (oldest first): its date,
    author and message; the score, rating and confidence its inputs gave as
    of the commit's day; and what moved the score since the commit before,
    in one line (the diff's attribution). The inputs of each commit are read
    with git; the working tree is never touched. JSON: a list of objects with
    commit, date, author, message, as_of, score, rating, confidence, moved.

    \b
    Example:
      thesis log alibaba
      thesis log alibaba --format json
    """
    from thesis.commands.log import company_log, log_text

    entries = company_log(_project(), company)
    if fmt == "json":
        click.echo(json.dumps([entry.as_dict() for entry in entries], indent=2, sort_keys=True))
    else:
        click.echo(printable(log_text(entries)), nl=False)


@cli.command()
@click.argument("company", shell_complete=_complete_company)
@click.option(
    "--from", "start", callback=_date, metavar="YYYY-MM-DD", help="The first day (default: the first source)."
)
@click.option("--to", "end", callback=_date, metavar="YYYY-MM-DD", help="The last day (default: today).")
@_format_option("text", "csv", "json")
@handle_errors
def history(company: str, start: dt.date | None, end: dt.date | None, fmt: str) -> None:
    """Show COMPANY's score, rating and confidence on each day something changed.

    A row for each day a source was published, a point started to count, a
    constraint took effect, the scenarios were set, a catalyst was resolved
    or went overdue, or (in a git project) a commit changed the inputs; and
    one for the last day, where time decay alone moves the score. Each row
    names what happened and the item that moved the score most. Each day reads
    what a brief as of it reads (in a git project, the inputs as committed by
    then), so its row is what thesis render --as-of that day says. The brief's
    timeline chart draws the same rows. Columns: date, score, change, rating,
    confidence, events, moved_most.

    \b
    Example:
      thesis history alibaba
      thesis history alibaba --from 2025-09-01 --to 2025-12-31 --format csv
    """
    from thesis.commands.history import history_csv, history_json, history_table, history_text

    day = end or dt.date.today()
    table = history_table(_project(), company, start, day)
    if fmt == "csv":
        output = history_csv(table)
    elif fmt == "json":
        output = history_json(table)
    else:
        output = history_text(table)
    click.echo(printable(output), nl=False)  # commit messages and events are the record's text, in every format


@cli.command("track-record")
@_companies_options("Every company under inputs/.")
@_as_of_option("Use prices up to this date (default: today).")
@_format_option("text", "csv")
@handle_errors
def track_record_command(companies: tuple[str, ...], all_companies: bool, as_of: dt.date | None, fmt: str) -> None:
    """Show whether the calls worked: the return after each rating change.

    Needs inputs/COMPANY/prices.csv (date,close, in company.currency) and
    optionally benchmark.csv; nothing is downloaded. For each rating change
    (and the first rating), the return after 1, 3, 6 and 12 months, over the
    benchmark where there is one, and the hit rate of long and short calls.
    CSV: one row per call, returns as fractions.

    \b
    Example:
      thesis track-record --all
      thesis track-record alibaba --format csv
    """
    from thesis.commands.track_record import records_csv, records_text, track_records
    from thesis.project import choose_companies

    project = _project()
    names = choose_companies(project, companies, all_companies, "thesis track-record")
    records = track_records(project, names, as_of or dt.date.today())
    output = records_csv(records) if fmt == "csv" else records_text(records)
    click.echo(printable(output), nl=False)  # rating names come from scoring.yaml, in either format


def main() -> None:
    cli(prog_name="thesis")
