"""Opening a SQLite file without creating or changing anything beside it.

`mode=ro` alone is not enough: a WAL-mode database gets `-wal` and `-shm` files created beside it
(in a read-only folder it cannot be opened at all), and a hot `-journal` cannot be rolled back by
a read-only connection. So each connection is opened one of three ways:

- a rollback-journal database with no live journal beside it: `mode=ro`. Nothing is created, and
  SQLite's shared lock still keeps a writer from changing the file under a read: a writer holding
  the lock makes the read wait up to the busy timeout, then fail with "database is locked".
- a WAL-mode database with no `-wal` beside it (every committed page is in the file):
  `mode=ro&immutable=1`, without locks or a `-shm`.
- a `-wal`, or a `-journal` with a live header, beside it (a live writer, or one that crashed):
  copy-on-read. The files are copied into a private 0700 temp folder, SQLite recovers the copy
  (replays the committed frames of the WAL, rolls back the journal's unfinished transaction) and
  the copy is opened `mode=ro&immutable=1`; the folder is removed as soon as the connection holds
  the file open. A copy taken while a writer changed a file is thrown away and taken again.

`immutable=1` on the source itself would ignore the WAL's committed rows; copying keeps them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from urllib.parse import quote

from pdscan.connectors.limits import MB, Limits
from pdscan.core.errors import SourceError

MAGIC = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # a rollback journal's header; zeroed once done
WAL_FORMAT = 2  # header bytes 18 and 19: 1 for a rollback journal, 2 for WAL
COPY_ATTEMPTS = 5  # copies thrown away because a writer changed a file during one


class SnapshotError(SourceError):
    """The database cannot be copied for reading: `reason` and `detail` as for an item."""

    def __init__(self, path: str, reason: str, detail: str):
        super().__init__(f"cannot read sqlite:///{path}: {detail}")
        self.reason = reason
        self.detail = detail


def file_state(path: str) -> dict[str, tuple[int, int]]:
    """(size, mtime) of the database and of each companion file present, which a writer changes."""
    found = {}
    for suffix in ("", "-wal", "-journal"):
        try:
            stat = os.stat(path + suffix)
        except FileNotFoundError:
            continue
        found[suffix] = (stat.st_size, stat.st_mtime_ns)
    return found


def _starts_with(path: str, magic: bytes) -> bytes | None:
    """The file's first 100 bytes when they start with `magic`, else None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return None
    return head if head.startswith(magic) else None


def plan(path: str) -> str:
    """How to open `path`: "ro" (locks, nothing created), "immutable", or "copy"."""
    if os.path.exists(path + "-wal") or _starts_with(path + "-journal", JOURNAL_MAGIC):
        return "copy"
    head = _starts_with(path, MAGIC)
    if head is not None and len(head) > 19 and WAL_FORMAT in (head[18], head[19]):
        return "immutable"
    return "ro"  # a rollback-journal database (or not a database: SQLite says so)


def _uri(path: str, immutable: bool) -> str:
    return "file:" + quote(path) + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def _copy(path: str, into: str, limits: Limits) -> str:
    """The database and its companions copied into `into`, unchanged by a writer while copied."""
    for attempt in range(COPY_ATTEMPTS):
        before = file_state(path)
        if "" not in before:
            raise FileNotFoundError(path)
        total = sum(size for size, _ in before.values())
        if total > limits.temp_bytes:
            raise SnapshotError(
                path,
                "too_large",
                f"a private copy of the database and its journal or WAL ({total / MB:,.0f} MB) would pass "
                f"limits.temp_bytes ({limits.temp_bytes / MB:,.0f} MB)",
            )
        copy = os.path.join(into, "db")
        for name in os.listdir(into):
            os.unlink(os.path.join(into, name))
        try:
            for suffix in before:
                shutil.copyfile(path + suffix, copy + suffix)
        except FileNotFoundError:
            pass  # a companion went away (the writer closed): copy again
        else:
            if file_state(path) == before:
                return copy
        time.sleep(0.05 * (attempt + 1))
    raise SnapshotError(path, "read_error", "the database kept changing while it was copied for reading")


def _recover(copy: str) -> None:
    """Let SQLite replay the WAL or roll back the journal of the copy, then drop both."""
    conn = sqlite3.connect(copy, timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        conn.close()


def connect(path: str, limits: Limits, busy_timeout: float) -> sqlite3.Connection:
    """A read-only connection to `path` that leaves no file beside it created or changed."""
    how = plan(path)
    if how != "copy":
        return sqlite3.connect(_uri(path, how == "immutable"), uri=True, timeout=busy_timeout, check_same_thread=False)
    folder = tempfile.mkdtemp(prefix="pdscan-sqlite-")  # 0700: the copy holds the source's data
    try:
        copy = _copy(path, folder, limits)
        _recover(copy)
        conn = sqlite3.connect(_uri(copy, True), uri=True, check_same_thread=False)
        try:
            conn.execute("PRAGMA schema_version").fetchall()  # the file is open: its name may go
        except sqlite3.Error:
            conn.close()
            raise
        return conn
    finally:
        shutil.rmtree(folder, ignore_errors=True)
