"""``thesis schema``: a JSON Schema for one input file, generated from the models.

Editors validate and complete YAML as the analyst types when a file starts
with ``# yaml-language-server: $schema=../../docs/thesis.schema.json``.

One schema serves every file. The loader merges whatever ``*.yaml`` files a
company folder holds, and any file may hold any of the top-level keys (the
file names are a convention, not a rule), so the schema is that of
:class:`~thesis.inputs.models.Thesis` with every top-level key optional. What only
the merged document can show (``company`` and ``sources`` present somewhere,
known source ids, unique ids, verbatim quotes) is left to ``thesis check``.

Where a validator accepts a YAML form that differs from the model's own
fields, the schema describes the YAML form: a date is ``YYYY-MM-DD`` or
``{estimate, basis}``; a ticker symbol may be a bare number. The schema is
written in JSON Schema draft 7, the dialect editors' YAML language servers
support most widely.
"""

from __future__ import annotations

import json
import os
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from thesis.inputs.models import DateInfo, ProjectFile, Thesis

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
SCHEMA_FILE = Path("docs") / "thesis.schema.json"
PROJECT_SCHEMA_FILE = Path("docs") / "thesis-project.schema.json"
MODELINE_PREFIX = "# yaml-language-server: $schema="


def thesis_schema() -> dict[str, Any]:
    """The JSON Schema of one input file, as a plain mapping."""
    schema = _model_schema(Thesis)
    definitions: dict[str, Any] = schema["definitions"]
    definitions["DateInfo"] = _date_info_schema()
    _accept_numeric_symbols(definitions["Ticker"])
    schema.pop("required", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "thesis inputs: one YAML file of inputs/<company>/",
        "description": (
            "The files of a company folder are merged into one thesis. Each file holds any of these top-level "
            "keys, and each key appears in one file only; company and sources are required somewhere in the "
            "folder (`thesis check` verifies the merged whole). Reference: docs/inputs.md."
        ),
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
    }


def project_schema() -> dict[str, Any]:
    """The JSON Schema of a project's ``thesis.yaml``, as a plain mapping."""
    schema = _model_schema(ProjectFile)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "thesis project file: thesis.yaml at the root of a research project",
        "description": (
            "What belongs to the desk rather than to one company: its name, disclaimer, logo and default "
            "scoring. Every field is optional. Reference: docs/inputs.md."
        ),
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
    }


def _model_schema(root: type[BaseModel]) -> dict[str, Any]:
    """pydantic's schema of ``root``, with each override model's knobs described, in draft 7."""
    schema = root.model_json_schema(mode="validation")
    definitions: dict[str, Any] = schema.setdefault("$defs", {})
    for model in models_in(root):
        if model.__name__ in definitions:
            _describe_overrides(model, definitions[model.__name__])
    converted: dict[str, Any] = _as_draft_07(schema)
    return converted


def schema_json() -> str:
    """The schema as the text of ``docs/thesis.schema.json`` (stable key order, trailing newline)."""
    return json.dumps(thesis_schema(), indent=2, ensure_ascii=False) + "\n"


def project_schema_json() -> str:
    """The schema of ``thesis.yaml`` as the text of ``docs/thesis-project.schema.json``."""
    return json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"


def modeline(yaml_file: Path, project_root: Path, schema_file: Path = SCHEMA_FILE) -> str:
    """The first line of a YAML file the project writes: where its editor finds the schema."""
    target = os.path.relpath(project_root / schema_file, yaml_file.parent)
    return MODELINE_PREFIX + Path(target).as_posix()


def _as_draft_07(node: Any) -> Any:
    """pydantic writes draft 2020-12; editors' YAML language servers read draft 7 best.

    Only two keywords differ in what the models use: ``$defs`` (draft 7: ``definitions``)
    and ``prefixItems`` for a fixed-length list (draft 7: ``items`` as a list).
    """
    if isinstance(node, list):
        return [_as_draft_07(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            converted["definitions"] = _as_draft_07(value)
        elif key == "$ref" and isinstance(value, str):
            converted[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "prefixItems":
            converted["items"] = _as_draft_07(value)
            converted["additionalItems"] = False
        else:
            converted[key] = _as_draft_07(value)
    return converted


def _date_info_schema() -> dict[str, Any]:
    fields = DateInfo.model_fields
    return {
        "title": "Date",
        "description": "A date as the record gives it: a printed date, or an estimate with its basis.",
        "anyOf": [
            {"type": "string", "format": "date", "description": "A printed date, e.g. 2025-05-07."},
            {
                "type": "object",
                "description": (
                    "An estimate where the record prints no date, e.g. "
                    '{estimate: 2025-09-24, basis: "reports the Apsara keynote of 24 Sep 2025"}.'
                ),
                "properties": {
                    "estimate": {"type": "string", "format": "date", "description": "The estimated date."},
                    "basis": {"type": "string", "minLength": 1, "description": fields["basis"].description},
                },
                "required": ["estimate", "basis"],
                "additionalProperties": False,
            },
        ],
    }


def _accept_numeric_symbols(ticker: dict[str, Any]) -> None:
    symbol = ticker["properties"]["symbol"]
    symbol["type"] = ["string", "integer"]


def _describe_overrides(model: type[BaseModel], definition: dict[str, Any]) -> None:
    """An ``XOverrides`` model repeats the knobs of ``XConfig``: give each knob that one's description and default."""
    name = model.__name__
    if not name.endswith("Overrides"):
        return
    config = getattr(sys.modules[model.__module__], name.removesuffix("Overrides") + "Config", None)
    if not (isinstance(config, type) and issubclass(config, BaseModel)):
        return
    defaults = json.loads(config().model_dump_json())
    for key, prop in definition.get("properties", {}).items():
        known = config.model_fields.get(key)
        if known is None:
            continue
        if "description" not in prop and known.description:
            prop["description"] = known.description
        if key in defaults:
            prop["default"] = defaults[key]
    if "description" not in definition and model.__doc__:
        definition["description"] = " ".join(model.__doc__.split())


def models_in(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model class reachable from ``root``'s fields, ``root`` first, each once."""
    found: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in found:
                return
            found.append(annotation)
            for info in annotation.model_fields.values():
                visit(info.annotation)
            return
        if typing.get_origin(annotation) in (list, tuple, dict, typing.Union, types.UnionType, typing.Annotated):
            for arg in typing.get_args(annotation):
                visit(arg)

    visit(root)
    return found


SCHEMAS = {"inputs": schema_json, "project": project_schema_json}


def write_schema(path: Path, which: str = "inputs") -> None:
    """Write the schema of the input files (or of ``thesis.yaml``: ``which="project"``) to ``path`` atomically."""
    from thesis.outputs.files import write_atomic

    write_atomic(path, SCHEMAS[which]().encode("utf-8"))
