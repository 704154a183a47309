"""A local Parquet file is read in batches of about BATCH_BYTES of column data, whatever its width."""

import pyarrow as pa
import pyarrow.parquet as pq

from pdscan.connectors.formats import parquet
from pdscan.core.model import ItemResult


def _write(path, width: int, rows: int) -> None:
    values = pa.array([f"{i:0{width}d}" for i in range(rows)])
    pq.write_table(pa.table({"note": values, "id": pa.array(range(rows))}), path, row_group_size=rows // 4)


def _batches(path) -> list[int]:
    """Rows of each batch of the `note` column, read as a file is (from its path)."""
    result = ItemResult("test", str(path))
    rows = [len(b.values) for b in parquet.read_parquet(str(path), result) if b.field == "note"]
    assert result.records == sum(rows)
    return rows


def test_narrow_rows_come_in_one_batch_across_row_groups(tmp_path):
    path = tmp_path / "narrow.parquet"
    _write(path, 10, 200_000)  # about 4 MB of column data in 4 row groups
    assert _batches(path) == [200_000]


def test_wide_rows_come_in_batches_of_about_the_byte_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet, "BATCH_BYTES", 1 << 20)
    path = tmp_path / "wide.parquet"
    _write(path, 1_000, 8_000)  # about 8 MB of column data
    rows = _batches(path)
    assert sum(rows) == 8_000 and len(rows) >= 7
    assert max(rows) * 1_000 <= 1.2 * (1 << 20)  # a batch's text stays near the budget


def test_a_file_object_keeps_stream_sized_batches(tmp_path):
    path = tmp_path / "narrow.parquet"
    _write(path, 10, 200_000)
    with open(path, "rb") as fh:
        rows = [len(b.values) for b in parquet.read_parquet(fh, ItemResult("test", str(path))) if b.field == "note"]
    assert max(rows) == parquet.STREAM_ROWS and sum(rows) == 200_000
