"""The machine-readable brief: a versioned, canonical JSON document.

Sorted keys, floats rounded to 6 places, a ``schema_version``; the same
inputs and as-of date always give the same bytes. ``docs/snapshot.md``
documents the format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thesis.brief.view import Brief, CitationView
from thesis.errors import UsageError
from thesis.inputs.models import Version, written_on
from thesis.outputs.scorecard_data import (
    SCORE_FIELDS,
    confidence_data,
    rounded,
    scenarios_data,
    sensitivity_data,
)
from thesis.outputs.snapshot_model import MAX_SNAPSHOT_BYTES, iso_date, validate_snapshot

SCHEMA_VERSION = 1


def _citation(c: CitationView) -> dict[str, Any]:
    return {
        "number": c.number,
        "source": c.source_id,
        "quote": c.quote,
        "verified": c.verified,
        "grade": c.grade,
        "page": c.pages[0] if c.pages else None,
        "page_end": c.pages[1] if c.pages else None,
    }


def snapshot(brief: Brief, *, stress_tests: bool = True) -> dict[str, Any]:
    """The snapshot of a brief as plain data.

    ``stress_tests=False`` leaves out ``confidence`` and ``sensitivity``, which
    re-score the thesis dozens of times: :func:`thesis.diff.compare.diff_snapshots`
    compares neither, so ``thesis diff COMPANY DATE_A DATE_B`` does without them.
    Such a snapshot is for comparing in memory, never for writing.
    """
    card = brief.scorecard
    company = brief.thesis.company

    def item_fields(entry: Any) -> dict[str, Any]:
        return {name: getattr(entry, name) for name in SCORE_FIELDS}

    points = [
        {
            "id": view.point.id,
            "stance": view.point.stance,
            "title": view.point.current_title,
            "title_written": _written(view.point.title),
            "category": view.point.category,
            "impact": view.point.impact,
            "body": view.point.current_body,
            "body_written": _written(view.point.body),
            "citations": [_citation(c) for c in view.citations],
            **item_fields(view.score),
        }
        for view in (*brief.bull, *brief.bear)
    ]
    metrics = [
        {
            "id": view.metric.id,
            "name": view.metric.name,
            "unit": view.metric.unit,
            "description": view.metric.current_description,
            "description_written": _written(view.metric.description),
            "higher_is_better": view.metric.higher_is_better,
            "disagreement": view.disagreement,
            "observations": [
                {
                    "value": o.observation.value,
                    "date": o.observation.date.isoformat() if o.observation.date else None,
                    "period": o.observation.period,
                    "note": o.observation.current_note,
                    "note_written": _written(o.observation.note),
                    "citation": _citation(o.citation),
                }
                for o in view.observations
            ],
        }
        for view in brief.metrics
    ]
    constraints = [
        {
            "id": view.constraint.id,
            "item": view.constraint.item,
            "kind": view.constraint.kind,
            "status": view.constraint.status,
            "authority": view.constraint.authority,
            "effective": view.constraint.effective.date.isoformat(),
            "effective_estimated": view.constraint.effective.estimated,
            "affects": list(view.constraint.affects),
            "severity": view.constraint.severity,
            "body": view.constraint.current_body,
            "body_written": _written(view.constraint.body),
            "stale": view.stale,
            "evidence_age_days": view.evidence_age_days,
            "history": [
                {
                    "status": entry.status,
                    "effective": entry.effective.date.isoformat(),
                    "effective_estimated": entry.effective.estimated,
                    "note": entry.current_note,
                    "note_written": _written(entry.note),
                }
                for entry in view.history
            ],
            "citations": [_citation(c) for c in view.citations],
            **item_fields(view.score),
        }
        for view in brief.constraints
    ]
    sources = [
        {
            "number": entry.number,
            "id": entry.source.id,
            "title": entry.source.title,
            "publisher": entry.source.publisher,
            "author": entry.source.author,
            "published": entry.source.published.date.isoformat(),
            "published_estimated": entry.source.published.estimated,
            "published_basis": entry.source.published.basis,
            "url": entry.source.url,
            "retrieved": entry.source.retrieved.isoformat(),
            "file": entry.source.file,
            "reliability": entry.source.reliability,
            "sha256": entry.sha256,
            "cited_by": list(entry.cited_by),
        }
        for entry in brief.bibliography
    ]
    catalysts = [
        {
            "id": view.catalyst.id,
            "title": view.catalyst.current_title,
            "title_written": _written(view.catalyst.title),
            "kind": view.catalyst.kind,
            "expected": view.catalyst.current_expected,
            "expected_written": _written(view.catalyst.expected),
            "slipped_from": list(view.state.slipped_from),
            "brought_forward_from": list(view.state.brought_forward_from),
            "window": [view.state.window.start.isoformat(), view.state.window.end.isoformat()]
            if view.state.window
            else None,
            "timing": view.catalyst.current_timing,
            "timing_written": _written(view.catalyst.timing),
            "tests": list(view.catalyst.tests),
            "status": view.state.status,
            "overdue": view.state.overdue,
            "outcome": view.catalyst.current_outcome,
            "outcome_written": _written(view.catalyst.outcome),
            "resolved": view.catalyst.resolved_on.isoformat() if view.catalyst.resolved_on else None,
            "citations": [_citation(c) for c in view.citations],
        }
        for view in brief.catalysts
    ]
    kill_criteria = [
        {
            "id": view.criterion.id,
            "title": view.criterion.current_title,
            "title_written": _written(view.criterion.title),
            "kind": view.criterion.kind,
            "watches": getattr(view.criterion, view.criterion.kind),
            "rationale": view.criterion.current_rationale,
            "rationale_written": _written(view.criterion.rationale),
            "tripped": view.state.tripped,
            "reading": view.state.reading,
            "citations": [_citation(c) for c in view.citations],
            "basis": [_citation(c) for c in view.basis],
        }
        for view in brief.kill_criteria
    ]
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"thesis {brief.version}",
        "company": {
            "id": brief.company_id,
            "name": company.name,
            "short_name": company.short_name,
            "tickers": [f"{t.symbol} ({t.exchange})" for t in company.tickers],
            "sector": company.sector,
            "analyst": company.analyst,
            "summary": company.current_summary,
            "summary_written": _written(company.summary),
        },
        "as_of": brief.as_of.isoformat(),
        "inputs_sha256": brief.inputs_sha256,
        "score": card.score,
        "rating": card.rating,
        "uncapped_rating": card.uncapped_rating,
        "capped_by": list(card.capped_by),
        "scoring": {"config": card.config.canonical(), "hash": card.config.digest()},
        "category_totals": card.category_totals,
        "scenarios": _scenarios(brief),
        "quotes": {"checked": brief.quotes_checked, "unverified": brief.quotes_unverified},
        "points": points,
        "metrics": metrics,
        "constraints": constraints,
        "sources": sources,
        "catalysts": catalysts,
        "kill_criteria": kill_criteria,
        "record": brief.record,
    }
    if stress_tests:
        data["confidence"] = confidence_data(brief.confidence)
        data["sensitivity"] = sensitivity_data(brief.sensitivity)
    result: dict[str, Any] = rounded(data)
    return result


def _written(text: str | Sequence[Version] | None) -> str | None:
    """The day the text shown was written: its newest dated version's (``None`` for a plain text)."""
    written = written_on(text)
    return written.isoformat() if written else None


