"""``docs/inputs.md``: the reference for every input field, generated from the models.

The text comes from the JSON Schema (:mod:`thesis.inputs.schema`), which pydantic
builds from the models' types and field descriptions, so the reference,
the editor's hover help and the validation cannot drift apart.
Regenerate with ``make docs`` (``python -m thesis.inputs.reference``). ``thesis init`` writes the same three
files into a new project, and the same command run in a project's folder writes them anew there.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from thesis.inputs.schema import PROJECT_SCHEMA_FILE, SCHEMA_FILE, project_schema, thesis_schema

REFERENCE_FILE = Path("docs") / "inputs.md"
SLUG_PATTERN_TEXT = "lowercase letters, digits and hyphens"

INTRO = """\
# Input reference

<!-- Generated from thesis/inputs/models.py by `make docs` (thesis/inputs/reference.py). Do not edit by hand. -->

A company's thesis lives in `inputs/<company>/`: YAML files whose top-level keys are listed below, plus the
archived source texts under `sources/`. Any file may hold any of the top-level keys, and each key appears in one
file only; by convention each key has its own file (`company.yaml`, `sources.yaml`, `points.yaml`,
`metrics.yaml`, `constraints.yaml`). `thesis new COMPANY` writes a commented example of each, and
`thesis check COMPANY` validates the whole folder.

