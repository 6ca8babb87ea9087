"""Verify that every quote appears verbatim in its archived source text.

"Verbatim" is exact after normalising white space, typographic quotes and
dashes. A quote that is not found is reported with the nearest passage of the
source and how close it is.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass

from thesis.errors import Problem
from thesis.loader import Loaded

_TRANSLATE = {
    ord("\u201c"): '"',
    ord("\u201d"): '"',
    ord("\u201e"): '"',
    ord("\u00ab"): '"',
    ord("\u00bb"): '"',
    ord("\u2018"): "'",
    ord("\u2019"): "'",
    ord("\u201a"): "'",
    ord("\u2032"): "'",
    ord("\u2010"): "-",
    ord("\u2011"): "-",
    ord("\u2012"): "-",
    ord("\u2013"): "-",
    ord("\u2014"): "-",
    ord("\u2015"): "-",
    ord("\u2212"): "-",
    ord("\u00a0"): " ",
    ord("\u2009"): " ",
    ord("\u202f"): " ",
}
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold typographic quotes and dashes to ASCII and runs of white space to one space."""
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class QuoteResult:
    found: bool
    nearest: str = ""
    similarity: float = 1.0


def nearest_passage(quote: str, source: str) -> tuple[str, float]:
    """The passage of ``source`` most like ``quote``, and a similarity from 0 to 1."""
    q_words = normalize(quote).split(" ")
    s_words = normalize(source).split(" ")
    if not s_words or not q_words:
        return "", 0.0
    width = min(len(q_words), len(s_words))
    target = " ".join(q_words)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    best, best_ratio = "", -1.0
    step = 1 if len(s_words) < 5000 else max(1, width // 4)
    for start in range(0, max(1, len(s_words) - width + 1), step):
        candidate = " ".join(s_words[start : start + width])
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best, max(best_ratio, 0.0)


@dataclass(frozen=True)
class Verification:
    """The result for every citation, keyed by its dotted path in the inputs."""

    results: dict[str, QuoteResult]
    problems: list[Problem]
    found_quotes: frozenset[tuple[str, str]] = frozenset()

    def verified(self, path: str) -> bool:
        result = self.results.get(path)
        return result is not None and result.found

    def verified_quote(self, source_id: str, quote: str) -> bool:
        return (source_id, normalize(quote)) in self.found_quotes

    @property
    def count(self) -> int:
        return len(self.results)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results.values() if not r.found)


def citation_paths(loaded: Loaded) -> list[tuple[tuple[str | int, ...], str, str, str]]:
    """Every cited quote: (path, item id, source id, quote)."""
    thesis = loaded.thesis
    found: list[tuple[tuple[str | int, ...], str, str, str]] = []
    for index, point in enumerate(thesis.points):
        for n, citation in enumerate(point.evidence):
            found.append((("points", index, "evidence", n, "quote"), point.id, citation.source, citation.quote))
    for index, metric in enumerate(thesis.metrics):
        for n, obs in enumerate(metric.observations):
            found.append((("metrics", index, "observations", n, "quote"), metric.id, obs.source, obs.quote))
    for index, constraint in enumerate(thesis.constraints):
        for n, citation in enumerate(constraint.evidence):
            found.append(
                (("constraints", index, "evidence", n, "quote"), constraint.id, citation.source, citation.quote)
            )
    return found


def verify(loaded: Loaded, severity: str = "warning") -> Verification:
    """Check every quote against its source; a miss is a problem of the given severity."""
    from thesis.yaml_reader import dotted

    normalized = {sid: normalize(text) for sid, text in loaded.source_texts.items()}
    results: dict[str, QuoteResult] = {}
    problems: list[Problem] = []
    found: set[tuple[str, str]] = set()
    for path, item, source_id, quote in citation_paths(loaded):
        text = normalized.get(source_id, "")
        key = dotted(path)
        if normalize(quote) in text:
            results[key] = QuoteResult(True)
            found.add((source_id, normalize(quote)))
            continue
        nearest, ratio = nearest_passage(quote, loaded.source_texts.get(source_id, ""))
        results[key] = QuoteResult(False, nearest, ratio)
        hint = f"copy the passage exactly from {source_id}'s file"
        if nearest:
            hint = f'nearest passage in {source_id} ({ratio:.0%} similar): "{nearest}"'
        problems.append(
            loaded.located.problem(path, f"quote not found in source {source_id!r}", hint, severity=severity, item=item)
        )
    return Verification(results, problems, frozenset(found))
