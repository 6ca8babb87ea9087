"""``thesis site``: one static site of the whole coverage, for the desk.

Built from the project: every company's brief as of the site's date is
rendered first where it is missing or stale (through the render cache, so an
unchanged brief costs nothing), then every brief under ``build/`` is gathered:

- ``index.html``: a row per company (rating, score, change since its previous
  brief, confidence, tripped kill criteria and the next catalyst where its
  snapshot has them, as-of date), sortable by any column with a few lines of
  inline script; nothing is fetched;
- ``COMPANY/index.html``: the history chart of its briefs' scores against the
  rating bands, and every brief (HTML, PDF, JSON) with the diff from the one
  before it;
- ``COMPANY/DATE/…``: the briefs, copied as they are, except that an HTML
  brief's links to the PDFs and texts as received (``sources/originals/…``)
  point to copies under ``COMPANY/``, as its links into the project's
  ``inputs/`` would leave the site (a saved web page is not copied: its
  scripts would run as the site's own); ``COMPANY/diff-A-B.html``: each diff
  brief.

Every link is relative, so the site works opened from ``file://`` as from any
static host. The site is made in a folder beside the target and swapped in
whole, so a failed build leaves the previous site as it was; a target that
exists and is not a site made by ``thesis site`` is never replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thesis.commands.render_many import Outcome, RenderJob, render_many
from thesis.errors import ThesisError, UsageError
from thesis.project import Project

MARKER = ".thesis-site"  # in every site folder this command writes: what it may replace
SUFFIXES = ("html", "pdf", "json")


@dataclass(frozen=True)
class BriefEntry:
    """One rendered brief found under ``build/COMPANY/DATE/``."""

    company: str
    as_of: dt.date
    snapshot: Mapping[str, Any]
    files: dict[str, Path]  # suffix → path of the rendered file

    def href(self, suffix: str) -> str:
        return f"{self.as_of.isoformat()}/{self.company}-{self.as_of.isoformat()}.{suffix}"


@dataclass(frozen=True)
class CompanyHistory:
    company: str
    briefs: tuple[BriefEntry, ...]  # oldest first
    failed: str = ""  # the render failure of today's brief, if any

    @property
    def latest(self) -> BriefEntry | None:
        return self.briefs[-1] if self.briefs else None

    @property
    def previous(self) -> BriefEntry | None:
        return self.briefs[-2] if len(self.briefs) > 1 else None


@dataclass
class SiteResult:
    path: Path
    pages: int
    companies: int
    briefs: int
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def gather(project: Project, company: str) -> list[BriefEntry]:
    """Every brief of ``company`` under the build folder whose snapshot reads, oldest first."""
    from thesis.outputs.snapshot import read_snapshot

    entries: list[BriefEntry] = []
    for as_of, day in project.brief_folders(company):
        stem = f"{company}-{day.name}"
        files = {suffix: day / f"{stem}.{suffix}" for suffix in SUFFIXES}
        files = {suffix: path for suffix, path in files.items() if path.is_file() and not path.is_symlink()}
        if "json" not in files:
            continue
        try:
            snapshot = read_snapshot(files["json"])
        except ThesisError:
            continue  # an unreadable snapshot is not shown rather than trusted
        entries.append(BriefEntry(company, as_of, snapshot, files))
    return entries


def _rows(histories: Sequence[CompanyHistory]) -> list[dict[str, Any]]:
    rows = []
    for history in histories:
        latest, previous = history.latest, history.previous
        row: dict[str, Any] = {"company": history.company, "failed": history.failed, "latest": None}
        if latest is not None:
            snap = latest.snapshot
            company = snap.get("company") or {}
            confidence = snap.get("confidence") or {}
            row.update(
                latest=latest,
                name=company.get("name") or history.company,
                rating=snap.get("rating", ""),
                score=float(snap.get("score", 0.0)),
                change=None if previous is None else float(snap["score"]) - float(previous.snapshot["score"]),
                confidence=confidence.get("level", ""),
                tripped=[k for k in snap.get("kill_criteria") or [] if k.get("tripped")],
                catalyst=_next_catalyst(snap),
            )
        rows.append(row)
    return rows


def _next_catalyst(snapshot: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The first upcoming catalyst a snapshot lists, if it lists any."""
    for catalyst in snapshot.get("catalysts") or []:
        if catalyst.get("status") == "upcoming" and not catalyst.get("overdue"):
            return dict(catalyst)
    return None


