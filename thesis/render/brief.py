"""Turn a brief into HTML (pure) and PDF bytes.

The table of contents is found in the rendered brief itself: its top-level
sections and their headings, printed into the first page's slot for it. So a
section added to ``brief.html.j2`` joins the contents (and, in the PDF, gets
its page number) without a list kept by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from thesis.brief.view import Brief
from thesis.errors import RenderError
from thesis.inputs.loader import Loaded
from thesis.inputs.models import DEFAULT_DISCLAIMER
from thesis.project import Project
from thesis.render.charts import BriefCharts, brief_charts
from thesis.render.environment import render_template

if TYPE_CHECKING:
    from thesis.render.pdf import PdfAttachment
    from thesis.scoring.confidence import Confidence
    from thesis.scoring.sensitivity import Sensitivity
# Elements that are always closed and may hold a section; a section is top-level when none is open around it.
_CONTAINERS = frozenset({"section", "header", "article", "nav", "aside", "figure"})
# Where the cover leaves room for the contents; a comment, so nothing an input can write (text is escaped) matches it.
_CONTENTS_SLOT = "<!-- thesis:contents -->"


@dataclass(frozen=True)
class ContentsEntry:
    anchor: str
    title: str


@dataclass(frozen=True)
class CitedIn:
    """One place in the brief that cites a source: the bibliography links back to it."""

    anchor: str
    title: str


class _Sections(HTMLParser):
    """Collect (id, first h2 text) for each top-level ``<section>`` inside ``<main>``."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[ContentsEntry] = []
        self._in_main = False
        self._depth = 0
        self._section: str | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main = True
        elif tag in _CONTAINERS and self._in_main:
            section_id = dict(attrs).get("id")
            if tag == "section" and self._depth == 0 and section_id:
                self._section = section_id
            self._depth += 1
        elif tag == "h2" and self._section is not None and self._depth == 1:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif tag in _CONTAINERS and self._in_main:
            self._depth -= 1
            if self._depth == 0:
                self._section = None
        elif tag == "h2" and self._heading is not None and self._section is not None:
            self.entries.append(ContentsEntry(self._section, " ".join("".join(self._heading).split())))
            self._heading = None
            self._section = None  # only the section's first heading names it

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def contents(html: str) -> tuple[ContentsEntry, ...]:
    """The table of contents of a rendered brief: its top-level sections, in order."""
    parser = _Sections()
    parser.feed(html)
    parser.close()
    return tuple(parser.entries)


def cited_in(brief: Brief) -> dict[str, tuple[CitedIn, ...]]:
    """For each source id, the items that cite it, in the order the brief shows them."""
    places: dict[str, list[CitedIn]] = {}

    for view in brief.items:
        for citation in view.citations:
            here = places.setdefault(citation.source_id, [])
            if all(p.anchor != view.anchor for p in here):
                here.append(CitedIn(view.anchor, view.title))
    return {source: tuple(items) for source, items in places.items()}


@dataclass(frozen=True)
class DeskView:
    """What a brief shows of the project's ``thesis.yaml``: the desk's name, disclaimer and logo."""

    name: str | None = None
    disclaimer: str = DEFAULT_DISCLAIMER
    logo: str | None = None  # a data: URI


def desk_view(project: Project) -> DeskView:
    settings = project.settings
    logo = settings.logo.data_uri if settings.logo is not None else None
    return DeskView(settings.file.desk, settings.file.disclaimer, logo)


@dataclass(frozen=True)
class BriefPage:
    """Everything ``brief.html.j2`` shows, computed before it renders: the template only reads.

    The stress tests (sensitivity, and the confidence that rests on them) are
    the brief's own, so a render that also writes the snapshot runs them once.
    """

    brief: Brief
    sensitivity: Sensitivity
    confidence: Confidence
    charts: BriefCharts
    cited_in: dict[str, tuple[CitedIn, ...]]
    desk: DeskView

    def context(self) -> dict[str, object]:
        return {
            "brief": self.brief,
            "sensitivity": self.sensitivity,
            "confidence": self.confidence,
            "charts": self.charts,
            "cited_in": self.cited_in,
            "desk": self.desk,
            "notice": self.desk.disclaimer,
            "contents_slot": Markup(_CONTENTS_SLOT),
        }


def brief_page(brief: Brief, desk: DeskView | None = None) -> BriefPage:
    """Run the stress tests, assess the confidence and draw the charts: the finished context of a brief.

    ``desk`` is what the project's ``thesis.yaml`` says of the desk (default: no name, the default disclaimer).
    """
    sensitivity = brief.sensitivity
    charts = brief_charts(brief, sensitivity)
    return BriefPage(brief, sensitivity, brief.confidence, charts, cited_in(brief), desk or DeskView())


def original_links(project: Project, brief: Brief) -> dict[str, str]:
    """For each source kept as received, a link from the brief's folder to the original document."""
    import os
    from urllib.parse import quote

    folder = project.output_dir(brief.company_id, brief.as_of.isoformat())
    company = project.inputs_dir / brief.company_id
    return {
        entry.source.id: quote(Path(os.path.relpath(company / entry.source.original, folder)).as_posix())
        for entry in brief.bibliography
        if entry.source.original
    }


