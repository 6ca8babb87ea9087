"""``thesis new``: a new company folder with commented example inputs that check and render as they are.

The example is a complete, tiny thesis: one archived source, one bull and
one bear point quoting it, one metric and one constraint. Every example
value is marked as such so that a brief rendered from it cannot be mistaken
for research, and ``thesis check`` warns of each mark still in place
(:mod:`thesis.verify.placeholders`), so ``--strict`` fails until all are
replaced. The folder is written in full or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from thesis.errors import OutputError, UsageError, os_error_cause
from thesis.inputs.models import ShortText, Ticker
from thesis.inputs.plain_text import plain_text
from thesis.inputs.schema import SCHEMA_FILE, modeline, schema_json
from thesis.project import Project, check_company_name

TICKER_FORMAT = "SYMBOL:EXCHANGE, e.g. BABA:NYSE or 9988:HKEX"

EXAMPLE_SOURCE = """\
EXAMPLE SOURCE. Replace this file with the archived text of a document your thesis cites, and
describe it in sources.yaml. Keep the whole text: every quote in the inputs must appear in it word
for word (white space, typographic quotes and dashes are normalised).

{name} reported that revenue grew 12% in its latest fiscal year, ahead of its main competitors.
The company holds about 20% of its home market, the largest share of any provider.
Free cash flow turned negative as capital spending doubled, and management gave no date for a return
to positive cash flow.
New export rules restrict the company's purchases of advanced chips for its data centres.
"""

COMPANY_YAML = """\
{modeline}
# Who the thesis is about. Field reference: docs/inputs.md (your editor also shows it on hover).
company:
  name: {name}
  # short_name: Short name used in running text, e.g. Alibaba
  tickers:
{tickers}
  sector: Example sector (replace)
  headquarters: Example city, country (replace)
  analyst: Example analyst (replace with who keeps this thesis)
  summary: |
    EXAMPLE. One paragraph of Markdown: the thesis in brief. Replace it, and replace or delete the
    example source, points, metric and constraint, before you forward a brief.
"""

SOURCES_YAML = """\
{modeline}
# The documents the thesis rests on. Archive each as text under sources/ and cite it by id.
sources:
  - id: example-source
    title: "Example: annual results report (replace)"
    publisher: Example Publisher
    # author: Author, where known
    # url: https://example.com/where-you-found-it
    published: {today}        # or {{estimate: YYYY-MM-DD, basis: "why"}} when no date is printed
    retrieved: {today}        # when you archived the text
    file: sources/example.txt
    reliability: C               # Admiralty: A completely reliable ... E unreliable, F cannot be judged
    notes: An example source written by `thesis new`; replace it.
"""

POINTS_YAML = """\
{modeline}
# Bull and bear points. Each cites one or more verbatim quotes from the sources.
points:
  - id: example-growth
    stance: bull
    title: "Example: revenue growth ahead of competitors"
    category: competition        # weights per category: the scoring section of docs/inputs.md
    impact: 3                    # 1 (minor) to 5 (thesis-defining)
    body: |
      EXAMPLE. The reasoning, in Markdown: why this matters for the thesis.
    evidence:
      - source: example-source
        quote: "revenue grew 12% in its latest fiscal year"
        credibility: 3           # Admiralty: 1 confirmed by other sources ... 6 cannot be judged

  - id: example-cash-burn
    stance: bear
    title: "Example: spending outruns cash flow"
    category: capital
    impact: 2
    body: |
      EXAMPLE. Free cash flow turned negative; say what would change your mind.
    evidence:
      - source: example-source
        quote: "Free cash flow turned negative as capital spending doubled"
        credibility: 3
"""

METRICS_YAML = """\
{modeline}
# Metrics, with every observation the sources give (disagreeing figures are kept side by side).
metrics:
  - id: example-market-share
    name: "Example: home market share"
    unit: "%"
    higher_is_better: true
    observations:
      - value: 20
        period: "{year}"
        source: example-source
        quote: "about 20% of its home market"
        credibility: 3
        note: approximate
"""

CONSTRAINTS_YAML = """\
{modeline}
# Export controls, tariffs, sanctions and similar rules. Delete the example, leaving `constraints: []`, if none apply.
constraints:
  - id: example-chip-rules
    kind: export-control         # import-control, tariff, sanction, investment-screening or other
    item: "Example: advanced data-centre chips"
    status: restricted           # allowed, approved, licensed, restricted, blocked or halted
    authority: Example export rules
    effective: {today}        # or {{estimate: YYYY-MM-DD, basis: "why"}}
    affects: [training, inference]  # any of training, inference, supply, sales, costs, operations
    severity: 2                  # 1 (minor) to 5 (thesis-breaking)
    evidence:
      - source: example-source
        quote: "New export rules restrict the company's purchases of advanced chips"
        credibility: 3
