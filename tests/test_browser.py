"""The HTML brief in a real headless Chromium: links land, nothing is fetched, nothing complains.

Uses Debian's chromium (installed by scripts/setup-system.sh) through Playwright's Python
package; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.builders import write_project
from thesis.commands.render import prepare
from thesis.project import Project
from thesis.render.brief import ContentsEntry, contents, render_html

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
# url(...) that is not a reference to an element of the same page (SVG clip paths use url(#id))
EXTERNAL_CSS_URL = re.compile(r"url\(\s*['\"]?(?!#)([^)'\"]*)")
AS_OF = dt.date(2026, 11, 23)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing; scripts/setup-system.sh installs Debian's chromium"
)


class Resources(HTMLParser):
    """Every URL the page would load by itself (not links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        for attribute in ("src", "srcset", "poster", "data"):
            if values.get(attribute):
                self.loaded.append(str(values[attribute]))
        if tag == "link" and values.get("href"):
            self.loaded.append(str(values["href"]))
        for value in values.values():
            self.loaded.extend(EXTERNAL_CSS_URL.findall(value or ""))

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1] == "style":
            self.loaded.extend(EXTERNAL_CSS_URL.findall(data))


@pytest.fixture(scope="module")
def brief_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Alibaba HTML brief, written where a mail client would save an attachment."""
    html = render_html(Project(ROOT), prepare(Project(ROOT), "alibaba", AS_OF).brief)
    path = tmp_path_factory.mktemp("mail") / "alibaba-2026-11-23.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_the_html_loads_nothing_from_elsewhere(brief_file: Path) -> None:
    parser = Resources()
    parser.feed(brief_file.read_text(encoding="utf-8"))
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert parser.loaded == []
    assert parser.tags.count("style") >= 3


def test_the_contents_list_every_top_level_section_in_order(brief_file: Path) -> None:
    html = brief_file.read_text(encoding="utf-8")
    entries = contents(html)
    assert [e.anchor for e in entries][:1] == ["scorecard"]
    assert {"bull", "bear", "metrics", "constraints", "sources", "method"} <= {e.anchor for e in entries}
    assert [e.anchor for e in entries].index("bull") < [e.anchor for e in entries].index("sources")
    nav = html[html.index('<nav id="contents"') : html.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', nav) == [e.anchor for e in entries]
    assert contents(
        "<main><section id='a'><h2>A <span>x</span></h2><section id='b'><h2>B</h2></section></section></main>"
    ) == (ContentsEntry("a", "A x"),)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; scripts/setup-system.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Session:
    """One page with the brief open, recording every request and every console or page error."""

    def __init__(self, browser: Any, path: Path, width: int = 1366, height: int = 860) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", self._only_the_file)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(self.url, wait_until="load")

    def _only_the_file(self, route: Any) -> None:
        if route.request.url.split("#")[0] == self.url:
            route.continue_()
        else:
            route.abort()

    def lands_on(self, target_id: str) -> dict[str, Any]:
        """Where the page is after following a link to ``#target_id``."""
        result: dict[str, Any] = self.page.evaluate(
            """(id) => {
                const element = document.getElementById(id);
                if (!element) return {exists: false};
                const box = element.getBoundingClientRect();
                return {
                    exists: true,
                    hash: decodeURIComponent(location.hash),
                    target: element.matches(':target'),
                    inView: box.top < window.innerHeight && box.bottom > 0,
                    topNearTop: box.top >= -1 && box.top < window.innerHeight / 2,
                    inBibliography: element.closest('#sources') !== null && element.tagName === 'LI',
                };
            }""",
            target_id,
        )
        return result


@needs_chromium
def test_every_citation_link_lands_on_its_bibliography_entry(browser: Any, brief_file: Path) -> None:
    session = Session(browser, brief_file)
    try:
        links = session.page.locator('main a[href^="#source-"]')
        count = links.count()
        assert session.page.locator("main a.cite").count() >= 170  # 173 quotes, each with a numbered citation
        for index in range(count):
            link = links.nth(index)
            target = str(link.get_attribute("href"))[1:]
            number = link.inner_text().strip().removeprefix("[").removesuffix("]")
            link.click()
            where = session.lands_on(target)
            assert where["exists"], f"citation {index} points to #{target}, which is not in the page"
            assert where["hash"] == f"#{target}" and where["target"], target
            assert where["inBibliography"] and where["inView"], (target, where)
            if number.isdigit():  # a numbered citation [n] lands on entry n
                value = session.page.evaluate("(id) => document.getElementById(id).value", target)
                assert str(value) == number, f"[{number}] lands on source {value}"
        assert session.errors == []
        assert {url.split("#")[0] for url in session.requests} == {session.url}
    finally:
        session.context.close()


@needs_chromium
def test_bibliography_back_links_and_contents_land_in_view(browser: Any, brief_file: Path) -> None:
    session = Session(browser, brief_file)
    try:
        for selector in ("#sources .citedby a", "#contents a", ".glance a"):
            links = session.page.locator(selector)
            assert links.count() > 0, selector
            for index in range(links.count()):
                link = links.nth(index)
                target = str(link.get_attribute("href"))[1:]
                link.click()
                where = session.lands_on(target)
                assert where["exists"] and where["target"] and where["inView"], (selector, target, where)
        assert session.errors == []
        assert {url.split("#")[0] for url in session.requests} == {session.url}
    finally:
        session.context.close()


@needs_chromium
def test_a_laptop_screenshot_shows_the_first_page_without_errors(browser: Any, brief_file: Path) -> None:
    session = Session(browser, brief_file)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "brief-laptop.png"
        session.page.screenshot(path=str(shot))
        session.page.screenshot(path=str(ARTIFACTS / "brief-laptop-full.png"), full_page=True)
        assert shot.stat().st_size > 10_000
        layout = session.page.evaluate(
            """() => {
                const main = document.querySelector('main').getBoundingClientRect();
                const side = document.querySelector('.cover-side').getBoundingClientRect();
                const rating = document.querySelector('.rating-box');
                return {
                    mainWidth: main.width,
                    sideRight: side.right <= main.right + 1 && side.left > main.left + main.width / 2,
                    ratingVisible: rating.getBoundingClientRect().bottom < window.innerHeight,
                    overflowX: document.documentElement.scrollWidth > window.innerWidth,
                    fonts: document.fonts.status,
                };
            }"""
        )
        assert 700 < layout["mainWidth"] <= 960  # a readable measure on a laptop, not the full width
        assert layout["sideRight"] and layout["ratingVisible"] and not layout["overflowX"]
        assert session.errors == []
        assert {url.split("#")[0] for url in session.requests} == {session.url}
    finally:
        session.context.close()


@needs_chromium
def test_on_a_narrow_screen_nothing_scrolls_sideways(browser: Any, brief_file: Path) -> None:
    session = Session(browser, brief_file, width=420, height=800)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        session.page.screenshot(path=str(ARTIFACTS / "brief-phone.png"))
        overflow = session.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        session.context.close()


def test_a_side_with_no_points_yet_says_so_on_the_first_page(tmp_path: Path) -> None:
    write_project(tmp_path)
    project = Project(tmp_path)
    html = render_html(project, prepare(project, "acme", dt.date(2025, 3, 1)).brief)  # before the bear source
    bear = html[html.index('<div class="col bear">') :]
    bear = bear[: bear.index("</div>")]
    assert "None as of this date." in bear and "<ol>" not in bear
