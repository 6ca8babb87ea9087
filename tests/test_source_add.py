"""thesis source add: web pages, PDFs and text become archived sources with complete entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import socket
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.builders import write_project_file
from tests.documents import PAGE_TWO, WEB_PAGE, three_page_pdf
from thesis.cli import cli
from thesis.commands.source import add_source
from thesis.errors import UsageError
from thesis.inputs.documents import FORM_FEED, extract_text, page_at
from thesis.inputs.loader import load
from thesis.project import Project

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A new company made by thesis new; the network is cut off, so nothing can be fetched."""
    write_project_file(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["new", "acme", "--name", "Acme Holdings", "--ticker", "ACME:NYSE"])
    assert result.exit_code == 0, result.output

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("thesis source add must not use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return Project(tmp_path)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def entries(project: Project) -> list[dict[str, object]]:
    data = yaml.safe_load((project.inputs_dir / "acme" / "sources.yaml").read_text(encoding="utf-8"))
    return list(data["sources"])


def test_a_web_page_becomes_a_complete_entry_without_its_furniture(acme: Project, tmp_path: Path) -> None:
    page = write(tmp_path, "acme.html", WEB_PAGE)
    added = add_source(acme, "acme", page, reliability="B", today=TODAY)
    entry = entries(acme)[-1]
    assert entry["id"] == added.source_id == "daily-ledger-acme-triples-cloud-2025-03"
    assert entry["title"] == "Acme triples cloud revenue"
    assert entry["publisher"] == "Daily Ledger"
    assert entry["author"] == "Jane Roe"
    assert entry["published"] == dt.date(2025, 3, 14)  # from the markup: printed, not estimated
    assert entry["retrieved"] == TODAY
    assert entry["url"] == "https://ledger.example.com/2025/03/acme-cloud"
    assert entry["reliability"] == "B"
    folder = acme.inputs_dir / "acme"
    text = (folder / str(entry["file"])).read_text(encoding="utf-8")
    assert "revenue from its cloud unit tripled to $12 billion" in text
    for furniture in ("Markets", "Advertisement", "newsletter", "All rights reserved"):
        assert furniture not in text
    original = folder / str(entry["original"])
    assert original.parent == folder / "sources" / "originals"
    assert original.read_text(encoding="utf-8") == WEB_PAGE  # kept as received
    assert entry["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert entry["original_sha256"] == hashlib.sha256(WEB_PAGE.encode()).hexdigest()
    assert not any("published" in item or "reliability" in item for item in added.to_decide)
    load(folder, acme.root)  # the entry passes the checks the loader makes


def test_a_pdf_keeps_its_pages_and_its_estimated_date_is_marked(acme: Project, tmp_path: Path) -> None:
    pdf = write(tmp_path, "outlook.pdf", three_page_pdf())
    added = add_source(acme, "acme", pdf, today=TODAY)
    entry = entries(acme)[-1]
    assert entry["title"] == "Acme outlook 2025" and entry["author"] == "Broker Research"
    assert entry["published"] == {"estimate": dt.date(2025, 4, 2), "basis": entry["published"]["basis"]}  # type: ignore[index]
    assert "page 1" in entry["published"]["basis"]  # type: ignore[index]
    assert entry["reliability"] == "F"
    text = (acme.inputs_dir / "acme" / str(entry["file"])).read_text(encoding="utf-8")
    assert text.count(FORM_FEED) == 3
    assert page_at(text, text.index("On page two")) == 2
    assert page_at(text, text.index("Page three")) == 3
    decide = "\n".join(added.to_decide)
    assert "reliability" in decide and "published" in decide and "publisher" in decide
    loaded = load(acme.inputs_dir / "acme", acme.root)
    assert " ".join(PAGE_TWO.split()) in " ".join(loaded.source_texts[added.source_id].split())


def test_the_command_prints_what_it_filled_in_and_what_is_left(acme: Project, tmp_path: Path) -> None:
    pdf = write(tmp_path, "outlook.pdf", three_page_pdf())
    result = CliRunner().invoke(
        cli, ["source", "add", "acme", str(pdf), "--id", "outlook", "--url", "https://x.example/o"]
    )
    assert result.exit_code == 0, result.output
    assert "added source 'outlook' to inputs/acme/sources.yaml" in result.output
    assert "still to decide:" in result.output and "reliability: set to F" in result.output
    assert "url              https://x.example/o (given with --url)" in result.output
    check = CliRunner().invoke(cli, ["check", "acme"])
    assert check.exit_code == 0, check.output


def test_appending_keeps_the_analysts_comments_and_layout(acme: Project, tmp_path: Path) -> None:
    path = acme.inputs_dir / "acme" / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # only added to
    assert "# author: Author, where known" in after


def test_sources_followed_by_another_key_get_the_entry_inside_their_block(acme: Project, tmp_path: Path) -> None:
    folder = acme.inputs_dir / "acme"
    sources = (folder / "sources.yaml").read_text(encoding="utf-8")
    points = (folder / "points.yaml").read_text(encoding="utf-8").split("\n", 1)[1]  # without its modeline
    (folder / "points.yaml").unlink()
    (folder / "sources.yaml").write_text(sources + "\n# the points\n" + points, encoding="utf-8")
    add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)
    data = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["sources"]][-1].startswith("daily-ledger")
    assert len(data["points"]) == 2
    load(folder, acme.root)


