"""Read a file from the folder without hanging, exhausting memory or crashing.

Every file ``thesis`` reads (YAML inputs, archived sources, ``--weights``,
snapshots and PDFs given to ``diff``, render-cache records) goes through
:func:`read_bounded`: it opens without blocking (a FIFO cannot hang it),
reads only a regular file (a device such as ``/dev/zero``, a FIFO or a socket
is refused by its kind), reads at most ``limit + 1`` bytes whatever the file
claims its size is, and turns every operating-system error into one message
naming the path and the cause. The limits themselves are documented in
docs/limits.md.

:func:`regular_file_sha256` hashes a file for the render cache the same way:
regular files only, never through a link, in chunks.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from thesis.errors import os_error_cause

CHUNK = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


class ReadFailure(Exception):
    """Why a file could not be read: ``cause`` (what is wrong) and ``hint`` (what to do)."""

    def __init__(self, cause: str, hint: str, size: int | None = None) -> None:
        super().__init__(cause)
        self.cause = cause
        self.hint = hint
        self.size = size  # the file's size, when it is over the limit


def kind_of(mode: int) -> str | None:
    """``"a FIFO (named pipe)"`` and so on for what is not a regular file; ``None`` for a regular file."""
    for is_kind, kind in _KINDS:
        if is_kind(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`ReadFailure` when the file cannot be opened or read, is not a
    regular file, or holds more than ``limit`` bytes; callers word it for their context.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as exc:
        raise ReadFailure(*os_error_cause(exc)) from None
    try:
        status = os.fstat(fd)
        kind = kind_of(status.st_mode)
        if kind is not None:
            raise ReadFailure(f"it is {kind}, not a regular file", "use an ordinary file (or give the path of one)")
        parts: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            part = os.read(fd, min(CHUNK, remaining))
            if not part:
                break
            parts.append(part)
            remaining -= len(part)
    except OSError as exc:
        raise ReadFailure(*os_error_cause(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(parts)
    if len(data) > limit:
        size = max(status.st_size, len(data))
        raise ReadFailure(f"it is over the limit of {limit:,} bytes", "see docs/limits.md", size)
    return data


def regular_file_sha256(path: str | Path) -> bytes:
    """A SHA-256 standing for the file at ``path`` as it is, without following a link or reading a non-file.

    A regular file is hashed by its contents, in chunks; a link by the text of
    the link; anything else (a FIFO, a device, a socket, an unreadable file) by
    its kind alone, so nothing here can block or read without end.
    """
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError) as exc:
        return hashlib.sha256(b"unreadable:" + os_error_cause(exc)[0].encode()).digest()
    if stat.S_ISLNK(mode):
        with contextlib.suppress(OSError):
            return hashlib.sha256(b"link:" + os.readlink(path).encode(errors="surrogateescape")).digest()
        return hashlib.sha256(b"link").digest()
    if not stat.S_ISREG(mode):
        return hashlib.sha256(f"kind:{kind_of(mode)}".encode()).digest()
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        return hashlib.sha256(b"unreadable:" + os_error_cause(exc)[0].encode()).digest()
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since lstat
            return hashlib.sha256(b"kind:changed").digest()
        while part := os.read(fd, CHUNK):
            digest.update(part)
    except OSError as exc:
        return hashlib.sha256(b"unreadable:" + os_error_cause(exc)[0].encode()).digest()
    finally:
        os.close(fd)
    return digest.digest()
