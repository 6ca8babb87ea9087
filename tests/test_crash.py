"""A render that fails, or is killed half-way, leaves the previous brief whole and no stray files."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import Rendered
from thesis.cli import cli
from thesis.errors import RenderError
from thesis.outputs.files import remove_stale_temporaries, stale_temporaries, write_all_atomic

ARGS = ["render", "acme", "--as-of", "2025-09-30"]
OUTPUT = Path("build/acme/2025-09-30")
NAMES = ("acme-2025-09-30.html", "acme-2025-09-30.pdf", "acme-2025-09-30.json")

# Runs the real command in a child process, after arranging for it to stop at one stage and say so:
# "pdf" pauses inside WeasyPrint once the layout is done and before the PDF is written;
# "write" pauses when every temporary file is on disk, before the first one is renamed into place.
CHILD = """
import os, sys, time
from pathlib import Path
stage, marker = sys.argv[1], Path(sys.argv[2])

def pause():
    marker.write_text(str(os.getpid()))
    time.sleep(600)

if stage == "pdf":
    import weasyprint
    real_render = weasyprint.HTML.render
    def render(self, *args, **kwargs):
        document = real_render(self, *args, **kwargs)
        pause()
        return document
    weasyprint.HTML.render = render
elif stage == "write":
    os.replace = lambda source, target: pause()

from thesis.cli import main
sys.argv = ["thesis", "render", "acme", "--as-of", "2025-09-30"]
main()
"""


@pytest.fixture
def rendered(tmp_path: Path, rendered_acme: Rendered) -> Iterator[Path]:
    """A project with a complete earlier render in build/ (a copy of the session's); the cwd is the project."""
    root = rendered_acme.copy_to(tmp_path / "project")
    old = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(old)


def outputs(root: Path) -> dict[str, bytes]:
    return {name: (root / OUTPUT / name).read_bytes() for name in NAMES}


def temporaries(root: Path) -> list[str]:
    return sorted(p.name for p in (root / OUTPUT).glob(".*.tmp"))


def edit_a_title(root: Path) -> None:
    """Change the inputs so that the next render would write different bytes."""
    points = root / "inputs/acme/points.yaml"
    points.write_text(points.read_text().replace("Fast cloud growth", "Very fast cloud growth"))


def kill_at(stage: str, root: Path, tmp_path: Path) -> None:
    marker = tmp_path / f"reached-{stage}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, stage, str(marker)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if child.poll() is not None:
                raise AssertionError(f"the render ended before the {stage} stage: {child.stderr.read()!r}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                raise AssertionError(f"the render never reached the {stage} stage")
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        assert child.stderr is not None
        child.stderr.close()


@pytest.mark.parametrize("stage", ["pdf", "write"])
def test_a_render_killed_half_way_leaves_the_previous_brief_whole(stage: str, rendered: Path, tmp_path: Path) -> None:
    before = outputs(rendered)
    edit_a_title(rendered)
    kill_at(stage, rendered, tmp_path)
    assert outputs(rendered) == before, "the previous html, pdf and json are intact byte for byte"
    if stage == "write":
        # Killed with every temporary on disk: they are the only trace, and no output was touched.
        assert len(temporaries(rendered)) == 3
    # The next render replaces all three and leaves no stray temporary behind.
    result = CliRunner().invoke(cli, ARGS)
    assert result.exit_code == 0, result.output
    assert temporaries(rendered) == []
    after = outputs(rendered)
    assert all(after[name] != before[name] for name in NAMES)
    assert b"Very fast cloud growth" in after["acme-2025-09-30.html"]


def complete(name: str, data: bytes) -> bool:
    """Whether ``data`` is a whole output of the edited inputs (not the old one, not cut short)."""
    if name.endswith(".html"):
        return data.rstrip().endswith(b"</html>") and b"Very fast cloud growth" in data
    if name.endswith(".pdf"):
        return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return json.loads(data) is not None and b"Very fast cloud growth" in data


def test_a_render_killed_at_any_moment_leaves_each_output_old_or_new_never_partial(
    rendered: Path, tmp_path: Path
) -> None:
    """No hooks: kill the real command as soon as its first temporary file appears (or when it ends)."""
    before = outputs(rendered)
    edit_a_title(rendered)
    child = subprocess.Popen([sys.executable, "-m", "thesis", *ARGS], cwd=rendered, stdout=subprocess.DEVNULL)
    folder = rendered / OUTPUT
    while child.poll() is None and not any(folder.glob(".*.tmp")):
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    for name, data in outputs(rendered).items():
        assert data == before[name] or complete(name, data), f"{name} is neither the old brief nor a whole new one"
    assert CliRunner().invoke(cli, ARGS).exit_code == 0
    assert temporaries(rendered) == []
    assert all(complete(name, data) for name, data in outputs(rendered).items())


def test_a_render_that_fails_in_the_pdf_stage_changes_nothing(rendered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import thesis.render.brief

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RenderError("the PDF engine failed")

    before = outputs(rendered)
    edit_a_title(rendered)
    monkeypatch.setattr(thesis.render.brief, "render_pdf_bytes", broken)
    result = CliRunner().invoke(cli, ARGS)
    assert result.exit_code == 1
    assert "the PDF engine failed" in result.stderr and "Traceback" not in result.output
    assert outputs(rendered) == before
    assert temporaries(rendered) == []


def test_a_render_that_fails_while_writing_changes_nothing(rendered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up after two of the three temporaries are written: no output changes, nothing is left."""
    before = outputs(rendered)
    edit_a_title(rendered)
    real_fsync = os.fsync
    calls = []

    def disk_full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full)
    result = CliRunner().invoke(cli, ARGS)
    assert result.exit_code != 0
    assert outputs(rendered) == before
    assert temporaries(rendered) == []


def test_bad_input_after_a_good_render_keeps_the_brief(rendered: Path) -> None:
    before = outputs(rendered)
    (rendered / "inputs/acme/points.yaml").write_text("points:\n- id: [\n")
    result = CliRunner().invoke(cli, ARGS)
    assert result.exit_code == 2
    assert outputs(rendered) == before


def test_temporaries_of_a_running_render_are_kept_and_of_a_dead_one_removed(tmp_path: Path) -> None:
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        running = tmp_path / f".brief.html.{alive.pid}.abc123.tmp"
        left = tmp_path / f".brief.pdf.{dead.pid}.def456.tmp"
        old_style = tmp_path / ".brief.json.xyz.tmp"
        for path in (running, left, old_style):
            path.write_bytes(b"partial")
        assert stale_temporaries(tmp_path) == sorted([left, old_style])
        remove_stale_temporaries(tmp_path)
        assert running.exists() and not left.exists() and not old_style.exists()
        # Over an hour old, even a live process id (it may have been reused) does not protect it.
        os.utime(running, (time.time() - 7200, time.time() - 7200))
        remove_stale_temporaries(tmp_path)
        assert not running.exists()
    finally:
        alive.kill()
        alive.wait()


def test_outputs_get_ordinary_permissions(tmp_path: Path) -> None:
    old_mask = os.umask(0o022)
    try:
        write_all_atomic({tmp_path / "a.html": b"<p>a</p>", tmp_path / "sub" / "b.json": b"{}"})
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((tmp_path / "a.html").stat().st_mode) == 0o644
    assert (tmp_path / "sub" / "b.json").read_bytes() == b"{}"
    assert list(tmp_path.rglob("*.tmp")) == []
