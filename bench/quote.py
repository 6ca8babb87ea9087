"""Time ``thesis quote`` on the Alibaba sources: in process (load, index, search) and as a command.

    python bench/quote.py [--runs N]

In process: the median of N runs of each search, split into reading and
validating the inputs and preparing and searching the sources. As a command:
the median wall time of ``thesis quote alibaba WORDS`` in a new process,
start-up and imports included. The figures go into docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = [
    "cloud revenue grew",  # exact, in several sources
    "Alibaba has taken AI infrastructure over three years",  # approximate: words left out
    "53 billion AI infrastructure",  # a number: the observation is read too
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from thesis.inputs.loader import load
    from thesis.verify.quotes import SourceIndex
    from thesis.verify.search import observation, search

    print("| search | load inputs | index + search | command (wall) |")
    print("|---|---|---|---|")
    for words in SEARCHES:
        loads, searches, commands = [], [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            loaded = load(ROOT / "inputs" / "alibaba", ROOT)
            loaded_at = time.perf_counter()
            found = search({sid: SourceIndex(text) for sid, text in loaded.source_texts.items()}, words)
            observation(words, found[0].passage)
            done = time.perf_counter()
            loads.append(loaded_at - started)
            searches.append(done - loaded_at)
        for _ in range(max(3, args.runs // 4)):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "thesis", "quote", "alibaba", *words.split()],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            commands.append(time.perf_counter() - started)
        print(
            f"| `{words}` | {statistics.median(loads) * 1000:.0f} ms | {statistics.median(searches) * 1000:.0f} ms "
            f"| {statistics.median(commands) * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
