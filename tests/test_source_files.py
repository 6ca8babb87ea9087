"""A source is a regular file under the company's sources/ folder, checked before anything reads it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import write_project

ROOT = Path(__file__).resolve().parent.parent


def _thesis(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in its own process, so a read that blocks fails the test instead of hanging it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "thesis", *args], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize(
    "command", [["check", "acme"], ["render", "acme", "--format", "html", "--as-of", "2025-09-30"]]
)
def test_a_fifo_source_is_refused_without_being_opened(tmp_path: Path, command: list[str]) -> None:
    folder = write_project(tmp_path)
    (folder / "sources" / "alpha.txt").unlink()
    os.mkfifo(folder / "sources" / "alpha.txt")  # opening it for reading would wait for a writer forever
    result = _thesis(tmp_path, *command)
    assert result.returncode == 2, result.stderr
    assert "sources[0].file: source file 'sources/alpha.txt' is not a regular file" in result.stderr
    assert not (tmp_path / "build").exists()


def test_a_sources_folder_linked_to_the_company_folder_cannot_reach_the_inputs(tmp_path: Path) -> None:
    folder = write_project(tmp_path)
    shutil.rmtree(folder / "sources")
    (folder / "sources").symlink_to(".", target_is_directory=True)
    sources_yaml = folder / "sources.yaml"
    sources_yaml.write_text(
        sources_yaml.read_text(encoding="utf-8").replace("sources/alpha.txt", "sources/points.yaml"), encoding="utf-8"
    )
    result = _thesis(tmp_path, "check", "acme")
    assert result.returncode == 2
    assert "source file 'sources/points.yaml' leads outside the sources/ folder" in result.stderr
