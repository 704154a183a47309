"""JSON documents and NDJSON: every scalar under its field path (`$.user.email`).

A document is streamed (ijson's C parser), never loaded whole: memory stays bounded by the batch
size whatever its size, and the caps of `limits` hold (values per document: `too_large`; nesting:
`too_deep`, the deeper part skipped and the rest read). An NDJSON line is a document of its own: a
line that is too deep, too long or not JSON costs that line only.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from typing import Any

import ijson
import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch
from pdscan.connectors.formats.text import iter_lines
from pdscan.connectors.limits import DEFAULT as DEFAULT_LIMITS
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

FLUSH_VALUES = 1 << 18  # values held before they go out as batches (a document of any size)
PARSE_BUFFER = 1 << 16
FAST_DEPTH = 256  # up to this depth cap an NDJSON line is parsed by json.loads (C) and walked recursively
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BOM = b"\xef\xbb\xbf"
_DIGITS = b"0123456789"


@lru_cache(maxsize=1 << 14)  # the same few keys on every line of every file
def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if _PLAIN_KEY.match(key) else f"{path}[{json.dumps(key)}]"


def flatten(value: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(field path, text) for every string or integer; list positions collapse to [*]."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from flatten(child, _child(path, str(key)))
    elif isinstance(value, list):
        for child in value:
            yield from flatten(child, f"{path}[*]")
    elif isinstance(value, str):
        if value:
            yield path, value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, str(value)


class _TooMany(Exception):
    """A document holds more values than limits.json_elements (`records` of it were started)."""

    def __init__(self, records: int) -> None:
        super().__init__(records)
        self.records = records


class _Columns:
    """Collects values into per-field columns with their rows and lines; counts what the caps cut."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.fields: dict[str, tuple[list[str], list[int], list[int]]] = {}
        self.limits = limits
        self.deep = 0  # containers skipped for being nested deeper than limits.json_depth
        self.records = 0  # records `walk` has started (kept when a parse error stops it)
        self.flushed = False  # `walk` handed out batches before the document ended

    def add(self, record: Any, row: int, line: int | None, path: str = "$", depth: int = 0) -> None:
        """A parsed record (json.loads); containers deeper than the cap are skipped."""
        kind = type(record)
        if kind is dict or kind is list:
            depth += 1
            if depth > self.limits.json_depth:
                self.deep += 1
                return
            if kind is list:
                path = f"{path}[*]"
                for child in record:
                    self.add(child, row, line, path, depth)
                return
            for key, child in record.items():
                kind = type(child)
                if kind is str:
                    if child:
                        self._put(_child(path, key), child, row, line)
                elif kind is int:
                    self._put(_child(path, key), str(child), row, line)
                elif kind is dict or kind is list:
                    self.add(child, row, line, _child(path, key), depth)
        elif kind is str:
            if record:
                self._put(path, record, row, line)
        elif kind is int:
            self._put(path, str(record), row, line)

    def walk(self, events, row: int, line: int | None, records_array: bool) -> Iterator[Batch]:
        """Parse events of one document into columns, flushing batches as they fill.

        Returns the number of records (the elements of a top-level array if `records_array`, else 1).
        Raises _TooMany past limits.json_elements; a parse error propagates (values before it are kept).
        The loop is inlined (one pass per parse event is where the time goes).
        """
        child, max_depth, budget = _child, self.limits.json_depth, self.limits.json_elements
        events = iter(events)
        first = next(events, None)
        if first is None:
            return 0
        # open containers: (is a map, its path | its elements' path); `top` is the innermost one's
        stack: list[tuple[bool, str]] = []
        here, top, in_map, depth, record_depth, records, n = "$", "$", False, 0, 0, 0, 0
        if records_array and first[0] == "start_array":
            stack.append((False, "$"))  # the top-level array is the list of records: no [*]
            depth = record_depth = 1
        else:
            events = chain((first,), events)
        fields, at, flush = self.fields, row, FLUSH_VALUES
        for event, value in events:
            if event == "map_key":
                here = child(top, value)
                continue
            if event == "end_map" or event == "end_array":
                depth -= 1
                stack.pop()
                if stack:
                    in_map, top = stack[-1]
                    if not in_map:
                        here = top
                continue
            n += 1
            if n > budget:
                raise _TooMany(records)
            if depth == record_depth:
                at = row + records
                records += 1
                self.records = records
            if event == "string":
                if not value:
                    continue
            elif event == "number":
                if type(value) is not int:
                    continue
                value = str(value)
            elif event == "start_map" or event == "start_array":
                if depth >= max_depth:
                    self.deep += 1
                    _skip(events)
                    continue
                depth += 1
                in_map = event == "start_map"
                if not in_map:
                    here = f"{here}[*]"
                top = here
                stack.append((in_map, here))
                continue
            else:
                continue  # null, true, false
            column = fields.get(here)
            if column is None:
                column = fields[here] = ([], [], [])
            column[0].append(value)
            column[1].append(at)
            if line is not None:
                column[2].append(line)
            if n >= flush:
                self.flushed = True
                yield from self.batches()
                fields, flush = self.fields, n + FLUSH_VALUES
        return records

    def _put(self, path: str, text: str, row: int, line: int | None) -> None:
        column = self.fields.get(path)
        if column is None:
            column = self.fields[path] = ([], [], [])
        column[0].append(text)
        column[1].append(row)
        if line is not None:
            column[2].append(line)

    def batches(self) -> Iterator[Batch]:
        fields, self.fields = self.fields, {}
        for path, (values, rows, lines) in fields.items():
            yield Batch(
                values=pa.array(values, pa.string()),
                field=path,
                tabular=True,
                rows=np.array(rows),
                lines=np.array(lines) if lines else None,
            )

    def report(self, result: ItemResult) -> None:
        if self.deep:
            result.partial(
                "too_deep", f"{self.deep} parts nested deeper than {self.limits.json_depth} levels were skipped"
            )


