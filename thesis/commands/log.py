"""``thesis log``: the company's record from git, each commit scored as of its own date.

For every commit that changed ``inputs/COMPANY/`` (oldest first), the inputs
as committed are read with git (:mod:`thesis.inputs.git_record`) into a
temporary folder, never the working tree, and scored as of the commit's day:
what the desk's record said on the day it said it. The score's move from the
previous commit is split by :func:`thesis.diff.attribution.attribute` and
told in one line. A commit whose inputs do not load is listed with why.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thesis.errors import ThesisError, UsageError
from thesis.inputs.dates import date_fix, parse_date, readings, written_as_date
from thesis.inputs.git_record import Commit, GitRecord, write_files
from thesis.project import PROJECT_FILE, Project, check_company_name

MOVES_SHOWN = 3  # groups named in the one-line attribution


@dataclass(frozen=True)
class LogEntry:
    commit: Commit
    score: float | None
    rating: str | None
    confidence: str | None
    moved: str  # the one-line attribution, or why there is no score
    snapshot: dict[str, Any] | None = None  # lean (no stress tests): for comparing, never for writing

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit.sha,
            "date": self.commit.committed.isoformat(),
            "author": self.commit.author,
            "message": self.commit.message,
            "as_of": self.commit.date.isoformat(),
            "score": None if self.score is None else round(self.score, 6),
            "rating": self.rating,
            "confidence": self.confidence,
            "moved": self.moved,
        }


@contextmanager
def inputs_at(record: GitRecord, company: str, revision: str) -> Iterator[Project | None]:
    """A temporary project holding the company's inputs and the project's thesis.yaml as committed at
    ``revision`` (None when the company's folder is absent there)."""
    files = record.files(revision, f"inputs/{company}")
    if not files:
        yield None
        return
    settings = record.file(revision, PROJECT_FILE)  # the project's settings (e.g. its scoring) as committed
    with tempfile.TemporaryDirectory(prefix="thesis-record-") as folder:
        write_files(files, Path(folder) / "inputs" / company)
        if settings is not None:
            write_files({PROJECT_FILE: settings}, Path(folder))
        yield Project(Path(folder))


def snapshot_at(
    record: GitRecord, company: str, commit: Commit, *, stress_tests: bool = False
) -> tuple[dict[str, Any], str]:
    """The company's snapshot from its inputs at ``commit``, as of the commit's day, and its confidence level."""
    from thesis.commands.render import prepare
    from thesis.outputs.snapshot import snapshot

    with inputs_at(record, company, commit.sha) as project:
        if project is None:
            raise UsageError(f"inputs/{company}/ does not exist at {commit.short}", "pick a later revision")
        brief = prepare(project, company, commit.date).brief
        return snapshot(brief, stress_tests=stress_tests), brief.confidence.level


def one_line(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """What moved the score since the previous commit, by the diff's attribution, in one line."""
    from thesis.diff.attribution import attribute
    from thesis.diff.output import GROUP_LABELS
    from thesis.figures import signed

    if old is None:
        return "first record"
    attribution = attribute(old, new)
    parts = sorted(
        ((group, amount) for group, amount in attribution.by_group.items() if abs(amount) >= 0.05),
        key=lambda entry: -abs(entry[1]),
    )
    if not parts:
        return f"{signed(attribution.change)}: no change to the score"
    groups = ", ".join(f"{GROUP_LABELS.get(g, g)} {signed(amount)}" for g, amount in parts[:MOVES_SHOWN])
    top = _top_mover(old, new)
    return f"{signed(attribution.change)}: {groups}" + (f"; most: {top[0]} {signed(top[1])}" if top else "")


def _top_mover(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, float] | None:
    """The item (added, removed or kept) whose contribution to the score changed most."""
    from thesis.diff.attribution import scored_items

    before, after = scored_items(old), scored_items(new)
    changes = {
        item_id: float(after[item_id][1]["contribution"] if item_id in after else 0.0)
        - float(before[item_id][1]["contribution"] if item_id in before else 0.0)
        for item_id in set(before) | set(after)
    }
    moved = sorted((item for item in changes.items() if round(item[1], 1) != 0), key=lambda i: (-abs(i[1]), i[0]))
    return moved[0] if moved else None


def company_log(project: Project, company: str) -> list[LogEntry]:
    """Each commit that changed the company's inputs, oldest first, scored as of its day."""
    check_company_name(company)
    record = GitRecord(project.root)
    commits = record.commits(f"inputs/{company}")
    if not commits:
        if not (project.inputs_dir / company).is_dir():
            project.company_dir(company)  # a misspelt name: "unknown company", with the known ones
        raise UsageError(
            f"no commit changes inputs/{company}/",
            f"commit the company's inputs (git add inputs/{company} && git commit) to start its record",
        )
    entries: list[LogEntry] = []
    previous: dict[str, Any] | None = None
    for commit in commits:
        try:
            data, confidence = snapshot_at(record, company, commit)
        except ThesisError as exc:
            entries.append(LogEntry(commit, None, None, None, f"no score: {exc.message}"))
            continue
        entries.append(LogEntry(commit, data["score"], data["rating"], confidence, one_line(previous, data), data))
        previous = data
    return entries


def log_text(entries: list[LogEntry]) -> str:
    """One block per commit: the commit, then the score it gave and what moved it."""
    from thesis.figures import signed

    lines = []
    for entry in entries:
        commit = entry.commit
        lines.append(f"{commit.short}  {commit.committed.isoformat(sep=' ')}  {commit.author}  {commit.message}")
        if entry.score is None:
            lines.append(f"    {entry.moved}")
        else:
            lines.append(
                f"    score {signed(entry.score)}, rating {entry.rating}, confidence {entry.confidence}"
                f" as of {commit.date.isoformat()}; {entry.moved}"
            )
    return "\n".join(lines) + "\n"


def _revision(record: GitRecord, company: str, text: str) -> Commit:
    """A ``thesis diff`` operand that is not a date: a git revision, else a usage error naming both forms."""
    commit = record.resolve(text)
    if commit is None:
        raise UsageError(
            f"{text!r} is neither a date nor a git revision",
            f"{date_fix(text)}, or name a commit, tag or branch"
            if readings(text)
            else f"use YYYY-MM-DD, or a commit, tag or branch, e.g. thesis diff {company} HEAD~3 HEAD",
        )
    return commit


def snapshots_for_diff(
    project: Project, company: str, first: str, second: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``thesis diff COMPANY A B`` where A and B are each a date (what a brief as of it reads: in a
    project kept in git, the commit in force that day; see :mod:`thesis.commands.committed`) or a
    git revision (the inputs as committed there, as of the commit's day).

    An operand written YYYY-MM-DD is a date (the one form :mod:`thesis.inputs.dates` reads), and anything
    else a revision, so a tag named 20250630 stays a tag; a compact or week date that is no revision is
    refused with the day in YYYY-MM-DD to write instead."""
    from thesis.diff.compare import snapshots_as_of

    operands: list[Commit | dt.date] = []
    record: GitRecord | None = None
    for text in (first, second):
        if written_as_date(text):  # YYYY-MM-DD is a date, even where a tag or branch has that name too
            try:
                operands.append(parse_date(text))
            except ValueError as exc:  # the form of a date, but no such day
                problem, _, fix = str(exc).partition("; ")
                raise UsageError(problem, fix) from None
            continue
        # Anything else is a revision: 20250630 is a date only as 2025-06-30 (the message below says so).
        if record is None:
            try:
                record = GitRecord(project.root)
            except UsageError:
                raise UsageError(
                    f"{text!r} is not a date, and {project.root} has no git history to read it as a revision",
                    date_fix(text)
                    if readings(text)
                    else f"use YYYY-MM-DD, e.g. thesis diff {company} 2025-06-30 2026-01-31",
                ) from None
        operands.append(_revision(record, company, text))
    old, new = operands
    if isinstance(old, dt.date) and isinstance(new, dt.date):
        return snapshots_as_of(project, company, old, new)
    project.company_dir(company)  # an unknown company is a usage error before git is read
    sides = []
    for operand in operands:
        if isinstance(operand, dt.date):
            sides.append(snapshots_as_of(project, company, operand, operand)[0])
        else:
            assert record is not None
            sides.append(snapshot_at(record, company, operand)[0])
    return sides[0], sides[1]


_KEPT: list[tempfile.TemporaryDirectory[str]] = []  # committed inputs a brief was read from, removed at exit


def checkout_inputs(project: Project, company: str, commit: Commit) -> Project:
    """A temporary project with the company's inputs (and thesis.yaml) as committed at ``commit``.

    It lives until the process ends, since a PDF brief attaches the inputs it was read from.
    """
    record = GitRecord(project.root)
    files = record.files(commit.sha, f"inputs/{company}")
    folder = tempfile.TemporaryDirectory(prefix="thesis-record-")
    _KEPT.append(folder)
    write_files(files, Path(folder.name) / "inputs" / company)
    settings = record.file(commit.sha, PROJECT_FILE)
    if settings is not None:
        write_files({PROJECT_FILE: settings}, Path(folder.name))
    return Project(Path(folder.name), project.out)
