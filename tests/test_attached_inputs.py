"""The inputs a PDF brief attaches, built as the PDF builds them but without laying a PDF out.

Unpacked beside the attached source texts, with the attached ``thesis.yaml``
and nothing else, they load with the project's loader into the thesis the
brief was made from and give its score, whatever the texts hold and wherever
the scoring came from (the project's ``thesis.yaml``, the inputs' own block,
``--weights``). The PDF itself is rendered in test_pdf_inputs_as_of and
test_pdf.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import yaml

from tests.builders import base_inputs, write_project
from thesis.commands.render import Prepared, prepare
from thesis.inputs.loader import load_company
from thesis.project import Project
from thesis.render.brief import inputs_attachments
from thesis.scoring.asof import as_of_view
from thesis.verify.recheck import attachment_name

AS_OF = dt.date(2025, 9, 30)


def unpack(project: Project, prepared: Prepared, folder: Path) -> dict[str, bytes]:
    """What the PDF brief of ``prepared`` attaches, but the snapshot, written under ``folder``."""
    brief = prepared.brief
    files = {a.name: a.data for a in inputs_attachments(project, brief, prepared.loaded)}
    for entry in brief.bibliography:
        files[attachment_name(brief.company_id, entry.source.file)] = prepared.loaded.source_texts[
            entry.source.id
        ].encode()
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return files


def test_texts_of_every_form_come_back_as_they_were_written(tmp_path: Path) -> None:
    inputs = copy.deepcopy(base_inputs())
    company = inputs["company"]["company"]
    company["tickers"].append({"symbol": "9988", "exchange": "HKEX"})
    company["summary"] = "Acme: *cloud* leader.\n\n# Not a heading in YAML\n- nor a list: 'quoted' \"twice\" — 阿里巴巴"
    point = inputs["points"]["points"][0]
    point["title"] = "yes"  # YAML 1.1 would read it unquoted as true
    point["body"] = "Line one: with a colon\n  indented line\n\n*starts with a star* and ends with a hash #"
    point["since"] = "2025-02-01"
    inputs["catalysts"] = {
        "catalysts": [
            {"id": "q4", "title": "2026", "kind": "earnings", "expected": "2026-02-20", "tests": ["growth"]},
            {"id": "later", "title": "Null", "kind": "other", "timing": "~ no date: the sources give none"},
        ]
    }
    inputs["scenarios"] = {
        "scenarios": {
            "metric": "Market value",
            "unit": "USD bn",
            "current": 1e-3,
            "date": "2025-07-01",
            "cases": [
                {"name": "bull", "probability": 0.4, "value": 1.5e12},
                {"name": "bear", "probability": 0.6, "value": -0.5},
            ],
        }
    }
    write_project(tmp_path / "desk", inputs)
    project = Project(tmp_path / "desk")
    prepared = prepare(project, "acme", AS_OF)
    unpack(project, prepared, tmp_path / "out")
    again = prepare(Project(tmp_path / "out"), "acme", AS_OF).brief
    assert again.thesis.model_copy(update={"scoring": None}) == prepared.brief.thesis
    assert again.scorecard == prepared.brief.scorecard
    shown = again.thesis
    assert shown.company.current_summary == company["summary"]
    assert shown.points[0].current_title == "yes" and shown.points[0].since == dt.date(2025, 2, 1)
    assert shown.scenarios is not None and shown.scenarios.cases[0].value == 1.5e12
    beta = shown.source("beta").published
    assert beta.estimated and beta.basis == "cites full-year 2024 cash flow"


def test_the_scoring_of_the_project_the_inputs_and_weights_is_attached_whole(tmp_path: Path) -> None:
    """Loaded from the attachments alone, the inputs score as the brief did: the project's thesis.yaml, the
    inputs' own block and the --weights file are in the attached scoring block, merged."""
    inputs = copy.deepcopy(base_inputs())
    inputs["scoring"] = {"scoring": {"category_weights": {"cloud": 2.0}, "shrinkage": 3}}
    root = tmp_path / "desk"
    root.mkdir()
    (root / "thesis.yaml").write_text("desk: Weighted desk\nscoring:\n  half_life_days: 90\n", encoding="utf-8")
    write_project(root, inputs)
    weights = tmp_path / "weights.yaml"
    weights.write_text("constraint_weight: 2.5\n", encoding="utf-8")
    project = Project(root)
    prepared = prepare(project, "acme", AS_OF, weights=weights)
    config = prepared.brief.scorecard.config
    assert (config.half_life_days, config.category_weights["cloud"], config.constraint_weight) == (90, 2.0, 2.5)
    files = unpack(project, prepared, tmp_path / "out")
    assert yaml.safe_load(files["thesis.yaml"]) == {"desk": "Weighted desk", "record": "working-tree"}
    again = prepare(Project(tmp_path / "out"), "acme", AS_OF).brief
    assert again.scorecard == prepared.brief.scorecard
    assert prepare(project, "acme", AS_OF).brief.scorecard.score != again.scorecard.score  # the weights count


def test_a_source_s_original_document_is_not_named_since_it_is_not_attached(tmp_path: Path) -> None:
    inputs = copy.deepcopy(base_inputs())
    inputs["sources"]["sources"][0]["original"] = "sources/originals/alpha.html"
    folder = write_project(tmp_path / "desk", inputs)
    (folder / "sources" / "originals").mkdir()
    (folder / "sources" / "originals" / "alpha.html").write_text("<p>Acme Cloud</p>", encoding="utf-8")
    project = Project(tmp_path / "desk")
    prepared = prepare(project, "acme", AS_OF)
    files = unpack(project, prepared, tmp_path / "out")
    assert "originals" not in files[f"inputs/acme/thesis-as-of-{AS_OF.isoformat()}.yaml"].decode()
    again = load_company(Project(tmp_path / "out"), "acme").thesis
    assert again.source("alpha").original is None
    assert as_of_view(again, AS_OF).points == prepared.brief.thesis.points


def test_the_same_brief_attaches_the_same_bytes(tmp_path: Path) -> None:
    write_project(tmp_path)
    project = Project(tmp_path)
    first, second = (prepare(project, "acme", AS_OF) for _ in range(2))
    assert [(a.name, a.data) for a in inputs_attachments(project, first.brief, first.loaded)] == [
        (a.name, a.data) for a in inputs_attachments(project, second.brief, second.loaded)
    ]


def test_the_prices_known_on_the_date_are_attached_and_none_later(tmp_path: Path) -> None:
    """The brief charts its prices up to its date: those are attached, so the unpacked project charts the same."""
    from tests.test_track_record import fixture_prices

    inputs = copy.deepcopy(base_inputs())
    inputs["company"]["company"].update(currency="USD", benchmark="Fixture index")
    raw = {"prices.csv": fixture_prices(100, 2, 1), "benchmark.csv": fixture_prices(1000, 10, 5)}
    write_project(tmp_path / "desk", inputs, raw=raw)
    project = Project(tmp_path / "desk")
    prepared = prepare(project, "acme", AS_OF)
    files = unpack(project, prepared, tmp_path / "out")
    for name in ("prices.csv", "benchmark.csv"):
        lines = files[f"inputs/acme/{name}"].decode().splitlines()
        assert lines[1] == "date,close" and lines[-1].startswith("2025-09-15,")  # the last close by 30 September
    again = prepare(Project(tmp_path / "out"), "acme", AS_OF).brief
    assert again.prices == prepared.brief.prices and again.track_record == prepared.brief.track_record
    assert prepared.brief.track_record is not None and prepared.brief.track_record.calls
