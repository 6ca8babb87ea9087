"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Each output is first written in full to a temporary file beside its target
(``.NAME.PID.XXXX.tmp``), flushed to disk, then renamed over the target;
``os.replace`` is atomic on POSIX, so a render killed at any moment leaves
every output either as it was or complete. :func:`write_all_atomic` writes
every temporary file first and renames them only when all are on disk, so a
failure while writing (a full disk, an error) changes none of the outputs.

What is at a target path is never destroyed by accident. Only a regular file
(or nothing) is replaced; a target that is a folder, a device, a FIFO or a
socket is refused with a :class:`~thesis.errors.UsageError` before anything is
written (renaming a file over ``/dev/full`` would turn the device into a
file). A symbolic link is followed: the regular file it names is replaced
atomically and the link itself stays a link; a link that names nothing, or
names something other than a regular file, is refused. The path ``-`` means
standard output. An operating-system failure (a full disk, a read-only file
system, no permission, a name too long, a file where a folder should be) is
an :class:`~thesis.errors.OutputError` naming the path and the cause, with
every temporary removed and every target unchanged.

A killed render can leave temporary files behind; :func:`remove_stale_temporaries`
removes those whose process is gone (or that are over an hour old), never those
of a render still running.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path

from thesis.errors import OutputError, UsageError, os_error_cause
from thesis.inputs.reading import kind_of

_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")
# A temporary older than this is stale even if its process id is in use again (no render takes an hour).
STALE_AFTER_SECONDS = 3600


STDOUT = Path("-")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it into place.

    ``-`` writes to standard output instead.
    """
    if path == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_all_atomic({path: data})


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary beside it, then rename them all into place.

    Every target is checked first (:func:`replaceable`); if any is refused, or
    writing any temporary fails, every temporary is removed and no target changes.
    """
    targets = [(given, replaceable(given), data) for given, data in files.items()]
    staged: list[tuple[str, Path]] = []
    current = Path(".")
    try:
        for given, path, data in targets:
            current = given
            staged.append((_stage(path, data), path))
        for (temporary, path), (given, _, _) in zip(staged, targets, strict=True):
            current = given
            os.replace(temporary, path)
        for folder in sorted({path.parent for _, path, _ in targets}):
            _sync_folder(folder)
    except BaseException as exc:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        if isinstance(exc, (OSError, ValueError)):
            raise _output_error(current, exc) from None
        raise


def replaceable(path: Path) -> Path:
    """The regular file to replace when writing ``path``: ``path`` itself, or the file its link names.

    A folder, device, FIFO or socket, a link to one of them and a link that
    names nothing are refused with a :class:`UsageError` (exit 2): nothing is written.
    """
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return path
    except (OSError, ValueError) as exc:
        raise _output_error(path, exc) from None
    target = path
    if stat.S_ISLNK(link.st_mode):
        target = Path(os.path.realpath(path))
        try:
            named = os.stat(target)
        except FileNotFoundError:
            raise UsageError(
                f"cannot write {path}: it is a symbolic link to {target}, which does not exist",
                "point the link at an existing file, or write to another path",
            ) from None
        except OSError as exc:
            raise _output_error(path, exc) from None
    else:
        named = link
    kind = kind_of(named.st_mode)
    if kind is not None:
        through = f" (through the link to {target})" if target != path else ""
        raise UsageError(
            f"cannot write {path}: it is {kind}{through}; only a regular file is replaced",
            "give the path of a file to write, or - for standard output where the command allows it",
        )
    return target


def _output_error(path: Path, exc: BaseException) -> OutputError:
    cause, hint = os_error_cause(exc)
    return OutputError(f"cannot write {path}: {cause}; nothing was written", hint)


def _stage(path: Path, data: bytes) -> str:
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file stands where a folder of the path should be
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)) from None
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
