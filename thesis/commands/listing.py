"""``thesis list``: every company of a project, its last rendered brief and whether its inputs check.

The last brief is read from the newest ``build/COMPANY/DATE/COMPANY-DATE.json``
snapshot, and is stale when the inputs' digest it records is not the digest of
the inputs now; the check status comes from running the checks now. Nothing here
imports the rendering stack, so listing a large coverage universe stays fast.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thesis.commands.cache import tree_digest
from thesis.errors import InputError, ThesisError, os_error_cause
from thesis.figures import counted, signed
from thesis.inputs.reading import ReadFailure, read_bounded
from thesis.outputs.snapshot_model import MAX_SNAPSHOT_BYTES, read_head
from thesis.project import Project
from thesis.verify.checks import run_checks

COUNTED = ("points", "metrics", "constraints", "sources")


@dataclass(frozen=True)
class LastBrief:
    as_of: str
    score: float | None
    rating: str | None
    path: Path
    inputs_sha256: str | None = None


@dataclass(frozen=True)
class CompanyStatus:
    company: str
    status: str  # "ok", "warnings", "failed" or "unreadable"
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    message: str = ""  # why the inputs are unreadable, briefly
    last: LastBrief | None = None
    seconds: float = 0.0
    stale: bool | None = None  # the inputs changed since the last brief; None: no brief, or no digest recorded

    def as_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "status": self.status,
            "counts": self.counts,
            "errors": self.errors,
            "warnings": self.warnings,
            "message": self.message,
            "last_brief": None
            if self.last is None
            else {
                "as_of": self.last.as_of,
                "score": self.last.score,
                "rating": self.last.rating,
                "snapshot": self.last.path.as_posix(),
                "stale": self.stale,
            },
        }


def list_companies(project: Project, strict: bool = False) -> list[CompanyStatus]:
    """The status of every company under ``inputs/``, in name order."""
    return [company_status(project, name, strict) for name in project.companies()]


def company_status(project: Project, company: str, strict: bool = False) -> CompanyStatus:
    started = time.perf_counter()
    last = last_brief(project, company)
    stale = is_stale(project, company, last)
    try:
        report = run_checks(project, company)
    except ThesisError as exc:
        return CompanyStatus(
            company,
            "unreadable",
            errors=len(exc.problems) if isinstance(exc, InputError) else 1,
            message=_brief_message(exc),
            last=last,
            seconds=time.perf_counter() - started,
            stale=stale,
        )
    except (OSError, RuntimeError) as exc:  # whatever the inputs hold, `thesis list` lists every company
        cause = os_error_cause(exc)[0]
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename is not None else ""
        return CompanyStatus(
            company,
            "unreadable",
            errors=1,
            message=where + cause,
            last=last,
            seconds=time.perf_counter() - started,
            stale=stale,
        )
    errors, warnings = len(report.errors()), len(report.warnings())
    if report.failed(strict):
        status = "failed"
    elif warnings:
        status = "warnings"
    else:
        status = "ok"
    counts = {key: report.counts[key] for key in COUNTED if key in report.counts}
    return CompanyStatus(
        company, status, counts, errors, warnings, last=last, seconds=time.perf_counter() - started, stale=stale
    )


def is_stale(project: Project, company: str, last: LastBrief | None) -> bool | None:
    """Whether the inputs changed since ``last`` was rendered: its recorded digest against theirs now."""
    if last is None or last.inputs_sha256 is None:
        return None
    try:
        return tree_digest(project.company_dir(company)) != last.inputs_sha256
    except (ThesisError, OSError):
        return None


def last_brief(project: Project, company: str) -> LastBrief | None:
    """The newest rendered snapshot of ``company``, or None; an unreadable snapshot is skipped."""
    try:
        dated = project.brief_folders(company)
    except OSError:
        return None
    for _, child in reversed(dated):
        path = child / f"{company}-{child.name}.json"
        try:
            head = read_head(json.loads(read_bounded(path, MAX_SNAPSHOT_BYTES)))
        except (ReadFailure, ValueError, RecursionError):
            continue
        if head is None:  # not a snapshot: the as-of date, score or rating is of the wrong type
            continue
        return LastBrief(
            as_of=head.as_of, score=head.score, rating=head.rating, path=path, inputs_sha256=head.inputs_sha256
        )
    return None


def _brief_message(exc: ThesisError) -> str:
    """The first problem of an error, on one line."""
    if isinstance(exc, InputError) and exc.problems:
        first = exc.problems[0]
        text = f"{first.location()}"
        if first.path:
            text += f" {first.path}"
        text += f": {first.message}"
        more = len(exc.problems) - 1
        return text + (f" (and {more} more)" if more else "")
    return exc.message


def table(statuses: list[CompanyStatus]) -> list[list[str]]:
    """Rows of the plain table, header first."""
    rows = [["company", "as of", "score", "rating", "brief", "points", "metrics", "constraints", "sources", "check"]]
    for entry in statuses:
        last = entry.last
        check = {
            "ok": "ok",
            "warnings": counted(entry.warnings, "warnings"),
            "failed": f"FAILED: {counted(entry.errors, 'errors')}"
            + (f", {counted(entry.warnings, 'warnings')}" if entry.warnings else ""),
            "unreadable": f"unreadable: {entry.message}",
        }[entry.status]
        rows.append(
            [
                entry.company,
                last.as_of if last else "-",
                signed(last.score) if last and last.score is not None else "-",
                (last.rating or "-") if last else "-",
                {True: "STALE", False: "current", None: "-"}[entry.stale],
                *(str(entry.counts[key]) if key in entry.counts else "-" for key in COUNTED),
                check,
            ]
        )
    return rows
