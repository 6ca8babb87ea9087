"""``thesis source add COMPANY FILE``: archive a saved document as a source and describe it in the sources file.

The document is kept as received under ``sources/originals/`` (web pages and
PDFs; a text file is its own original), the text quotes are verified against
is written under ``sources/`` (:mod:`thesis.inputs.documents`), and a complete
entry is appended to the YAML file that holds ``sources:``. The entry is added
as text after the last source, so the analyst's comments, order and layout
stay as they are; the new file is parsed again before anything is written,
and the entry must validate. The three files are written together or not at
all; a document already archived (the same SHA-256) is refused.

What the document does not say is left to the analyst and listed: the
reliability grade (``F``, "cannot be judged", until given), a publication
date that is only an estimate, a title guessed from the first line, and a
missing publisher or author.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thesis.errors import InputError, UsageError, display_path
from thesis.inputs.documents import MAX_DOCUMENT_BYTES, DocumentError, Extracted, FoundDate, extract, kind_of
from thesis.inputs.loader import MAX_SOURCE_BYTES, input_files
from thesis.inputs.models import Source, is_slug
from thesis.inputs.reading import ReadFailure, read_bounded
from thesis.inputs.schema import modeline
from thesis.inputs.yaml_reader import parse_yaml, read_yaml
from thesis.outputs.files import write_all_atomic
from thesis.project import Project

ORIGINALS = "sources/originals"
UNJUDGED = "F"  # Admiralty: reliability cannot be judged
ID_WORDS = 5  # title words in a derived id
ID_MAX = 40  # characters in a derived id, cut between words: readable where it is cited
ID_PUBLISHER_MAX = 16  # characters of the publisher's name in a derived id
_STOP_WORDS = frozenset(("a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "at", "by", "from"))


@dataclass(frozen=True)
class Added:
    """What ``thesis source add`` did: the entry it wrote and what the analyst still has to decide."""

    source_id: str
    sources_file: str  # as messages show it
    written: tuple[str, ...]
    filled: tuple[tuple[str, str], ...]  # (field, value and where it came from)
    to_decide: tuple[str, ...]


@dataclass
class _Existing:
    """The sources file and the sources already in it, read without validating the whole company."""

    path: Path
    text: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    key_line: int | None = None  # line of "sources:", None when the file has no sources yet


def add_source(
    project: Project,
    company: str,
    file: Path,
    *,
    source_id: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    reliability: str | None = None,
    today: dt.date | None = None,
) -> Added:
    """Archive ``file`` as a source of ``company``; nothing is changed when anything is wrong."""
    today = today or dt.date.today()
    folder = project.company_dir(company)
    kind = kind_of(file.suffix)
    if kind is None:
        raise UsageError(
            f"{file.name}: cannot add a {file.suffix or 'nameless'} file as a source",
            "add a saved web page (.html, .htm), a PDF (.pdf), or text (.txt, .md)",
        )
    data = _read(file)
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise UsageError(f"--url {url!r} is not a web address", "give the full address starting with https://")
    if published is not None and published > today:
        raise UsageError(
            f"--published {published.isoformat()} is after today ({today.isoformat()})",
            "give the date printed on the document",
        )
    if reliability is not None and reliability not in "ABCDEF":
        raise UsageError(f"--reliability {reliability!r} is not a grade", "use one letter from A to F")
    try:
        extracted = extract(data, kind)
    except DocumentError as exc:
        raise UsageError(f"{file.name}: {exc.message}; nothing was added", exc.hint) from None
    existing = _existing(project, folder)
    _refuse_duplicate(folder, existing, data, extracted)
    ids = {str(entry.get("id")) for entry in existing.entries}
    if source_id is not None:
        if not is_slug(source_id):
            raise UsageError(f"--id {source_id!r} is not a valid id", "use lowercase letters, digits and hyphens")
        if source_id in ids:
            raise UsageError(f"there is already a source {source_id!r}", "choose another --id")
    else:
        source_id = derive_id(extracted, url, published, today, ids)
    suffix = file.suffix.lower()
    text_relative = f"sources/{source_id}{suffix if kind == 'text' else '.txt'}"
    original_relative = f"{ORIGINALS}/{source_id}{suffix}" if kind != "text" else None
    text_bytes = data if kind == "text" else extracted.text.encode("utf-8")
    if len(text_bytes) > MAX_SOURCE_BYTES:
        raise UsageError(
            f"{file.name}: its text is {len(text_bytes):,} bytes, over the {MAX_SOURCE_BYTES:,} a source may hold",
            "add only the part of the document the thesis needs",
        )
    targets = {text_relative: text_bytes}
    if original_relative is not None:
        targets[original_relative] = data
    paths = {relative: _target(folder, relative, project.root) for relative in targets}
    date, date_note = _published(extracted.date, published, today)
    entry: dict[str, Any] = {
        "id": source_id,
        "title": extracted.title or file.stem,
        "publisher": extracted.publisher,
        "author": extracted.author,
        "published": date,
        "retrieved": today,
        "url": url or extracted.url,
        "file": text_relative,
        "original": original_relative,
        "reliability": reliability or UNJUDGED,
        "sha256": hashlib.sha256(text_bytes).hexdigest(),
        "original_sha256": hashlib.sha256(data).hexdigest() if original_relative else None,
    }
    entry = {key: value for key, value in entry.items() if value is not None}
    new_text = _appended(existing, entry, project.root)
    _check_appended(existing, new_text, entry, project.root)
    files = {paths[relative]: content for relative, content in targets.items()}
    files[existing.path] = new_text.encode("utf-8")
    write_all_atomic(files)
    return Added(
        source_id=source_id,
        sources_file=display_path(existing.path, project.root),
        written=tuple(display_path(path, project.root) for path in files),
        filled=_filled(entry, extracted, url, reliability, date_note),
        to_decide=_to_decide(entry, extracted, reliability, date_note),
    )


def _read(file: Path) -> bytes:
    if not file.is_file():
        what = "does not exist" if not file.exists() else "is not a regular file"
        raise UsageError(f"{file} {what}", "give the path of a saved web page, PDF or text file")
    try:
        data = read_bounded(file, MAX_DOCUMENT_BYTES)
    except ReadFailure as failure:
        if failure.size is None:
            raise UsageError(f"cannot read {file}: {failure.cause}", failure.hint) from None
        raise UsageError(
            f"{file.name} is over the limit of {MAX_DOCUMENT_BYTES:,} bytes; nothing was added",
            "save only the document itself (for a web page, the HTML without its images)",
        ) from None
    return data


def _existing(project: Project, folder: Path) -> _Existing:
    """The YAML file that holds ``sources:`` (sources.yaml when none does yet) and its entries."""
    for path in input_files(folder):
        display = display_path(path, project.root)
        data, positions = read_yaml(path, display)
        if isinstance(data, dict) and "sources" in data:
            entries = data["sources"]
            if entries is not None and not isinstance(entries, list):
                raise UsageError(f"{display}: sources is not a list", "write each source as an item starting with '- '")
            text = path.read_text(encoding="utf-8")
            return _Existing(
                path,
                text,
                [entry for entry in entries or [] if isinstance(entry, dict)],
                positions.get(("sources",)),
            )
    path = folder / "sources.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else modeline(path, project.root) + "\n"
    return _Existing(path, text)


def _refuse_duplicate(folder: Path, existing: _Existing, data: bytes, extracted: Extracted) -> None:
    """The same document (by SHA-256 of the file, or of its text) may be archived once."""
    digests = {hashlib.sha256(data).hexdigest(), hashlib.sha256(extracted.text.encode("utf-8")).hexdigest()}
    for entry in existing.entries:
        known = {entry.get("sha256"), entry.get("original_sha256")}
        for key in ("file", "original"):
            relative = entry.get(key)
            if isinstance(relative, str) and ".." not in Path(relative).parts and not Path(relative).is_absolute():
                path = folder / relative
                if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_DOCUMENT_BYTES:
                    known.add(hashlib.sha256(path.read_bytes()).hexdigest())
        if digests & known:
            raise UsageError(
                f"this document is already source {entry.get('id')!r} (the same SHA-256); nothing was added",
                "cite that source; to archive a new version of the document, save the new version",
            )
    originals = folder / ORIGINALS
    if originals.is_dir():
        for path in sorted(originals.iterdir()):
            if path.is_file() and not path.is_symlink() and hashlib.sha256(path.read_bytes()).hexdigest() in digests:
                raise UsageError(
                    f"this document is already archived as {ORIGINALS}/{path.name}; nothing was added",
                    "describe that file in the sources file, or remove it and add the document again",
                )


def derive_id(extracted: Extracted, url: str | None, published: dt.date | None, today: dt.date, taken: set[str]) -> str:
    """An id from the publisher, the title's first words and the year-month: ``daily-ledger-acme-triples-2025-03``.

    At most ``ID_MAX`` characters, cut between words (the publisher's name kept to ``ID_PUBLISHER_MAX``),
    so that an id reads at a glance where it is cited; a number after it keeps it unique, within the same length.
    """
    publisher = _words(_slug(extracted.publisher or _host(url or extracted.url) or ""), ID_PUBLISHER_MAX)
    title = [w for w in re.findall(r"[a-z0-9]+", _ascii(extracted.title or "").lower()) if w not in _STOP_WORDS]
    day = published or (extracted.date.date if extracted.date else None)
    month = day.strftime("%Y-%m") if day else ""
    words = publisher + title[:ID_WORDS]
    if not words:
        words, month = ["source"], month or today.isoformat()
    number = 1
    while True:
        suffix = "-".join(part for part in (month, str(number) if number > 1 else "") if part)
        head = _words("-".join(words), ID_MAX - (len(suffix) + 1 if suffix else 0))
        candidate = "-".join([*head, suffix] if suffix else head)
        if candidate not in taken:
            return candidate
        number += 1


def _words(slug: str, limit: int) -> list[str]:
    """The first words of a hyphenated ``slug`` that fit in ``limit`` characters; a first word too long is cut."""
    words = [w for w in slug.split("-") if w]
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > limit:
            break
        kept.append(word)
    return kept or ([words[0][:limit]] if words else [])


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", _ascii(text).lower()) if w not in {"www", "com", "the"}]
    return "-".join(words[:3])


def _host(url: str | None) -> str | None:
    match = re.match(r"^https?://(?:www\.)?([^/:?#]+)", url or "")
    return match[1] if match else None


def _target(folder: Path, relative: str, root: Path) -> Path:
    """Where an archived file goes: inside the company folder, not over an existing file."""
    path = folder / relative
    for parent in (path.parent, path.parent.parent):
        if parent.is_symlink() or (parent.exists() and not parent.resolve().is_relative_to(folder.resolve())):
            raise UsageError(
                f"{display_path(parent, root)} leads outside the company folder; nothing was added",
                "make it a real folder inside the company folder",
            )
    if path.exists() or path.is_symlink():
        raise UsageError(
            f"{display_path(path, root)} already exists; nothing was added",
            "give another --id, or remove the file if nothing cites it",
        )
    return path


def _published(found: FoundDate | None, given: dt.date | None, today: dt.date) -> tuple[Any, str]:
    """The entry's ``published`` value and a note saying where it came from."""
    if given is not None:
        return given, "given with --published"
    if found is not None and not found.estimated:
        return found.date, f"from {found.basis}"
    if found is not None:
        return {"estimate": found.date, "basis": _basis(found.basis)}, f"an estimate from {found.basis}"
    basis = "no date in the document; the day it was archived, the latest it can be"
    return {"estimate": today, "basis": basis}, "an estimate: " + basis


def _basis(where: str) -> str:
    return where[0].upper() + where[1:] if where else where


def _scalar(value: Any) -> str:
    """One YAML value on one line: strings double-quoted (a JSON string is a YAML double-quoted scalar)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_scalar(item)}" for key, item in value.items()) + "}"
    if isinstance(value, str) and key_is_plain(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def key_is_plain(value: str) -> bool:
    """A value written without quotes: ids, paths, grades and hashes that YAML reads back as the same text."""
    import yaml

    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9/._-]*", value) is not None and yaml.safe_load(value) == value


def entry_text(entry: dict[str, Any], indent: str) -> str:
    """The entry as block YAML, the item's dash at ``indent``."""
    lines = []
    for index, (key, value) in enumerate(entry.items()):
        lead = f"{indent}- " if index == 0 else f"{indent}  "
        lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _appended(existing: _Existing, entry: dict[str, Any], root: Path) -> str:
    """The sources file with the entry added as text after the last source; nothing else changes."""
    text = existing.text
    if text and not text.endswith("\n"):
        text += "\n"
    lines = text.splitlines(keepends=True)
    if existing.key_line is None:
        return text + "sources:\n" + entry_text(entry, "  ")
    key_index = existing.key_line - 1
    key_line = lines[key_index]
    if re.match(r"^sources:\s*(#.*)?$", key_line) is None:
        if re.match(r"^sources:\s*\[\s*\]\s*(#.*)?$", key_line):
            lines[key_index] = "sources:\n"
            return "".join(lines[: key_index + 1]) + entry_text(entry, "  ") + "".join(lines[key_index + 1 :])
        raise UsageError(
            f"{display_path(existing.path, root)}:{existing.key_line}: sources is not written as a block list",
            "write each source as an item starting with '- ' under 'sources:'",
        )
    # The block ends at the next line that starts a top-level key; comments and blank lines just
    # before it belong to what follows.
    end = len(lines)
    for index in range(key_index + 1, len(lines)):
        if re.match(r"^[^\s#-]", lines[index]) or lines[index].startswith(("---", "...")):
            end = index
            break
    while end > key_index + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    items = [line for line in lines[key_index + 1 : end] if re.match(r"^\s*- ", line)]
    indent = re.match(r"^(\s*)", items[0])[1] if items else "  "  # type: ignore[index]
    separator = "\n" if existing.entries else ""
    return "".join(lines[:end]) + separator + entry_text(entry, indent) + "".join(lines[end:])


def _check_appended(existing: _Existing, new_text: str, entry: dict[str, Any], root: Path) -> None:
    """The new file parses to the old sources plus this entry, and the entry validates."""
    display = display_path(existing.path, root)
    try:
        data, _ = parse_yaml(new_text, display)
    except InputError as exc:
        raise UsageError(
            f"{display}: adding the entry would break the file ({exc.problems[0].message}); nothing was added",
            "add the entry by hand, or make sources: a plain block list",
        ) from None
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, list) or len(sources) != len(existing.entries) + 1 or sources[-1] != entry:
        raise UsageError(
            f"{display}: the entry could not be added after the last source; nothing was added",
            "make sources: a plain block list (items starting with '- '), or add the entry by hand",
        )
    from pydantic import ValidationError

    try:
        Source.model_validate(entry)
    except ValidationError as exc:
        raise UsageError(f"the entry does not validate: {exc.errors()[0]['msg']}", "add it by hand") from None


