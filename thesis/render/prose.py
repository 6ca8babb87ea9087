"""Markdown for analyst prose: CommonMark with raw HTML off, no images, safe links only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
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


def columns(text: str) -> int:
    """How many columns ``text`` takes in a monospace sense: CJK and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` columns, at a word break where there is one, with an ellipsis.

    For places with fixed room (the first page's key points, the title band);
    the full text is always shown elsewhere in the brief.
    """
    if columns(text) <= limit:
        return text
    used = 0
    cut = 0
    for index, char in enumerate(text):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > limit - 1:
            break
        cut = index + 1
    head = text[:cut]
    space = head.rfind(" ")
    if space >= cut * 0.6:
        head = head[:space]
    return head.rstrip(" ,;:-–—") + "…"


LEAD_LIMIT = 1200  # characters of the summary the first page shows, at most


def lead(summary: str, limit: int = LEAD_LIMIT) -> str:
    """The part of a Markdown summary the first page has room for: all of it when short enough, else its
    first paragraph, cut after the last full sentence that fits (or at a word, with an ellipsis)."""
    if len(summary) <= limit:
        return summary
    first = re.split(r"\n\s*\n", summary.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    sentences = [m.end() for m in re.finditer(r"[.!?。！？][\"'”’)]?(?=\s|$)", first[:limit])]
    if sentences and sentences[-1] >= limit // 3:
        return first[: sentences[-1]]
    return clip(first, limit)


COVER_LINES = 30  # lines of the first page's left column for the summary and the key points together
COVER_LINE = 72  # characters in one of those lines, about


def cover_lead(summary: str, shown: Sequence[str]) -> str:
    """The summary's lead for the first page, given the titles the first page also lists (``shown``).

    The key points, controls and tripped kill criteria must all stay on the
    first page, so the summary gets the lines they leave: each title takes
    its lines (cut at 100 columns, as the page shows it), and the lead the
    rest, at least 300 and at most :data:`LEAD_LIMIT` characters.
    """
    taken = sum(-(-columns(clip(title, 100)) // COVER_LINE) for title in shown)
    room = max(300, min(LEAD_LIMIT, (COVER_LINES - taken) * COVER_LINE))
    return lead(summary, room)
