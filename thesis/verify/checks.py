"""``thesis check``: every verification of a company's inputs, reported together.

Loading comes first and stops the check when the inputs cannot be read
(:class:`~thesis.errors.InputError`, exit 2): YAML syntax, the schema, duplicate
ids, unknown source ids, missing source files, and source dates (not after
today, not after ``retrieved``). Then, on readable inputs:

``sources``  (warning) a source no point, metric or constraint cites.
``quotes``  (error) a quote not found verbatim in its source's archived text,
    or found only as part of longer words or numbers ("4%" in "34%"); the
    problem shows the nearest passage, where it is and how similar, or the
    whole words the quote cuts.
``short quotes``  (warning) a quote under
    :data:`~thesis.verify.quotes.SHORT_QUOTE` characters.
``placeholders``  (warning) example text ``thesis new`` wrote, still in place
    (:mod:`thesis.verify.placeholders`).
``numbers``  (error) a metric observation whose value its quote does not
    print in the unit's currency and with its sign, allowing for how sources
    write numbers (:mod:`thesis.verify.numbers`, docs/verification.md).
``dates``  an observation dated after its source was published. An error when
    the source prints its date (a source cannot report what came after it); a
    warning when the source's date is an estimate, since the estimate may be
    what is wrong.
``prices``  (error) a ``prices.csv`` or ``benchmark.csv`` that cannot be read:
    a wrong header, a bad date or price, days out of order, or no
    ``company.currency`` for the prices.
``catalysts``  (warning) an upcoming catalyst whose expected day or window
    ended before today: it happened or was missed, and the record says neither.
``contradictions``  (info) observations of one metric about the same
    period (or date, or with neither) whose values differ by more than
    :data:`~thesis.verify.disagreement.TOLERANCE`: the rule of
    :mod:`thesis.verify.disagreement`, which the brief's flag and the metric
    charts use too. Sources do disagree; the thesis keeps every observation and
    the brief flags the disagreement, so this is a finding, never a failure.
``constraints``  (info) a constraint whose newest evidence is older than the
    scoring configuration's ``constraint_stale_days`` today (stale: its status
    may have changed since); and, for ``thesis check`` (not ``thesis list``),
    a constraint on the same item as one in another company's thesis in the
    project whose status in force today differs.

Exit codes: 0 clean (info findings allowed), 1 an error, or a warning under
``--strict``, 2 the inputs cannot be read.

``--format json`` prints one object (keys sorted, problems in file and line
order)::

    {
      "company": "alibaba",
      "ok": true,                     # false when the check failed
      "strict": true,
      "counts": {"errors": 0, "warnings": 0, "info": 1,
                 "sources": 5, "points": 37, "metrics": 51, "observations": 70,
                 "constraints": 8, "quotes": 192, "numbers": 70},
      "problems": [
        {"file": "inputs/alibaba/metrics.yaml", "line": 17, "path": "metrics[0].observations[1].value",
         "item": "ai-capex-pledge-cny", "severity": "info", "message": "...", "hint": "..."}
      ]
    }

When the inputs cannot be read the same object has ``ok: false``, counts of
the problems only, and the problems that stopped the load (all errors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from thesis.errors import Problem
from thesis.figures import counted
from thesis.inputs.loader import Loaded, load_company, merged_scoring
from thesis.inputs.models import Metric, Observation, Thesis
from thesis.project import Project
from thesis.scoring.asof import evidence_age_days, status_history
from thesis.verify.disagreement import differ, disagreements
from thesis.verify.numbers import Mention, appears, format_value, mentions, mismatch, parse_unit
from thesis.verify.placeholders import placeholders
from thesis.verify.quotes import Verification, citation_paths, short_quotes, verify

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class CheckReport:
    company: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def of_severity(self, severity: str) -> list[Problem]:
        return [p for p in self.problems if p.severity == severity]

    def errors(self) -> list[Problem]:
        return self.of_severity("error")

    def warnings(self) -> list[Problem]:
        return self.of_severity("warning")

    def infos(self) -> list[Problem]:
        return self.of_severity("info")

    def failed(self, strict: bool) -> bool:
        return bool(self.errors() or (strict and self.warnings()))

    def summary(self, strict: bool) -> str:
        state = "FAILED" if self.failed(strict) else "ok"
        found = ", ".join(
            counted(len(problems), noun)
            for problems, noun in ((self.errors(), "errors"), (self.warnings(), "warnings"), (self.infos(), "info"))
        )
        checked = ", ".join(counted(v, k) for k, v in self.counts.items() if k not in {"errors", "warnings", "info"})
        return f"{self.company}: {state}{' (strict)' if strict else ''}: {found} (checked {checked})"

    def text(self, strict: bool) -> str:
        """One block per problem (severity, file:line, path, item, message, fix), then the summary."""
        lines = []
        for p in self.problems:
            item = f" [{p.item}]" if p.item else ""
            lines.append(f"{p.severity}: {p.location()} {p.path}{item}: {p.message}".replace("  ", " "))
            if p.hint:
                lines.append(f"    fix: {p.hint}")
        lines.append(self.summary(strict))
        return "\n".join(lines)

    def as_dict(self, strict: bool) -> dict[str, Any]:
        return {
            "company": self.company,
            "ok": not self.failed(strict),
            "strict": strict,
            "counts": self.counts,
            "problems": [p.as_dict() for p in self.problems],
        }


def make_report(company: str, problems: list[Problem], counts: dict[str, int] | None = None) -> CheckReport:
    """A report with problems in file and line order and their counts by severity."""
    ordered = sorted(problems, key=lambda p: (p.file, p.line or 0, p.path, SEVERITIES.index(p.severity), p.message))
    tally = {
        "errors": sum(p.severity == "error" for p in ordered),
        "warnings": sum(p.severity == "warning" for p in ordered),
        "info": sum(p.severity == "info" for p in ordered),
    }
    return CheckReport(company, ordered, {**tally, **(counts or {})})


def run_checks(project: Project, company: str, today: dt.date | None = None, *, coverage: bool = False) -> CheckReport:
    """Load and validate (unreadable inputs raise :class:`InputError`), then run every check.

    ``today`` (default: the system date) is what dates are judged against: no source after it, no
    catalyst still upcoming whose date passed before it. With ``coverage``, the company's constraints
    are also compared with the other companies' in the project (:func:`coverage_conflicts`)."""
    today = today or dt.date.today()
    loaded = load_company(project, company, today)
    report = check_loaded(company, loaded, today=today)
    if not coverage:
        return report
    conflicts = coverage_conflicts(project, company, loaded, today)
    counts = {k: v for k, v in report.counts.items() if k not in {"errors", "warnings", "info"}}
    return make_report(company, report.problems + conflicts, counts)


