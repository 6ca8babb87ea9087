"""Verify that every quote appears verbatim in its archived source text.

"Verbatim" is exact after normalising white space, typographic quotes and
dashes; capitalisation and everything else must match. A quote must also
begin and end on the source's word boundaries, and every number in it must
be a whole number of the source (:func:`is_cut`): "4% domestic" is not in
"34% domestic", "40%" is not in "140%", "5 billion" is not in "2.5 billion"
or "-5 billion", "53" is not in "$53B" or "53%", and "16" is not in the
accounting negative "(16)". A quote shorter than
:data:`SHORT_QUOTE` characters proves little (:func:`short_quotes`). A quote that is not
found is reported with the nearest passage of the source: where it is (the
line of the source file), how similar it is (0 to 100%), and the words that
differ, so the fix is to copy the passage or correct the source id.

Elided quotes: a quote may leave words out with an ellipsis (``...`` or
``…``): "Alibaba has taken ... AI infrastructure over three years". It is
found when its parts occur in the source in order, each on word boundaries,
and each no more than :data:`ELISION_GAP` characters of the normalised
source after the end of the part before, so that an ellipsis only ever cuts
within one passage. The brief prints the quote as written, ellipsis and all.

Pages: a source whose text has form feeds (``\f``) between pages, as
``thesis source add`` writes a PDF's text, has pages; a found quote knows the
page it starts on and the page it ends on (a quote may run across a page
break, which normalises to a space). Sources without form feeds have no pages.

Finding the nearest passage is linear in the length of the source: a window
as long as the quote slides over the source's words counting the words it
shares with the quote, and only the few best windows are compared character
by character (:class:`difflib.SequenceMatcher`), trying nearby starts and
lengths. Each source is prepared once (:class:`SourceIndex`) however many
quotes cite it.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from thesis.errors import Problem
from thesis.inputs.loader import Loaded
from thesis.verify.numbers import appears, figure_parentheses

_TRANSLATE = {
    ord("\u201c"): '"',
    ord("\u201d"): '"',
    ord("\u201e"): '"',
    ord("\u00ab"): '"',
    ord("\u00bb"): '"',
    ord("\u2018"): "'",
    ord("\u2019"): "'",
    ord("\u201a"): "'",
    ord("\u2032"): "'",
    ord("\u2010"): "-",
    ord("\u2011"): "-",
    ord("\u2012"): "-",
    ord("\u2013"): "-",
    ord("\u2014"): "-",
    ord("\u2015"): "-",
    ord("\u2212"): "-",
    ord("\u00a0"): " ",
    ord("\u2009"): " ",
    ord("\u202f"): " ",
}
# Folding by a pattern that finds only the few typographic characters is ~15× faster than
# str.translate, which looks every character of a source up in the table.
_TYPOGRAPHIC = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")
_NEWLINE = re.compile(r"\n")
_KEY = re.compile(r"[^\w]+")
_TOKEN = re.compile(r"\w+(?:[.,]\d+)*|[^\w\s]")
CANDIDATES = 5  # windows compared in detail
SHIFT = 3  # how far a candidate's start and length are varied
UNRELATED = 0.6  # below this similarity the nearest passage is not worth showing as a fix
# Under 12 characters a quote proves little ("ew 1", "40% growth"). Characters, not words: Chinese
# has no spaces between words, and two-word labels from a source's tables ("AMD alternatives") do
# pin a passage down.
SHORT_QUOTE = 12
# An ellipsis ("..." or "…") in a quote stands for words left out of one passage: the parts around it
# must occur in order, each within this many characters of the normalised source after the part before
# (about 50 words, a few sentences). Further apart, the cut would join two passages into a claim
# neither makes.
ELISION_GAP = 300
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_CURRENCY_MARKS = frozenset("$¥£€")
_SIGNS = frozenset("-+")
_DECIMAL_MARKS = frozenset(".,")


def _fold(text: str) -> str:
    """Unicode compatibility forms as their plain ones (NFKC: composed accents, ligatures such as "ﬁ",
    full-width letters), then typographic quotes, dashes and spaces as their ASCII forms."""
    if not unicodedata.is_normalized("NFKC", text):  # a quick scan: ASCII and most text need nothing
        text = unicodedata.normalize("NFKC", text)
    return _TYPOGRAPHIC.sub(lambda match: _TRANSLATE[ord(match.group(0))], text)


def normalize(text: str) -> str:
    """Fold typographic quotes and dashes to ASCII and runs of white space to one space."""
    return _SPACE.sub(" ", _fold(text)).strip()


def _is_ideograph(char: str) -> bool:
    """Chinese and Japanese characters: each one is a word boundary, as the scripts use no spaces."""
    return "\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff"


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def is_cut(text: str, at: int) -> bool:
    """Whether a quote may begin or end at ``at`` of ``text`` (a normalised source).

    Not inside a word (two letters or digits) and not inside a number: not
    between a number's digits and its decimal or thousands mark
    (``2.5``, ``1,234``), its sign (``-5``), its currency mark (``$53``)
    or its per cent sign (``35%``), nor inside the parentheses around a
    figure alone (:func:`thesis.verify.numbers.figure_parentheses`): the
    accounting parentheses that are its sign (``(16)``, ``($2.6)``,
    ``$(1,234)``, ``(16.2)%``) and the comparative column (``312 (287)``),
    which a quote must include whole or leave out. It may start inside an
    aside (``(33.4 billion yuan in revenue)``) or at a year (``(2024)``).
    """
    if at <= 0 or at >= len(text):
        return True
    before, after = text[at - 1], text[at]
    if _is_word(before) and _is_word(after):
        ideograph = _is_ideograph(before) or _is_ideograph(after)
        return ideograph and not (before.isdigit() or after.isdigit())
    if before in _SIGNS and (after.isdigit() or after in _CURRENCY_MARKS):
        return at >= 2 and _is_word(text[at - 2])  # "2024-2025" is a range; " -5" and " -$5" have a sign
    if before in "()" or after in "()" or before in _CURRENCY_MARKS:
        around = figure_parentheses(text, at)
        if around is not None and (around[0] < at or before in _CURRENCY_MARKS):
            return False  # "16)" of "(16)", "(16" without its ")", "(" without its "$" of "$(1,234)"
        if before == ")" and after == "%" and figure_parentheses(text, at - 1) is not None:
            return False  # "(16.2)" of "(16.2)%"
    if after.isdigit():
        if before in _CURRENCY_MARKS:
            return False
        if before in _DECIMAL_MARKS and at >= 2 and text[at - 2].isdigit():
            return False
    if before.isdigit():
        if after == "%":
            return False
        if after in _DECIMAL_MARKS and at + 1 < len(text) and text[at + 1].isdigit():
            return False
    return True


def elided_parts(quote: str) -> list[str]:
    """The parts of a quote between its ellipses, normalised; one part when it has none.

    A leading or trailing ellipsis only marks that the quote starts or ends mid-sentence.
    """
    return [part for part in _ELLIPSIS.split(normalize(quote)) if part]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Passage:
    """The passage of a source most like a quote."""

    text: str
    similarity: float  # 0 to 1, difflib's ratio on the normalised text
    line: int | None  # line of the source file where the passage starts
    differences: tuple[tuple[str, str], ...] = ()  # (the quote's words, the source's words), in order
    page: int | None = None  # page of the source where the passage starts (sources with pages)
    word: int = 0  # index of its first word in the source's words
    length: int = 0  # how many words it has

    def describe_differences(self, limit: int = 3) -> str:
        """``the quote has "45%" where the source has "40%"``, for the first few differences."""
        parts = []
        for quoted, printed in self.differences[:limit]:
            if quoted and printed:
                parts.append(f'the quote has "{quoted}" where the source has "{printed}"{_unseen(quoted, printed)}')
            elif quoted:
                parts.append(f'the source does not have "{quoted}"{_unseen(quoted, "")}')
            else:
                parts.append(f'the quote leaves out "{printed}"{_unseen("", printed)}')
        more = len(self.differences) - limit
        if more > 0:
            parts.append(f"{more} more difference{'s' if more != 1 else ''}")
        return "; ".join(parts)


NO_PASSAGE = Passage("", 0.0, None)


def _unseen(quoted: str, printed: str) -> str:
    """What makes two words that look alike differ: an invisible character, or a letter from another
    script that looks the same (a homoglyph), each named by code point; "" when the difference shows."""
    named = []
    matcher = difflib.SequenceMatcher(a=quoted, b=printed, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ours, theirs = quoted[i1:i2], printed[j1:j2]
        for char in ours:
            if unicodedata.category(char) in ("Cf", "Mn", "Zs") and char != " ":
                named.append(f"the quote holds {_code_point(char)}, which is invisible")
        for char in theirs:
            if unicodedata.category(char) in ("Cf", "Mn", "Zs") and char != " ":
                named.append(f"the source holds {_code_point(char)}, which is invisible")
        if tag == "replace" and len(ours) == len(theirs):
            named += [
                f"the quote's {_code_point(a)} only looks like the source's {_code_point(b)}"
                for a, b in zip(ours, theirs, strict=True)
                if a != b and a.isalpha() and b.isalpha() and _script(a) != _script(b)
            ]
    return f" ({'; '.join(named)})" if named else ""


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}"


def _script(char: str) -> str:
    """The first word of the character's Unicode name: LATIN, CYRILLIC, GREEK..."""
    return unicodedata.name(char, "?").split(" ")[0]


