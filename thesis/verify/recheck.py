"""Re-check a rendered brief from its snapshot and its sources' texts alone, as ``thesis check`` would.

A brief's snapshot lists every citation (source id and quote; for a metric
observation, the value and its metric's unit) and every source with the
SHA-256 of its archived text. Given those texts (attached to the PDF, or from
a folder), :func:`recheck` finds each source's hash, each quote in its
source (:meth:`~thesis.verify.quotes.SourceIndex.locate`, the same matching as
``thesis check``) and each value in its quote
(:func:`~thesis.verify.numbers.appears`). Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from thesis.verify.numbers import appears, format_value
from thesis.verify.quotes import SourceIndex, sha256


def attachment_name(company_id: str, file: str) -> str:
    """The name a PDF brief gives the attached text of a source: where it lives in the project,
    e.g. ``inputs/acme/sources/alpha.txt`` (the YAML inputs sit beside it as ``inputs/acme/points.yaml``)."""
    return f"inputs/{company_id}/{file}"


# The sections of a snapshot whose items carry lists of citations, and the keys of those lists.
CITING_SECTIONS = ("points", "constraints", "catalysts", "kill_criteria")
CITATION_LISTS = ("citations", "basis")


@dataclass(frozen=True)
class Claim:
    """One citation of the snapshot: where it is, its source and quote, and the value it backs, if any."""

    where: str  # e.g. "points[cloud-growth] citation 1", "metrics[cloud-share].observations[0]"
    source: str
    quote: str
    number: int | None = None  # the source's number in the brief's bibliography
    value: float | None = None
    unit: str = ""

    @property
    def label(self) -> str:
        cited = f"[{self.number}] " if self.number is not None else ""
        return f"{self.where} ({cited}{self.source})"


FailureKind = Literal["hash", "missing", "quote", "number", "inputs"]


@dataclass(frozen=True)
class Failure:
    # a source's text differs from its hash or is missing; a quote or a value is not found; the attached
    # inputs do not make the brief again (thesis.commands.verify_brief.rebuild)
    kind: FailureKind
    subject: str  # the citation's label, or the source for "hash" and "missing"
    message: str

    def text(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass(frozen=True)
class Recheck:
    """What a re-check found: how much was checked and each failure."""

    claims: int
    sources: int
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self, name: str) -> str:
        failed_claims = len({f.subject for f in self.failures if f.kind in ("quote", "number")})
        state = "verified" if self.ok else "FAILED"
        return (
            f"{name}: {state}: {self.claims - failed_claims} of {self.claims} citations verified "
            f"(quote found in its source, and each metric value in its quote); "
            f"{self.sources - sum(f.kind in ('hash', 'missing') for f in self.failures)} of {self.sources} "
            "source texts match the snapshot's SHA-256"
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def claims(snapshot: Mapping[str, Any]) -> Iterator[Claim]:
    """Every citation in ``snapshot``, in the order the brief shows its sections."""
    for section in CITING_SECTIONS:
        for item in snapshot.get(section) or []:
            if not isinstance(item, dict):
                continue
            for key in CITATION_LISTS:
                for n, cited in enumerate(item.get(key) or [], start=1):
                    claim = _claim(f"{section}[{item.get('id')}] {key[:-1] if key == 'citations' else key} {n}", cited)
                    if claim is not None:
                        yield claim
    for metric in snapshot.get("metrics") or []:
        if not isinstance(metric, dict):
            continue
        for n, observation in enumerate(metric.get("observations") or []):
            if not isinstance(observation, dict):
                continue
            value = observation.get("value")
            claim = _claim(
                f"metrics[{metric.get('id')}].observations[{n}]",
                observation.get("citation"),
                value if isinstance(value, (int, float)) and not isinstance(value, bool) else None,
                _text(metric.get("unit")) or "",
            )
            if claim is not None:
                yield claim


def _claim(where: str, cited: object, value: float | None = None, unit: str = "") -> Claim | None:
    if not isinstance(cited, dict):
        return None
    source, quote = _text(cited.get("source")), _text(cited.get("quote"))
    if source is None or quote is None:
        return None
    number = cited.get("number")
    return Claim(where, source, quote, number if isinstance(number, int) else None, value, unit)


def recheck(snapshot: Mapping[str, Any], texts: Mapping[str, str | None]) -> Recheck:
    """Check ``snapshot`` against ``texts`` (source id -> archived text, None where it could not be had)."""
    failures: list[Failure] = []
    recorded = {
        entry["id"]: entry.get("sha256")
        for entry in snapshot.get("sources") or []
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    }
    indexes: dict[str, SourceIndex] = {}
    for source_id, expected in sorted(recorded.items()):
        text = texts.get(source_id)
        if text is None:
            failures.append(Failure("missing", f"source {source_id!r}", "its archived text is not there"))
            continue
        indexes[source_id] = SourceIndex(text)
        actual = sha256(text)
        if actual != expected:
            failures.append(
                Failure(
                    "hash",
                    f"source {source_id!r}",
                    f"the text's SHA-256 is {actual[:16]}…, the snapshot records {str(expected)[:16]}…: "
                    "the text is not the one the brief was made from",
                )
            )
    found = list(claims(snapshot))
    for claim in found:
        index = indexes.get(claim.source)
        if index is None:
            reason = "no such source in the snapshot" if claim.source not in recorded else "its source text is missing"
            failures.append(Failure("quote", claim.label, f"quote not checked: {reason}"))
            continue
        if index.locate(claim.quote) is None:
            failures.append(
                Failure("quote", claim.label, f'quote not found in source {claim.source!r}: "{claim.quote}"')
            )
        elif claim.value is not None and not appears(claim.value, claim.unit, claim.quote):
            failures.append(
                Failure(
                    "number",
                    claim.label,
                    f'value {format_value(claim.value)} ({claim.unit}) is not in its quote: "{claim.quote}"',
                )
            )
    return Recheck(len(found), len(recorded), failures)
