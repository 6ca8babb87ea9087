"""The one Jinja environment, and HTML rendering as a pure function.

Templates and CSS ship inside the package (``thesis/render/templates``,
found with :mod:`importlib.resources`: :func:`thesis.project.package_templates`). A project overrides any one of them
by putting a file of the same name in its own ``templates/`` folder: the
loader looks there first, then in the package. A mistake in a template (a
syntax error, an undefined name, a missing include) becomes a
:class:`~thesis.errors.RenderError` naming the template file and line.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError

from thesis.errors import RenderError
from thesis.figures import counted, figure, number, signed, signed_percent
from thesis.render.prose import clip, columns, cover_lead, markdown, markdown_inline


def _long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


@lru_cache(maxsize=8)
def environment(templates_dirs: tuple[Path, ...]) -> Environment:
    """Build the Jinja environment once per list of template folders (the first holding a name wins)."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in templates_dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown
    env.filters["markdown_inline"] = markdown_inline
    env.filters["number"] = number
    env.filters["figure"] = figure
    env.filters["counted"] = counted
    env.filters["signed"] = signed
    env.filters["signed_percent"] = signed_percent
    env.filters["long_date"] = _long_date
    env.filters["clip"] = clip
    env.filters["columns"] = columns
    env.filters["cover_lead"] = cover_lead
    return env


def render_template(templates_dirs: Sequence[Path], name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; a mistake in any template it uses is a :class:`RenderError`."""
    folders = tuple(templates_dirs)
    try:
        return environment(folders).get_template(name).render(**context)
    except TemplateSyntaxError as exc:
        where = _shown(exc.filename or exc.name or name, folders)
        raise RenderError(f"{where}:{exc.lineno}: template syntax error: {exc.message}", _fix(where, folders)) from None
    except Exception as exc:
        found = _template_frame(exc, folders)
        if found is None and not isinstance(exc, TemplateError):
            raise  # not a template's mistake: a bug, which keeps its traceback
        where = found[0] if found else name
        place = f"{where}:{found[1]}" if found else where
        message = exc.message if isinstance(exc, TemplateError) and exc.message else f"{type(exc).__name__}: {exc}"
        raise RenderError(f"{place}: {message}", _fix(where, folders)) from None


def _template_frame(exc: BaseException, folders: tuple[Path, ...]) -> tuple[str, int] | None:
    """The innermost template file and line in ``exc``'s traceback (Jinja maps its frames to template lines)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".j2", ".css")) or any(_inside(frame.filename, f) for f in folders):
            found = (_shown(frame.filename, folders), frame.lineno or 0)
    return found


def _inside(filename: str, folder: Path) -> bool:
    return Path(filename).is_relative_to(folder)


def _shown(filename: str, folders: tuple[Path, ...]) -> str:
    """A template's path as the analyst knows it: ``templates/x.j2`` for the project's, the package path otherwise."""
    path = Path(filename)
    for index, folder in enumerate(folders):
        if path.is_relative_to(folder):
            relative = path.relative_to(folder).as_posix()
            return f"templates/{relative}" if index < len(folders) - 1 else str(path)
    return filename


def _fix(where: str, folders: tuple[Path, ...]) -> str:
    if len(folders) > 1 and where.startswith("templates/"):
        return f"correct {where} in the project, or delete it to use the built-in template of that name"
    return "correct the template; the templates' names and context are listed in docs/templates.md"
