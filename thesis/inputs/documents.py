"""Read a document an analyst saved (web page, PDF, plain text) into the text quotes are verified against.

Nothing here touches the network or writes a file: each reader takes the
bytes of the document and returns an :class:`Extracted` (the text and what
the document says about itself), or raises a :class:`DocumentError` that says
what is wrong with the file.

Web pages (``.html``, ``.htm``)
    The main text, without navigation, advertising, sign-up boxes and other
    furniture, comes from trafilatura, which leads the public benchmarks of
    article extraction (precision and recall on the ScrapingHub and
    trafilatura evaluation sets) and is kept up; Apache-2.0. Title, author,
    site name and canonical link come from its metadata. The date comes from
    htmldate (trafilatura's own date library, Apache-2.0) in two passes: a
    publication date the page marks as one (meta tags, JSON-LD, ``<time>``,
    a dated byline, the address) is taken as printed; a date found only by
    searching the rest of the text is an estimate, and says so. The page's headline is the
    first line of the text, so it can be quoted too.
PDF (``.pdf``)
    The text of each page from pypdfium2 (PDFium's text layer; BSD-3/Apache-2.0,
    one of the two leaders of the public text-fidelity benchmarks with pypdf,
    and faster). Pages are written as ``pdftotext`` writes them: each page's
    text followed by a form feed (``\\f``), so the page of any position in the
    text is one plus the form feeds before it (:func:`page_at`). A PDF whose
    pages have no text (a scan) is refused: there is no OCR here. A PDF that
    needs a password to open is refused. The date is an estimate: the first
    date printed on page 1, else the file's creation date.
Plain text and Markdown (``.txt``, ``.md``)
    Kept byte for byte (UTF-8); the title is the first heading or line, and
    the first date printed near the top is an estimate of the date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

FORM_FEED = "\f"
TOP_OF_TEXT = 2000  # characters of a text file searched for a printed date
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # an original larger than this is refused
Kind = Literal["html", "pdf", "text"]
KINDS: dict[str, Kind] = {".html": "html", ".htm": "html", ".pdf": "pdf", ".txt": "text", ".md": "text"}


class DocumentError(ValueError):
    """The file cannot become a source: the message says why and what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class FoundDate:
    """A date the document gives, and whether it is printed as the publication date or only an estimate."""

    date: dt.date
    estimated: bool
    basis: str  # where it was found


@dataclass(frozen=True)
class Extracted:
    """What a document says about itself, and its text."""

    kind: Kind
    text: str
    title: str | None = None
    title_basis: str = ""  # where the title came from when it is a guess, e.g. "the first line of page 1"
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: FoundDate | None = None
    pages: int | None = None  # PDFs only
    notes: list[str] = field(default_factory=list)


def kind_of(suffix: str) -> Kind | None:
    return KINDS.get(suffix.lower())


def extract(data: bytes, kind: Kind) -> Extracted:
    """The text and metadata of a document of the given kind; a :class:`DocumentError` when it is not one."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"the file is {len(data):,} bytes, over the limit of {MAX_DOCUMENT_BYTES:,}",
            "save only the document itself (for a web page, the HTML without its images)",
        )
    if kind == "pdf":
        return extract_pdf(data)
    if kind == "html":
        return extract_html(data)
    return extract_text(data)


def page_at(text: str, offset: int) -> int:
    """The page (from 1) of the character at ``offset`` in a text with form feeds between pages."""
    return text.count(FORM_FEED, 0, offset) + 1


def one_line(value: str | None, limit: int = 300) -> str | None:
    """Metadata as one line of text: white space (including line separators) collapsed, cut to ``limit``."""
    if value is None:
        return None
    text = " ".join(_CONTROL.sub(" ", value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _sniff(data: bytes) -> str:
    """What the bytes look like, for a message when they are not what the file's name says."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "a PDF"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<!--")) or b"<html" in head or b"<body" in head:
        return "a web page"
    if head.startswith((b"pk\x03\x04",)):
        return "a zip archive (perhaps a Word or Excel file)"
    if head.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        return "an image"
    if b"\x00" in data[:4096]:
        return "a binary file"
    return "text"


def _wrong_type(expected: str, data: bytes) -> DocumentError:
    found = _sniff(data)
    suffix = {"a PDF": ".pdf", "a web page": ".html", "text": ".txt"}.get(found)
    hint = f"rename it to end in {suffix}" if suffix else "save the document as a web page (.html), PDF or text"
    return DocumentError(f"the file's name says {expected}, but it is {found}", hint)


# --- web pages ---------------------------------------------------------------------------------------------------


def extract_html(data: bytes) -> Extracted:
    if _sniff(data) != "a web page":
        raise _wrong_type("a web page", data)
    import htmldate
    import lxml.html
    import trafilatura

    def tree() -> lxml.html.HtmlElement:
        # A parsed tree, never a string: handed a string that looks like an address, both
        # libraries would download it.
        try:
            return lxml.html.document_fromstring(data)
        except (ValueError, lxml.etree.ParserError) as exc:
            raise DocumentError(f"the web page cannot be read: {exc}", "save the page again from the browser") from None

    document = trafilatura.bare_extraction(tree(), with_metadata=True, include_comments=False, include_tables=True)
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        raise DocumentError(
            "no main text found in the web page",
            "save the page once it has loaded in full (File > Save Page As, 'Web Page, Complete'), "
            "or save the article as text (.txt)",
        )
    title = one_line(getattr(document, "title", None))
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    today = dt.date.today()
    found: FoundDate | None = None
    printed = _htmldate(htmldate, tree(), extensive=False, today=today)
    if printed is not None:
        found = FoundDate(printed, False, "the page's publication date (its markup, byline or address)")
    else:
        guessed = _htmldate(htmldate, tree(), extensive=True, today=today)
        if guessed is not None:
            found = FoundDate(guessed, True, "a date in the page's text (the page's markup gives none)")
    url = getattr(document, "url", None)
    return Extracted(
        kind="html",
        text=_clean_text(text) + "\n",
        title=title,
        author=one_line(getattr(document, "author", None)),
        publisher=one_line(getattr(document, "sitename", None)) or one_line(getattr(document, "hostname", None)),
        url=url if isinstance(url, str) and re.match(r"^https?://\S+$", url) else None,
        date=found,
    )


