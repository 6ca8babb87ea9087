"""Where things live: a project's inputs, templates and build folders.

Company names are checked here so that no name can reach outside
``inputs/`` or ``build/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from thesis.errors import UsageError

COMPANY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "render" / "templates"


def check_company_name(name: str) -> str:
    """Return the name if it is a safe folder name, else raise :class:`UsageError`."""
    if not COMPANY_PATTERN.match(name):
        raise UsageError(
            f"invalid company name {name!r}",
            "use lowercase letters, digits, '-' and '_' only (a folder name under inputs/, "
            "no '/', '..' or absolute paths)",
        )
    return name


@dataclass(frozen=True)
class Project:
    """A project folder: ``inputs/<company>/``, ``templates/``, ``build/``."""

    root: Path
    out: Path | None = None

    @property
    def inputs_dir(self) -> Path:
        return self.root / "inputs"

    @property
    def build_dir(self) -> Path:
        return self.out if self.out is not None else self.root / "build"

    @property
    def templates_dir(self) -> Path:
        local = self.root / "templates"
        return local if (local / "brief.html.j2").is_file() else PACKAGE_TEMPLATES

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
                f"use one of: {known}; or run the command from the project folder",
            )
        resolved = folder.resolve()
        if not resolved.is_relative_to(self.inputs_dir.resolve()):
            raise UsageError(f"inputs/{name} points outside inputs/", "replace the link with a real folder")
        return folder

    def output_dir(self, company: str, as_of: str) -> Path:
        check_company_name(company)
        return self.build_dir / company / as_of
