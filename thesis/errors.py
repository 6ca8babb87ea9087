"""One family of errors, turned into a clean message at the command line.

Every error the core raises for a user's mistake is a :class:`ThesisError`.
Input errors carry a list of :class:`Problem` so that every problem in the
inputs is reported at once, each with its file, line and dotted field path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs, located as precisely as we can."""

    file: str
    line: int | None
    path: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error", "warning", or "info" (a finding that never fails a check)
    item: str = ""

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        return where

    def format(self) -> str:
        text = f"{self.location()}"
        if self.path:
            text += f" {self.path}"
        text += f": {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "item": self.item,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


class ThesisError(Exception):
    """Base of every error meant for the user. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        text = f"error: {self.message}"
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class UsageError(ThesisError):
    """The command was asked for something that cannot be (unknown company, bad name)."""

    exit_code = 2


class InputError(ThesisError):
    """The inputs cannot be read or do not validate. Holds every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the inputs")
        self.problems = problems

    def format(self) -> str:
        lines = [p.format() for p in self.problems]
        lines.append(f"error: {self.message}; nothing was written")
        return "\n".join(lines)


class CheckFailed(ThesisError):
    """A verification check failed (for example an unverified quote under --strict)."""

    exit_code = 1

    def __init__(self, problems: list[Problem], message: str = "") -> None:
        count = len(problems)
        super().__init__(message or f"{count} check{'s' if count != 1 else ''} failed")
        self.problems = problems

    def format(self) -> str:
        lines = [p.format() for p in self.problems]
        lines.append(f"error: {self.message}")
        return "\n".join(lines)


class RenderError(ThesisError):
    """Rendering failed; the previous brief is left untouched."""

    exit_code = 1


def display_path(path: Path, root: Path) -> str:
    """A path relative to the project root where possible, for messages."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
