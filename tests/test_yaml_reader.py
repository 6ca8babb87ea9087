"""libyaml reads a clean file fast; anything else reads exactly as PyYAML's pure-Python loader would.

:func:`parse_with_pyyaml` is the reference. :func:`parse_yaml` may compose
with libyaml instead, and the tests here hold it to the reference: the same
values, types and lines for a good file, the same problems word for word for a
bad one, and no crash however deep a hostile file nests (libyaml's composer
recurses in C, where running out of stack kills the process).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.builders import write_project
from thesis.errors import InputError, Problem
from thesis.inputs.yaml_reader import MAX_DEPTH, MAX_FILE_BYTES, parse_with_libyaml, parse_with_pyyaml, parse_yaml

Outcome = tuple[str, Any, Any]


def outcome(text: str, parse: Any = parse_yaml) -> Outcome:
    """The values (by ``repr``, so ``1``, ``1.0`` and ``True`` differ) and lines, or the problems."""
    try:
        data, positions = parse(text, "f.yaml")
    except InputError as exc:
        return ("problems", exc.problems, None)
    return ("values", repr(data), positions)


def assert_reads_like_the_reference(text: str) -> bool:
    """Whether libyaml's result was used; either way :func:`parse_yaml` gave the reference's outcome."""
    reference = outcome(text, parse_with_pyyaml)
    fast = parse_with_libyaml(text, "f.yaml")
    if fast is not None:
        assert reference == ("values", repr(fast[0]), fast[1])
    assert outcome(text) == reference
    return fast is not None


def nested(depth: int) -> str:
    """``depth`` mappings inside each other, one a line, with a text at the bottom."""
    return "".join("  " * level + "k:\n" for level in range(depth - 1)) + "  " * (depth - 1) + "k: value\n"


def test_the_fixture_files_are_composed_by_libyaml_with_the_reference_result(tmp_path: Path) -> None:
    files = sorted(write_project(tmp_path).glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = parse_with_libyaml(text, path.name)
        assert fast is not None, path.name
        assert (repr(fast[0]), fast[1]) == (
            repr(parse_with_pyyaml(text, path.name)[0]),
            parse_with_pyyaml(text, path.name)[1],
        )


def test_types_and_lines_match_the_reference() -> None:
    text = (
        "when: 2025-01-10\n"
        "stamp: 2025-01-10 12:30:00\n"
        "flags: [yes, No, true, ~, null]\n"
        "numbers: [1, 1.0, 0x1f, 0o17, 017, 1_000, 1e3, .inf, -.inf, 190:20:30]\n"
        "text: 'quoted: # not a comment'\n"
        "plain: a:b # a comment\n"
        "? explicit key\n"
        ": its value\n"
        'unicode: "\\u00e9t\\u00e9 — 中文 😀"\n'
        "block: |\n  two\n  lines\n"
        "folded: >\n  one\n  line\n"
        "1: an int key\n"
        "nested:\n  - {a: 1, b: [x, y]}\n  -\n    - deep\n"
    )
    fast = parse_with_libyaml(text, "f.yaml")
    assert fast is not None
    assert_reads_like_the_reference(text)
    data, positions = fast
    assert data["numbers"][0:2] == [1, 1.0] and isinstance(data["numbers"][1], float)
    assert positions[("nested", 1, 0)] == 20


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: 1\na: 2\n", id="duplicate-key"),
        pytest.param("a: &x [1]\nb: *x\n", id="alias"),
        pytest.param("a: !!binary aGk=\n", id="tag"),
        pytest.param("a: 2025-02-30\n", id="impossible-date"),
        pytest.param("a: !!int abc\n", id="tag-that-does-not-fit"),
        pytest.param("<<: {a: 1}\n", id="merge-key"),
        pytest.param("[a]: 1\n", id="key-not-text"),
        pytest.param("a: 'open quote\nb: 2\n", id="unclosed-quote"),
        pytest.param("a: b: c\n", id="colon-in-plain-text"),
        pytest.param("a:\n\t- x\n", id="tab-indentation"),
        pytest.param("a: [1, 2\n", id="unclosed-list"),
        pytest.param("a: 1\n---\nb: 2\n", id="two-documents"),
        pytest.param("a: 1\x07\n", id="control-character"),
        pytest.param("# only a comment\n", id="empty"),
        pytest.param("a: '" + "x" * 100_001 + "'\n", id="long-string"),
    ],
)
def test_every_problem_is_worded_by_the_reference(text: str) -> None:
    assert parse_with_libyaml(text, "f.yaml") is None
    with pytest.raises(InputError) as fast:
        parse_yaml(text, "f.yaml")
    with pytest.raises(InputError) as reference:
        parse_with_pyyaml(text, "f.yaml")
    assert fast.value.problems == reference.value.problems


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        pytest.param("k: 1\t\n", "problems", id="tab-after-a-value"),
        pytest.param("k: 'a\tb'\n", "values", id="tab-in-quotes"),
        pytest.param("k: [a?]\n", "problems", id="question-mark-in-a-flow-list"),
        pytest.param("k: {a: b?}\n", "problems", id="question-mark-in-a-flow-mapping"),
        pytest.param("k: !\n", "values", id="bare-tag"),
        pytest.param("k: |#note\n  x\n", "problems", id="block-header-into-a-comment"),
        pytest.param("k:\n\ufeffv\n", "problems", id="byte-order-mark-mid-file"),
    ],
)
def test_what_libyaml_reads_differently_goes_to_the_reference(text: str, reference: str) -> None:
    assert parse_with_libyaml(text, "f.yaml") is None
    assert outcome(text)[0] == reference
    assert_reads_like_the_reference(text)


def test_nesting_up_to_the_limit_is_read_by_libyaml_and_beyond_it_by_the_reference() -> None:
    deepest = nested(MAX_DEPTH)
    assert parse_with_libyaml(deepest, "f.yaml") is not None
    assert_reads_like_the_reference(deepest)

    too_deep = nested(MAX_DEPTH + 1)
    assert parse_with_libyaml(too_deep, "f.yaml") is None
    with pytest.raises(InputError) as caught:
        parse_yaml(too_deep, "f.yaml")
    assert caught.value.problems == [
        Problem(
            "f.yaml",
            MAX_DEPTH + 1,  # the line of the value one level too deep
            "",
            f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
            "flatten the structure; a thesis needs only a few levels",
        )
    ]


HOSTILE = {
    "flow-lists": "[" * 200_000,
    "flow-mappings": "{a: " * 200_000,
    "block-lists": "- " * 200_000 + "x",
    "flow-lists-2-MB": "points: " + "[" * (MAX_FILE_BYTES - len("points: ")),
    "block-mappings-2-MB": "".join(" " * level + "k:\n" for level in range(2000)),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_deeply_nested_file_is_refused_cleanly_not_crashed_on(name: str, tmp_path: Path) -> None:
    points = write_project(tmp_path) / "points.yaml"
    points.write_text(HOSTILE[name], encoding="utf-8")
    assert points.stat().st_size <= MAX_FILE_BYTES
    result = subprocess.run(
        [sys.executable, "-m", "thesis", "check", "acme"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])  # a crash would be -11 (SIGSEGV)
    assert f"points.yaml: lists and mappings are nested more than {MAX_DEPTH} levels deep" in result.stderr
    assert "Traceback" not in result.stderr


# Property: the two paths agree on generated YAML, good and broken.

PLAIN_SCALARS = st.sampled_from(
    [
        "x",
        "two words",
        "a:b",
        "a: b",
        "a #b",
        "a#b",
        "it's",
        'say "hi"',
        "été",
        "中文",
        "😀",
        "tab\there",
        "?x",
        "? x",
        "-x",
        "- x",
        "yes",
        "No",
        "true",
        "~",
        "null",
        "",
        "0",
        "-1",
        "017",
        "0x1f",
        "1_000",
        "1e3",
        "1.5",
        ".inf",
        ".NaN",
        "190:20:30",
        "2025-01-10",
        "2025-02-30",
        "2025-1-5",
        "2025-01-10 12:30:00",
        "2025-01-10T12:30:00Z",
        "&a x",
        "*a",
        "&a",
        "!!str 12",
        "!!int abc",
        "!!float 1",
        "!!bool maybe",
        "!!binary aGk=",
        "!!set {a}",
        "!custom x",
        "!!timestamp 2025-02-30",
        "|\n  block\n  text",
        ">-\n  folded",
        "|#c\n  x",
        "@at",
        "`tick",
        "%pc",
        "a\\b",
        "[a, b]",
        "{a: b}",
        "[a",
        "a]",
        "{a",
        ",",
        "' '",
        "a\u2028b",
        "a\x85b",
        "a\ufeffb",
        "a\x07b",
        "---",
        "...",
    ]
)
TEXT = st.text(alphabet=st.sampled_from(list("ab1 :#'\"\t-?,[]{}&*!|>%@\\é中😀\n")), max_size=10)
SCALARS = st.one_of(
    PLAIN_SCALARS,
    TEXT,
    TEXT.map(lambda text: "'" + text.replace("'", "''") + "'"),
    TEXT.map(lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    TEXT.map(lambda text: '"' + text + '"'),  # escapes and quotes left as typed: often broken
)
KEYS = st.one_of(
    st.sampled_from(["a", "b", "id", "a ", "'a'", '"a"', "1", "01", "true", "null", "2025-02-30", "1.5", "<<", "? k"]),
    st.sampled_from(["!!str k", "&k a", "*k", "[a]", "ü", "a:b", "a b", "", "- a", "'x", "-1"]),
)


def _tree(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    pairs = st.lists(st.tuples(KEYS, children), max_size=4)
    items = st.lists(children, max_size=4)
    return st.one_of(
        st.tuples(st.just("map"), pairs, st.booleans()),
        st.tuples(st.just("seq"), items, st.booleans()),
    )


TREES = st.recursive(st.tuples(st.just("scalar"), SCALARS), _tree, max_leaves=12)


def render(tree: Any, indent: int = 0) -> str:
    """A tree as YAML text; ``flow`` collections are written on one line, block ones one entry a line."""
    kind = tree[0]
    if kind == "scalar":
        return str(tree[1])
    entries = tree[1]
    flow = tree[2] or not entries
    if flow:
        if kind == "seq":
            return "[" + ", ".join(render(item, indent) for item in entries) + "]"
        return "{" + ", ".join(f"{key}: {render(value, indent)}" for key, value in entries) + "}"
    pad = " " * indent
    lines = []
    for entry in entries:
        key, value = entry if kind == "map" else ("-", entry)
        marker = f"{key}:" if kind == "map" else "-"
        if value[0] == "scalar" or value[2] or not value[1]:
            lines.append(f"{pad}{marker} {render(value, indent + 2)}")
        else:
            lines.append(f"{pad}{marker}\n{render(value, indent + 2)}")
    return "\n".join(lines)


EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(["", " ", "\t", ":", "\n", "#", "- ", "'", '"', "&a ", "*a", "---\n", "\r\n"]),
    ),
    max_size=3,
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A generated document, sometimes damaged: characters replaced or inserted at random places."""
    text = render(draw(TREES)) + draw(st.sampled_from(["\n", "", "\n\n# end\n", "\r\n"]))
    for position, fragment in draw(EDITS):
        at = position % (len(text) + 1)
        text = text[:at] + fragment + text[at + (1 if fragment == "" else 0) :]
    return text


@settings(max_examples=200, deadline=None)
@given(documents())
def test_libyaml_and_the_reference_agree_on_generated_documents(text: str) -> None:
    event("read by libyaml" if assert_reads_like_the_reference(text) else "read by the reference")
