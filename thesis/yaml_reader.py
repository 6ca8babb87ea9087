"""Read YAML safely, remembering the line of every value.

PyYAML's ``SafeLoader`` composes the document; we build Python values from
the node graph ourselves so that we can record the line of each mapping key
and list item, reject duplicate keys (PyYAML silently keeps the last), refuse
anchors and aliases (no alias bombs), and bound the size of what we read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from thesis.errors import InputError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_STRING_CHARS = 100_000
MAX_NODES = 500_000

Positions = dict[tuple[str | int, ...], int]


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, display: str) -> None:
        self.loader = loader
        self.display = display
        self.positions: Positions = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.seen: set[int] = set()

    def _problem(self, node: yaml.Node, path: tuple[str | int, ...], message: str, hint: str) -> None:
        self.problems.append(Problem(self.display, node.start_mark.line + 1, _dotted(path), message, hint))

    def build(self, node: yaml.Node, path: tuple[str | int, ...]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig(node)
        if id(node) in self.seen:  # the same node twice: an alias
            self._problem(node, path, "YAML anchors and aliases are not supported", "write the value out in full")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_STRING_CHARS:
                self._problem(
                    node,
                    path,
                    f"a text of {len(node.value):,} characters is longer than the limit of {MAX_STRING_CHARS:,}",
                    "shorten it; long documents belong in sources/ as files",
                )
                return None
            return self.loader.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.positions[path + (index,)] = child.start_mark.line + 1
                items.append(self.build(child, path + (index,)))
            return items
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            first_line: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem(key_node, path, "merge keys (<<) are not supported", "write the keys out in full")
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(key_node, path, "a key must be plain text", "use a simple name as the key")
                    continue
                key = self.loader.construct_object(key_node)
                if isinstance(key, bool) or key is None:
                    key = key_node.value
                line = key_node.start_mark.line + 1
                child_path = path + (key if isinstance(key, (str, int)) else str(key),)
                if key in result:
                    self._problem(
                        key_node,
                        child_path,
                        f"duplicate key {key!r} (first at line {first_line[key]})",
                        "keep one of the two; YAML would silently drop the first",
                    )
                    continue
                first_line[key] = line
                self.positions[child_path] = line
                result[key] = self.build(value_node, child_path)
            return result
        raise AssertionError(f"unexpected YAML node {node!r}")


class _TooBig(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def dotted(path: tuple[str | int, ...]) -> str:
    """``('points', 3, 'evidence', 0, 'quote')`` → ``points[3].evidence[0].quote``."""
    return _dotted(path)


def parse_yaml(text: str, display: str) -> tuple[Any, Positions]:
    """Parse one YAML document; raise :class:`InputError` naming the file and line."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            message = f"YAML syntax error: {exc.problem or exc.context}"
            hint = "check the indentation and quoting around this line"
            if mark is not None and "\t" in _line_at(text, mark):
                message = "YAML syntax error: a tab character is used for indentation"
                hint = "indent with spaces, not tabs"
            elif exc.problem and "expected a single document" in (exc.context or "") + exc.problem:
                hint = "keep one document per file (remove the extra ---)"
            raise InputError([Problem(display, line, "", message, hint)]) from None
        except yaml.YAMLError as exc:
            raise InputError([Problem(display, None, "", f"YAML error: {exc}", "fix the YAML syntax")]) from None
        if node is None:
            raise InputError(
                [Problem(display, 1, "", "the file is empty", "add the top-level keys, or delete the file")]
            )
        builder = _Builder(loader, display)
        try:
            data = builder.build(node, ())
        except _TooBig as big:
            raise InputError(
                [
                    Problem(
                        display,
                        big.node.start_mark.line + 1,
                        "",
                        f"more than {MAX_NODES:,} YAML values in one file",
                        "split the inputs or trim them; this limit guards against runaway files",
                    )
                ]
            ) from None
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            raise InputError(
                [
                    Problem(
                        display,
                        mark.line + 1 if mark else None,
                        "",
                        f"YAML value error: {exc.problem}",
                        "use plain text, numbers, dates, lists and mappings only",
                    )
                ]
            ) from None
        except ValueError as exc:  # e.g. an impossible date such as 2025-02-30
            raise InputError(
                [Problem(display, None, "", f"YAML value error: {exc}", "correct the value (dates are YYYY-MM-DD)")]
            ) from None
        if builder.problems:
            raise InputError(builder.problems)
        return data, builder.positions
    finally:
        loader.dispose()


def _line_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    return lines[mark.line] if mark.line < len(lines) else ""


def read_yaml(path: Path, display: str) -> tuple[Any, Positions]:
    """Read a YAML file from disk with the size and encoding checks."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(
            [Problem(display, None, "", f"cannot read the file: {exc.strerror}", "check it exists")]
        ) from None
    if size > MAX_FILE_BYTES:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    "",
                    f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                    "split it into smaller files",
                )
            ]
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(display, line, "", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})", "save it as UTF-8")]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_yaml(text, display)
