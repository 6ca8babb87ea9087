"""Markdown for analyst prose: CommonMark with raw HTML off, no images, safe links only."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]
    return md


def markdown(text: str) -> Markup:
    """Render Markdown to HTML; raw HTML is escaped and shown as text, unsafe links are dropped."""
    return Markup(_parser().render(text))


def markdown_inline(text: str) -> Markup:
    """Render one paragraph of Markdown without the surrounding ``<p>``."""
    return Markup(_parser().renderInline(text))
