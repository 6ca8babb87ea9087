"""What is in the folder cannot hang, exhaust memory or crash a command; every fault is one message.

The render cache hashes only regular files and follows no link; every read is
bounded (thesis/inputs/reading.py). Faults the tests cannot make as root
(EACCES) are made by patching the ``os`` call. Commands that could hang run in
a subprocess with a generous timeout, as a guard (not a measurement).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import write_project
from tests.conftest import AS_OF
from thesis.cli import cli
from thesis.commands.cache import render_key, tree_digest
from thesis.inputs import reading
from thesis.inputs.reading import ReadFailure, read_bounded
from thesis.project import Project

GUARD_SECONDS = 120  # far above the second these take; only a hang reaches it


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Path]:
    write_project(tmp_path)
    write_project(tmp_path, company="beta")
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def thesis(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "thesis", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )


def test_links_to_endless_devices_fifos_and_big_folders_are_not_followed_by_the_cache(desk: Path) -> None:
    sources = desk / "inputs" / "acme" / "sources"
    (sources / "zero.txt").symlink_to("/dev/zero")
    (sources / "usr").symlink_to("/usr")
    os.mkfifo(sources / "pipe")
    project = Project(desk)
    first = render_key(project, "acme", AS_OF, formats="html", strict=False, weights=None)
    (sources / "zero.txt").unlink()
    (sources / "zero.txt").symlink_to("/dev/urandom")
    assert render_key(project, "acme", AS_OF, formats="html", strict=False, weights=None) != first  # the link counts
    done = thesis(desk, "render", "acme", "--as-of", AS_OF.isoformat(), "--format", "html")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_the_cache_hashes_a_regular_file_by_its_contents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    before = tree_digest(tmp_path)
    (tmp_path / "a.txt").write_text("two")
    assert tree_digest(tmp_path) != before


def test_one_company_with_a_fifo_for_a_source_fails_alone_in_render_all(desk: Path) -> None:
    alpha = desk / "inputs" / "acme" / "sources" / "alpha.txt"
    alpha.unlink()
    os.mkfifo(alpha)
    done = thesis(desk, "render", "--all", "--as-of", AS_OF.isoformat(), "--format", "html", "--jobs", "1")
    assert done.returncode == 1
    assert "source file 'sources/alpha.txt' is not a regular file" in done.stderr
    assert "2 briefs as of 2025-09-30: 1 rendered, 0 unchanged, 1 failed" in done.stdout
    assert (desk / "build" / "beta" / AS_OF.isoformat() / f"beta-{AS_OF.isoformat()}.html").is_file()
    assert "Traceback" not in done.stderr


def test_read_bounded_refuses_devices_and_fifos_and_stops_at_the_limit(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ReadFailure, match=r"it is a FIFO \(named pipe\), not a regular file"):
        read_bounded(tmp_path / "pipe", 10)  # opened without blocking, refused by its kind
    with pytest.raises(ReadFailure, match="it is a character device"):
        read_bounded(Path("/dev/zero"), 10)
    (tmp_path / "big").write_bytes(b"x" * 11)
    with pytest.raises(ReadFailure) as over:
        read_bounded(tmp_path / "big", 10)
    assert over.value.size == 11
    assert read_bounded(tmp_path / "big", 11) == b"x" * 11
    with pytest.raises(ReadFailure, match="the path contains a NUL character"):
        read_bounded(tmp_path / "a\0b", 10)


def denied(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make opening any file called ``name`` fail as an unreadable file does for a normal user."""
    real_open = os.open

    def fake_open(path: object, *args: object, **kwargs: object) -> int:
        if os.path.basename(os.fspath(path)) == name:  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))  # type: ignore[arg-type]
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading.os, "open", fake_open)


def test_an_unreadable_input_is_a_located_message_exit_2(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    denied(monkeypatch, "points.yaml")
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2
    assert result.stderr == (
        "inputs/acme/points.yaml: cannot read the file: permission denied\n"
        "    fix: check the permissions of the file and of its folders\n"
        "error: 1 problem in the inputs; nothing was written\n"
    )


def test_an_unreadable_source_is_a_located_message(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    denied(monkeypatch, "alpha.txt")
    result = CliRunner().invoke(cli, ["render", "acme", "--as-of", AS_OF.isoformat(), "--format", "html"])
    assert result.exit_code == 2
    assert "sources[0].file: cannot read source file 'sources/alpha.txt': permission denied" in result.stderr
    assert not (desk / "build" / "acme").exists()


def test_an_unreadable_company_folder_is_a_message(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thesis.inputs import loader

    def refuse(folder: Path) -> list[Path]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))

    monkeypatch.setattr(loader, "input_files", refuse)
    result = CliRunner().invoke(cli, ["check", "acme"])
    assert result.exit_code == 2
    assert result.stderr.startswith("inputs/acme: cannot read the folder: permission denied\n")


def test_list_exits_0_and_lists_every_company_whatever_one_holds(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thesis.commands import listing

    real = listing.run_checks

    def flaky(project: Project, company: str) -> object:
        if company == "acme":
            raise OSError(errno.EIO, os.strerror(errno.EIO), "inputs/acme/points.yaml")
        return real(project, company)

    monkeypatch.setattr(listing, "run_checks", flaky)
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    assert "unreadable: inputs/acme/points.yaml: an input/output error on the device" in result.stdout
    assert "beta" in result.stdout


def test_list_with_an_unreadable_input_still_exits_0(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    denied(monkeypatch, "points.yaml")
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("unreadable: inputs/") == 2


def test_new_on_a_read_only_folder_is_one_message(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def read_only(*args: object, **kwargs: object) -> str:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    result = CliRunner().invoke(cli, ["new", "gamma", "--name", "Gamma", "--ticker", "G:NYSE"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot write inputs/gamma/: the file system is read-only; nothing was written\n"
        "  fix: write somewhere else, or mount it read-write\n"
    )
    assert not (desk / "inputs" / "gamma").exists()


def test_an_os_error_no_function_worded_is_still_one_line(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thesis.commands import listing

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise OSError(errno.EIO, os.strerror(errno.EIO), "/somewhere")

    monkeypatch.setattr(listing, "list_companies", broken)
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 1
    assert result.stderr == "error: /somewhere: an input/output error on the device\n  fix: check the disk\n"