def history_chart(history: CompanyHistory) -> Any:
    """The scores of a company's briefs over their dates, on the rating bands of the newest brief."""
    from thesis.figures import signed
    from thesis.render.svg import Drawing, Scale, date_ticks

    briefs = history.briefs
    drawing = Drawing(f"history-{history.company}", 520, 200, f"{history.company}: score of each brief over time")
    left, right, top, bottom = 34.0, 510.0, 10.0, 176.0
    y = Scale(-100, 100, bottom, top)
    first, last = briefs[0].as_of, briefs[-1].as_of
    if first == last:
        first, last = first - dt.timedelta(days=15), last + dt.timedelta(days=15)
    span = (last - first).days
    x = Scale(0, span, left, right)
    bands = (briefs[-1].snapshot.get("scoring") or {}).get("config", {}).get("bands") or []
    shades = ("#f4d8d4", "#f8e9e4", "#eeeeee", "#e3efe6", "#cfe6d6")
    for number, band in enumerate(bands):
        low = float(band.get("min", -100))
        high = float(bands[number + 1]["min"]) if number + 1 < len(bands) else 100.0
        shade = shades[min(len(shades) - 1, round(number * (len(shades) - 1) / max(1, len(bands) - 1)))]
        drawing.rect(left, y(high), right - left, y(low) - y(high), fill=shade)
        drawing.text(right - 4, y(high) + 9, str(band.get("name", "")), size=7, fill="#52606d", anchor="end")
    for tick in (-100, -50, 0, 50, 100):
        drawing.line(left, y(tick), right, y(tick), stroke="#ffffff" if tick else "#9aa5b1", width=0.4)
        drawing.text(left - 4, y(tick) + 2.5, signed(tick, 0), size=7, fill="#52606d", anchor="end")
    for day, label in date_ticks(first, last, most=6):
        drawing.text(x((day - first).days), bottom + 14, label, size=7, fill="#52606d", anchor="middle")
    points = [(x((b.as_of - first).days), y(float(b.snapshot.get("score", 0.0)))) for b in briefs]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        drawing.line(x1, y1, x2, y2, stroke="#1f4e79", width=1.4)
    for px, py in points:
        drawing.marker("o", px, py, 5, fill="#1f4e79", stroke="#ffffff")
    return drawing.markup()


def site_pages(project: Project, histories: Sequence[CompanyHistory], today: dt.date) -> dict[str, bytes]:
    """Every page the site holds besides the copied briefs: relative path → bytes. Pure."""
    from thesis import __version__
    from thesis.diff.compare import diff_snapshots
    from thesis.diff.output import diff_html
    from thesis.render.brief import desk_view
    from thesis.render.environment import render_template

    rows = _rows(histories)
    pages: dict[str, bytes] = {}
    common = {"version": __version__, "today": today, "desk": desk_view(project)}
    pages["index.html"] = render_template(
        project.templates_dirs, "site_index.html.j2", {**common, "rows": rows}
    ).encode()
    for history, row in zip(histories, rows, strict=True):
        briefs = list(history.briefs)
        diffs: dict[dt.date, str] = {}
        for old, new in zip(briefs, briefs[1:], strict=False):
            name = f"diff-{old.as_of.isoformat()}-{new.as_of.isoformat()}.html"
            difference = diff_snapshots(dict(old.snapshot), dict(new.snapshot))
            html = diff_html(project, difference, (old.snapshot, new.snapshot))
            pages[f"{history.company}/{name}"] = html.encode()
            diffs[new.as_of] = name
        context = {
            **common,
            "row": row,
            "history": history,
            "briefs": list(reversed(briefs)),
            "diffs": diffs,
            "chart": history_chart(history) if briefs else None,
        }
        pages[f"{history.company}/index.html"] = render_template(
            project.templates_dirs, "site_company.html.j2", context
        ).encode()
    return pages