def _in_force(thesis: Thesis, today: dt.date) -> dict[str, tuple[int, str, str]]:
    """Each constraint's item (case and spacing aside) -> its index, id and the status in force ``today``."""
    published = {s.id: s.published.date for s in thesis.sources}
    found: dict[str, tuple[int, str, str]] = {}
    for index, constraint in enumerate(thesis.constraints):
        history = status_history(constraint, today, published)
        if history:
            found.setdefault(" ".join(constraint.item.casefold().split()), (index, constraint.id, history[-1].status))
    return found


def coverage_conflicts(project: Project, company: str, loaded: Loaded, today: dt.date) -> list[Problem]:
    """Constraints on the same item whose status in force today differs from another company's thesis in the
    project (a finding: one thesis is probably out of date, or the rule differs for one company and should say
    why). A company whose inputs cannot be read is left out; its own check reports why."""
    from thesis.errors import ThesisError

    mine = _in_force(loaded.thesis, today)
    problems: list[Problem] = []
    for other in project.companies():
        if other == company or not mine:
            continue
        try:
            theirs = load_company(project, other, today)
        except ThesisError:
            continue
        for item, (index, their_id, status) in _in_force(theirs.thesis, today).items():
            if item not in mine or mine[item][2] == status:
                continue
            my_index, my_id, my_status = mine[item]
            file, line = theirs.located.find(("constraints", index, "status"))
            problems.append(
                loaded.located.problem(
                    ("constraints", my_index, "status"),
                    f"status {my_status!r} here, but {status!r} for the same item in {other}'s thesis "
                    f"({file}:{line or '?'}, {their_id})",
                    "if one rule applies to both, record the newer status in the other thesis as a dated, cited "
                    "change; if it differs for this company, say why in the body",
                    severity="info",
                    item=my_id,
                )
            )
    return problems


def check_loaded(
    company: str, loaded: Loaded, verification: Verification | None = None, today: dt.date | None = None
) -> CheckReport:
    """Every check on inputs already loaded: the one list ``thesis check`` and ``thesis render --strict`` judge.

    ``verification`` is the quotes' verification when the caller has it (it must be made with
    severity "error"); ``today`` is the day catalysts fall due against (default: the system date).
    """
    verification = verification if verification is not None else verify(loaded, severity="error")
    problems = unused_sources(loaded) + list(verification.problems) + short_quotes(loaded)
    problems += wrong_numbers(loaded) + late_observations(loaded) + contradictions(loaded) + undated_scenarios(loaded)
    problems += overdue_catalysts(loaded, today or dt.date.today()) + placeholders(loaded)
    problems += stale_constraints(loaded, today or dt.date.today())
    problems += price_problems(loaded)
    thesis = loaded.thesis
    observations = sum(len(m.observations) for m in thesis.metrics)
    counts = {
        "sources": len(thesis.sources),
        "points": len(thesis.points),
        "metrics": len(thesis.metrics),
        "observations": observations,
        "constraints": len(thesis.constraints),
        "catalysts": len(thesis.catalysts),
        "kill_criteria": len(thesis.kill_criteria),
        "quotes": verification.count,
        "numbers": observations,
    }
    return make_report(company, problems, counts)


