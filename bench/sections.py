"""Where a brief's PDF time goes, section by section: the same brief laid out with one section left out at a time.

    .venv/bin/python bench/sections.py                       # the Alibaba brief, 3 runs of each variant
    .venv/bin/python bench/sections.py nordlicht --project /tmp/p --runs 5  # a company of another project
    .venv/bin/python bench/sections.py --markdown            # the table docs/performance.md quotes

The brief's final HTML is rendered once (``thesis render COMPANY --format
html``). Then, for the whole brief and for the brief without each of its
``<section>`` elements in turn, a fresh process lays the HTML out and writes
the PDF exactly as ``thesis/render/pdf.py`` does (PDF/A-3b, tagged; no
attachments, which cost the same whichever section is left out), and reports:

- the CPU time of the layout and of writing the PDF (median of ``--runs``),
- the number of Python function calls both make (one profiled run): a count
  that does not move with the machine's load, unlike the time,
- the pages of the PDF.

The difference from the whole brief is what that section costs. Nothing is
asserted; the numbers are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# In a fresh process: lay out and write the PDF as thesis does; print the CPU seconds (or the call count).
CHILD = """
import cProfile, json, pstats, sys, time
from pathlib import Path
from thesis.render import pdf
html, templates, mode = Path(sys.argv[1]).read_text(encoding="utf-8"), Path(sys.argv[2]), sys.argv[3]
import weasyprint  # imported before the clock starts: the same for every variant
profile = cProfile.Profile() if mode == "calls" else None
start = time.process_time()
if profile: profile.enable()
document = pdf.lay_out(html, [templates], "bench")
laid_out = time.process_time()
document.write_pdf(**pdf._options("bench"))
written = time.process_time()
calls = 0
if profile:
    profile.disable()
    calls = sum(row[1] for row in pstats.Stats(profile).stats.values())
result = {"layout": laid_out - start, "write": written - laid_out, "pages": len(document.pages), "calls": calls}
print(json.dumps(result))
"""


@dataclass
class Variant:
    name: str
    html: str
    layout: list[float] = field(default_factory=list)
    write: list[float] = field(default_factory=list)
    pages: int = 0
    calls: int = 0

    @property
    def cpu(self) -> float:
        return statistics.median(a + b for a, b in zip(self.layout, self.write, strict=True))


def sections(html: str) -> list[tuple[str, int, int]]:
    """Each outermost ``<section>`` of ``html``: its id (or first class), start and end offsets."""
    found: list[tuple[str, int, int]] = []
    depth, start, name = 0, 0, ""
    for tag in re.finditer(r"<(/?)section\b([^>]*)>", html):
        if not tag.group(1):
            if depth == 0:
                start = tag.start()
                named = re.search(r'\bid="([^"]+)"', tag.group(2)) or re.search(r'\bclass="([^" ]+)', tag.group(2))
                name = named.group(1) if named else f"section {len(found) + 1}"
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                found.append((name, start, tag.end()))
    return found


def measure(variant: Variant, folder: Path, templates: Path, runs: int) -> None:
    page = folder / f"{variant.name}.html"
    page.write_text(variant.html, encoding="utf-8")
    for mode in ["time"] * runs + ["calls"]:
        done = subprocess.run(
            [PYTHON, "-c", CHILD, str(page), str(templates), mode],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout)
        variant.pages = result["pages"]
        if mode == "calls":
            variant.calls = result["calls"]
        else:
            variant.layout.append(result["layout"])
            variant.write.append(result["write"])
    print(f"  {variant.name}: {variant.cpu:.2f} s, {variant.pages} pages", file=sys.stderr)


def table(whole: Variant, parts: list[tuple[Variant, int]], total_bytes: int) -> str:
    lines = [
        "| left out | share of the HTML | pages | CPU s (median) | saves | share of the PDF's CPU "
        "| share of its calls |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| nothing (the whole brief) | | {whole.pages} | {whole.cpu:.2f} | | | |",
    ]
    for variant, size in sorted(parts, key=lambda part: part[0].cpu):
        saved = whole.cpu - variant.cpu
        calls = 1 - variant.calls / whole.calls if whole.calls else 0.0
        lines.append(
            f"| {variant.name} | {size / total_bytes:.0%} | {variant.pages} | {variant.cpu:.2f} | {saved:+.2f} s "
            f"| {saved / whole.cpu:.0%} | {calls:.0%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("company", nargs="?", default="alibaba")
    parser.add_argument("--project", type=Path, default=ROOT, help="the research project (default: this repository)")
    parser.add_argument("--as-of", default=None, help="the brief's date (default: today)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each variant (default 3)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown only")
    args = parser.parse_args(argv)
    templates = ROOT / "thesis" / "render" / "templates"
    with tempfile.TemporaryDirectory(prefix="thesis-sections-") as scratch:
        folder = Path(scratch)
        command = [PYTHON, "-m", "thesis", "--project", str(args.project), "render", args.company]
        command += ["--format", "html", "--force", "--out", str(folder / "brief")]
        if args.as_of:
            command += ["--as-of", args.as_of]
        rendered = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if rendered.returncode:
            print(rendered.stderr, end="", file=sys.stderr)
            return rendered.returncode
        html = next((folder / "brief").glob(f"{args.company}/*/{args.company}-*.html")).read_text(encoding="utf-8")
        print(f"{args.company}: {len(html):,} characters of HTML", file=sys.stderr)
        whole = Variant("whole brief", html)
        measure(whole, folder, templates, args.runs)
        parts = []
        for name, start, end in sections(html):
            variant = Variant(name, html[:start] + html[end:])
            measure(variant, folder, templates, args.runs)
            parts.append((variant, end - start))
    heading = (
        f"`bench/sections.py {args.company} --runs {args.runs}`, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: "
        f"layout and PDF writing (PDF/A-3b, tagged, no attachments) of the {args.company} brief "
        f"({len(html):,} characters of HTML), whole and with each section left out."
    )
    print(("" if args.markdown else heading + "\n\n") + table(whole, parts, len(html)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
