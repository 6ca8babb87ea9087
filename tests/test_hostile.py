"""Hostile text in any input field is shown as text or dropped: never run, never fetched.

Every text field of the acme fixture gets markup an attacker might try (script
tags, raw HTML, ``javascript:`` and ``file:`` links, Markdown images pointing
at local files or the network). The rendered HTML is parsed, not searched, and
compared with the clean brief: no element or attribute the clean brief does not
have, no link other than http(s), mailto or an anchor. A PDF render of the
same inputs must neither open a file outside the project nor touch the network.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.builders import SOURCE_A, base_inputs, write_project
from thesis.commands.render import prepare
from thesis.commands.render import render as render_brief
from thesis.inputs.models import Source
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.render.pdf import BlockedFetch, render_pdf

AS_OF = dt.date(2025, 9, 30)
SCRIPT = "<script>alert(1)</script>"
# Short enough for a 30-character unit, and the worst of it.
TINY = "<script>x</script>"


def hostile_short(secret: Path) -> str:
    """At most 300 characters: the limit of titles and names."""
    return (
        f"{SCRIPT} <img src=x onerror=alert(2)> [a](javascript:alert(3)) "
        f"![p](file://{secret}) [f](file:///etc/passwd) ![n](http://127.0.0.1:9/n.png) <b onclick=alert(4)>b</b>"
    )


def hostile_long(secret: Path) -> str:
    """Markdown bodies: every trick we know, one per paragraph."""
    tricks = [
        SCRIPT,
        '<img src="file:///etc/passwd" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[encoded](&#106;avascript:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[vb](vbscript:msgbox(1))",
        f"![secret](file://{secret})",
        f"[secret](file://{secret})",
        "![remote](http://127.0.0.1:9/pixel.png)",
        "![remote ref][pic]\n\n[pic]: http://127.0.0.1:9/ref.png",
        '<iframe src="http://127.0.0.1:9/"></iframe>',
        f'<link rel="stylesheet" href="file://{secret}">',
        f"<style>@import url(file://{secret}); body {{ background: url(http://127.0.0.1:9/bg.png) }}</style>",
        '<object data="http://127.0.0.1:9/o"></object><embed src="http://127.0.0.1:9/e">',
        '<svg onload=alert(1)><image href="http://127.0.0.1:9/s.png"/></svg>',
        '<a href="javascript:alert(1)">raw link</a>',
        "<http://127.0.0.1:9/autolink> and <javascript:alert(1)>",
        '<base href="http://127.0.0.1:9/"><meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/">',
        '<form action="http://127.0.0.1:9/"><input name=q></form>',
    ]
    return "\n\n".join(tricks)


def hostile_inputs(secret: Path) -> dict[str, Any]:
    """The acme fixture with hostile text in every field that takes text."""
    url = 'https://example.com/"><script>alert(1)</script><svg/onload=alert(1)>'
    return filled_inputs(hostile_short(secret), hostile_long(secret), TINY, url, (SCRIPT, "onerror=alert(2)"))


def clean_inputs() -> dict[str, Any]:
    """The same shape with harmless text: what the brief looks like without an attack."""
    quotes = ("Acme Cloud grew revenue", "the fastest of any provider")
    return filled_inputs(
        "Plain words", "Plain *prose*.\n\nA [link](https://example.com/).", "%", "https://example.com/a", quotes
    )


def filled_inputs(short: str, long: str, tiny: str, url: str, quotes: tuple[str, str]) -> dict[str, Any]:
    """The acme fixture with ``short``/``long``/``tiny`` text in every field that takes text."""
    inputs = base_inputs()
    company = inputs["company"]["company"]
    for key in ("name", "short_name", "sector", "headquarters", "analyst"):
        company[key] = short
    company["summary"] = long
    company["tickers"] = [{"symbol": tiny, "exchange": tiny}]
    for source in inputs["sources"]["sources"]:
        source["title"] = short
        source["publisher"] = short
        source["author"] = short
        source["notes"] = long
        source["url"] = url
    inputs["sources"]["sources"][1]["published"]["basis"] = short
    for point in inputs["points"]["points"]:
        point["title"] = short
        point["body"] = long
    # A quote that is really in the (hostile) source text, so it is shown as verified.
    inputs["points"]["points"][0]["evidence"].append({"source": "alpha", "quote": quotes[0]})
    for metric in inputs["metrics"]["metrics"]:
        metric["name"] = short
        metric["unit"] = tiny
        metric["description"] = long
        for observation in metric["observations"]:
            observation["period"] = short
            observation["note"] = long
    for constraint in inputs["constraints"]["constraints"]:
        constraint["item"] = short
        constraint["authority"] = short
        constraint["body"] = long
        constraint["evidence"].append({"source": "alpha", "quote": quotes[1]})
    inputs["scenarios"] = {
        "scenarios": {
            "metric": short,
            "unit": tiny,
            "current": 100,
            "cases": [
                {"name": "bull", "probability": 0.3, "value": 150, "description": long},
                {"name": "base", "probability": 0.5, "value": 110, "description": long},
                {"name": "bear", "probability": 0.2, "value": 60, "description": long},
            ],
        }
    }
    return inputs


class Elements(HTMLParser):
    """Every element and attribute of an HTML page, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.attributes: set[str] = set()
        self.urls: list[str] = []
        self.text: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            self.attributes.add(name)
            if name in {"href", "src", "action", "data", "formaction", "xlink:href", "background", "poster"}:
                self.urls.append(value or "")
        if tag in {"style", "script"}:
            self._raw += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script"}:
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self.text.append(data)