def test_the_same_document_twice_is_refused_by_its_hash(acme: Project, tmp_path: Path) -> None:
    add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)
    before = (acme.inputs_dir / "acme" / "sources.yaml").read_bytes()
    with pytest.raises(UsageError, match="already source 'daily-ledger-acme-triples-cloud-2025-03'"):
        add_source(acme, "acme", write(tmp_path, "copy-of-a.htm", WEB_PAGE), today=TODAY)
    assert (acme.inputs_dir / "acme" / "sources.yaml").read_bytes() == before


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_page_pdf())))
    writer.encrypt("secret", algorithm="RC4-128")  # RC4 needs no extra package
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=400)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.pdf", WEB_PAGE, "the file's name says a PDF, but it is a web page"),
        ("note.html", "%PDF-1.7\n", "the file's name says a web page, but it is a PDF"),
        ("note.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "the file's name says text, but it is an image"),
        ("locked.pdf", "encrypted", "the PDF is encrypted and needs a password to open"),
        ("scan.pdf", "scanned", "no text layer (a scanned document?)"),
        ("empty.html", "<html><head><title>Wait</title></head><body></body></html>", "no main text found"),
        ("empty.md", "  \n\n", "the file has no text"),
        ("latin.txt", "caf\xe9".encode("latin-1"), "is not UTF-8 text"),
        ("slides.pptx", "x", "cannot add a .pptx file as a source"),
    ],
)
def test_a_bad_file_gets_one_message_and_changes_nothing(
    acme: Project, tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    makers = {"encrypted": _encrypted_pdf, "scanned": _scanned_pdf}
    data = makers[content]() if isinstance(content, str) and content in makers else content
    folder = acme.inputs_dir / "acme"
    before = sorted((p.relative_to(folder), p.read_bytes()) for p in folder.rglob("*") if p.is_file())
    result = CliRunner().invoke(cli, ["source", "add", "acme", str(write(tmp_path, name, data))])
    assert result.exit_code == 2
    assert message in result.output and result.output.count("error:") == 1
    assert "Traceback" not in result.output
    assert sorted((p.relative_to(folder), p.read_bytes()) for p in folder.rglob("*") if p.is_file()) == before


def test_a_file_over_the_size_limit_is_refused(acme: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("thesis.commands.source.MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(UsageError, match="over the limit of 100 bytes"):
        add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)


def test_a_sources_folder_linked_outside_the_company_is_refused(acme: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (acme.inputs_dir / "acme" / "sources" / "originals").symlink_to(outside)
    with pytest.raises(UsageError, match="leads outside the company folder"):
        add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)
    assert not list(outside.iterdir())


def test_a_bad_id_is_refused(acme: Project, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a valid id"):
        add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), source_id="../escape", today=TODAY)


def test_text_is_kept_as_it_is_and_a_missing_date_is_an_estimate_with_its_basis(acme: Project, tmp_path: Path) -> None:
    note = '# Channel checks: Acme\n\nDealers report that "AI servers": sold out until June.\n'
    added = add_source(acme, "acme", write(tmp_path, "checks.md", note), today=TODAY)
    entry = entries(acme)[-1]
    assert entry["title"] == "Channel checks: Acme" and "original" not in entry
    assert (acme.inputs_dir / "acme" / str(entry["file"])).read_text(encoding="utf-8") == note
    assert entry["published"] == {"estimate": TODAY, "basis": entry["published"]["basis"]}  # type: ignore[index]
    assert "no date in the document" in entry["published"]["basis"]  # type: ignore[index]
    assert any(item.startswith("published:") for item in added.to_decide)


def test_a_changed_archive_fails_the_check(acme: Project, tmp_path: Path) -> None:
    add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)
    entry = entries(acme)[-1]
    original = acme.inputs_dir / "acme" / str(entry["original"])
    original.write_text(WEB_PAGE.replace("$12 billion", "$14 billion"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2
    assert "has changed since it was archived" in result.output and "original_sha256" in result.output


def test_a_company_without_a_sources_file_gets_one(acme: Project, tmp_path: Path) -> None:
    (acme.inputs_dir / "acme" / "sources.yaml").unlink()
    add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)
    text = (acme.inputs_dir / "acme" / "sources.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert [entry["id"] for entry in entries(acme)] == ["daily-ledger-acme-triples-cloud-2025-03"]


def test_sources_in_flow_style_are_left_alone(acme: Project, tmp_path: Path) -> None:
    path = acme.inputs_dir / "acme" / "sources.yaml"
    path.write_text(
        "sources: [{id: a, title: A, published: 2025-01-01, retrieved: 2025-01-02,\n"
        "           file: sources/example.txt, reliability: C}]\n"
    )
    with pytest.raises(UsageError, match="sources is not written as a block list"):
        add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), today=TODAY)
    assert not (acme.inputs_dir / "acme" / "sources" / "originals").exists()


