"""Read a project's ``thesis.yaml``: the desk's name, disclaimer, logo and default scoring.

The file is read and validated like every input (file, line, dotted field,
fix; every problem at once). The logo is read here too, so that what
renders gets its bytes and never touches the file system: it must be a PNG
or SVG file inside the project, no larger than :data:`MAX_LOGO_BYTES`.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from thesis.errors import InputError, Problem
from thesis.inputs.models import ProjectFile
from thesis.inputs.reading import ReadFailure, read_bounded
from thesis.inputs.yaml_reader import MAX_FILE_BYTES, read_yaml
from thesis.project import PROJECT_FILE

MAX_LOGO_BYTES = 512 * 1024
_MEDIA_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Logo:
    """The desk's logo, read from the project: its media type and bytes."""

    media_type: str
    data: bytes

    @property
    def data_uri(self) -> str:
        """The logo as a ``data:`` URI, so the HTML brief carries it and the PDF fetches nothing."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class ProjectSettings:
    """A validated ``thesis.yaml``, its logo, and a digest of both (part of the render cache key)."""

    file: ProjectFile = field(default_factory=ProjectFile)
    logo: Logo | None = None
    digest: str = "none"


def load_project_file(root: Path) -> ProjectSettings:
    """``root/thesis.yaml`` validated; the defaults when there is none; :class:`InputError` listing every problem."""
    from thesis.inputs.loader import validate_file, yaml_kind

    path = root / PROJECT_FILE
    if not path.is_file():
        return ProjectSettings()
    if _only_comments(path):  # an empty file marks the project and keeps every default
        return ProjectSettings(digest=hashlib.sha256(b"thesis.yaml\0" + path.read_bytes()).hexdigest())
    data, positions = read_yaml(path, PROJECT_FILE)
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    PROJECT_FILE,
                    1,
                    "",
                    f"the file holds {yaml_kind(data)}, not a mapping of keys",
                    "write 'key: value' lines at the left margin, e.g. 'desk: Example Capital research'; keys: "
                    + ", ".join(ProjectFile.model_fields),
                )
            ]
        )
    model = validate_file(ProjectFile, data, positions, PROJECT_FILE)
    try:
        digest = hashlib.sha256(b"thesis.yaml\0" + read_bounded(path, MAX_FILE_BYTES))
    except ReadFailure as failure:  # changed since it was read just now
        raise InputError(
            [Problem(PROJECT_FILE, None, "", f"cannot read the file: {failure.cause}", failure.hint)]
        ) from None
    logo = None
    if model.logo is not None:
        logo = _read_logo(root, model.logo, positions.get(("logo",)))
        digest.update(b"\0logo\0" + hashlib.sha256(logo.data).digest())
    return ProjectSettings(model, logo, digest.hexdigest())


def _only_comments(path: Path) -> bool:
    """True when the file holds nothing but blank lines and comments (a file too big to look at is not)."""
    with path.open("rb") as handle:
        head = handle.read(MAX_FILE_BYTES + 1)
    if len(head) > MAX_FILE_BYTES:
        return False
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _read_logo(root: Path, relative: str, line: int | None) -> Logo:
    def problem(message: str, hint: str) -> InputError:
        return InputError([Problem(PROJECT_FILE, line, "logo", message, hint)])

    path = root / relative
    if not path.resolve().is_relative_to(root.resolve()):
        raise problem(f"logo {relative!r} leads outside the project (through a link)", "copy the file into the project")
    if not path.is_file():
        raise problem(f"logo {relative!r} does not exist", f"put the PNG or SVG file at {relative}, or remove logo")
    try:
        data = read_bounded(path, MAX_LOGO_BYTES)
    except ReadFailure as failure:
        if failure.size is not None:
            raise problem(
                f"logo {relative!r} is over {MAX_LOGO_BYTES // 1024} KiB", "use a smaller PNG, or an SVG"
            ) from None
        raise problem(f"cannot read logo {relative!r}: {failure.cause}", failure.hint) from None
    suffix = path.suffix.lower()
    if suffix == ".png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise problem(f"logo {relative!r} is not a PNG image", "save the logo as PNG, or give an .svg file")
    if suffix == ".svg" and b"<svg" not in data[:4096]:
        raise problem(f"logo {relative!r} is not an SVG image (no <svg> element)", "save the logo as SVG")
    return Logo(_MEDIA_TYPES[suffix], data)