def parse(html: str) -> Elements:
    elements = Elements()
    elements.feed(html)
    elements.close()
    return elements


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that nothing may read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "secret.css"
    path.write_text("body { background: red } /* SECRET-7f3a */\n", encoding="utf-8")
    return path


@pytest.fixture
def hostile_project(tmp_path: Path, secret: Path) -> Project:
    root = tmp_path / "project"
    folder = write_project(root, hostile_inputs(secret))
    (folder / "sources" / "alpha.txt").write_text(
        SOURCE_A + f"Hostile text: {SCRIPT} and <img src=x onerror=alert(2)>.\n", encoding="utf-8"
    )
    return Project(root)


def test_hostile_text_is_escaped_or_dropped_in_the_html(tmp_path: Path, hostile_project: Project) -> None:
    clean_root = tmp_path / "clean"
    write_project(clean_root, clean_inputs())
    clean = parse(render_html(Project(clean_root), prepare(Project(clean_root), "acme", AS_OF).brief))
    prepared = prepare(hostile_project, "acme", AS_OF)
    assert not prepared.verification.problems, "the hostile quotes are in the source text, so they verify"
    hostile = parse(render_html(hostile_project, prepared.brief))

    # No element that can run code, load a resource or redirect, beyond what the clean brief has.
    for tag in ("script", "img", "iframe", "link", "object", "embed", "svg", "image", "base", "meta", "form", "input"):
        assert hostile.tags.get(tag, 0) == clean.tags.get(tag, 0), f"<{tag}> from the inputs reached the HTML"
    assert hostile.tags.get("style", 0) == clean.tags.get("style", 0)
    # No event handler attributes, and no attribute the clean brief does not use.
    assert not {a for a in hostile.attributes if a.startswith("on")}
    assert hostile.attributes <= clean.attributes | {"href"}
    # Every link is http(s), mailto or an anchor; never javascript:, vbscript:, data: or file:.
    for url in hostile.urls:
        assert url.startswith(("http://", "https://", "mailto:", "#")), url
    # Titles and names are shown to the reader as the text that was typed, markup and all.
    text = "".join(hostile.text)
    assert SCRIPT in text
    assert "<img src=x onerror=alert(2)>" in text


