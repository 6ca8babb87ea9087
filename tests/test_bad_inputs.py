"""Every bad input in tests/bad_inputs/ gets its exact message, exit 2 and no output.

Each case is a folder holding ``case.yaml`` (how to spoil the acme fixture of
tests/builders.py, and which command to run) and ``expected.txt`` (the exact
text the command prints on stderr). Paths in the output are written with
``<project>`` and ``<outside>`` in place of the temporary folders, and today's date as ``<today>``.

``case.yaml`` keys, applied in this order (file names are under inputs/acme/):

- ``patch: {file: [[old, new], ...]}`` replace text (each ``old`` must occur)
- ``replace: {file: text}`` write a file with exactly this text
- ``latin1: {file: text}`` write a file encoded as Latin-1 (not UTF-8)
- ``generate: {file: name}`` write a file made by one of ``GENERATORS`` below
- ``remove: [file, ...]``
- ``outside: {name: text}`` write a file outside the project
- ``symlink: {file: target}`` make a link; ``<outside>/name`` targets the outside folder
- ``fifo: [file, ...]`` make a FIFO (named pipe)
- ``project: {path: text}`` write a file relative to the project root (e.g. a --weights file)
- ``generate_project: {path: name}`` write a file there made by one of ``GENERATORS``
- ``args: [...]`` the command (default: render acme --as-of 2025-09-30)
- ``exit: N`` the exit code (default 2)

To regenerate every expected.txt after a deliberate change of wording, run
``THESIS_REGENERATE=1 .venv/bin/pytest tests/test_bad_inputs.py`` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.builders import write_project
from thesis.cli import cli
from thesis.inputs.yaml_reader import MAX_FILE_BYTES, MAX_STRING_CHARS

CASES = Path(__file__).parent / "bad_inputs"
DEFAULT_ARGS = ["render", "acme", "--as-of", "2025-09-30"]
REGENERATE = os.environ.get("THESIS_REGENERATE") == "1"


def _huge_file() -> bytes:
    line = "# " + "x" * 97 + "\n"
    return ("points: []\n" + line * (MAX_FILE_BYTES // len(line) + 1)).encode()


def _huge_string() -> bytes:
    body = "word " * (MAX_STRING_CHARS // 5 + 1)
    return f"scenarios:\n  metric: Market value\n  description: {body}\n".encode()


def _billion_laughs() -> bytes:
    lines = ['scenarios: &a0 "lol"']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


def _deep_nesting() -> bytes:
    return ("scenarios: " + "[" * 200 + "]" * 200 + "\n").encode()


def _utf16_company() -> bytes:
    return "company:\n  name: Acme Holdings\n".encode("utf-16")


def _long_body() -> bytes:
    return (
        "points:\n- id: long\n  stance: bull\n  title: Long\n  category: cloud\n  impact: 1\n"
        "  evidence: [{source: alpha, quote: Acme Cloud grew revenue 40% in 2024}]\n"
        "  body: " + "word " * 4_200 + "\n"
    ).encode()


def _deep_json() -> bytes:
    return b'{"schema_version": 1, "as_of": "2025-01-01", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


GENERATORS: dict[str, Callable[[], bytes]] = {
    "deep_json": _deep_json,
    "long_body": _long_body,
    "huge_file": _huge_file,
    "huge_string": _huge_string,
    "billion_laughs": _billion_laughs,
    "deep_nesting": _deep_nesting,
    "utf16_company": _utf16_company,
}


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "case.yaml").is_file())


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    outside.mkdir()
    write_project(root)
    old = Path.cwd()
    os.chdir(root)
    yield root, outside
    os.chdir(old)


def apply_case(case: dict[str, Any], root: Path, outside: Path) -> None:
    folder = root / "inputs" / "acme"
    for name, pairs in case.get("patch", {}).items():
        text = (folder / name).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"{name} has no {old!r}; the fixture changed, update the case"
            text = text.replace(old, new, 1)
        (folder / name).write_bytes(text.encode("utf-8"))
    for name, text in case.get("replace", {}).items():
        (folder / name).write_bytes(text.encode("utf-8"))
    for name, text in case.get("latin1", {}).items():
        (folder / name).write_bytes(text.encode("latin-1"))
    for name, generator in case.get("generate", {}).items():
        (folder / name).write_bytes(GENERATORS[generator]())
    for name in case.get("remove", []):
        (folder / name).unlink()
    for name, text in case.get("outside", {}).items():
        (outside / name).write_text(text, encoding="utf-8")
    for name, target in case.get("symlink", {}).items():
        link = folder / name
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(Path(str(target).replace("<outside>", str(outside))))
    for name in case.get("fifo", []):
        if (folder / name).exists():
            (folder / name).unlink()
        os.mkfifo(folder / name)
    for name, text in case.get("project", {}).items():
        (root / name).write_text(text, encoding="utf-8")
    for name, generator in case.get("generate_project", {}).items():
        (root / name).write_bytes(GENERATORS[generator]())


@pytest.mark.parametrize("name", case_names())
def test_bad_input(name: str, workspace: tuple[Path, Path]) -> None:
    root, outside = workspace
    case = yaml.safe_load((CASES / name / "case.yaml").read_text(encoding="utf-8"))
    apply_case(case, root, outside)
    result = CliRunner().invoke(cli, case.get("args", DEFAULT_ARGS))
    stderr = result.stderr.replace(str(outside), "<outside>").replace(str(root), "<project>")
    stderr = stderr.replace(dt.date.today().isoformat(), "<today>")
    expected_file = CASES / name / "expected.txt"
    if REGENERATE:
        expected_file.write_text(stderr, encoding="utf-8")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert stderr == expected_file.read_text(encoding="utf-8")
    assert result.exit_code == case.get("exit", 2)
    assert not (root / "build").exists(), "a failed render must write nothing"


def test_the_corpus_is_large_and_every_case_has_an_expectation() -> None:
    names = case_names()
    assert len(names) >= 40
    for name in names:
        case = yaml.safe_load((CASES / name / "case.yaml").read_text(encoding="utf-8"))
        assert case.get("about"), f"{name}: say what the case is about"
        assert (CASES / name / "expected.txt").is_file() or REGENERATE, f"{name}: no expected.txt"


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="windows-line-endings"),
        pytest.param(lambda text: "\ufeff" + text, id="byte-order-mark"),
        pytest.param(lambda text: "\ufeff" + text.replace("\n", "\r\n"), id="both"),
        pytest.param(lambda text: "# a comment\n---\n" + text, id="document-start-marker"),
    ],
)
def test_files_saved_by_windows_editors_just_work(spoil: Callable[[str], str], workspace: tuple[Path, Path]) -> None:
    root, _ = workspace
    folder = root / "inputs" / "acme"
    for path in sorted(folder.glob("*.yaml")):
        path.write_bytes(spoil(path.read_text(encoding="utf-8")).encode("utf-8"))
    result = CliRunner().invoke(cli, [*DEFAULT_ARGS, "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "rating" in result.stdout


def test_windows_line_endings_keep_line_numbers(workspace: tuple[Path, Path]) -> None:
    root, _ = workspace
    points = root / "inputs" / "acme" / "points.yaml"
    text = points.read_text(encoding="utf-8").replace("impact: 4", "impact: 9")
    points.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    result = CliRunner().invoke(cli, DEFAULT_ARGS)
    assert result.exit_code == 2
    assert result.stderr.startswith("inputs/acme/points.yaml:6 points[0].impact:")
