"""Nothing at an output path is destroyed: only a regular file is replaced, atomically.

Every ``--out`` (schema, export, diff, render) writes through
:func:`thesis.outputs.files.write_all_atomic`; these tests drive it through the
command line and directly. Operating-system faults (a full disk, a read-only
file system, no permission) are one message, exit 1, nothing replaced, no
temporary left: the first two on a small tmpfs (as root), the others with a
patched ``os`` call.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import AS_OF
from thesis.cli import cli
from thesis.errors import OutputError, UsageError
from thesis.outputs import files
from thesis.outputs.files import write_all_atomic, write_atomic

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (mknod, mount)")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["schema", "--out", str(fifo)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot write {fifo}: it is a FIFO (named pipe); only a regular file is replaced\n"
        "  fix: give the path of a file to write, or - for standard output where the command allows it\n"
    )
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


@ROOT_ONLY
def test_a_character_device_is_refused_and_stays_a_device(tmp_path: Path) -> None:
    device = tmp_path / "full"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # a /dev/full of our own
    result = CliRunner().invoke(cli, ["schema", "--out", str(device)])
    assert result.exit_code == 2
    assert "it is a character device; only a regular file is replaced" in result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_socket_and_a_folder_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with contextlib.closing(socket.socket(socket.AF_UNIX)) as server:
        server.bind(str(path))
        with pytest.raises(UsageError, match="it is a socket"):
            write_atomic(path, b"x")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    with pytest.raises(UsageError, match="it is a folder"):
        write_atomic(tmp_path, b"x")


def test_a_link_to_a_file_replaces_the_file_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "schema.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = CliRunner().invoke(cli, ["schema", "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("{")
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_a_link_to_a_fifo_or_to_nothing_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "to-pipe").symlink_to(tmp_path / "pipe")
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing")
    with pytest.raises(UsageError, match=r"it is a FIFO \(named pipe\) \(through the link to .*pipe\)"):
        write_atomic(tmp_path / "to-pipe", b"x")
    with pytest.raises(UsageError, match="which does not exist"):
        write_atomic(tmp_path / "dangling", b"x")
    assert not (tmp_path / "nothing").exists()
    assert (tmp_path / "dangling").is_symlink()


def test_one_refused_target_writes_none_of_the_others(tmp_path: Path) -> None:
    good = tmp_path / "a.html"
    good.write_text("old")
    os.mkfifo(tmp_path / "b.pdf")
    with pytest.raises(UsageError):
        write_all_atomic({good: b"new", tmp_path / "b.pdf": b"new"})
    assert good.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_export_and_diff_refuse_a_fifo(in_project: Path) -> None:
    os.mkfifo(in_project / "pipe")
    exported = CliRunner().invoke(cli, ["export", "acme", "--as-of", AS_OF.isoformat(), "--out", "pipe"])
    assert exported.exit_code == 2, exported.output
    assert "cannot write pipe: it is a FIFO" in exported.stderr
    diffed = CliRunner().invoke(
        cli, ["diff", "acme", "2025-06-30", AS_OF.isoformat(), "--format", "html", "--out", "pipe"]
    )
    assert diffed.exit_code == 2, diffed.output
    assert "cannot write pipe: it is a FIFO" in diffed.stderr
    assert stat.S_ISFIFO(os.lstat(in_project / "pipe").st_mode)


def test_render_refuses_a_fifo_where_a_brief_goes(in_project: Path) -> None:
    folder = in_project / "build" / "acme" / AS_OF.isoformat()
    folder.mkdir(parents=True)
    os.mkfifo(folder / f"acme-{AS_OF.isoformat()}.json")
    result = CliRunner().invoke(cli, ["render", "acme", "--as-of", AS_OF.isoformat(), "--format", "html"])
    assert result.exit_code == 2, result.output
    assert "it is a FIFO" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [f"acme-{AS_OF.isoformat()}.json"]


def test_out_dash_writes_to_standard_output(in_project: Path) -> None:
    schema = CliRunner().invoke(cli, ["schema", "--out", "-"])
    assert schema.exit_code == 0 and schema.stdout.startswith("{")
    assert not (in_project / "-").exists()
    workbook = CliRunner().invoke(cli, ["export", "acme", "--as-of", AS_OF.isoformat(), "--out", "-"])
    assert workbook.exit_code == 0, workbook.output
    assert workbook.stdout_bytes.startswith(b"PK")  # a zip: the xlsx itself, with the report on stderr
    assert "wrote -" in workbook.stderr
    assert not (in_project / "-").exists()
    csv = CliRunner().invoke(cli, ["export", "acme", "--as-of", AS_OF.isoformat(), "--format", "csv", "--out", "-"])
    assert csv.exit_code == 2
    assert "--out - (standard output) is for --format xlsx" in csv.stderr


@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (errno.EACCES, "permission denied"),
        (errno.ENOSPC, "no space left on the device"),
        (errno.EROFS, "the file system is read-only"),
    ],
)
def test_an_os_fault_while_writing_is_one_message_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, cause: str
) -> None:
    target = tmp_path / "brief.html"
    target.write_text("previous")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(OutputError) as raised:
        write_all_atomic({target: b"new", tmp_path / "brief.json": b"new"})
    assert raised.value.exit_code == 1
    assert raised.value.message == f"cannot write {target}: {cause}; nothing was written"
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.html"]


def test_a_file_where_a_folder_should_be_and_a_nul_are_messages(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="a part of the path is a file, not a folder"):
        write_atomic(tmp_path / "file" / "out.json", b"x")
    with pytest.raises(OutputError, match="the path contains a NUL character"):
        write_atomic(tmp_path / "a\0b", b"x")
    with pytest.raises(OutputError, match="the name is too long"):
        write_atomic(tmp_path / ("x" * 300), b"x")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@ROOT_ONLY
def test_a_full_disk_leaves_the_previous_brief_whole_and_no_temporary(in_project: Path, small_disk: Path) -> None:
    folder = small_disk / "acme" / AS_OF.isoformat()
    folder.mkdir(parents=True)
    previous = folder / f"acme-{AS_OF.isoformat()}.html"
    previous.write_text("previous brief")
    (small_disk / "filler").write_bytes(b"\0" * (1024 * 1024 - 16 * 1024))  # leave too little for the brief
    result = CliRunner().invoke(
        cli, ["render", "acme", "--as-of", AS_OF.isoformat(), "--format", "html", "--out", str(small_disk)]
    )
    assert result.exit_code == 1, result.output
    assert "no space left on the device; nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert previous.read_text() == "previous brief"
    assert leftovers(folder) == []


@ROOT_ONLY
def test_a_read_only_file_system_is_one_message(in_project: Path, small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = CliRunner().invoke(cli, ["schema", "--out", str(small_disk / "schema.json")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot write {small_disk / 'schema.json'}: the file system is read-only; nothing was written\n"
        "  fix: write somewhere else, or mount it read-write\n"
    )
