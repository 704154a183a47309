"""Local files and folders: walk, filter by glob, open (gzip too), hand to a format reader."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from pdscan.connectors import chunks
from pdscan.connectors.base import Batch, Connector, Item
from pdscan.connectors.formats import archive, archive_members
from pdscan.connectors.formats.archive_members import Member
from pdscan.connectors.formats.sniff import SNIFF_BYTES, detect_format
from pdscan.connectors.limits import DEFAULT as DEFAULT_LIMITS
from pdscan.connectors.limits import Limits
from pdscan.connectors.localfs import open_regular
from pdscan.connectors.options import FileOptions
from pdscan.connectors.sql import embedded
from pdscan.connectors.streams import GuardedStream, Inflating, Unpacked
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
    """Sniff `raw` (a binary stream, maybe gzip, bzip2 or xz) and run the matching reader.

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
    codec = archive.codec_of(head)  # gzip, bzip2, xz: read as what they hold
    if codec is not None:
        inner = GuardedStream(Inflating(stream, limits, unpacked, codec), result)
        stream = io.BufferedReader(inner, 1 << 20)
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        guarded = inner
        seekable = None
    with ExitStack() as stack:
        if head.startswith(archive.ZIP_MAGIC):  # a zip's directory tells its kind too
            if seekable is None and len(head) >= SNIFF_BYTES:  # a member, an inflated zip: every zip format seeks
                seekable = stack.enter_context(_private_spool())
                _spool(stream, seekable, result, limits)
            if seekable is not None:
                head = _with_directory(head, seekable)
        fmt = detect_format(name, head)  # the registered format sniffing it best
        direct = fmt.seekable and seekable is not None
        try:
            if direct:
                yield from fmt.read(seekable, result, limits)
            elif fmt.seekable:
                with _private_spool() as spool:
                    _spool(stream, spool, result, limits)
                    yield from fmt.read(spool, result, limits)
            else:
                yield from fmt.read(stream, result, limits)
        finally:
            result.bytes = fmt.size_of(seekable) if direct else guarded.bytes_read
    if result.reason == "bomb" and not result.records:  # stopped before anything could be scanned
        result.skip("bomb", result.detail)


@contextmanager
def _private_spool() -> Iterator:
    """A spool file in a private temp folder (mkdtemp: 0700, the file 0600); both gone after."""
    with tempfile.TemporaryDirectory(prefix="pdscan-") as folder:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=folder) as spool:
            yield spool


def _spool(stream, spool, result: ItemResult, limits: Limits) -> None:
    """Copy a gzipped Parquet (a seekable format) to `spool` within limits.temp_bytes and the decompression caps."""
    written = 0
    while chunk := stream.read(READ_BUFFER):
        written += len(chunk)
        if written > limits.temp_bytes:
            raise ItemError("too_large", f"unpacks to more than the temp file limit ({limits.temp_bytes >> 20} MB)")
        spool.write(chunk)
    if result.reason in ("bomb", "truncated", "corrupt"):  # the copy stopped early: no Parquet footer to read
        raise ItemError(result.reason, result.detail)
    spool.seek(0)


