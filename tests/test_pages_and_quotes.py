"""Page-aware citations, elided quotes and thesis quote, on documents the tests make themselves."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.builders import base_inputs, write_project, write_project_file
from tests.documents import ELIDED, PAGE_TWO, company_from_documents
from thesis.cli import cli
from thesis.commands.render import prepare
from thesis.inputs.loader import load
from thesis.outputs.snapshot import snapshot
from thesis.project import Project
from thesis.render.brief import render_html
from thesis.verify.numbers import appears
from thesis.verify.quotes import ELISION_GAP, SourceIndex, verify
from thesis.verify.search import observation, search

PAGED = (
    "Cover page of the note.\n\fAcme will spend 35 billion on data centres.\n"
    "The outlook depends on chip\n\fsupply from abroad.\n\f"
)


def test_a_quote_knows_its_pages_and_may_run_across_a_page_break() -> None:
    index = SourceIndex(PAGED)
    span = index.locate("spend 35 billion on data centres")
    assert span is not None and index.pages_of(span) == (2, 2)
    across = index.locate("depends on chip supply from abroad")
    assert across is not None and index.pages_of(across) == (2, 3)
    cover = index.locate("Cover page")
    assert cover is not None and index.pages_of(cover) == (1, 1)


def test_a_text_without_form_feeds_has_no_pages() -> None:
    index = SourceIndex(PAGED.replace("\f", ""))
    span = index.locate("spend 35 billion")
    assert span is not None and index.pages_of(span) is None


def test_the_page_count_matches_the_normalised_text_even_with_empty_pages() -> None:
    text = "\f\f  first  page \f\n\fthird\u00a0page \f"
    index = SourceIndex(text)
    span = index.locate("third page")
    assert span is not None and index.pages_of(span) == (5, 5)  # pages 1, 2 and 4 are empty
    assert index.normalized == "first page third page"


@pytest.mark.parametrize("ellipsis", ["...", "…", " ... ", "..."])
def test_an_elided_quote_verifies_when_its_parts_are_in_order_within_one_passage(ellipsis: str) -> None:
    index = SourceIndex("Alibaba has taken a big step, investing in AI infrastructure over three years.")
    quote = f"Alibaba has taken{ellipsis}AI infrastructure over three years"
    assert index.contains(quote)
    assert not index.contains("AI infrastructure ... Alibaba has taken")  # order counts
    assert not index.contains("Alibaba has taken ... AI infrastructure over four years")


def test_an_elision_is_bounded() -> None:
    filler = " ".join(["word"] * (ELISION_GAP // 5 + 10))
    index = SourceIndex(f"The start of it. {filler} The end of it.")
    assert not index.contains("The start of it ... The end of it")
    assert "not within" in str(index.elision_problem("The start of it ... The end of it"))
    assert SourceIndex("The start of it. A few words. The end of it.").contains("The start of it ... The end of it")


def test_an_elided_quote_keeps_to_word_boundaries() -> None:
    index = SourceIndex("Revenue grew 140% in the year, and margins rose.")
    assert not index.contains("grew 40% ... margins rose")
    assert index.contains("grew 140% ... margins rose")


def test_a_leading_or_trailing_ellipsis_only_marks_a_cut_sentence() -> None:
    index = SourceIndex("Margins rose to 9% in the year.")
    assert index.contains("... rose to 9% in the year")
    assert index.contains("Margins rose to 9%…")


def test_check_explains_an_elided_quote_that_is_not_found(tmp_path: Path) -> None:
    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "Acme Cloud grew revenue ... the slowest of any provider"
    write_project(tmp_path, inputs)
    result = verify(load(tmp_path / "inputs" / "acme", tmp_path))
    (problem,) = result.problems
    assert problem.message.startswith("elided quote not found in source 'alpha'")
    assert 'its part "the slowest of any provider" is not in the source' in problem.hint


def test_observation_reads_value_unit_and_period() -> None:
    found = observation("35 billion", PAGE_TWO)
    assert found is not None and (found.value, found.unit, found.period) == (35.0, "USD bn", "2025")
    share = observation("34%", "In Q3 2025, cloud revenue grew 34% year-over-year.")
    assert share is not None and (share.value, share.unit, share.period) == (34.0, "%", "Q3 2025")
    assert observation("three years", "over three years") is None


@pytest.mark.parametrize(
    ("words", "passage", "value", "unit"),
    [
        ("EUR 42.6 million", "Free cash flow was EUR 42.6 million.", 42.6, "EUR million"),
        ("0.85", "We propose a dividend of EUR 0.85 per share.", 0.85, "EUR"),
        ("€1.1 billion", "valuing the company at about €1.1 billion.", 1.1, "EUR bn"),
        ("6.2%", "Our revenue fell 6.2% to EUR 1,842.5 million.", -6.2, "%"),
        ("21.8 billion", "negative free cash flow, with a RMB 21.8 billion outflow in Q3 2025", -21.8, "CNY bn"),
        ("11.4%", "Order intake 1,617.3 1,825.0 -11.4%", -11.4, "%"),
    ],
)
def test_observation_keeps_the_currency_and_sign_check_wants(words: str, passage: str, value: float, unit: str) -> None:
    # The offered observation is what thesis check accepts: a fall is negative, and a figure in euros is in EUR.
    found = observation(words, passage)
    assert found is not None and (found.value, found.unit) == (value, unit)
    assert appears(found.value, found.unit, passage)


def test_a_passage_is_printed_as_the_source_prints_it() -> None:
    # Its own quotation marks and dashes, not their ASCII folds: pasted as a quote, the brief shows „…“.
    text = "Der Chef sagte: \u201eWir sehen eine Bodenbildung \u2013 aber keine Erholung\u201c, so Weißhaupt.\n"
    (found,) = search({"wire": SourceIndex(text)}, "Wir sehen eine Bodenbildung")
    assert found.passage == text.strip() and found.exact


PDF_PAGE = (
    "EBIT fell 23.1% to EUR 134.5 million, mainly because of lower capacity utilisation in\n"
    "Chemnitz and price pressure in China. The EBIT margin was 7.3% after 8.9%.\n"
    "Cash flow and financial position\n"
    "Free cash flow was negative at EUR 42.6 million, after a positive EUR 63.9 million, as\n"
    "inventories of finished machines rose when customers postponed deliveries.\n"
    "Key figures\n"
    "Net income 88.2 121.7 -27.5%\n"
    "Free cash flow (42.6) 63.9 n.m.\n"
    "Net debt (31 December) 310.4 228.9 +35.6%\n"
)


@pytest.mark.parametrize(
    ("words", "passage"),
    [
        (
            "free cash flow was negative",
            "Free cash flow was negative at EUR 42.6 million, after a positive EUR 63.9 million, as inventories "
            "of finished machines rose when customers postponed deliveries.",
        ),
        ("Net income 88.2 121.7", "Net income 88.2 121.7 -27.5%"),
        ("lower capacity utilisation in Chemnitz", None),  # a sentence wrapped before a name stays whole
    ],
)
def test_a_heading_or_table_row_is_not_joined_to_the_passage(words: str, passage: str | None) -> None:
    (found, *_) = search({"report": SourceIndex(PDF_PAGE)}, words)
    expected = passage or (
        "EBIT fell 23.1% to EUR 134.5 million, mainly because of lower capacity utilisation in Chemnitz and "
        "price pressure in China."
    )
    assert found.passage == expected


def test_an_amount_in_parentheses_is_offered_as_a_negative_value() -> None:
    found = observation("Free cash flow (42.6)", "Free cash flow (42.6) 63.9 n.m.")
    assert found is not None and found.value == -42.6
    aside = observation("29%", "Acme Cloud lags behind AWS (29%).")
    assert aside is not None and aside.value == 29


def test_observation_takes_no_period_that_belongs_to_another_figure() -> None:
    passage = "We propose a dividend of EUR 0.85 per share, after EUR 1.20 for 2024, a payout of 47% of net income."
    this_year = observation("0.85", passage)
    assert this_year is not None and this_year.period is None  # 2024 is the year of the 1.20
    last_year = observation("1.20", passage)
    assert last_year is not None and (last_year.value, last_year.period) == (1.2, "2024")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    root = tmp_path_factory.mktemp("documents")
    write_project_file(root)
    previous = Path.cwd()
    import os

    os.chdir(root)
    try:
        pasted = company_from_documents(root)
    finally:
        os.chdir(previous)
    return Project(root), pasted


def test_thesis_quote_finds_the_passage_on_page_2_and_its_yaml_reads_back(documents: tuple[Project, str]) -> None:
    _, pasted = documents
    assert pasted.startswith("# broker-outlook, page 2")
    citation = yaml.safe_load(pasted.split("\n# ", 1)[0])
    assert citation == [{"source": "broker-outlook", "quote": " ".join(PAGE_TWO.split())}]
    observations = yaml.safe_load(pasted.split("\n# ", 1)[1].split("\n", 1)[1])
    assert observations[0]["value"] == 35 and observations[0]["period"] == "2025"
    assert "unit USD bn" in pasted


def _in(project: Project, *args: str) -> str:
    import os

    previous = Path.cwd()
    os.chdir(project.root)
    try:
        result = CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return result.output


def test_thesis_quote_json_lists_source_line_page_similarity_and_passage(documents: tuple[Project, str]) -> None:
    project, _ = documents
    found = json.loads(_in(project, "quote", "acme", "margins recovering", "--format", "json"))
    assert found[0] == {
        "source": "broker-outlook",
        "line": 3,
        "page": 2,
        "similarity": 1.0,
        "passage": " ".join(PAGE_TWO.split()),
    }
    web = json.loads(_in(project, "quote", "acme", "brokers raised price targets", "--format", "json"))
    assert web[0]["source"] == "ledger" and web[0]["page"] is None and web[0]["similarity"] < 1


def test_thesis_quote_is_approximate_and_keeps_word_order(documents: tuple[Project, str]) -> None:
    project, _ = documents
    text = _in(project, "quote", "acme", "capital spending of roughly $40 billion", "--source", "ledger")
    assert text.startswith("1. ledger (line ")
    assert "The company expects capital spending of about $40 billion" in text
    assert "observation in 1: value 40, unit USD bn" in text


def test_a_yaml_citation_with_quotes_and_colons_reads_back(documents: tuple[Project, str]) -> None:
    project, _ = documents
    pasted = _in(project, "quote", "acme", "AI training capacity surged", "--format", "yaml")
    (citation,) = yaml.safe_load(pasted)
    assert '"AI training"' in citation["quote"]
    assert SourceIndex((project.inputs_dir / "acme" / "sources" / "ledger.txt").read_text()).contains(citation["quote"])
    pasted = _in(project, "quote", "acme", "next three years: most of it", "--format", "yaml")
    assert ": most of it" in yaml.safe_load(pasted)[0]["quote"]


def test_the_brief_cites_pages_links_originals_and_keeps_the_ellipsis(documents: tuple[Project, str]) -> None:
    project, _ = documents
    prepared = prepare(project, "acme", dt.date.today())
    # Every quote and number verifies; what is left are warnings of the scaffold's example text.
    assert not [p for p in prepared.problems if p.severity == "error"], prepared.problems
    html = render_html(project, prepared.brief)
    cites = Cites()
    cites.feed(html)
    number = next(entry.number for entry in prepared.brief.bibliography if entry.source.id == "broker-outlook")
    assert f"[{number}, p. 2]" in cites.texts
    assert f"[{number}, pp. 2–3]" in cites.texts
    assert "#source-broker-outlook" in cites.hrefs
    assert "../../../inputs/acme/sources/originals/broker-outlook.pdf" in cites.hrefs
    assert ELIDED in html.replace("&#34;", '"')
    data = snapshot(prepared.brief, stress_tests=False)
    by_id = {point["id"]: point for point in data["points"]}
    assert by_id["data-centres"]["citations"][0]["page"] == 2
    assert (by_id["chip-supply"]["citations"][0]["page"], by_id["chip-supply"]["citations"][0]["page_end"]) == (2, 3)
    assert by_id["cloud-tripled"]["citations"][0]["page"] is None


class Cites(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.hrefs: list[str] = []
        self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
            self._in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False

    def handle_data(self, data: str) -> None:
        if self._in_link:
            self.texts.append(data.strip())


def test_the_pdf_brief_cites_the_page(documents: tuple[Project, str]) -> None:
    import io

    import pypdf

    from thesis.commands.render import render

    project, _ = documents
    result = render(project, "acme", dt.date.today(), formats="pdf")
    pdf = next(path for path in result.paths if path.suffix == ".pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert ", p. 2]" in text and "pp. 2–3]" in text
    assert "sources/originals/broker-outlook.pdf" in text  # the original's path, not a dead link


@given(
    st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=6),
    st.data(),
)
def test_a_located_quote_is_on_the_page_its_words_are_on(sizes: list[int], data: st.DataObject) -> None:
    """Pages of any length (empty ones too), any white space around the form feeds."""
    space = st.sampled_from([" ", "\n", "  ", "\n\n", "\t"])
    pages = [[f"w{page}x{n}" for n in range(size)] for page, size in enumerate(sizes)]
    text = "".join(data.draw(space).join(words) + data.draw(space) + "\f" for words in pages)
    index = SourceIndex(text)
    assert index.normalized == " ".join(word for words in pages for word in words)
    filled = [page for page, words in enumerate(pages) if words]
    assume(filled)
    first = data.draw(st.sampled_from(filled))
    last = data.draw(st.sampled_from([page for page in filled if page >= first]))
    start = data.draw(st.integers(0, len(pages[first]) - 1))
    end = data.draw(
        st.integers(0, len(pages[last]) - 1 if last > first else len(pages[first]) - 1).filter(
            lambda n: last > first or n >= start
        )
    )
    words = [w for page in range(first, last + 1) for w in pages[page]]
    quote = " ".join(words[start : words.index(pages[last][end]) + 1])
    span = index.locate(quote)
    assert span is not None and index.pages_of(span) == (first + 1, last + 1)


def test_each_part_of_an_elided_quote_must_say_something(tmp_path: Path) -> None:
    from thesis.verify.quotes import short_quotes

    inputs = base_inputs()
    inputs["points"]["points"][0]["evidence"][0]["quote"] = "Acme Cloud grew ... fastest"
    write_project(tmp_path, inputs)
    (problem,) = short_quotes(load(tmp_path / "inputs" / "acme", tmp_path))
    assert problem.message.startswith("the part 'fastest' of an elided quote is only 7 characters long")
    assert problem.severity == "warning"


def test_the_text_observation_keeps_every_digit() -> None:
    # Not Python's :g, which wrote 31,742.55 as 31742.6 and 1,234,567.5 as 1.23457e+06.
    from thesis.commands.quote import Quoted, as_text
    from thesis.verify.search import Found

    passage = "Revenue was EUR 1,234,567.5 thousand."
    found = Found("report", passage, 1.0, 1, None, True)
    text = as_text(Quoted("1,234,567.5", [found], observation("1,234,567.5", passage)))
    assert "observation in 1: value 1,234,567.5, unit EUR thousand" in text


def test_a_long_sentence_is_quoted_whole() -> None:
    # 70 words before the words searched for: a 40-word widening cut it ("… customers resisted price")
    opening = " ".join(f"clause{n}" for n in range(70))
    sentence = f"Sales held up, {opening} because customers resisted price increases."
    text = f"US tariffs weigh.\n{sentence} The company assembles machines in Charlotte.\n"
    (found, *_) = search({"wire": SourceIndex(text)}, "customers resisted price")
    assert found.passage == sentence and found.exact


def test_a_sentence_too_long_to_quote_whole_is_cut_with_an_ellipsis_that_verifies() -> None:
    words = [f"w{n}" for n in range(400)]
    text = " ".join([*words[:200], "customers resisted price increases", *words[200:]]) + "."
    index = SourceIndex(text)
    (found, *_) = search({"wire": index}, "customers resisted price increases")
    assert found.passage.startswith("… ") and found.passage.endswith(" …")
    assert "customers resisted price increases" in found.passage and found.exact
    assert len(found.passage.split()) < 250
    assert index.contains(found.passage)  # pasted as a quote, it verifies
