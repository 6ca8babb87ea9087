"""``thesis history``: the score, rating and confidence on each day something changed, as a table.

The rows are :func:`thesis.scoring.history.score_history` over the company's
inputs (the brief's timeline chart draws the same rows up to its date), with
each day's confidence added (the stress tests, run per day) and, in a project
kept in git, the days on which a commit changed the inputs. In such a project
each row reads what ``thesis render --as-of`` that day reads: the inputs as
committed by then, and the working tree today (:mod:`thesis.commands.committed`),
whose entries carry the commits as events.
pandas builds the table and writes it as text, CSV or JSON; it is imported only here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from thesis.commands.render import scoring_config
from thesis.errors import UsageError
from thesis.inputs.loader import load_company
from thesis.project import Project
from thesis.scoring.asof import as_of_view
from thesis.scoring.history import InputsInForce, in_force_on, score_history
from thesis.terminal import aligned

if TYPE_CHECKING:
    import pandas as pd

HISTORY_COLUMNS = (
    "date:text score:float change:float rating:text confidence:text events:text moved_most:text moved_by:float"
)
COLUMNS = tuple(part.split(":")[0] for part in HISTORY_COLUMNS.split())


def history_table(
    project: Project,
    company: str,
    start: dt.date | None,
    end: dt.date,
    *,
    confidence: bool = True,
) -> pd.DataFrame:
    """One row per day something changed between ``start`` and ``end`` (see :data:`COLUMNS`)."""
    import pandas as pd

    from thesis.scoring.confidence import assess
    from thesis.scoring.sensitivity import analyse

    if start is not None and start > end:
        raise UsageError(f"--from {start.isoformat()} is after --to {end.isoformat()}", "give --from on or before --to")
    from thesis.commands.committed import CommittedInputs

    loaded = load_company(project, company)
    config = scoring_config(loaded)
    working = InputsInForce(dt.date.min, loaded.thesis, config)
    committed = CommittedInputs.of(project, company, dt.date.today(), working=working)
    record = committed.in_force(end, since=start) if committed is not None else []
    points = score_history(loaded.thesis, config, end, since=start, record=record)
    rows = []
    for point in points:
        level = None
        if confidence:
            read = in_force_on(record, point.date) or working
            assert read.thesis is not None  # a day whose inputs do not load has no row
            view = as_of_view(read.thesis, point.date)
            level = assess(point.card, analyse(view, point.date, point.card)).level
        rows.append(
            {
                "date": point.date.isoformat(),
                "score": round(point.score, 6),
                "change": round(point.change, 6),
                "rating": point.rating,
                "confidence": level,
                "events": "; ".join(event.text for event in point.events) or "(time decay only)",
                "moved_most": point.mover[0] if point.mover else None,
                "moved_by": round(point.mover[1], 6) if point.mover else None,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def history_text(table: pd.DataFrame) -> str:
    """The table for a terminal: signed scores and changes, text left-aligned, one row per day."""
    from thesis.figures import signed

    if table.empty:
        return "no history: nothing was known in that period\n"
    shown = table.drop(columns=["moved_by"]).copy()
    shown["score"] = table["score"].map(signed)
    shown["change"] = table["change"].map(signed)
    shown["moved_most"] = [
        f"{item} {signed(amount)}" if isinstance(item, str) else ""
        for item, amount in zip(table["moved_most"], table["moved_by"], strict=True)
    ]
    shown["events"] = [text if len(text) <= 70 else text[:69] + "…" for text in table["events"]]
    shown = shown.fillna("")
    rows = [list(shown.columns), *([str(value) for value in row] for row in shown.itertuples(index=False))]
    right = {i for i, col in enumerate(shown.columns) if col in ("score", "change")}
    return "\n".join(line.rstrip() for line in aligned(rows, right)) + "\n"


def history_csv(table: pd.DataFrame) -> str:
    """The table in the export's CSV dialect: a commit message or an event that starts like a formula stays text."""
    from thesis.outputs.export import Table, csv_text, parse_columns

    return csv_text(Table("history", parse_columns(HISTORY_COLUMNS), table))


def history_json(table: pd.DataFrame) -> str:
    import json

    records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