def stale_constraints(loaded: Loaded, today: dt.date) -> list[Problem]:
    """Constraints whose newest evidence is older than ``constraint_stale_days`` today (a finding: the
    status may have changed since, but only a newer source can say; the brief flags them too)."""
    thesis = loaded.thesis
    config, _ = merged_scoring(loaded.located, loaded.project_scoring, thesis.scoring)  # check_scoring reports
    published = {s.id: s.published.date for s in thesis.sources}
    problems = []
    for index, constraint in enumerate(thesis.constraints):
        history = status_history(constraint, today, published)
        if not history:
            continue
        age = evidence_age_days(history, published, today)
        if age <= config.constraint_stale_days:
            continue
        newest = today - dt.timedelta(days=age)
        problems.append(
            loaded.located.problem(
                ("constraints", index, "status"),
                f"stale: the newest evidence for status {history[-1].status!r} was published {newest.isoformat()}, "
                f"{age} days ago (constraint_stale_days is {config.constraint_stale_days})",
                "cite a newer source that confirms the status, or record what changed under changes:",
                severity="info",
                item=constraint.id,
            )
        )
    return problems


def unused_sources(loaded: Loaded) -> list[Problem]:
    """Sources nothing cites (a warning: harmless, but usually a forgotten citation)."""
    cited = {source_id for _, _, source_id, _ in citation_paths(loaded)}
    return [
        loaded.located.problem(
            ("sources", index, "id"),
            f"source {source.id!r} is not cited by any point, metric or constraint",
            "cite it as the evidence of a claim, or remove it from the sources",
            severity="warning",
            item=source.id,
        )
        for index, source in enumerate(loaded.thesis.sources)
        if source.id not in cited
    ]


def undated_scenarios(loaded: Loaded) -> list[Problem]:
    """Scenarios without a date count as set on the newest source's date: say so (a finding, not a failure)."""
    thesis = loaded.thesis
    set_on = thesis.scenarios_date()
    if thesis.scenarios is None or thesis.scenarios.date is not None or set_on is None:
        return []
    return [
        loaded.located.problem(
            ("scenarios",),
            f"the scenarios have no date, so they count as set on {set_on.isoformat()} (the newest source); "
            "briefs as of an earlier date leave them out",
            "add date: YYYY-MM-DD, the day the desk set these cases",
            severity="info",
        )
    ]


def price_problems(loaded: Loaded) -> list[Problem]:
    """prices.csv and benchmark.csv, where the company has them: readable, dated in order, positive."""
    from pathlib import PurePosixPath

    from thesis.errors import InputError
    from thesis.inputs.prices import read_company_prices

    company_file = loaded.located.files.get("company", "")
    display = str(PurePosixPath(company_file).parent) if company_file else str(loaded.folder)
    info = loaded.thesis.company
    try:
        read_company_prices(loaded.folder, display, info.currency, info.benchmark)
    except InputError as exc:
        return list(exc.problems)
    return []


def overdue_catalysts(loaded: Loaded, today: dt.date) -> list[Problem]:
    """Upcoming catalysts whose expected day or window ended before ``today`` (a warning: the record is stale)."""
    problems = []
    for index, catalyst in enumerate(loaded.thesis.catalysts):
        window = catalyst.window
        if catalyst.status != "upcoming" or window is None or window.end >= today:
            continue
        # the window in force: the newest version, where a slip would be added
        path: tuple[str | int, ...] = ("catalysts", index, "expected")
        if isinstance(catalyst.expected, list):
            path += (len(catalyst.expected) - 1,)
        problems.append(
            loaded.located.problem(
                path,
                f"catalyst {catalyst.id!r} was expected {catalyst.current_expected} (by {window.end.isoformat()}) "
                "and has no outcome",
                "record it: status: happened with outcome and resolved, or status: missed; "
                "or, if it slipped, list expected as dated versions, the new window last "
                "({written: YYYY-MM-DD, text: Q3 2026})",
                severity="warning",
                item=catalyst.id,
            )
        )
    return problems


def _observations(loaded: Loaded) -> list[tuple[int, Metric, int, Observation]]:
    return [
        (index, metric, n, obs)
        for index, metric in enumerate(loaded.thesis.metrics)
        for n, obs in enumerate(metric.observations)
    ]