"""

FILES = {
    "company.yaml": COMPANY_YAML,
    "sources.yaml": SOURCES_YAML,
    "points.yaml": POINTS_YAML,
    "metrics.yaml": METRICS_YAML,
    "constraints.yaml": CONSTRAINTS_YAML,
}


@dataclass(frozen=True)
class Scaffolded:
    folder: Path
    files: list[Path]
    schema_written: Path | None


def parse_ticker(text: str) -> Ticker:
    """``SYMBOL:EXCHANGE`` → :class:`Ticker`; anything else is a :class:`UsageError` naming the format."""
    symbol, sep, exchange = text.partition(":")
    if not sep or not symbol.strip() or not exchange.strip() or ":" in exchange:
        raise UsageError(f"invalid ticker {text!r}", f"write --ticker {TICKER_FORMAT}")
    try:
        return Ticker(symbol=symbol.strip(), exchange=exchange.strip())
    except ValidationError as exc:
        reason = str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ").split(";")[0]
        raise UsageError(f"invalid ticker {text!r}: {reason}", f"write --ticker {TICKER_FORMAT}") from None


def scaffold(project: Project, company: str, name: str, tickers: list[str], today: dt.date) -> Scaffolded:
    """Write ``inputs/COMPANY/`` with the example inputs; refuse to touch an existing folder."""
    check_company_name(company)
    if not name.strip():
        raise UsageError("the company name is empty", 'give it with --name "Example Holdings Limited"')
    try:  # what company.yaml's name will be checked against
        plain_text(TypeAdapter(ShortText).validate_python(name))
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError) and exc.errors()[0]["type"] == "string_too_long":
            reason = f"it is {len(name):,} characters, over the limit of {exc.errors()[0]['ctx']['max_length']:,}"
        else:
            reason = str(exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else exc).split(";")[0]
        raise UsageError(
            f"--name cannot be the company's name: {reason}", "give the name as the brief shows it"
        ) from None
    if not tickers:
        raise UsageError("no ticker given", f"give one or more with --ticker {TICKER_FORMAT}")
    listings = [parse_ticker(t) for t in tickers]
    folder = project.inputs_dir / company
    if folder.exists() or folder.is_symlink():
        raise UsageError(
            f"inputs/{company}/ already exists; nothing was written",
            f"choose another name, or move inputs/{company}/ away first",
        )
    texts = _render_files(project, folder, name.strip(), listings, today)
    try:
        project.inputs_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{company}.", suffix=".new", dir=project.inputs_dir))
    except OSError as exc:
        cause, hint = os_error_cause(exc)
        raise OutputError(f"cannot write inputs/{company}/: {cause}; nothing was written", hint) from None
    try:
        for relative, text in texts.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)
        os.rename(staging, folder)  # fails rather than merge if the folder appeared meanwhile
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            cause, hint = os_error_cause(exc)
            raise OutputError(f"cannot write inputs/{company}/: {cause}; nothing was written", hint) from None
        raise
    schema_path = project.root / SCHEMA_FILE
    schema_written = None
    if not schema_path.exists():
        from thesis.outputs.files import write_atomic

        write_atomic(schema_path, schema_json().encode("utf-8"))
        schema_written = schema_path
    return Scaffolded(folder, [folder / relative for relative in texts], schema_written)


def _render_files(project: Project, folder: Path, name: str, listings: list[Ticker], today: dt.date) -> dict[str, str]:
    values = {
        "name": _yaml_text(name),
        "tickers": "\n".join(
            f"    - {{symbol: {_yaml_text(t.symbol)}, exchange: {_yaml_text(t.exchange)}}}" for t in listings
        ),
        "today": today.isoformat(),
        "year": str(today.year),
    }
    texts = {
        file_name: template.format(modeline=modeline(folder / file_name, project.root), **values)
        for file_name, template in FILES.items()
    }
    texts["sources/example.txt"] = EXAMPLE_SOURCE.format(name=name)
    return texts


def _yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), so no name can break the file."""
    return json.dumps(text, ensure_ascii=False)
