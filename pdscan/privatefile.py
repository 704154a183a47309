"""Files that hold findings or a person's data: mode 0600, written to a temp file and renamed.

A reader never sees a half-written file under the final name, and an existing file is replaced
whole (its old mode does not carry over). A target that exists and is not a regular file (a
pipe, /dev/stdout) is written in place: there is nothing to rename over; with `regular_only`
(DSAR outputs) it is refused before anything is opened, and its mode is never touched.
"""

from __future__ import annotations

import os
import stat
import tempfile
from typing import IO


class NotRegularFile(OSError):
    """The target exists and is not a regular file (a device, a FIFO, a directory)."""


class PrivateFile:
    """`with PrivateFile(path) as fh:` text written to `path` at the end of the block.

    When the block raises, the temp file is removed (a half package is never shown as whole)
    unless `keep_on_error`: a scan's findings so far are kept whatever stopped it.
    """

    def __init__(self, path: str, keep_on_error: bool = False, regular_only: bool = False):
        self.path = os.path.realpath(path)  # through a symlink, as a plain open() writes
        self.keep_on_error = keep_on_error
        self.regular_only = regular_only
        self._tmp: str | None = None
        self._fh: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        try:
            in_place = not stat.S_ISREG(os.stat(self.path).st_mode)
        except FileNotFoundError:
            in_place = False
        if in_place and self.regular_only:  # checked before any open: opening a FIFO for writing blocks
            raise NotRegularFile(f"{self.path} exists and is not a regular file (a device, pipe or folder)")
        if in_place:
            self._fh = open(self.path, "w", encoding="utf-8")  # closed in __exit__
            return self._fh
        folder, name = os.path.split(self.path)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)  # mode 0600
        self._fh = open(fd, "w", encoding="utf-8")  # closed in __exit__
        return self._fh

    def __exit__(self, kind, exc, tb) -> None:
        try:
            self._fh.close()
        except BaseException:
            if self._tmp:
                os.unlink(self._tmp)
            raise
        if self._tmp is None:
            return
        if kind is None or self.keep_on_error:
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)


def write_private(path: str, text: str, regular_only: bool = False) -> None:
    """The whole text to `path`, mode 0600, in one rename; `regular_only` refuses a non-regular target."""
    with PrivateFile(path, regular_only=regular_only) as fh:
        fh.write(text)