def _htmldate(module: object, tree: object, *, extensive: bool, today: dt.date) -> dt.date | None:
    find_date = getattr(module, "find_date")  # noqa: B009 - htmldate ships no type information
    value = find_date(
        tree,
        extensive_search=extensive,
        original_date=True,
        outputformat="%Y-%m-%d",
        max_date=today.isoformat(),
    )
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# --- PDFs --------------------------------------------------------------------------------------------------------


def extract_pdf(data: bytes) -> Extracted:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise _wrong_type("a PDF", data)
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError(
                "the PDF is encrypted and needs a password to open",
                "save an unprotected copy (print to PDF from a viewer that has the password) and add that",
            ) from None
        raise DocumentError(f"the PDF cannot be read ({exc})", "save or download the PDF again") from None
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(_clean_text(textpage.get_text_range()))
            textpage.close()
            page.close()
        metadata = document.get_metadata_dict(skip_empty=True)
    finally:
        document.close()
    if not pages:
        raise DocumentError("the PDF has no pages", "save or download the PDF again")
    if not any(page.strip() for page in pages):
        raise DocumentError(
            f"the PDF's {len(pages)} page{'s have' if len(pages) != 1 else ' has'} no text layer (a scanned document?)",
            "thesis does no OCR: run OCR on it first (e.g. ocrmypdf) and add the result",
        )
    text = "".join(page.rstrip("\n") + "\n" + FORM_FEED for page in pages)
    first_page = pages[0]
    title = one_line(metadata.get("Title"))
    title_basis = ""
    if not title:
        first_line = next((line for line in first_page.splitlines() if line.strip()), None)
        title = one_line(first_line)
        title_basis = "the first line of page 1 (the PDF's metadata has no title)"
    found = _printed_date(first_page)
    if found is None:
        created = _pdf_date(metadata.get("CreationDate", ""))
        if created is not None and created <= dt.date.today():
            found = FoundDate(created, True, "the PDF file's creation date (no date is printed on page 1)")
    return Extracted(
        kind="pdf",
        text=text,
        title=title,
        title_basis=title_basis,
        author=one_line(metadata.get("Author")),
        date=found,
        pages=len(pages),
    )


def _pdf_date(value: str) -> dt.date | None:
    """A PDF date string (``D:20250402120000Z``) as a date."""
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


_MONTH = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATES = [
    re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d{{2}})\b", re.IGNORECASE),
]
# German, as a German company's own documents print their dates: "Augsburg, 19. März 2026".
_MONAT = "januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember"
_DATES.append(re.compile(rf"\b(?P<d>\d{{1,2}})\.\s*(?P<mon>{_MONAT})\s+(?P<y>(?:19|20)\d{{2}})\b", re.IGNORECASE))
_MONTHS = {name: index % 12 + 1 for index, name in enumerate(_MONTH.split("|")[:12])}
_MONTHS.update({name: index + 1 for index, name in enumerate(_MONAT.replace("|maerz", "").split("|"))})
_MONTHS["maerz"] = 3
_MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9})
_MONTHS.update({"oct": 10, "nov": 11, "dec": 12})


def _printed_date(text: str, where: str = "on page 1") -> FoundDate | None:
    """The first full date printed in ``text`` (ISO, "2 April 2025", "April 2, 2025" or the German
    "2. April 2025"), as an estimate."""
    found: list[tuple[int, dt.date, str]] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            month = int(match["m"]) if "m" in match.groupdict() else _MONTHS[match["mon"].lower()]
            try:
                day = dt.date(int(match["y"]), month, int(match["d"]))
            except ValueError:
                continue
            if day <= dt.date.today():
                found.append((match.start(), day, match.group(0)))
                break
    if not found:
        return None
    _, day, printed = min(found)
    return FoundDate(day, True, f"the first date printed {where} ({printed!r})")


# --- plain text --------------------------------------------------------------------------------------------------


def extract_text(data: bytes) -> Extracted:
    if _sniff(data) not in ("text", "a web page"):
        raise _wrong_type("text", data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"the file is not UTF-8 text (byte {exc.start:,} cannot be read)", "save it as UTF-8 text"
        ) from None
    if not text.strip():
        raise DocumentError("the file has no text", "add a file that holds the document's text")
    heading = re.search(r"^#{1,6}\s+(.+)$", text, re.MULTILINE)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    title = one_line(heading[1] if heading else first_line)
    basis = "the first heading" if heading else "the first line"
    found = _printed_date(text[:TOP_OF_TEXT], "at the top of the text")
    return Extracted(kind="text", text=text, title=title, title_basis=basis, date=found)


def _clean_text(text: str) -> str:
    """Line ends as ``\\n``, PDFium's soft-hyphen mark as a hyphen, no other control characters or form feeds."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-").replace("\ufffe", "")
    text = text.replace(FORM_FEED, "\n")
    return _TEXT_CONTROL.sub("", text)
