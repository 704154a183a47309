"""JSON documents and NDJSON: every scalar under its field path (`$.user.email`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch, decode_utf8
from pdscan.connectors.formats.text import iter_lines
from pdscan.model import ItemError, ItemResult

MAX_JSON_DOCUMENT = 256 << 20  # a single document is parsed whole; NDJSON streams
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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


class _Columns:
    """Collects flattened records into per-field columns with their rows and lines."""

    def __init__(self) -> None:
        self.fields: dict[str, tuple[list[str], list[int], list[int]]] = {}

    def add(self, record: Any, row: int, line: int | None, path: str = "$") -> None:
        """As `flatten`, without a generator per value (a record of scalars is one loop)."""
        if type(record) is not dict:
            for at, text in flatten(record, path):
                self._put(at, text, row, line)
            return
        for key, child in record.items():
            kind = type(child)
            if kind is str:
                if child:
                    self._put(_child(path, key), child, row, line)
            elif kind is int:
                self._put(_child(path, key), str(child), row, line)
            elif kind is dict or kind is list:
                self.add(child, row, line, _child(path, key))
            elif isinstance(child, int) and not isinstance(child, bool):  # an int subclass: as flatten does
                self._put(_child(path, key), str(child), row, line)

    def _put(self, path: str, text: str, row: int, line: int | None) -> None:
        column = self.fields.get(path)
        if column is None:
            column = self.fields[path] = ([], [], [])
        column[0].append(text)
        column[1].append(row)
        if line is not None:
            column[2].append(line)

    def batches(self) -> Iterator[Batch]:
        for path, (values, rows, lines) in self.fields.items():
            yield Batch(
                values=pa.array(values, pa.string()),
                field=path,
                tabular=True,
                rows=np.array(rows),
                lines=np.array(lines) if lines else None,
            )
        self.fields = {}


def read_ndjson(stream, result: ItemResult) -> Iterator[Batch]:
    row = 0
    bad = 0
    for line_no, _col, lines in iter_lines(stream, result):
        columns = _Columns()
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                bad += 1
                continue
            columns.add(record, row, line_no + i)
            row += 1
        result.records = row
        yield from columns.batches()
    if bad:
        result.partial("malformed_rows", f"{bad} lines that are not valid JSON were skipped")


def read_json(stream, result: ItemResult) -> Iterator[Batch]:
    data = stream.read(MAX_JSON_DOCUMENT + 1)
    if len(data) > MAX_JSON_DOCUMENT:
        raise ItemError("too_large", f"a JSON document over {MAX_JSON_DOCUMENT >> 20} MB (use NDJSON)")
    try:
        document = json.loads(decode_utf8(data, result).lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ItemError("corrupt", f"invalid JSON at line {exc.lineno} column {exc.colno}") from None
    records = document if isinstance(document, list) else [document]
    columns = _Columns()
    for row, record in enumerate(records):
        columns.add(record, row, None)
    result.records = len(records)
    yield from columns.batches()


def looks_like_ndjson(head: bytes) -> bool:
    """Two or more lines that each parse as a JSON object."""
    lines = [ln for ln in head.split(b"\n")[:-1] if ln.strip()]  # the last may be cut
    if len(lines) < 2:
        return False
    try:
        return all(isinstance(json.loads(ln), dict) for ln in lines[:5])
    except ValueError:
        return False
