"""Regenerate docs/brief-first-page.png, the README's picture of the brief (``make readme-picture``).

Renders the Alibaba PDF at a fixed date into a temporary folder and rasterises
its first page with poppler's pdftoppm, so the picture is exactly what a reader
of the PDF sees.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
WIDTH_PX = 900


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "thesis", "render", "alibaba", "--as-of", AS_OF, "--format", "pdf", "--out", tmp],
            check=True,
            cwd=ROOT,
        )
        pdf = Path(tmp) / "alibaba" / AS_OF / f"alibaba-{AS_OF}.pdf"
        target = ROOT / "docs" / "brief-first-page"
        subprocess.run(
            ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", str(WIDTH_PX), "-scale-to-y", "-1"]
            + [str(pdf), str(target)],
            check=True,
        )
    print(f"wrote {target.relative_to(ROOT)}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
