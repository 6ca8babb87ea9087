"""How the brief, the charts, the diff and the scorecard text write a figure.

One rule for every output: a real minus sign (U+2212), thousands separators,
a ``+`` on positive changes, and no sign at all on anything that rounds to
nought, so ``-0.04`` is ``0.0`` everywhere, never ``−0.0``, ``-0.0`` or ``+0.0``.
"""

from __future__ import annotations

MINUS = "\u2212"


def minus(text: str) -> str:
    """Typeset a leading hyphen-minus as a real minus sign."""
    return MINUS + text[1:] if text.startswith("-") else text


def number(value: float, digits: int = 1, *, keep: int = 0) -> str:
    """``value`` to at most ``digits`` decimals, trailing zeros dropped but ``keep`` decimals always kept:
    ``1,234.5``, ``−3``, ``0``; with ``keep=2``, ``1.20``, ``23.40``, ``0.855``, ``12.00``."""
    text = f"{value:,.{max(digits, keep)}f}"
    if "." in text:
        whole, decimals = text.split(".")
        decimals = decimals.rstrip("0").ljust(keep, "0")
        text = f"{whole}.{decimals}" if decimals else whole
    return text[1:] if text.lstrip("-0.,") == "" and text.startswith("-") else minus(text)


CENTS = 2  # decimals of an amount in a currency's own unit: EUR 1.20, USD 23.40


def unit_decimals(unit: str | None) -> int:
    """The decimals a figure in ``unit`` always shows: :data:`CENTS` for an amount in a currency's own unit
    (``EUR``, ``USD per share``), none otherwise (``EUR m``, ``%``, ``count``: trailing zeros are dropped)."""
    if not unit:
        return 0
    from thesis.verify.numbers import parse_unit

    parsed = parse_unit(unit)
    return CENTS if parsed.currency is not None and parsed.scale == 1 and not parsed.percent else 0


def figure(value: float, unit: str | None, digits: int = 3) -> str:
    """A figure as the brief, its charts, the diff and ``thesis score`` write it in its unit: ``1.20`` and
    ``23.40`` in EUR, ``571.2`` in EUR m, ``31`` in %; at most ``digits`` decimals (more only for cents)."""
    return number(value, digits, keep=unit_decimals(unit))


def signed(value: float, digits: int = 1, *, trim: bool = False) -> str:
    """A change or a contribution: ``+1.2``, ``−0.3``, ``0.0`` (``trim`` drops trailing zeros: ``+1.25``, ``0``)."""
    text = f"{abs(value):,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if round(value, digits) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def page_locator(pages: tuple[int, int] | None) -> str:
    """First and last page as a citation gives them: "p. 14", "pp. 14–15", or "" for a source without pages."""
    if pages is None:
        return ""
    first, last = pages
    return f"p. {first}" if first == last else f"pp. {first}–{last}"


def signed_percent(fraction: float, digits: int = 0) -> str:
    """A relative change given as a fraction, in percent: ``+28%``, ``−3.5%``, ``0%``."""
    return signed(fraction * 100, digits) + "%"


_PLURALS = {"info": "info", "kill_criteria": "kill criteria", "companies": "companies"}
_SINGULARS = {"info": "info", "kill criteria": "kill criterion", "companies": "company", "briefs": "brief"}


def counted(count: int, plural: str) -> str:
    """A count and its noun, singular for one: ``1 source``, ``2 sources``, ``1 kill criterion``, ``0 errors``."""
    noun = _PLURALS.get(plural, plural.replace("_", " "))
    if count != 1:
        return f"{count:,} {noun}"
    singular = _SINGULARS.get(noun) or (noun[:-1] if noun.endswith("s") else noun)
    return f"{count:,} {singular}"
