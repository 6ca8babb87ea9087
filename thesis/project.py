"""Where things live: a project's file, inputs, templates and build folders.

A project is a folder with a ``thesis.yaml`` at its root (see
:mod:`thesis.inputs.project_file`). Commands find it as git finds ``.git``:
by walking up from the current folder to the nearest ``thesis.yaml``; a
``--project DIR`` option names it instead. ``build/`` is always the
project's, wherever the command runs.

Company names are checked here so that no name can reach outside
``inputs/`` or ``build/``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from thesis.errors import UsageError

if TYPE_CHECKING:
    from thesis.inputs.project_file import ProjectSettings

MAX_COMPANY_CHARS = 64
COMPANY_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_COMPANY_CHARS - 1}}}$")
PROJECT_FILE = "thesis.yaml"


def check_company_name(name: str) -> str:
    """Return the name if it is a safe folder name, else raise :class:`UsageError`."""
    if len(name) > MAX_COMPANY_CHARS and COMPANY_PATTERN.match(name[:MAX_COMPANY_CHARS]):
        raise UsageError(
            f"the company name {name[:20]!r}… is {len(name)} characters, over the limit of {MAX_COMPANY_CHARS}",
            "use a shorter folder name (the full name goes in company.yaml's name)",
        )
    if not COMPANY_PATTERN.match(name):
        raise UsageError(
            f"invalid company name {name!r}",
            "use lowercase letters, digits, '-' and '_' only (a folder name under inputs/, "
            "no '/', '..' or absolute paths)",
        )
    return name


def package_templates() -> Path:
    """The package's own templates folder (package data, wherever the package is installed)."""
    from importlib.resources import files

    folder = files("thesis.render").joinpath("templates")
    if not isinstance(folder, Path):  # a zipped package: its files have no paths to give WeasyPrint
        raise UsageError(
            "the package's templates are not files on disk (thesis is installed inside a zip file)",
            "install thesis with pip or pipx into a virtual environment",
        )
    return folder


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding a ``thesis.yaml``, or None."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def discover(cwd: Path, given: Path | None = None, out: Path | None = None) -> Project:
    """The project a command works on: ``given`` (``--project DIR``), else the nearest one above ``cwd``."""
    if given is not None:
        if not (given / PROJECT_FILE).is_file():
            raise UsageError(
                f"--project {given}: there is no {PROJECT_FILE} in that folder, so it is not a thesis project",
                f"give the folder that holds {PROJECT_FILE}, or make one with: thesis init {given}",
            )
        return Project(given.resolve(), out)
    root = find_root(cwd)
    if root is None:
        raise UsageError(
            f"not inside a thesis project: no {PROJECT_FILE} in {cwd.resolve()} or any folder above it",
            "make one with: thesis init DIR (then cd DIR), or name one with --project DIR",
        )
    return Project(root, out)


@dataclass(frozen=True)
class Project:
    """A project folder: ``thesis.yaml``, ``inputs/<company>/``, ``templates/``, ``build/``."""

    root: Path
    out: Path | None = None

    @property
    def file(self) -> Path:
        return self.root / PROJECT_FILE

    @cached_property
    def settings(self) -> ProjectSettings:
        """``thesis.yaml``, validated (the defaults when the folder has none); read once."""
        from thesis.inputs.project_file import load_project_file

        return load_project_file(self.root)

    @property
    def inputs_dir(self) -> Path:
        return self.root / "inputs"

    @property
    def build_dir(self) -> Path:
        return self.out if self.out is not None else self.root / "build"

    @property
    def templates_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: the project's ``templates/``, then the package's."""
        local = self.root / "templates"
        return (local, package_templates()) if local.is_dir() else (package_templates(),)

    def companies(self) -> list[str]:
        if not self.inputs_dir.is_dir():
            return []
        return sorted(p.name for p in self.inputs_dir.iterdir() if p.is_dir() and COMPANY_PATTERN.match(p.name))

    def company_dir(self, name: str) -> Path:
        """The company's inputs folder; an unknown or unsafe name is a :class:`UsageError`."""
        check_company_name(name)
        folder = self.inputs_dir / name
        if not folder.is_dir():
            known = ", ".join(self.companies()) or "none"
            raise UsageError(
                f"unknown company {name!r}: there is no folder inputs/{name}/ in {self.root}",
                f"use one of: {known}; or start it with: thesis new {name} --name ... --ticker ...",
            )
        resolved = folder.resolve()
        if not resolved.is_relative_to(self.inputs_dir.resolve()):
            raise UsageError(f"inputs/{name} points outside inputs/", "replace the link with a real folder")
        return folder

    def output_dir(self, company: str, as_of: str) -> Path:
        check_company_name(company)
        return self.build_dir / company / as_of

    def brief_folders(self, company: str) -> list[tuple[dt.date, Path]]:
        """Each dated ``build/COMPANY/DATE/`` with its date, oldest first; diff briefs and other names left out."""
        folder = self.build_dir / company
        if not folder.is_dir():
            return []
        dated = []
        for child in folder.iterdir():
            try:
                dated.append((dt.date.fromisoformat(child.name), child))
            except ValueError:
                continue
        return sorted(dated)


def choose_companies(
    project: Project,
    names: tuple[str, ...],
    all_companies: bool,
    example: str,
    *,
    nothing: str = "no company given",
    known: bool = True,
) -> list[str]:
    """The companies a command over a coverage list works on: the names given, once each, or every one with --all.

    Names and --all together, or neither (``nothing`` says so), are usage errors; with ``known`` an unknown
    name is one too, before any work (``thesis render`` instead reports it with the companies that failed).
    """
    if all_companies and names:
        raise UsageError("give company names or --all, not both", f"e.g. {example} --all, or {example} a b")
    chosen = project.companies() if all_companies else list(dict.fromkeys(names))
    if not chosen:
        raise UsageError(
            nothing + (": there are no folders under inputs/" if all_companies else ""),
            "give one or more COMPANY names (folders under inputs/), or --all",
        )
    if known:
        for name in chosen:
            project.company_dir(name)
    return chosen
