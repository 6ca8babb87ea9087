"""Skip a render whose every input is unchanged: a content-hash key per brief.

The key is a SHA-256 over everything a brief is made from: every file in the
company's inputs folder, every file under the templates folder, the
``--weights`` file's bytes, the format, the as-of date, ``--strict``, the
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
import os
import stat
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from thesis import __version__
from thesis.errors import Problem
from thesis.outputs.files import write_atomic
from thesis.project import Project, check_company_name

RECORD_SCHEMA = "thesis-render-key/1"
KEYS_FOLDER = ".render-keys"
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole package, subpackages included
# Libraries whose version can change the bytes of a brief.
OUTPUT_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "jinja2", "markdown-it-py", "pyyaml", "pydantic")


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file under ``folder``: relative names and contents, in a fixed order.

    Symbolic links are followed (each real folder once), so a change to what
    they point at counts; a dangling link counts by its target's name.
    """
    digest = hashlib.sha256()
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for directory, folders, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        relative = os.path.relpath(directory, folder)
        for name in files:
            found.append((name if relative == "." else f"{relative}/{name}", os.path.join(directory, name)))
    for relative, path in sorted(found):
        digest.update(relative.encode() + b"\0")
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device is never opened: it may block or never end
                digest.update(b"not a regular file")
                continue
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
        except OSError:
            digest.update((b"unreadable:" + os.readlink(path).encode()) if os.path.islink(path) else b"unreadable")
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


def render_key(
    project: Project,
    company: str,
    as_of: dt.date,
    *,
    formats: str,
    strict: bool,
    weights: Path | None,
    templates: str | None = None,
) -> str:
    """The content hash of everything that goes into ``company``'s brief for ``as_of``.

    ``templates`` is the templates folder's :func:`tree_digest` when the caller
    has it already (one per run, not one per company).
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
        f"templates {templates or tree_digest(project.templates_dir)}",
        f"weights {hashlib.sha256(weights.read_bytes()).hexdigest() if weights else 'none'}",
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


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def lookup(project: Project, company: str, as_of: dt.date, key: str) -> Recorded | None:
    """The earlier render recorded under ``key``, if its outputs are all still there, byte for byte."""
    try:
        record: dict[str, Any] = json.loads(record_path(project, company, as_of).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("schema") != RECORD_SCHEMA or record.get("key") != key:
        return None
    folder = project.output_dir(company, as_of.isoformat())
    paths: list[Path] = []
    sizes: dict[str, int] = {}
    try:
        for entry in record["outputs"]:
            path = folder / entry["name"]
            if Path(entry["name"]).name != entry["name"] or _file_sha256(path) != entry["sha256"]:
                return None
            paths.append(path)
            sizes[entry["format"]] = int(entry["size"])
        warnings = [Problem(**w) for w in record["warnings"]]
        return Recorded(paths, sizes, float(record["score"]), str(record["rating"]), warnings)
    except (KeyError, TypeError, ValueError):
        return None


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
