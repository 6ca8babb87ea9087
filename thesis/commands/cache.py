"""Skip a render whose every input is unchanged: a content-hash key per brief.

The key is a SHA-256 over everything a brief is made from: every file in the
company's inputs folder, the templates in effect (the project's own
``templates/`` over the package's), the project's ``thesis.yaml`` and logo,
the ``--weights`` file's bytes, the format, the as-of date, ``--strict``, what
the brief reads from git in a project kept in git (:func:`record_ingredient`), the
package version, the package's own source files (so an edited scoring default
or template filter counts as a change) and the versions of the libraries that
shape the output. A successful render records its key and the SHA-256 of each
file it wrote in ``<build>/.render-keys/<company>/<date>.json``; a later render
is skipped only when the key is equal and every recorded output still exists
with the same bytes. The record lives outside the brief's own folder so that
folder holds only the brief.

Nothing heavy is imported here: deciding that nothing changed must cost
milliseconds per company, not a WeasyPrint import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

from thesis import __version__
from thesis.errors import Problem, UsageError
from thesis.inputs.git_record import Commit, GitRecord, read_on, read_until
from thesis.inputs.reading import ReadFailure, read_bounded, regular_file_sha256
from thesis.outputs.files import write_atomic
from thesis.project import Project, check_company_name

RECORD_SCHEMA = "thesis-render-key/1"
KEYS_FOLDER = ".render-keys"
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole package, subpackages included
# Libraries whose version can change the bytes of a brief.
OUTPUT_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "jinja2", "markdown-it-py", "pyyaml", "pydantic")


def templates_digest(folders: tuple[Path, ...]) -> str:
    """:func:`tree_digest` of the templates in effect: for each relative name, the first folder's entry that has it."""
    chosen: dict[str, str] = {}
    for folder in folders:
        for relative, path in _tree_entries(folder):
            chosen.setdefault(relative, path)
    return _entries_digest(chosen.items())


def tree_digest(folder: Path) -> str:
    """SHA-256 over every entry under ``folder``: relative names and contents, in a fixed order.

    Nothing is followed and nothing but a regular file is read
    (:func:`~thesis.inputs.reading.regular_file_sha256`): a link counts by the
    text of the link (a linked folder is not entered), a FIFO or a device by its
    kind, so a link to ``/dev/zero`` or ``/usr`` or a FIFO cannot make the
    hashing read without end or block. (A link out of the company folder is
    refused by the loader anyway.)
    """
    return _entries_digest(_tree_entries(folder))


def _tree_entries(folder: Path) -> list[tuple[str, str]]:
    """(relative name, path) of every entry under ``folder`` that :func:`tree_digest` counts."""
    found: list[tuple[str, str]] = []
    for directory, folders, files in os.walk(folder, followlinks=False):
        relative = os.path.relpath(directory, folder)
        linked = [name for name in folders if os.path.islink(os.path.join(directory, name))]
        for name in sorted(files + linked):
            found.append((name if relative == "." else f"{relative}/{name}", os.path.join(directory, name)))
    return found


def _entries_digest(entries: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for relative, path in sorted(entries):
        digest.update(relative.encode(errors="surrogateescape") + b"\0")
        digest.update(regular_file_sha256(path))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_identity() -> str:
    """The package version, a digest of its source files, and the output libraries' versions."""
    parts = [f"thesis {__version__}", f"code {_sources_digest(PACKAGE_DIR)}"]
    for name in OUTPUT_LIBRARIES:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} absent")
    return "\n".join(parts)


def _sources_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        name = path.relative_to(folder).as_posix()
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class GitInputs:
    """The commits to each company's inputs in a project that reads its git record, listed once for a run
    of many briefs (one ``git log`` for all, where the history has no merge) rather than once per brief."""

    record: GitRecord | None  # None: the project's briefs read the working tree alone
    by_company: dict[str, list[Commit]] | None  # None: a history with merges, listed company by company

    def commits(self, company: str) -> list[Commit]:
        """What :meth:`GitRecord.commits` gives for the company's inputs, which a brief reads."""
        if self.record is None:
            return []
        if self.by_company is None:
            return self.record.commits(f"inputs/{company}")
        return self.by_company.get(company, [])


