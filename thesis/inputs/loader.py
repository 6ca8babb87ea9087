"""Load a company's inputs into a validated :class:`~thesis.inputs.models.Thesis`.

Every problem is collected, located (file, line, dotted path) and reported at
once as an :class:`~thesis.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import hashlib
import os
import re
import stat
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from pydantic import BaseModel, ValidationError

from thesis.errors import InputError, Problem, os_error_cause
from thesis.figures import counted
from thesis.inputs.dates import date_fix
from thesis.inputs.models import SLUG_PATTERN, TOP_LEVEL_KEYS, ProjectFile, Source, Thesis
from thesis.inputs.yaml_reader import Positions, dotted, parse_yaml, read_yaml
from thesis.scoring.config import ScoringConfig, ScoringOverrides, merge

if TYPE_CHECKING:
    from thesis.project import Project

M = TypeVar("M", bound=BaseModel)

Path_ = tuple[str | int, ...]
MAX_SOURCE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Located:
    """Where each value of the merged inputs came from."""

    files: dict[str, str] = field(default_factory=dict)  # top-level key -> file
    lines: dict[Path_, int] = field(default_factory=dict)

    def find(self, path: Iterable[str | int]) -> tuple[str, int | None]:
        """The file and line of the deepest known prefix of ``path``."""
        parts = tuple(path)
        file = self.files.get(str(parts[0]), "") if parts else ""
        if not file and self.files:
            file = sorted(set(self.files.values()))[0]
        for end in range(len(parts), 0, -1):
            line = self.lines.get(parts[:end])
            if line is not None:
                return file, line
        return file, None

    def problem(self, path: Path_, message: str, hint: str = "", severity: str = "error", item: str = "") -> Problem:
        file, line = self.find(path)
        return Problem(file, line, dotted(path), message, hint, severity, item)


@dataclass(frozen=True)
class Loaded:
    """A validated thesis with the locations of its values and its source texts."""

    thesis: Thesis
    located: Located
    folder: Path
    source_texts: dict[str, str]
    project_scoring: ScoringOverrides | None = None  # the project's thesis.yaml scoring, beneath the thesis's own


def input_files(folder: Path) -> list[Path]:
    """The YAML files of a company folder; a FIFO, device or dangling link with such a name is one too,
    so that reading it says what it is instead of the thesis silently missing its keys."""
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and not p.is_dir())


def load_company(project: Project, company: str, today: dt.date | None = None) -> Loaded:
    """:func:`load` a company of ``project``, its scoring block checked over the project's ``thesis.yaml`` scoring."""
    return load(project.company_dir(company), project.root, today, scoring=project.settings.file.scoring)


def load(
    folder: Path,
    display_root: Path | None = None,
    today: dt.date | None = None,
    *,
    scoring: ScoringOverrides | None = None,
) -> Loaded:
    """Read, merge and validate every YAML file in ``folder``.

    ``today`` (default: the system date) is the date no source may be published or retrieved after.
    ``scoring`` is the project's default scoring, beneath which the inputs' own ``scoring`` block must make a
    valid configuration.
    """
    root = display_root or folder.parent.parent
    try:
        files = input_files(folder)
    except OSError as exc:
        cause, hint = os_error_cause(exc)
        raise InputError(
            [Problem(_display(folder, root), None, "", f"cannot read the folder: {cause}", hint)]
        ) from None
    if not files:
        raise InputError(
            [Problem(_display(folder, root), None, "", "no YAML files here", "add company.yaml and sources.yaml")]
        )
    parsed: dict[str, tuple[Any, Positions]] = {}
    problems: list[Problem] = []
    base = folder.resolve()
    for path in files:
        name = _display(path, root)
        try:
            outside = path.is_symlink() and not path.resolve().is_relative_to(base)
        except (OSError, RuntimeError):  # a link loop: read_yaml says what is wrong with it
            outside = False
        if outside:
            problems.append(
                Problem(
                    name,
                    None,
                    "",
                    "the input file is a link to a file outside the company folder",
                    "copy the file into the company folder instead of linking it",
                )
            )
            continue
        try:
            parsed[name] = read_yaml(path, name)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return _load_documents(parsed, folder, root, today or dt.date.today(), scoring)


