"""Plain text and logs: lines, read in bounded chunks."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch, decode_utf8
from pdscan.core.model import ItemResult

CHUNK = 4 << 20  # bytes read at a time
MAX_PIECE = 8 << 20  # a line longer than this is scanned in pieces of about this size


def _utf8_boundary(data: bytes, at: int) -> int:
    """The largest cut <= at that does not split a UTF-8 sequence."""
    if at >= len(data):
        return len(data)
    while at > 0 and (data[at] & 0xC0) == 0x80:
        at -= 1
    return at


def iter_lines(
    stream, result: ItemResult, strip_bom: bool = True, max_line: int | None = None
) -> Iterator[tuple[int, int, list[str | None]]]:
    """(first line number, column offset of the first line, lines) chunk by chunk.

    Memory stays bounded whatever the file size or line length: without `max_line` a line longer
    than MAX_PIECE comes in pieces (the same line number, the column offset of each piece); with it,
    a line longer than `max_line` bytes is not held at all and comes as None (NDJSON: a record
    is a whole line or nothing).
    """
    line_no = 1
    col = 0
    carry: list[bytes] = []  # the start of a line whose end is not read yet
    held = 0
    first = True
    skipping = False  # inside a line over max_line: its bytes are dropped up to its newline
    while True:
        block = stream.read(CHUNK)
        if not block:
            break
        if first and strip_bom and block.startswith(b"\xef\xbb\xbf"):
            block = block[3:]
        first = False
        if skipping:
            nl = block.find(b"\n")
            if nl == -1:
                continue
            yield line_no, 0, [None]
            line_no += 1
            skipping = False
            block = block[nl + 1 :]
        cut = block.rfind(b"\n")
        if cut == -1:
            carry.append(block)
            held += len(block)
            if max_line is not None:
                if held > max_line:
                    carry, held, skipping = [], 0, True
                continue
            if held < MAX_PIECE:
                continue
            data = b"".join(carry)
            cut = _utf8_boundary(data, MAX_PIECE)
            piece = decode_utf8(data[:cut], result)
            yield line_no, col, [piece]
            col += len(piece)
            carry, held = [data[cut:]], len(data) - cut
            continue
        data = b"".join((*carry, block[:cut])) if carry else block[:cut]
        text = decode_utf8(data, result)
        rest = block[cut + 1 :]
        carry, held = ([rest], len(rest)) if rest else ([], 0)
        lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        yield line_no, col, lines
        line_no += len(lines)
        col = 0
    if skipping:
        yield line_no, 0, [None]
    elif held:
        text = decode_utf8(b"".join(carry), result)
        yield line_no, col, [text[:-1] if text.endswith("\r") else text]


def read_text(stream, result: ItemResult, strip_bom: bool = True) -> Iterator[Batch]:
    """Lines as values; a giant line is scanned in pieces but is one record."""
    before = result.records
    for line_no, col, lines in iter_lines(stream, result, strip_bom):
        n = len(lines)
        result.records = before + line_no + n - 1
        offsets = np.zeros(n, dtype=np.int64)
        offsets[0] = col
        yield Batch(
            values=pa.array(lines, pa.string()),
            lines=np.arange(line_no, line_no + n),
            offsets=offsets,
        )