def git_inputs(project: Project) -> GitInputs:
    if project.settings.file.record != "git":
        return GitInputs(None, {})
    try:
        record = GitRecord(project.root)
    except UsageError:
        return GitInputs(None, {})
    return GitInputs(record, record.commits_by_folder("inputs"))


def record_ingredient(
    project: Project, company: str, as_of: dt.date, today: dt.date, git: GitInputs | None = None
) -> str:
    """What a brief as of ``as_of`` reads from git, beyond the working tree the key hashes anyway.

    In a project kept in git (``record: git``), a brief as of a day before today reads the inputs as
    committed by then, and its history reads each earlier day's commit
    (:mod:`thesis.commands.committed`): so the commit the brief reads and every commit to the company's
    inputs up to its date (each id names its files, its date and its message, all of which the brief may
    show) are in the key. A new commit dated before the brief, an amended or rebased history, another branch
    checked out, or the day the brief's date stops being today (when it reads its commit, no longer the
    working tree) each change it; a brief dated before the first commit reads that commit, so it is its
    key's. The working tree stays in the key: today's brief reads it, and so does a day whose commit's
    inputs do not load. ``git`` is the
    :func:`git_inputs` of the project when the caller has it already (one per run, not one per company).
    """
    git = git or git_inputs(project)
    if git.record is None:
        return "working tree"
    every = git.commits(company)
    reads = read_on(every, as_of, today)
    earlier = " ".join(commit.sha for commit in read_until(every, as_of, today))
    return f"reads {reads.sha if reads else 'the working tree'}; earlier days read {earlier or 'the working tree'}"


