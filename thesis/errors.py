"""One family of errors, turned into a clean message at the command line.

Every error the core raises for a user's mistake is a :class:`ThesisError`.
Input errors carry a list of :class:`Problem` so that every problem in the
inputs is reported at once, each with its file, line and dotted field path.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thesis.figures import counted


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

    def as_problems(self) -> list[Problem]:
        """The error as problems, as ``--format json`` reports it: one without a place, unless it holds several."""
        return [Problem("", None, "", self.message, self.hint)]


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

    def as_problems(self) -> list[Problem]:
        return self.problems

    def format(self) -> str:
        lines = [p.format() for p in self.problems]
        lines.append(f"error: {self.message}; nothing was written")
        return "\n".join(lines)


class CheckFailed(ThesisError):
    """A verification check failed (for example an unverified quote under --strict)."""

    exit_code = 1

    def __init__(self, problems: list[Problem], message: str = "") -> None:
        count = len(problems)
        super().__init__(message or f"{counted(count, 'checks')} failed")
        self.problems = problems

    def as_problems(self) -> list[Problem]:
        return self.problems

    def format(self) -> str:
        lines = [p.format() for p in self.problems]
        lines.append(f"error: {self.message}")
        return "\n".join(lines)


class RenderError(ThesisError):
    """Rendering failed; the previous brief is left untouched."""

    exit_code = 1


class OutputError(ThesisError):
    """An output could not be written (a full disk, a read-only folder...); nothing was replaced."""

    exit_code = 1


# What an operating-system error means and what to do about it, by errno.
_OS_CAUSES: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space, or write somewhere else"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space, or write somewhere else"),
    errno.EROFS: ("the file system is read-only", "write somewhere else, or mount it read-write"),
    errno.EACCES: ("permission denied", "check the permissions of the file and of its folders"),
    errno.EPERM: ("operation not permitted", "check the permissions of the file and of its folders"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path"),
    errno.EISDIR: ("it is a folder", "give the path of a file"),
    errno.ENAMETOOLONG: ("the name is too long", "use a shorter path"),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.ELOOP: ("too many levels of symbolic links", "replace the links with real files"),
    errno.EIO: ("an input/output error on the device", "check the disk"),
    errno.EMFILE: ("too many open files", "close other programs, or raise the limit (ulimit -n)"),
}


def os_error_cause(exc: BaseException) -> tuple[str, str]:
    """A plain cause and a fix for an :class:`OSError` (or the ``ValueError`` of a NUL in a path)."""
    if isinstance(exc, ValueError):
        if "null" in str(exc):
            return "the path contains a NUL character", "remove the NUL (\\0, \\x00) from the path"
        return str(exc), "check the path"
    if isinstance(exc, OSError) and exc.errno in _OS_CAUSES:
        return _OS_CAUSES[exc.errno]
    strerror = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return strerror[:1].lower() + strerror[1:], "check the path and the disk"


class Interrupted(KeyboardInterrupt):
    """SIGINT (Ctrl-C) or SIGTERM: stop, write nothing more, exit 128 + the signal's number.

    A :class:`KeyboardInterrupt`, so ``except Exception`` never swallows it and every
    ``except BaseException`` clean-up (temporaries of an atomic write) runs on the way out.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    def format(self) -> str:
        import signal

        return f"interrupted by {signal.Signals(self.signum).name}: stopped; nothing more was written"


def raise_on_sigterm() -> Any:
    """Make SIGTERM raise :class:`Interrupted` in this process (as SIGINT raises KeyboardInterrupt).

    Returns the handler it replaced, for ``signal.signal(signal.SIGTERM, previous)``.
    """
    import signal

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    return signal.signal(signal.SIGTERM, stop)


def display_path(path: Path, root: Path) -> str:
    """A path relative to the project root where possible, for messages."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
