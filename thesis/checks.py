"""``thesis check``: every verification of a company's inputs, reported together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thesis.errors import Problem
from thesis.loader import load
from thesis.project import Project
from thesis.quotes import verify


@dataclass(frozen=True)
class CheckReport:
    company: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors() or (strict and self.warnings()))

    def summary(self, strict: bool) -> str:
        state = "FAILED" if self.failed(strict) else "ok"
        counted = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return f"{self.company}: {state}: {len(self.errors())} errors, {len(self.warnings())} warnings ({counted})"

    def as_dict(self, strict: bool) -> dict[str, Any]:
        return {
            "company": self.company,
            "ok": not self.failed(strict),
            "strict": strict,
            "counts": self.counts,
            "problems": [p.as_dict() for p in self.problems],
        }


def run_checks(project: Project, company: str) -> CheckReport:
    """Load and validate (an unreadable input raises), then run every check."""
    loaded = load(project.company_dir(company), project.root)
    verification = verify(loaded)
    thesis = loaded.thesis
    counts = {
        "points": len(thesis.points),
        "metrics": len(thesis.metrics),
        "constraints": len(thesis.constraints),
        "sources": len(thesis.sources),
        "quotes": verification.count,
    }
    return CheckReport(company, list(verification.problems), counts)
