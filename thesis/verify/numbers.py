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
  Sources write falls and outflows as a positive number with a word ("a RMB
  21.8 billion outflow", "dropped by nearly 20%"), or with a printed minus
  (``-2.6``, or the word ``minus``: "minus EUR 18.3 million") or accounting
  parentheses (``(2.6)``: only the number and its marks inside). So:

  * a negative value matches a figure printed with a minus or in
    parentheses, or any figure of a quote with a word of decline or outflow
    (:data:`DECLINE_WORDS`): -21.8 matches "a RMB 21.8 billion outflow",
    -16 does not match "a 16% increase";
  * a positive value does not match a figure printed with a minus, nor one
    that sits on a decline word. Parentheses do not stop it, as prose puts
    figures in parentheses as asides ("AWS (29%)"). The decline word comes just
    before the figure, with only small words between ("fell 16%", "dropped
    by nearly 20%", "a decrease of ~16%"), or just after it and its currency
    ("a 16% decrease", "21.8 billion net outflow"). "fell to 25%" and "down
    from 30%" state levels, not changes, so 25 and 30 match;
  * zero matches either way.

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
# Words that may stand between a decline word and its figure: "fell by nearly 20%", "a 16% year-on-year decline".
_LINKING_WORDS = (
    "by of about around approximately roughly nearly almost some over more than as much a an the net sharply "
    "steeply further another year-on-year year-over-year yoy y/y qoq q/q annual quarterly sequential"
)

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
_OPEN_PARENTHESIS = re.compile(r"\((?:" + _alternatives(_SYMBOLS) + r")?\s?$")
_DECLINE_ALTERNATIVES = "|".join(sorted(DECLINE_WORDS, key=len, reverse=True))
_LINKING_ALTERNATIVES = "|".join(re.escape(w) for w in sorted(_LINKING_WORDS.split(), key=len, reverse=True))
_DECLINE_BEFORE = re.compile(
    r"\b(?:" + _DECLINE_ALTERNATIVES + r")(?:\s+(?:" + _LINKING_ALTERNATIVES + r"))*\s*"
    r"(?:[~≈+]\s?)?(?:(?:" + _alternatives(_SYMBOLS) + r")|\b(?:" + _alternatives(_CODES) + r")\s?)?$",
    re.IGNORECASE,
)
_DECLINE_AFTER = re.compile(
    r"^(?:元|\s(?:" + _alternatives(_CODES) + r")\b)?(?:\s+(?:" + _LINKING_ALTERNATIVES + r"))*"
    r"\s+(?:" + _DECLINE_ALTERNATIVES + r")\b",
    re.IGNORECASE,
)
_ANY_DECLINE = re.compile(r"\b(?:" + _DECLINE_ALTERNATIVES + r")\b", re.IGNORECASE)


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
    parenthesised: bool = False  # alone in parentheses: "(2.6)", an accounting negative or an aside
    on_decline: bool = False  # sits on a word of decline or outflow ("fell 16%", "a 16% decrease")

    @property
    def amount(self) -> float:
        """The number times its written scale (the number itself when no scale is written)."""
        return self.number * (self.scale or 1.0)


def mentions(text: str) -> list[Mention]:
    """Every number ``text`` writes, in order, with the currency and sign written around it."""
    found: list[Mention] = []
    for match in _NUMERAL.finditer(text):
        if match["german"]:
            number = float(match["german"].replace(".", "").replace(",", "."))
        else:
            number = float(match["digits"].replace(",", ""))
        scale = SCALE_LETTERS.get(match["letter"] or "") or SCALE_WORDS.get((match["word"] or "").lower())
        start, end = match.start(), match.start() + len(match.group(0).rstrip())
        before, after = text[max(0, start - 80) : start], text[end : end + 80]
        parenthesised = bool(_OPEN_PARENTHESIS.search(before)) and after[:1] == ")"
        found.append(
            Mention(
                match.group(0).strip(),
                number,
                scale,
                bool(match["percent"]),
                start,
                _currency(before, after),
                bool(_MINUS.search(before)),
                parenthesised,
                _on_decline(before, after),
            )
        )
    for match in _WORD.finditer(text):
        scale = SCALE_WORDS.get((match["scale"] or "").lower())
        word_value = 1.0 if scale and match["word"].lower() == "a" else word_number(match["word"])
        if word_value is None:
            continue
        start, end = match.start(), match.end()
        before, after = text[max(0, start - 80) : start], text[end : end + 80]
        found.append(
            Mention(
                match.group(0),
                word_value,
                scale,
                bool(match["percent"]),
                start,
                _currency(before, after),
                on_decline=_on_decline(before, after),
            )
        )
    found.sort(key=lambda m: m.start)
    return found


def _currency(before: str, after: str) -> str | None:
    """The currency written just before a number ("$", "RMB ") or just after it ("yuan", "元")."""
    for pattern, text in ((_CURRENCY_BEFORE, before), (_CURRENCY_AFTER, after)):
        match = pattern.search(text)
        if match:
            return CURRENCY_OF[(match["symbol"] or match.groupdict().get("euro") or match["code"]).lower()]
    return None


def _on_decline(before: str, after: str) -> bool:
    return bool(_DECLINE_BEFORE.search(before) or _DECLINE_AFTER.search(after))


def has_decline_word(text: str) -> bool:
    """Whether ``text`` has a word of decline or outflow anywhere (a negative value needs one, or a minus)."""
    return bool(_ANY_DECLINE.search(text))


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


def mismatch(value: float, unit: Unit, mention: Mention, declining: bool = False) -> Mismatch:
    """Why ``mention`` does not write ``value`` (a number in ``unit``), or "" when it does.

    ``declining`` says whether the whole text has a decline word, which lets a
    negative value match a figure written as a positive number.
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
    if value < 0 and not (mention.negative or mention.parenthesised or declining):
        return "sign"
    if value > 0 and (mention.negative or mention.on_decline):
        return "sign"
    return ""


def matches(value: float, unit: Unit, mention: Mention, declining: bool = False) -> bool:
    """Whether ``mention`` writes ``value`` (a number in ``unit``) with its currency and sign."""
    return mismatch(value, unit, mention, declining) == ""


def appears(value: float, unit: str, text: str) -> bool:
    """Whether ``text`` writes ``value`` (a number in ``unit``) in any of the ways above."""
    parsed = parse_unit(unit)
    declining = has_decline_word(text)
    return any(matches(value, parsed, mention, declining) for mention in mentions(text))


def format_value(value: float) -> str:
    """A value as a person writes it: 53, 21.8, 170,000."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")