def build_site(
    project: Project,
    out: Path | None,
    today: dt.date,
    *,
    workers: int = 1,
    report: Callable[[Outcome], None] | None = None,
) -> SiteResult:
    """Render what is missing or stale, gather every brief, and write the site whole; returns what it holds."""
    target = out if out is not None else project.build_dir / "site"
    _check_target(target)
    companies = project.companies()
    if not companies:
        raise UsageError("no company to publish: there are no folders under inputs/", "start one with thesis new")
    jobs = [RenderJob(project, company, today) for company in companies]
    outcomes = render_many(jobs, workers=workers, report=report)
    failures = {o.company: o.error for o in outcomes if o.status == "failed"}
    histories = [CompanyHistory(c, tuple(gather(project, c)), failures.get(c, "")) for c in companies]
    pages = site_pages(project, histories, today)
    copies = {
        f"{brief.company}/{brief.href(suffix)}": path
        for history in histories
        for brief in history.briefs
        for suffix, path in brief.files.items()
        if suffix != "html"
    }
    relinked = {
        f"{brief.company}/{brief.href('html')}": _with_originals(project, brief, copies)
        for history in histories
        for brief in history.briefs
        if "html" in brief.files
    }
    _write_site(target, {**pages, **relinked}, copies)
    briefs = sum(len(h.briefs) for h in histories)
    return SiteResult(target, len(pages), len(companies), briefs, outcomes)


_ORIGINAL_LINK = re.compile(rb'(<a class="original-link" href=")([^"]+)(")')
_COPIED = frozenset({".pdf", ".txt", ".md"})  # documents as received that run nothing when opened


def _with_originals(project: Project, brief: BriefEntry, copies: dict[str, Path]) -> bytes:
    """The HTML brief with each link to a PDF or text as received pointing to its copy in the site (added to
    ``copies``); a link to a web page, or to anything outside the company's inputs folder, is left as it is."""
    from urllib.parse import quote, unquote

    path = brief.files["html"]
    company = (project.inputs_dir / brief.company).resolve()

    def relink(match: re.Match[bytes]) -> bytes:
        target = (path.parent / unquote(match[2].decode("utf-8", "replace"))).resolve()
        if not target.is_relative_to(company) or not target.is_file() or target.suffix.lower() not in _COPIED:
            return match[0]
        relative = target.relative_to(company).as_posix()
        copies[f"{brief.company}/{relative}"] = target
        return match[1] + f"../{quote(relative)}".encode() + match[3]

    return _ORIGINAL_LINK.sub(relink, path.read_bytes())


def _check_target(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{target} exists and is not a folder", "choose another --out, or remove it")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UsageError(
            f"{target} is a folder that thesis site did not make; it is never replaced",
            "choose an empty or new folder for --out",
        )


def _write_site(target: Path, pages: Mapping[str, bytes], copies: Mapping[str, Path]) -> None:
    """Write the whole site beside ``target``, then swap it in; on any failure the old site stays."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise ThesisError(f"cannot write the site under {parent}: {exc.strerror or exc}") from None
    try:
        for relative, data in pages.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for relative, source in copies.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
        (staging / MARKER).write_text("made by thesis site; the next build replaces this folder whole\n")
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is for reading
        old = None
        if target.exists():
            old = parent / f".{target.name}.{os.getpid()}.old"
            os.replace(target, old)
        try:
            os.replace(staging, target)
        except OSError:
            if old is not None:
                os.replace(old, target)  # the previous site, back where it was
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException as exc:  # also Ctrl-C or SIGTERM: the half-made site goes, the old one stays
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ThesisError(f"cannot write the site to {target}: {exc.strerror or exc}") from None
        raise
