"""A new analyst's commands, end to end, on a company unlike Alibaba.

Nordlicht Maschinenbau AG (tests/fixtures/nordlicht/) is a fictional German machine-tool maker
reporting in euros, with two listings, falls written as negative changes and sources archived
from a saved web page, a PDF and a Markdown press release. The project is made with
``thesis init`` and every command runs from a subfolder of it, as an analyst works. One HTML and
one PDF brief are rendered for the whole module.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from thesis.cli import cli

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "nordlicht"
AS_OF = "2026-12-01"


@dataclass(frozen=True)
class Desk:
    root: Path
    subfolder: Path


def run(desk: Desk, *args: str) -> Result:
    """``thesis ARGS`` from a subfolder of the project, as an analyst types it."""
    import os

    previous = Path.cwd()
    os.chdir(desk.subfolder)
    try:
        result = CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(previous)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    root = tmp_path_factory.mktemp("desk") / "research"
    result = CliRunner().invoke(cli, ["init", str(root), "--desk", "QA desk (fixture)"])
    assert result.exit_code == 0, result.output
    shutil.copytree(FIXTURE, root / "inputs" / "nordlicht")
    (root / "notes").mkdir()
    yield Desk(root, root / "notes")


@pytest.fixture(scope="module")
def brief(desk: Desk) -> Path:
    result = run(desk, "render", "nordlicht", "--as-of", AS_OF, "--strict")
    assert result.exit_code == 0, result.output
    return desk.root / "build" / "nordlicht" / AS_OF / f"nordlicht-{AS_OF}"


def brief_text(html: str) -> str:
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    for element in tree.xpath("//script|//style|//*[local-name()='svg']"):
        element.drop_tree()
    return " ".join(tree.text_content().split())


def test_check_strict_passes_from_a_subfolder(desk: Desk) -> None:
    result = run(desk, "check", "nordlicht", "--strict")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output and "66 quotes" in result.output


def test_the_brief_writes_euros_as_euros_and_falls_with_a_minus_sign(brief: Path) -> None:
    text = brief_text(brief.with_suffix(".html").read_text())
    assert "Free cash flow (EUR m)" in text and "Dividend per share (EUR)" in text
    assert "\u221242.6 2025 [1, p. 3]" in text  # the table's (42.6), negative, on page 3 of the PDF
    assert "\u22126.2 2025 [1, p. 2]" in text  # "Our revenue fell 6.2%" is a fall
    assert not re.search(r"USD|CNY|\$\d", text)  # nothing of Alibaba's currencies leaks in
    assert "not below \u221215%" in text  # a kill criterion's threshold in the metric's unit
    assert "NLM XETRA" in text and "NLM FWB" in text


def test_a_tariff_is_called_a_tariff_not_an_export_control(brief: Path) -> None:
    # Nordlicht has a German export licence and a US tariff: the brief names the mix and each one's kind.
    page = brief.with_suffix(".html").read_text()
    text = brief_text(page)
    assert "Trade restrictions" in text and "Export controls" not in text
    assert ">trade restriction</text>" in page and "export-control constraint" not in page  # the waterfall's key
    assert "2 trade restrictions" in text  # the cover's count of the evidence
    assert "Machinery imported into the United States from the EU tariff" in text
    snapshot = json.loads(brief.with_suffix(".json").read_text())
    assert {c["id"]: (c["kind"], c["affects"]) for c in snapshot["constraints"]} == {
        "five-axis-licence-china": ("export-control", ["supply"]),
        "us-machinery-tariff": ("tariff", ["sales"]),  # a tariff bites on what is sold there
    }
    # each deducts in its own score category
    assert {"export-controls", "tariffs"} <= set(snapshot["category_totals"])


def test_quotes_from_the_pdf_cite_their_page_and_web_pages_cite_none(brief: Path) -> None:
    snapshot = json.loads(brief.with_suffix(".json").read_text())
    pages = {
        (citation["source"], citation.get("page")) for point in snapshot["points"] for citation in point["citations"]
    }
    assert ("annual-report-2025", 2) in pages and ("annual-report-2025", 4) in pages
    assert all(page is None for source, page in pages if source != "annual-report-2025")
    assert snapshot["rating"] == "Neutral" and snapshot["company"]["name"] == "Nordlicht Maschinenbau AG"


def test_the_pdf_reads_in_euros_with_page_cited_quotes(brief: Path) -> None:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(brief.with_suffix(".pdf").read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Nordlicht Maschinenbau AG" in text and "QA desk (fixture)" in text
    assert "EUR m" in text and "[1, p. 3]" in text and "[1, p. 2]" in text
    assert "Traceback" not in text and "Example" not in text


def test_score_export_diff_calendar_and_alerts_run_from_a_subfolder(desk: Desk, brief: Path) -> None:
    score = run(desk, "score", "nordlicht", "--as-of", AS_OF, "--format", "json")
    assert score.exit_code == 0 and json.loads(score.output)["rating"] == "Neutral"
    text = run(desk, "score", "nordlicht", "--as-of", AS_OF).output
    assert "Scenarios (Share price, EUR; current 23.40):" in text and "probability-weighted 26.38 (+12.7%)" in text
    export = run(desk, "export", "nordlicht", "--as-of", AS_OF, "--format", "csv")
    assert export.exit_code == 0, export.output
    observations = brief.parent / f"nordlicht-{AS_OF}-csv" / "observations.csv"
    assert "free-cash-flow,Free cash flow,EUR m,true,-42.6,,2025,annual-report-2025,1,3,A1," in observations.read_text()
    points = (brief.parent / f"nordlicht-{AS_OF}-csv" / "points.csv").read_text()
    assert "out of the cost base from 2027, raised to EUR 65 million in July" in points  # no wrap of the YAML
    diff = run(desk, "diff", "nordlicht", "2026-04-30", AS_OF)
    assert diff.exit_code == 1 and "Constraint added: Five-axis machining centres shipped to China" in diff.output
    calendar = run(desk, "calendar", "nordlicht", "--as-of", AS_OF)
    assert calendar.exit_code == 0 and "(4 events)" in calendar.output
    alerts = run(desk, "alerts", "--all", "--as-of", AS_OF)
    assert alerts.exit_code == 0 and alerts.output.startswith("0 alerts")
    listing = run(desk, "list")
    assert re.search(r"nordlicht\s+2026-12-01\s+\u221210\.6\s+Neutral\s+current", listing.output), listing.output


def test_quote_offers_the_observation_check_accepts(desk: Desk) -> None:
    quoted = run(desk, "quote", "nordlicht", "free cash flow negative minus 18.3", "--format", "yaml")
    assert quoted.exit_code == 0, quoted.output
    assert "value: -18.3" in quoted.output and "unit EUR million" in quoted.output
    fell = run(desk, "quote", "nordlicht", "revenue in the first half fell 9.1%")
    assert "observation in 1: value -9.1, unit %" in fell.output


def test_site_counts_one_company_in_the_singular(desk: Desk, brief: Path, tmp_path: Path) -> None:
    result = run(desk, "site", "--as-of", AS_OF, "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert ": 1 company, 1 brief (0 rendered now, 0 failed)," in result.output
    # The brief's link to the PDF as received stays inside the site (a saved web page is not copied).
    site = tmp_path / "site"
    html = (site / "nordlicht" / AS_OF / f"nordlicht-{AS_OF}.html").read_text()
    assert 'class="original-link" href="../sources/originals/annual-report-2025.pdf"' in html
    assert (site / "nordlicht" / "sources" / "originals" / "annual-report-2025.pdf").is_file()
    assert not (site / "nordlicht" / "sources" / "originals" / "hiw-h1-2026.html").exists()  # its scripts


def test_a_quote_that_is_itself_a_quotation_is_not_quoted_twice(brief: Path) -> None:
    # „Wir sehen eine Bodenbildung …“ is cited with its marks; the brief's <q> adds its own, so it drops them.
    import lxml.html

    from thesis.brief.view import CitationView

    tree = lxml.html.document_fromstring(brief.with_suffix(".html").read_text())
    quoted = [" ".join(q.text_content().split()) for q in tree.xpath("//li[contains(@class, 'citation')]/q")]
    assert "Wir sehen eine Bodenbildung, aber noch keine Erholung" in quoted
    assert not [q for q in quoted if q[:1] in '"\u201c\u201e\u00ab']
    cited = CitationView(1, "s", '"AI training" and "AI inference"', True, "A1")
    assert cited.shown == cited.quote  # two quotations in one quote keep their marks


def test_the_cover_says_nothing_of_a_working_tree_in_a_project_not_kept_in_git(brief: Path) -> None:
    text = brief_text(brief.with_suffix(".html").read_text())
    assert "working tree" not in text and "Record" not in text


def test_a_company_on_the_defaults_weighs_its_own_categories_alike(brief: Path) -> None:
    """Alibaba's themes (cloud 1.2, geopolitics 1.1 …) are Alibaba's scoring block, not everyone's defaults."""
    text = brief_text(brief.with_suffix(".html").read_text())
    assert "Category weights1 for every category (none weighted differently)" in text  # th, then td
    assert "evidence quality × recency, every category weighing 1 (none is weighted apart)." in text
    assert not re.search(r"\b(cloud|geopolitics|partnerships)\b", text)
    snapshot = json.loads(brief.with_suffix(".json").read_text())
    assert snapshot["scoring"]["config"]["category_weights"] == {}


