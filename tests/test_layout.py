"""The brief's layout holds for any input: theses of extreme shapes, checked from the PDF's text and boxes.

For each shape of :mod:`tests.layout_shapes` the brief is laid out once;
then, from the WeasyPrint document's page boxes and the PDF's text:
page 1 holds the rating, the score and the first key bull point; no text
box reaches outside its page's content area; and no page is nearly empty.
(``python -m tests.layout_shapes`` keeps a picture of each first page in
tests/artifacts/.)
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.layout_shapes import ARTIFACTS, AS_OF, SHAPES, write_shape
from thesis.brief.view import Brief
from thesis.commands.render import prepare
from thesis.figures import signed
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.render.pdf import lay_out

SLACK = 0.5  # CSS px: rounding in the layout
NEARLY_EMPTY = 0.10  # a page whose content fills less than this share of its height is nearly empty


@dataclass(frozen=True)
class Laid:
    brief: Brief
    document: Any  # weasyprint.document.Document
    pdf: bytes


@pytest.fixture(scope="module", params=list(SHAPES))
def laid(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Laid:
    root = write_shape(tmp_path_factory.mktemp(request.param), request.param)
    project = Project(root)
    brief = prepare(project, "acme", AS_OF).brief
    document = lay_out(render_html(project, brief), project.templates_dirs, request.param)
    laid = Laid(brief, document, document.write_pdf())
    keep_first_page(laid.pdf, ARTIFACTS / f"{request.param}-page1")
    return laid


def keep_first_page(pdf: bytes, target: Path) -> None:
    """A picture of page 1 in tests/artifacts/, to look at after a run (pdftoppm, from poppler-utils)."""
    if shutil.which("pdftoppm") is None:
        return
    target.parent.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-", str(target)], input=pdf, check=True
    )


def _content_area(page: Any) -> tuple[float, float, float, float]:
    box = page._page_box
    left, top = box.content_box_x(), box.content_box_y()
    return left, top, left + box.width, top + box.height


def _flow_boxes(page: Any) -> Iterator[Any]:
    """Every box laid out in the page's body (the running head, foot and page number are outside it)."""
    from weasyprint.formatting_structure.boxes import MarginBox

    for child in page._page_box.children:
        if not isinstance(child, MarginBox):
            yield from child.descendants()


def _page_text(pdf: bytes, number: int) -> str:
    return " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[number].extract_text().split())


def test_page_one_holds_the_call_the_key_points_and_the_controls(laid: Laid) -> None:
    text = _page_text(laid.pdf, 0)
    card = laid.brief.scorecard
    assert card.rating in text
    assert signed(card.score) in text
    assert laid.brief.confidence.level in text
    first = laid.brief.bull[0].point.current_title
    assert " ".join(first.split())[:40] in text
    # the key bear points and the export controls that bite are there too, the last of each included
    shown = [view.point.current_title for view in laid.brief.bear[:5]]
    shown += [view.constraint.item for view in laid.brief.constraints[:3]]
    for title in shown:
        assert " ".join(title.split())[:30] in text, title


def test_no_text_leaves_its_page(laid: Laid) -> None:
    from weasyprint.formatting_structure.boxes import TextBox

    outside = []
    for number, page in enumerate(laid.document.pages, start=1):
        left, top, right, bottom = _content_area(page)
        for box in _flow_boxes(page):
            if not isinstance(box, TextBox) or not box.text.strip():
                continue
            x, y = box.position_x, box.position_y
            if x < left - SLACK or x + box.width > right + SLACK or y + box.height > bottom + SLACK:
                outside.append(f"page {number}: {box.text[:40]!r} at x {x:.0f}–{x + box.width:.0f}, y {y:.0f}")
    assert not outside, "\n".join(outside[:10])


def test_no_page_is_nearly_empty(laid: Laid) -> None:
    from weasyprint.formatting_structure.boxes import ReplacedBox, TextBox

    sparse = []
    for number, page in enumerate(laid.document.pages, start=1):
        left, top, right, bottom = _content_area(page)
        ends = [
            box.position_y + box.height
            for box in _flow_boxes(page)
            if (isinstance(box, TextBox) and box.text.strip()) or isinstance(box, ReplacedBox)
        ]
        used = (max(ends, default=top) - top) / (bottom - top)
        if used < NEARLY_EMPTY:
            sparse.append(f"page {number} of {len(laid.document.pages)}: {used:.0%} used")
    assert not sparse, "\n".join(sparse)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing")
def test_each_shape_keeps_a_picture_of_its_first_page(laid: Laid, request: pytest.FixtureRequest) -> None:
    shape = request.node.callspec.params["laid"]
    picture = ARTIFACTS / f"{shape}-page1.png"
    assert picture.is_file() and picture.read_bytes().startswith(b"\x89PNG")


def test_the_title_band_keeps_house_and_date_on_one_line(laid: Laid) -> None:
    """Three parts on one line, or the sector deliberately on a second line of its own: never a part wrapped."""
    from weasyprint.formatting_structure.boxes import TextBox

    first = laid.document.pages[0]
    band = [box for box in _flow_boxes(first) if isinstance(box, TextBox) and box.element is not None]
    house = [box for box in band if _in_class(box, "house")]
    date = [box for box in band if _in_class(box, "date")]
    assert len(house) == 1 and len(date) == 1  # neither wraps
    assert house[0].position_y == date[0].position_y
    sector = [box for box in band if _in_class(box, "sector")]
    lines = {round(box.position_y) for box in sector}
    assert lines == {round(house[0].position_y)} or min(lines) > house[0].position_y  # beside them, or below


def _in_class(box: Any, name: str) -> bool:
    """Whether the element the box was made for has the class ``name``."""
    return name in (box.element.get("class") or "").split()


def test_the_html_puts_the_call_before_the_summary(tmp_path: Path) -> None:
    """A phone shows the page in document order (one column): the rating box must come before the summary."""
    from html.parser import HTMLParser

    class Order(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            classes = (dict(attrs).get("class") or "").split()
            self.seen += [name for name in ("rating-box", "summary", "glance") if name in classes]

    project = Project(write_shape(tmp_path, "one-point"))
    order = Order()
    order.feed(render_html(project, prepare(project, "acme", AS_OF).brief))
    assert order.seen[:3] == ["rating-box", "summary", "glance"]
