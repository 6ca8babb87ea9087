"""The PDF brief as a reader and an archive see it: metadata, outline, links, attachments, PDF/A, pages."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image

from tests.builders import base_inputs, tamper_attachment, write_project
from thesis.cli import cli
from thesis.commands.render import RenderResult, render
from thesis.inputs.loader import load_company
from thesis.project import Project
from thesis.scoring.asof import as_of_view

ROOT = Path(__file__).resolve().parent.parent
ALIBABA_AS_OF = dt.date(2026, 11, 23)
ACME_AS_OF = dt.date(2025, 9, 30)
MEGABYTE = 1024 * 1024
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) is not installed; scripts/setup-system.sh installs it",
)


class Rendered:
    def __init__(self, result: RenderResult) -> None:
        self.result = result
        self.pdf_path = next(p for p in result.paths if p.suffix == ".pdf")
        self.json_path = next(p for p in result.paths if p.suffix == ".json")
        self.reader = pypdf.PdfReader(self.pdf_path)

    @property
    def catalog(self) -> Any:
        return self.reader.trailer["/Root"]

    def page_text(self, number: int) -> str:
        """The text of 1-based page ``number`` as poppler lays it out."""
        command = ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(self.pdf_path), "-"]
        return subprocess.run(command, capture_output=True, check=True, text=True).stdout


@pytest.fixture(scope="module")
def alibaba(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    """The real Alibaba brief, rendered once for the module."""
    out = tmp_path_factory.mktemp("alibaba-build")
    yield Rendered(render(Project(ROOT, out), "alibaba", ALIBABA_AS_OF))


def acme_project(root: Path) -> Project:
    """The small acme project, with a web address on one source so the PDF has an external link."""
    inputs = base_inputs()
    inputs["sources"]["sources"][0]["url"] = "https://example.com/alpha-report"
    write_project(root, inputs)
    return Project(root)


def outline_entries(reader: pypdf.PdfReader, outline: Any, depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) for every bookmark, in order."""
    entries: list[tuple[int, str, int]] = []
    for item in outline:
        if isinstance(item, list):
            entries.extend(outline_entries(reader, item, depth + 1))
        else:
            page = reader.get_destination_page_number(item)
            assert page is not None
            entries.append((depth, str(item.title), page + 1))
    return entries


def link_annotations(reader: pypdf.PdfReader) -> list[tuple[int, Any]]:
    """(1-based page, annotation) for every link annotation."""
    links = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                links.append((number, annotation))
    return links


def test_metadata_names_the_brief_and_dates_it_to_the_as_of_date(alibaba: Rendered) -> None:
    meta = alibaba.reader.metadata
    assert meta is not None
    assert meta.title == "Alibaba: investment thesis as of 2026-11-23"
    assert meta.author == "Thesis research desk"
    assert (
        meta.subject is not None
        and "Alibaba Group Holding Limited" in meta.subject
        and alibaba.result.rating in meta.subject
    )
    keywords = str(meta["/Keywords"])
    assert "BABA" in keywords and "9988" in keywords
    assert meta["/CreationDate"] == "D:20261123000000Z"
    assert meta["/ModDate"] == "D:20261123000000Z"
    assert alibaba.catalog["/Lang"] == "en"


def test_the_first_page_gives_the_call_at_a_glance(alibaba: Rendered) -> None:
    snapshot = json.loads(alibaba.json_path.read_text())
    text = " ".join(alibaba.reader.pages[0].extract_text().split())
    expected = ["Alibaba Group Holding Limited", "BABA", "9988", "23 November 2026", "Contents"]
    score = snapshot["score"]
    signed = ("" if round(score, 1) == 0 else "+" if score > 0 else "\u2212") + f"{abs(score):.1f}"
    expected += [snapshot["rating"], signed, f"{snapshot['confidence']['level']} "]
    for phrase in expected:
        assert phrase in text, phrase
    by_contribution = sorted(snapshot["points"], key=lambda p: p["contribution"])
    for point in by_contribution[:3] + by_contribution[-3:]:  # the three strongest on each side
        assert point["title"] in text, point["title"]