def test_amounts_in_euros_keep_their_cents(brief: Path) -> None:
    """EUR 1.20 and 23.40 as the sources print them, not 1.2 and 23.4; EUR m figures keep no zeros they lack."""
    text = brief_text(brief.with_suffix(".html").read_text())
    assert "Dividend per share (EUR) 1.20 2024" in text and "0.85 2025" in text
    assert "Share price (Frankfurt) (EUR) 23.40 2026-07-30" in text
    assert re.search(r"Current\s*23\.40\s*Probability-weighted", text)
    assert "\u221242.6 2025 [1, p. 3]" in text  # EUR m: as written


def test_chart_captions_count_in_words(brief: Path) -> None:
    text = brief_text(brief.with_suffix(".html").read_text())
    assert "Dividend per share. 2 observations from 1 source." in text and "(s)" not in text


def test_a_company_without_metrics_or_constraints_says_so_instead_of_empty_tables(tmp_path: Path) -> None:
    # One source, one point: the smallest brief (HTML only) has no empty table under a heading.
    import lxml.html

    assert CliRunner().invoke(cli, ["init", str(tmp_path / "research")]).exit_code == 0
    small = Desk(tmp_path / "research", tmp_path / "research")
    folder = small.root / "inputs" / "kleinwerk"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "note.txt").write_text(
        "Kleinwerk Feinmechanik: order book note (fictional fixture)\n\n"
        "Kleinwerk, a fictional maker of precision gears, said its order book grew 12% to EUR 48.5 million.\n"
    )
    (folder / "kleinwerk.yaml").write_text(
        "company: {name: Kleinwerk Feinmechanik GmbH & Co. KGaA, tickers: [{symbol: KFM, exchange: XETRA}],\n"
        "  sector: Precision gears, headquarters: 'Pforzheim, Germany', analyst: QA desk (fixture),\n"
        "  summary: A fictional company with one point.}\n"
        "sources: [{id: note, title: Order book note, published: 2026-11-02, retrieved: 2026-12-01,\n"
        "  file: sources/note.txt, reliability: C}]\n"
        "points: [{id: orders, stance: bull, title: Order book up 12%, category: orders, impact: 2,\n"
        "  body: The order book grew.,\n"
        "  evidence: [{source: note, quote: its order book grew 12% to EUR 48.5 million}]}]\n"
    )
    assert run(small, "check", "kleinwerk", "--strict").exit_code == 0
    assert run(small, "render", "kleinwerk", "--as-of", AS_OF, "--format", "html").exit_code == 0
    html = (small.root / "build" / "kleinwerk" / AS_OF / f"kleinwerk-{AS_OF}.html").read_text()
    tree = lxml.html.document_fromstring(html)
    for section in ("metrics", "constraints"):
        (found,) = tree.xpath(f"//section[@id='{section}']")
        assert not found.xpath(".//table") and "None as of this date." in found.text_content()


