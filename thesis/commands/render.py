"""The one place that reads inputs and writes outputs.

load → validate → verify → as-of view → score → build brief → render HTML →
render PDF → snapshot; everything is produced in memory first, then written
atomically, so a failed render leaves the previous brief untouched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from thesis import __version__
from thesis.brief.view import Brief, build_brief
from thesis.commands.cache import tree_digest
from thesis.errors import CheckFailed, InputError, Problem, UsageError, display_path
from thesis.figures import counted
from thesis.inputs.loader import Loaded, load_company
from thesis.inputs.prices import read_company_prices
from thesis.inputs.yaml_reader import read_yaml
from thesis.outputs.files import remove_stale_temporaries, write_all_atomic
from thesis.project import Project
from thesis.scoring.asof import as_of_view, earliest_evidence
from thesis.scoring.config import ScoringConfig, ScoringOverrides
from thesis.scoring.score import Scorecard, score
from thesis.verify.checks import check_loaded
from thesis.verify.quotes import Verification, verify

if TYPE_CHECKING:
    from thesis.commands.committed import CommittedInputs

FORMATS = ("html", "pdf", "both")


@dataclass(frozen=True)
class Prepared:
    company: str
    loaded: Loaded
    verification: Verification
    brief: Brief
    problems: tuple[Problem, ...] = ()  # the check's errors and warnings (a render without --strict goes on)

    @property
    def scorecard(self) -> Scorecard:
        return self.brief.scorecard


@dataclass
class RenderResult:
    company: str
    as_of: dt.date
    score: float
    rating: str
    paths: list[Path] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    skipped: bool = False  # True when an unchanged earlier render was reused


def read_weights(path: Path) -> ScoringOverrides:
    """Read a ``--weights`` YAML file (the same keys as a ``scoring:`` block)."""
    from thesis.inputs.loader import validate_file

    data, positions = read_yaml(path, str(path))
    if isinstance(data, dict) and set(data) == {"scoring"}:
        data = data["scoring"]
        positions = {k[1:]: v for k, v in positions.items() if k and k[0] == "scoring"}
    return validate_file(ScoringOverrides, data, positions, str(path))


def scoring_config(
    loaded: Loaded, weights: ScoringOverrides | None = None, weights_file: Path | None = None
) -> ScoringConfig:
    """The defaults, the project's ``thesis.yaml`` scoring, the inputs' scoring block, then the ``--weights`` file.

    A combination that cannot be is an :class:`InputError` placed in the weights file (the inputs' own block
    was checked over the project's when they loaded).
    """
    from thesis.inputs.loader import Located, merged_scoring

    located = Located(files={"scoring": str(weights_file)}) if weights_file else loaded.located
    config, problems = merged_scoring(located, loaded.project_scoring, loaded.thesis.scoring, weights)
    if problems:
        raise InputError(problems)
    return config


def prepare(
    project: Project,
    company: str,
    as_of: dt.date,
    *,
    strict: bool = False,
    weights: Path | None = None,
    today: dt.date | None = None,
) -> Prepared:
    """Everything up to the rendered brief's content, with no output written."""
    (prepared,) = prepare_dates(project, company, (as_of,), strict=strict, weights=weights, today=today)
    return prepared


def prepare_dates(
    project: Project,
    company: str,
    dates: Sequence[dt.date],
    *,
    strict: bool = False,
    weights: Path | None = None,
    today: dt.date | None = None,
    names: Sequence[str] = (),
    record: bool = True,
) -> list[Prepared]:
    """:func:`prepare` at each date, reading, validating and verifying the inputs once per record.

    ``names`` says what each date is called on the command line, for messages (default ``--as-of``).
    In a project kept in git, a date before today reads the inputs as committed by that date
    (:meth:`thesis.commands.committed.CommittedInputs.commit_on`), and each brief's history reads, for every
    earlier day, what a brief as of that day reads; ``record=False`` reads the working tree for every date.
    """
    folder = project.company_dir(company)
    today = today or dt.date.today()
    called = dict(zip(dates, names, strict=False))
    for as_of in dates:
        if as_of > today:
            raise UsageError(
                f"{called.get(as_of, '--as-of')} {as_of.isoformat()} is in the future",
                f"use a date on or before {today.isoformat()}",
            )
    if record and project.settings.file.record == "git":
        from thesis.commands.committed import CommittedInputs

        committed_inputs = CommittedInputs.of(project, company, today, weights)
        if committed_inputs is not None:
            return _prepare_from_record(committed_inputs, dates, strict=strict, names=called)
    loaded = load_company(project, company, today)
    first = earliest_evidence(loaded.thesis)
    for as_of in dates:
        if first is not None and as_of < first:
            raise UsageError(
                f"{called.get(as_of, '--as-of')} {as_of.isoformat()} is before the earliest source of {company!r} "
                f"(published {first.isoformat()}): nothing was known yet, so there is no thesis to show",
                f"use a date on or after {first.isoformat()}",
            )
    overrides = read_weights(weights) if weights else None
    verification = verify(loaded, severity="error")
    report = check_loaded(company, loaded, verification, today)
    # Everything thesis check would say, errors and warnings: fatal under --strict, as for check --strict.
    problems = tuple(report.errors() + report.warnings())
    if strict and report.failed(strict=True):
        raise CheckFailed(
            list(problems),
            f"{counted(len(problems), 'checks')} failed (--strict), as thesis check {company} --strict reports",
        )
    config = scoring_config(loaded, overrides, weights)
    company_info = loaded.thesis.company
    prices = read_company_prices(
        folder, display_path(folder, project.root), company_info.currency, company_info.benchmark
    )
    digest = tree_digest(folder)  # the same digest the render cache keys on
    prepared = []
    for as_of in dates:
        view = as_of_view(loaded.thesis, as_of)
        card = score(view, as_of, config)
        brief = build_brief(company, loaded, view, verification, card, digest, __version__, prices)
        prepared.append(Prepared(company, loaded, verification, brief, problems))
    return prepared


def _prepare_from_record(
    committed_inputs: CommittedInputs, dates: Sequence[dt.date], *, strict: bool, names: dict[dt.date, str]
) -> list[Prepared]:
    """:func:`prepare_dates` in a project kept in git: each date reads what
    :class:`~thesis.commands.committed.CommittedInputs` says it reads, and each brief's history reads the same
    for every earlier day."""
    from thesis.commands.log import checkout_inputs

    project, company, today = committed_inputs.project, committed_inputs.company, committed_inputs.today
    weights = committed_inputs.weights
    committed = {day: commit for day in dates if (commit := committed_inputs.commit_on(day)) is not None}

    def prepare_from(inputs: Project, days: list[dt.date]) -> list[Prepared]:
        names_of = [names.get(day, "--as-of") for day in days]
        return prepare_dates(
            inputs, company, days, strict=strict, weights=weights, today=today, names=names_of, record=False
        )

    done: dict[dt.date, Prepared] = {}
    unreadable: dict[dt.date, str] = {}
    for commit in {c.sha: c for c in committed.values()}.values():
        group = [day for day in dates if day in committed and committed[day].sha == commit.sha]
        at_commit = checkout_inputs(project, company, commit)
        try:
            at_dates = prepare_from(at_commit, group)
        except InputError:
            # inputs this version of thesis cannot read: the working tree, with its dated texts, stands in
            unreadable.update({day: commit.short for day in group})
            continue
        for day, one in zip(group, at_dates, strict=True):
            brief = dataclasses.replace(one.brief, record=f"commit {commit.short} of {commit.date.isoformat()}")
            done[day] = dataclasses.replace(one, brief=brief)
    rest = [day for day in dates if day not in done]
    if rest:
        working = prepare_from(project, rest)
        for day, one in zip(rest, working, strict=True):
            if day in unreadable:
                note = f"working tree (commit {unreadable[day]}, the last by then, does not load)"
                one = dataclasses.replace(one, brief=dataclasses.replace(one.brief, record=note))
            done[day] = one
    return [
        dataclasses.replace(
            done[day], brief=dataclasses.replace(done[day].brief, record_in_force=committed_inputs.in_force)
        )
        for day in dates
    ]


def render(
    project: Project,
    company: str,
    as_of: dt.date,
    *,
    formats: str = "both",
    strict: bool = False,
    weights: Path | None = None,
    skip_unchanged: bool = False,
) -> RenderResult:
    """Render the brief for one company and date; write HTML, PDF and JSON atomically.

    With ``skip_unchanged``, a brief whose inputs, templates, configuration,
    format and date all hash to the key recorded by an earlier render, and
    whose recorded outputs are still in place byte for byte, is not rendered
    again: the result says ``skipped`` and lists the existing files.
    """
    from thesis.commands.cache import lookup, render_key, store
    from thesis.outputs.snapshot import dumps, snapshot
    from thesis.render.brief import render_html, render_pdf_bytes

    # The key is taken before the inputs are read, so an edit made during the
    # render can only cause a needless re-render later, never a stale skip.
    key = render_key(project, company, as_of, formats=formats, strict=strict, weights=weights)
    if skip_unchanged and (earlier := lookup(project, company, as_of, key)) is not None:
        return RenderResult(
            company,
            as_of,
            earlier.score,
            earlier.rating,
            paths=earlier.paths,
            sizes=earlier.sizes,
            warnings=earlier.warnings,
            skipped=True,
        )
    prepared = prepare(project, company, as_of, strict=strict, weights=weights)
    brief = prepared.brief
    stem = f"{company}-{as_of.isoformat()}"
    snapshot_text = dumps(snapshot(brief)).encode()
    html = render_html(project, brief)
    outputs: dict[str, bytes] = {}
    if formats in ("html", "both"):
        outputs["html"] = html.encode()
    if formats in ("pdf", "both"):
        outputs["pdf"] = render_pdf_bytes(project, brief, html, snapshot_text, prepared.loaded)
    outputs["json"] = snapshot_text
    folder = project.output_dir(company, as_of.isoformat())
    remove_stale_temporaries(folder)
    result = RenderResult(
        company, as_of, brief.scorecard.score, brief.scorecard.rating, warnings=list(prepared.problems)
    )
    written: dict[str, tuple[Path, bytes]] = {}
    for suffix, data in outputs.items():
        path = folder / f"{stem}.{suffix}"
        written[suffix] = (path, data)
        result.paths.append(path)
        result.sizes[suffix] = len(data)
    # All three on disk as temporaries first, then renamed together: a failure changes none of them.
    write_all_atomic(dict(written.values()))
    store(project, company, as_of, key, written, result.score, result.rating, result.warnings)
    return result