def test_a_publication_date_after_today_is_refused(acme: Project, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--published 2026-02-01 is after today"):
        add_source(acme, "acme", write(tmp_path, "a.html", WEB_PAGE), published=dt.date(2026, 2, 1), today=TODAY)


def test_a_date_only_in_the_page_text_is_an_estimate_that_says_so(acme: Project, tmp_path: Path) -> None:
    page = WEB_PAGE.replace('<meta property="article:published_time" content="2025-03-14T08:00:00Z">', "")
    page = page.replace("<footer>", "<p>The call took place on 3 March 2025 in Hangzhou.</p><footer>")
    page = page.replace("/2025/03/acme-cloud", "/acme-cloud")
    added = add_source(acme, "acme", write(tmp_path, "a.html", page), today=TODAY)
    published = entries(acme)[-1]["published"]
    assert isinstance(published, dict) and published["estimate"] == dt.date(2025, 3, 3)
    assert "the page's text" in published["basis"]
    assert any(item.startswith("published: 2025-03-03 is an estimate") for item in added.to_decide)


def test_a_page_without_any_date_gets_todays_date_as_a_marked_estimate(acme: Project, tmp_path: Path) -> None:
    page = WEB_PAGE.replace('<meta property="article:published_time" content="2025-03-14T08:00:00Z">', "")
    page = page.replace("/2025/03/acme-cloud", "/acme-cloud").replace("© 2025 ", "")
    add_source(acme, "acme", write(tmp_path, "a.html", page), today=TODAY)
    published = entries(acme)[-1]["published"]
    assert isinstance(published, dict) and published["estimate"] == TODAY
    assert published["basis"].startswith("no date in the document")


def test_a_date_at_the_top_of_a_text_is_an_estimate_with_its_basis(acme: Project, tmp_path: Path) -> None:
    note = "Channel checks, 12 November 2025\n\nDealers report that AI servers are sold out until June.\n"
    add_source(acme, "acme", write(tmp_path, "checks.txt", note), today=TODAY)
    published = entries(acme)[-1]["published"]
    assert published == {
        "estimate": dt.date(2025, 11, 12),
        "basis": "The first date printed at the top of the text ('12 November 2025')",
    }


def test_a_pdf_without_a_printed_date_is_dated_by_its_creation_date_as_an_estimate(
    acme: Project, tmp_path: Path
) -> None:
    import weasyprint

    html = (
        '<html><head><meta name="dcterms.created" content="2025-06-30T09:00:00Z"></head>'
        "<body><p>Quarterly channel checks on Acme's data centres.</p></body></html>"
    )
    pdf = write(tmp_path, "checks.pdf", weasyprint.HTML(string=html).write_pdf())
    added = add_source(acme, "acme", pdf, today=TODAY)
    entry = entries(acme)[-1]
    assert entry["published"] == {
        "estimate": dt.date(2025, 6, 30),
        "basis": "The PDF file's creation date (no date is printed on page 1)",
    }
    assert entry["title"] == "Quarterly channel checks on Acme's data centres."  # no title in its metadata
    assert any(item.startswith("title: taken from the first line of page 1") for item in added.to_decide)


def test_a_german_date_at_the_top_of_a_text_is_its_estimated_date() -> None:
    # A German company's own documents print "Augsburg, 19. März 2026", not "19 March 2026".
    found = extract_text("Geschäftsbericht 2025\nAugsburg, 19. März 2026\n\nUmsatz und Auftragseingang".encode()).date
    assert found is not None and found.date == dt.date(2026, 3, 19) and found.estimated
    assert "19. März 2026" in found.basis


def test_a_derived_id_is_at_most_40_characters_cut_between_words_and_stays_unique() -> None:
    from thesis.commands.source import derive_id
    from thesis.inputs.documents import Extracted, FoundDate

    wire = Extracted(
        kind="html",
        text="…",
        title="Berlin tightens licensing of machine-tool exports to China",
        publisher="Hanseatic Industry Wire",
        date=FoundDate(dt.date(2026, 10, 2), estimated=False, basis="the page's markup"),
    )
    first = derive_id(wire, None, None, TODAY, set())
    assert first == "hanseatic-berlin-tightens-2026-10"
    taken = {first}
    for _ in range(11):
        taken.add(derive_id(wire, None, None, TODAY, taken))
    assert len(taken) == 12 and "hanseatic-berlin-tightens-2026-10-12" in taken
    long_word = Extracted(kind="text", text="…", title="Donaudampfschifffahrtsgesellschaftskapitänsmütze" * 2)
    taken = set()
    for _ in range(3):
        taken.add(derive_id(long_word, None, None, TODAY, taken))
    assert all(len(i) <= 40 and not i.endswith("-") for i in taken) and len(taken) == 3
