"""Time ``thesis preview``: from a save to the open page showing it, in headless Chromium.

    .venv/bin/python bench/preview.py                 # Alibaba, 15 saves
    .venv/bin/python bench/preview.py --saves 30 --company alibaba

A copy of the company's inputs goes into a scratch project, ``thesis preview``
serves it, and Chromium opens the page. Each save rewrites ``points.yaml``
with a new title for the first point; the clock runs from just before the
write until the page's text shows that title (watch, re-render, server-sent
event, reload and layout all included). Prints the median, min and max, and
the rebuild times the server reported.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--company", default="alibaba")
    parser.add_argument("--saves", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="thesis-preview-bench-") as scratch:
        project = Path(scratch)
        shutil.copytree(ROOT / "inputs" / args.company, project / "inputs" / args.company)
        if (ROOT / "thesis.yaml").is_file():
            shutil.copy(ROOT / "thesis.yaml", project / "thesis.yaml")
        process = subprocess.Popen(
            [sys.executable, "-m", "thesis", "preview", args.company, "--port", "0"],
            cwd=project,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        )
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ", 1)[1].split(" ", 1)[0]
        points = project / "inputs" / args.company / "points.yaml"
        original = points.read_text(encoding="utf-8")
        first_title = next(line for line in original.splitlines() if line.strip().startswith("title:"))
        seconds: list[float] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                for number in range(args.saves):
                    marker = f"Preview timing mark {number}"
                    indent = first_title[: len(first_title) - len(first_title.lstrip())]
                    edited = original.replace(first_title, f"{indent}title: {marker}", 1)
                    page.wait_for_timeout(300)  # let the previous reload settle
                    started = time.perf_counter()
                    points.write_text(edited, encoding="utf-8")
                    page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=30_000)
                    seconds.append(time.perf_counter() - started)
                browser.close()
        finally:
            process.terminate()
            process.communicate(timeout=30)
    ms = [s * 1000 for s in seconds]
    print(
        f"thesis preview {args.company}: save to reloaded page over {len(ms)} saves: "
        f"median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms"
    )


if __name__ == "__main__":
    main()
