"""A back-dated PDF brief carries its inputs as of its date: nothing written or published later.

The Alibaba brief as of 2025-06-30 is rendered once; its attachments hold the
snapshot, the project file, the inputs as known on the date and the one
source text then published. Unpacked into a folder they are a project that
``thesis`` loads and scores to the very snapshot the brief carries, and
``thesis verify`` re-checks the PDF from them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from tests.builders import tamper_attachment
from tests.test_diff_lookahead import LATER_ALIBABA_FACTS
from thesis.cli import cli
from thesis.commands.render import prepare, render
from thesis.outputs.snapshot import dumps, snapshot
from thesis.project import Project

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 30)
STEM = f"alibaba-{AS_OF.isoformat()}"
INPUTS = f"inputs/alibaba/thesis-as-of-{AS_OF.isoformat()}.yaml"
WALLSTREETCN = "inputs/alibaba/sources/002_4811a5a8d8232531.txt"  # published 7 May 2025, the only one by then


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real Alibaba brief as of 2025-06-30, rendered once for the module."""
    out = tmp_path_factory.mktemp("alibaba-as-of")
    render(Project(ROOT, out), "alibaba", AS_OF, formats="pdf")
    yield out / "alibaba" / AS_OF.isoformat() / f"{STEM}.pdf"


def later_facts(text: str) -> list[str]:
    return [fact for fact in LATER_ALIBABA_FACTS if fact.lower() in text.lower()]


def unpack(pdf: Path, folder: Path) -> dict[str, bytes]:
    """Every attachment of ``pdf`` written under ``folder`` by its name; returns them."""
    attachments = {}
    for name, (data,) in pypdf.PdfReader(pdf).attachments.items():
        attachments[name] = data
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return attachments


def test_the_attachments_are_the_inputs_as_of_the_date_and_say_nothing_later(pdf: Path, tmp_path: Path) -> None:
    attachments = unpack(pdf, tmp_path)
    assert set(attachments) == {f"{STEM}.json", "thesis.yaml", INPUTS, WALLSTREETCN}
    inputs = attachments[INPUTS].decode()
    assert later_facts(inputs) == []
    # The current inputs, which the PDF attached before, quote the later sources; so does their summary.
    current = "".join(path.read_text() for path in sorted((ROOT / "inputs" / "alibaba").glob("*.yaml")))
    assert later_facts(current) != [] and "will exceed" in current
    for later in ("research-note", "implicator-apsara", "outpost-stock-surge", "ai-play-blog", "2026-01-03"):
        assert later not in inputs, later
    assert f"as known on {AS_OF.isoformat()}" in inputs.splitlines()[0]
    assert later_facts(attachments["thesis.yaml"].decode()) == []
    for name, data in attachments.items():
        assert later_facts(data.decode()) == [], name


def test_the_pdf_metadata_says_nothing_later(pdf: Path) -> None:
    reader = pypdf.PdfReader(pdf)
    meta = reader.metadata
    assert meta is not None
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    fields = [meta.title, meta.subject, meta.author, str(meta["/Keywords"]), xmp]
    assert "as of 2025-06-30" in str(meta.subject)
    assert [fact for text in fields for fact in later_facts(str(text))] == []
    assert re.findall(r"20\d\d-\d\d-\d\d", xmp) == ["2025-06-30"] * len(re.findall(r"20\d\d-\d\d-\d\d", xmp))


def test_the_unpacked_attachments_load_and_score_to_the_brief_s_own_snapshot(pdf: Path, tmp_path: Path) -> None:
    """Loaded with the project's loader, from the attachments alone, the inputs give the same brief: every
    item, score and rating of the attached snapshot, all but the hash of the input files it was read from."""
    attachments = unpack(pdf, tmp_path)
    again = prepare(Project(tmp_path), "alibaba", AS_OF, strict=True).brief
    recorded = json.loads(attachments[f"{STEM}.json"])
    rebuilt = json.loads(dumps(snapshot(again)))
    assert rebuilt["inputs_sha256"] != recorded["inputs_sha256"]
    assert {**rebuilt, "inputs_sha256": ""} == {**recorded, "inputs_sha256": ""}
    original = prepare(Project(ROOT), "alibaba", AS_OF).brief
    assert again.scorecard == original.scorecard
    # the attached scoring block is the whole configuration the brief used; every other input is as it was
    assert again.thesis.model_copy(update={"scoring": None}) == original.thesis.model_copy(update={"scoring": None})
    result = CliRunner().invoke(cli, ["--project", str(tmp_path), "check", "alibaba", "--strict"])
    assert result.exit_code == 0, result.output


def test_thesis_verify_passes_on_the_back_dated_pdf_and_fails_on_a_tampered_one(pdf: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["verify", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "verified: 59 of 59 citations verified" in result.output and "1 of 1 source texts" in result.output
    tampered = tmp_path / "tampered.pdf"
    quote = b"Alibaba Cloud ranks first with a market share of 26.1%"
    tampered.write_bytes(tamper_attachment(pdf.read_bytes(), WALLSTREETCN, quote, quote.replace(b"26.1", b"29.1")))
    result = CliRunner().invoke(cli, ["verify", str(tampered)])
    assert result.exit_code == 1, result.output
    assert "source 'wallstreetcn-qwen3': the text's SHA-256 is" in result.output
    assert "points[china-cloud-leadership] citation 1" in result.output


def test_thesis_verify_makes_the_brief_again_from_its_attached_inputs(pdf: Path, tmp_path: Path) -> None:
    """The score is checked as well as the quotes: inputs changed inside the PDF no longer give its snapshot."""
    fresh = CliRunner().invoke(cli, ["verify", str(pdf)])
    assert fresh.output.splitlines()[-1] == (
        f"{INPUTS}: the attached inputs make the brief again: the same snapshot, score +39.4, Overweight"
    )
    raised = tmp_path / "raised.pdf"  # one point's impact raised: every quote still checks out
    raised.write_bytes(tamper_attachment(pdf.read_bytes(), INPUTS, b"  impact: 3\n", b"  impact: 5\n"))
    result = CliRunner().invoke(cli, ["verify", str(raised)])
    assert result.exit_code == 1, result.output
    failed = result.output.splitlines()[0]
    assert failed.startswith(f"failed: {INPUTS}: the attached inputs make a brief that differs from the snapshot in ")
    assert "points" in failed and "score" in failed and "the snapshot says +39.4, Overweight" in failed
    assert ": FAILED: 59 of 59 citations verified" in result.output
    inflated = tmp_path / "inflated.pdf"  # a better score written into the snapshot
    inflated.write_bytes(tamper_attachment(pdf.read_bytes(), f"{STEM}.json", b'"score": 39.', b'"score": 59.'))
    result = CliRunner().invoke(cli, ["verify", str(inflated)])
    assert result.exit_code == 1, result.output
    assert "differs from the snapshot in score" in result.output and "the snapshot says +59.4" in result.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(tamper_attachment(pdf.read_bytes(), INPUTS, b"\npoints:\n", b"\npointz:\n"))
    result = CliRunner().invoke(cli, ["verify", str(broken), "--format", "json"])
    assert result.exit_code == 1, result.output
    (failure,) = json.loads(result.output)["failures"]
    assert failure["kind"] == "inputs" and failure["subject"] == INPUTS
    assert (
        "do not make the brief again" in failure["message"] and "unknown top-level key 'pointz'" in failure["message"]
    )
