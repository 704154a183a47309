"""Plain text and logs: lines, read in bounded chunks."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch, decode_utf8
from pdscan.model import ItemResult

CHUNK = 4 << 20  # bytes read at a time
MAX_PIECE = 8 << 20  # a line longer than this is scanned in pieces of about this size


def _utf8_boundary(data: bytes, at: int) -> int:
    """The largest cut <= at that does not split a UTF-8 sequence."""
    if at >= len(data):
        return len(data)
    while at > 0 and (data[at] & 0xC0) == 0x80:
        at -= 1
    return at


def iter_lines(stream, result: ItemResult, strip_bom: bool = True) -> Iterator[tuple[int, int, list[str]]]:
    """(first line number, column offset of the first line, lines) chunk by chunk.

    Memory stays bounded whatever the file size or line length.
    """
    line_no = 1
    col = 0
    carry = b""
    first = True
    while True:
        block = stream.read(CHUNK)
        if not block:
            break
        data = carry + block
        if first and strip_bom and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        first = False
        cut = data.rfind(b"\n")
        if cut == -1:
            if len(data) < MAX_PIECE:
                carry = data
                continue
            cut = _utf8_boundary(data, MAX_PIECE)
            piece = decode_utf8(data[:cut], result)
            yield line_no, col, [piece]
            col += len(piece)
            carry = data[cut:]
            continue
        text = decode_utf8(data[:cut], result)
        carry = data[cut + 1 :]
        lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        yield line_no, col, lines
        line_no += len(lines)
        col = 0
    if carry:
        text = decode_utf8(carry, result)
        yield line_no, col, [text[:-1] if text.endswith("\r") else text]


def read_text(stream, result: ItemResult, strip_bom: bool = True) -> Iterator[Batch]:
    for line_no, col, lines in iter_lines(stream, result, strip_bom):
        n = len(lines)
        result.records += n
        offsets = np.zeros(n, dtype=np.int64)
        offsets[0] = col
        yield Batch(
            values=pa.array(lines, pa.string()),
            lines=np.arange(line_no, line_no + n),
            offsets=offsets,
        )
