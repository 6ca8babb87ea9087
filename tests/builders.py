"""Small fixture builders: a tiny thesis written into a temporary project."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SOURCE_A = """Acme Cloud grew revenue 40% in 2024, the fastest of any provider.
The company holds a 30% share of the domestic cloud market.
Critics warn that “export controls” could cap its access to advanced chips — a serious risk.
"""
SOURCE_B = """Acme's free cash flow turned negative at -5 billion dollars in 2024.
Analysts see the spending as too aggressive.
"""


def base_inputs() -> dict[str, Any]:
    return {
        "company": {
            "company": {
                "name": "Acme Holdings",
                "short_name": "Acme",
                "tickers": [{"symbol": "ACME", "exchange": "NYSE"}],
                "sector": "Cloud computing",
                "headquarters": "Springfield",
                "analyst": "Test desk",
                "summary": "Acme is a *cloud* leader with cash-flow risk.",
            }
        },
        "sources": {
            "sources": [
                {
                    "id": "alpha",
                    "title": "Alpha report",
                    "publisher": "Alpha News",
                    "published": "2025-01-10",
                    "retrieved": "2025-02-01",
                    "file": "sources/alpha.txt",
                    "reliability": "B",
                },
                {
                    "id": "beta",
                    "title": "Beta note",
                    "published": {"estimate": "2025-06-01", "basis": "cites full-year 2024 cash flow"},
                    "retrieved": "2025-07-01",
                    "file": "sources/beta.txt",
                    "reliability": "C",
                },
            ]
        },
        "points": {
            "points": [
                {
                    "id": "growth",
                    "stance": "bull",
                    "title": "Fast cloud growth",
                    "category": "cloud",
                    "impact": 4,
                    "body": "Revenue grew **40%**.",
                    "evidence": [{"source": "alpha", "quote": "Acme Cloud grew revenue 40% in 2024", "credibility": 2}],
                },
                {
                    "id": "cash-burn",
                    "stance": "bear",
                    "title": "Negative free cash flow",
                    "category": "capital",
                    "impact": 3,
                    "body": "Spending outruns cash.",
                    "evidence": [{"source": "beta", "quote": "free cash flow turned negative", "credibility": 3}],
                },
            ]
        },
        "metrics": {
            "metrics": [
                {
                    "id": "cloud-share",
                    "name": "Cloud market share",
                    "unit": "%",
                    "higher_is_better": True,
                    "observations": [
                        {
                            "value": 30,
                            "period": "2024",
                            "source": "alpha",
                            "quote": "a 30% share of the domestic cloud market",
                        }
                    ],
                }
            ]
        },
        "constraints": {
            "constraints": [
                {
                    "id": "chip-controls",
                    "item": "Advanced chips",
                    "status": "restricted",
                    "authority": "US export rules",
                    "effective": "2024-10-01",
                    "affects": ["training"],
                    "severity": 3,
                    "evidence": [
                        {
                            "source": "alpha",
                            "quote": '"export controls" could cap its access to advanced chips - a serious risk',
                        }
                    ],
                }
            ]
        },
    }


def add_gamma(
    inputs: dict[str, Any],
    *,
    title: str = "Gamma wire",
    published: str = "2025-03-01",
    retrieved: str = "2025-03-02",
    reliability: str = "B",
) -> dict[str, Any]:
    """``inputs`` with a third source, gamma, archived as sources/gamma.txt (the test writes its text)."""
    inputs["sources"]["sources"].append(
        {
            "id": "gamma",
            "title": title,
            "published": published,
            "retrieved": retrieved,
            "file": "sources/gamma.txt",
            "reliability": reliability,
        }
    )
    return inputs


PROJECT_FILE = """\
desk: Test research desk
disclaimer: "For discussion only. Not investment advice."
"""


def write_project_file(root: Path, text: str = PROJECT_FILE) -> Path:
    """Make ``root`` a project: its ``thesis.yaml`` (kept if there is one already)."""
    path = root / "thesis.yaml"
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def write_project(
    root: Path, inputs: dict[str, Any] | None = None, company: str = "acme", raw: dict[str, str] | None = None
) -> Path:
    """Write a project (``thesis.yaml``) with one company; ``raw`` replaces files with exact text."""
    write_project_file(root)
    folder = root / "inputs" / company
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "sources" / "alpha.txt").write_text(SOURCE_A, encoding="utf-8")
    (folder / "sources" / "beta.txt").write_text(SOURCE_B, encoding="utf-8")
    data = copy.deepcopy(base_inputs() if inputs is None else inputs)
    for name, content in data.items():
        (folder / f"{name}.yaml").write_text(
            yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    for name, text in (raw or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def tamper_attachment(pdf: bytes, name: str, old: bytes, new: bytes) -> bytes:
    """The PDF ``pdf`` with ``old`` replaced by ``new`` in its attached file ``name`` (every copy), nothing else."""
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    changed = 0
    for index in range(0, len(names), 2):
        if names[index] == name:
            stream = names[index + 1].get_object()["/EF"]["/F"].get_object()
            data = stream.get_data()
            assert old in data, f"{name} has no {old!r}"
            stream.set_data(data.replace(old, new))
            changed += 1
    assert changed, f"no attachment {name}"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def copy_alibaba(root: Path) -> Path:
    """A project at ``root`` holding a copy of the real Alibaba inputs, to spoil; returns the company folder."""
    import shutil

    write_project_file(root)
    folder = root / "inputs" / "alibaba"
    shutil.copytree(Path(__file__).resolve().parent.parent / "inputs" / "alibaba", folder)
    return folder
