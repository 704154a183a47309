"""Rows of a table as string batches per column: numbers as digits, JSON by field path, arrays flattened."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pdscan.connectors.base import Batch
from pdscan.connectors.formats.jsonfmt import flatten


def _number(value: float | Decimal) -> str:
    """Whole numbers without a fraction: an SSN in a NUMERIC(9,2) or a card number in a float."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def _looks_json(value: str) -> bool:
    return len(value) > 1 and value[0] in "{[" and value[-1] == ("}" if value[0] == "{" else "]")


def _json_cells(name: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)  # MySQL hands JSON over as text
        except ValueError:
            yield name, value
            return
    for path, text in flatten(value):
        yield f"{name}.{path}", text


def cells(name: str, value: Any, is_json: bool = False) -> Iterator[tuple[str, str]]:
    """(field, text) for one database value; nothing for NULL, booleans and bytes."""
    if value is None or isinstance(value, (bool, bytes, bytearray, memoryview)):
        return
    if is_json or isinstance(value, dict):
        yield from _json_cells(name, value)
    elif isinstance(value, str):
        if _looks_json(value):  # JSON kept in a text column (MariaDB's JSON type is LONGTEXT)
            yield from _json_cells(name, value)
        elif value:
            yield name, value
    elif isinstance(value, int):
        yield name, str(value)
    elif isinstance(value, (float, Decimal)):
        yield name, _number(value)
    elif isinstance(value, (list, tuple)):
        for element in value:  # arrays: every element is a cell of the column
            yield from cells(name, element)
    elif isinstance(value, (datetime, date, time, timedelta, uuid.UUID)):
        yield name, str(value)
    else:
        yield name, str(value)


def _vectorized(values: list) -> pa.Array | None:
    """The column as strings in one Arrow call when it holds only text or only integers, else None."""
    kinds = {type(v) for v in values}
    kinds.discard(type(None))
    try:
        if kinds <= {str}:
            array = pa.array(values, pa.string())
            looks_json = pc.or_(pc.starts_with(array, "{"), pc.starts_with(array, "["))
            return None if pc.any(looks_json).as_py() else array
        if kinds <= {int}:
            return pa.array(values, pa.int64()).cast(pa.string())
    except (pa.ArrowInvalid, OverflowError):
        pass  # integers past int64
    return None


def _batch(fld: str, values: pa.Array, index: np.ndarray, first: int, keys: list | None) -> Batch:
    return Batch(
        values=values,
        field=fld,
        tabular=True,
        rows=index + first,
        row_keys=[keys[j] for j in index] if keys is not None else None,
    )


def to_batches(
    names: Sequence[str], json_columns: set[int], rows: Sequence[Sequence], first: int, keys: list | None
) -> Iterator[Batch]:
    """One batch per field for these rows; `first` is the index of rows[0] in the table's read."""
    for i, name in enumerate(names):
        column = [row[i] for row in rows]
        array = None if i in json_columns else _vectorized(column)
        if array is not None:  # the common case: NULLs and empty strings dropped in Arrow
            keep = pc.fill_null(pc.greater(pc.utf8_length(array), 0), False)
            index = np.flatnonzero(keep.to_numpy(zero_copy_only=False))
            if len(index):
                yield _batch(name, array.filter(keep), index, first, keys)
            continue
        fields: dict[str, tuple[list[str], list[int]]] = {}
        for r, value in enumerate(column):
            for fld, text in cells(name, value, i in json_columns):
                entry = fields.setdefault(fld, ([], []))
                entry[0].append(text)
                entry[1].append(r)
        for fld, (values, index) in fields.items():
            yield _batch(fld, pa.array(values, pa.string()), np.asarray(index, dtype=np.int64), first, keys)


def batch_bytes(batch: Batch) -> int:
    return int(pc.sum(pc.binary_length(batch.values)).as_py() or 0)


def json_safe(value: Any) -> Any:
    """A key value as it can go into JSON output."""
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def row_keys(info, row_id: str | None, chunk, width: int) -> list | None:
    """The key of each row of `chunk` (a table's TableInfo): primary-key values, else the row id."""
    if info.key:
        at = [info.columns.index(k) for k in info.key if k in info.columns]
        if len(at) != len(info.key):
            return None  # a binary key column: not read
        if len(at) == 1:
            return [json_safe(row[at[0]]) for row in chunk]
        return [{k: json_safe(row[i]) for k, i in zip(info.key, at)} for row in chunk]
    if row_id:
        return [json_safe(row[width]) for row in chunk]
    return None
