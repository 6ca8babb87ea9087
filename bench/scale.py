"""How big a thesis can get: generate one, render it (HTML and PDF), measure each stage.

    .venv/bin/python bench/scale.py                          # 1,000 points, 200 metrics, 100 sources
    .venv/bin/python bench/scale.py --points 100 --metrics 20 --sources 10

A thesis of the given size is generated into a temporary project (every quote
is a verbatim sentence of its archived source, so every quote verifies), then:

1. a child process runs the render in-process, with each stage of the pipeline
   wrapped to record its wall time and the process's peak memory (``ru_maxrss``)
   when it ends: load and validate, verify quotes, score, build the brief,
   HTML, PDF, snapshot, write;
2. the real command ``thesis render`` runs in a fresh process and is timed end
   to end, with the child's peak memory from ``getrusage(RUSAGE_CHILDREN)``.

Nothing here is asserted: the numbers are printed (and, with ``--markdown``,
as the table that docs/limits.md quotes). The test suite renders a 100-point
thesis made by :func:`generate` to prove that it works.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPANY = "scale"
AS_OF = dt.date(2025, 9, 30)
CATEGORIES = ("cloud", "models", "chips", "capital", "geopolitics", "regulation", "competition", "consumer")
SENTENCES_PER_SOURCE = 60


def sentence(source: int, line: int) -> str:
    """Line ``line`` of source ``source``: a sentence with a number in it, unique across all sources."""
    value = (source * 37 + line * 11) % 997 + 0.5
    return f"In period {line} the desk recorded figure {source}-{line} at {value} units, per report {source}."


def value_of(source: int, line: int) -> float:
    return (source * 37 + line * 11) % 997 + 0.5


def generate(root: Path, points: int = 1000, metrics: int = 200, sources: int = 100, constraints: int = 20) -> Path:
    """Write a project (``thesis.yaml``) with one company of the given size under ``root``; return its folder."""
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "thesis.yaml").exists():
        (root / "thesis.yaml").write_text("desk: Benchmark desk\n", encoding="utf-8")
    folder = root / "inputs" / COMPANY
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    source_list = []
    for s in range(sources):
        text = "\n".join(sentence(s, line) for line in range(SENTENCES_PER_SOURCE)) + "\n"
        (folder / "sources" / f"s{s:03d}.txt").write_text(text, encoding="utf-8")
        published = dt.date(2024, 1, 1) + dt.timedelta(days=s * 5)
        source_list.append(
            {
                "id": f"s{s:03d}",
                "title": f"Report number {s} on the company",
                "publisher": f"Publisher {s % 7}",
                "published": published.isoformat(),
                "url": f"https://example.com/reports/{s}",
                "retrieved": (published + dt.timedelta(days=3)).isoformat(),
                "file": f"sources/s{s:03d}.txt",
                "reliability": "ABCDEF"[s % 6],
            }
        )

    def citation(n: int, k: int) -> dict[str, Any]:
        s, line = (n * 7 + k * 13) % sources, (n + k * 3) % SENTENCES_PER_SOURCE
        return {"source": f"s{s:03d}", "quote": sentence(s, line), "credibility": 1 + (n + k) % 6}

    point_list = [
        {
            "id": f"p{n:04d}",
            "stance": "bull" if n % 3 else "bear",
            "title": f"Claim number {n} about the business",
            "category": CATEGORIES[n % len(CATEGORIES)],
            "impact": 1 + n % 5,
            "body": f"Point {n} argues, with **emphasis**, that the figures support a view; see [the report](https://example.com/{n}).",
            "evidence": [citation(n, k) for k in range(1 + n % 2)],
        }
        for n in range(points)
    ]
    metric_list = []
    for m in range(metrics):
        observations = []
        for k in range(5):
            s, line = (m * 3 + k) % sources, (m + k * 7) % SENTENCES_PER_SOURCE
            observations.append(
                {
                    "value": value_of(s, line),
                    "period": f"P{line}",
                    "source": f"s{s:03d}",
                    "quote": sentence(s, line),
                }
            )
        metric_list.append(
            {
                "id": f"m{m:03d}",
                "name": f"Measure {m}",
                "unit": "units",
                "higher_is_better": m % 2 == 0,
                "observations": observations,
            }
        )
    constraint_list = [
        {
            "id": f"c{c:02d}",
            "item": f"Controlled item {c}",
            "status": ("licensed", "restricted", "blocked")[c % 3],
            "authority": "Export rules",
            "effective": (dt.date(2024, 6, 1) + dt.timedelta(days=c)).isoformat(),
            "affects": ["training"],
            "severity": 1 + c % 5,
            "evidence": [citation(c + 5000, 0)],
        }
        for c in range(constraints)
    ]
    documents = {
        "company": {
            "company": {
                "name": "Scale Test Holdings",
                "short_name": "Scale",
                "tickers": [{"symbol": "SCL", "exchange": "NYSE"}],
                "sector": "Everything",
                "headquarters": "Springfield",
                "analyst": "Bench desk",
                "summary": "A generated company with a very large thesis.",
            }
        },
        "sources": {"sources": source_list},
        "points": {"points": point_list},
        "metrics": {"metrics": metric_list},
        "constraints": {"constraints": constraint_list},
    }
    for name, content in documents.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return folder


# The child: render in-process with each pipeline stage wrapped to record its time and the peak memory so far.
STAGED = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
import thesis.commands.render, thesis.render.brief, thesis.outputs.snapshot, thesis.outputs.files

stages = []
def timed(module, name, label):
    real = getattr(module, name)
    def wrapper(*args, **kwargs):
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            stages.append((label, time.perf_counter() - start, time.process_time() - cpu_start, peak))
    setattr(module, name, wrapper)

timed(thesis.commands.render, "load_company", "load and validate")
timed(thesis.commands.render, "verify", "verify quotes")
timed(thesis.commands.render, "score", "score")
timed(thesis.commands.render, "build_brief", "build the brief")
timed(thesis.render.brief, "render_html", "HTML")
timed(thesis.render.brief, "render_pdf_bytes", "PDF")
timed(thesis.outputs.snapshot, "snapshot", "snapshot")
timed(thesis.commands.render, "write_all_atomic", "write")
from thesis.project import Project
start, cpu_start = time.perf_counter(), time.process_time()
project = Project(Path(sys.argv[1]), Path(sys.argv[2]))
result = thesis.commands.render.render(project, sys.argv[3], dt.date.fromisoformat(sys.argv[4]))
total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
print(json.dumps({"stages": stages, "total": total, "cpu": cpu, "sizes": result.sizes,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def run_staged(root: Path) -> dict[str, Any]:
    out = root / "staged-out"
    done = subprocess.run(
        [sys.executable, "-c", STAGED, str(root), str(out), COMPANY, AS_OF.isoformat()],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the staged render failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_command(root: Path) -> tuple[float, float, int, str]:
    """The real ``thesis render`` in a fresh process: wall and CPU time, its own peak memory (KiB), its last line."""
    thesis = str(Path(sys.executable).parent / "thesis")
    out = root / "command.log"
    start = time.perf_counter()
    with out.open("wb") as log:
        child = subprocess.Popen(
            [thesis, "render", COMPANY, "--as-of", AS_OF.isoformat(), "--out", str(root / "command-out")],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource usage, peak memory included
        child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    text = out.read_text(encoding="utf-8", errors="replace")
    if child.returncode != 0:
        raise SystemExit(f"thesis render failed ({child.returncode}):\n{text[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, text.strip().splitlines()[-1]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return f"{cpu}, {os.cpu_count()} CPUs{memory}{load}; Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--metrics", type=int, default=200)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--constraints", type=int, default=20)
    parser.add_argument("--markdown", action="store_true", help="Print the results as a Markdown table.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thesis-scale-") as temporary:
        root = Path(temporary)
        start = time.perf_counter()
        folder = generate(root, args.points, args.metrics, args.sources, args.constraints)
        generated = time.perf_counter() - start
        input_bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        staged = run_staged(root)
        elapsed, cpu, peak_kib, last_line = run_command(root)
    size = f"{args.points:,} points, {args.metrics:,} metrics, {args.sources:,} sources, {args.constraints} constraints"
    print(f"{size}; inputs {input_bytes / 1024:,.0f} KiB (generated in {generated:.1f} s)")
    print(f"machine: {machine()}")
    rows = staged["stages"]
    if args.markdown:
        print("\n| stage | wall (s) | CPU (s) | peak memory so far (MiB) |\n|---|---:|---:|---:|")
        for label, seconds, cpu_seconds, peak in rows:
            print(f"| {label} | {seconds:.1f} | {cpu_seconds:.1f} | {peak / 1024:.0f} |")
        print(
            f"| **render, in-process total** | **{staged['total']:.1f}** | **{staged['cpu']:.1f}** "
            f"| **{staged['peak'] / 1024:.0f}** |"
        )
        print(f"| **`thesis render`, fresh process** | **{elapsed:.1f}** | **{cpu:.1f}** | **{peak_kib / 1024:.0f}** |")
    else:
        for label, seconds, cpu_seconds, peak in rows:
            print(f"  {label:<20} {seconds:8.1f} s wall {cpu_seconds:8.1f} s CPU   peak so far {peak / 1024:6.0f} MiB")
        total = f"{staged['total']:8.1f} s wall {staged['cpu']:8.1f} s CPU   peak {staged['peak'] / 1024:6.0f} MiB"
        print(f"  {'in-process total':<20} {total}")
        print(f"  {'thesis render':<20} {elapsed:8.1f} s wall {cpu:8.1f} s CPU   peak {peak_kib / 1024:6.0f} MiB")
    sizes = ", ".join(f"{k} {v / 1024:,.0f} KiB" for k, v in staged["sizes"].items())
    print(f"outputs: {sizes}")
    print(f"command said: {last_line}")


if __name__ == "__main__":
    main()
