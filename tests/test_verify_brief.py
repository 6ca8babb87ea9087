"""`thesis verify`: a PDF brief re-checks itself from its attachments; a snapshot from a folder of sources."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result

from tests.builders import tamper_attachment
from tests.conftest import Rendered
from thesis.cli import cli
from thesis.verify.recheck import claims, recheck

AS_OF = dt.date(2025, 9, 30)
STEM = f"acme-{AS_OF.isoformat()}"
ALPHA = "inputs/acme/sources/alpha.txt"


@pytest.fixture
def rendered(rendered_acme: Rendered) -> Path:
    """The small company's brief (PDF and snapshot), rendered once for the session; read, never changed."""
    return rendered_acme.root


def _verify(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["verify", *map(str, args)])


def test_a_fresh_pdf_verifies_from_its_attachments_alone(rendered: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"  # away from the project: the PDF needs nothing else
    shutil.copyfile(rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.pdf", pdf)
    result = _verify(pdf)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{pdf}: verified: 4 of 4 citations verified (quote found in its source, and each metric value in its "
        "quote); 2 of 2 source texts match the snapshot's SHA-256\n"
        f"inputs/acme/thesis-as-of-{AS_OF.isoformat()}.yaml: the attached inputs make the brief again: "
        "the same snapshot, score \u22127.0, Neutral\n"
    )
    attachments = pypdf.PdfReader(pdf).attachments
    assert attachments[ALPHA] == [(rendered / "inputs" / "acme" / "sources" / "alpha.txt").read_bytes()]


def test_a_tampered_source_text_fails_naming_the_source_and_the_citation(rendered: Path, tmp_path: Path) -> None:
    original = (rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.pdf").read_bytes()
    pdf = tmp_path / "tampered.pdf"
    pdf.write_bytes(tamper_attachment(original, ALPHA, b"grew revenue 40%", b"grew revenue 45%"))
    result = _verify(pdf)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("failed: source 'alpha': the text's SHA-256 is ")
    assert lines[1] == (
        "failed: points[growth] citation 1 ([1] alpha): quote not found in source 'alpha': "
        '"Acme Cloud grew revenue 40% in 2024"'
    )
    assert lines[2].startswith(f"{pdf}: FAILED: 3 of 4 citations verified")
    assert "1 of 2 source texts match" in lines[2]


def test_a_tampered_text_that_keeps_every_quote_still_fails_its_hash(rendered: Path, tmp_path: Path) -> None:
    original = (rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.pdf").read_bytes()
    pdf = tmp_path / "tampered.pdf"
    pdf.write_bytes(tamper_attachment(original, ALPHA, b"a serious risk", b"a serious risk, critics add"))
    result = _verify(pdf, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [(f["kind"], f["subject"]) for f in report["failures"]] == [("hash", "source 'alpha'")]
    assert report["counts"] == {"citations": 4, "failures": 1, "sources": 2}


def test_a_snapshot_verifies_against_a_folder_of_sources(rendered: Path, tmp_path: Path) -> None:
    snapshot = rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.json"
    sources = tmp_path / "sources"
    shutil.copytree(rendered / "inputs" / "acme" / "sources", sources)
    assert _verify(snapshot, "--sources", sources).exit_code == 0
    (sources / "beta.txt").unlink()
    missing = _verify(snapshot, "--sources", sources)
    assert missing.exit_code == 1
    assert "failed: source 'beta': its archived text is not there" in missing.output
    assert "failed: points[cash-burn] citation 1 ([2] beta): quote not checked: its source text is missing" in (
        missing.output
    )


def test_a_value_the_quote_does_not_print_fails_naming_the_observation(rendered: Path, tmp_path: Path) -> None:
    data = json.loads((rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.json").read_text("utf-8"))
    data["metrics"][0]["observations"][0]["value"] = 31
    snapshot = tmp_path / f"{STEM}.json"
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    result = _verify(snapshot, "--sources", rendered / "inputs" / "acme" / "sources")
    assert result.exit_code == 1
    assert (
        "failed: metrics[cloud-share].observations[0] ([1] alpha): value 31 (%) is not in its quote: "
        '"a 30% share of the domestic cloud market"'
    ) in result.output


def test_what_is_not_a_thesis_brief_is_exit_2(rendered: Path, tmp_path: Path) -> None:
    blank = pypdf.PdfWriter()
    blank.add_blank_page(width=100, height=100)
    plain = tmp_path / "plain.pdf"
    blank.write(plain)
    assert _verify(plain).exit_code == 2
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7 not really")
    assert _verify(garbage).exit_code == 2
    snapshot = rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.json"
    without = _verify(snapshot)
    assert without.exit_code == 2 and "add --sources DIR" in without.stderr
    assert _verify(tmp_path / "missing.pdf").exit_code == 2


def test_a_pdf_carrying_its_snapshot_but_no_source_texts_is_exit_2(rendered: Path, tmp_path: Path) -> None:
    snapshot = (rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.json").read_bytes()
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_attachment(f"{STEM}.json", snapshot)
    out = io.BytesIO()
    writer.write(out)
    old = tmp_path / "old.pdf"
    old.write_bytes(out.getvalue())
    result = _verify(old)
    assert result.exit_code == 2
    assert "carries no source texts" in result.stderr


def test_every_citation_of_the_snapshot_is_rechecked(rendered: Path) -> None:
    data = json.loads((rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.json").read_text("utf-8"))
    found = list(claims(data))
    shown = [c for point in data["points"] for c in point["citations"]]
    shown += [c for item in data["constraints"] for c in item["citations"]]
    shown += [o["citation"] for metric in data["metrics"] for o in metric["observations"]]
    assert sorted((c.source, c.quote) for c in found) == sorted((c["source"], c["quote"]) for c in shown)
    texts = {"alpha": None, "beta": None}
    assert {f.kind for f in recheck(data, texts).failures} == {"missing", "quote"}


def test_an_html_brief_is_told_to_use_the_pdf_or_the_snapshot(tmp_path: Path) -> None:
    # Not "not valid JSON ... pass two snapshots", which is thesis diff's advice.
    html = tmp_path / "acme-2025-09-30.html"
    html.write_text("<!DOCTYPE html>\n<html><body>brief</body></html>\n")
    for args in ((html,), (html, "--sources", tmp_path)):
        result = _verify(*args)
        assert result.exit_code == 2
        assert "is neither a PDF brief nor a JSON snapshot" in result.stderr
        assert "verify the PDF of the same brief, or its COMPANY-DATE.json with --sources DIR" in result.stderr


def test_a_brief_made_by_another_version_is_not_made_again(rendered: Path, tmp_path: Path) -> None:
    """Its quotes are checked all the same; its score may differ for reasons of the version alone."""
    from thesis import __version__

    original = (rendered / "build" / "acme" / AS_OF.isoformat() / f"{STEM}.pdf").read_bytes()
    pdf = tmp_path / "older.pdf"
    made_by = f'"generator": "thesis {__version__}"'.encode()
    pdf.write_bytes(tamper_attachment(original, f"{STEM}.json", made_by, b'"generator": "thesis 0.0.1"'))
    result = _verify(pdf)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"inputs/acme/thesis-as-of-{AS_OF.isoformat()}.yaml: not made again: the brief was made by thesis 0.0.1, "
        f"this is thesis {__version__}"
    )


def test_only_the_project_file_and_the_company_s_inputs_are_unpacked() -> None:
    from pathlib import PurePosixPath

    from thesis.commands.verify_brief import _inside

    company = PurePosixPath("inputs", "acme")
    assert _inside("inputs/acme/sources/alpha.txt", company)
    for name in ("inputs/acme/../../x", "/inputs/acme/x", "inputs/other/x.yaml", "inputs/acme", "inputs\\acme\\x"):
        assert not _inside(name, company), name
