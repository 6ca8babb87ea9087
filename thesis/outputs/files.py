"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Each output is first written in full to a temporary file beside its target
(``.NAME.PID.XXXX.tmp``), flushed to disk, then renamed over the target;
``os.replace`` is atomic on POSIX, so a render killed at any moment leaves
every output either as it was or complete. :func:`write_all_atomic` writes
every temporary file first and renames them only when all are on disk, so a
failure while writing (a full disk, an error) changes none of the outputs.

A killed render can leave temporary files behind; :func:`remove_stale_temporaries`
removes those whose process is gone (or that are over an hour old), never those
of a render still running.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")
# A temporary older than this is stale even if its process id is in use again (no render takes an hour).
STALE_AFTER_SECONDS = 3600


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it into place."""
    write_all_atomic({path: data})


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary beside it, then rename them all into place.

    If writing any temporary fails, every temporary is removed and no target changes.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        for temporary, path in staged:
            os.replace(temporary, path)
        for folder in sorted({path.parent for path in files}):
            _sync_folder(folder)
    except BaseException:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise


def _stage(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Flush the renames themselves to disk (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files in ``folder`` left by a process that no longer runs."""
    if not folder.is_dir():
        return []
    stale = []
    for candidate in sorted(folder.glob(".*.tmp")):
        match = _TEMPORARY.match(candidate.name)
        try:
            age = time.time() - candidate.stat().st_mtime
        except FileNotFoundError:
            continue
        if match is None or age > STALE_AFTER_SECONDS or not _running(int(match.group(1))):
            stale.append(candidate)
    return stale


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files a killed render left behind (``.NAME.PID.XXXX.tmp``)."""
    for stale in stale_temporaries(folder):
        stale.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True
