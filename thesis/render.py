"""Turn a brief into HTML (pure) and PDF bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from thesis.brief import Brief
from thesis.html import render_template
from thesis.loader import Loaded, input_files
from thesis.project import Project

NOTICE = "For discussion only. Not investment advice."


def render_html(project: Project, brief: Brief) -> str:
    """The self-contained HTML brief (CSS inline, nothing fetched)."""
    return render_template(project.templates_dir, "brief.html.j2", {"brief": brief, "notice": NOTICE})


def render_pdf_bytes(project: Project, brief: Brief, html: str, snapshot_json: bytes, loaded: Loaded) -> bytes:
    """The PDF brief, with the snapshot and the YAML inputs attached."""
    from thesis.pdf import render_pdf

    created = dt.datetime.combine(brief.as_of, dt.time(0, 0), tzinfo=dt.UTC)
    attachments = [(f"{brief.company_id}-{brief.as_of.isoformat()}.json", snapshot_json, "Snapshot of this brief")]
    for path in input_files(loaded.folder):
        attachments.append((f"inputs/{brief.company_id}/{path.name}", path.read_bytes(), "Thesis input"))
    identifier = f"{brief.company_id}:{brief.as_of.isoformat()}:{brief.inputs_sha256}"
    return render_pdf(html, Path(project.templates_dir), identifier, created, attachments)
