"""CSV/TSV through pyarrow's streaming reader, every column read as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from pdscan.connectors.base import Batch, decode_utf8, to_strings
from pdscan.connectors.formats import headers
from pdscan.connectors.limits import DEFAULT as DEFAULT_LIMITS
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

BLOCK = 16 << 20
DELIMITERS = (",", "\t", ";", "|")


def pick_delimiter(header: str, hint: str | None) -> str:
    if hint:
        return hint
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def column_names(header: str, delimiter: str) -> list[str]:
    return unique_names(next(csv.reader([header], delimiter=delimiter), []))


def unique_names(header: list[str]) -> list[str]:
    """Column names as a CSV header gives them: blank ones numbered, repeats suffixed (a sheet's too)."""
    names: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        name = name.strip() or f"column_{i + 1}"
        base, k = name, 2
        while name in seen:
            name, k = f"{base}_{k}", k + 1
        seen.add(name)
        names.append(name)
    return names


def read_csv(
    stream,
    result: ItemResult,
    delimiter: str | None = None,
    names: list[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Batch]:
    """Header-aware: the column name becomes each value's field and a detector hint.

    With `names` (a later part of a split file) the stream has no header line. Only the first
    `limits.columns` columns are read (each column is a field with state of its own downstream).
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream, 1 << 20)
    if names is None:
        raw = buffered.readline(limits.line_bytes + 1)
        if len(raw) > limits.line_bytes and not raw.endswith(b"\n"):
            raise ItemError("line_too_long", f"the header line is over {limits.line_bytes >> 20} MB")
        header = decode_utf8(raw, result).lstrip("\ufeff").rstrip("\r\n")
        if not header.strip():
            return
        delimiter = pick_delimiter(header, delimiter)
        try:
            names = column_names(header, delimiter)
        except csv.Error:  # a bare CR or a NUL inside the header line
            raise ItemError("corrupt", "the CSV header line cannot be parsed") from None
        if headers.headerless(header, delimiter, buffered.peek(headers.SAMPLE_BYTES)[: headers.SAMPLE_BYTES]):
            names, buffered = headers.positional(len(names)), headers.replayed(raw, buffered)  # a record
    if not buffered.peek(1):
        return  # a header and no rows: complete, nothing to read
    read = names
    if len(names) > limits.columns:
        read = names[: limits.columns]
        result.partial("too_many_columns", f"{len(names)} columns: only the first {limits.columns} were read")
    invalid = 0

    def on_invalid(row) -> str:
        nonlocal invalid
        invalid += 1
        return "skip"  # never look at row.text: it is the data

    try:
        reader = pacsv.open_csv(
            buffered,
            read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(include_columns=read, column_types={n: pa.binary() for n in read}),
        )
        row = 0
        for record_batch in reader:
            n = record_batch.num_rows
            rows = np.arange(row, row + n)
            for name, column in zip(record_batch.schema.names, record_batch.columns):
                yield Batch(values=to_strings(column, result), field=name, tabular=True, rows=rows)
            row += n
            result.records += n
    except pa.ArrowInvalid:
        # pyarrow's message quotes the offending row: say what and where, not the data.
        raise ItemError("corrupt", f"CSV could not be parsed after {result.records} rows") from None
    finally:
        if invalid:
            result.partial("malformed_rows", f"{invalid} rows with the wrong number of fields were skipped")
