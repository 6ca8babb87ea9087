"""Measure thesis against its limits, side by side, on this machine; write docs/performance.md.

    make bench                                   # everything, 5 runs each
    .venv/bin/python bench/run.py --runs 7 --universe-runs 3 --size 100

Every row runs a fresh process (a "cold" command: interpreter start-up and
imports included; the disk cache is warm, after one untimed warm-up run) and
reports the median, min and max wall time of the runs, and the median CPU time
(user + system, the process and its children). Cold renders always pass
``--force`` so the render cache cannot short-circuit them.

Rows:
- ``thesis render COMPANY`` (HTML + PDF) against the previous release
  (``--baseline``, a git revision, default ``d792126``), installed from git
  into its own virtualenv under ``build/bench-baseline/`` and rendering its own
  inputs for that company from its own tree, in the same run;
- ``thesis render COMPANY`` against its limit, WeasyPrint alone in
  a fresh process turning the same final HTML into a PDF with the same options
  (PDF/A-3b, tagged, the same attachments); also WeasyPrint with its defaults;
- the HTML-only render; cold ``thesis check``, ``score`` and ``diff`` against a
  bare ``python -c "import weasyprint"`` (and ``python -c pass``, the floor);
- a peer, pandoc with its WeasyPrint engine on the same brief (skipped, with a
  note, when pandoc is not installed; ``make bench`` installs it);
- a generated universe of ``--size`` companies (copies of the test suite's
  small company with varied names) rendered serially, with ``--jobs 2``, on
  two local Dask workers (``--executor dask``, when the dask extra is installed),
  with one company changed, and with nothing changed.

The measured table replaces the part of docs/performance.md between the
``bench:start`` and ``bench:end`` markers; the rest of that file is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.builders import base_inputs, write_project  # noqa: E402

BIN = Path(sys.executable).parent
THESIS = str(BIN / "thesis")
PYTHON = sys.executable
START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
UNIVERSE_AS_OF = "2025-09-30"
BASELINE = "d792126"  # the last release before the layout and speed work of issue 17

# WeasyPrint alone, in a fresh process: the same HTML, base URL and PDF options
# as thesis/render/pdf.py (PDF/A-3b, tagged, the JSON snapshot and the inputs attached).
LIMIT_SAME_OPTIONS = """
import sys
from pathlib import Path
import weasyprint
html, base, target, inputs, snapshot = sys.argv[1:6]
files = [weasyprint.Attachment(string=Path(snapshot).read_bytes(), name=Path(snapshot).name)]
files += [weasyprint.Attachment(string=p.read_bytes(), name=p.name) for p in sorted(Path(inputs).glob("*.yaml"))]
document = weasyprint.HTML(string=Path(html).read_text(encoding="utf-8"), base_url=base)
document.write_pdf(target, pdf_variant="pdf/a-3b", pdf_tags=True, attachments=files)
"""
LIMIT_DEFAULTS = """
import sys
from pathlib import Path
import weasyprint
html, base, target = sys.argv[1:4]
weasyprint.HTML(string=Path(html).read_text(encoding="utf-8"), base_url=base).write_pdf(target)
"""

ADJECTIVES = ("Northern", "Pacific", "Golden", "United", "Silver", "Eastern", "Harbour", "Summit", "Delta", "Crown")
NOUNS = ("Cloud", "Logistics", "Retail", "Semiconductor", "Payments", "Media", "Energy", "Biotech", "Motors", "Foods")


@dataclass
class Row:
    what: str
    command: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    cpu_counted: bool = True  # false when worker processes are not our descendants' to account

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    def cells(self) -> list[str]:
        if not self.walls:
            return [self.what, f"`{self.command}`", "0", "–", "–", "–", "–"]
        return [
            self.what,
            f"`{self.command}`",
            str(len(self.walls)),
            f"{self.median:.2f}",
            f"{min(self.walls):.2f}",
            f"{max(self.walls):.2f}",
            f"{self.cpu:.2f}" if self.cpu_counted else "–",
        ]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    what: str,
    argv: Sequence[str],
    runs: int,
    *,
    cwd: Path = ROOT,
    shown: str | None = None,
    ok: Sequence[int] = (0,),
    before: Callable[[], None] | None = None,
    env: dict[str, str] | None = None,
    warm_up: bool = True,
) -> Row:
    """Run ``argv`` ``runs`` times timed (after one untimed run unless ``warm_up`` is false).

    Every run must exit with a code in ``ok``.
    """
    row = Row(what, shown or " ".join(argv))
    print(f"  {what}: ", end="", file=sys.stderr, flush=True)
    for attempt in range(0 if warm_up else 1, runs + 1):
        if before is not None:
            before()
        cpu = children_cpu()
        started = time.perf_counter()
        done = subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        cpu = children_cpu() - cpu
        if done.returncode not in ok:
            raise SystemExit(f"\n{' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
        if attempt:  # attempt 0 warms the disk cache and is not counted
            row.walls.append(wall)
            row.cpus.append(cpu)
            print(f"{wall:.2f}s ", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return row


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break

    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    pandoc = shutil.which("pandoc")
    pandoc_version = (
        subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        if pandoc
        else "not installed"
    )
    return [
        ("CPU", cpu),
        ("Cores", str(os.cpu_count())),
        ("RAM", memory),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("WeasyPrint", package("weasyprint")),
        ("pydyf", package("pydyf")),
        ("thesis", package("thesis")),
        ("pandoc", pandoc_version),
    ]


def make_universe(root: Path, size: int) -> None:
    """``size`` companies, each the test suite's small company under a different name."""
    for index in range(size):
        inputs = base_inputs()
        name = f"{ADJECTIVES[index % 10]} {NOUNS[index // 10 % 10]} {index:03d}"
        company = inputs["company"]["company"]
        company["name"] = f"{name} Holdings"
        company["short_name"] = name
        company["tickers"] = [{"symbol": f"U{index:03d}", "exchange": "NYSE"}]
        write_project(root, inputs, company=f"co-{index:03d}")


