"""Opening a local path safely: regular files only, never waiting on a FIFO, reasons for the rest."""

from __future__ import annotations

import errno
import os
import stat

from pdscan.core.errors import ItemError

__all__ = ["OPEN_FLAGS", "open_regular"]

OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def open_regular(path: str) -> int:
    """A read-only descriptor of `path` if it is a regular file, else ItemError with the reason.

    Symlinks to regular files are followed. Anything else (FIFO, socket, device, folder) is refused
    by a stat before opening, and again by an fstat of the opened descriptor (a swap between the two
    is caught); O_NONBLOCK keeps even that open of a FIFO from waiting for a writer."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise _open_error(path, exc) from None
    if not stat.S_ISREG(mode):
        raise ItemError("not_regular_file", f"not a regular file ({_kind(mode)}), not opened")
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError as exc:
        raise _open_error(path, exc) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ItemError("not_regular_file", f"not a regular file ({_kind(mode)}): changed while opened")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_error(path: str, exc: OSError) -> ItemError:
    if exc.errno == errno.ELOOP:
        return ItemError("symlink_loop", "a symbolic link that leads back to itself")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return ItemError("unreadable", "a symlink whose target does not exist")
        return ItemError("vanished", "listed, and gone since (deleted or moved)")
    if exc.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
        return ItemError("not_regular_file", "not a regular file (socket or device), not opened")
    return ItemError("unreadable", f"cannot open ({exc.strerror})")


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))  # fmt: skip


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")
