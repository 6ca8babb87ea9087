"""The one Jinja environment, and HTML rendering as a pure function."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from thesis.render.prose import markdown, markdown_inline


def _number(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "\u2212" + text[1:] if text.startswith("-") else text


def _signed(value: float, digits: int = 1) -> str:
    text = f"{abs(value):,.{digits}f}"
    if round(value, digits) == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


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
    env.filters["number"] = _number
    env.filters["signed"] = _signed
    env.filters["long_date"] = _long_date
    return env


def render_template(templates_dir: Path, name: str, context: dict[str, Any]) -> str:
    return environment(templates_dir).get_template(name).render(**context)
