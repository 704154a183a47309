"""Local files and folders: walk, filter by glob, open (gzip too), hand to a format reader."""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from pdscan.connectors.base import Batch, GuardedStream, Inflating, Item, Unpacked
from pdscan.connectors.formats import jsonfmt, parquet, tabular, text
from pdscan.connectors.formats.sniff import GZIP_MAGIC, SNIFF_BYTES, detect
from pdscan.connectors.limits import DEFAULT as DEFAULT_LIMITS
from pdscan.connectors.limits import Limits
from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.sql import embedded
from pdscan.core.errors import ItemError, SourceError
from pdscan.core.model import ItemResult

SPOOL_IN_MEMORY = 64 << 20  # a gzipped Parquet is unpacked to disk beyond this
READ_BUFFER = 1 << 20


def matches(relpath: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Globs apply to the path relative to the named folder and to the bare file name."""
    name = os.path.basename(relpath)

    def hit(patterns: tuple[str, ...]) -> bool:
        return any(fnmatch.fnmatch(relpath, p) or fnmatch.fnmatch(name, p) for p in patterns)

    return (not include or hit(include)) and not hit(exclude)


def read_stream(
    name: str,
    raw,
    result: ItemResult,
    seekable=None,
    size: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    unpacked: Unpacked | None = None,
) -> Iterator[Batch]:
    """Sniff `raw` (a binary stream, maybe gzip) and run the matching reader.

    `seekable` (a path or random-access file of the same bytes) lets Parquet read its
    footer and row groups directly instead of spooling the stream. `size`, when known, sizes
    the read buffer (a 1 MB buffer for every 1 KB file is an allocation of its own). `limits` caps
    what the item may cost (pdscan.connectors.limits); `unpacked` is the connector's running total
    of decompressed bytes (limits.decompressed_total).
    """
    guarded = GuardedStream(raw, result)
    buffer = READ_BUFFER if size is None else min(READ_BUFFER, max(SNIFF_BYTES, size + 1))
    stream = io.BufferedReader(guarded, buffer)
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if head.startswith(GZIP_MAGIC):
        inner = GuardedStream(Inflating(stream, limits, unpacked), result)
        stream = io.BufferedReader(inner, 1 << 20)
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        guarded = inner
        seekable = None
    kind = detect(name, head)
    direct = kind == "parquet" and seekable is not None
    try:
        if direct:
            yield from parquet.read_parquet(seekable, result, limits=limits)
        elif kind == "parquet":
            with _private_spool() as spool:
                _spool(stream, spool, result, limits)
                yield from parquet.read_parquet(spool, result, limits=limits)
        elif kind in ("csv", "tsv"):
            yield from tabular.read_csv(stream, result, "\t" if kind == "tsv" else None, limits=limits)
        elif kind == "json":
            yield from jsonfmt.read_json(stream, result, limits)
        elif kind == "ndjson":
            yield from jsonfmt.read_ndjson(stream, result, limits)
        else:
            yield from text.read_text(stream, result)
    finally:
        result.bytes = parquet.size_of(seekable) if direct else guarded.bytes_read
    if result.reason == "bomb" and not result.records:  # stopped before anything could be scanned
        result.skip("bomb", result.detail)


@contextmanager
def _private_spool() -> Iterator:
    """A spool file in a private temp folder (mkdtemp: 0700, the file 0600); both gone after."""
    with tempfile.TemporaryDirectory(prefix="pdscan-") as folder:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=folder) as spool:
            yield spool


def _spool(stream, spool, result: ItemResult, limits: Limits) -> None:
    """Copy a gzipped Parquet to `spool` within limits.temp_bytes and the decompression caps."""
    written = 0
    while chunk := stream.read(READ_BUFFER):
        written += len(chunk)
        if written > limits.temp_bytes:
            raise ItemError("too_large", f"unpacks to more than the temp file limit ({limits.temp_bytes >> 20} MB)")
        spool.write(chunk)
    if result.reason in ("bomb", "truncated", "corrupt"):  # the copy stopped early: no Parquet footer to read
        raise ItemError(result.reason, result.detail)
    spool.seek(0)


class FileConnector:
    """A file or a folder (recursive; symlinked folders are not followed)."""

    portable = True  # an item can be read in another process (a worker) from its path
    shares_batches = True  # small files are read in bundles (pdscan.unitscan.Bundle)

    def __init__(self, source: str, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (), options=None):
        self.source = source
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.options = options or ConnectorOptions(include=self.include, exclude=self.exclude)
        self.unpacked = Unpacked()  # decompressed bytes of this scan (per process)

    @property
    def lists_root(self) -> bool:
        """A folder lists its whole root; a file is one container of the folder it is in."""
        return os.path.isdir(self.source)

    def _item(self, path: str, container: str) -> Item:
        """`container`: the path relative to the source root (pdscan.connectors.registry.source_root);
        `path` (as typed, under the source as given) is what is opened and shown."""
        try:
            size = os.path.getsize(path)
        except OSError:
            size = None
        return Item(source=self.source, container=container, size=size, extra=(("path", path),), handle=path)

    def items(self, results: list[ItemResult]) -> Iterator[Item]:
        if not os.path.isdir(self.source):
            yield self._item(self.source, os.path.basename(os.path.abspath(self.source)))
            return

        def on_error(exc: OSError) -> None:
            path = exc.filename or self.source
            if os.path.normpath(path) == os.path.normpath(self.source):
                raise SourceError(f"cannot list {self.source} ({exc.strerror})")
            result = ItemResult(self.source, os.path.relpath(path, self.source).replace(os.sep, "/"))
            result.skip("unreadable", f"folder cannot be listed ({exc.strerror})")
            results.append(result)

        for root, dirs, files in os.walk(self.source, onerror=on_error):
            dirs.sort()
            beside = embedded.companions(root, files)  # a database's -wal, -shm, -journal: read with it
            for name in sorted(files):
                if name in beside:
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, self.source).replace(os.sep, "/")
                if matches(rel, self.include, self.exclude):
                    yield self._item(path, rel)

    def prefetch(self, items: list[Item]) -> None:
        """Items about to be read in this order (a bundle): local files need nothing ahead."""

    def version(self, item: Item, previous: dict | None) -> tuple[dict | None, bool]:
        """(size, mtime and a SHA-256 of the content; unchanged since `previous`).

        Opened as read() opens it: a path that is not a regular file (or is gone) has no version,
        so planning never blocks on it and read() reports it."""
        try:
            fd = open_regular(item.handle)
        except ItemError:
            return None, False
        with open(fd, "rb", buffering=0) as fh:
            st = os.fstat(fd)
            version = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
            if previous and previous.get("size") == st.st_size and previous.get("mtime_ns") == st.st_mtime_ns:
                return {**previous, **version}, True
            # new, grown, shrunk or touched: the hash (at disk speed, far faster than detection) decides
            version["sha256"] = hashlib.file_digest(fh, "sha256").hexdigest()
        return version, bool(previous) and previous.get("sha256") == version["sha256"]

    def read(self, item: Item, result: ItemResult) -> Iterator[Batch]:
        path = item.handle
        raw = open(open_regular(path), "rb", buffering=0)
        with raw:
            try:  # the SQLite magic read from the file opened here, not by opening it once more
                sqlite = os.pread(raw.fileno(), len(embedded.MAGIC), 0) == embedded.MAGIC
            except OSError:
                sqlite = False
            if not sqlite:
                try:
                    yield from read_stream(
                        path, raw, result, seekable=path, size=item.size, limits=self.options.limits,
                        unpacked=self.unpacked,
                    )  # fmt: skip
                except PermissionError as exc:
                    raise ItemError("unreadable", f"read failed ({exc.strerror})") from None
        if sqlite:
            yield from embedded.read_sqlite_file(path, result, self.options)


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


def check(source: str, options: ConnectorOptions) -> str | None:
    return None if os.path.lexists(source) else f"no such file or folder: {source}"


def connect(source: str, options: ConnectorOptions) -> FileConnector:
    return FileConnector(source, options.include, options.exclude, options)
