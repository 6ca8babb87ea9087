from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.builders import base_inputs, write_project
from thesis.errors import InputError
from thesis.inputs.loader import load


def problems_for(tmp_path: Path, inputs: dict | None = None, raw: dict[str, str] | None = None) -> list[str]:
    folder = write_project(tmp_path, inputs, raw=raw)
    with pytest.raises(InputError) as caught:
        load(folder, tmp_path)
    return [p.format() for p in caught.value.problems]


def test_good_inputs_load(tmp_path: Path) -> None:
    loaded = load(write_project(tmp_path), tmp_path)
    thesis = loaded.thesis
    assert [p.id for p in thesis.points] == ["growth", "cash-burn"]
    assert thesis.source("beta").published.estimated is True
    assert thesis.source("beta").published.basis == "cites full-year 2024 cash flow"
    assert loaded.located.find(("points", 1, "evidence", 0, "quote"))[0] == "inputs/acme/points.yaml"


def test_unknown_field_suggests_the_right_name(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["titel"] = inputs["points"]["points"][0].pop("title")
    found = problems_for(tmp_path, inputs)
    assert any(
        "inputs/acme/points.yaml:" in p
        and "points[0].titel: unknown field 'titel'" in p
        and "did you mean 'title'?" in p
        for p in found
    )
    # the misspelling is reported once, not also as the missing field it was meant to be
    assert not any("missing required field 'title'" in p for p in found)


def test_every_problem_is_reported_at_once_with_lines(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["impact"] = 9
    inputs["points"]["points"][1]["stance"] = "sideways"
    found = problems_for(tmp_path, inputs)
    assert len(found) == 2
    assert found[0].startswith("inputs/acme/points.yaml:6 points[0].impact: Input should be less than or equal to 5")
    assert "points[1].stance" in found[1] and "'bull' or 'bear'" in found[1]


def test_duplicate_key_is_rejected(tmp_path: Path) -> None:
    text = "company:\n  name: A\n  name: B\n"
    found = problems_for(tmp_path, raw={"company.yaml": text})
    assert found == [
        "inputs/acme/company.yaml:3 company.name: duplicate key 'name' (first at line 2)\n"
        "    fix: keep one of the two; YAML would silently drop the first"
    ]


def test_tab_indentation_is_named(tmp_path: Path) -> None:
    found = problems_for(tmp_path, raw={"company.yaml": "company:\n\tname: A\n"})
    assert found[0].startswith("inputs/acme/company.yaml:2: YAML syntax error: a tab character")
    assert "indent with spaces" in found[0]


def test_unknown_source_and_duplicate_id(tmp_path: Path) -> None:
    inputs = base_inputs()
    points = inputs["points"]["points"]
    points[1]["evidence"][0]["source"] = "alfa"
    points.append(copy.deepcopy(points[0]))
    found = problems_for(tmp_path, inputs)
    assert any("points[2].id: duplicate id 'growth'" in p for p in found)
    assert any(
        "points[1].evidence[0].source: unknown source 'alfa'" in p and "did you mean 'alpha'?" in p for p in found
    )


def test_empty_file_and_alias(tmp_path: Path) -> None:
    found = problems_for(tmp_path, raw={"extra.yaml": ""})
    assert found == ["inputs/acme/extra.yaml:1: the file is empty\n    fix: add the top-level keys, or delete the file"]
    found = problems_for(tmp_path, raw={"extra.yaml": "scoring: &a {shrinkage: 1}\nscenarios: *a\n"})
    assert any("anchors and aliases are not supported" in p for p in found)


def test_source_file_cannot_escape(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["sources"]["sources"][0]["file"] = "../../secret.txt"
    found = problems_for(tmp_path, inputs)
    assert any("sources[0].file: source file '../../secret.txt' is outside the company folder" in p for p in found)


def test_estimated_date_needs_basis(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["sources"]["sources"][1]["published"] = {"estimate": "2025-06-01"}
    found = problems_for(tmp_path, inputs)
    assert any("sources[1].published: an estimated date needs a basis" in p for p in found)


def test_one_walk_finds_every_citation_in_order(tmp_path: Path) -> None:
    from thesis.verify.quotes import citation_paths

    loaded = load(write_project(tmp_path), tmp_path)
    walked = [(path, item, cited.source) for path, item, cited in loaded.thesis.citations()]
    assert walked == [
        (("points", 0, "evidence", 0), "growth", "alpha"),
        (("points", 1, "evidence", 0), "cash-burn", "beta"),
        (("metrics", 0, "observations", 0), "cloud-share", "alpha"),
        (("constraints", 0, "evidence", 0), "chip-controls", "alpha"),
    ]
    assert [p[0] for p in citation_paths(loaded)] == [(*path, "quote") for path, _, _ in walked]