def load_texts(documents: dict[str, str], folder: Path, today: dt.date | None = None) -> Loaded:
    """Validate inputs given as ``{file name: YAML text}`` (used by tests and fuzzing)."""
    parsed: dict[str, tuple[Any, Positions]] = {}
    problems: list[Problem] = []
    for name, text in documents.items():
        try:
            parsed[name] = parse_yaml(text, name)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return _load_documents(parsed, folder, folder, today or dt.date.today())


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _load_documents(
    parsed: dict[str, tuple[Any, Positions]],
    folder: Path,
    root: Path,
    today: dt.date,
    scoring: ScoringOverrides | None = None,
) -> Loaded:
    problems: list[Problem] = []
    merged: dict[str, Any] = {}
    located = Located()
    for name, (data, positions) in parsed.items():
        if not isinstance(data, dict):
            problems.append(
                Problem(
                    name,
                    1,
                    "",
                    f"the file holds {yaml_kind(data)}, not a mapping of top-level keys",
                    "start each top-level key at the left margin, e.g. 'points:'; allowed: "
                    + ", ".join(TOP_LEVEL_KEYS),
                )
            )
            continue
        for key, value in data.items():
            line = positions.get((key,))
            if key not in TOP_LEVEL_KEYS:
                problems.append(
                    Problem(
                        name,
                        line,
                        str(key),
                        f"unknown top-level key {key!r}",
                        _did_you_mean(str(key), TOP_LEVEL_KEYS, "use one of: " + ", ".join(TOP_LEVEL_KEYS)),
                    )
                )
                continue
            if key in merged:
                other = located.files[key]
                problems.append(
                    Problem(
                        name,
                        line,
                        str(key),
                        f"{key!r} is also defined in {other}",
                        "keep each top-level key in one file",
                    )
                )
                continue
            merged[key] = value
            located.files[key] = name
        for path, line in positions.items():
            if path and path[0] in located.files and located.files[str(path[0])] == name:
                located.lines[path] = line
    if problems:
        raise InputError(problems)
    try:
        thesis = Thesis.model_validate(merged)
    except ValidationError as exc:
        raise InputError(_problems_from_validation(exc, located)) from None
    problems = check_references(thesis, located) + check_dates(thesis, located, today)
    problems += merged_scoring(located, scoring, thesis.scoring)[1]
    source_texts, file_problems = _read_sources(thesis, located, folder, root)
    problems += file_problems
    if problems:
        raise InputError(problems)
    return Loaded(thesis, located, folder, source_texts, scoring)


def merged_scoring(located: Located, *overrides: ScoringOverrides | None) -> tuple[ScoringConfig, list[Problem]]:
    """The scoring configuration the defaults and ``overrides`` make, and what stops them making one.

    Each override is valid on its own; together they may not be (a ``cap_rating`` that names no
    band, a confidence ``medium`` above ``high``). ``thesis check`` and every command that scores
    call this one function, so none accepts a configuration another refuses. On problems the
    defaults are returned with them.
    """
    try:
        return merge(ScoringConfig(), *overrides), []
    except ValidationError as exc:
        return ScoringConfig(), _problems_from_validation(exc, located, ("scoring",))


def yaml_kind(value: Any) -> str:
    """How a YAML value reads to an analyst: "a list", "text", "a number"."""
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return "a date"
    return "nothing" if value is None else type(value).__name__


def _did_you_mean(word: str, options: Iterable[str], otherwise: str) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return otherwise


