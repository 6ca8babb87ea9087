"""``thesis verify BRIEF``: re-check a rendered brief from what it carries, not from the analyst's files.

A PDF brief carries its JSON snapshot and the archived text of every source it
cites (:func:`thesis.render.brief.render_pdf_bytes`). Verifying it reads those
attachments alone: each text's SHA-256 must be the one the snapshot records,
each quote must be in its source and each metric value in its quote, as
``thesis check`` finds them (:mod:`thesis.verify.recheck`). A JSON snapshot is
verified the same way against a folder of source texts (``--sources DIR``,
holding what the company's ``sources/`` folder holds).

A PDF brief also carries its inputs as known on its date
(:func:`thesis.render.brief.inputs_attachments`). When every quote checks out
and the brief was made by this version of ``thesis``, those inputs are
unpacked with the source texts into a temporary project and the brief is made
again from them: it must give the attached snapshot, all but the hash of the
files read and where they were read from, so that the score and every item
are checked as well as the quotes.

Exit codes (through the CLI): 0 every citation verified, 1 a quote, number or
hash failed, or the attached inputs do not give the snapshot, 2 the file is not
a thesis brief or cannot be read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from thesis.errors import ThesisError, UsageError
from thesis.figures import signed
from thesis.inputs.loader import MAX_SOURCE_BYTES
from thesis.inputs.models import is_slug
from thesis.inputs.reading import ReadFailure, read_bounded
from thesis.verify.recheck import Failure, Recheck, attachment_name, recheck

MAX_BRIEF_BYTES = 200 * 1024 * 1024  # a PDF brief with its attachments; the Alibaba brief is under 1 MB
HINT = "pass a PDF brief rendered by thesis render, or a snapshot (COMPANY-DATE.json) with --sources DIR"
SOURCES_FOLDER = PurePosixPath("sources")


# What making the brief again may differ in: the hash of the files read, and where they were read from.
NOT_REBUILT = frozenset({"inputs_sha256", "record"})


@dataclass(frozen=True)
class VerifiedBrief:
    name: str
    result: Recheck
    snapshot: dict[str, Any]
    inputs: str | None = None  # what became of the attached inputs; None when the brief carries none

    def as_dict(self) -> dict[str, Any]:
        """``thesis verify --format json``: brief, ok, counts, failures and inputs."""
        result = self.result
        return {
            "brief": self.name,
            "ok": result.ok,
            "counts": {"citations": result.claims, "sources": result.sources, "failures": len(result.failures)},
            "failures": [{"kind": f.kind, "subject": f.subject, "message": f.message} for f in result.failures],
            "inputs": self.inputs,
        }


def verify_brief(path: Path, sources: Path | None = None) -> VerifiedBrief:
    """Re-check the brief at ``path`` (a PDF, or a JSON snapshot with ``sources``); a file that is not a
    brief, or cannot be read, is a :class:`UsageError`."""
    from thesis.outputs.snapshot import pdf_attachments, read_snapshot, snapshot_of_attachments

    try:
        data = read_bounded(path, MAX_BRIEF_BYTES)
    except ReadFailure as failure:
        raise UsageError(f"cannot read {path}: {failure.cause}", HINT) from None
    if data.startswith(b"%PDF"):
        if sources is not None:
            raise UsageError("--sources is for a JSON snapshot", "a PDF brief carries its sources: leave --sources out")
        attachments = pdf_attachments(path, data)
        snapshot = snapshot_of_attachments(path, attachments)
        texts = _attached_texts(path, snapshot, attachments)
        result = recheck(snapshot, texts)
        if not result.ok:  # the texts are not the brief's: making it again from them proves nothing more
            return VerifiedBrief(str(path), result, snapshot)
        wrong, inputs = rebuild(snapshot, attachments)
        failures = [*result.failures, wrong] if wrong is not None else result.failures
        return VerifiedBrief(str(path), dataclasses.replace(result, failures=failures), snapshot, inputs)
    else:
        if not data.lstrip()[:1] == b"{":  # an HTML brief, or anything else: neither carries its snapshot
            raise UsageError(
                f"{path} is neither a PDF brief nor a JSON snapshot (an HTML brief carries neither its "
                "snapshot nor its sources)",
                "verify the PDF of the same brief, or its COMPANY-DATE.json with --sources DIR",
            )
        if sources is None:
            raise UsageError(
                f"{path} is not a PDF, so its source texts must be given",
                "add --sources DIR, the folder holding the archived texts (the company's sources/ folder)",
            )
        if not sources.is_dir():
            raise UsageError(f"--sources {sources} is not a folder", "give the company's sources/ folder")
        snapshot = read_snapshot(path)
        texts = {source_id: _folder_text(sources, file) for source_id, file in _source_files(snapshot).items()}
    return VerifiedBrief(str(path), recheck(snapshot, texts), snapshot)


def _source_files(snapshot: dict[str, Any]) -> dict[str, str]:
    return {
        entry["id"]: entry["file"]
        for entry in snapshot.get("sources") or []
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and isinstance(entry.get("file"), str)
    }


def _company_id(snapshot: dict[str, Any]) -> str:
    company = snapshot.get("company")
    identifier = company.get("id") if isinstance(company, dict) else None
    return identifier if isinstance(identifier, str) else ""


def _attached_texts(path: Path, snapshot: dict[str, Any], attachments: dict[str, list[bytes]]) -> dict[str, str | None]:
    """Each source's attached text (None where it is not attached); a PDF with none is not self-verifying."""
    company = _company_id(snapshot)
    texts: dict[str, str | None] = {}
    for source_id, file in _source_files(snapshot).items():
        copies = attachments.get(attachment_name(company, file)) or []
        # A text attached twice with different contents is not one text: the first copy is checked, and
        # a second that differs makes the check fail through a text that cannot match the hash.
        if copies and any(copy != copies[0] for copy in copies[1:]):
            texts[source_id] = "\0".join(copy.decode("utf-8", "replace") for copy in copies)
        else:
            texts[source_id] = copies[0].decode("utf-8", "replace") if copies else None
    if texts and all(text is None for text in texts.values()):
        raise UsageError(
            f"{path} carries no source texts, so its quotes cannot be re-checked from it",
            "re-render it with this version of thesis render (it attaches them), or verify its snapshot "
            "with --sources DIR",
        )
    return texts


