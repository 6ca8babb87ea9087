from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import write_project
from thesis.project import Project

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 9, 30)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    write_project(tmp_path)
    return Project(tmp_path)


@pytest.fixture
def repo() -> Project:
    return Project(ROOT)


@pytest.fixture
def chdir(tmp_path: Path) -> Iterator[Path]:
    """An empty temporary folder, made the working folder for the test (commands act on the project there)."""
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)