def _fields_at(loc: tuple[str | int, ...], root: type[BaseModel] = Thesis) -> list[str]:
    """The field names of the model found at ``loc`` (for "did you mean")."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        model = _model_in(current)
        if model is None or part not in model.model_fields:
            return []
        current = model.model_fields[part].annotation
    model = _model_in(current)
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


_HINTS = {
    "missing": "add this field",
    "string_type": "write it as text (put it in quotes)",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "list_type": "write a list (items starting with '- ')",
    "dict_type": "write a mapping (key: value lines)",
    "model_type": "write a mapping (key: value lines)",
    "date_parsing": date_fix(),
    "date_from_datetime_parsing": date_fix(),
    "date_type": date_fix(),
    "too_short": "add at least one item",
    "string_too_short": "fill it in",
    "string_too_long": "shorten it",
    "string_pattern_mismatch": "",
    "greater_than_equal": "raise the value into the allowed range",
    "less_than_equal": "lower the value into the allowed range",
    "greater_than": "raise the value into the allowed range",
    "literal_error": "use one of the allowed values",
    "value_error": "",
}


_KEY_WITHOUT_SPACE = re.compile(r"^[A-Za-z_][\w-]*:[^\s/]")
_ROOT_MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model for model in (Thesis, ScoringOverrides, ScoringConfig, ProjectFile)
}


def validate_file(model: type[M], data: Any, positions: Positions, display: str) -> M:
    """``data``, the whole of one YAML file (``display``; ``positions`` as the reader gave them), as ``model``.

    For a file validated on its own (``thesis.yaml``, a ``--weights`` file): every problem is an
    :class:`InputError` naming that file and the line of the field.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = _problems_from_validation(exc, Located(files={}, lines=dict(positions)))
        raise InputError([Problem(display, p.line, p.path, p.message, p.hint) for p in problems]) from None


def _problems_from_validation(exc: ValidationError, located: Located, prefix: Path_ = ()) -> list[Problem]:
    """pydantic's errors as located problems, each with a plain message and a fix.

    ``prefix`` is where the validated model sits in the inputs (``("scoring",)`` for a scoring
    configuration). An error of the whole model ("cap_rating 'X' is not one of the bands' names")
    is placed at the field its message starts with.
    """
    root = _ROOT_MODELS.get(exc.title, Thesis)
    errors = exc.errors(include_url=False)
    located_errors = []
    for error in errors:
        loc = tuple(part for part in error["loc"] if isinstance(part, int) or not _is_internal(str(part)))
        if not loc:
            first = re.split(r"[\s:]", str(error["msg"]).removeprefix("Value error, "), maxsplit=1)[0]
            loc = (first,) if first in root.model_fields else ()
        located_errors.append((prefix + loc, error))
    # A misspelt field is reported once, as "unknown field 'titel'; did you mean 'title'?",
    # not also as the missing field it was meant to be.
    suggested = set()
    for loc, error in located_errors:
        if error["type"] == "extra_forbidden" and loc:
            close = difflib.get_close_matches(str(loc[-1]), _fields_at(loc[:-1], root), n=1, cutoff=0.6)
            if close:
                suggested.add(loc[:-1] + (close[0],))
    problems = []
    for loc, error in located_errors:
        if error["type"] == "missing" and loc in suggested:
            continue
        message, hint = _explain(loc, error, root)
        problems.append(located.problem(loc, message, hint))
    return problems


