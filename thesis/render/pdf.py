"""HTML to an archival PDF with WeasyPrint, fetching nothing from the network or outside the project.

The PDF is PDF/A-3b (sRGB output intent, XMP identification, every font
embedded), tagged for accessibility, and carries its inputs as attached files
with the "Source" relationship. The file identifier and every date in it are
fixed by the caller, so the same inputs give the same bytes.

WeasyPrint is imported only here, and only when a PDF is asked for.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from thesis.errors import RenderError

PDF_VARIANT = "pdf/a-3b"


class BlockedFetch(ValueError):
    """A resource outside the allowed folder was asked for."""


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF. The media type is given, not guessed, so it does not depend on the machine."""

    name: str
    data: bytes
    media_type: str
    description: str

    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def _folders(assets: Path | Sequence[Path]) -> tuple[Path, ...]:
    return tuple(folder.resolve() for folder in ([assets] if isinstance(assets, Path) else assets))


def _fetcher(assets: Path | Sequence[Path]) -> Any:
    """A URL fetcher for the template folders ``assets`` (the first is the document's base).

    A file asked for under the first folder that is not there is looked up by
    the same relative name in the next, so a project's ``templates/`` can
    override one asset and keep the package's others.
    """
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    roots = _folders(assets)

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URLs and files under the template folders; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file://"))).resolve()
                for root in roots:
                    if path.is_relative_to(root):
                        relative = path.relative_to(root)
                        for candidate in (root / relative, *(other / relative for other in roots if other != root)):
                            real = candidate.resolve()
                            if any(real.is_relative_to(r) for r in roots) and real.is_file():
                                return URLFetcherResponse(url, real.read_bytes())
                        break
            raise BlockedFetch(f"refused to fetch {url}")

    return ProjectFetcher()


@lru_cache(maxsize=8)
def _font_config(assets: tuple[Path, ...]) -> Any:
    """One WeasyPrint font configuration per list of template folders, shared by the briefs one process renders.

    Setting up fontconfig costs every PDF a little (about 5% of a small
    brief's); sharing it is safe because the only fonts a configuration gains
    are the ``@font-face`` rules of the stylesheets, which live in these folders
    and are the same for every brief rendered from them.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _unique_associated_files(document: Any, pdf: Any) -> None:
    """WeasyPrint lists each attachment twice in the catalog's /AF; keep the first of each."""
    associated = pdf.catalog.get("AF")
    if associated is None:
        return
    unique: list[Any] = []
    for reference in associated:
        if reference not in unique:
            unique.append(reference)
    associated[:] = unique


def _options(identifier: str) -> dict[str, Any]:
    """WeasyPrint's options for every brief: PDF/A-3b, tagged, with a file identifier fixed by ``identifier``."""
    return {
        "pdf_identifier": hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
        "pdf_variant": PDF_VARIANT,
        "pdf_tags": True,
    }


def lay_out(html: str, assets: Path | Sequence[Path], identifier: str = "") -> Any:
    """The laid-out WeasyPrint document: its pages and their boxes, ready to be written as PDF.

    :func:`render_pdf` writes it; the layout tests read its page boxes.
    """
    from weasyprint import HTML

    folders = _folders(assets)
    document = HTML(string=html, base_url=folders[0].as_uri() + "/", url_fetcher=_fetcher(folders))
    return document.render(font_config=_font_config(folders), **_options(identifier))


def render_pdf(
    html: str,
    assets: Path | Sequence[Path],
    identifier: str,
    created: dt.datetime,
    attachments: list[PdfAttachment] | None = None,
) -> bytes:
    """Render ``html`` to PDF/A-3b bytes.

    ``identifier`` fixes the PDF's file identifier and ``created`` every date
    inside it (the HTML's ``dcterms.created`` meta sets the document's own).
    ``assets`` is the template folders, the project's first: relative URLs
    resolve against the first, and nothing outside them is fetched. A failure
    inside WeasyPrint (for example on a project's own stylesheet) is a
    :class:`~thesis.errors.RenderError`.
    """
    from weasyprint import Attachment

    folders = _folders(assets)
    fetcher = _fetcher(folders)
    files = [
        Attachment(
            url=item.data_url(),
            name=item.name,
            description=item.description,
            created=created,
            modified=created,
            url_fetcher=fetcher,
            relationship="Source",
        )
        for item in (attachments or [])
    ]
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for the PDF/A output intent and never closes it.
        warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
        try:
            document = lay_out(html, folders, identifier)
            pdf: bytes = document.write_pdf(
                attachments=files or None, finisher=_unique_associated_files, **_options(identifier)
            )
        except (MemoryError, RecursionError, KeyboardInterrupt):
            raise
        except Exception as exc:
            raise RenderError(
                f"the PDF could not be laid out: {type(exc).__name__}: {exc}",
                "if the project has its own templates/ (CSS or templates), remove them one by one to find the "
                "cause; otherwise render with --format html and report the problem",
            ) from None
    return pdf
