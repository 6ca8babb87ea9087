"""Documents made by the tests themselves: a saved web page with furniture and a three-page PDF.

Nothing is downloaded. The PDF is written by WeasyPrint with known text on page 2
and a sentence that runs from page 2 onto page 3.
"""

from __future__ import annotations

import functools
from pathlib import Path

WEB_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Acme triples cloud revenue | Daily Ledger</title>
<link rel="canonical" href="https://ledger.example.com/2025/03/acme-cloud">
<meta property="og:site_name" content="Daily Ledger">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2025-03-14T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/markets">Markets</a> <a href="/tech">Technology</a></nav>
<div class="ad">Advertisement: Buy gold bullion now with free shipping!</div>
<article><h1>Acme triples cloud revenue</h1><p class="byline">By Jane Roe</p>
<p>Acme Cloud said on Friday that revenue from its cloud unit tripled to $12 billion in the fourth quarter,
as demand for "AI training" capacity surged.</p>
<p>The company expects capital spending of about $40 billion over the next three years: most of it on data
centres in Asia.</p>
<p>Analysts at several brokers raised their price targets after the results, citing the faster growth.</p>
</article>
<aside class="newsletter"><h3>Sign up for our newsletter!</h3><p>Enter your email for daily market alerts.</p></aside>
<footer>© 2025 Daily Ledger. All rights reserved. Privacy | Terms</footer>
</body></html>
"""

PAGE_TWO = (
    "On page two we estimate that Acme will spend 35 billion dollars on data centres in 2025, "
    "with operating margins recovering to 9% by the end of the year."
)
ACROSS_PAGES = "The outlook depends on chip supply"  # ends page 2 ...
ACROSS_PAGES_END = "from overseas vendors in 2026."  # ... and continues on page 3

PDF_HTML = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Acme outlook 2025</title>
<meta name="author" content="Broker Research">
<style>@page {{ size: A5; margin: 2cm }} section {{ break-after: page }} body {{ font-size: 11pt }}</style>
</head><body>
<section><h1>Acme outlook 2025</h1><p>Published 2 April 2025 by the research desk.</p></section>
<section><p>{PAGE_TWO}</p><p>{ACROSS_PAGES}</p></section>
<section><p>{ACROSS_PAGES_END}</p><p>Page three lists the risks.</p></section>
</body></html>
"""


@functools.cache
def three_page_pdf() -> bytes:
    """A three-page PDF with :data:`PAGE_TWO` on page 2 (WeasyPrint, about a second, made once per run)."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=PDF_HTML).write_pdf()
    return pdf


ELIDED = "Acme Cloud said on Friday ... tripled to $12 billion in the fourth quarter"
SPANNING = "chip supply from overseas vendors in 2026."


def company_from_documents(root: Path) -> str:
    """A company whose sources were added by ``thesis source add`` and cited from ``thesis quote``'s YAML.

    In ``root`` (the current directory), made a project: ``thesis new acme``, the web page and the PDF added as
    sources ``ledger`` and ``broker-outlook``, and points.yaml replaced by three points: one
    citing the passage ``thesis quote`` finds on page 2, one an elided quote of the web page, and
    one a quote that runs from page 2 onto page 3. Returns what ``thesis quote --format yaml`` printed.
    """
    from click.testing import CliRunner

    from tests.builders import write_project_file
    from thesis.cli import cli

    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    write_project_file(root)
    run("new", "acme", "--name", "Acme Holdings", "--ticker", "ACME:NYSE")
    (root / "acme.html").write_text(WEB_PAGE, encoding="utf-8")
    (root / "outlook.pdf").write_bytes(three_page_pdf())
    run("source", "add", "acme", "acme.html", "--id", "ledger", "--reliability", "B")
    run("source", "add", "acme", "outlook.pdf", "--id", "broker-outlook", "--published", "2025-04-02")
    pasted = run("quote", "acme", "Acme will spend 35 billion dollars on data centres", "--format", "yaml")
    citation = pasted.split("\n# ", 1)[0]  # the citation, without the observation after it
    evidence = "\n".join("      " + line for line in citation.splitlines() if not line.startswith("#"))
    points = f"""\
points:
  - id: data-centres
    stance: bull
    title: Broker expects heavy data-centre spending
    category: capital
    impact: 3
    body: The broker's estimate, on page 2 of its outlook.
    evidence:
{evidence}
  - id: cloud-tripled
    stance: bull
    title: Cloud revenue tripled
    category: cloud
    impact: 4
    body: An elided quote of the web page.
    evidence:
      - source: ledger
        quote: "{ELIDED}"
        credibility: 2
  - id: chip-supply
    stance: bear
    title: Chip supply from abroad
    category: chips
    impact: 2
    body: A quote that runs across a page break.
    evidence:
      - source: broker-outlook
        quote: "{SPANNING}"
"""
    (root / "inputs" / "acme" / "points.yaml").write_text(points, encoding="utf-8")
    return pasted
