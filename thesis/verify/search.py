"""Find where words occur in a company's sources, to quote them: ``thesis quote``.

Every source is searched the way a quote that is not found is reported
(:meth:`~thesis.verify.quotes.SourceIndex.passages`): windows that share
most words with the search are compared with it character by character,
in order, without regard to capitals, so a search finds the passage
exactly or approximately (a word changed, missing or added) and ranks the
passages by similarity. Each passage is widened to the whole sentence around it
(not across a blank line, a heading or a table row), so it can be pasted as a quote that
verifies: it is the source's own words, in order. A sentence that runs on for more than
:data:`SENTENCE_WORDS` words either way of the passage is cut there, and the cut is marked
with an ellipsis (``… words …``), as a quote may mark it.

With a number in the search, the observation the passage gives is offered:
the number as printed, the unit its currency and scale make (``$12 billion``
is ``12`` in ``USD bn``, ``EUR 42.6 million`` is ``42.6`` in ``EUR million``),
negative only where the source signs the figure itself: a minus, a fall or outflow
that governs it (``fell 6.2%`` is ``-6.2``, ``a RMB 21.8 billion outflow`` is ``-21.8``;
not the ``10.2`` of ``$10.2 billion declined 5%``) or accounting parentheses
(``(42.6)``; not the comparative column ``312 (287)``), as
:attr:`~thesis.verify.numbers.Mention.signed_negative` reads it, checked with
:mod:`thesis.verify.numbers` as ``thesis check`` will check it, and the period
printed nearest to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thesis.verify.numbers import Mention, appears, is_year, mentions
from thesis.verify.quotes import Passage, SourceIndex, normalize

RESULTS = 5  # passages shown unless asked for more
MIN_SIMILARITY = 0.5  # a passage less like the search than this is not shown
SENTENCE_WORDS = 100  # how far a passage is widened, each way, to the sentence around it: beyond, it is cut
SHORT_LINE = 0.6  # a line under this share of the text's longest may be a heading or a table row
_JOINING = (",", ";", ":", "-", "\u2013", "\u2014", "(", "/", "&")  # a line ending so runs on
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_MARKER = re.compile(r"[-*+|>#]+|\d+[.)]")
_BLOCK_START = re.compile(r"\n\s*\n|\n\s*(?:[|#>]|[-*+] |\d+[.)] )")


@dataclass(frozen=True)
class Found:
    """A passage of a source like the search."""

    source: str
    passage: str
    similarity: float  # 0 to 1, of the words matched
    line: int
    page: int | None  # sources with pages
    exact: bool  # the search is in the passage verbatim
    words: tuple[int, int] = (0, 0)  # first and last word of the passage in the source

    def overlaps(self, other: Found) -> bool:
        return self.source == other.source and self.words[0] <= other.words[1] and other.words[0] <= self.words[1]


@dataclass(frozen=True)
class Observation:
    """A figure a passage prints, as a metric observation would record it."""

    value: float
    unit: str  # e.g. "USD bn", "%", "million"
    period: str | None  # as printed, e.g. "Q3 2025"; None when the passage prints none
    printed: str  # the number as printed, e.g. "$12 billion"


def search(indexes: dict[str, SourceIndex], words: str, limit: int = RESULTS) -> list[Found]:
    """The passages of the sources most like ``words``, most similar first (then in source order)."""
    found: list[tuple[float, int, Found]] = []
    wanted = normalize(words)
    for order, (source_id, index) in enumerate(indexes.items()):
        for passage in index.passages(words, ignore_case=True):
            if passage.similarity < MIN_SIMILARITY:
                continue
            widened = _sentence(index, passage)
            exact = index.find(wanted) is not None and wanted in normalize(widened.text)
            found.append(
                (
                    -passage.similarity,
                    order,
                    Found(
                        source_id,
                        widened.text,
                        passage.similarity,
                        widened.line or 1,
                        widened.page,
                        exact,
                        (widened.word, widened.word + widened.length - 1),
                    ),
                )
            )
    found.sort(key=lambda item: (item[0], item[1], item[2].line))
    unique: list[Found] = []
    for _, _, item in found:
        if not any(item.overlaps(other) for other in unique):
            unique.append(item)
    return unique[:limit]


def _sentence(index: SourceIndex, passage: Passage) -> Passage:
    """The passage widened to the sentence around it, within one block of the source."""
    words, starts, text = index.words, index.starts, index.text
    longest = max((len(line) for line in text.splitlines()), default=0)
    first, last = passage.word, passage.word + max(passage.length, 1) - 1
    for word in range(first + 1, last + 1):  # a window that runs into the next block stops before it
        if _breaks(text, starts, word, longest):
            last = word - 1
            break

    def starts_here(word: int) -> bool:
        return word == 0 or bool(_SENTENCE_END.search(words[word - 1])) or _breaks(text, starts, word, longest)

    def ends_here(word: int) -> bool:
        return (
            bool(_SENTENCE_END.search(words[word]))
            or word + 1 >= len(words)
            or _breaks(text, starts, word + 1, longest)
        )

    for _ in range(SENTENCE_WORDS):
        if starts_here(first):
            break
        first -= 1
    for _ in range(SENTENCE_WORDS):
        if ends_here(last):
            break
        last += 1
    cut_before, cut_after = not starts_here(first), not ends_here(last)  # the bound reached inside the sentence
    while first < last and _MARKER.fullmatch(words[first]):  # a list item's or table row's mark
        first += 1
    end = starts[last] + len(text[starts[last] :].split(maxsplit=1)[0])
    # As the source prints it (its own quotes, dashes, accents); an ellipsis marks where a sentence too long to
    # quote whole is cut, and a quote may start or end with one (thesis.verify.quotes), so it still verifies.
    quoted = " ".join(text[starts[first] : end].split())
    return Passage(
        f"{'… ' if cut_before else ''}{quoted}{' …' if cut_after else ''}",
        passage.similarity,
        index.line_of(first),
        (),
        index.page_of_word(first),
        first,
        last - first + 1,
    )


def _breaks(text: str, starts: list[int], word: int, longest: int) -> bool:
    """Whether a new block (paragraph, table row, list item, heading) starts at ``word``.

    Besides a blank line or a list or table mark, a line ends a block when it is a heading or a
    table row as a PDF's or web page's text gives them: a short line (under :data:`SHORT_LINE` of the
    text's longest) that ends without a comma or other joining mark, followed by a line that starts
    with a capital or a digit. A line of a wrapped paragraph is long, and a sentence that wraps before
    a name ("grinding in / Chemnitz") does so on a long line.
    """
    between = text[starts[word - 1] : starts[word]]
    if "\n" not in between:
        return False
    if _BLOCK_START.search(text[starts[word - 1] : starts[word] + 3]) is not None:
        return True
    line_start = text.rfind("\n", 0, starts[word - 1]) + 1
    line = text[line_start : starts[word - 1] + between.index("\n")].strip()
    following = text[starts[word] : starts[word] + 1]
    return (
        len(line) < SHORT_LINE * longest
        and not line.endswith(_JOINING)
        and (following.isupper() or following.isdigit())
    )


_SCALES = {1e3: "thousand", 1e6: "million", 1e9: "bn", 1e12: "tn", 1e4: "ten thousand", 1e8: "hundred million"}
_PERIOD = re.compile(
    r"(?<![\w.])(?:"
    r"Q[1-4]\s?[-\u2013]\s?Q[1-4]\s?(?:(?:FY|GJ)\s?)?'?\d{2,4}"
    r"|Q[1-4]\s?(?:(?:FY|GJ)\s?)?'?\d{2,4}|[1-4]Q\s?'?\d{2,4}|[12]H\s?\d{2,4}|H[12]\s?\d{2,4}"
    r"|(?:FY|GJ)\s?'?\d{2,4}E?|fiscal(?: year)? \d{4}"
    r"|(?:first|second|third|fourth) quarter(?: of)?(?: fiscal)? \d{4}"
    r"|(?:19|20)\d{2}"
    r")(?![\w%])",
    re.IGNORECASE,
)


def observation(words: str, passage: str) -> Observation | None:
    """The figure of ``passage`` that the search's first numeral (not a year) names, with its unit and period."""
    asked = [m for m in mentions(words) if any(c.isdigit() for c in m.text) and not is_year(m)]
    if not asked:
        return None
    wanted = asked[0]
    printed = [m for m in mentions(passage) if not is_year(m)]
    match = next((m for m in printed if m.number == wanted.number and m.percent == wanted.percent), None)
    if match is None:
        return None
    unit = _unit(match)
    # A figure the source signs negative is a negative value: a fall or outflow that governs it ("fell 6.2%", "a RMB
    # 21.8 billion outflow"), a minus ("-11.4%") or accounting parentheses ("Free cash flow (42.6) 63.9").
    value = -match.number if match.signed_negative else match.number
    if not appears(value, unit, passage):
        return None
    return Observation(value, unit, _period(passage, match, printed), match.text)


def _unit(mention: Mention) -> str:
    """The unit the mention is in: its currency as :mod:`thesis.verify.numbers` reads it, and its scale."""
    if mention.percent:
        return "%"
    scale = _SCALES.get(mention.scale or 0.0, "")
    return " ".join(part for part in (mention.currency, scale) if part) or "count"


def _period(passage: str, mention: Mention, others: list[Mention]) -> str | None:
    """The period printed nearest the number, with no other figure between them ("in Q3 2025, revenue of ...";
    not 2024 in "a dividend of EUR 0.85, after EUR 1.20 for 2024", where 2024 belongs to 1.20)."""

    def between(period: re.Match[str]) -> bool:
        low, high = sorted((period.start(), mention.start))
        return any(low < other.start < high and other is not mention for other in others)

    found = [m for m in _PERIOD.finditer(passage) if not (m.start() <= mention.start < m.end()) and not between(m)]
    if not found:
        return None
    nearest = min(found, key=lambda m: abs(m.start() - mention.start))
    return " ".join(nearest.group(0).split())
