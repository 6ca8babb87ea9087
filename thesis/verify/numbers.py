"""How sources write numbers, so that a metric's value can be found in its quote.

A metric observation carries a plain ``value`` in its metric's ``unit``; its
``quote`` must contain that number the way the source printed it.
:func:`mentions` reads every number a text writes and :func:`appears` says
whether a value (in a unit) is among them.

What counts as a number
  * Numerals with optional thousands separators and decimals: ``23,000``,
    ``31.742``, ``0.6``; and as German texts print them, a decimal comma
    (``42,6``, ``0,85``: one or two digits after it) or thousands points
    with a decimal comma (``1.842,5``). ``1.842`` alone stays the English
    1.842, and ``1,842`` the English 1842. A numeral glued to a letter
    before it is part of a name, not a number (``H20``, ``Qwen3``, ``Q3``)
    and is skipped.
  * A scale after the numeral: the words ``thousand``, ``million``/``mn``/
    ``mln``, ``billion``/``bn``, ``trillion``/``tn`` (with or without a
    space, in any case), the German ``Tsd.``, ``Mio.`` and ``Mrd.``, the
    letters ``k``, ``M``, ``B``, ``T`` written directly after the digits
    (``150M``, ``$53B``, ``16.9k``), and the Chinese ``万`` (10⁴) and
    ``亿`` (10⁸).
  * A percentage: ``35%``, ``35 percent``, ``35 per cent``.
  * Number words: cardinals ``one`` … ``nineteen``, the tens ``twenty`` …
    ``ninety`` and compounds (``twenty-five``), ``hundred`` on its own,
    ``dozen``, and the number word of a hyphenated word (``five-year``);
    ordinals ``first`` … ``twentieth`` and ``thirtieth`` … ``ninetieth``
    (``the ninth consecutive quarter`` is 9); multiples ``five times``,
    ``tenfold``, ``twice``/``double`` (2), ``thrice``/``triple`` (3) and
    ``half`` (0.5). A number word may take a scale (``one trillion``), and so
    may ``a`` (``a trillion-parameter model`` is 1 trillion).

Currency
  A currency mark or code written next to a number is its currency: before
  it (``$53B``, ``US$53bn``, ``RMB 21.8 billion``, ``¥380 billion``,
  ``HK$``) or after it and its scale (``380 billion yuan``, ``27 billion
  USD``, ``380亿元``, ``1.842,5 Mio. €``). :data:`CURRENCIES` lists the spellings of each;
  ``RMB``, ``CNY``, ``yuan``, ``renminbi``, ``¥`` and ``元`` are one currency,
  ``$``, ``US$``, ``USD`` and ``dollars`` another. A metric's unit names its
  currency the same way (``CNY bn``, ``USD bn``, ``$bn``, or glued as
  analysts write it: ``EURm``, ``USDbn``, ``TEUR`` for thousands of euros). A figure written
  in one currency never matches a unit in another: a ``CNY bn`` value of 27
  does not match "(USD 27 billion)". A figure written without a currency
  matches any unit, and a unit without a currency (``count``, ``%``)
  matches a figure in any currency.

Sign
  A figure is signed negative (:attr:`Mention.signed_negative`) when the text
  writes it with a minus (``-2.6``, "minus EUR 18.3 million"), in accounting
  parentheses (:func:`_parenthesised`: "(16)", "(16.2)%", "RMB(3.1) billion",
  "$(1,234)"; not the asides "AWS (29%)", "($53 billion)", "(16 stores)", nor
  "(2024)" or "EBITA(1)"), or with a word of decline or outflow
  (:data:`DECLINE_WORDS`) that governs it: just before it with only small
  words between ("fell 16%", "decreased by $1.2 billion"; not a level after
  "to" or "from": "fell to 25%"), or just after it when the word is a noun or
  an adjective ("a 16% decrease", "a RMB 21.8 billion outflow"; not the verb
  of "$10.2 billion declined 5%"). A positive value does not match a figure
  signed negative. A negative value matches one, or one a decline word of its
  clause reaches and no word of rise governs (:attr:`Mention.may_be_negative`,
  :func:`_signed`): "decreased by $1.2 billion, or 8%" writes -8, "revenue
  fell 5% while margins rose 3%" writes -5 and +3. Parentheses around a figure
  alone right after another figure are a comparative column ("312 (287)"):
  either sign matches it. Zero matches either way.

What is ignored
  * Qualifiers (``~``, ``about``, ``nearly``, ``over``, ``+``): the printed
    number is what the value must equal; the observation's ``note`` says it is
    approximate or a bound.

When a value matches
  The metric's unit may carry a scale (``USD bn``, ``million``, ``k``). A
  number printed with a scale matches when the two amounts are equal:
  53 in ``USD bn`` matches ``$53B``, ``53 billion`` and ``53,000 million``
  (and, harmlessly, ``0.053 trillion``). A number printed without a scale
  matches when it equals the value itself, because sources often leave the
  scale to the context ("a capital expenditure of 380 billion" in one
  sentence, "380 billion may only be a ticket" in the next, or a table cell
  ``| 53 |``). A percentage matches only a metric whose unit is a percentage
  (``%``, ``percent``, ``pct``, ``pp``). Equality allows only for floating-point
  error: a value rounded by the analyst (31.7 for "31.742 billion") does not
  match, so the quote must print the number the value records.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, replace
from typing import Literal

SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    # German, as German companies print figures: "1.842,5 Mio. EUR", "3,2 Mrd. €", "480 Tsd."
    "tsd": 1e3,
    "mio": 1e6,
    "mrd": 1e9,
}
SCALE_LETTERS: dict[str, float] = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "万": 1e4, "亿": 1e8}
UNIT_SCALES: dict[str, float] = {**SCALE_WORDS, "k": 1e3, "m": 1e6, "b": 1e9, "bil": 1e9, "mil": 1e6}
PERCENT_UNITS = frozenset({"%", "percent", "per cent", "pct", "pp", "percentage points"})
# Each currency's spellings, lower case; a symbol may also lead a unit ("$bn").
CURRENCIES: dict[str, tuple[str, ...]] = {
    "CNY": ("cny", "rmb", "yuan", "renminbi", "cn¥", "¥", "元"),
    "USD": ("usd", "us$", "u.s.$", "$", "dollar", "dollars", "us dollars", "u.s. dollars"),
    "HKD": ("hkd", "hk$", "hong kong dollars", "hong kong dollar"),
    "EUR": ("eur", "€", "euro", "euros"),
    "GBP": ("gbp", "£"),
    "JPY": ("jpy", "yen"),
}
CURRENCY_OF: dict[str, str] = {spelling: code for code, spellings in CURRENCIES.items() for spelling in spellings}
# fmt: off
DECLINE_WORDS = frozenset({
    "decline", "declined", "declines", "declining", "decrease", "decreased", "decreases", "decreasing", "drop",
    "dropped", "drops", "dropping", "fall", "fell", "fallen", "falls", "falling", "down", "lower", "loss", "losses",
    "outflow", "outflows", "shrink", "shrank", "shrunk", "shrinking", "contraction", "contracted", "slump",
    "slumped", "plunge", "plunged", "plunging", "slid", "slide", "tumble", "tumbled", "dip", "dipped", "deficit",
    "negative", "reduction", "reduced",
})
# fmt: on
# Words of decline that also name a figure before them, as nouns and adjectives do: "a 16% decline", "a RMB 21.8
# billion outflow", "5% lower". A verb after a figure governs the figure after it ("$10.2 billion declined 5%").
# fmt: off
_DECLINE_AFTER_WORDS = frozenset({
    "decline", "declines", "decrease", "decreases", "drop", "drops", "fall", "falls", "loss", "losses", "outflow",
    "outflows", "lower", "deficit", "reduction", "contraction", "slump", "plunge", "dip", "slide", "tumble",
})
# fmt: on
# Words of a state rather than a change: the figure after them is the loss whatever verb stands between ("net
# loss was RMB 3.1 billion", "net loss narrowed to RMB 3.1 billion"), after "to" and "from" too.
_STATE_WORDS = frozenset({"loss", "losses", "outflow", "outflows", "deficit", "negative"})
_STATE_LINKS = frozenset(
    {"was", "were", "is", "are", "of", "at", "to", "from", "narrowed", "widened", "totalled", "totaled", "amounted"}
)
# Words that say a loss or outflow shrank ("operating loss narrowed to ..."): they let a figure of their clause
# be negative but govern no figure themselves.
CLAUSE_DECLINE_WORDS = frozenset({"narrowed"})
# Adjectives of decline before a noun state a level, not a change: "a lower effective tax rate of 15%".
_ATTRIBUTIVE = frozenset({"lower", "reduced", "declining", "decreasing", "falling", "shrinking", "dropping"})
# Small words that may stand between a figure and the word of change that governs it: "a 16% year-on-year
# decline", "dropped by nearly 20%", "declined in the quarter by 5%", and between "to"/"from" and a level.
_LINKING_WORDS = (
    "by of about around approximately roughly nearly almost some over more than as much a an the net sharply "
    "steeply further another year-on-year year-over-year yoy y/y qoq q/q annual quarterly sequential"
)
_SMALL_WORDS = frozenset(_LINKING_WORDS.split()) | {"in", "quarter", "year", "period"}
# Words of rise: one that governs a figure keeps a decline word of its clause from letting it be negative
# ("revenue fell, margins rose 3%").
# fmt: off
RISE_WORDS = frozenset({
    "rise", "rises", "rose", "risen", "rising", "grow", "grows", "grew", "grown", "growing", "increase",
    "increased", "increases", "increasing", "up", "higher", "gain", "gained", "gains", "climb", "climbed",
    "jump", "jumped", "surge", "surged", "improve", "improved", "expand", "expanded",
})
# Words of rise that also govern the figure before them: "a 3% increase", "5% higher", "5% growth" ("growth" only
# there: "negative growth of 5%" is a fall).
_RISE_AFTER_WORDS = frozenset({
    "rise", "rises", "increase", "increases", "higher", "gain", "gains", "climb", "jump", "surge", "growth",
})
# fmt: on
# Words that begin a new clause: a decline word does not reach past them ("revenue fell, while margins were 3%").
_CLAUSE_WORDS = ("while", "whereas", "but", "although", "though", "however", "meanwhile")

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS_ORDINALS = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"]

WORD_VALUES: dict[str, float] = {word: float(n) for n, word in enumerate(_ONES)}
WORD_VALUES.update({word: float(20 + 10 * n) for n, word in enumerate(_TENS)})
WORD_VALUES.update({word: float(n) for n, word in enumerate(_ORDINALS) if n})
WORD_VALUES.update({word: float(20 + 10 * n) for n, word in enumerate(_TENS_ORDINALS)})
WORD_VALUES.update({f"{word}fold": float(n) for n, word in enumerate(_ONES) if n >= 2})
WORD_VALUES.update({f"{word}fold": float(20 + 10 * n) for n, word in enumerate(_TENS)})
WORD_VALUES.update(
    {
        "hundred": 100.0,
        "hundredfold": 100.0,
        "dozen": 12.0,
        "twice": 2.0,
        "double": 2.0,
        "doubled": 2.0,
        "doubling": 2.0,
        "thrice": 3.0,
        "triple": 3.0,
        "tripled": 3.0,
        "tripling": 3.0,
        "half": 0.5,
    }
)
_UNITS_AFTER_TENS = {w: WORD_VALUES[w] for w in _ONES[1:10] + _ORDINALS[1:10]}

_SCALE_WORD_RE = "|".join(sorted(SCALE_WORDS, key=len, reverse=True))
_NUMERAL = re.compile(
    r"(?<![\w.])"  # not glued to a name (H20, Qwen3) or the tail of another number
    r"(?:(?P<german>\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2}(?![\d,]))"  # German: 1.842,5 and 42,6
    r"|(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+))"
    r"(?:"
    r"(?P<letter>[kKMBT万亿])(?![A-Za-z])"
    r"|\s?(?P<word>(?i:" + _SCALE_WORD_RE + r"))\b(?:(?<=[Mm]io|[Mm]rd|[Tt]sd)\.)?"
    r")?"
    r"(?P<percent>\s?%|\s(?:percent|per cent)\b)?",
)
_WORD = re.compile(
    r"\b(?P<word>[A-Za-z]+(?:-[A-Za-z]+)?)\b"
    r"(?:\s(?P<scale>" + _SCALE_WORD_RE + r")\b)?"
    r"(?P<percent>\s(?:percent|per cent)\b)?",
    re.IGNORECASE,
)


def _alternatives(spellings: list[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))


_SYMBOLS = [
    s for s in CURRENCY_OF if not (s[-1].isascii() and s[-1].isalpha())
]  # "$", "US$", "¥", "元": may touch the digits
_CODES = [
    s for s in CURRENCY_OF if s[-1].isascii() and s[-1].isalpha()
]  # "RMB", "yuan", "dollars": a word of their own
_CURRENCY_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?P<symbol>" + _alternatives(_SYMBOLS) + r")|\b(?P<code>" + _alternatives(_CODES) + r"))\s?$",
    re.IGNORECASE,
)
_CURRENCY_AFTER = re.compile(
    r"^(?:(?P<symbol>元)|\s?(?P<euro>€)|\s(?P<code>" + _alternatives(_CODES) + r")\b)", re.IGNORECASE
)
_MINUS = re.compile(
    r"(?:(?:^|(?<=[\s(:=\[]))[-\u2212\u2013]\s?(?:" + _alternatives(_SYMBOLS) + r")?"
    r"|\bminus\s(?:(?:" + _alternatives(_SYMBOLS) + r")|(?:" + _alternatives(_CODES) + r")\s)?)\s?$",
    re.IGNORECASE,
)
# Accounting parentheses: "(" directly before the digits, or before a currency mark directly before them
# ("(16)", "($2.6)", "RMB(3.1) billion", "$(1,234)"); ")" directly after the digits, then at most a per cent
# sign ("(16.2)%") or a scale ("RMB(3.1) billion", "(2.6)bn").
_ACCOUNTING_LEAD = re.compile(r"\((?:" + _alternatives(_SYMBOLS) + r")?", re.IGNORECASE)
_ACCOUNTING_OPEN = re.compile(r"\((?P<symbol>" + _alternatives(_SYMBOLS) + r")?$", re.IGNORECASE)
_ACCOUNTING_CLOSE = re.compile(
    r"\)(?:(?P<percent>%)|(?P<letter>[kKMBT万亿])(?![A-Za-z])"
    r"|\s?(?P<word>(?i:" + _SCALE_WORD_RE + r"))\b(?:(?<=[Mm]io|[Mm]rd|[Tt]sd)\.)?)?"
)
_YEAR = re.compile(r"(?:19\d\d|20\d\d|2100)")
_DECLINE_ALTERNATIVES = "|".join(sorted(DECLINE_WORDS | CLAUSE_DECLINE_WORDS, key=len, reverse=True))
_LINKING_ALTERNATIVES = "|".join(re.escape(w) for w in sorted(_LINKING_WORDS.split(), key=len, reverse=True))
_ANY_DECLINE = re.compile(r"\b(?:" + _DECLINE_ALTERNATIVES + r")\b", re.IGNORECASE)
_ANY_RISE = re.compile(
    r"\b(?:" + "|".join(sorted((RISE_WORDS | _RISE_AFTER_WORDS) - {"up"}, key=len, reverse=True)) + r")\b"
    r"|\bup\b(?!\s+to\b)",  # "dropped by up to 20%": "up to" is a bound, not a rise
    re.IGNORECASE,
)
# Between a figure and a word that sits on it: its currency and small words ("21.8 billion net outflow").
_SITS_ON = re.compile(
    r"(?:元|\s(?:" + _alternatives(_CODES) + r")\b)?(?:\s+(?:" + _LINKING_ALTERNATIVES + r"))*\s+", re.IGNORECASE
)
# A currency or qualifier standing between a word and its figure: "fell by ~$", "a loss of RMB".
_MARKS_BEFORE = re.compile(
    r"[~≈+]?(?:" + _alternatives(_SYMBOLS) + r"|" + _alternatives(_CODES) + r")?\(?", re.IGNORECASE
)
# Where a clause ends: the end of a sentence (not of "U.S." or "approx."), a semicolon, or a word that begins
# another clause. A comma does not end one ("decreased by $1.2 billion, or 8%").
_CLAUSE_ENDS = re.compile(
    r"[;；。]|(?<!\b[A-Za-z])(?<!\bapprox)(?<!\bvs)(?<!\bca)(?<!\bInc)(?<!\bCo)(?<!\bLtd)(?<!\bNo)[.!?](?=\s|$)"
    r"|\b(?:" + "|".join(_CLAUSE_WORDS) + r")\b",
    re.IGNORECASE,
)
# A figure after "to" or "from" is a level, not a change ("fell to 25%", "down from 30%"); "up to" is a bound.
_LEVEL = re.compile(
    r"(?<!\bup\s)\b(?:to|from)(?:\s+(?:" + _LINKING_ALTERNATIVES + r"))*\s*(?:[~≈+]\s?)?"
    r"(?:(?:" + _alternatives(_SYMBOLS) + r")|\b(?:" + _alternatives(_CODES) + r")\s?)?\(?$",
    re.IGNORECASE,
)
# A figure, and the currency written after it, just before a parenthesis: "312 (287)", "EUR 1,842.5 million
# (1,650.3)", "1.842,5 Mio. € (1.650,3)". The figure in the parentheses is then the comparative column.
_FIGURE_BEFORE = re.compile(_NUMERAL.pattern + r"(?:\s?€|元|\s(?i:" + _alternatives(_CODES) + r")\b)?\s*$")
_WORD_BEFORE = re.compile(r"\b(?P<word>[A-Za-z]+(?:-[A-Za-z]+)?)\s+$")
# Number words that count or multiply rather than measure an amount: a word of change never governs them.
_NOT_AMOUNTS = frozenset(
    [*_ORDINALS[1:], *_TENS_ORDINALS, *(word for word in WORD_VALUES if word.endswith("fold"))]
    + ["twice", "double", "doubled", "doubling", "thrice", "triple", "tripled", "tripling", "half"]
)


@dataclass(frozen=True)
class Mention:
    """One number as a text writes it."""

    text: str
    number: float  # the digits or word, e.g. 53 for "$53B"
    scale: float | None  # the scale written with it, e.g. 1e9 for "$53B"; None when none is written
    percent: bool
    start: int
    currency: str | None = None  # "CNY", "USD", ... when a currency is written next to it
    negative: bool = False  # printed with a minus sign
    accounting: bool = False  # in accounting parentheses: "(2.6)", "RMB(3.1) billion", "(16.2)%"
    comparative: bool = False  # in parentheses right after another figure, a comparative column: "312 (287)"
    decline_word: str | None = None  # the word of decline or outflow that governs it ("fell" in "fell 16%")
    rise_word: str | None = None  # the word of rise that governs it ("rose" in "rose 3%")
    clause_decline: str | None = None  # a word of decline or outflow of its clause that lets it be negative
    end: int = 0  # where it ends in the text (its scale, per cent sign or closing parenthesis included)

    @property
    def amount(self) -> float:
        """The number times its written scale (the number itself when no scale is written)."""
        return self.number * (self.scale or 1.0)

    @property
    def signed_negative(self) -> bool:
        """Whether the text signs it negative itself: a minus, accounting parentheses or a decline word that
        governs it. A positive value never matches it."""
        return self.negative or self.accounting or self.decline_word is not None

    @property
    def may_be_negative(self) -> bool:
        """Whether a negative value may match it: signed negative, in comparative parentheses (which may be a
        negative), or in a clause with a word of decline or outflow and not governed by a word of rise."""
        return self.signed_negative or self.comparative or self.clause_decline is not None


def mentions(text: str) -> list[Mention]:
    """Every number ``text`` writes, in order, with the currency and sign written around it."""
    found: list[Mention] = []
    for match in _NUMERAL.finditer(text):
        found.append(_parenthesised(text, match) or _numeral(text, match))
    for match in _WORD.finditer(text):
        scale = SCALE_WORDS.get((match["scale"] or "").lower())
        word_value = 1.0 if scale and match["word"].lower() == "a" else word_number(match["word"])
        if word_value is None:
            continue
        start, end = match.start(), match.end()
        before, after = text[max(0, start - 80) : start], text[end : end + 80]
        found.append(
            Mention(match.group(0), word_value, scale, bool(match["percent"]), start, _currency(before, after), end=end)
        )
    found.sort(key=lambda m: m.start)
    return _signed(text, found)


def _numeral(text: str, match: re.Match[str]) -> Mention:
    scale = SCALE_LETTERS.get(match["letter"] or "") or SCALE_WORDS.get((match["word"] or "").lower())
    start, end = match.start(), match.start() + len(match.group(0).rstrip())
    before, after = text[max(0, start - 80) : start], text[end : end + 80]
    return Mention(
        match.group(0).strip(),
        _numeral_value(match),
        scale,
        bool(match["percent"]),
        start,
        _currency(before, after),
        bool(_MINUS.search(before)),
        end=end,
    )


def _numeral_value(match: re.Match[str]) -> float:
    if match["german"]:
        return float(match["german"].replace(".", "").replace(",", "."))
    return float(match["digits"].replace(",", ""))


def _parenthesised(text: str, match: re.Match[str]) -> Mention | None:
    """The numeral as a figure alone in parentheses, or None when it is not one.

    It is one when parentheses wrap its digits and nothing else but a currency mark ("(16)", "($2.6)",
    "RMB(3.1) billion", "(16.2)%"); not when the parenthesis is glued to a word that is not a currency, as a
    note mark is ("EBITA(1)"), nor when the digits are a year ("(2024)"). A per cent sign, scale or words
    inside the parentheses make them an aside ("AWS (29%)", "($53 billion)", "(16 stores)"). Right after
    another figure ("312 (287)", "EUR 1,842.5 million (1,650.3)") the parentheses are the comparative column
    that European reports print, ambiguous (:attr:`Mention.comparative`); otherwise they are accounting
    parentheses, a negative (:attr:`Mention.accounting`).
    """
    if match["letter"] or match["word"] or match["percent"] or not text.startswith(")", match.end()):
        return None
    digits = match.group(0)
    if _YEAR.fullmatch(digits):
        return None
    opening = _ACCOUNTING_OPEN.search(text, max(0, match.start() - 8), match.start())
    if opening is None:
        return None
    start = opening.start()
    before = text[max(0, start - 80) : start]
    if before[-1:].isalnum() and not _CURRENCY_BEFORE.search(before):
        return None
    closing = _ACCOUNTING_CLOSE.match(text, match.end())
    assert closing is not None  # the text has ")" there
    end = closing.end()
    symbol = opening["symbol"]
    currency = CURRENCY_OF[symbol.lower()] if symbol else _currency(before, text[end : end + 80])
    scale = SCALE_LETTERS.get(closing["letter"] or "") or SCALE_WORDS.get((closing["word"] or "").lower())
    comparative = not symbol and _follows_figure(text, start)
    return Mention(
        text[start:end],
        _numeral_value(match),
        scale,
        bool(closing["percent"]),
        start,
        currency,
        accounting=not comparative,
        comparative=comparative,
        end=end,
    )


def _follows_figure(text: str, opening: int) -> bool:
    """Whether the parenthesis at ``opening`` comes right after a figure (not a year) and its currency, or a
    number word, as contracts restate one: "two (2) years"."""
    word = _WORD_BEFORE.search(text, max(0, opening - 40), opening)
    if word is not None and word_number(word["word"]) is not None:
        return True
    figure = _FIGURE_BEFORE.search(text, max(0, opening - 40), opening)
    if figure is None:
        return False
    return bool(figure["letter"] or figure["word"] or figure["percent"] or not _YEAR.fullmatch(figure["digits"] or ""))


def figure_parentheses(text: str, at: int) -> tuple[int, int] | None:
    """Where the parentheses around a figure alone that hold ``at`` open and close, or None.

    They are the accounting parentheses of a negative ("(16)", "$(1,234)", "RMB(3.1) billion") or the
    comparative column after another figure ("312 (287)"), as :func:`mentions` reads them, and ``at`` is
    within them: at the opening parenthesis, at the closing one or between. An aside ("(33.4 billion yuan in
    revenue)", "(29%)") or a year ("(2024)") is not such a figure.
    """
    opening = text.rfind("(", max(0, at - 24), at + 1)
    if opening < 0:
        return None
    lead = _ACCOUNTING_LEAD.match(text, opening)
    numeral = _NUMERAL.match(text, lead.end()) if lead else None
    if numeral is None:
        return None
    mention = _parenthesised(text, numeral)
    if mention is None or mention.start != opening or at > numeral.end():
        return None
    return opening, numeral.end()


def _currency(before: str, after: str) -> str | None:
    """The currency written just before a number ("$", "RMB ") or just after it ("yuan", "元")."""
    for pattern, text in ((_CURRENCY_BEFORE, before), (_CURRENCY_AFTER, after)):
        match = pattern.search(text)
        if match:
            return CURRENCY_OF[(match["symbol"] or match.groupdict().get("euro") or match["code"]).lower()]
    return None


def is_year(mention: Mention) -> bool:
    """Whether a mention is a year (four digits from 1900 to 2100, no scale, no per cent sign)."""
    return mention.scale is None and not mention.percent and _YEAR.fullmatch(mention.text) is not None


def takes_sign(mention: Mention) -> bool:
    """Whether a word of change can govern the mention: an amount, not a year, an ordinal or a multiple."""
    if mention.text[:1].isdigit() or mention.text[:1] == "(":
        return not is_year(mention)
    word = mention.text.split()[0].lower()
    return word not in _NOT_AMOUNTS and word.partition("-")[0] not in _NOT_AMOUNTS


Governs = Literal["change", "level"] | None  # "fell 5%", "fell to 25%", or a word that governs no figure


def _governs(between: str, state: bool) -> Governs:
    """How a word of change governs the figure after it, given the text between them.

    Only small words, a year, a currency or a qualifier may stand between ("dropped by nearly 20%", "declined
    in the quarter by 5%", "fell in 2024 by 5%", "decreased by $1.2 billion"); "to" or "from" makes the figure
    a level ("fell to 25%"), but "up to" is a bound ("dropped by up to 20%"). After a word of state ("loss") the
    figure is the loss whatever the verb: "net loss was RMB 3.1 billion", "net loss narrowed to RMB 3.1 billion".
    """
    words = between.lower().split()
    level = False
    for index, word in enumerate(words):
        bound = (
            word == "up"
            and words[index + 1 : index + 2] == ["to"]
            or word == "to"
            and words[index - 1 : index] == ["up"]
        )
        if bound or word in _SMALL_WORDS or _YEAR.fullmatch(word) or _MARKS_BEFORE.fullmatch(word):
            continue
        if state and word in _STATE_LINKS:
            continue
        if word in ("to", "from"):
            level = True
            continue
        return None
    return "level" if level else "change"


def _signed(text: str, found: list[Mention]) -> list[Mention]:
    """The mentions, each with the words of change that sign it or let it be negative.

    A word of decline or outflow governs one figure: the one it sits on, just before it with only its currency
    and small words between, when the word is a noun or an adjective ("a 16% decrease", "a RMB 21.8 billion
    outflow", "5% lower"; not a verb: "$10.2 billion declined 5%" governs the 5%); otherwise the figure just
    after it (:func:`_governs`). Words of rise govern figures the same way, and also after "to" or "from".
    A word of decline also lets be negative the figures of its clause (it ends at a full stop, a semicolon or a
    word such as "while" or "but", not at a comma) that no word of rise governs: those after the figure it
    governs ("declined 5% and 7%", "decreased by $1.2 billion, or 8%"), or all of them when it governs none
    ("revenue decreased for the three months ended June 30, 2025 by $1.2 billion"). It does not when it
    governs a level ("fell to 25%"), nor when it is an adjective before a noun ("a lower effective tax rate of
    15%"), and it reaches a level after "to" or "from" only when it is a word of state ("loss narrowed to RMB
    0.5 billion from RMB 1.2 billion"). Years, ordinals and multiples are never governed (:func:`takes_sign`).
    """
    amounts = [index for index, mention in enumerate(found) if takes_sign(mention)]
    starts = [found[index].start for index in amounts]  # in order, as ``found`` is

    def before(position: int) -> int | None:
        """The last amount that ends at or before ``position``."""
        at = bisect.bisect_left(starts, position)
        return next((amounts[k] for k in range(at - 1, -1, -1) if found[amounts[k]].end <= position), None)

    def after(position: int) -> int | None:
        """The first amount that starts at or after ``position``."""
        at = bisect.bisect_left(starts, position)
        return amounts[at] if at < len(amounts) else None

    def sits_on(index: int | None, word: re.Match[str]) -> bool:
        return index is not None and _SITS_ON.fullmatch(text, found[index].end, word.start()) is not None

    rising: dict[int, str] = {}
    for word in _ANY_RISE.finditer(text):
        previous, following = before(word.start()), after(word.end())
        if word.group(0).lower() in _RISE_AFTER_WORDS and sits_on(previous, word) and previous is not None:
            rising.setdefault(previous, word.group(0))
        elif (
            following is not None
            and word.group(0).lower() in RISE_WORDS
            and _governs(text[word.end() : found[following].start], False)
        ):
            rising.setdefault(following, word.group(0))

    declining: dict[int, str] = {}
    # Each word that lets figures be negative: where it is, from where it reaches (None: its whole clause), the
    # word, and whether it is a word of state.
    reaches: list[tuple[int, int | None, str, bool]] = []
    for word in _ANY_DECLINE.finditer(text):
        lowered = word.group(0).lower()
        state = lowered in _STATE_WORDS
        previous, following = before(word.start()), after(word.end())
        if lowered in _DECLINE_AFTER_WORDS and sits_on(previous, word) and previous is not None:
            declining.setdefault(previous, word.group(0))
            reaches.append((word.start(), found[previous].end, word.group(0), state))
            continue
        governs = None
        if following is not None and lowered not in CLAUSE_DECLINE_WORDS:
            governs = _governs(text[word.end() : found[following].start], state)
        if governs == "level":
            continue
        if governs == "change" and following is not None:
            declining.setdefault(following, word.group(0))
            reaches.append((word.start(), found[following].end, word.group(0), state))
        elif not _attributive(text, word):
            reaches.append((word.start(), None, word.group(0), state))

    ends = [match.start() for match in _CLAUSE_ENDS.finditer(text)] if reaches else []

    def clause(position: int) -> int:
        return bisect.bisect_right(ends, position)

    in_clause: dict[int, list[tuple[int | None, str, bool]]] = {}
    for position, start, written, state in reaches:
        in_clause.setdefault(clause(position), []).append((start, written, state))
    takes = set(amounts)
    signed = []
    for index, mention in enumerate(found):
        decline = declining.get(index)
        rise = rising.get(index) if decline is None else None
        reach = None
        if index in takes and rise is None:
            level = _LEVEL.search(text, max(0, mention.start - 80), mention.start) is not None
            reach = next(
                (
                    written
                    for start, written, state in in_clause.get(clause(mention.start), [])
                    if (start is None or start <= mention.start) and (state or not level)
                ),
                None,
            )
        signed.append(replace(mention, decline_word=decline, rise_word=rise, clause_decline=reach))
    return signed


def _attributive(text: str, word: re.Match[str]) -> bool:
    """Whether a word of decline is an adjective before a noun, which states a level, not a change: "lower" in
    "a lower effective tax rate of 15%"."""
    if word.group(0).lower() not in _ATTRIBUTIVE:
        return False
    following = re.match(r"\s+([A-Za-z-]+)", text[word.end() : word.end() + 40])
    return following is not None and following.group(1).lower() not in _SMALL_WORDS | {"than"}


def word_number(word: str) -> float | None:
    """The value of a number word ("six", "ninth", "tenfold", "twenty-five"), or None."""
    lowered = word.lower()
    if lowered in WORD_VALUES:
        return WORD_VALUES[lowered]
    tens, _, unit = lowered.partition("-")
    if tens in _TENS and unit in _UNITS_AFTER_TENS:
        return WORD_VALUES[tens] + _UNITS_AFTER_TENS[unit]
    if unit and tens in WORD_VALUES:  # "five-year", "triple-digit"
        return WORD_VALUES[tens]
    return None


@dataclass(frozen=True)
class Unit:
    """What a metric's unit says: "USD bn" is 1e9 US dollars, not a percentage."""

    scale: float
    percent: bool
    currency: str | None = None


_UNIT_SYMBOL = re.compile(r"^(" + _alternatives(_SYMBOLS) + r")")
_THREE_LETTER_CODES = [code for code in _CODES if re.fullmatch(r"[a-z]{3}", code)]
_GLUED_UNIT = re.compile(
    r"(?P<code>" + "|".join(_THREE_LETTER_CODES) + r")(?P<scale>" + _alternatives(list(UNIT_SCALES)) + r")"
    r"|(?P<prefix>[tkm])(?P<code_after>" + "|".join(_THREE_LETTER_CODES) + r")"
)


def parse_unit(unit: str) -> Unit:
    """The scale, kind and currency of a metric unit such as "USD bn", "CNY bn", "$bn", "million", "%"."""
    lowered = " ".join(unit.lower().split())
    if lowered in PERCENT_UNITS or "%" in lowered:
        return Unit(1.0, True)
    scale = 1.0
    currency = next((code for spelling, code in CURRENCY_OF.items() if " " in spelling and spelling in lowered), None)
    for word in re.split(r"[\s/()]+", lowered):
        symbol = _UNIT_SYMBOL.match(word)
        if symbol and word not in CURRENCY_OF:  # "$bn": a currency symbol leading a scale
            currency = currency or CURRENCY_OF[symbol.group(1)]
            word = word[symbol.end() :]
        if word in CURRENCY_OF:
            currency = currency or CURRENCY_OF[word]
        elif word in UNIT_SCALES:
            scale = UNIT_SCALES[word]
        elif glued := _GLUED_UNIT.fullmatch(word):  # "EURm", "USDbn", "TEUR": a code and a scale in one word
            currency = currency or CURRENCY_OF[glued["code"] or glued["code_after"]]
            scale = UNIT_SCALES[glued["scale"] or glued["prefix"].replace("t", "k")]
    return Unit(scale, False, currency)


def same(a: float, b: float) -> bool:
    """Equal up to floating-point error."""
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


Mismatch = str  # "" (a match), "percent", "magnitude", "currency" or "sign"


def mismatch(value: float, unit: Unit, mention: Mention) -> Mismatch:
    """Why ``mention`` does not write ``value`` (a number in ``unit``), or "" when it does.

    The sign must agree: a negative value needs a mention that may be negative
    (:attr:`Mention.may_be_negative`), and a positive value one the text does not sign negative
    (:attr:`Mention.signed_negative`); zero matches either way.
    """
    if mention.percent and not unit.percent:
        return "percent"
    magnitude = abs(value)
    if mention.scale is None:
        if not same(mention.number, magnitude):
            return "magnitude"
    elif not same(mention.amount, magnitude * unit.scale):
        return "magnitude"
    if not unit.percent and unit.currency and mention.currency and unit.currency != mention.currency:
        return "currency"
    if value < 0 and not mention.may_be_negative or value > 0 and mention.signed_negative:
        return "sign"
    return ""


def matches(value: float, unit: Unit, mention: Mention) -> bool:
    """Whether ``mention`` writes ``value`` (a number in ``unit``) with its currency and sign."""
    return mismatch(value, unit, mention) == ""


def appears(value: float, unit: str, text: str) -> bool:
    """Whether ``text`` writes ``value`` (a number in ``unit``) in any of the ways above."""
    parsed = parse_unit(unit)
    return any(matches(value, parsed, mention) for mention in mentions(text))


def format_value(value: float) -> str:
    """A value as a person writes it: 53, 21.8, 170,000."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")
