"""How sources write numbers, so that a metric's value can be found in its quote.

A metric observation carries a plain ``value`` in its metric's ``unit``; its
``quote`` must contain that number the way the source printed it.
:func:`mentions` reads every number a text writes and :func:`appears` says
whether a value (in a unit) is among them.

What counts as a number
  * Numerals with optional thousands separators and decimals: ``23,000``,
    ``31.742``, ``0.6``. A numeral glued to a letter before it is part of a
    name, not a number (``H20``, ``Qwen3``, ``Q3``) and is skipped.
  * A scale after the numeral: the words ``thousand``, ``million``/``mn``/
    ``mln``, ``billion``/``bn``, ``trillion``/``tn`` (with or without a
    space), the letters ``k``, ``M``, ``B``, ``T`` written directly after the
    digits (``150M``, ``$53B``, ``16.9k``), and the Chinese ``万`` (10⁴) and
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

What is ignored
  * Currency marks and codes around the number (``$``, ``US$``, ``¥``,
    ``RMB``, ``yuan``, ``USD``): the metric's unit says the currency.
  * Qualifiers (``~``, ``about``, ``nearly``, ``over``, ``+``): the printed
    number is what the value must equal; the observation's ``note`` says it is
    approximate or a bound.
  * The sign. Sources write outflows and falls as a positive number with a
    word ("a RMB 21.8 billion outflow", "dropped by nearly 20%"), so a value
    matches the magnitude the quote prints: -21.8 matches "21.8 billion",
    and "-2.6" matches a value of 2.6 or -2.6.

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

import math
import re
from dataclasses import dataclass

SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
SCALE_LETTERS: dict[str, float] = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "万": 1e4, "亿": 1e8}
UNIT_SCALES: dict[str, float] = {**SCALE_WORDS, "k": 1e3, "m": 1e6, "b": 1e9, "bil": 1e9, "mil": 1e6}
PERCENT_UNITS = frozenset({"%", "percent", "per cent", "pct", "pp", "percentage points"})

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
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:"
    r"(?P<letter>[kKMBT万亿])(?![A-Za-z])"
    r"|\s?(?P<word>" + _SCALE_WORD_RE + r")\b"
    r")?"
    r"(?P<percent>\s?%|\s(?:percent|per cent)\b)?",
)
_WORD = re.compile(
    r"\b(?P<word>[A-Za-z]+(?:-[A-Za-z]+)?)\b"
    r"(?:\s(?P<scale>" + _SCALE_WORD_RE + r")\b)?"
    r"(?P<percent>\s(?:percent|per cent)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """One number as a text writes it."""

    text: str
    number: float  # the digits or word, e.g. 53 for "$53B"
    scale: float | None  # the scale written with it, e.g. 1e9 for "$53B"; None when none is written
    percent: bool
    start: int

    @property
    def amount(self) -> float:
        """The number times its written scale (the number itself when no scale is written)."""
        return self.number * (self.scale or 1.0)


def mentions(text: str) -> list[Mention]:
    """Every number ``text`` writes, in order."""
    found: list[Mention] = []
    for match in _NUMERAL.finditer(text):
        number = float(match["digits"].replace(",", ""))
        scale = SCALE_LETTERS.get(match["letter"] or "") or SCALE_WORDS.get((match["word"] or "").lower())
        found.append(Mention(match.group(0).strip(), number, scale, bool(match["percent"]), match.start()))
    for match in _WORD.finditer(text):
        scale = SCALE_WORDS.get((match["scale"] or "").lower())
        word_value = 1.0 if scale and match["word"].lower() == "a" else word_number(match["word"])
        if word_value is None:
            continue
        found.append(Mention(match.group(0), word_value, scale, bool(match["percent"]), match.start()))
    found.sort(key=lambda m: m.start)
    return found


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
    """What a metric's unit says about scale: "USD bn" is 1e9 and not a percentage."""

    scale: float
    percent: bool


def parse_unit(unit: str) -> Unit:
    """The scale and kind of a metric unit such as "USD bn", "CNY bn", "million", "%" or "count"."""
    lowered = " ".join(unit.lower().split())
    if lowered in PERCENT_UNITS or "%" in lowered:
        return Unit(1.0, True)
    scale = 1.0
    for word in re.split(r"[\s/()]+", lowered):
        if word in UNIT_SCALES:
            scale = UNIT_SCALES[word]
    return Unit(scale, False)


def same(a: float, b: float) -> bool:
    """Equal up to floating-point error."""
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def matches(value: float, unit: Unit, mention: Mention) -> bool:
    """Whether ``mention`` writes ``value`` (a number in ``unit``), ignoring the sign."""
    if mention.percent and not unit.percent:
        return False
    magnitude = abs(value)
    if mention.scale is None:
        return same(mention.number, magnitude)
    return same(mention.amount, magnitude * unit.scale)


def appears(value: float, unit: str, text: str) -> bool:
    """Whether ``text`` writes ``value`` (a number in ``unit``) in any of the ways above."""
    parsed = parse_unit(unit)
    return any(matches(value, parsed, mention) for mention in mentions(text))


def format_value(value: float) -> str:
    """A value as a person writes it: 53, 21.8, 170,000."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")