def render_key(
    project: Project,
    company: str,
    as_of: dt.date,
    *,
    formats: str,
    strict: bool,
    weights: Path | None,
    templates: str | None = None,
    today: dt.date | None = None,
    git: GitInputs | None = None,
) -> str:
    """The content hash of everything that goes into ``company``'s brief for ``as_of``, rendered ``today``.

    ``templates`` is the :func:`templates_digest` and ``git`` the :func:`git_inputs` when the caller has
    them already (one per run, not one per company).
    """
    check_company_name(company)
    digest = hashlib.sha256()
    for part in (
        RECORD_SCHEMA,
        code_identity(),
        f"company {company}",
        f"as-of {as_of.isoformat()}",
        f"formats {formats}",
        f"strict {strict}",
        f"inputs {tree_digest(project.inputs_dir / company)}",
        f"templates {templates or templates_digest(project.templates_dirs)}",
        f"project {project.settings.digest}",
        f"weights {regular_file_sha256(os.path.realpath(weights)).hex() if weights else 'none'}",
        f"record {record_ingredient(project, company, as_of, today or dt.date.today(), git)}",
    ):
        digest.update(part.encode() + b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class Recorded:
    """What an earlier, still valid render produced: enough to report it without rendering."""

    paths: list[Path]
    sizes: dict[str, int]
    score: float
    rating: str
    warnings: list[Problem]


def record_path(project: Project, company: str, as_of: dt.date) -> Path:
    check_company_name(company)
    return project.build_dir / KEYS_FOLDER / company / f"{as_of.isoformat()}.json"


def _file_sha256(path: Path) -> str:
    return regular_file_sha256(path).hex()


Format = Literal["html", "pdf", "json"]
_FORMATS: tuple[Format, ...] = ("html", "pdf", "json")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SEVERITIES = ("error", "warning", "info")
MAX_RECORD_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class OutputRecord:
    """One file an earlier render wrote."""

    format: Format
    name: str  # a plain file name in the brief's folder
    size: int
    sha256: str


@dataclass(frozen=True)
class RenderRecord:
    """``<build>/.render-keys/<company>/<date>.json``, read back as untrusted data and checked field by field."""

    key: str
    outputs: tuple[OutputRecord, ...]
    score: float
    rating: str
    warnings: tuple[Problem, ...]


class _NotARecord(ValueError):
    pass


def _get(data: object, name: str, kind: type[Any] | tuple[type[Any], ...]) -> Any:
    if not isinstance(data, dict) or name not in data:
        raise _NotARecord(name)
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise _NotARecord(name)
    return value


def _parse_record(data: object) -> RenderRecord:
    if _get(data, "schema", str) != RECORD_SCHEMA:
        raise _NotARecord("schema")
    key = _get(data, "key", str)
    score = float(_get(data, "score", (int, float)))
    if not _HEX64.fullmatch(key) or not math.isfinite(score):
        raise _NotARecord("key")
    outputs = []
    for entry in _get(data, "outputs", list):
        fmt, name = _get(entry, "format", str), _get(entry, "name", str)
        size, sha256 = _get(entry, "size", int), _get(entry, "sha256", str)
        if fmt not in _FORMATS or Path(name).name != name or name in (".", "..") or "\0" in name:
            raise _NotARecord("outputs")
        if size < 0 or not _HEX64.fullmatch(sha256):
            raise _NotARecord("outputs")
        outputs.append(OutputRecord(fmt, name, size, sha256))
    warnings = []
    for entry in _get(data, "warnings", list):
        line = entry.get("line") if isinstance(entry, dict) else None
        if line is not None and (isinstance(line, bool) or not isinstance(line, int)):
            raise _NotARecord("warnings")
        texts = {name: _get(entry, name, str) for name in ("file", "path", "message", "hint", "severity", "item")}
        if texts["severity"] not in _SEVERITIES:
            raise _NotARecord("warnings")
        warnings.append(Problem(line=line, **texts))
    return RenderRecord(key, tuple(outputs), score, _get(data, "rating", str), tuple(warnings))


def read_record(path: Path) -> RenderRecord | None:
    """The record at ``path`` if it is one (a bounded read, every field's type checked); else ``None``."""
    try:
        return _parse_record(json.loads(read_bounded(path, MAX_RECORD_BYTES)))
    except (ReadFailure, ValueError, RecursionError):  # _NotARecord and JSONDecodeError are ValueErrors
        return None


def lookup(project: Project, company: str, as_of: dt.date, key: str) -> Recorded | None:
    """The earlier render recorded under ``key``, if its outputs are all still there, byte for byte."""
    record = read_record(record_path(project, company, as_of))
    if record is None or record.key != key:
        return None
    folder = project.output_dir(company, as_of.isoformat())
    paths: list[Path] = []
    sizes: dict[str, int] = {}
    for entry in record.outputs:
        path = folder / entry.name
        if _file_sha256(path) != entry.sha256:
            return None
        paths.append(path)
        sizes[entry.format] = entry.size
    return Recorded(paths, sizes, record.score, record.rating, list(record.warnings))


def store(
    project: Project,
    company: str,
    as_of: dt.date,
    key: str,
    outputs: dict[str, tuple[Path, bytes]],
    score: float,
    rating: str,
    warnings: list[Problem],
) -> None:
    """Record ``key`` and the hash of each written output, after the outputs are in place."""
    record = {
        "schema": RECORD_SCHEMA,
        "key": key,
        "outputs": [
            {"format": fmt, "name": path.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for fmt, (path, data) in outputs.items()
        ],
        "score": score,
        "rating": rating,
        "warnings": [asdict(w) for w in warnings],
    }
    text = json.dumps(record, indent=1, sort_keys=True) + "\n"
    write_atomic(record_path(project, company, as_of), text.encode())