def test_the_outline_follows_the_headings_with_each_point_under_its_case(alibaba: Rendered) -> None:
    entries = outline_entries(alibaba.reader, alibaba.reader.outline)
    top = [title for depth, title, _ in entries if depth == 0]
    assert top[0] == "Cover: Alibaba Group Holding Limited"
    for section in ("How the score was reached", "Bull case", "Bear case", "Metrics", "Export controls", "Sources"):
        assert section in top
    points = json.loads(alibaba.json_path.read_text())["points"]
    bull_titles = [p["title"] for p in points if p["stance"] == "bull"]
    start = next(i for i, e in enumerate(entries) if e[1] == "Bull case")
    children = []
    for depth, title, _ in entries[start + 1 :]:
        if depth == 0:
            break
        children.append(title)
    assert sorted(children) == sorted(bull_titles)
    for _depth, title, page in entries:  # each bookmark opens the page that shows its heading
        heading = title.removeprefix("Cover: ")
        assert " ".join(heading.split()[:3]) in " ".join(alibaba.reader.pages[page - 1].extract_text().split())


@needs_poppler
def test_the_contents_on_the_first_page_give_the_right_page_numbers(alibaba: Rendered) -> None:
    first = alibaba.page_text(1)
    pages = {
        title: page for depth, title, page in outline_entries(alibaba.reader, alibaba.reader.outline) if depth == 0
    }
    listed = 0
    for title, page in pages.items():
        if title.startswith("Cover: "):
            continue
        match = re.search(re.escape(title) + r"[ .]*?(\d+)[ ]*$", first, flags=re.M)
        assert match is not None, f"{title!r} is not in the contents on page 1"
        assert int(match.group(1)) == page, title
        listed += 1
    assert listed >= 6


@needs_poppler
def test_every_page_after_the_first_has_the_running_header_and_footer(alibaba: Rendered) -> None:
    total = len(alibaba.reader.pages)
    for page in alibaba.reader.pages:  # A4 in points
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    first = alibaba.page_text(1)
    assert "Neutral" in first or alibaba.result.rating in first
    assert f"Page 1 of {total}" in first and "Not investment advice" in first
    for number in range(2, total + 1):
        text = alibaba.page_text(number)
        assert "Alibaba Group Holding Limited (BABA / 9988)" in text, number
        assert "as of 23 November 2026" in text, number
        assert f"Page {number} of {total}" in text, number
        assert "For discussion only. Not investment advice." in text, number


def test_attachments_are_the_snapshot_the_inputs_as_of_its_date_and_every_source_text(
    alibaba: Rendered, tmp_path: Path
) -> None:
    """Today's brief attaches what it needs: unpacked, the attachments are a project that loads into the
    thesis the brief was made from (the as-of inputs are checked more closely in test_pdf_inputs_as_of)."""
    attachments = alibaba.reader.attachments
    folder = ROOT / "inputs" / "alibaba"
    sources = [entry["file"] for entry in json.loads(alibaba.json_path.read_bytes())["sources"]]
    assert sources
    inputs = f"inputs/alibaba/thesis-as-of-{ALIBABA_AS_OF.isoformat()}.yaml"
    expected = {"alibaba-2026-11-23.json", "thesis.yaml", inputs}
    assert set(attachments) == expected | {f"inputs/alibaba/{file}" for file in sources}
    for file in sources:
        assert attachments[f"inputs/alibaba/{file}"] == [(folder / file).read_bytes()]
    (snapshot,) = attachments["alibaba-2026-11-23.json"]
    assert json.loads(snapshot) == json.loads(alibaba.json_path.read_bytes())
    assert snapshot == alibaba.json_path.read_bytes()
    for name, (data,) in attachments.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    unpacked = as_of_view(load_company(Project(tmp_path), "alibaba").thesis, ALIBABA_AS_OF)
    recorded = as_of_view(load_company(Project(ROOT), "alibaba").thesis, ALIBABA_AS_OF)
    assert unpacked.model_copy(update={"scoring": None}) == recorded.model_copy(update={"scoring": None})