class FileConnector(Connector):
    """A file or a folder (recursive; symlinked folders are not followed)."""

    schemes = ("file",)
    paths = True  # a plain path is a file or a folder
    Options = FileOptions
    portable = True  # an item can be read in another process (a worker) from its path
    shares_batches = True  # small files are read in bundles (pdscan.unitscan.Bundle)

    def __init__(self, source: str, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (), options=None):
        options = FileOptions.of(options) if options is not None else FileOptions(include=include, exclude=exclude)
        super().__init__(source, options)
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.unpacked = Unpacked()  # decompressed bytes of this scan (per process)
        self.budgets: dict[str, Unpacked] = {}  # decompressed bytes of each archive's members read so far
        self.cursor = archive_members.Cursor()  # the tar whose members are being read, left open between them

    @classmethod
    def check(cls, source: str, options) -> str | None:
        return None if os.path.lexists(source) else f"no such file or folder: {source}"

    @classmethod
    def connect(cls, source: str, options) -> FileConnector:
        return cls(source, options.include, options.exclude, options)

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

    def _listed(self, path: str, container: str, results: list[ItemResult]) -> Iterator[Item]:
        """The file as an item, or an archive's members (sniffed by content), each an item of its own
        (pdscan.connectors.formats.archive_members says why)."""
        item = self._item(path, container)
        head = _head(path)
        kind = archive.expandable(head, path)
        if kind is None:
            yield item
            return
        listing = archive_members.listing(path, self.source, self.options.limits, results)
        try:
            raw = open(open_regular(path), "rb")
        except ItemError:
            yield item  # gone or changed since it was sniffed: read() says what it is
            return
        with raw:
            for inner, member, size in archive_members.expand(raw, kind, container, listing):
                extra = (("path", path), ("member", member.inner))
                yield Item(source=self.source, container=inner, size=size, extra=extra, handle=member)

    def items(self, results: list[ItemResult]) -> Iterator[Item]:
        if not os.path.isdir(self.source):
            yield from self._listed(self.source, os.path.basename(os.path.abspath(self.source)), results)
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
                    yield from self._listed(path, rel, results)

    def splittable(self, item: Item) -> bool:
        # plain text, CSV/TSV and Parquet files (pdscan.connectors.chunks decides); an archive member is read whole
        return not isinstance(item.handle, Member)

    def split(self, item: Item, part_bytes: int, min_bytes: int) -> list:
        return chunks.split(item.handle, item.size, part_bytes, min_bytes)

    def read_part(self, item: Item, part, result: ItemResult) -> Iterator[Batch]:
        return chunks.read_part(item.handle, part, result, self.options.limits)

    def version(self, item: Item, previous: dict | None) -> tuple[dict | None, bool]:
        """(size, mtime and a SHA-256 of the content; unchanged since `previous`).

        Opened as read() opens it: a path that is not a regular file (or is gone) has no version,
        so planning never blocks on it and read() reports it. An archive member has none: read again."""
        if isinstance(item.handle, Member):
            return None, False
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
        if isinstance(item.handle, Member):
            yield from self._read_member(item.handle, item.size, result)
            return
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

    def _read_member(self, member: Member, size: int | None, result: ItemResult) -> Iterator[Batch]:
        limits = self.options.limits
        opener = functools.partial(_open_root, member.root)
        with archive_members.opened(member, opener, limits, self.unpacked, self.budgets, self.cursor) as raw:
            yield from read_member(member, raw, result, size, limits, self.unpacked)

    def close(self) -> None:
        self.cursor.close()


def read_member(member: Member, raw, result: ItemResult, size, limits: Limits, unpacked: Unpacked) -> Iterator[Batch]:
    """An archive member's stream through the readers, sniffed as a file is (its name a hint)."""
    yield from read_stream(member.name, raw, result, size=size, limits=limits, unpacked=unpacked)
    if result.status == "partial" and result.reason == "corrupt" and not result.records:
        result.skip("corrupt", result.detail)


def _open_root(path: str):
    return open(open_regular(path), "rb")


def _head(path: str) -> bytes:
    """The first bytes of a file (a zip's with its directory), to sniff an archive by; b"" when it
    cannot be opened (read() says why)."""
    try:
        fd = open_regular(path)
    except ItemError:
        return b""
    with open(fd, "rb") as fh:
        try:
            return archive.with_directory(fh.read(SNIFF_BYTES), fh)
        except OSError:
            return b""


def _with_directory(head: bytes, seekable) -> bytes:
    """`head` and the zip's directory, from `seekable` (a path, opened as a regular file, or a file)."""
    if not isinstance(seekable, str):
        return archive.with_directory(head, seekable)
    try:
        fh = open(open_regular(seekable), "rb")
    except ItemError:
        return head
    with fh:
        return archive.with_directory(head, fh)


def check(source: str, options) -> str | None:
    return FileConnector.check(source, options)


def connect(source: str, options) -> FileConnector:
    return FileConnector.connect(source, options)