Every file starts with `# yaml-language-server: $schema=../../docs/thesis.schema.json`, so an editor with a
YAML language server (VS Code with the Red Hat YAML extension) checks and completes the fields as you type;
`thesis schema` prints that schema. The project's own settings (desk, disclaimer, logo, default scoring) live
in [`thesis.yaml`](#project-file), described at the end.
"""


def reference_markdown() -> str:
    """The text of ``docs/inputs.md``."""
    schema = thesis_schema()
    definitions: dict[str, Any] = schema["definitions"]
    lines = [INTRO, "## Top-level keys", ""]
    lines += _table(schema, definitions, top_level=True)
    used_in = _used_in(schema, definitions)
    for name in _section_order(schema, definitions):
        definition = definitions[name]
        lines += ["", f'<a id="{_anchor(name)}"></a>', "", f"## {_title(name, definition)}", ""]
        if definition.get("description"):
            lines += [_one_line(definition["description"]), ""]
        lines += ["Used in: " + ", ".join(used_in.get(name, [])) + ".", ""]
        if "anyOf" in definition:
            lines += ["Write it in one of these forms:", ""]
            for form in definition["anyOf"]:
                lines.append(f"- {_type(form, definitions)}: {_one_line(form.get('description', ''))}")
                if form.get("type") == "object":
                    lines += ["", *(_indent(_table(form, definitions)))]
            continue
        lines += _table(definition, definitions)
    lines += ["", *_project_section(definitions)]
    return "\n".join(lines).rstrip() + "\n"


PROJECT_INTRO = """\
<a id="project-file"></a>

## The project file: `thesis.yaml`

A research project is a folder with a `thesis.yaml` at its root (`thesis init DIR` writes a commented one).
Every command finds its project by walking up from the current folder to the nearest `thesis.yaml`, as git
finds `.git`; `thesis --project DIR` names one instead. The file holds what belongs to the desk rather than to
one company. Every key is optional; an empty file keeps every default. Its scoring overrides are the lowest
layer: a company's own `scoring` block overrides them, and `--weights` overrides both, key by key.
`thesis schema --file project` prints its schema (written to `docs/thesis-project.schema.json`).
"""


def _project_section(documented: dict[str, Any]) -> list[str]:
    """The reference of ``thesis.yaml``; models it shares with the inputs link to their sections above."""
    schema = project_schema()
    definitions: dict[str, Any] = {**schema.get("definitions", {}), **documented}
    lines = [PROJECT_INTRO, "| key | type | required | description |", "|---|---|---|---|"]
    for line in _table(schema, definitions)[2:]:
        lines.append(line)
    for name in _section_order(schema, schema.get("definitions", {})):
        if name in documented:
            continue
        definition = definitions[name]
        lines += ["", f'<a id="{_anchor(name)}"></a>', "", f"### {_title(name, definition)}", ""]
        lines += _table(definition, definitions)
    return lines


def _used_in(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, list[str]]:
    """For each definition, the fields whose value it is, e.g. ``Source`` ← `sources`."""
    found: dict[str, list[str]] = {}

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"].rsplit("/", 1)[-1]] if isinstance(node.get("$ref"), str) else []
            return own + [name for key, value in node.items() if key != "$ref" for name in refs(value)]
        if isinstance(node, list):
            return [name for value in node for name in refs(value)]
        return []

    owners = [("", schema), *((name, definitions[name]) for name in definitions)]
    for owner, definition in owners:
        for key, prop in definition.get("properties", {}).items():
            place = (
                f"`{key}` of [{_title(owner, definitions[owner])}](#{_anchor(owner)})"
                if owner
                else f"the top-level key `{key}`"
            )
            for name in dict.fromkeys(refs(prop)):
                found.setdefault(name, []).append(place)
    return found


def _section_order(schema: dict[str, Any], definitions: dict[str, Any]) -> list[str]:
    """Definitions in the order a reader meets them, depth first from the top-level keys."""
    order: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in order:
                    order.append(name)
                    visit(definitions[name])
            for key, value in node.items():
                if key != "definitions":
                    visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema.get("properties", {}))
    return order


def _table(definition: dict[str, Any], definitions: dict[str, Any], top_level: bool = False) -> list[str]:
    required = set(definition.get("required", []))
    header = "| key | type | required | description |" if top_level else "| field | type | required | description |"
    lines = [header, "|---|---|---|---|"]
    for key, prop in definition.get("properties", {}).items():
        if top_level:
            need = "yes, in one file" if key in {"company", "sources"} else "no"
        else:
            need = "yes" if key in required else "no"
        text = _one_line(prop.get("description", ""))
        if "default" in prop and prop["default"] is not None and key not in required:
            text += f" Default: `{_compact(prop['default'])}`."
        lines.append(f"| `{key}` | {_type(prop, definitions)} | {need} | {_cell(text)} |")
    return lines


def _type(node: dict[str, Any], definitions: dict[str, Any]) -> str:
    """A short human reading of a schema node's type and limits."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{_title(name, definitions[name])}](#{_anchor(name)})"
    if "anyOf" in node or "oneOf" in node:
        options = [o for o in node.get("anyOf") or node.get("oneOf") or [] if o.get("type") != "null"]
        return " or ".join(_type(o, definitions) for o in options)
    if "enum" in node or "const" in node:
        values = node.get("enum", [node.get("const")])
        return "one of " + ", ".join(f"`{v}`" for v in values)
    kind = node.get("type")
    if isinstance(kind, list):
        text = " or ".join(_type({"type": k}, definitions) for k in kind)
        return text + _count_limits(node, "minLength", "maxLength", "character", 1)
    if kind == "array":
        if isinstance(node.get("items"), list):  # a fixed-length list (draft 7 tuple form)
            kinds = [_type(item, definitions) for item in node["items"]]
            if len(set(kinds)) == 1:
                return f"list of {len(kinds)}, each {kinds[0]}"
            return f"list of {len(kinds)}: " + "; ".join(kinds)
        text = f"list of {_type(node.get('items', {}), definitions)}"
        return text + _count_limits(node, "minItems", "maxItems", "item")
    if kind == "object":
        values = node.get("additionalProperties")
        keys = node.get("propertyNames", {})
        if isinstance(values, dict):
            key_text = _type(keys, definitions) if keys else "text"
            return f"mapping of {key_text} to {_type(values, definitions)}"
        return "mapping"
    if kind == "string":
        if node.get("format") == "date":
            return "date (YYYY-MM-DD)"
        if node.get("pattern") == "^[a-z0-9][a-z0-9-]*$":
            return f"id ({SLUG_PATTERN_TEXT})" + _count_limits(node, "minLength", "maxLength", "character", 1)
        if str(node.get("pattern", "")).startswith("^https?"):
            return "URL (http or https)"
        return "text" + _count_limits(node, "minLength", "maxLength", "character", 1)
    if kind in {"integer", "number"}:
        text = "whole number" if kind == "integer" else "number"
        if "minimum" in node and "maximum" in node:
            return f"{text} {_compact(node['minimum'])} to {_compact(node['maximum'])}"
        limits = [
            f"{sign} {_compact(node[key])}"
            for key, sign in (("exclusiveMinimum", ">"), ("minimum", "≥"), ("exclusiveMaximum", "<"), ("maximum", "≤"))
            if key in node
        ]
        return " ".join([text, ", ".join(limits)]) if limits else text
    if kind == "boolean":
        return "true or false"
    return "any"


def _count_limits(node: dict[str, Any], low_key: str, high_key: str, noun: str, trivial_low: int = 0) -> str:
    low, high = node.get(low_key), node.get(high_key)
    if low is not None and low == high:
        return f", exactly {low} {noun}{'s' if low != 1 else ''}"
    if low is not None and low > trivial_low and high is not None:
        return f", {low} to {high} {noun}s"
    if low is not None and low > trivial_low:
        return f", at least {low} {noun}{'s' if low != 1 else ''}"
    if high is not None:
        return f", at most {high:,} {noun}s"
    return ""


def _title(name: str, definition: dict[str, Any]) -> str:
    return str(definition.get("title") or name)


def _anchor(name: str) -> str:
    return name.lower()


def _one_line(text: str) -> str:
    """Docstring text as one Markdown line: reST literals and roles become plain code spans."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", text).replace("``", "`")
    return " ".join(text.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _compact(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": ")) if not isinstance(value, str) else value


def _indent(lines: list[str]) -> list[str]:
    return ["  " + line for line in lines]


def write_docs(root: Path) -> list[Path]:
    """Write ``docs/inputs.md``, ``docs/thesis.schema.json`` and ``docs/thesis-project.schema.json`` under
    ``root`` (this repository, or a project made by ``thesis init``); return the paths."""
    from thesis.inputs.schema import project_schema_json, schema_json
    from thesis.outputs.files import write_atomic

    written = []
    for relative, text in (
        (REFERENCE_FILE, reference_markdown()),
        (SCHEMA_FILE, schema_json()),
        (PROJECT_SCHEMA_FILE, project_schema_json()),
    ):
        path = root / relative
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    """``python -m thesis.inputs.reference [ROOT]``: regenerate the generated docs."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    for path in write_docs(root):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