def test_the_pdf_identifies_itself_as_pdf_a_3b_with_associated_files(alibaba: Rendered) -> None:
    assert alibaba.pdf_path.read_bytes().startswith(b"%PDF-1.7")
    xmp = alibaba.catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part="3"', xmp) and re.search(r'pdfaid:conformance="B"', xmp)
    assert "<xmp:CreateDate>2026-11-23T00:00:00Z</xmp:CreateDate>" in xmp
    (intent,) = alibaba.catalog["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    associated = [ref.idnum for ref in alibaba.catalog["/AF"]]
    assert len(associated) == len(set(associated)) == len(alibaba.reader.attachments)
    for ref in alibaba.catalog["/AF"]:
        filespec = ref.get_object()
        assert filespec["/AFRelationship"] == "/Source"
        subtype = filespec["/EF"]["/F"].get_object()["/Subtype"]
        name = str(filespec["/UF"])
        kind = "json" if name.endswith(".json") else "yaml" if name.endswith(".yaml") else "text"
        assert subtype == {"json": "/application/json", "yaml": "/application/yaml", "text": "/text/plain"}[kind]
    meta = alibaba.reader.metadata
    assert meta is not None
    for value in (meta.title, meta.author, meta.subject, str(meta["/Keywords"])):  # XMP agrees with the Info dictionary
        assert value is not None and f">{value}<" in xmp


def structure_types(node: Any, found: set[str]) -> set[str]:
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            structure_types(kid, found)
    return found


def test_the_pdf_is_tagged_with_headings_lists_tables_links_and_figures(alibaba: Rendered) -> None:
    assert bool(alibaba.catalog["/MarkInfo"]["/Marked"])
    types = structure_types(alibaba.catalog["/StructTreeRoot"], set())
    assert {"/Document", "/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/THead", "/TH", "/TD", "/Link"} <= types


def test_every_font_is_embedded_including_the_chinese_glyphs(alibaba: Rendered) -> None:
    fonts: dict[str, bool] = {}
    for page in alibaba.reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [d.get_object()["/FontDescriptor"] for d in font.get("/DescendantFonts", [])] or [
                font.get("/FontDescriptor")
            ]
            embedded = all(
                d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors
            )
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts and all(fonts.values()), fonts
    assert any("Noto-Sans" in name for name in fonts)
    assert any("WenQuanYi" in name for name in fonts)  # the quotes name T-Head 平头哥, Yitian 倚天, Hanguang 含光
    text = "".join(page.extract_text() for page in alibaba.reader.pages)
    assert "平头哥" in text and "倚天" in text and "含光" in text


def test_the_alibaba_brief_stays_under_a_megabyte_and_the_render_reports_its_size(alibaba: Rendered) -> None:
    size = alibaba.pdf_path.stat().st_size
    assert alibaba.result.sizes["pdf"] == size
    assert size < MEGABYTE


def test_citations_jump_to_their_source_and_sources_link_back(alibaba: Rendered) -> None:
    reader = alibaba.reader
    destinations = {
        name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()
    }
    links = link_annotations(reader)
    internal = [(page, str(a["/Dest"])) for page, a in links if "/Dest" in a]
    cites = [(page, dest) for page, dest in internal if dest.startswith("source-")]
    snapshot = json.loads(alibaba.json_path.read_text())
    assert len(cites) >= sum(len(p["citations"]) for p in snapshot["points"])
    sources_page = next(page for depth, title, page in outline_entries(reader, reader.outline) if title == "Sources")
    for _page, dest in cites:
        assert destinations[dest] >= sources_page
    back = [
        dest
        for page, dest in internal
        if page >= sources_page and dest.startswith(("point-", "metric-", "constraint-"))
    ]
    assert {d.removeprefix("point-") for d in back if d.startswith("point-")} == {p["id"] for p in snapshot["points"]}
    for _page, dest in internal:
        assert dest in destinations, f"link to #{dest} has no target"


@pytest.fixture(scope="module")
def acme_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """The small project with a web address, rendered to PDF once for the module: (project, PDF)."""
    project = acme_project(tmp_path_factory.mktemp("acme-pdf"))
    result = render(project, "acme", ACME_AS_OF, formats="pdf")
    return project, next(p for p in result.paths if p.suffix == ".pdf")


def test_external_links_are_clickable_uris(acme_pdf: tuple[Project, Path]) -> None:
    reader = pypdf.PdfReader(acme_pdf[1])
    uris = [str(a["/A"]["/URI"]) for _, a in link_annotations(reader) if "/A" in a and a["/A"].get("/S") == "/URI"]
    assert uris == ["https://example.com/alpha-report"]
    assert any("/Dest" in a for _, a in link_annotations(reader))


def test_the_same_inputs_and_date_give_the_same_bytes(alibaba: Rendered, tmp_path: Path) -> None:
    again = render(Project(ROOT, tmp_path), "alibaba", ALIBABA_AS_OF)
    first = {p.suffix: p.read_bytes() for p in alibaba.result.paths}
    second = {p.suffix: p.read_bytes() for p in again.paths}
    assert first.keys() == {".html", ".pdf", ".json"}
    for suffix in first:
        assert first[suffix] == second[suffix], f"{suffix} differs between two renders"


@needs_poppler
def test_a_table_that_runs_over_pages_repeats_its_header(alibaba: Rendered) -> None:
    sections = [
        (title, page) for depth, title, page in outline_entries(alibaba.reader, alibaba.reader.outline) if depth == 0
    ]
    index = [title for title, _ in sections].index("Export controls")
    start, after = sections[index][1], sections[index + 1][1]  # up to the section that follows it
    for number in range(start, after):
        text = alibaba.page_text(number)
        assert re.search(r"ITEM\s+STATUS\s+AUTHORITY\s+EFFECTIVE", text), f"page {number} lacks the table header"


def test_another_date_gives_another_identifier(acme_pdf: tuple[Project, Path]) -> None:
    project, first = acme_pdf
    result = render(project, "acme", ACME_AS_OF - dt.timedelta(days=1), formats="pdf")
    second = next(p for p in result.paths if p.suffix == ".pdf")
    assert pypdf.PdfReader(first).trailer["/ID"][0] != pypdf.PdfReader(second).trailer["/ID"][0]


@needs_poppler
def test_pages_render_to_images_that_are_not_blank(alibaba: Rendered, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(alibaba.pdf_path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(alibaba.reader.pages)
    for image_path in images:
        with Image.open(image_path) as image:
            grey = image.convert("L")
            histogram = grey.histogram()
        inked = sum(histogram[:200]) / (grey.width * grey.height)
        assert inked > 0.005, f"{image_path.name} is blank"


def test_thesis_verify_passes_on_the_fresh_brief_and_fails_on_a_tampered_one(alibaba: Rendered, tmp_path: Path) -> None:
    fresh = CliRunner().invoke(cli, ["verify", str(alibaba.pdf_path)])
    assert fresh.exit_code == 0, fresh.output
    assert ": verified: " in fresh.output
    snapshot = json.loads(alibaba.json_path.read_bytes())
    files = {entry["id"]: entry["file"] for entry in snapshot["sources"]}
    point = snapshot["points"][0]
    citation = point["citations"][0]
    text = (ROOT / "inputs" / "alibaba" / files[citation["source"]]).read_bytes()
    quote = citation["quote"].encode()
    assert quote in text
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(
        tamper_attachment(
            alibaba.pdf_path.read_bytes(), f"inputs/alibaba/{files[citation['source']]}", quote, quote.upper()
        )
    )
    result = CliRunner().invoke(cli, ["verify", str(tampered)])
    assert result.exit_code == 1, result.output
    assert f"failed: source {citation['source']!r}: the text's SHA-256 is" in result.output
    assert f"failed: points[{point['id']}] citation 1 ([{citation['number']}] {citation['source']}): " in result.output