def test_markdown_links_to_local_files_and_scripts_are_not_links(hostile_project: Project) -> None:
    html = render_html(hostile_project, prepare(hostile_project, "acme", AS_OF).brief)
    hrefs = parse(html).urls
    assert not [h for h in hrefs if "javascript" in h.lower() or "file:" in h or "secret" in h]
    # An autolink to the network may stay a link (a reader may click it); it is never fetched (see the PDF test).
    assert "http://127.0.0.1:9/autolink" in hrefs


def test_source_urls_must_be_web_addresses() -> None:
    base = dict(base_inputs()["sources"]["sources"][0])
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "//example.com/x", "ftp://x/y"):
        with pytest.raises(ValueError, match="should match pattern"):
            Source.model_validate({**base, "url": bad})
    assert Source.model_validate({**base, "url": "https://example.com/a?b=c"}).url == "https://example.com/a?b=c"


class Watch:
    """What the process tried: files opened (from Python's audit events) and network connections."""

    def __init__(self) -> None:
        self.active = False
        self.opened: list[str] = []
        self.network: list[str] = []

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active:
            return
        if event == "open" and args and isinstance(args[0], (str, bytes, Path)):
            self.opened.append(str(args[0]))
        elif event == "urllib.Request" and not str(args[0]).startswith("data:"):
            self.network.append(f"{event} {args[0]}")  # data: URLs (the PDF's attachments) are decoded, not fetched
        elif event in {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname"}:
            self.network.append(f"{event} {args[1:]}")


_WATCH = Watch()
sys.addaudithook(_WATCH.hook)  # audit hooks cannot be removed; the watch is off outside these tests


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Watch]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        _WATCH.network.append(f"connect {args[1:] or args}")
        raise OSError("network access during a render")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    _WATCH.opened.clear()
    _WATCH.network.clear()
    _WATCH.active = True
    yield _WATCH
    _WATCH.active = False


def test_a_pdf_of_hostile_inputs_reads_nothing_outside_and_opens_no_connection(
    tmp_path: Path, hostile_project: Project, secret: Path, watch: Watch
) -> None:
    out = tmp_path / "out"
    result = render_brief(Project(hostile_project.root, out), "acme", AS_OF)
    watch.active = False
    pdf = next(p for p in result.paths if p.suffix == ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert watch.network == []
    assert not [p for p in watch.opened if str(secret.parent) in p or p == "/etc/passwd"]


def test_the_pdf_fetcher_refuses_files_outside_the_templates_folder(tmp_path: Path, secret: Path, watch: Watch) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "own.css").write_text("p { color: #123456 }\n", encoding="utf-8")
    (templates / "linked.css").symlink_to(secret)  # a link inside the folder to a file outside
    html = (
        "<html><head>"
        f'<link rel="stylesheet" href="file://{secret}">'
        '<link rel="stylesheet" href="linked.css">'
        '<link rel="stylesheet" href="../outside/secret.css">'
        '<link rel="stylesheet" href="own.css">'
        f"<style>@import url(file://{secret}); @import url(http://127.0.0.1:9/x.css);</style>"
        "</head><body>"
        f'<img src="file://{secret}"><img src="http://127.0.0.1:9/i.png"><img src="https://example.com/i.png">'
        f'<iframe src="file://{secret}"></iframe><object data="file:///etc/passwd"></object>'
        "<p>text</p></body></html>"
    )
    pdf = render_pdf(html, templates, "test", dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    watch.active = False
    assert pdf.startswith(b"%PDF-")
    assert watch.network == []
    assert not [p for p in watch.opened if str(secret.parent) in p or p == "/etc/passwd"]
    assert any(p.endswith("own.css") for p in watch.opened), "the templates' own assets are still served"


def test_the_fetcher_itself_refuses_with_a_clear_error(tmp_path: Path, secret: Path) -> None:
    from thesis.render.pdf import _fetcher

    fetcher = _fetcher(tmp_path / "templates")
    for url in (secret.as_uri(), "http://127.0.0.1:9/x", "https://example.com/", "ftp://x/y", "file:///etc/passwd"):
        with pytest.raises(BlockedFetch, match="refused to fetch"):
            fetcher.fetch(url)
