"""Files that hold findings or a person's data: mode 0600, written to a temp file and renamed.

A reader never sees a half-written file under the final name, and an existing file is replaced
whole (its old mode does not carry over). A target that exists and is not a regular file (a
pipe, /dev/stdout) is written in place: there is nothing to rename over; with `regular_only`
(DSAR outputs) it is refused before anything is opened, and its mode is never touched.

Files pdscan keeps and opens again (the SQLite store, the fingerprint key) are created 0600 by
`create_private`; one that already exists and is open to group or others is refused by
`refuse_exposed`: the findings (or the key that makes fingerprints guessable) were readable by
other users, and reading on silently would hide it.
"""

from __future__ import annotations

import os
import shlex
import stat
import tempfile
from typing import IO

from pdscan.core.errors import Exposed


class NotRegularFile(OSError):
    """The target exists and is not a regular file (a device, a FIFO, a directory)."""


def refuse_exposed(path: str, shown: str | None = None) -> None:
    """Exposed when the existing regular file `path` has any read or write bit for group or others.

    Only regular files: a store given as a server URL is no file, and a device is not ours to judge.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    mode = stat.S_IMODE(st.st_mode)
    if not stat.S_ISREG(st.st_mode) or not mode & 0o066:
        return
    how = " and ".join(word for word, bits in (("readable", 0o044), ("writable", 0o022)) if mode & bits)
    shown = shown or path
    raise Exposed(f"{shown} is {how} by others (mode {mode:04o}): chmod 600 {shlex.quote(shown)}")


def create_private(path: str) -> bool:
    """Create `path` empty with mode 0600 unless it exists (never touching one that does); True when created."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


class PrivateFile:
    """`with PrivateFile(path) as fh:` text written to `path` at the end of the block.

    When the block raises, the temp file is removed (a half package is never shown as whole)
    unless `keep_on_error`: a scan's findings so far are kept whatever stopped it.
    """

    def __init__(self, path: str, keep_on_error: bool = False, regular_only: bool = False):
        self.given = path
        self.path = os.path.realpath(path)  # through a symlink, as a plain open() writes
        self.keep_on_error = keep_on_error
        self.regular_only = regular_only
        self._tmp: str | None = None
        self._fh: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        try:  # the name as given: /dev/stdout on a pipe resolves to no real path
            in_place = not stat.S_ISREG(os.stat(self.given).st_mode)
        except FileNotFoundError:
            in_place = False
        if in_place and self.regular_only:  # checked before any open: opening a FIFO for writing blocks
            raise NotRegularFile(f"{self.given} exists and is not a regular file (a device, pipe or folder)")
        if in_place:  # written as it is: no chmod, no rename of what pdscan did not create
            self._fh = open(self.given, "w", encoding="utf-8")  # closed in __exit__
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
