"""Rebuild the derived test files (gzip, Parquet, broken ones) from the text ones here.

python tests/make_data.py
"""

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent / "data"
FILES, BAD = HERE / "files", HERE / "bad"

ORDERS = {
    "order_id": ["SO-1", "SO-2", "SO-3", "SO-4"],
    "buyer": ["Maria Gonzalez", "Daniel Okafor", "Priya Raman", "Thomas Becker"],
    "contact": [{"email": "maria.gonzalez@example.com"}, {"email": "d.okafor@example.net"},
                {"email": "priya.raman@example.org"}, {"email": "tbecker@example.de"}],
    "ssn_number": [536904399, 412573310, 289467702, 601338215],
    "amount": [19.99, 250.0, 75.5, 10.0],
    "sku": ["SKU-1001", "SKU-2002", "SKU-3003", "SKU-4004"],
}  # fmt: skip


def main() -> None:
    pq.write_table(pa.table(ORDERS), FILES / "orders.parquet")
    for name in ("notes.txt", "events.ndjson"):
        (FILES / f"{name}.gz").write_bytes(gzip.compress((FILES / name).read_bytes(), mtime=0))
    # A gzip cut short in the middle of its deflate stream: the head is still readable.
    lines = [json.dumps({"row": i, "email": f"user{i}@example.com"}) for i in range(2000)]
    blob = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    (BAD / "truncated.ndjson.gz").write_bytes(blob[: len(blob) // 2])
    # A Parquet file whose footer metadata is overwritten (magic and length intact).
    good = (FILES / "orders.parquet").read_bytes()
    footer = int.from_bytes(good[-8:-4], "little")
    (BAD / "corrupt.parquet").write_bytes(good[: -8 - footer] + b"\xff" * footer + good[-8:])
    (BAD / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (BAD / "archive.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    (BAD / "invalid_utf8.txt").write_bytes(b"caf\xe9 order for Ana Torres\ncontact: ana.torres@example.com \xff\xfe\n")


if __name__ == "__main__":
    main()