def touch_one(root: Path) -> Callable[[], None]:
    """Before each run: change one company's inputs, so exactly one brief is stale."""
    counter = iter(range(1_000_000))
    points = root / "inputs" / "co-000" / "points.yaml"
    original = points.read_text(encoding="utf-8")

    def change() -> None:
        points.write_text(original.replace("Spending outruns cash.", f"Spending outruns cash ({next(counter)})."))

    return change


def baseline_install(revision: str) -> tuple[Path, Path]:
    """The previous release in its own virtualenv: (that virtualenv's python, the release's tree).

    The release's files come from git (``git archive REVISION``) into
    build/bench-baseline/REVISION/tree, made once and kept. The virtualenv
    finds its ``thesis`` package there (a ``.pth`` line, as an editable install
    does) and shares this environment's third-party packages (a second
    ``.pth`` line), so the two versions differ only in their own code. The tree
    also holds the release's own inputs, which the old version can read.
    """
    import sysconfig
    import tarfile

    home = ROOT / "build" / "bench-baseline" / revision
    venv, tree = home / "venv", home / "tree"
    python = venv / "bin" / "python"
    if python.exists() and (tree / "thesis").is_dir():
        return python, tree
    shutil.rmtree(home, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    where = [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    site = Path(subprocess.run(where, check=True, capture_output=True, text=True).stdout.strip())
    # .pth files are read in name order: the release first, then the shared third-party packages.
    (site / "_thesis_bench_1_release.pth").write_text(f"{tree}\n", encoding="utf-8")
    (site / "_thesis_bench_2_shared.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "compileall", "-q", str(tree / "thesis")], check=True)
    return python, tree


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def report(rows: dict[str, Row], facts: list[tuple[str, str]], notes: list[str], args: argparse.Namespace) -> str:
    header = ["What", "Command", "Runs", "Median s", "Min s", "Max s", "CPU s (median)"]
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `bench/run.py --runs {args.runs} "
        f"--pdf-runs {args.pdf_runs} "
        + ("--no-universe" if args.no_universe else f"--universe-runs {args.universe_runs} --size {args.size}")
        + f" --baseline {args.baseline}` "
        "(`make bench` runs the defaults: 5 runs, 100 companies).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows.values()]
    lines += [
        "",
        "### Targets",
        "",
        "Judged on the median wall time, and again on the median CPU time where that is meaningful "
        "(CPU time does not grow when other work shares the machine).",
        "",
        "| Target | Wall clock | Met | CPU time | Met |",
        "|---|---|---|---|---|",
    ]
    render, limit = rows["render"], rows["limit"]
    if "baseline" in rows:
        old = rows["baseline"]
        lines.append(
            f"| cold render ≤ ½ of the previous release's ({args.baseline}) "
            f"| {render.median:.2f} s = {percent(render.median, old.median)} of {old.median:.2f} s "
            f"| {verdict(render.median <= old.median / 2)} "
            f"| {render.cpu:.2f} s = {percent(render.cpu, old.cpu)} of {old.cpu:.2f} s "
            f"| {verdict(render.cpu <= old.cpu / 2)} |"
        )
    if "same-inputs" in rows and "baseline" in rows:
        same, old = rows["same-inputs"], rows["baseline"]
        lines.append(
            f"| … on the same inputs (the release's own) "
            f"| {same.median:.2f} s = {percent(same.median, old.median)} of {old.median:.2f} s "
            f"| {verdict(same.median <= old.median / 2)} "
            f"| {same.cpu:.2f} s = {percent(same.cpu, old.cpu)} of {old.cpu:.2f} s "
            f"| {verdict(same.cpu <= old.cpu / 2)} |"
        )
    wall = render.median - limit.median
    cpu = render.cpu - limit.cpu
    lines.append(
        f"| our overhead over bare WeasyPrint ≤ 10% of a cold render "
        f"| {wall:+.2f} s of {render.median:.2f} s = {percent(wall, render.median)} "
        f"| {verdict(wall <= 0.10 * render.median)} "
        f"| {cpu:+.2f} s of {render.cpu:.2f} s = {percent(cpu, render.cpu)} | {verdict(cpu <= 0.10 * render.cpu)} |"
    )
    imported = rows["import"]
    for name in ("check", "score", "diff"):
        if name in rows and rows[name].walls:
            took = rows[name]
            lines.append(
                f"| `thesis {name}` cold ≤ ½ of importing WeasyPrint "
                f"| {took.median:.2f} s = {percent(took.median, imported.median)} of {imported.median:.2f} s "
                f"| {verdict(took.median <= imported.median / 2)} "
                f"| {took.cpu:.2f} s = {percent(took.cpu, imported.cpu)} of {imported.cpu:.2f} s "
                f"| {verdict(took.cpu <= imported.cpu / 2)} |"
            )
    if "serial" in rows:
        serial, parallel = rows["serial"].median, rows["parallel"].median
        lines.append(
            f"| `--jobs 2` ≥ 1.8× faster than serial ({args.size} companies) | {serial / parallel:.2f}× "
            f"({serial:.1f} s → {parallel:.1f} s) | {verdict(serial / parallel >= 1.8)} | – | |"
        )
        if "dask" in rows:
            dask = rows["dask"].median
            lines.append(
                f"| 2 local Dask workers against serial ({args.size} companies) | {serial / dask:.2f}× "
                f"({serial:.1f} s → {dask:.1f} s; `--jobs 2`: {parallel:.1f} s) | – | – | |"
            )
        noop = rows["noop"]
        lines.append(
            f"| no-op universe ({args.size} companies) in about a second | {noop.median:.2f} s "
            f"| {verdict(noop.median <= 1.5)} | {noop.cpu:.2f} s | {verdict(noop.cpu <= 1.5)} |"
        )
    lines += ["", "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in facts]
    lines += ["", *[f"- {note}" for note in notes]]
    return "\n".join(lines) + "\n"


def write_report(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    path.write_text(f"{before}{START}\n{table}{END}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per row (default 5)")
    parser.add_argument(
        "--pdf-runs", type=int, default=None, help="timed runs of each row that makes the PDF (default: --runs)"
    )
    parser.add_argument("--universe-runs", type=int, default=None, help="timed runs of each universe row")
    parser.add_argument(
        "--weasyprint-defaults", action="store_true", help="also time WeasyPrint alone with its default PDF options"
    )
    parser.add_argument("--size", type=int, default=100, help="companies in the generated universe (default 100)")
    parser.add_argument("--company", default="alibaba", help="the company whose brief is timed (default alibaba)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help=f"git revision of the previous release to compare with (default {BASELINE})",
    )
    parser.add_argument("--no-universe", action="store_true", help="time one brief and the commands only")
    args = parser.parse_args()
    args.universe_runs = args.universe_runs or args.runs
    args.pdf_runs = args.pdf_runs or args.runs
    runs, pdf_runs = args.runs, args.pdf_runs
    load_before = os.getloadavg()
    rows: dict[str, Row] = {}
    notes: list[str] = []
    # An installed package has its bytecode compiled at install time; an editable install under
    # PYTHONDONTWRITEBYTECODE would recompile thesis/ on every run. Time what a user runs.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "thesis")], check=True, stdout=subprocess.DEVNULL)
    notes.append("`thesis/` was byte-compiled first (`python -m compileall`), as an installed package is.")
    with tempfile.TemporaryDirectory(prefix="thesis-bench-") as scratch:
        work = Path(scratch)
        out = work / "briefs"
        company = args.company
        print(f"one brief ({company}):", file=sys.stderr)
        rows["render"] = measure(
            "cold render, HTML + PDF",
            [THESIS, "render", company, "--force", "--out", str(out)],
            pdf_runs,
            shown=f"thesis render {company} --force",
        )
        old_python, old_tree = baseline_install(args.baseline)
        rows["baseline"] = measure(
            f"previous release ({args.baseline}), cold render, HTML + PDF",
            [str(old_python), "-m", "thesis", "render", company, "--force", "--out", str(work / "baseline")],
            pdf_runs,
            cwd=old_tree,
            shown=f"thesis render {company} --force (at {args.baseline}, its own inputs)",
        )
        rows["same-inputs"] = measure(
            "cold render, HTML + PDF, of the previous release's inputs",
            [THESIS, "render", company, "--force", "--out", str(work / "same-inputs")],
            pdf_runs,
            cwd=old_tree,
            warm_up=False,
            shown=f"thesis render {company} --force (in the {args.baseline} tree)",
        )
        rows["render-again"] = measure(
            "cold render, HTML + PDF, after the previous release",
            [THESIS, "render", company, "--force", "--out", str(out)],
            pdf_runs,
            warm_up=False,
            shown=f"thesis render {company} --force",
        )
        rows["render"].walls += rows["render-again"].walls  # interleaved, so a busy spell weighs on both versions
        rows["render"].cpus += rows["render-again"].cpus
        del rows["render-again"]
        final = next(out.glob(f"{company}/*/{company}-*.html"))
        snapshot = final.with_suffix(".json")
        base = (ROOT / "thesis/render/templates").as_uri() + "/"
        rows["limit"] = measure(
            "limit: WeasyPrint alone, same HTML and PDF options",
            [
                PYTHON,
                "-c",
                LIMIT_SAME_OPTIONS,
                str(final),
                base,
                str(work / "limit.pdf"),
                str(ROOT / "inputs" / company),
            ]
            + [str(snapshot)],
            pdf_runs,
            shown='python -c "import weasyprint; HTML(final).write_pdf(same options)"',
            warm_up=False,  # the render just before warmed WeasyPrint's files
        )
        if args.weasyprint_defaults:
            rows["limit-defaults"] = measure(
                "WeasyPrint alone, same HTML, its default options",
                [PYTHON, "-c", LIMIT_DEFAULTS, str(final), base, str(work / "plain.pdf")],
                pdf_runs,
                shown='python -c "import weasyprint; HTML(final).write_pdf()"',
                warm_up=False,
            )
        pandoc = shutil.which("pandoc")
        if pandoc:
            env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
            rows["pandoc"] = measure(
                "peer: pandoc, WeasyPrint engine, same brief",
                [pandoc, "-f", "html", str(final), "--pdf-engine=weasyprint", "-o", str(work / "pandoc.pdf")],
                pdf_runs,
                shown="pandoc -f html brief.html --pdf-engine=weasyprint -o brief.pdf",
                env=env,
            )
        else:
            notes.append("pandoc is not installed, so the peer row was skipped (`apt-get install pandoc` adds it).")
            print("  pandoc not installed: peer skipped", file=sys.stderr)
        rows["html"] = measure(
            "cold render, HTML only",
            [THESIS, "render", company, "--format", "html", "--force", "--out", str(out)],
            runs,
            shown=f"thesis render {company} --format html --force",
        )
        rows["check"] = measure(
            "cold check", [THESIS, "check", company], runs, ok=(0, 1), shown=f"thesis check {company}"
        )
        rows["score"] = measure("cold score", [THESIS, "score", company], runs, shown=f"thesis score {company}")
        help_text = subprocess.run([THESIS, "--help"], capture_output=True, text=True).stdout
        if "diff" in help_text.split("Commands:")[-1]:
            today = dt.date.today()
            earlier = (today - dt.timedelta(days=182)).isoformat()
            rows["diff"] = measure(
                "cold diff",
                [THESIS, "diff", company, earlier, today.isoformat()],
                runs,
                ok=(0, 1),
                shown=f"thesis diff {company} {earlier} {today.isoformat()}",
            )
        else:
            notes.append("`thesis diff` does not exist in this version, so it was not timed.")
        rows["import"] = measure(
            "bare WeasyPrint import", [PYTHON, "-c", "import weasyprint"], runs, shown='python -c "import weasyprint"'
        )
        rows["python"] = measure("bare Python start-up", [PYTHON, "-c", "pass"], runs, shown='python -c "pass"')

        if not args.no_universe:
            print(f"universe of {args.size} companies:", file=sys.stderr)
            universe = work / "universe"
            make_universe(universe, args.size)
            everything = [THESIS, "render", "--all", "--as-of", UNIVERSE_AS_OF]
            urun = args.universe_runs
            rows["serial"] = measure(
                f"{args.size} companies, serial",
                [*everything, "--force", "--jobs", "1"],
                urun,
                cwd=universe,
                warm_up=False,  # a whole extra universe is too long to throw away; the rows above warmed the caches
            )
            rows["parallel"] = measure(
                f"{args.size} companies, 2 processes",
                [*everything, "--force", "--jobs", "2"],
                urun,
                cwd=universe,
                warm_up=False,  # the serial runs just before warmed everything
            )
            try:
                import distributed  # noqa: F401  (the optional dask extra)

                rows["dask"] = measure(
                    f"{args.size} companies, 2 local Dask workers",
                    [*everything, "--force", "--jobs", "2", "--executor", "dask"],
                    urun,
                    cwd=universe,
                    warm_up=False,
                )
                rows["dask"].cpu_counted = False
            except ImportError:
                notes.append("The Dask row was skipped: the dask extra is not installed (pip install '.[dask]').")
            rows["one-changed"] = measure(
                f"{args.size} companies, one changed",
                [*everything, "--jobs", "2"],
                runs,
                cwd=universe,
                before=touch_one(universe),
            )
            rows["noop"] = measure(
                f"{args.size} companies, nothing changed", [*everything, "--jobs", "2"], runs, cwd=universe
            )
    shown = {
        "serial": "--jobs 1 --force",
        "parallel": "--jobs 2 --force",
        "dask": "--jobs 2 --force --executor dask",
        "one-changed": "--jobs 2",
        "noop": "--jobs 2",
    }
    for name, flags in shown.items():
        if name not in rows:
            continue
        rows[name].command = f"thesis render --all {flags}"
    # Pool workers are forked by a forkserver process, not by `thesis`, so their CPU time is not ours to read.
    if "parallel" in rows:
        rows["parallel"].cpu_counted = False
        notes.append("CPU time is not shown for `--jobs 2 --force`: its workers are not children of the timed process.")
    load_after = os.getloadavg()
    notes.append(
        f"Load average (1 min) {load_before[0]:.2f} before and {load_after[0]:.2f} after the run; "
        "other work on the machine inflates wall times, not CPU times."
    )
    table = report(rows, machine(), notes, args)
    write_report(args.output, table)
    print(table)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