def wrong_numbers(loaded: Loaded) -> list[Problem]:
    """Observations whose quote does not print their value."""
    problems = []
    for index, metric, n, obs in _observations(loaded):
        if appears(obs.value, metric.unit, obs.quote):
            continue
        problems.append(
            loaded.located.problem(
                ("metrics", index, "observations", n, "value"),
                f"value {format_value(obs.value)} ({metric.unit}) is not in its quote",
                number_hint(obs.value, metric.unit, obs.quote),
                item=metric.id,
            )
        )
    return problems


def number_hint(value: float, unit: str, quote: str) -> str:
    """How to fix a value its quote does not print: what the quote does print."""
    written = mentions(quote)
    if not written:
        return f"the quote prints no number: quote the sentence that prints {format_value(value)}"
    parsed = parse_unit(unit)
    for mention in written:
        why = mismatch(value, parsed, mention)
        if why == "currency":
            return (
                f"the quote writes {mention.text!r} in {mention.currency}, but the unit {unit!r} is {parsed.currency}: "
                f"quote the figure in {parsed.currency}, or correct the unit"
            )
        if why == "sign" and value < 0 and mention.rise_word is not None:
            return (
                f"the value is negative but the quote writes {mention.text!r} as a rise ({mention.rise_word!r} "
                "governs it): quote the words that say it fell, or correct the sign"
            )
        if why == "sign" and value < 0:
            signing = next((m for m in written if m.decline_word is not None), None)
            elsewhere = f" ({signing.decline_word!r} signs {signing.text!r})" if signing is not None else ""
            return (
                f"the value is negative but the quote writes {mention.text!r} with no minus, accounting parentheses "
                f"or word of decline or outflow that applies to it{elsewhere}: quote the words that say it fell, "
                "or correct the sign"
            )
        if why == "sign":
            return (
                f"the quote writes {mention.text!r} as a negative ({_written_negative(mention)}): "
                f"record it as {format_value(-value)}, or quote the passage that prints the rise"
            )
    for mention in written:
        if abs(mention.number) == abs(value) and mention.scale is not None and mention.scale != parsed.scale:
            return f"the quote writes {mention.text!r}, a different scale from the unit {unit!r}: fix the unit or value"
        if mention.number == abs(value) and mention.percent and not parsed.percent:
            return f"the quote writes {mention.text!r}, a percentage, but the unit is {unit!r}: fix the unit"
    numerals_first = sorted(written, key=lambda m: not m.text[:1].isdigit())
    listed = ", ".join(repr(m.text) for m in numerals_first[:6])
    return f"the quote writes {listed}: correct the value, or quote the passage that prints it"


def _written_negative(mention: Mention) -> str:
    """How a text writes a mention as a negative, for a message."""
    if mention.negative:
        return "with a minus"
    if mention.accounting:
        return "in accounting parentheses"
    return f"{mention.decline_word!r} signs it"


def late_observations(loaded: Loaded) -> list[Problem]:
    """Observations dated after their source was published."""
    problems = []
    for index, metric, n, obs in _observations(loaded):
        try:
            published = loaded.thesis.source(obs.source).published
        except KeyError:
            continue  # an unknown source is an input error, reported by the loader
        if obs.date is None or obs.date <= published.date:
            continue
        if published.estimated:
            hint = (
                f"correct the date, or, if {obs.source!r} is later than estimated, "
                "move its estimated publication date in the sources"
            )
        else:
            hint = "a source cannot report a figure dated after it: correct the date or the source"
        problems.append(
            loaded.located.problem(
                ("metrics", index, "observations", n, "date"),
                f"dated {obs.date.isoformat()}, after its source {obs.source!r} was published ({published.display()})",
                hint,
                severity="warning" if published.estimated else "error",
                item=metric.id,
            )
        )
    return problems


def contradictions(loaded: Loaded) -> list[Problem]:
    """Observations of one metric about the same thing that disagree (findings, not failures)."""
    problems = []
    for index, metric in enumerate(loaded.thesis.metrics):
        observations = metric.observations
        for group in disagreements(observations):
            for n1, n2 in combinations(group.indices, 2):
                first, second = observations[n1], observations[n2]
                if not differ([first.value, second.value]):
                    continue
                unit = metric.unit
                first_text = f"{format_value(first.value)} {unit} ({first.source}, observations[{n1}])"
                second_text = f"{format_value(second.value)} {unit} ({second.source}, observations[{n2}])"
                label = (
                    "no date and no recognisable period"
                    if group.undated
                    else f"period {first.period!r}"
                    if first.period
                    else f"date {first.label}"
                )
                problems.append(
                    loaded.located.problem(
                        ("metrics", index, "observations", n2, "value"),
                        f"observations disagree: {first_text} vs {second_text} for {label}",
                        "keep both if the sources disagree (the brief flags it); otherwise correct the value, "
                        "or give each observation the period it refers to",
                        severity="info",
                        item=metric.id,
                    )
                )
    return problems
