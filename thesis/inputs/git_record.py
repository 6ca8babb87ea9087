"""The project's git history as the record of what the desk said, and when.

Read with the ``git`` command rather than a library: a project kept in git
has git installed, so this adds no dependency (pygit2 needs the libgit2 C
library, dulwich is a large pure-Python reimplementation), and git's own
plumbing already does exactly what is needed without touching the working
tree or the index: ``git log`` lists the commits that changed a folder,
``git ls-tree REV:path`` lists a folder's files at a revision and
``git cat-file --batch`` reads them all through one process. Nothing here
checks anything out; the files of a revision are written to a temporary
folder of the caller's choosing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from thesis.errors import UsageError

_FIELD = "\x1f"
_RECORD = "\x1e"
_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",  # never take the index lock (a concurrent `git commit` is not disturbed)
    "LC_ALL": "C",
    "GIT_TERMINAL_PROMPT": "0",
}


@dataclass(frozen=True)
class Commit:
    sha: str
    committed: dt.datetime  # the committer date, with the committer's offset: when it entered the record
    author: str
    message: str  # the subject line

    @property
    def date(self) -> dt.date:
        """The day of the commit, in the committer's time zone."""
        return self.committed.date()

    @property
    def short(self) -> str:
        return self.sha[:10]


class GitRecord:
    """One project's git repository, read through the ``git`` command."""

    def __init__(self, project_root: Path) -> None:
        self.root = project_root
        if shutil.which("git") is None:
            raise UsageError("the git command is not installed", "install git to read the project's history")
        done = self._run(["rev-parse", "--show-prefix"], check=False)
        if done.returncode != 0:
            raise UsageError(
                f"{project_root} is not in a git repository, so it has no history to read",
                "keep the project in git (git init, then commit inputs/) and run the command again",
            )
        self.prefix = done.stdout.decode().strip()  # the project folder inside the repository, e.g. "" or "desk/"

    def _run(
        self, args: Sequence[str], *, data: bytes | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        done = subprocess.run(
            ["git", "-C", str(self.root), *args],
            input=data,
            capture_output=True,
            env={**os.environ, **_ENV},
            check=False,
        )
        if check and done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip().splitlines()
            raise UsageError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
        return done

    def commits(self, folder: str) -> list[Commit]:
        """The commits that changed ``folder`` (relative to the project), oldest first."""
        fields = _FIELD.join(("%H", "%cI", "%an", "%s")) + _RECORD
        done = self._run(["log", "--reverse", f"--format={fields}", "--", folder], check=False)
        if done.returncode != 0:  # a repository without a commit yet
            return []
        return [_commit(record) for record in done.stdout.decode().split(_RECORD) if record.strip()]

    def commits_by_folder(self, folder: str) -> dict[str, list[Commit]] | None:
        """For each folder directly under ``folder``, what :meth:`commits` gives for it, through one ``git log``.

        None when the history has a merge: ``git log -- PATH`` simplifies merges path by path, which one
        listing of a wider path cannot reproduce exactly, so ask :meth:`commits` for each folder then.
        """
        merges = self._run(["rev-list", "--merges", "--max-count=1", "HEAD"], check=False)
        if merges.returncode != 0:  # a repository without a commit yet
            return {}
        if merges.stdout.strip():
            return None
        fields = _FIELD.join(("%H", "%cI", "%an", "%s"))
        done = self._run(
            ["log", "--reverse", "-z", "--name-only", "--no-renames", f"--format={_RECORD}{fields}", "--", folder]
        )
        found: dict[str, list[Commit]] = {}
        under = f"{self.prefix}{folder}/"
        for record in done.stdout.decode(errors="surrogateescape").split(_RECORD):
            if not record.strip():
                continue
            header, _, names = record.partition("\0")
            commit = _commit(header)
            paths = names.removeprefix("\n").split("\0")  # a newline parts the header from the names
            for name in sorted({path[len(under) :].split("/")[0] for path in paths if path.startswith(under)}):
                found.setdefault(name, []).append(commit)
        return found

    def resolve(self, revision: str) -> Commit | None:
        """The commit a revision names (a hash, tag, branch, ``HEAD~2``), or None when it names none."""
        if revision.startswith("-"):
            return None
        fields = _FIELD.join(("%H", "%cI", "%an", "%s"))
        done = self._run(["log", "-1", f"--format={fields}", f"{revision}^{{commit}}", "--"], check=False)
        if done.returncode != 0 or not done.stdout.strip():
            return None
        return _commit(done.stdout.decode())

    def file(self, revision: str, path: str) -> bytes | None:
        """One file (relative to the project) at ``revision``, or None when it is not there."""
        done = self._run(["cat-file", "blob", f"{revision}:{self.prefix}{path}"], check=False)
        return done.stdout if done.returncode == 0 else None

    def object_ids(self, revisions: Sequence[str], paths: Sequence[str]) -> dict[str, tuple[str | None, ...]]:
        """For each of ``revisions``, the id of each of ``paths`` (relative to the project; a folder's tree or
        a file's blob) there, None where it is not: what those paths hold, named by content, through one process."""
        request = "".join(f"{revision}:{self.prefix}{path}\n" for revision in revisions for path in paths).encode()
        lines = self._run(["cat-file", "--batch-check=%(objectname)"], data=request).stdout.decode().splitlines()
        ids = [None if line.endswith(" missing") else line for line in lines]
        return {revision: tuple(ids[i * len(paths) : (i + 1) * len(paths)]) for i, revision in enumerate(revisions)}

    def files(self, revision: str, folder: str) -> dict[str, bytes]:
        """Every file under ``folder`` (relative to the project) at ``revision``: relative path → bytes.

        Empty when the folder does not exist at that revision. Links and submodules are left out.
        """
        tree = f"{revision}:{self.prefix}{folder}"
        listed = self._run(["ls-tree", "-r", "-z", tree], check=False)
        if listed.returncode != 0:
            return {}
        entries: list[tuple[str, str]] = []
        for entry in listed.stdout.decode().split("\0"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
            mode, kind, sha = meta.split()
            if kind == "blob" and mode in ("100644", "100755"):
                entries.append((path, sha))
        if not entries:
            return {}
        request = "".join(f"{sha}\n" for _, sha in entries).encode()
        out = self._run(["cat-file", "--batch"], data=request).stdout
        files: dict[str, bytes] = {}
        position = 0
        for path, _ in entries:
            header_end = out.index(b"\n", position)
            size = int(out[position:header_end].split()[2])
            files[path] = out[header_end + 1 : header_end + 1 + size]
            position = header_end + 1 + size + 1
        return files


def read_until(commits: Sequence[Commit], day: dt.date, today: dt.date) -> list[Commit]:
    """Of ``commits``, those that the days up to ``day`` read: made on or before it, and before today (today
    reads the working tree)."""
    return [commit for commit in commits if commit.date <= day and commit.date < today]


def read_on(commits: Sequence[Commit], day: dt.date, today: dt.date) -> Commit | None:
    """The commit a brief as of ``day`` reads, of ``commits`` (those that changed its inputs, oldest first):
    for a day before today, the last one on or before it, or the first of all for a day before any (the
    earliest record of the inputs: the working tree is later still, with edits not yet committed); for today
    (or with no commit) None, the working tree.
    """
    if day >= today or not commits:
        return None
    by_then = [commit for commit in commits if commit.date <= day]
    return by_then[-1] if by_then else commits[0]


def _commit(record: str) -> Commit:
    sha, committed, author, message = record.strip("\n").split(_FIELD, 3)
    return Commit(sha, dt.datetime.fromisoformat(committed), author, message)


def write_files(files: dict[str, bytes], folder: Path) -> None:
    """Write a revision's files under ``folder`` (a temporary folder: never the working tree)."""
    for relative, data in files.items():
        path = folder / PurePosixPath(relative)
        if ".." in PurePosixPath(relative).parts:
            continue  # git never stores such a path; refuse it all the same
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