def test_diff_writes_figures_as_the_brief_does(desk: Desk) -> None:
    # "observation added: 1,251.6 9M 2026", "−18.3": not "1251.6" and "-18.3"; and never "1.23457e+06".
    from thesis.diff.output import change_text

    diff = run(desk, "diff", "nordlicht", "2026-04-30", AS_OF)
    assert "observation added: 1,251.6 9M 2026 [cmd-2026]" in diff.output
    assert "observation added: \u221218.3 1H 2026 [hiw-h1-2026]" in diff.output
    big = {"change": "observation-added", "value": 1234567.5, "period": "2025", "source": "a"}
    assert change_text(big) == "observation added: 1,234,567.5 2025 [a]"


def test_the_scenario_table_and_chart_give_the_same_figures(brief: Path) -> None:
    text = brief_text(brief.with_suffix(".html").read_text())
    assert "Probability-weighted share price 26.38 EUR against 23.40 today; reward to risk 3.02." in text
    assert re.search(r"Probability-weighted\s*26\.38\s*\+12\.7%", text), "the table gives the chart's 26.38"


def test_no_case_label_of_the_scenario_chart_is_crossed_by_the_current_or_expected_line(brief: Path) -> None:
    # "Base 27 (+15%)" sat across the dashed expected line at 26.38.
    from thesis.render.svg import text_width

    html = brief.with_suffix(".html").read_text()
    chart = html[html.index('id="chart-scenarios"') :]
    svg = chart[: chart.index("</svg>")]
    lines = [float(x) for x in re.findall(r'<path d="M([\d.]+) [\d.]+L\1 [\d.]+"[^>]*stroke="#1d2329"', svg)]
    assert len(lines) == 2  # the current value, solid, and the expected value, dashed
    labels = re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" font-size="7" fill="#1d2329">((?:Bull|Base|Bear) [^<]*)</text>', svg
    )
    assert [name.split()[0] for _, name in labels] == ["Bear", "Base", "Bull"]
    for left, text in labels:
        start, end = float(left), float(left) + text_width(text, 7)
        assert not any(start <= line <= end for line in lines), (text, lines)


