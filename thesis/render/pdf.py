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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

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


def _fetcher(allowed: Path) -> Any:
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    root = allowed.resolve()

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URLs and files under the templates folder; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file://"))).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            raise BlockedFetch(f"refused to fetch {url}")

    return ProjectFetcher()


@lru_cache(maxsize=8)
def _font_config(assets_dir: Path) -> Any:
    """One WeasyPrint font configuration per templates folder, shared by the briefs one process renders.

    Setting up fontconfig costs every PDF a little (about 5% of a small
    brief's); sharing it is safe because the only fonts a configuration gains
    are the ``@font-face`` rules of the stylesheets, which live in this folder
    and are the same for every brief rendered from it.
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


def render_pdf(
    html: str,
    assets_dir: Path,
    identifier: str,
    created: dt.datetime,
    attachments: list[PdfAttachment] | None = None,
) -> bytes:
    """Render ``html`` to PDF/A-3b bytes.

    ``identifier`` fixes the PDF's file identifier and ``created`` every date
    inside it (the HTML's ``dcterms.created`` meta sets the document's own).
    """
    from weasyprint import HTML, Attachment

    fetcher = _fetcher(assets_dir)
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
    document = HTML(string=html, base_url=assets_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for the PDF/A output intent and never closes it.
        warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
        pdf: bytes = document.write_pdf(
            font_config=_font_config(assets_dir.resolve()),
            pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            attachments=files or None,
            finisher=_unique_associated_files,
        )
    return pdf
