"""Theses of extreme shapes, for the layout test and its screenshots.

Each shape is the small Acme thesis of :mod:`tests.builders` pushed to one
limit a real company could reach: a very long summary, sector, title or
unbroken word, many listings, CJK names, one point only, 200 points. Run
``python -m tests.layout_shapes`` to render each one's first page into
``tests/artifacts/`` (then look at them).
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.builders import base_inputs, write_project

AS_OF = dt.date(2025, 9, 30)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Quotes found verbatim in the builders' source texts, so every point is verified.
QUOTE_A = "Acme Cloud grew revenue 40% in 2024"
QUOTE_B = "free cash flow turned negative"

Inputs = dict[str, Any]


def _sentences(characters: int) -> str:
    """Plain prose of about ``characters`` characters, in sentences, with a paragraph break now and then."""
    sentence = (
        "Acme keeps growing its cloud business while spending heavily on data centres, "
        "and the thesis weighs that growth against the cash it burns. "
    )
    text = ""
    count = 0
    while len(text) < characters:
        text += sentence
        count += 1
        if count % 5 == 0:
            text += "\n\n"
    return text[:characters].rsplit(" ", 1)[0] + "."


def _point(index: int, stance: str, title: str | None = None, body: str = "Revenue grew **40%**.") -> dict[str, Any]:
    quote = QUOTE_A if stance == "bull" else QUOTE_B
    source = "alpha" if stance == "bull" else "beta"
    return {
        "id": f"{stance}-{index}",
        "stance": stance,
        "title": title or f"{stance.capitalize()} point number {index} about the cloud business",
        "category": "cloud" if stance == "bull" else "capital",
        "impact": 1 + index % 5,
        "body": body,
        "evidence": [{"source": source, "quote": quote, "credibility": 2 + index % 3}],
    }


def long_text() -> Inputs:
    """A 3,000-character summary, a 300-character name, a 300-character point title, a 500-character word."""
    inputs = base_inputs()
    company = inputs["company"]["company"]
    word = "Hyper" + "x" * 490 + "Cloud"
    company["name"] = ("Acme Consolidated International Cloud Computing and Semiconductor Holdings " * 4)[:300].strip()
    company["summary"] = _sentences(3000).replace("data centres,", f"data centres ({word}),", 1)
    points = inputs["points"]["points"]
    points[0]["title"] = ("Fast cloud growth across every region and product line, ahead of all rivals " * 4)[:300]
    points[0]["body"] = f"The model {word} leads its benchmarks. " + points[0]["body"]
    return inputs


def title_band() -> Inputs:
    """An 80-character sector and five listings."""
    inputs = base_inputs()
    company = inputs["company"]["company"]
    company["sector"] = "Internet platforms, e-commerce, cloud computing and artificial-intelligence models"[:80]
    company["tickers"] = [
        {"symbol": "ACME", "exchange": "NYSE"},
        {"symbol": "9999", "exchange": "HKEX"},
        {"symbol": "ACMEF", "exchange": "OTC Markets"},
        {"symbol": "ACM1", "exchange": "Xetra"},
        {"symbol": "ACME.L", "exchange": "London Stock Exchange"},
    ]
    return inputs


def cjk() -> Inputs:
    """Chinese names throughout the first page."""
    inputs = base_inputs()
    company = inputs["company"]["company"]
    company["name"] = "阿里巴巴集团控股有限公司（云计算、电子商务与人工智能）"
    company["short_name"] = "阿里巴巴"
    company["sector"] = "互联网、电子商务与云计算、人工智能大模型与芯片设计"
    company["headquarters"] = "中国浙江省杭州市余杭区"
    company["analyst"] = "研究部 张伟"
    company["summary"] = "阿里巴巴正在从电商公司转型为全栈人工智能公司。" * 12
    points = inputs["points"]["points"]
    points[0]["title"] = "中国最大的云服务提供商，人工智能收入连续多个季度实现三位数增长"
    points[1]["title"] = "自由现金流转负，资本开支大幅增加"
    return inputs


def one_point() -> Inputs:
    """A single bull point and nothing else to weigh."""
    inputs = base_inputs()
    inputs["points"]["points"] = inputs["points"]["points"][:1]
    return inputs


def many_points() -> Inputs:
    """200 points, 100 on each side."""
    inputs = base_inputs()
    inputs["points"]["points"] = [_point(i, "bull") for i in range(100)] + [_point(i, "bear") for i in range(100)]
    return inputs


def crowded_cover() -> Inputs:
    """Everything on the first page at its longest: a one-paragraph 3,000-character summary, five points a
    side and three controls, every title and item 300 characters."""
    inputs = base_inputs()
    long = ("Acme's data-centre build-out outpaces every rival in every region while cash burns " * 4)[:300]
    inputs["company"]["company"]["summary"] = _sentences(3000).replace("\n\n", "")
    inputs["points"]["points"] = [_point(i, "bull", long) for i in range(5)] + [
        _point(i, "bear", long) for i in range(5)
    ]
    first = inputs["constraints"]["constraints"][0]
    inputs["constraints"]["constraints"] = [
        {**copy.deepcopy(first), "id": f"control-{i}", "item": long} for i in range(3)
    ]
    return inputs


SHAPES: dict[str, Callable[[], Inputs]] = {
    "crowded-cover": crowded_cover,
    "long-text": long_text,
    "title-band": title_band,
    "cjk": cjk,
    "one-point": one_point,
    "200-points": many_points,
}


def write_shape(root: Path, name: str) -> Path:
    """Write the shape ``name`` as a project under ``root``; returns the project root."""
    write_project(root, copy.deepcopy(SHAPES[name]()))
    return root


def main(argv: list[str]) -> int:
    """Render each shape (or those named) and keep its first page as tests/artifacts/<shape>-page1.png."""
    import subprocess
    import tempfile

    from thesis.commands.render import prepare
    from thesis.project import Project
    from thesis.render.brief import render_html
    from thesis.render.pdf import render_pdf

    ARTIFACTS.mkdir(exist_ok=True)
    for name in argv or list(SHAPES):
        with tempfile.TemporaryDirectory() as folder:
            project = Project(write_shape(Path(folder), name))
            brief = prepare(project, "acme", AS_OF).brief
            pdf = Path(folder) / "brief.pdf"
            created = dt.datetime.combine(AS_OF, dt.time(0, 0), tzinfo=dt.UTC)
            pdf.write_bytes(render_pdf(render_html(project, brief), project.templates_dirs, name, created))
            target = ARTIFACTS / f"{name}-page1"
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, target], check=True
            )
            print(f"wrote {target}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
