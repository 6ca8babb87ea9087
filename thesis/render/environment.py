"""The one Jinja environment, and HTML rendering as a pure function."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from thesis.figures import number, signed
from thesis.render.prose import markdown, markdown_inline


def _long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


@lru_cache(maxsize=8)
def environment(templates_dir: Path) -> Environment:
    """Build the Jinja environment once per templates folder."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown
    env.filters["markdown_inline"] = markdown_inline
    env.filters["number"] = number
    env.filters["signed"] = signed
    env.filters["long_date"] = _long_date
    return env


def render_template(templates_dir: Path, name: str, context: dict[str, Any]) -> str:
    return environment(templates_dir).get_template(name).render(**context)
