"""Write a validated thesis back out as the YAML the loader reads (:mod:`thesis.inputs.yaml_reader`).

The inverse of loading, for a thesis built in memory: a PDF brief attaches its
inputs as of its date this way (:func:`thesis.scoring.asof.inputs_as_of`), and
its project file, so that loading the attachments gives the thesis the brief
was made from.

Each model is written field by field in the order the model declares them,
leaving out a field at its default; a date is written as a date, an estimated
one as ``{estimate, basis}``; a text with several lines as a literal block.
Nothing is shared between two places (no anchors or aliases, which the reader
refuses), and the same thesis always gives the same text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from pydantic import BaseModel

from thesis.inputs.models import DateInfo

WIDTH = 110  # long texts are folded to about this many characters a line; folding does not change them
UNFOLDED = 1_000_000  # a width no text reaches: every text on one line (a snippet pasted at any indentation)


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with no aliases and multi-line texts as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def input_data(value: Any) -> Any:
    """``value`` (a model, or anything inside one) as the plain data its YAML holds."""
    if isinstance(value, DateInfo):
        if value.estimated:
            return {"estimate": value.date, "basis": value.basis}
        return value.date
    if isinstance(value, BaseModel):
        data: dict[str, Any] = {}
        for name, field in type(value).model_fields.items():
            item = getattr(value, name)
            if not field.is_required() and item == field.get_default(call_default_factory=True):
                continue
            data[name] = input_data(item)
        return data
    if isinstance(value, (list, tuple)):
        return [input_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): input_data(item) for key, item in value.items()}
    if isinstance(value, (str, bool, int, float, dt.date)) or value is None:
        return value
    raise TypeError(f"cannot write {type(value).__name__} as YAML input")


def model_yaml(model: BaseModel, header: str = "") -> str:
    """``model`` (a whole thesis, or a project's ``thesis.yaml``) as one YAML file, ``header`` above it as comments."""
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    data = input_data(model)
    return comments + (data_yaml(data) if data else "")


def data_yaml(data: Any, width: int = WIDTH) -> str:
    """Plain data (mappings, lists, texts, numbers, dates) as input YAML, as :func:`model_yaml` writes a model:
    keys in their order, no aliases, multi-line texts as literal blocks. ``width``: where long texts fold (a
    snippet to paste may want none)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)