def _skip(events) -> None:
    """Consume the events of the container just opened, up to its end."""
    nest = 1
    for event, _ in events:
        if event == "start_map" or event == "start_array":
            nest += 1
        elif event == "end_map" or event == "end_array":
            nest -= 1
            if not nest:
                return


class _ShortDigits:
    """The stream with every run of digits cut to MAX_DIGITS (a string keeps its start, a number too).

    Python refuses to convert an integer of more digits than sys.get_int_max_str_digits(), and
    ijson's C backend crashes the process on that refusal: a longer run never reaches it.
    """

    MAX_DIGITS = 4000
    _RUN = re.compile(rb"[0-9]{%d,}" % (MAX_DIGITS + 1))

    def __init__(self, stream) -> None:
        self._stream = stream
        self._tail = 0  # digits that ended what was handed out so far

    def read(self, n: int = -1) -> bytes:
        while data := self._stream.read(n):
            if self._tail:  # the run that ended the last read goes on: only what is under the cut stays
                keep = max(0, self.MAX_DIGITS - self._tail)
                lead = len(data) - len(data.lstrip(_DIGITS))
                if lead == len(data):
                    data = data[:keep]
                    self._tail += len(data)
                    if not data:
                        continue  # an empty read would say end of stream
                    return data
                data = data[: min(keep, lead)] + data[lead:]
            data = self._RUN.sub(lambda m: m[0][: self.MAX_DIGITS], data)
            self._tail = len(data) - len(data.rstrip(_DIGITS))
            return data
        return data


class _NonFinite:
    """The stream with bare NaN, Infinity and -Infinity values read as null.

    Python's json (and so most JSON written by Python tools) writes them and json.loads reads them;
    yajl refuses them, which would make such a document `corrupt`. Only a token standing as a value
    (after `[`, `:` or `,`, before `,`, `]` or `}`) is replaced; the word inside a string with the
    same punctuation around it reads as "null" there, which no detector looks for. A letter run at
    the end of a read is held back for the next, so a token is never cut in two.
    """

    _TOKEN = re.compile(rb"([\[:,]\s*)(?:-?Infinity|NaN)(?=\s*[,\]}])")
    _TRAIL = re.compile(rb"[\[:,]\s*-?[A-Za-z]{0,8}$")

    def __init__(self, stream) -> None:
        self._stream = stream
        self._held = b""

    def read(self, n: int = -1) -> bytes:
        while True:
            more = self._stream.read(n)
            data, self._held = self._TOKEN.sub(rb"\1null", self._held + more), b""
            if not more:  # the end: what was held goes out as it is
                return data
            trail = self._TRAIL.search(data, max(0, len(data) - 40))
            if trail:  # a value that may go on in the next read waits for it
                data, self._held = data[: trail.start()], data[trail.start() :]
            if data:
                return data


