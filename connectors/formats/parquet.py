"""Parquet through pyarrow: row batches, nested columns flattened to dotted paths."""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pdscan.connectors.base import Batch, to_strings
from pdscan.connectors.limits import DEFAULT as DEFAULT_LIMITS
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

# Rows per batch of a local file: about this many bytes of column data (the CSV reader's block), so
# each prefilter call over a column covers as much as it does for CSV (pyarrow compiles the gates per
# call). A file object (an S3 object read by ranges, maybe under a byte budget) keeps batches of
# STREAM_ROWS, so a batch rarely needs the ranges of a second row group before it is scanned.
BATCH_BYTES = 16 << 20
MIN_ROWS, MAX_ROWS, STREAM_ROWS = 1_024, 1_048_576, 65_536


def _string_columns(name: str, values: pa.Array, rows: np.ndarray, result: ItemResult):
    """(field, strings, rows) for the text-bearing leaves of one column."""
    t = values.type
    if pa.types.is_dictionary(t):
        yield from _string_columns(name, values.dictionary_decode(), rows, result)
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        yield name, values.cast(pa.string()), rows
    elif pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        yield name, to_strings(values.cast(pa.binary()), result), rows
    elif pa.types.is_integer(t) or pa.types.is_decimal(t):
        # identifiers such as SSNs and card numbers are often stored as numbers
        yield name, values.cast(pa.string()), rows
    elif pa.types.is_struct(t):
        for i in range(t.num_fields):
            yield from _string_columns(f"{name}.{t.field(i).name}", pc.struct_field(values, i), rows, result)
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        parents = pc.list_parent_indices(values).to_numpy()
        yield from _string_columns(f"{name}[*]", pc.list_flatten(values), rows[parents], result)
    # floats, booleans, dates and times hold nothing these detectors look for


def size_of(source) -> int:
    """Bytes of a Parquet source given as a path or a seekable file."""
    if isinstance(source, str):
        return os.path.getsize(source)
    return source.seek(0, os.SEEK_END)


def _open(source) -> pq.ParquetFile:
    try:
        # A file object is read row group by row group; pre-buffering would fetch it whole.
        return pq.ParquetFile(source, pre_buffer=isinstance(source, str))
    except (pa.ArrowInvalid, pa.ArrowException, OSError):
        raise ItemError("corrupt", "not a readable Parquet file (bad footer or metadata)") from None


def metadata(path: str) -> pq.FileMetaData:
    return _open(path).metadata


def _batch_rows(meta: pq.FileMetaData) -> int:
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))  # uncompressed
    per_row = max(1, size // max(1, meta.num_rows))
    return min(MAX_ROWS, max(MIN_ROWS, BATCH_BYTES // per_row))


def read_parquet(source, result: ItemResult, row_groups=None, limits: Limits = DEFAULT_LIMITS) -> Iterator[Batch]:
    """`source` is a path or a seekable binary file; `row_groups` a range of them (default all).

    Only the first `limits.columns` top-level columns are read (`too_many_columns` beyond).
    """
    parquet = _open(source)
    row = 0
    groups = None if row_groups is None else list(row_groups)
    rows_per_batch = _batch_rows(parquet.metadata) if isinstance(source, str) else STREAM_ROWS
    names = parquet.schema_arrow.names
    columns = None
    if len(names) > limits.columns:
        columns = names[: limits.columns]
        result.partial("too_many_columns", f"{len(names)} columns: only the first {limits.columns} were read")
    batches = parquet.iter_batches(batch_size=rows_per_batch, row_groups=groups, columns=columns)
    while True:
        try:
            record_batch = next(batches)
        except StopIteration:
            break
        except (pa.ArrowInvalid, pa.ArrowException, OSError):
            raise ItemError("corrupt", f"the data could not be decoded after {row} rows") from None
        n = record_batch.num_rows
        rows = np.arange(row, row + n)
        for name, column in zip(record_batch.schema.names, record_batch.columns):
            for field, strings, field_rows in _string_columns(name, column, rows, result):
                yield Batch(values=strings, field=field, tabular=True, rows=field_rows)
        row += n
        result.records += n