def test_score_writes_large_scenario_values_in_full(tmp_path: Path) -> None:
    # A price of 30,456 (yen, say) read "current 3.046e+04" in thesis score.
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "research")]).exit_code == 0
    copy = Desk(tmp_path / "research", tmp_path / "research")
    shutil.copytree(FIXTURE, copy.root / "inputs" / "nordlicht")
    scenarios = copy.root / "inputs" / "nordlicht" / "scenarios.yaml"
    text = scenarios.read_text().replace("current: 23.40", "current: 30456").replace("value: 34", "value: 41000")
    scenarios.write_text(text.replace("value: 27", "value: 30456").replace("value: 17.5", "value: 20000"))
    score = run(copy, "score", "nordlicht", "--as-of", AS_OF).output
    assert "current 30,456.00)" in score and "41,000.00" in score and "e+0" not in score


def test_one_symbol_on_two_exchanges_is_named_once_in_the_running_head(brief: Path) -> None:
    # NLM on XETRA and on FWB: "Nordlicht Maschinenbau AG (NLM)", not "(NLM / NLM)".
    html = brief.with_suffix(".html").read_text()
    assert "Nordlicht Maschinenbau AG (NLM)</span>" in html and "NLM / NLM" not in html
    assert 'content="Nordlicht, NLM, Machine tools' in html


def test_an_empty_calendar_says_why(desk: Desk, tmp_path: Path) -> None:
    # As of a date before any catalyst is known, the .ics has no event: the command says so, not just "(0 events)".
    result = run(desk, "calendar", "nordlicht", "--as-of", "2026-04-30", "--out", str(tmp_path / "n.ics"))
    assert result.exit_code == 0 and "(0 events)" in result.output
    assert "the calendar is empty: no catalyst is known as of 2026-04-30" in result.output


def test_diff_shows_what_the_desk_added_after_the_spring(desk: Desk) -> None:
    # Between spring and December the desk announced catalysts, set kill criteria and scenarios, and wrote a
    # new summary: the diff lists each, in text and in JSON, not only the points and metrics.
    diff = run(desk, "diff", "nordlicht", "2026-04-30", AS_OF)
    assert diff.exit_code == 1, diff.output
    text = diff.output
    assert "+ catalyst fy2026-results: Results for 2026 (upcoming, expected 2027-03-18)" in text
    assert "+ catalyst licence-decisions: BAFA decisions on the remaining licence applications (upcoming" in text
    assert "+ kill-criterion net-debt-above-450: Net debt above EUR 450 million (not tripped)" in text
    assert "summary (version of 2026-03-19 \u2192 2026-11-18): **Fictional fixture company.** [-Nordlicht is" in text
    assert "Scenarios set (Share price, EUR; set 2026-07-30)" in text
    assert "expected value   26.38" in text and "+ base: probability 50%, value 27" in text
    data = json.loads(run(desk, "diff", "nordlicht", "2026-04-30", AS_OF, "--format", "json").output)
    added = {(e["kind"], e["id"]) for e in data["added"]}
    assert {("catalyst", "fy2026-results"), ("kill-criterion", "orders-fall-again")} <= added
    company = next(e for e in data["modified"] if e["kind"] == "company")
    assert company["changes"][0]["new_written"] == "2026-11-18"
    assert (data["scenarios"]["status"], data["scenarios"]["date"]["new"]) == ("added", "2026-07-30")
