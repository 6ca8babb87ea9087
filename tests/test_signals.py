"""SIGTERM or Ctrl-C during ``thesis render --jobs 2``: workers stop, nothing new is written, one line.

The real command runs in a child process with two workers. A ``sitecustomize``
on the child's path (imported by every Python process, the workers too) makes
``os.replace`` pause when it would rename a brief into place, after dropping a
marker: so each worker is caught in the write stage with its temporaries on
disk, the worst moment. Then the parent is signalled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import write_project

ROOT = Path(__file__).resolve().parent.parent
GUARD_SECONDS = 120  # only a hang reaches this

PAUSE = """
import os, time
_real_replace = os.replace

def _replace(source, target, *args, **kwargs):
    folder = os.environ.get("THESIS_TEST_PAUSE")
    if folder and str(target).endswith(".html"):
        with open(os.path.join(folder, str(os.getpid())), "w") as marker:
            marker.write(str(target))
        time.sleep(600)
    return _real_replace(source, target, *args, **kwargs)

os.replace = _replace
"""


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs: a zombie (ended, not yet reaped by whoever adopted it) has stopped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def gone(pids: list[int], seconds: float = 10.0) -> bool:
    """Whether every process in ``pids`` has stopped within ``seconds`` (a killed process takes a moment)."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize(("number", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")])
def test_a_signal_stops_the_workers_and_writes_nothing(tmp_path: Path, number: int, code: int, name: str) -> None:
    project = tmp_path / "project"
    write_project(project)
    write_project(project, company="beta")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(PAUSE)
    markers = tmp_path / "markers"
    markers.mkdir()
    env = {**os.environ, "PYTHONPATH": f"{hooks}{os.pathsep}{ROOT}", "THESIS_TEST_PAUSE": str(markers)}
    child = subprocess.Popen(
        [sys.executable, "-m", "thesis", "render", "--all", "--jobs", "2", "--format", "html", "--as-of", "2025-09-30"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + GUARD_SECONDS
        while len(list(markers.iterdir())) < 2 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.1)
        workers = [int(marker.name) for marker in markers.iterdir()]
        assert len(workers) == 2, child.stderr.read() if child.poll() is not None else "no worker reached the write"
        temporaries = list((project / "build").rglob(".*.tmp"))
        assert temporaries, "each worker is paused with its temporaries on disk"
        child.send_signal(number)
        stdout, stderr = child.communicate(timeout=GUARD_SECONDS)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == code, stderr
    assert stderr.splitlines()[-1] == f"interrupted by {name}: stopped; nothing more was written"
    assert "Traceback" not in stderr
    assert gone(workers), "every worker is gone"
    assert list((project / "build").rglob(".*.tmp")) == []
    assert list((project / "build").rglob("*.html")) == []
    assert list((project / "build").rglob("*.json")) == []


def test_sigterm_during_a_single_renders_write_leaves_no_temporary_and_the_previous_brief(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_project(project)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(PAUSE)
    markers = tmp_path / "markers"
    markers.mkdir()
    args = [sys.executable, "-m", "thesis", "render", "acme", "--format", "html", "--as-of", "2025-09-30"]
    plain = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([*args, "--force"], cwd=project, env=plain, check=True, capture_output=True, timeout=GUARD_SECONDS)
    brief = project / "build" / "acme" / "2025-09-30" / "acme-2025-09-30.html"
    previous = brief.read_bytes()
    points = project / "inputs" / "acme" / "points.yaml"
    points.write_text(points.read_text().replace("Fast cloud growth", "Faster cloud growth"))
    env = {**plain, "PYTHONPATH": f"{hooks}{os.pathsep}{ROOT}", "THESIS_TEST_PAUSE": str(markers)}
    child = subprocess.Popen(args, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + GUARD_SECONDS
        while not list(markers.iterdir()) and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.1)
        assert list(brief.parent.glob(".*.tmp")), "paused with its temporaries on disk"
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=GUARD_SECONDS)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 143, stderr
    assert stderr.splitlines()[-1] == "interrupted by SIGTERM: stopped; nothing more was written"
    assert list(brief.parent.glob(".*.tmp")) == []
    assert brief.read_bytes() == previous
