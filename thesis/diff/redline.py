"""Word-level redline of two texts, and how alike two texts are.

A redline is a list of segments ``(op, text)`` with ``op`` one of ``equal``,
``delete`` or ``insert``; joining the ``equal`` and ``insert`` texts gives the
new text back, joining ``equal`` and ``delete`` the old one (up to spacing
between unchanged words, which a reader cannot see). Words are compared
whole and any run of white space counts as one space, so a changed figure
shows as one struck word and one inserted word, not as characters, and a
re-wrapped line shows no change.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "delete", "insert"]
Segment = tuple[Op, str]

_TOKEN = re.compile(r"\S+|\s+")


def tokens(text: str) -> list[str]:
    """Words and the runs of white space between them, in order."""
    return _TOKEN.findall(text)


def _compared(token: str) -> str:
    """What a token is compared as: any run of white space is one space."""
    return " " if token.isspace() else token


def redline(old: str, new: str) -> list[Segment]:
    """The word-level changes from ``old`` to ``new``, adjacent segments of one kind merged."""
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [_compared(t) for t in a], [_compared(t) for t in b], autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            # Keep the new text's spacing for matched words, so joining equal + insert gives ``new``;
            # a difference in spacing alone is not a change a reader can see.
            _append(segments, "equal", "".join(b[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            _append(segments, "delete", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _append(segments, "insert", "".join(b[j1:j2]))
    return _absorb_islands(segments)


def _absorb_islands(segments: list[Segment]) -> list[Segment]:
    """Fold an unchanged run between two changes into them when it is no longer than either change.

    A rewritten paragraph otherwise reads as a word salad, every shared "a", "of" and "the" kept
    between struck and inserted words; like diff-match-patch's semantic clean-up, a short common run
    inside a rewrite is shown as removed and added. An unchanged run longer than a change beside it
    stays (``[-Fast-]{+Fastest+} cloud growth{+ in the sector+}``).
    """
    runs: list[list[str]] = []  # ["equal", text] or ["change", deleted, inserted]
    for op, text in segments:
        if op == "equal":
            runs.append(["equal", text])
            continue
        if not runs or runs[-1][0] != "change":
            runs.append(["change", "", ""])
        runs[-1][1 if op == "delete" else 2] += text
    merged = True
    while merged:
        merged = False
        for i in range(1, len(runs) - 1):
            before, same, after = runs[i - 1], runs[i], runs[i + 1]
            if same[0] != "equal" or before[0] != "change" or after[0] != "change":
                continue
            size = len(same[1].strip())
            if size <= max(len(before[1]), len(before[2])) and size <= max(len(after[1]), len(after[2])):
                runs[i - 1 : i + 2] = [["change", before[1] + same[1] + after[1], before[2] + same[1] + after[2]]]
                merged = True
                break
    tidy: list[Segment] = []
    for run in runs:
        if run[0] == "equal":
            _append(tidy, "equal", run[1])
        else:
            _append(tidy, "delete", run[1])
            _append(tidy, "insert", run[2])
    return tidy


def _append(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] == op:
        segments[-1] = (op, segments[-1][1] + text)
    else:
        segments.append((op, text))


def old_text(segments: list[Segment]) -> str:
    return "".join(text for op, text in segments if op != "insert")


def new_text(segments: list[Segment]) -> str:
    return "".join(text for op, text in segments if op != "delete")


def similarity(old: str, new: str) -> float:
    """How alike two texts are, word by word, from 0 (nothing shared) to 1 (the same words)."""
    a = [t.lower() for t in tokens(old) if not t.isspace()]
    b = [t.lower() for t in tokens(new) if not t.isspace()]
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def marked(segments: list[Segment]) -> str:
    """Plain-text redline as ``wdiff`` writes it: ``[-old-]{+new+}``."""
    parts = []
    for op, text in segments:
        body = text.strip()
        if op == "equal" or not body:
            parts.append(text if op != "delete" else "")
            continue
        lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        parts.append(lead + ("[-" + body + "-]" if op == "delete" else "{+" + body + "+}") + tail)
    return "".join(parts)
