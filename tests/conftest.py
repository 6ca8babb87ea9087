from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from tests.builders import write_project
from thesis.project import Project

# No per-example deadline anywhere: on a loaded machine (CI, or two test runs at once) a slow
# example is not a failure of the law being tested.
settings.register_profile("thesis", deadline=None)
settings.load_profile("thesis")

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


@pytest.fixture
def in_project(chdir: Path) -> Path:
    """The small company's project in the working folder, as an analyst runs commands from it."""
    write_project(chdir)
    return chdir


@dataclass(frozen=True)
class Rendered:
    """The small company rendered (HTML, PDF and JSON as of AS_OF) into ``root``/build."""

    root: Path
    rating: str

    @property
    def folder(self) -> Path:
        return self.root / "build" / "acme" / AS_OF.isoformat()

    def copy_to(self, target: Path) -> Path:
        """A copy of the project and its outputs to change, without the render cache's records."""
        shutil.copytree(self.root, target, ignore=shutil.ignore_patterns(".render-keys"), symlinks=True)
        return target


@pytest.fixture(scope="session")
def rendered_acme(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The small company's brief, rendered once for the whole session: read it, or copy it (copy_to) to change it.

    A PDF render costs about a second of CPU even for the small company; tests that only look at
    the outputs, or that start from a finished render, share this one.
    """
    from thesis.commands.render import render

    root = tmp_path_factory.mktemp("acme-rendered")
    write_project(root)
    return Rendered(root, render(Project(root), "acme", AS_OF).rating)
