"""Is a CSV's first line its header or its first record? A headerless file's first row is data.

Read as a header, a row of data becomes the field names: its values land in every finding's
location (masked there by pdscan.nameguard, but then never scanned as values) and a data subject
request never matches that row. A first line is taken for data when a cell looks like a value
(an e-mail, digits with separators: an SSN, a phone, a date, a long number) and the standard
library's header sniffer, run on the first rows with the reader's delimiter, finds no header.
Both are needed: `id,2019,2020` over numbers fools the sniffer, and a header cell may hold `@`.
"""

from __future__ import annotations

import csv
import io
import re

SAMPLE_BYTES = 64 << 10  # of the rows after the first line, for the sniffer
SAMPLE_ROWS = 20  # what csv.Sniffer.has_header looks at
BOM = b"\xef\xbb\xbf"
# a value, not a name: an e-mail, digits with separators (SSN, phone, date, card), a long number
# (a digit run inside a word, `q10001` or `v1.2`, is a name's)
_VALUE = re.compile(r"@|(?<![A-Za-z_])(?:\d[\d ]*[-./:]\s*\d|\d{5,})(?![A-Za-z_])")


def looks_like_value(cell: str) -> bool:
    return bool(_VALUE.search(cell))


def headerless(header: str, delimiter: str, sample: bytes) -> bool:
    """True when `header` (the first line, decoded) is a record: the rows after it in `sample`."""
    cells = next(csv.reader([header], delimiter=delimiter), [])
    if not any(looks_like_value(c) for c in cells):
        return False
    lines = sample.decode("utf-8", "replace").splitlines()
    if lines and not sample.endswith((b"\n", b"\r")):
        lines.pop()  # cut short by the sample's end
    lines = lines[:SAMPLE_ROWS]
    if not lines:  # a one-line file: the value-like cell decides; a row longer than the sample: no telling
        return not sample

    return not _sniffer(delimiter).has_header("\n".join([header, *lines]))


def positional(count: int) -> list[str]:
    """The names of a headerless file's columns."""
    return [f"column_{i + 1}" for i in range(count)]


def replayed(line: bytes, rest) -> io.BufferedReader:
    """A stream that reads `line` (the first record, already read as a header) again, then `rest`."""
    return io.BufferedReader(_Replayed(line.removeprefix(BOM), rest), 1 << 20)


def _sniffer(delimiter: str) -> csv.Sniffer:
    """csv.Sniffer with the reader's delimiter (its own guess may differ on a few rows)."""

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    sniffer = csv.Sniffer()
    sniffer.sniff = lambda sample, delimiters=None: Dialect
    return sniffer


class _Replayed(io.RawIOBase):
    def __init__(self, head: bytes, rest):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        return self._rest.readinto(buffer)  # `rest` is the caller's to close