def _explain(loc: tuple[str | int, ...], error: Any, root: type[BaseModel]) -> tuple[str, str]:
    kind = error["type"]
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    hint = _HINTS.get(kind, "")
    if kind == "value_error" and "; " in message:  # a validator's "what is wrong; how to fix it"
        message, hint = message.split("; ", 1)
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        field_name = str(loc[-1]) if loc else ""
        fields = _fields_at(loc[:-1], root)
        return f"unknown field {field_name!r}", _did_you_mean(
            field_name, fields, "remove it; allowed: " + ", ".join(fields)
        )
    if kind == "string_too_long" and isinstance(given, str) and "max_length" in ctx:
        return f"the text is {len(given):,} characters, over the limit of {ctx['max_length']:,}", "shorten it"
    if kind == "invalid_key":
        fields = _fields_at(loc[:-1], root) if loc else []
        return f"the key {_shown(given)} is {yaml_kind(given)}, not a field name", (
            "keys are field names" + (": " + ", ".join(fields) if fields else "")
        )
    if kind == "missing":
        return (f"missing required field {str(loc[-1])!r}" if loc else "missing"), hint
    if kind == "string_type" and isinstance(given, bool):
        return (
            "expected text, got a true/false value (YAML reads yes, no, on, off, true, false as true/false)",
            'put the text in quotes, e.g. "yes"',
        )
    if kind == "string_type" and given is not None and not isinstance(given, (dict, list)):
        return f"expected text, got {yaml_kind(given)} ({_shown(given)})", "put it in quotes"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "https?" in pattern:
            return (
                f"{_shown(given)} is not a web address",
                "give the full address starting with https:// (or leave url out)",
            )
        if "0-9a-f" in pattern:
            return (
                f"{_shown(given)} is not a SHA-256",
                "write the 64 lowercase hex digits sha256sum prints, or remove it",
            )
        if pattern == SLUG_PATTERN:
            return (
                f"{_shown(given)} is not a valid id",
                f"use lowercase letters, digits and hyphens, e.g. {_slug(given)}",
            )
    if kind == "too_short" and "min_length" in ctx:
        count = ctx["min_length"]
        return f"the list is empty; at least {counted(count, 'items')} needed", hint
    if kind == "too_long" and "max_length" in ctx:
        return f"the list has too many items; at most {ctx['max_length']} allowed", "remove the extra items"
    if kind in {"model_type", "dict_type", "model_attributes_type"} and isinstance(given, str):
        message = f"expected a mapping (key: value lines), got text {_shown(given)}"
    elif kind in {"model_type", "dict_type", "list_type", "model_attributes_type"}:
        message = f"{message}, got {yaml_kind(given)}"
    elif kind == "finite_number":
        return (
            f"expected a finite number, got {_shown(given)}",
            "write an ordinary number (.inf and .nan are not allowed)",
        )
    elif "input" in error and not isinstance(given, (dict, list)) and _shown(given) not in message:
        message = f"{message} (got {_shown(given)})"
    if isinstance(given, str) and _KEY_WITHOUT_SPACE.match(given):
        hint = f"if {_shown(given)} is meant as 'key: value', put a space after the ':'"
    return message, hint


SHOWN_CHARS = 80