def render_html(project: Project, brief: Brief) -> str:
    """The self-contained HTML brief (CSS inline, nothing fetched)."""
    context = brief_page(brief, desk_view(project)).context() | {"original_links": original_links(project, brief)}
    html = render_template(project.templates_dirs, "brief.html.j2", context)
    nav = render_template(project.templates_dirs, "_contents.html.j2", {"contents": contents(html)})
    if html.count(_CONTENTS_SLOT) != 1:
        raise RenderError(
            f"brief.html.j2 printed contents_slot {html.count(_CONTENTS_SLOT)} times, not once",
            "print {{ contents_slot }} exactly once in the project's templates/ (the cover prints it)",
        )
    return html.replace(_CONTENTS_SLOT, nav.rstrip("\n"), 1)


def inputs_attachment_name(company_id: str, as_of: dt.date) -> str:
    """Where a PDF brief attaches its inputs: beside its sources, e.g. ``inputs/acme/thesis-as-of-2025-09-30.yaml``."""
    return f"inputs/{company_id}/thesis-as-of-{as_of.isoformat()}.yaml"


def inputs_attachments(project: Project, brief: Brief, loaded: Loaded) -> list[PdfAttachment]:
    """The inputs ``brief`` was made from, as known on its date, the project file it was rendered under and
    its prices up to its date: the files a PDF brief attaches, which ``thesis`` loads.

    Only what the brief could know is in them (:func:`~thesis.scoring.asof.inputs_as_of`: sources published
    by then, texts in the versions written by then, items as then reported). The inputs' ``scoring`` block
    is the whole configuration the brief was scored with (defaults, the project's ``thesis.yaml``, the
    inputs' own block and ``--weights``), so that these files and the attached source texts, and nothing
    else, load into the thesis the brief was made from and give its score. The inputs as they stand
    today, and any later text, stay out of them.
    """
    from thesis.inputs.prices import BENCHMARK, PRICES, prices_csv
    from thesis.inputs.yaml_writer import model_yaml
    from thesis.project import PROJECT_FILE
    from thesis.render.pdf import PdfAttachment
    from thesis.scoring.asof import inputs_as_of
    from thesis.scoring.config import ScoringOverrides

    day = brief.as_of.isoformat()
    scoring = ScoringOverrides.model_validate(brief.scorecard.config.model_dump())
    known = inputs_as_of(loaded.thesis, brief.as_of)
    # The documents as received are not attached (their archived texts are), so the sources do not name them.
    sources = [s.model_copy(update={"original": None, "original_sha256": None}) for s in known.sources]
    known = known.model_copy(update={"scoring": scoring, "sources": sources})
    inputs = (
        f"The inputs of the thesis on {brief.company_id} as known on {day}, which the brief as of {day} was made\n"
        "from: the sources published by then (their archived texts are attached beside this file under sources/),\n"
        "each text in the versions written by then, and each item as then reported. Nothing later is in it.\n"
        "scoring is the whole configuration the brief was scored with. To check it again, extract the PDF's\n"
        f"attachments into a folder and run there: thesis check {brief.company_id}"
    )
    # The desk's name and disclaimer; the logo is in the brief, not attached, and the scoring is in the inputs.
    settings = project.settings.file.model_copy(update={"logo": None, "scoring": None, "record": "working-tree"})
    project_file = f"The project file the brief as of {day} was rendered under (its logo left out)."
    attachments = [
        PdfAttachment(PROJECT_FILE, model_yaml(settings, project_file).encode(), "application/yaml", "Project file"),
        PdfAttachment(
            inputs_attachment_name(brief.company_id, brief.as_of),
            model_yaml(known, inputs).encode(),
            "application/yaml",
            f"Thesis inputs as known on {day}: nothing later",
        ),
    ]
    # The analyst's prices up to the brief's date (those the brief charts), where there are any by then.
    prices = brief.prices
    if prices is not None and len(prices.company):
        for file, closes in ((PRICES, prices.company), (BENCHMARK, prices.benchmark)):
            if closes is not None and len(closes):
                text = prices_csv(closes, f"The closes known on {day}, as the brief as of {day} charts them.")
                attachments.append(
                    PdfAttachment(f"inputs/{brief.company_id}/{file}", text.encode(), "text/csv", f"Prices to {day}")
                )
    return attachments


def render_pdf_bytes(project: Project, brief: Brief, html: str, snapshot_json: bytes, loaded: Loaded) -> bytes:
    """The PDF/A-3b brief, with the snapshot, the inputs as known on its date
    (:func:`inputs_attachments`) and the archived text of every source in its bibliography attached, so that
    ``thesis verify`` can re-check every quote, and ``thesis check`` the inputs, from the PDF alone."""
    from thesis.render.pdf import PdfAttachment, render_pdf
    from thesis.verify.recheck import attachment_name

    created = dt.datetime.combine(brief.as_of, dt.time(0, 0), tzinfo=dt.UTC)
    attachments = [
        PdfAttachment(
            f"{brief.company_id}-{brief.as_of.isoformat()}.json",
            snapshot_json,
            "application/json",
            "Snapshot of this brief (thesis diff reads it)",
        )
    ]
    attachments += inputs_attachments(project, brief, loaded)
    for entry in brief.bibliography:
        attachments.append(
            PdfAttachment(
                attachment_name(brief.company_id, entry.source.file),
                loaded.source_texts[entry.source.id].encode("utf-8"),
                "text/plain",
                f"Archived text of source [{entry.number}] {entry.source.id} (SHA-256 {entry.sha256})",
            )
        )
    identifier = f"{brief.company_id}:{brief.as_of.isoformat()}:{brief.inputs_sha256}"
    return render_pdf(html, project.templates_dirs, identifier, created, attachments)
