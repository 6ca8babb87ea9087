"""``thesis site``: the desk's static site, checked as a reader would use it, from file:// in Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner, Result

from tests.builders import write_project
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium
from thesis.cli import cli
from thesis.project import Project

EARLY, LATE = "2025-03-31", "2025-09-30"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Two companies, each with an early brief and the site's own as of a later date."""
    root = tmp_path_factory.mktemp("desk")
    for company in ("acme", "zeta"):
        write_project(root, company=company)
    before = Path.cwd()
    import os

    os.chdir(root)
    try:
        for company in ("acme", "zeta"):
            early = run("render", company, "--as-of", EARLY)
            assert early.exit_code == 0, early.output
        built = run("site", "--as-of", LATE)
        assert built.exit_code == 0, built.output
        yield root
    finally:
        os.chdir(before)


def site(root: Path) -> Path:
    return root / "build" / "site"


def test_the_site_holds_every_brief_and_the_diff_between_them(desk: Path) -> None:
    folder = site(desk)
    for company in ("acme", "zeta"):
        for day in (EARLY, LATE):
            for suffix in ("html", "pdf", "json"):
                assert (folder / company / day / f"{company}-{day}.{suffix}").is_file()
        assert (folder / company / f"diff-{EARLY}-{LATE}.html").is_file()
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="acme/index.html"' in index and 'href="zeta/index.html"' in index
    settings = Project(desk).settings.file
    for page in ("index.html", "acme/index.html"):
        text = (folder / page).read_text(encoding="utf-8")
        assert settings.desk is not None and settings.desk in text and settings.disclaimer in text


def test_building_again_renders_nothing_new_and_never_replaces_a_foreign_folder(desk: Path, tmp_path: Path) -> None:
    import os

    before = Path.cwd()
    os.chdir(desk)
    try:
        again = run("site", "--as-of", LATE)
        assert again.exit_code == 0 and "(0 rendered now, 0 failed)" in again.output
        foreign = tmp_path / "mine"
        foreign.mkdir()
        (foreign / "notes.txt").write_text("mine", encoding="utf-8")
        refused = run("site", "--as-of", LATE, "--out", str(foreign))
        assert refused.exit_code == 2 and "did not make" in refused.output
        assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _local(url: str, root: Path) -> Path | None:
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


@needs_chromium
def test_every_link_resolves_and_nothing_leaves_the_site(desk: Path, browser: Any) -> None:
    root = site(desk).resolve()
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    to_visit = [root / "index.html"]
    visited: set[Path] = set()
    while to_visit:
        path = to_visit.pop()
        if path in visited:
            continue
        visited.add(path)
        page.goto(path.as_uri())
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = _local(href.split("#", 1)[0], root)
            assert target is not None, f"{path.relative_to(root)} links outside the site: {href}"
            assert target.is_relative_to(root), f"{path.relative_to(root)} links outside the site: {href}"
            assert target.is_file(), f"{path.relative_to(root)} has a broken link: {href}"
            if target.suffix == ".html" and target.parent.name != EARLY and target.parent.name != LATE:
                to_visit.append(target)  # site pages and diffs; the briefs have their own test
    assert {p.relative_to(root).as_posix() for p in visited} >= {
        "index.html",
        "acme/index.html",
        "zeta/index.html",
        f"acme/diff-{EARLY}-{LATE}.html",
    }
    outside = [url for url in requests if not (url.startswith(root.as_uri()) or url.startswith("data:"))]
    assert outside == [] and errors == []


@needs_chromium
def test_the_index_sorts_by_any_column_without_fetching_a_script(desk: Path, browser: Any) -> None:
    page = browser.new_page()
    page.goto((site(desk) / "index.html").resolve().as_uri())

    def order() -> list[str]:
        return list(page.eval_on_selector_all("#coverage tbody tr td:first-child a", "a => a.map(x => x.pathname)"))

    page.click("#coverage thead th:nth-child(1) button")
    ascending = order()
    assert len(ascending) == 2 and ascending[0].endswith("/acme/index.html")
    page.click("#coverage thead th:nth-child(1) button")
    assert order() == list(reversed(ascending))
    assert page.get_attribute("#coverage thead th:nth-child(1)", "aria-sort") == "descending"
    assert re.search(r"<script src=", page.content()) is None