def _filled(
    entry: dict[str, Any], extracted: Extracted, url: str | None, reliability: str | None, date_note: str
) -> tuple[tuple[str, str], ...]:
    notes = {
        "title": f"from {extracted.title_basis}" if extracted.title_basis else "from the document",
        "publisher": "from the page's site name",
        "author": "from the document",
        "published": date_note,
        "retrieved": "today",
        "url": "given with --url" if url else "the page's canonical link",
        "reliability": "given with --reliability" if reliability else "cannot be judged, until you grade it",
        "file": "the text quotes are verified against",
        "original": "the document as received",
    }
    filled = []
    for key, value in entry.items():
        if key in {"sha256", "original_sha256"}:
            value = f"{value[:12]}…"
        shown = value.isoformat() if isinstance(value, dt.date) else _describe(value)
        note = notes.get(key, "")
        filled.append((key, f"{shown}" + (f" ({note})" if note else "")))
    return tuple(filled)


def _describe(value: Any) -> str:
    if isinstance(value, dict) and "estimate" in value:
        return f"c. {value['estimate'].isoformat()}"
    return str(value)


def _to_decide(entry: dict[str, Any], extracted: Extracted, reliability: str | None, date_note: str) -> tuple[str, ...]:
    decide = []
    if reliability is None:
        decide.append(
            f"reliability: set to {UNJUDGED} (cannot be judged); grade the source A (completely reliable) to E"
        )
    published = entry["published"]
    if isinstance(published, dict):
        decide.append(
            f"published: {published['estimate'].isoformat()} is {date_note}; write the date the document "
            "was published, or keep the estimate and its basis"
        )
    if extracted.title_basis and extracted.kind != "text":
        decide.append(f"title: taken from {extracted.title_basis}; check it")
    if "publisher" not in entry:
        decide.append("publisher: the document does not name one; add it if known")
    if "author" not in entry:
        decide.append("author: the document does not name one; add it if known")
    if "url" not in entry:
        decide.append("url: none found; add where the document was found (or leave it out)")
    return tuple(decide)
