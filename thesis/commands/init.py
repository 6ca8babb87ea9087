"""``thesis init DIR``: a new research project, written whole or not at all.

A project is the analyst's own folder (often a git repository shared with
the desk): ``thesis.yaml`` at its root, ``inputs/`` for the companies, a
``.gitignore`` that keeps ``build/`` out of git, the JSON Schemas of the
inputs and of ``thesis.yaml``, editor settings that point at them, and
``docs/inputs.md``, the field reference, generated from the models as the
repository's own is (an installed wheel carries no docs folder).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from thesis.errors import UsageError
from thesis.inputs.models import DEFAULT_DISCLAIMER
from thesis.inputs.reference import REFERENCE_FILE, reference_markdown
from thesis.inputs.schema import PROJECT_SCHEMA_FILE, SCHEMA_FILE, modeline, project_schema_json, schema_json
from thesis.project import PROJECT_FILE

THESIS_YAML = """\
{modeline}
# The research project: what belongs to the desk rather than to one company.
# Every command run in this folder or below it works on this project; `thesis schema --file project`
# prints the schema of this file, and docs/inputs.md here documents each field of it and of the inputs
# (after upgrading thesis, `python -m thesis.inputs.reference` in this folder writes it and the schemas anew).

# The desk's name, shown at the top of every brief.
{desk}

# Printed in the footer of every page of the PDF, in the brief's About section and in diff briefs.
disclaimer: {disclaimer}

# Optional: a PNG or SVG file inside this folder, shown beside the desk's name (it is embedded in the brief).
# logo: assets/logo.svg

# Optional: default scoring for every company here. A company's own `scoring:` block, then --weights,
# override these key by key (the knobs are listed under "scoring" in docs/inputs.md).
# Every category weighs 1.0 unless weighted here, e.g. to count valuation points for less:
# scoring:
#   half_life_days: 365
#   category_weights:
#     valuation: 0.9

# Templates: put a file named like one of the built-in templates (e.g. _cover.html.j2 or css/base.css)
# in templates/ here to replace that one file; the stable names are listed in docs/templates.md.
"""

GITIGNORE = """\
# Rendered briefs: made again from the inputs by `thesis render`.
/build/
"""

INPUTS_README = """\
One folder per company: start one with

    thesis new COMPANY --name "Company Name" --ticker SYMBOL:EXCHANGE
"""

EXTENSIONS = {"recommendations": ["redhat.vscode-yaml"]}


@dataclass(frozen=True)
class Initialised:
    root: Path
    files: list[Path]


def editor_settings() -> dict[str, object]:
    """VS Code settings: which schema checks which YAML files (for files without the first-line modeline)."""
    return {
        "yaml.schemas": {
            f"./{PROJECT_SCHEMA_FILE.as_posix()}": [PROJECT_FILE],
            f"./{SCHEMA_FILE.as_posix()}": ["inputs/*/*.yaml", "inputs/*/*.yml"],
        },
        "files.associations": {"*.html.j2": "jinja-html"},
    }


def project_files(root: Path, desk: str | None) -> dict[Path, str]:
    """The files of a new project, by path relative to its root."""
    desk_line = (
        f"desk: {json.dumps(desk.strip(), ensure_ascii=False)}" if desk else '# desk: "Example Capital research"'
    )
    return {
        Path(PROJECT_FILE): THESIS_YAML.format(
            modeline=modeline(root / PROJECT_FILE, root, PROJECT_SCHEMA_FILE),
            desk=desk_line,
            disclaimer=json.dumps(DEFAULT_DISCLAIMER),
        ),
        Path(".gitignore"): GITIGNORE,
        Path("inputs") / "README.md": INPUTS_README,
        SCHEMA_FILE: schema_json(),
        PROJECT_SCHEMA_FILE: project_schema_json(),
        REFERENCE_FILE: reference_markdown(),
        Path(".vscode") / "settings.json": json.dumps(editor_settings(), indent=2) + "\n",
        Path(".vscode") / "extensions.json": json.dumps(EXTENSIONS, indent=2) + "\n",
    }


def init_project(root: Path, desk: str | None = None) -> Initialised:
    """Create a project at ``root``; refuse (:class:`UsageError`) to touch an existing project or file.

    Every file is written, or none: if any write fails, what was written is removed again.
    ``thesis.yaml`` is written last, so no half-made folder is ever taken for a project.
    """
    if desk is not None and not desk.strip():
        raise UsageError("the desk name is empty", 'give it with --desk "Example Capital research", or leave it out')
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file, not a folder", "give a new or existing folder")
    if (root / PROJECT_FILE).exists():
        raise UsageError(
            f"{root} is already a thesis project (it has a {PROJECT_FILE}); nothing was written",
            "work in it as it is, or give another folder",
        )
    files = project_files(root, desk)
    clashes = [
        relative.as_posix() for relative in files if (root / relative).exists() or (root / relative).is_symlink()
    ]
    if clashes:
        raise UsageError(
            f"{root} already has {', '.join(clashes)}; nothing was written",
            "move those files away first, or make the project in a new folder",
        )
    made_dirs: list[Path] = []
    written: list[Path] = []
    ordered = sorted(files, key=lambda relative: relative == Path(PROJECT_FILE))  # thesis.yaml last
    try:
        for relative in ordered:
            path = root / relative
            for folder in reversed([path.parent, *path.parent.parents]):
                if not folder.exists():
                    folder.mkdir()
                    made_dirs.append(folder)
            with open(path, "x", encoding="utf-8") as handle:  # "x": never replace a file that appeared meanwhile
                written.append(path)
                handle.write(files[relative])
    except BaseException as exc:
        for path in reversed(written):
            with contextlib.suppress(OSError):
                os.unlink(path)
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            raise UsageError(
                f"cannot write {exc.filename or root}: {exc.strerror}; nothing was written",
                "check the folder's permissions and the free space, or make the project elsewhere",
            ) from None
        raise
    return Initialised(root, [root / relative for relative in files])