def _digits_guard(stream):
    return _ShortDigits(stream) if sys.get_int_max_str_digits() else stream


def _events(stream):
    return ijson.basic_parse(_NonFinite(_digits_guard(stream)), buf_size=PARSE_BUFFER)


def _parse_failed(exc: Exception) -> bool:
    """An error of the parser (bad JSON, a number Python will not convert), not of the stream."""
    return not isinstance(exc, OSError) and isinstance(exc, (ijson.JSONError, ValueError, ArithmeticError, SystemError))


def read_ndjson(stream, result: ItemResult, limits: Limits = DEFAULT_LIMITS) -> Iterator[Batch]:
    row = bad = too_long = 0
    columns = _Columns(limits)
    fast = limits.json_depth <= FAST_DEPTH  # json.loads + a recursion no deeper than the cap
    for line_no, _col, lines in iter_lines(stream, result, max_line=limits.line_bytes):
        for i, line in enumerate(lines):
            if line is None or len(line) > limits.line_bytes:
                too_long += 1
                continue
            if not line.strip():
                continue
            if fast:
                try:
                    columns.add(json.loads(line), row, line_no + i)
                    row += 1
                    continue
                except RecursionError:
                    pass  # nested past what Python recurses: the streaming walker skips the deep part
                except ValueError:
                    bad += 1
                    continue
            try:
                yield from columns.walk(_events(io.BytesIO(line.encode("utf-8"))), row, line_no + i, False)
                row += 1
            except _TooMany:
                row += 1
                result.partial("too_large", f"a line with over {limits.json_elements} values was cut there")
            except Exception as exc:
                if not _parse_failed(exc):
                    raise
                bad += 1
        result.records = row
        yield from columns.batches()
    columns.report(result)
    if bad:
        result.partial("malformed_rows", f"{bad} lines that are not valid JSON were skipped")
    if too_long:
        result.partial("line_too_long", f"{too_long} lines over {limits.line_bytes >> 20} MB were skipped")


def read_json(stream, result: ItemResult, limits: Limits = DEFAULT_LIMITS) -> Iterator[Batch]:
    """One document, streamed; a top-level array is the list of records. Blank is empty, not corrupt."""
    if not _skip_blank(stream):
        return
    columns = _Columns(limits)
    try:
        result.records = yield from columns.walk(_events(stream), 0, None, True)
    except _TooMany as stop:
        result.records = stop.records
        result.partial("too_large", f"over {limits.json_elements} values in one document: the rest was not read")
    except Exception as exc:
        if not _parse_failed(exc):
            raise
        if not columns.flushed:  # as json.loads was: a document that does not parse is not read
            raise ItemError("corrupt", f"invalid JSON (in record {max(columns.records, 1)})") from None
        result.records = columns.records
        result.partial("corrupt", f"invalid JSON after {columns.records} records: the rest was not read")
    yield from columns.batches()
    columns.report(result)


def _skip_blank(stream) -> bool:
    """Read past a BOM and leading whitespace; False if that is all there is (an empty document)."""
    if stream.peek(len(_BOM))[: len(_BOM)] == _BOM:
        stream.read(len(_BOM))
    while head := stream.peek(PARSE_BUFFER):
        blank = len(head) - len(head.lstrip())
        if blank < len(head):
            stream.read(blank)
            return True
        stream.read(len(head))
    return False


def looks_like_ndjson(head: bytes) -> bool:
    """Two or more lines that each parse as a JSON object."""
    lines = [ln for ln in head.split(b"\n")[:-1] if ln.strip()]  # the last may be cut
    if len(lines) < 2:
        return False
    try:
        return all(isinstance(json.loads(ln), dict) for ln in lines[:5])
    except (ValueError, RecursionError):
        return False
