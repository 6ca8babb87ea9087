"""Read YAML safely, remembering the line of every value.

PyYAML composes the document into a node graph; we build Python values from
the graph ourselves so that we can record the line of each mapping key and
list item, reject duplicate keys (PyYAML silently keeps the last), refuse
anchors and aliases (no alias bombs), and bound the size of what we read.

Two composers, one result. PyYAML's pure-Python ``SafeLoader`` is the
reference: it words every syntax error we show. libyaml's ``CSafeLoader``
composes about ten times faster, so a file is first tried with it, and its
result is used only when the whole file reads cleanly: no exception, no
problem found while building, and no character the pure-Python reader
refuses. Anything else (a syntax error, a duplicate key, an alias, a file
over a limit) is read again with ``SafeLoader``, so that good and bad input
give exactly the same values, lines and messages either way. libyaml's
composer recurses in C and would crash the interpreter on a deeply nested
file, so its non-recursive event stream is walked first and the file goes
to ``SafeLoader`` as soon as it nests deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from thesis.errors import InputError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_STRING_CHARS = 100_000
MAX_NODES = 500_000
MAX_DEPTH = 50

# The only tags a thesis needs; anything else (!!binary, !!set, !!python/..., !custom) is refused.
ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)

_STR = "tag:yaml.org,2002:str"

# PyYAML's wording of common mistakes, and what an analyst should do about each.
_SYNTAX_HINTS: tuple[tuple[str, str, str], ...] = (
    (
        "mapping values are not allowed here",
        "a ':' where YAML does not expect one",
        "put text that contains ': ' in quotes, and check this line is indented like its neighbours",
    ),
    (
        "could not find expected ':'",
        "a line is not a 'key: value' pair",
        "add the missing ':' or indent the line like its neighbours",
    ),
    (
        "found unexpected end of stream",
        "a quote opens here and is never closed",
        "close the quote at the end of the text (or remove it)",
    ),
    (
        "expected <block end>",
        "the indentation does not line up",
        "indent this line like the other keys of the same mapping or list",
    ),
    (
        "expected ',' or ']'",
        "a [list] is not closed",
        "add the closing ']' or write the list with '- ' items",
    ),
    (
        "expected ',' or '}'",
        "a {mapping} is not closed",
        "add the closing '}' or write the keys on their own lines",
    ),
    (
        "found undefined alias",
        "a value starts with '*', which YAML reads as an alias",
        "put text that starts with '*' in quotes; anchors and aliases are not supported",
    ),
    (
        "expected alphabetic or numeric character, but found",
        "a value starts with '*' or '&', which YAML reads as an alias or anchor",
        'put the value in quotes, e.g. title: "*Fast* growth"',
    ),
    (
        "that cannot start any token",
        "a value starts with a character YAML reserves",
        "put the value in quotes",
    ),
    (
        "found unknown escape character",
        "an unknown backslash escape inside double quotes",
        "use single quotes, or double the backslash (\\\\)",
    ),
)

Positions = dict[tuple[str | int, ...], int]

# A value that opens a double quote, closes it, and goes on with more text and another quote:
# `quote: "he said "yes" twice"`, `- "a "b" c"` (the quote inside ends the text early).
_QUOTE_INSIDE_QUOTES = re.compile(r'(?:^\s*-\s+|:\s+)"(?:[^"\\]|\\.)*"[^"#]*\S[^"]*"')


class _Builder:
    def __init__(self, loader: SafeConstructor, display: str) -> None:
        self.loader = loader
        self.display = display
        self.positions: Positions = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.seen: set[int] = set()
        self.alias_found = False

    def _problem(self, node: yaml.Node, path: tuple[str | int, ...], message: str, hint: str) -> None:
        self.problems.append(Problem(self.display, node.start_mark.line + 1, _dotted(path), message, hint))

    def build(self, node: yaml.Node, path: tuple[str | int, ...]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig(node)
        if len(path) > MAX_DEPTH:
            raise _TooDeep(node)
        if id(node) in self.seen:  # the same node twice: an alias
            if not self.alias_found:  # one message per file, however many aliases (an alias bomb has millions)
                self._problem(
                    node,
                    path,
                    "YAML anchors and aliases are not supported (&name, *name)",
                    "write the value out in full wherever it is used",
                )
            self.alias_found = True
            return None
        self.seen.add(id(node))
        if node.tag not in ALLOWED_TAGS:
            self._problem(
                node,
                path,
                f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not supported",
                "remove the tag; write plain text, numbers, dates, lists and mappings",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_STRING_CHARS:
                self._problem(
                    node,
                    path,
                    f"a text of {len(node.value):,} characters is longer than the limit of {MAX_STRING_CHARS:,}",
                    "shorten it; long documents belong in sources/ as files",
                )
                return None
            if node.tag == _STR:  # most values: what SafeConstructor would return, without its bookkeeping
                return node.value
            try:
                return self.loader.construct_object(node, deep=True)
            except Exception as exc:  # noqa: BLE001 - any constructor failure is a bad value, e.g. !!bool maybe
                if node.tag == "tag:yaml.org,2002:timestamp":  # an impossible date such as 2025-02-30
                    message = f"{node.value} is not a real date ({exc})"
                    hint = "correct the date (YYYY-MM-DD), or put it in quotes if it is meant as text"
                else:  # an explicit tag that does not fit, such as !!int abc
                    message = f"{node.value!r} cannot be read as {node.tag.replace('tag:yaml.org,2002:', '!!')}"
                    hint = "remove the tag"
                self._problem(node, path, message, hint)
                return None
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
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in ALLOWED_TAGS:
                    self._problem(key_node, path, "a key must be plain text", "use a simple name as the key")
                    continue
                try:
                    key = key_node.value if key_node.tag == _STR else self.loader.construct_object(key_node)
                except Exception:  # noqa: BLE001 - a key such as 2025-02-30 or !!bool maybe
                    key = key_node.value
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = key_node.value  # yes/no/null, floats and dates as keys are kept as the text typed
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


class _TooDeep(_TooBig):
    pass


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
    parsed = parse_with_libyaml(text, display)
    if parsed is not None:
        return parsed
    return parse_with_pyyaml(text, display)


# Characters libyaml reads differently: a tab is a space to it where PyYAML refuses one ("key:\tvalue"),
# and it skips a byte-order mark at the start of any line, PyYAML only at the start of the file.
_READ_DIFFERENTLY = ("\t", "\ufeff")
# A block text whose header runs into a comment ("key: |#note"): libyaml reads it, PyYAML refuses it.
# Also matches such characters inside other text, which only costs the slower path.
_HEADER_INTO_COMMENT = re.compile(r"[|>][-+0-9]*#")
_COLLECTION_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def parse_with_libyaml(text: str, display: str) -> tuple[Any, Positions] | None:
    """What :func:`parse_with_pyyaml` returns for a file that reads cleanly, composed by libyaml; else ``None``.

    ``None`` means "ask the reference": libyaml is missing; the text holds a
    tab, a byte-order mark, a character the pure-Python reader refuses or a
    block text header run into a comment; the
    file nests too deep for libyaml's recursive composer or holds a value the
    two read differently; or anything at all went wrong or was found wrong,
    including every :class:`Problem` the builder records.
    """
    if not yaml.__with_libyaml__ or any(char in text for char in _READ_DIFFERENTLY):
        return None
    if yaml.reader.Reader.NON_PRINTABLE.search(text) or _HEADER_INTO_COMMENT.search(text):
        return None
    try:
        if not _libyaml_may_compose(text):
            return None
        loader = yaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            builder = _Builder(loader, display)
            data = builder.build(node, ())
        finally:
            loader.dispose()
    except Exception:  # noqa: BLE001 - every failure is worded by the reference path
        return None
    if builder.problems:
        return None
    return data, builder.positions


def _libyaml_may_compose(text: str) -> bool:
    """Whether libyaml can compose the text safely and as PyYAML would, judged from libyaml's event stream.

    No: a list or mapping more than :data:`MAX_DEPTH` deep (libyaml's composer
    recurses in C); a plain text inside [ ] or { } holding a '?' (libyaml
    reads ``[a?b]`` as one item, PyYAML as an error); a value tagged with a
    bare ``!`` (``key: !`` is '' to libyaml, None to PyYAML). The parser
    behind the events keeps its own stack, so this walk cannot recurse; it
    stops at the first level too deep, which also keeps libyaml's cost per
    token (it grows with the nesting) small on hostile input.
    """
    events = yaml.CSafeLoader(text)
    try:
        open_flow_styles: list[bool] = []  # one per open list or mapping: written in [ ] or { }?
        in_flow = 0
        while (event := events.get_event()) is not None:
            if isinstance(event, yaml.ScalarEvent):
                if event.tag == "!" or (in_flow and not event.style and "?" in event.value):
                    return False
            elif isinstance(event, _COLLECTION_STARTS):
                if len(open_flow_styles) == MAX_DEPTH:
                    return False
                flow = bool(event.flow_style)
                open_flow_styles.append(flow)
                in_flow += flow
            elif isinstance(event, _COLLECTION_ENDS):
                in_flow -= open_flow_styles.pop()
        return True
    finally:
        events.dispose()


def parse_with_pyyaml(text: str, display: str) -> tuple[Any, Positions]:
    """Parse one YAML document with PyYAML's pure-Python ``SafeLoader``: the reference for results and messages."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise InputError([_control_character(exc, text, display)]) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise InputError([_syntax_problem(exc, text, display)]) from None
        except yaml.reader.ReaderError as exc:
            raise InputError([_control_character(exc, text, display)]) from None
        except RecursionError:
            raise InputError([_too_deep(display, None)]) from None
        if node is None:
            raise InputError(
                [Problem(display, 1, "", "the file is empty", "add the top-level keys, or delete the file")]
            )
        builder = _Builder(loader, display)
        try:
            data = builder.build(node, ())
        except _TooDeep as deep:
            raise InputError([_too_deep(display, deep.node.start_mark.line + 1)]) from None
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
        if builder.problems:
            raise InputError(builder.problems)
        return data, builder.positions
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and (exc.context or "").startswith("while scanning a quoted scalar"):
        mark = exc.context_mark  # where the unclosed quote opens, not the end of the file
    line = mark.line + 1 if mark else None
    problem = exc.problem or exc.context or "unreadable YAML"
    message = f"YAML syntax error: {problem}"
    hint = "check the indentation and quoting around this line"
    source_line = _line_at(text, mark) if mark is not None else ""
    if "'\\t'" in problem or (mark is not None and "\t" in source_line):
        indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
        if "\t" in indent:
            message = "YAML syntax error: a tab character is used for indentation"
            hint = "indent with spaces, not tabs"
        else:
            message = "YAML syntax error: a tab character inside unquoted text"
            hint = "replace the tab with spaces, or put the text in quotes"
    elif _QUOTE_INSIDE_QUOTES.search(source_line) and "expected" in problem:
        message = 'YAML syntax error: a text in double quotes holds a double quote ("), which ends it early'
        hint = (
            "write the text in single quotes (quote: 'he said \"yes\"'; double any ' inside), "
            'write the inner quote as \\", or use a block: key: | and the text on the next lines'
        )
    elif "expected a single document" in f"{exc.context} {problem}" or "another document" in problem:
        message = "YAML syntax error: more than one document (a second '---')"
        hint = "keep one document per file (remove the extra ---)"
    else:
        for pyyaml_words, plain, fix in _SYNTAX_HINTS:
            if pyyaml_words in problem:
                message = f"YAML syntax error: {plain} ({problem})"
                hint = fix
                break
    return Problem(display, line, "", message, hint)


