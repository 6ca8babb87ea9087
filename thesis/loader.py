"""Load a company's inputs into a validated :class:`~thesis.models.Thesis`.

Every problem is collected, located (file, line, dotted path) and reported at
once as an :class:`~thesis.errors.InputError`.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from thesis.errors import InputError, Problem
from thesis.models import TOP_LEVEL_KEYS, Thesis
from thesis.yaml_reader import Positions, dotted, parse_yaml, read_yaml

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


def input_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in {".yaml", ".yml"})


def load(folder: Path, display_root: Path | None = None) -> Loaded:
    """Read, merge and validate every YAML file in ``folder``."""
    root = display_root or folder.parent.parent
    files = input_files(folder)
    if not files:
        raise InputError(
            [Problem(_display(folder, root), None, "", "no YAML files here", "add company.yaml and sources.yaml")]
        )
    texts = {}
    for path in files:
        texts[_display(path, root)] = path
    return _load_documents({name: read_yaml(path, name) for name, path in texts.items()}, folder, root)


def load_texts(documents: dict[str, str], folder: Path) -> Loaded:
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
    return _load_documents(parsed, folder, folder)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _load_documents(parsed: dict[str, tuple[Any, Positions]], folder: Path, root: Path) -> Loaded:
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
                    f"the file holds a {type(data).__name__}, not a mapping",
                    f"start with one of the top-level keys: {', '.join(TOP_LEVEL_KEYS)}",
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
    problems = check_references(thesis, located)
    source_texts, file_problems = _read_sources(thesis, located, folder, root)
    problems += file_problems
    if problems:
        raise InputError(problems)
    return Loaded(thesis, located, folder, source_texts)


def _did_you_mean(word: str, options: Iterable[str], otherwise: str) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return otherwise


def _fields_at(loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the model found at ``loc`` (for "did you mean")."""
    current: Any = Thesis
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
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_type": "write a date as YYYY-MM-DD",
    "too_short": "add at least one item",
    "string_too_short": "fill it in",
    "string_too_long": "shorten it",
    "string_pattern_mismatch": "use lowercase letters, digits and hyphens (for ids), or a full http(s) URL",
    "greater_than_equal": "raise the value into the allowed range",
    "less_than_equal": "lower the value into the allowed range",
    "greater_than": "raise the value into the allowed range",
    "literal_error": "use one of the allowed values",
    "value_error": "",
}


def _problems_from_validation(exc: ValidationError, located: Located) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if isinstance(part, int) or not _is_internal(str(part)))
        kind = error["type"]
        message = str(error["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        hint = _HINTS.get(kind, "")
        if kind == "extra_forbidden":
            field_name = str(loc[-1]) if loc else ""
            message = f"unknown field {field_name!r}"
            fields = _fields_at(loc[:-1])
            hint = _did_you_mean(field_name, fields, "remove it; allowed: " + ", ".join(fields))
        elif kind == "missing":
            message = f"missing required field {str(loc[-1])!r}" if loc else "missing"
        elif "input" in error and kind not in {"missing"} and not isinstance(error["input"], (dict, list)):
            message = f"{message} (got {error['input']!r})"
        problems.append(located.problem(loc, message, hint))
    return problems


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
                    _did_you_mean(source_id, source_ids, "known: " + ", ".join(source_ids)),
                    item=item,
                )
            )

    for index, point in enumerate(thesis.points):
        for n, citation in enumerate(point.evidence):
            cite(("points", index, "evidence", n, "source"), citation.source, point.id)
    for index, metric in enumerate(thesis.metrics):
        for n, obs in enumerate(metric.observations):
            cite(("metrics", index, "observations", n, "source"), obs.source, metric.id)
    for index, constraint in enumerate(thesis.constraints):
        for n, citation in enumerate(constraint.evidence):
            cite(("constraints", index, "evidence", n, "source"), citation.source, constraint.id)
    return problems


def _read_sources(thesis: Thesis, located: Located, folder: Path, root: Path) -> tuple[dict[str, str], list[Problem]]:
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    base = folder.resolve()
    for index, source in enumerate(thesis.sources):
        path_ = ("sources", index, "file")
        relative = Path(source.file)
        if relative.is_absolute() or ".." in relative.parts:
            problems.append(
                located.problem(
                    path_,
                    f"source file {source.file!r} is outside the company folder",
                    "give a path under sources/, e.g. sources/name.txt",
                    item=source.id,
                )
            )
            continue
        path = folder / relative
        if path.is_symlink() or not path.resolve().is_relative_to(base):
            problems.append(
                located.problem(
                    path_,
                    f"source file {source.file!r} is a link out of the company folder",
                    "copy the text into sources/ instead of linking it",
                    item=source.id,
                )
            )
            continue
        if not path.is_file():
            problems.append(
                located.problem(
                    path_,
                    f"source file {source.file!r} does not exist",
                    f"archive the text at {_display(path, root)}",
                    item=source.id,
                )
            )
            continue
        raw = path.read_bytes()[: MAX_SOURCE_BYTES + 1]
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
    return texts, problems
