"""Which reader a stream needs: the registered format sniffing it best (pdscan.connectors.formats.base),
its first bytes before its name; formats this version does not open are named."""

from __future__ import annotations

from pdscan.connectors.formats.base import CERTAIN, Format, best, by_name
from pdscan.connectors.formats.readers import PARQUET_MAGIC, extension
from pdscan.core.errors import ItemError

__all__ = ["GZIP_MAGIC", "PARQUET_MAGIC", "SNIFF_BYTES", "detect", "detect_format", "extension", "is_binary"]

SNIFF_BYTES = 64 << 10
PARQUET_EXTENSIONS = (".parquet", ".pq")

# Magic numbers of formats this version does not open: say what they are.
MAGIC = (
    (b"PK\x03\x04", "zip archive"),
    (b"%PDF", "PDF document"),
    (b"GIF8", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database (scan it as sqlite:///PATH)"),
    (b"\xd0\xcf\x11\xe0", "OLE document (legacy Office)"),
)
GZIP_MAGIC = b"\x1f\x8b"
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27, 8))  # deleted: controls remain


def is_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = len(head.translate(None, _NOT_CONTROL))  # in C: a generator over 64 KB took 4 ms
    return controls / len(head) > 0.1


def detect(name: str, head: bytes) -> str:
    """The name of the registered format to read with (text, csv, tsv, json, ndjson, parquet, or a
    plugin's); raise ItemError for anything no format opens."""
    return detect_format(name, head).name


def detect_format(name: str, head: bytes) -> Format:
    """The registered format to read with; raise ItemError for anything no format opens."""
    fmt, score = best(head, name)
    if fmt is not None and score >= CERTAIN:
        return fmt
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise ItemError("unsupported_format", what)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ItemError("unsupported_encoding", "UTF-16 text")
    if is_binary(head):
        raise ItemError("binary", "binary content of an unknown format")
    if extension(name) in PARQUET_EXTENSIONS:
        raise ItemError("corrupt", "named .parquet but lacks the Parquet magic bytes")
    return fmt if fmt is not None else by_name("text")
