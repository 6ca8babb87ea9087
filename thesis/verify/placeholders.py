"""Example text ``thesis new`` writes, still in place: a warning (an error under ``--strict``).

The scaffold marks every example value so a brief made from it cannot pass
for research: ``Example sector (replace)``, ``EXAMPLE. One paragraph ...``,
``Example: revenue growth ...``, ``Example Publisher``, and a source text
beginning ``EXAMPLE SOURCE.``. :data:`PLACEHOLDER` recognises those marks;
:func:`placeholders` finds every text value of the inputs, and every archived
source text, that still carries one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from thesis.errors import Problem
from thesis.inputs.loader import Loaded

# "(replace" anywhere; "EXAMPLE" or "Example:"/"Example " opening the text, as thesis new writes them.
PLACEHOLDER = re.compile(r"\(replace\b|^EXAMPLE\b|^Example[: ]|written by `thesis new`")
EXAMPLE_SOURCE_MARK = "EXAMPLE SOURCE."
_SHOWN = 50  # characters of a placeholder shown in the message


def _texts(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text value under ``value``, with its path in the inputs."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, (list, tuple)):
        for index, entry in enumerate(value):
            yield from _texts(entry, (*path, index))
    elif isinstance(value, dict):
        for key, entry in value.items():
            yield from _texts(entry, (*path, str(key)))


def is_placeholder(text: str) -> bool:
    return bool(PLACEHOLDER.search(text.strip()))


def placeholders(loaded: Loaded) -> list[Problem]:
    """A warning for each value still holding example text, and each source text still the example."""
    problems = []
    for path, text in _texts(loaded.thesis, ()):
        if not is_placeholder(text):
            continue
        shown = " ".join(text.split())
        shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
        problems.append(
            loaded.located.problem(
                path,
                f"{shown!r} is example text written by thesis new",
                "replace it with your own (or delete the example item) before you forward a brief",
                severity="warning",
            )
        )
    for index, source in enumerate(loaded.thesis.sources):
        if loaded.source_texts.get(source.id, "").lstrip().startswith(EXAMPLE_SOURCE_MARK):
            problems.append(
                loaded.located.problem(
                    ("sources", index, "file"),
                    f"source file {source.file!r} is the example text written by thesis new",
                    "archive the text of a real document there, and cite it",
                    severity="warning",
                    item=source.id,
                )
            )
    return problems
