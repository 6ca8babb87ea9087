"""The JSON Schema editors use: it accepts every real input file and rejects what the loader rejects."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from tests.builders import base_inputs
from tests.conftest import ROOT
from thesis.cli import cli
from thesis.commands.new import scaffold
from thesis.errors import InputError
from thesis.inputs.loader import load_texts
from thesis.inputs.schema import MODELINE_PREFIX, thesis_schema
from thesis.project import Project

ALIBABA_FILES = sorted((ROOT / "inputs/alibaba").glob("*.yaml"))


def as_editor_sees_it(text: str) -> Any:
    """YAML as a YAML language server hands it to the schema: dates are strings (YAML 1.2)."""
    return json.loads(json.dumps(yaml.safe_load(text), default=lambda v: v.isoformat()))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = thesis_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(validator: jsonschema.Draft7Validator, data: Any) -> list[str]:
    return sorted("/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in validator.iter_errors(data))


def test_the_alibaba_inputs_are_all_there() -> None:
    assert {p.name for p in ALIBABA_FILES} >= {"company.yaml", "sources.yaml", "points.yaml", "metrics.yaml"}


@pytest.mark.parametrize("path", ALIBABA_FILES, ids=lambda p: p.name)
def test_every_alibaba_file_validates(validator: jsonschema.Draft7Validator, path: Path) -> None:
    assert errors(validator, as_editor_sees_it(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", ALIBABA_FILES, ids=lambda p: p.name)
def test_every_alibaba_file_points_its_editor_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE_PREFIX + "../../docs/thesis.schema.json"
    assert (path.parent / first.removeprefix(MODELINE_PREFIX)).resolve() == ROOT / "docs/thesis.schema.json"


def test_the_scaffold_validates(validator: jsonschema.Draft7Validator, tmp_path: Path) -> None:
    made = scaffold(Project(tmp_path), "globex", "Globex", ["GBX:NYSE", "9988:HKEX"], dt.date(2025, 1, 2))
    for path in made.files:
        if path.suffix == ".yaml":
            assert errors(validator, as_editor_sees_it(path.read_text(encoding="utf-8"))) == [], path.name


def _point(**changes: Any) -> dict[str, Any]:
    point = dict(base_inputs()["points"]["points"][0])
    point.update(changes)
    return {"points": [point]}


def _source(**changes: Any) -> dict[str, Any]:
    source = dict(base_inputs()["sources"]["sources"][0])
    source.update(changes)
    return {"sources": [source]}


BROKEN: dict[str, tuple[dict[str, Any], str]] = {
    "a misspelt field": (_point(impakt=3), "points/0: Additional properties are not allowed ('impakt'"),
    "an unknown stance": (_point(stance="bullish"), "points/0/stance: 'bullish' is not one of"),
    "impact out of range": (_point(impact=9), "points/0/impact: 9 is greater than the maximum of 5"),
    "no evidence": (_point(evidence=[]), "points/0/evidence: [] should be non-empty"),
    "an id with capitals": (_point(id="Growth"), "points/0/id: 'Growth' does not match"),
    "a date in words": (_source(published="May 2025"), "sources/0/published: 'May 2025' is not valid"),
    "an estimate without a basis": (
        _source(published={"estimate": "2025-05-01"}),
        "sources/0/published: {'estimate': '2025-05-01'} is not valid",
    ),
    "an impossible date": (_source(retrieved="2025-02-30"), "sources/0/retrieved: '2025-02-30' is not a 'date'"),
    "an unknown reliability grade": (_source(reliability="G"), "sources/0/reliability: 'G' is not one of"),
    "an unknown top-level key": ({"pointz": []}, ": Additional properties are not allowed ('pointz'"),
    "a list where a mapping belongs": ({"company": ["Acme"]}, "company: ['Acme'] is not of type 'object'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_schema_rejects_a_broken_file(validator: jsonschema.Draft7Validator, case: str) -> None:
    data, expected = BROKEN[case]
    found = errors(validator, json.loads(json.dumps(data)))
    assert any(message.startswith(expected) for message in found), found


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_loader_rejects_what_the_schema_rejects(case: str, tmp_path: Path) -> None:
    """The editor's red squiggle and `thesis check` agree: every broken file also fails to load."""
    data, _ = BROKEN[case]
    documents = {f"{name}.yaml": yaml.safe_dump(content) for name, content in base_inputs().items()}
    key = next(iter(data))
    file = f"{key}.yaml" if f"{key}.yaml" in documents else "extra.yaml"
    documents[file] = yaml.safe_dump(data)
    with pytest.raises(InputError):
        load_texts(documents, tmp_path)


def test_schema_command_prints_the_schema_and_writes_it(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(cli, ["schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.output) == thesis_schema()
    out = tmp_path / "thesis.schema.json"
    written = runner.invoke(cli, ["schema", "--out", str(out)])
    assert written.exit_code == 0 and f"wrote {out}" in written.output
    assert out.read_text(encoding="utf-8") == printed.output


def test_every_top_level_key_is_optional_in_one_file(validator: jsonschema.Draft7Validator) -> None:
    """Each file holds some of the keys; only the merged folder needs company and sources."""
    assert errors(validator, {"points": []}) == []
    assert "required" not in thesis_schema()
