"""``thesis quote COMPANY WORDS...``: where the words are in the company's sources, ready to cite.

Three formats: ``text`` (each passage with its source, page or line and
similarity), ``json`` (a list of ``{source, line, page, similarity,
passage}``; ``page`` is null for a source without pages) and ``yaml`` (the
best passage as a citation to paste under ``evidence:``, and, when the words
hold a number, as an observation to paste under a metric's
``observations:``). The YAML is written by :mod:`thesis.inputs.yaml_writer`
and read back by the inputs' reader before it is printed, so a passage with
``"``, ``:`` or ``#`` stays one string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from thesis.errors import CheckFailed, Problem, UsageError
from thesis.inputs.loader import load_company
from thesis.inputs.yaml_reader import parse_yaml
from thesis.inputs.yaml_writer import UNFOLDED, data_yaml
from thesis.project import Project
from thesis.verify.numbers import format_value
from thesis.verify.quotes import SourceIndex
from thesis.verify.search import RESULTS, Found, Observation, observation, search


@dataclass(frozen=True)
class Quoted:
    words: str
    found: list[Found]
    observation: Observation | None


def find_quotes(
    project: Project, company: str, words: str, *, source: str | None = None, limit: int = RESULTS
) -> Quoted:
    """The passages of COMPANY's sources (or of one source) most like ``words``."""
    if not words.strip():
        raise UsageError("no words to look for", 'give the words, e.g. thesis quote acme "cloud revenue tripled"')
    loaded = load_company(project, company)
    texts = loaded.source_texts
    if source is not None:
        if source not in texts:
            known = ", ".join(sorted(texts))
            raise UsageError(f"unknown source {source!r}", f"use one of: {known}")
        texts = {source: texts[source]}
    found = search({sid: SourceIndex(text) for sid, text in texts.items()}, words, limit)
    if not found:
        raise CheckFailed(
            [
                Problem(
                    f"inputs/{company}",
                    None,
                    "",
                    f"no passage like {words!r} in {'source ' + repr(source) if source else 'the sources'}",
                    "try fewer or other words, or check the source id",
                )
            ],
            "nothing found",
        )
    return Quoted(words, found, observation(words, found[0].passage))


def as_json(quoted: Quoted) -> str:
    return json.dumps(
        [
            {
                "source": item.source,
                "line": item.line,
                "page": item.page,
                "similarity": round(item.similarity, 3),
                "passage": item.passage,
            }
            for item in quoted.found
        ],
        indent=2,
        ensure_ascii=False,
    )


def as_yaml(quoted: Quoted) -> str:
    """The best passage as a citation (and an observation when the words hold a number), as YAML that reads back."""
    best = quoted.found[0]
    where = f"page {best.page}, line {best.line}" if best.page else f"line {best.line}"
    match = "exact" if best.exact else f"{best.similarity:.0%} similar"
    parts = [
        f"# {best.source}, {where} ({match}); paste under evidence:",
        _dump([{"source": best.source, "quote": best.passage}]),
    ]
    if quoted.observation is not None:
        found = quoted.observation
        entry: dict[str, Any] = {"value": int(found.value) if found.value.is_integer() else found.value}
        if found.period:
            entry["period"] = found.period
        entry.update({"source": best.source, "quote": best.passage})
        parts.append(
            f"# the observation it prints ({found.printed!r}: unit {found.unit}, the metric's unit); "
            "paste under the metric's observations:"
        )
        parts.append(_dump([entry]))
    return "\n".join(parts)


def _dump(value: list[dict[str, Any]]) -> str:
    """``value`` by the one YAML writer, each passage on one line (it is pasted at whatever indentation), read
    back by the inputs' reader before it is printed."""
    text = data_yaml(value, width=UNFOLDED)
    if parse_yaml(text, "the citation")[0] != value:  # pragma: no cover - the writer writes what the reader reads
        raise AssertionError(f"the citation does not read back as written: {text!r}")
    return text.rstrip("\n")


def as_text(quoted: Quoted) -> str:
    lines = []
    for number, item in enumerate(quoted.found, start=1):
        where = f"p. {item.page}, line {item.line}" if item.page else f"line {item.line}"
        match = "exact" if item.exact else f"{item.similarity:.0%} similar"
        lines.append(f"{number}. {item.source} ({where}, {match})")
        lines.append(f'   "{item.passage}"')
    if quoted.observation is not None:
        found = quoted.observation
        period = f", period {found.period}" if found.period else ""
        value = format_value(found.value)
        lines.append(f"observation in 1: value {value}, unit {found.unit}{period} (printed {found.printed!r})")
    return "\n".join(lines)