def _key(word: str) -> str:
    """A word for counting shared words: lower case, without punctuation."""
    return _KEY.sub("", word).lower()


class SourceIndex:
    """A source text prepared for verifying quotes against it.

    The normalised text is all that finding a quote needs; the word lists for
    the nearest passage are made only when a quote is not found.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalized = normalize(text)

    @cached_property
    def _word_spans(self) -> tuple[list[str], list[int]]:
        words: list[str] = []
        starts: list[int] = []
        for match in _WORD.finditer(self.text):
            words.append(_fold(match.group(0)))
            starts.append(match.start())
        return words, starts

    @property
    def words(self) -> list[str]:
        return self._word_spans[0]

    @property
    def starts(self) -> list[int]:
        return self._word_spans[1]

    @cached_property
    def keys(self) -> list[str]:
        return [_key(word) for word in self.words]

    @cached_property
    def _newlines(self) -> list[int]:
        return [match.start() for match in _NEWLINE.finditer(self.text)]

    def find(self, quote: str) -> int | None:
        """Where ``quote`` starts in the normalised text, on word and number boundaries; None if nowhere."""
        return self._find(normalize(quote))

    def _find(self, wanted: str, begin: int = 0, end: int | None = None) -> int | None:
        """The first start of the normalised ``wanted`` at or after ``begin`` (ending by ``end``), on boundaries."""
        if not wanted:
            return None
        text = self.normalized
        start = text.find(wanted, begin)
        while start >= 0 and (end is None or start + len(wanted) <= end):
            if is_cut(text, start) and is_cut(text, start + len(wanted)):
                return start
            start = text.find(wanted, start + 1)
        return None

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Where ``quote`` is in the normalised text (start, end): verbatim, or elided (:func:`elided_parts`)."""
        wanted = normalize(quote)
        start = self._find(wanted)
        if start is not None:
            return start, start + len(wanted)
        parts = elided_parts(quote)
        if len(parts) < 2:
            return None if not parts or parts[0] == wanted else self._span(parts[0])
        return self._elided(parts)

    def _span(self, wanted: str) -> tuple[int, int] | None:
        start = self._find(wanted)
        return None if start is None else (start, start + len(wanted))

    def _elided(self, parts: list[str]) -> tuple[int, int] | None:
        """The first place where ``parts`` follow each other, each gap at most :data:`ELISION_GAP` characters.

        Taking the earliest next part is enough: it ends soonest, which leaves the most room for the rest.
        """
        first = self._find(parts[0])
        while first is not None:
            end = first + len(parts[0])
            for part in parts[1:]:
                found = self._find(part, end, end + ELISION_GAP + len(part))
                if found is None:
                    break
                end = found + len(part)
            else:
                return first, end
            first = self._find(parts[0], first + 1)
        return None

    def elision_problem(self, quote: str) -> str | None:
        """For an elided quote that is not found: which part is missing, or too far from the one before."""
        parts = elided_parts(quote)
        if len(parts) < 2:
            return None
        if self._find(parts[0]) is None:
            return f'its first part "{parts[0]}" is not in the source'
        for before, part in itertools.pairwise(parts):
            if self._find(part) is None:
                return f'its part "{part}" is not in the source'
            if self._elided([before, part]) is None:
                return (
                    f'its part "{part}" is not within {ELISION_GAP} characters after "{before}"; '
                    "an ellipsis may stand only for a short cut within one passage"
                )
        return "its parts are in the source, but not in this order within one passage"

    @cached_property
    def _pages(self) -> tuple[list[int], list[int]] | None:
        """Where each page starts in the normalised text and its number; None for a text without pages.

        Pages are separated by form feeds (:mod:`thesis.inputs.documents`); the normalised text is
        the pages' normalised texts joined by one space, so offsets map back to pages exactly.
        """
        if "\f" not in self.text:
            return None
        starts: list[int] = []
        numbers: list[int] = []
        offset = 0
        for number, page in enumerate(self.text.split("\f"), start=1):
            normal = normalize(page)
            if normal:
                starts.append(offset)
                numbers.append(number)
                offset += len(normal) + 1
        return starts, numbers

    def page_at(self, offset: int) -> int | None:
        """The page of the normalised text's character at ``offset``; None for a text without pages."""
        pages = self._pages
        if pages is None:
            return None
        starts, numbers = pages
        return numbers[max(bisect.bisect_right(starts, offset) - 1, 0)]

    def pages_of(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """The first and last page of a span of the normalised text."""
        first = self.page_at(span[0])
        last = self.page_at(max(span[1] - 1, span[0]))
        return None if first is None or last is None else (first, last)

    @cached_property
    def _form_feeds(self) -> list[int]:
        return [match.start() for match in re.finditer("\f", self.text)]

    def page_of_word(self, word_index: int) -> int | None:
        """The page of a word of the source (as :attr:`words` numbers them); None for a text without pages."""
        if "\f" not in self.text:
            return None
        return bisect.bisect_left(self._form_feeds, self.starts[word_index]) + 1

    def contains(self, quote: str) -> bool:
        """Whether the source has ``quote`` verbatim, or its elided parts in order (:func:`elided_parts`)."""
        return self.locate(quote) is not None

    def cut_passage(self, quote: str) -> str | None:
        """The whole words and numbers around ``quote`` when the text has it only as part of them.

        "4% domestic" in "... 34% domestic market ..." gives "34% domestic"; None when the
        text does not have the quote at all, or has it on boundaries.
        """
        wanted = normalize(quote)
        text = self.normalized
        start = text.find(wanted) if wanted else -1
        if start < 0 or self.find(quote) is not None:
            return None
        end = start + len(wanted)
        while not is_cut(text, start):
            start -= 1
        while not is_cut(text, end):
            end += 1
        return text[start:end]

    def line_of(self, word_index: int) -> int:
        return bisect.bisect_left(self._newlines, self.starts[word_index]) + 1

    def nearest(self, quote: str) -> Passage:
        """The passage most like ``quote``, where it starts, and how it differs."""
        found = self.passages(quote, 1)
        return found[0] if found else NO_PASSAGE

    def passages(self, quote: str, limit: int = CANDIDATES, *, ignore_case: bool = False) -> list[Passage]:
        """Up to ``limit`` passages like ``quote``, far enough apart not to overlap much, most similar first.

        Word order counts (difflib's ratio); ``ignore_case`` compares without capitals.
        """
        quote_words = normalize(quote).split(" ")
        total = len(self.words)
        if not total or not quote_words or quote_words == [""]:
            return []
        width = min(len(quote_words), total)
        target = " ".join(quote_words)
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(target.lower() if ignore_case else target)
        found = [self._refine(matcher, start, width, ignore_case) for start in self._candidates(quote_words, width)]
        found.sort(key=lambda item: (-item[0], item[1]))
        result = []
        for similarity, start, length in found[:limit]:
            passage_words = self.words[start : start + length]
            result.append(
                Passage(
                    " ".join(passage_words),
                    max(similarity, 0.0),
                    self.line_of(start),
                    _differences(target, " ".join(passage_words)),
                    self.page_of_word(start),
                    start,
                    length,
                )
            )
        return result

    def _candidates(self, quote_words: list[str], width: int) -> list[int]:
        """Starts of the windows sharing most words with the quote, a few far enough apart."""
        wanted = Counter(_key(word) for word in quote_words)
        window: Counter[str] = Counter()
        shared = 0
        scores: list[int] = []
        for index, key in enumerate(self.keys):
            if window[key] < wanted[key]:
                shared += 1
            window[key] += 1
            if index >= width:
                leaving = self.keys[index - width]
                window[leaving] -= 1
                if window[leaving] < wanted[leaving]:
                    shared -= 1
            if index >= width - 1:
                scores.append(shared)
        ranked = sorted(range(len(scores)), key=lambda start: (-scores[start], start))
        chosen: list[int] = []
        for start in ranked:
            if all(abs(start - other) > width // 2 for other in chosen):
                chosen.append(start)
            if len(chosen) == CANDIDATES:
                break
        return chosen

    def _refine(
        self, matcher: difflib.SequenceMatcher[str], start: int, width: int, ignore_case: bool = False
    ) -> tuple[float, int, int]:
        """Try starts and lengths near a candidate window; keep the most similar."""
        total = len(self.words)

        def score(begin: int, length: int) -> float:
            text = " ".join(self.words[begin : begin + length])
            matcher.set_seq1(text.lower() if ignore_case else text)
            return matcher.ratio()

        best = (score(start, width), start, width)
        for begin in range(max(0, start - SHIFT), min(total - 1, start + SHIFT) + 1):
            ratio = score(begin, width)
            if ratio > best[0]:
                best = (ratio, begin, width)
        _, begin, _ = best
        for length in range(max(1, width - SHIFT), min(total - begin, width + SHIFT) + 1):
            ratio = score(begin, length)
            if ratio > best[0]:
                best = (ratio, begin, length)
        return best


def _differences(quote: str, passage: str) -> tuple[tuple[str, str], ...]:
    """Where ``quote`` and ``passage`` differ, token by token (words, numbers, punctuation)."""
    quote_tokens = list(_TOKEN.finditer(quote))
    passage_tokens = list(_TOKEN.finditer(passage))
    matcher = difflib.SequenceMatcher(
        a=[t.group(0) for t in quote_tokens], b=[t.group(0) for t in passage_tokens], autojunk=False
    )

    def span(text: str, tokens: list[re.Match[str]], first: int, last: int) -> str:
        return text[tokens[first].start() : tokens[last - 1].end()] if last > first else ""

    return tuple(
        (span(quote, quote_tokens, i1, i2), span(passage, passage_tokens, j1, j2))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal" and not (tag == "insert" and i1 in (0, len(quote_tokens)))  # the passage runs on
    )


@dataclass(frozen=True)
class QuoteResult:
    found: bool
    nearest: str = ""
    similarity: float = 1.0
    line: int | None = None
    pages: tuple[int, int] | None = None  # first and last page of a found quote, in a source with pages


@dataclass(frozen=True)
class Verification:
    """The result for every citation, keyed by its dotted path in the inputs."""

    results: dict[str, QuoteResult]
    problems: list[Problem]
    found_quotes: frozenset[tuple[str, str]] = frozenset()
    # (source id, normalised quote) -> first and last page, for found quotes in sources with pages
    quote_pages: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def verified(self, path: str) -> bool:
        result = self.results.get(path)
        return result is not None and result.found

    def verified_quote(self, source_id: str, quote: str) -> bool:
        return (source_id, normalize(quote)) in self.found_quotes

    def pages(self, source_id: str, quote: str) -> tuple[int, int] | None:
        """The first and last page of the source a found quote is on; None when the source has no pages."""
        return self.quote_pages.get((source_id, normalize(quote)))

    def verified_citation(self, source_id: str, quote: str, value: float | None = None, unit: str = "") -> bool:
        """What a brief calls verified: the quote is in its source and, for a metric observation
        (``value`` in ``unit``), the value is in the quote (:func:`thesis.verify.numbers.appears`)."""
        return self.verified_quote(source_id, quote) and (value is None or appears(value, unit, quote))

    @property
    def count(self) -> int:
        return len(self.results)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results.values() if not r.found)


def citation_paths(loaded: Loaded) -> list[tuple[tuple[str | int, ...], str, str, str]]:
    """Every cited quote: (path, item id, source id, quote)."""
    return [((*path, "quote"), item, cited.source, cited.quote) for path, item, cited in loaded.thesis.citations()]


def source_display(loaded: Loaded, source_id: str) -> str:
    """The source's archived file as messages show it, e.g. inputs/acme/sources/alpha.txt."""
    try:
        relative = loaded.thesis.source(source_id).file
    except KeyError:
        return source_id
    sources_yaml = loaded.located.files.get("sources", "")
    return str(PurePosixPath(sources_yaml).parent / relative) if sources_yaml else relative


def verify(loaded: Loaded, severity: str = "warning") -> Verification:
    """Check every quote against its source; a miss is a problem of the given severity."""
    from thesis.inputs.yaml_reader import dotted

    indexes = {sid: SourceIndex(text) for sid, text in loaded.source_texts.items()}
    results: dict[str, QuoteResult] = {}
    problems: list[Problem] = []
    found: set[tuple[str, str]] = set()
    quote_pages: dict[tuple[str, str], tuple[int, int]] = {}
    for path, item, source_id, quote in citation_paths(loaded):
        key = dotted(path)
        index = indexes.get(source_id)
        span = index.locate(quote) if index is not None else None
        if index is not None and span is not None:
            pages = index.pages_of(span)
            results[key] = QuoteResult(True, pages=pages)
            found.add((source_id, normalize(quote)))
            if pages is not None:
                quote_pages[(source_id, normalize(quote))] = pages
            continue
        passage = index.nearest(quote) if index is not None else NO_PASSAGE
        results[key] = QuoteResult(False, passage.text, passage.similarity, passage.line)
        cut = index.cut_passage(quote) if index is not None else None
        elision = index.elision_problem(quote) if index is not None else None
        if elision is not None:
            message = f"elided quote not found in source {source_id!r} ({source_display(loaded, source_id)})"
            hint = f"{elision}; copy each part exactly, with '...' where words are left out"
        elif cut is not None:
            message = f"quote cuts a word or number of source {source_id!r} ({source_display(loaded, source_id)})"
            hint = f'the source has "{cut}": quote whole words and whole numbers'
        else:
            elsewhere = sorted(sid for sid, other in indexes.items() if sid != source_id and other.contains(quote))
            message = f"quote not found in source {source_id!r} ({source_display(loaded, source_id)})"
            hint = _quote_hint(loaded, source_id, passage, elsewhere)
        problems.append(loaded.located.problem(path, message, hint, severity=severity, item=item))
    return Verification(results, problems, frozenset(found), quote_pages)


def short_quotes(loaded: Loaded) -> list[Problem]:
    """Quotes under :data:`SHORT_QUOTE` characters: found or not, they prove little (a warning).

    So does a short part of an elided quote: "Alibaba ... not ... buy" could join words of one
    passage into a claim it does not make, so each part is held to the same length.
    """
    problems = []
    for path, item, _, quote in citation_paths(loaded):
        text = normalize(quote)
        parts = elided_parts(quote)
        short = next((part for part in parts if len(part) < SHORT_QUOTE), None) if len(parts) > 1 else None
        if len(text) < SHORT_QUOTE:
            message = f"quote {text!r} is only {len(text)} characters long (under {SHORT_QUOTE}), "
            hint = "quote the whole phrase or sentence that supports the claim"
        elif short is not None:
            message = (
                f"the part {short!r} of an elided quote is only {len(short)} characters long (under {SHORT_QUOTE}), "
            )
            hint = "quote whole phrases on each side of the '...', or quote the passage without cuts"
        else:
            continue
        problems.append(
            loaded.located.problem(
                path, message + "too short to show what the source says", hint, severity="warning", item=item
            )
        )
    return problems


def _quote_hint(loaded: Loaded, source_id: str, passage: Passage, elsewhere: list[str]) -> str:
    if elsewhere:
        return f"the quote is in source {elsewhere[0]!r}: cite that source instead of {source_id!r}"
    if not passage.text:
        return f"copy the passage exactly from {source_display(loaded, source_id)}"
    where = f"{source_display(loaded, source_id)}:{passage.line}"
    if passage.page is not None:
        where += f", page {passage.page}"
    if passage.similarity < UNRELATED:
        return (
            f"no passage of {source_id} is close (best {passage.similarity:.0%} similar, at {where}); "
            "check the source id, or copy the passage exactly"
        )
    text = f'nearest passage ({passage.similarity:.0%} similar, at {where}): "{passage.text}"'
    differences = passage.describe_differences()
    if differences:
        text += f"; {differences}"
    return text + "; copy the passage exactly"