def _shown(value: Any) -> str:
    """A value as a message quotes it: dates as dates, and a long text cut short with its length."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        return f"{value[: SHOWN_CHARS - 20]!r}… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[: SHOWN_CHARS - 20]}… ({len(text):,} characters)"


def _slug(value: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug or "my-id"


def _is_internal(part: str) -> bool:
    # pydantic puts validator or union member names in loc, e.g. "function-after[...]" or "str".
    return "[" in part or part in {"str", "int", "float", "date", "list[...]"}


def check_references(thesis: Thesis, located: Located) -> list[Problem]:
    """Unique ids, known source ids."""
    problems: list[Problem] = []
    source_ids = [s.id for s in thesis.sources]
    seen: dict[str, str] = {}
    for index, source in enumerate(thesis.sources):
        if source.id in seen:
            problems.append(
                located.problem(
                    ("sources", index, "id"),
                    f"duplicate source id {source.id!r}",
                    "give each source a different id",
                    item=source.id,
                )
            )
        seen[source.id] = "source"
    item_ids: dict[str, str] = {}
    groups: list[tuple[str, list[Any]]] = [
        ("points", thesis.points),
        ("metrics", thesis.metrics),
        ("constraints", thesis.constraints),
    ]
    for group, items in groups:
        for index, entry in enumerate(items):
            if entry.id in item_ids:
                problems.append(
                    located.problem(
                        (group, index, "id"),
                        f"duplicate id {entry.id!r} (also in {item_ids[entry.id]})",
                        "give each point, metric and constraint a different id",
                        item=entry.id,
                    )
                )
            else:
                item_ids[entry.id] = group

    def cite(path: Path_, source_id: str, item: str) -> None:
        if source_id not in source_ids:
            problems.append(
                located.problem(
                    path,
                    f"unknown source {source_id!r}",
                    _did_you_mean(source_id, source_ids, "known: " + ", ".join(sorted(set(source_ids)))),
                    item=item,
                )
            )

    for path, item, cited in thesis.citations():
        cite((*path, "source"), cited.source, item)
    return problems + check_watch_references(thesis, located, item_ids)


def check_watch_references(thesis: Thesis, located: Located, item_ids: dict[str, str]) -> list[Problem]:
    """Catalysts and kill criteria: unique ids, and what they test or watch exists."""
    problems: list[Problem] = []
    groups = {"catalysts": [c.id for c in thesis.catalysts], "kill_criteria": [k.id for k in thesis.kill_criteria]}
    for group, ids in groups.items():
        seen: set[str] = set()
        for index, entry_id in enumerate(ids):
            if entry_id in seen:
                problems.append(
                    located.problem(
                        (group, index, "id"),
                        f"duplicate id {entry_id!r} in {group}",
                        f"give each of the {group.replace('_', ' ')} a different id",
                        item=entry_id,
                    )
                )
            seen.add(entry_id)

    def known(path: Path_, wanted: str, ids: list[str], what: str, item: str) -> None:
        if wanted not in ids:
            problems.append(
                located.problem(
                    path,
                    f"unknown {what} {wanted!r}",
                    _did_you_mean(wanted, ids, f"known {what}s: " + (", ".join(sorted(ids)) or "none")),
                    item=item,
                )
            )

    for index, catalyst in enumerate(thesis.catalysts):
        for n, tested in enumerate(catalyst.tests):
            known(("catalysts", index, "tests", n), tested, list(item_ids), "point, metric or constraint", catalyst.id)
    metrics = [m.id for m in thesis.metrics]
    constraints = [c.id for c in thesis.constraints]
    catalysts = [c.id for c in thesis.catalysts]
    for index, criterion in enumerate(thesis.kill_criteria):
        if criterion.metric is not None:
            known(("kill_criteria", index, "metric"), criterion.metric, metrics, "metric", criterion.id)
        if criterion.constraint is not None:
            known(("kill_criteria", index, "constraint"), criterion.constraint, constraints, "constraint", criterion.id)
        if criterion.catalyst is not None:
            known(("kill_criteria", index, "catalyst"), criterion.catalyst, catalysts, "catalyst", criterion.id)
    return problems


def check_dates(thesis: Thesis, located: Located, today: dt.date) -> list[Problem]:
    """No source published or retrieved, nor scenarios set, after ``today``; no source retrieved before publication."""
    problems: list[Problem] = []
    for index, source in enumerate(thesis.sources):
        published = source.published.date
        word = "estimated publication date" if source.published.estimated else "published"
        if published > today:
            problems.append(
                located.problem(
                    ("sources", index, "published"),
                    f"{word} {published.isoformat()} is in the future",
                    "check the year; use the date printed on the document",
                    item=source.id,
                )
            )
        if source.retrieved > today:
            problems.append(
                located.problem(
                    ("sources", index, "retrieved"),
                    f"retrieved {source.retrieved.isoformat()} is in the future",
                    "use the date the text was archived under sources/",
                    item=source.id,
                )
            )
        elif source.retrieved < published <= today:
            problems.append(
                located.problem(
                    ("sources", index, "retrieved"),
                    f"retrieved {source.retrieved.isoformat()} is before the source was published "
                    f"({published.isoformat()})",
                    "correct one of the two dates; a text cannot be archived before it appeared"
                    + (" (or revise the estimate)" if source.published.estimated else ""),
                    item=source.id,
                )
            )
    for index, catalyst in enumerate(thesis.catalysts):
        if catalyst.resolved is not None and catalyst.resolved > today:
            problems.append(
                located.problem(
                    ("catalysts", index, "resolved"),
                    f"resolved {catalyst.resolved.isoformat()} is in the future",
                    "a catalyst is resolved on the day it happened or was missed; until then keep it upcoming",
                    item=catalyst.id,
                )
            )
    if thesis.scenarios is not None and thesis.scenarios.date is not None and thesis.scenarios.date > today:
        problems.append(
            located.problem(
                ("scenarios", "date"),
                f"scenarios date {thesis.scenarios.date.isoformat()} is in the future",
                "use the day the cases were set, on or before today",
            )
        )
    return problems + _future_writing(thesis, located, today)


def _future_writing(thesis: Thesis, located: Located, today: dt.date) -> list[Problem]:
    """No text version written, and no point held, after ``today``."""
    texts: list[tuple[Path_, Any, str]] = [(("company", "summary"), thesis.company.summary, "")]
    problems: list[Problem] = []
    for index, point in enumerate(thesis.points):
        texts += [
            (("points", index, "title"), point.title, point.id),
            (("points", index, "body"), point.body, point.id),
        ]
        if point.since is not None and point.since > today:
            problems.append(
                located.problem(
                    ("points", index, "since"),
                    f"since {point.since.isoformat()} is in the future",
                    "use the day the desk first held this point, on or before today",
                    item=point.id,
                )
            )
    texts += [(("metrics", i, "description"), m.description, m.id) for i, m in enumerate(thesis.metrics)]
    texts += [
        (("metrics", i, "observations", j, "note"), o.note, m.id)
        for i, m in enumerate(thesis.metrics)
        for j, o in enumerate(m.observations)
    ]
    texts += [(("constraints", i, "body"), c.body, c.id) for i, c in enumerate(thesis.constraints)]
    texts += [
        (("constraints", i, "changes", j, "note"), change.note, c.id)
        for i, c in enumerate(thesis.constraints)
        for j, change in enumerate(c.changes)
    ]
    texts += [
        (("catalysts", i, name), getattr(c, name), c.id)
        for i, c in enumerate(thesis.catalysts)
        for name in ("title", "timing", "outcome", "expected")
    ]
    texts += [
        (("kill_criteria", i, name), getattr(k, name), k.id)
        for i, k in enumerate(thesis.kill_criteria)
        for name in ("title", "rationale")
    ]
    if thesis.scenarios is not None:
        texts += [
            (("scenarios", "cases", i, "description"), c.description, "") for i, c in enumerate(thesis.scenarios.cases)
        ]
    for path, text, item in texts:
        if not isinstance(text, list):
            continue
        for n, version in enumerate(text):
            if version.written > today:
                problems.append(
                    located.problem(
                        (*path, n, "written"),
                        f"written {version.written.isoformat()} is in the future",
                        "use the day this version was written, on or before today",
                        item=item,
                    )
                )
    return problems


SOURCES_FOLDER = "sources"


def _read_sources(thesis: Thesis, located: Located, folder: Path, root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Each source's archived text; every file is checked (:func:`archived_file_problem`) before it is opened."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for index, source in enumerate(thesis.sources):
        path_ = ("sources", index, "file")
        found = _archived_file(source.file, "source file", path_, source.id, located, folder, root, problems)
        if found is None:
            continue
        with found:
            raw = found.read(MAX_SOURCE_BYTES + 1)
        if len(raw) > MAX_SOURCE_BYTES:
            problems.append(
                located.problem(
                    path_,
                    f"source file {source.file!r} is over {MAX_SOURCE_BYTES:,} bytes",
                    "archive only the relevant text",
                    item=source.id,
                )
            )
            continue
        try:
            texts[source.id] = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(
                located.problem(
                    path_,
                    f"source file {source.file!r} is not UTF-8 text",
                    "save the archived text as UTF-8",
                    item=source.id,
                )
            )
            continue
        if source.sha256 is not None and hashlib.sha256(raw).hexdigest() != source.sha256:
            problems.append(
                located.problem(
                    ("sources", index, "sha256"),
                    f"source file {source.file!r} has changed since it was archived (its SHA-256 is not sha256)",
                    "restore the archived text (e.g. from version control), or, if the change is meant, "
                    f"write its new SHA-256 (sha256sum {source.file})",
                    item=source.id,
                )
            )
        if source.original is not None:
            _check_original(source, index, located, folder, root, problems)
    return texts, problems


def _check_original(
    source: Source, index: int, located: Located, folder: Path, root: Path, problems: list[Problem]
) -> None:
    """The original document is under the company folder and, where its hash is recorded, unchanged."""
    assert source.original is not None
    path_ = ("sources", index, "original")
    found = _archived_file(source.original, "original", path_, source.id, located, folder, root, problems)
    if found is None:
        return
    digest = hashlib.sha256()
    with found:  # opened to prove it is a regular file: closed even when there is no hash to compare
        if source.original_sha256 is None:
            return
        for block in iter(lambda: found.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != source.original_sha256:
        problems.append(
            located.problem(
                ("sources", index, "original_sha256"),
                f"original {source.original!r} has changed since it was archived (its SHA-256 is not original_sha256)",
                "restore the original document (e.g. from version control); it is the evidence as received",
                item=source.id,
            )
        )


def _archived_file(
    relative_text: str,
    what: str,
    path_: Path_,
    item: str,
    located: Located,
    folder: Path,
    root: Path,
    problems: list[Problem],
) -> BinaryIO | None:
    """The archived file at ``relative_text``, open for reading, when it is a regular file under sources/;
    else a problem. Nothing is opened before it passes :func:`archived_file_problem`."""
    try:
        found = archived_file_problem(relative_text, what, folder, root)
        handle = _open_regular(folder / relative_text) if found is None else None
    except (OSError, RuntimeError) as exc:  # no permission, a name too long, a link loop...
        cause, hint = os_error_cause(exc)
        found, handle = (f"cannot read {what} {relative_text!r}: {cause}", hint), None
    if found is None and handle is None:
        found = _not_regular(relative_text, what)
    if found is not None:
        message, hint = found
        problems.append(located.problem(path_, message, hint, item=item))
    return handle


def archived_file_problem(relative_text: str, what: str, folder: Path, root: Path) -> tuple[str, str] | None:
    """What is wrong with ``relative_text`` as an archived file (message, fix), found without opening it.

    An archived text or document is a regular file under the company's
    ``sources/`` folder: not an input YAML file, not a link (nor inside a
    linked folder leading out of ``sources/``), not a device, FIFO or folder.
    """
    noun = "text" if what == "source file" else "document"
    relative = Path(relative_text)
    if relative.is_absolute() or ".." in relative.parts:
        return (
            f"{what} {relative_text!r} is outside the company folder",
            "give a path under sources/, e.g. sources/name.txt",
        )
    if len(relative.parts) < 2 or relative.parts[0] != SOURCES_FOLDER:
        if len(relative.parts) == 1 and relative.suffix in {".yaml", ".yml"}:
            return (
                f"{what} {relative_text!r} is an input file of the thesis, not an archived {noun}",
                f"archive the {noun} under sources/ and point to it, e.g. sources/name.txt",
            )
        return (
            f"{what} {relative_text!r} is not under sources/",
            f"archive the {noun} under sources/, e.g. sources/{relative.name or 'name.txt'}",
        )
    path = folder / relative
    if path.is_symlink():
        return f"{what} {relative_text!r} is a symbolic link", f"copy the {noun} into sources/ instead of linking it"
    if not path.resolve().is_relative_to(folder.resolve() / SOURCES_FOLDER):
        return (
            f"{what} {relative_text!r} leads outside the sources/ folder (through a linked folder)",
            f"copy the {noun} into sources/ instead of linking it",
        )
    if not path.exists():
        return f"{what} {relative_text!r} does not exist", f"archive the {noun} at {_display(path, root)}"
    if not path.is_file():
        return _not_regular(relative_text, what)
    return None


def _not_regular(relative_text: str, what: str) -> tuple[str, str]:
    noun = "text" if what == "source file" else "document"
    field_name = "file" if what == "source file" else "original"
    return (
        f"{what} {relative_text!r} is not a regular file",
        f"point {field_name} at the archived {noun}, e.g. sources/name.txt",
    )


def _open_regular(path: Path) -> BinaryIO | None:
    """``path`` open for reading if it is still a regular file when opened (it may have been swapped since the
    check): a link is not followed, and a FIFO is opened without waiting for a writer, then refused."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link, swapped in since the check
            return None
        raise  # no permission and the like: worded by the caller
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")