def _scenarios(brief: Brief) -> dict[str, Any] | None:
    """The scenarios as scored, with the day the desk set them (``date``; ``None`` when the inputs give none)."""
    data = scenarios_data(brief.scenarios)
    if data is not None:
        given = brief.thesis.scenarios.date if brief.thesis.scenarios else None
        data["date"] = given.isoformat() if given else None
        for case, analysed in zip(data["cases"], brief.scenarios.cases if brief.scenarios else (), strict=True):
            written = analysed.description_written
            case["description_written"] = written.isoformat() if written else None
    return data


def dumps(data: dict[str, Any]) -> str:
    """Canonical JSON text: sorted keys, two-space indent, UTF-8, trailing newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


SNAPSHOT_HINT = "pass two snapshots (build/COMPANY/DATE/COMPANY-DATE.json) or two PDF briefs rendered by thesis"


def read_snapshot(path: Path) -> dict[str, Any]:
    """A snapshot from its JSON file, or from the copy attached to a PDF brief.

    Anything else (a missing file, bad JSON, a PDF without a snapshot, a
    snapshot from a newer version) is a :class:`UsageError` naming the file.
    """
    from thesis.inputs.reading import ReadFailure, read_bounded

    try:
        data = read_bounded(path, MAX_SNAPSHOT_BYTES)
    except ReadFailure as failure:
        raise UsageError(f"cannot read {path}: {failure.cause}", SNAPSHOT_HINT) from None
    if data.startswith(b"%PDF"):
        return _attached_snapshot(path, data)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path} is neither a JSON snapshot nor a PDF", SNAPSHOT_HINT) from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}", SNAPSHOT_HINT) from None
    except RecursionError:
        raise UsageError(f"{path}: the JSON is nested too deep to be a snapshot", SNAPSHOT_HINT) from None
    return _checked(parsed, str(path))


def pdf_attachments(path: Path, data: bytes) -> dict[str, list[bytes]]:
    """The files attached to the PDF ``data`` (read from ``path``): name -> contents (one per copy).

    A PDF pypdf cannot read is a :class:`UsageError` naming the file.
    """
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    quiet = logging.getLogger("pypdf")  # pypdf logs what it repairs ("Object count ... exceeds ..."): not ours to print
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return {
            name: [part for part in contents if isinstance(part, bytes)]
            for name, contents in PdfReader(io.BytesIO(data)).attachments.items()
        }
    except (PyPdfError, ValueError, KeyError) as exc:
        raise UsageError(f"cannot read the PDF {path}: {exc}", SNAPSHOT_HINT) from None
    except Exception as exc:  # noqa: BLE001 - a malformed PDF can fail anywhere inside pypdf
        raise UsageError(f"cannot read the PDF {path}: {type(exc).__name__}", SNAPSHOT_HINT) from None
    finally:
        quiet.setLevel(level)


def _attached_snapshot(path: Path, data: bytes) -> dict[str, Any]:
    return snapshot_of_attachments(path, pdf_attachments(path, data))


def snapshot_of_attachments(path: Path, attachments: dict[str, list[bytes]]) -> dict[str, Any]:
    """The snapshot among a PDF brief's attachments (a top-level ``.json`` file); none is a :class:`UsageError`."""
    candidates = sorted((name, contents) for name, contents in attachments.items() if name.endswith(".json"))
    for name, contents in candidates:
        if "/" in name or not contents or not isinstance(contents[0], bytes):
            continue
        try:
            parsed = json.loads(contents[0].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            continue
        if isinstance(parsed, dict) and "schema_version" in parsed:
            return _checked(parsed, f"{path} (attachment {name})")
    raise UsageError(
        f"{path} has no snapshot attached",
        "render the brief with `thesis render` (it attaches COMPANY-DATE.json), or pass the JSON snapshot",
    )


def _checked(parsed: Any, where: str) -> dict[str, Any]:
    if not isinstance(parsed, dict) or "schema_version" not in parsed:
        raise UsageError(f"{where} is not a thesis snapshot (no schema_version)", SNAPSHOT_HINT)
    version = parsed["schema_version"]
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise UsageError(
            f"{where} has schema_version {version!r}; this version of thesis reads up to {SCHEMA_VERSION}",
            "upgrade thesis, or render both briefs with the same version",
        )
    missing = [key for key in ("as_of", "score", "rating", "points", "metrics", "constraints") if key not in parsed]
    if missing:
        raise UsageError(f"{where} is not a complete snapshot: missing {', '.join(missing)}", SNAPSHOT_HINT)
    try:
        iso_date(str(parsed["as_of"]))
    except ValueError:
        raise UsageError(f"{where}: as_of {parsed['as_of']!r} is not a date (YYYY-MM-DD)", SNAPSHOT_HINT) from None
    if isinstance(parsed["score"], bool) or not isinstance(parsed["score"], (int, float)):
        raise UsageError(f"{where}: score {parsed['score']!r} is not a number", SNAPSHOT_HINT)
    for key in ("points", "metrics", "constraints", "sources"):
        items = parsed.get(key, [])
        if not isinstance(items, list):
            raise UsageError(f"{where}: {key} is not a list", SNAPSHOT_HINT)
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise UsageError(f"{where}: {key}[{index}] is not an item with an id", SNAPSHOT_HINT)
            if key in ("points", "constraints") and not _scored(item):
                raise UsageError(
                    f"{where}: {key}[{index}] ({item['id']}) lacks its score fields (raw, age_days, citations)",
                    SNAPSHOT_HINT,
                )
    problems = validate_snapshot(parsed)  # every field the diff reads, typed (thesis/outputs/snapshot_model.py)
    if problems:
        raise UsageError(f"{where} is not a snapshot thesis can compare: " + "; ".join(problems), SNAPSHOT_HINT)
    return parsed


def _scored(item: dict[str, Any]) -> bool:
    numbers = all(
        isinstance(item.get(k), (int, float)) and not isinstance(item.get(k), bool) for k in ("raw", "age_days")
    )
    return numbers and isinstance(item.get("citations"), list)
