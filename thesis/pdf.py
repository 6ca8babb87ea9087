"""HTML to PDF with WeasyPrint, fetching nothing from the network or outside the project.

WeasyPrint is imported only here, and only when a PDF is asked for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any


class BlockedFetch(ValueError):
    """A resource outside the allowed folder was asked for."""


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


def render_pdf(
    html: str,
    assets_dir: Path,
    identifier: str,
    created: dt.datetime,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bytes:
    """Render ``html`` to PDF bytes.

    ``identifier`` fixes the PDF's file identifier and ``created`` every date
    inside it, so the same inputs give the same bytes.
    """
    from weasyprint import HTML, Attachment

    fetcher = _fetcher(assets_dir)
    files = [
        Attachment(
            string=data,
            name=name,
            description=description,
            created=created,
            modified=created,
            url_fetcher=fetcher,
            relationship="Source",
        )
        for name, data, description in (attachments or [])
    ]
    document = HTML(string=html, base_url=assets_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
        attachments=files or None,
        pdf_tags=True,
    )
    return pdf
