"""The streams archive members are read through: the errors an archive's structure or a member's
bytes raise (`DAMAGE`: a member is inflated within the caps by pdscan.connectors.streams.Unpacking,
given these), the sniffed head put back, a zip or 7z inside an archive copied to a private temp file."""

from __future__ import annotations

import io
import lzma
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import py7zr.exceptions

from pdscan.connectors import streams
from pdscan.connectors.limits import Limits
from pdscan.connectors.streams import Damaged, Unpacked
from pdscan.core.errors import ItemError

__all__ = ["DAMAGE", "DAMAGE_7Z", "Damaged", "Prefixed", "Unpacking", "spooled"]

MB = 1 << 20
SPOOL_IN_MEMORY = 8 << 20
DAMAGE_7Z = (py7zr.exceptions.Bad7zFile, py7zr.exceptions.CrcError, py7zr.exceptions.DecompressionError)
DAMAGE = (zipfile.BadZipFile, tarfile.TarError, lzma.LZMAError, zlib.error, ValueError, OSError, *DAMAGE_7Z)


class Unpacking(streams.Unpacking):
    """An archive member's (or a compressed tar's) bytes within the caps; the archive libraries'
    errors are `Damaged` too."""

    def __init__(
        self, raw, packed: Callable[[], int] | None, limits: Limits, total: Unpacked, budget: Unpacked, step=MB
    ):
        super().__init__(raw, packed, limits, total, budget, step, damage=DAMAGE)


class Prefixed(io.RawIOBase):
    """`head` (already read) and then the rest of `raw`."""

    def __init__(self, head: bytes, raw):
        self._head, self._raw = head, raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def spooled(stream, limits: Limits, head: bytes = b"") -> Iterator:
    """`head` and the rest of `stream` in a private temp file (memory up to SPOOL_IN_MEMORY), at most limits.temp_bytes."""
    with tempfile.TemporaryDirectory(prefix="pdscan-") as folder:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=folder) as spool:
            spool.write(head)
            written = len(head)
            while chunk := stream.read(MB):
                written += len(chunk)
                if written > limits.temp_bytes:
                    raise ItemError(
                        "too_large", f"a zip inside an archive over limits.temp_bytes ({limits.temp_bytes >> 20} MB)"
                    )
                spool.write(chunk)
            spool.seek(0)
            yield spool
