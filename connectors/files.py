"""Local files and folders: walk, filter by glob, open (gzip too), hand to a format reader."""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator

from pdscan.connectors.base import Batch, GuardedStream, Item
from pdscan.connectors.formats import jsonfmt, parquet, tabular, text
from pdscan.connectors.formats.sniff import GZIP_MAGIC, SNIFF_BYTES, detect
from pdscan.connectors.limits import DEFAULT as DEFAULT_LIMITS
from pdscan.connectors.limits import Limits
from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.sql import embedded
from pdscan.model import ItemError, ItemResult, SourceError

SPOOL_IN_MEMORY = 64 << 20  # a gzipped Parquet is unpacked to disk beyond this
READ_BUFFER = 1 << 20


def matches(relpath: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Globs apply to the path relative to the named folder and to the bare file name."""
    name = os.path.basename(relpath)

    def hit(patterns: tuple[str, ...]) -> bool:
        return any(fnmatch.fnmatch(relpath, p) or fnmatch.fnmatch(name, p) for p in patterns)

    return (not include or hit(include)) and not hit(exclude)


def read_stream(
    name: str, raw, result: ItemResult, seekable=None, size: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Batch]:
    """Sniff `raw` (a binary stream, maybe gzip) and run the matching reader.

    `seekable` (a path or random-access file of the same bytes) lets Parquet read its
    footer and row groups directly instead of spooling the stream. `size`, when known, sizes
    the read buffer (a 1 MB buffer for every 1 KB file is an allocation of its own). `limits` caps
    what the item may cost (pdscan.connectors.limits).
    """
    guarded = GuardedStream(raw, result)
    buffer = READ_BUFFER if size is None else min(READ_BUFFER, max(SNIFF_BYTES, size + 1))
    stream = io.BufferedReader(guarded, buffer)
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if head.startswith(GZIP_MAGIC):
        inner = GuardedStream(gzip.GzipFile(fileobj=stream, mode="rb"), result)
        stream = io.BufferedReader(inner, 1 << 20)
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        guarded = inner
        seekable = None
    kind = detect(name, head)
    direct = kind == "parquet" and seekable is not None
    try:
        if direct:
            yield from parquet.read_parquet(seekable, result)
        elif kind == "parquet":
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
                shutil.copyfileobj(stream, spool, 1 << 20)
                spool.seek(0)
                yield from parquet.read_parquet(spool, result)
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


class FileConnector:
    """A file or a folder (recursive; symlinked folders are not followed)."""

    portable = True  # an item can be read in another process (a worker) from its path
    shares_batches = True  # small files are read in bundles (pdscan.unitscan.Bundle)

    def __init__(self, source: str, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (), options=None):
        self.source = source
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.options = options or ConnectorOptions(include=self.include, exclude=self.exclude)

    def _item(self, path: str) -> Item:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = None
        return Item(source=self.source, container=path, size=size, extra=(("path", path),), handle=path)

    def items(self, results: list[ItemResult]) -> Iterator[Item]:
        if not os.path.isdir(self.source):
            yield self._item(self.source)
            return

        def on_error(exc: OSError) -> None:
            path = exc.filename or self.source
            if os.path.normpath(path) == os.path.normpath(self.source):
                raise SourceError(f"cannot list {self.source} ({exc.strerror})")
            result = ItemResult(self.source, path)
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
                    yield self._item(path)

    def prefetch(self, items: list[Item]) -> None:
        """Items about to be read in this order (a bundle): local files need nothing ahead."""

    def version(self, item: Item, previous: dict | None) -> tuple[dict, bool]:
        """(size, mtime and a SHA-256 of the content; unchanged since `previous`)."""
        stat = os.stat(item.handle)
        version = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        if previous and previous.get("size") == stat.st_size and previous.get("mtime_ns") == stat.st_mtime_ns:
            return {**previous, **version}, True
        # new, grown, shrunk or touched: the hash (at disk speed, far faster than detection) decides
        version["sha256"] = _sha256(item.handle)
        return version, bool(previous) and previous.get("sha256") == version["sha256"]

    def read(self, item: Item, result: ItemResult) -> Iterator[Batch]:
        path = item.handle
        try:  # one lstat (and a stat through a symlink) where lexists, islink and isfile took three
            mode = os.lstat(path).st_mode
        except OSError:  # listed, and gone since (or not on this machine)
            raise ItemError("unreadable", "no such file") from None
        if stat.S_ISLNK(mode):
            try:
                mode = os.stat(path).st_mode
            except OSError:
                raise ItemError("unreadable", "a symlink whose target does not exist") from None
        if not stat.S_ISREG(mode):
            raise ItemError("unsupported_format", "not a regular file")
        try:
            raw = open(path, "rb", buffering=0)
        except OSError as exc:
            raise ItemError("unreadable", f"cannot open ({exc.strerror})") from None
        with raw:
            try:  # the SQLite magic read from the file opened here, not by opening it once more
                sqlite = os.pread(raw.fileno(), len(embedded.MAGIC), 0) == embedded.MAGIC
            except OSError:
                sqlite = False
            if not sqlite:
                try:
                    yield from read_stream(path, raw, result, seekable=path, size=item.size, limits=self.options.limits)
                except PermissionError as exc:
                    raise ItemError("unreadable", f"read failed ({exc.strerror})") from None
        if sqlite:
            yield from embedded.read_sqlite_file(path, result, self.options)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def check(source: str, options: ConnectorOptions) -> str | None:
    return None if os.path.lexists(source) else f"no such file or folder: {source}"


def connect(source: str, options: ConnectorOptions) -> FileConnector:
    return FileConnector(source, options.include, options.exclude, options)