def _control_character(exc: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    line = text[: exc.position].count("\n") + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return Problem(
        display,
        line,
        "",
        f"the file contains a control character (U+{code:04X}) that YAML does not allow",
        "delete it; such characters are invisible and usually come from text copied out of a PDF",
    )


def _too_deep(display: str, line: int | None) -> Problem:
    return Problem(
        display,
        line,
        "",
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        "flatten the structure; a thesis needs only a few levels",
    )


def _line_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    return str(lines[mark.line]) if mark.line < len(lines) else ""


def read_yaml(path: Path, display: str) -> tuple[Any, Positions]:
    """Read a YAML file from disk with the size and encoding checks."""
    from thesis.inputs.reading import ReadFailure, read_bounded

    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except ReadFailure as failure:
        if failure.size is not None:
            message = f"the file is {failure.size:,} bytes, over the limit of {MAX_FILE_BYTES:,}"
            hint = "split it into smaller files"
        else:
            message, hint = f"cannot read the file: {failure.cause}", failure.hint
        raise InputError([Problem(display, None, "", message, hint)]) from None
    text = decode_utf8(raw, display)
    return parse_yaml(text, display)


def decode_utf8(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a leading byte-order mark is dropped); anything else is an :class:`InputError`."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            [Problem(display, 1, "", "the file is saved as UTF-16", "save it as UTF-8 (choose UTF-8 when saving)")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        looks_like = f", perhaps {guess!r} saved as Windows-1252 or Latin-1" if guess.isprintable() else ""
        raise InputError(
            [
                Problem(
                    display,
                    line,
                    "",
                    f"the file is not UTF-8 (byte 0x{byte:02x}{looks_like})",
                    "save it as UTF-8 (choose UTF-8 when saving)",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")