def _folder_text(folder: Path, file: str) -> str | None:
    """The text of a source whose file is ``sources/NAME`` from ``folder``/NAME; None if it cannot be had."""
    relative = PurePosixPath(file)
    if relative.is_absolute() or ".." in relative.parts or relative.parts[:1] != SOURCES_FOLDER.parts:
        return None
    try:
        return read_bounded(folder.joinpath(*relative.parts[1:]), MAX_SOURCE_BYTES).decode("utf-8", "replace")
    except ReadFailure:
        return None


def rebuild(snapshot: dict[str, Any], attachments: dict[str, list[bytes]]) -> tuple[Failure | None, str | None]:
    """Make the brief again from its attached inputs and source texts alone, and compare it with ``snapshot``.

    Returns the failure (None when it gives the snapshot) and a line saying what was done; (None, None)
    when the brief carries no inputs as of its date (one rendered before it attached them).
    """
    from thesis import __version__
    from thesis.commands.render import prepare
    from thesis.outputs.snapshot import dumps
    from thesis.outputs.snapshot import snapshot as snapshot_of
    from thesis.project import PROJECT_FILE, Project
    from thesis.render.brief import inputs_attachment_name

    company, as_of = _company_id(snapshot), dt.date.fromisoformat(str(snapshot["as_of"]))
    name = inputs_attachment_name(company, as_of)
    if not is_slug(company) or name not in attachments:
        return None, None
    made_by, this = snapshot.get("generator"), f"thesis {__version__}"
    if made_by != this:
        return None, f"{name}: not made again: the brief was made by {made_by}, this is {this}"
    files = {
        attached: copies
        for attached, copies in attachments.items()
        if attached == PROJECT_FILE or _inside(attached, PurePosixPath("inputs", company))
    }
    twice = sorted(attached for attached, copies in files.items() if any(c != copies[0] for c in copies[1:]))
    if twice:
        return Failure("inputs", name, f"{twice[0]} is attached twice with different contents"), None
    with tempfile.TemporaryDirectory(prefix="thesis-verify-") as folder:
        root = Path(folder)
        for attached, copies in files.items():
            target = root.joinpath(*PurePosixPath(attached).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(copies[0])
        try:
            again = prepare(Project(root), company, as_of).brief
        except ThesisError as exc:
            problems = getattr(exc, "problems", None)
            cause = problems[0].format().splitlines()[0] if problems else exc.message
            return Failure("inputs", name, f"the attached inputs do not make the brief again: {cause}"), None
        rebuilt: dict[str, Any] = json.loads(dumps(snapshot_of(again)))
    differ = sorted(
        k for k in set(rebuilt) | set(snapshot) if k not in NOT_REBUILT and rebuilt.get(k) != snapshot.get(k)
    )
    if differ:
        return (
            Failure(
                "inputs",
                name,
                f"the attached inputs make a brief that differs from the snapshot in {', '.join(differ)} "
                f"(score {signed(rebuilt['score'])}, {rebuilt['rating']}; "
                f"the snapshot says {signed(snapshot['score'])}, {snapshot['rating']})",
            ),
            None,
        )
    return None, (
        f"{name}: the attached inputs make the brief again: the same snapshot, score {signed(rebuilt['score'])}, "
        f"{rebuilt['rating']}"
    )


def _inside(name: str, folder: PurePosixPath) -> bool:
    """Whether the attachment ``name`` is a plain relative path under ``folder`` (nothing that climbs out)."""
    path = PurePosixPath(name)
    return (
        "\\" not in name
        and not path.is_absolute()
        and ".." not in path.parts
        and path.parts[: len(folder.parts)] == folder.parts
        and len(path.parts) > len(folder.parts)
    )
