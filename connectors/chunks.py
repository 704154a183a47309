"""Large local files cut into parts that workers scan side by side.

Text and CSV/TSV are cut at line boundaries (a CSV only where the count of quote characters
before the cut is even, so a quoted value holding a newline is never split); Parquet by row
groups. A part knows nothing of its neighbours: the engine adds the line, row and cell
numbers of the parts before it when it merges results in order.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass

from pdscan.connectors.base import Batch, GuardedStream
from pdscan.connectors.formats import headers, parquet, tabular, text
from pdscan.connectors.formats.archive import codec_of
from pdscan.connectors.formats.sniff import SNIFF_BYTES, detect
from pdscan.connectors.limits import DEFAULT as DEFAULT_LIMITS
from pdscan.connectors.limits import Limits
from pdscan.connectors.localfs import open_regular
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

SPLITTABLE = ("text", "csv", "tsv", "parquet")
SCAN_BLOCK = 8 << 20  # bytes read at a time while looking for cut points
HEADER_BYTES = SCAN_BLOCK  # a CSV header longer than this: the file is read in one piece


@dataclass(frozen=True)
class Part:
    """One piece of a file: bytes [start, end) or row groups [first, last)."""

    kind: str  # text, csv, tsv, parquet
    index: int
    start: int = 0
    end: int = 0
    names: tuple[str, ...] = ()  # CSV columns (read from the header by the planner)
    delimiter: str | None = None
    nbytes: int = 0  # about how many bytes of the file it covers (for progress)

    @property
    def head(self) -> bool:
        return self.index == 0


class RangeReader(io.RawIOBase):
    """Bytes [start, end) of a file as a stream."""

    def __init__(self, path: str, start: int, end: int):
        self._fh = _open(path)
        self._fh.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(memoryview(buffer)[: min(len(buffer), self._left)]) if self._left > 0 else 0
        self._left -= n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def kind_of(path: str) -> str | None:
    """The format of a plain (not compressed) file if it can be split, else None."""
    try:
        with _open(path) as fh:
            head = fh.read(SNIFF_BYTES)
    except (ItemError, OSError):  # read in one piece, where the reason is recorded
        return None
    if codec_of(head) is not None:  # compressed: read in one piece
        return None
    try:
        kind = detect(path, head)
    except ItemError:
        return None
    return kind if kind in SPLITTABLE else None


def _line_cuts(path: str, size: int, targets: list[int], quoted: bool) -> list[int]:
    """For each target offset, the offset just after the first newline at or past it (outside quotes)."""
    cuts: list[int] = []
    quotes = 0  # quote characters before `pos`
    pos = 0
    pending = list(targets)
    with _open(path) as fh:
        while pending and pos < size:
            block = fh.read(SCAN_BLOCK)
            if not block:
                break
            at = 0
            while pending and at < len(block):
                if cuts and pending[0] < cuts[-1]:
                    pending.pop(0)  # a long line already took this cut past the target
                    continue
                target = max(pending[0], cuts[-1] if cuts else 0) - pos
                if target >= len(block):
                    break
                at = max(at, target)
                nl = block.find(b"\n", at)
                if nl == -1:
                    break
                if quoted and (quotes + block.count(b'"', 0, nl)) % 2:
                    at = nl + 1  # inside a quoted value: try the next line end
                    continue
                cuts.append(pos + nl + 1)
                pending.pop(0)
                at = nl + 1
            quotes += block.count(b'"') if quoted else 0
            pos += len(block)
    return sorted({c for c in cuts if 0 < c < size})


def split(path: str, size: int, chunk_bytes: int, head_bytes: int | None = None) -> list[Part]:
    """Parts of a file (one part when it is small, compressed or of a format that is not split)."""
    kind = kind_of(path) if size > chunk_bytes else None
    if kind is None:
        return []
    if kind == "parquet":
        return _parquet_parts(path, chunk_bytes)
    first = head_bytes or chunk_bytes
    names: tuple[str, ...] = ()
    delimiter = None
    if kind in ("csv", "tsv"):
        with _open(path, buffered=True) as fh:
            line = fh.readline(HEADER_BYTES + 1)
            sample = fh.read(headers.SAMPLE_BYTES)
        if len(line) > HEADER_BYTES or not line.endswith(b"\n"):
            return []  # a header of no end in sight: one piece, where the reader's limits apply
        # the head part holds the header and at least one row: a part of only a header reads as corrupt
        first = max(first, len(line))
        header = line.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n")
        delimiter = tabular.pick_delimiter(header, "\t" if kind == "tsv" else None)
        names = tuple(tabular.column_names(header, delimiter))
        if headers.headerless(header, delimiter, sample):  # as the head part's reader decides
            names = tuple(headers.positional(len(names)))
    targets = [first] + list(range(first + chunk_bytes, size, chunk_bytes))
    bounds = [0, *_line_cuts(path, size, targets, kind in ("csv", "tsv")), size]
    return [Part(kind, i, a, b, names, delimiter, b - a) for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


def _open(path: str, buffered: bool = False):
    """The file opened the one safe way (a regular file, never a FIFO or device)."""
    return open(open_regular(path), "rb", buffering=-1 if buffered else 0)


def span(parts: list[Part]) -> Part:
    """One part covering `parts` (consecutive, not the head): the rest of a file read in order."""
    first, last = parts[0], parts[-1]
    return Part(first.kind, first.index, first.start, last.end, first.names, first.delimiter,
                sum(p.nbytes for p in parts))  # fmt: skip


def _parquet_parts(path: str, chunk_bytes: int) -> list[Part]:
    """Runs of row groups of about `chunk_bytes` (compressed) each."""
    try:
        meta = parquet.metadata(path)
    except ItemError:
        return []
    parts: list[Part] = []
    first, acc = 0, 0
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        acc += sum(group.column(c).total_compressed_size for c in range(group.num_columns))
        if acc >= chunk_bytes or g == meta.num_row_groups - 1:
            parts.append(Part("parquet", len(parts), first, g + 1, nbytes=acc))
            first, acc = g + 1, 0
    return parts if len(parts) > 1 else []


def read_part(path: str, part: Part, result: ItemResult, limits: Limits = DEFAULT_LIMITS) -> Iterator[Batch]:
    """Batches of one part; `result` gets its bytes and records only. `limits`: the scan's caps."""
    if part.kind == "parquet":
        if part.head:
            result.bytes = os.path.getsize(path)
        yield from parquet.read_parquet(path, result, row_groups=range(part.start, part.end), limits=limits)
        return
    guarded = GuardedStream(RangeReader(path, part.start, part.end), result)
    stream = io.BufferedReader(guarded, 1 << 20)
    try:
        if part.kind == "text":
            yield from text.read_text(stream, result, strip_bom=part.head)
        elif part.head:
            yield from tabular.read_csv(stream, result, part.delimiter, limits=limits)
        else:
            yield from tabular.read_csv(stream, result, part.delimiter, names=list(part.names), limits=limits)
    finally:
        result.bytes = guarded.bytes_read
        stream.close()
