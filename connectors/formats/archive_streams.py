"""The streams archive members are read through: inflated within the caps, a decoding error made a
`corrupt`, the sniffed head put back, a zip inside an archive copied to a private temp file."""

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

from pdscan.connectors.limits import Limits
from pdscan.connectors.streams import Bomb, Unpacked
from pdscan.core.errors import ItemError

__all__ = ["DAMAGE", "DAMAGE_7Z", "Damaged", "Prefixed", "Unpacking", "spooled"]

MB = 1 << 20
SPOOL_IN_MEMORY = 8 << 20
DAMAGE_7Z = (py7zr.exceptions.Bad7zFile, py7zr.exceptions.CrcError, py7zr.exceptions.DecompressionError)
DAMAGE = (zipfile.BadZipFile, tarfile.TarError, lzma.LZMAError, zlib.error, ValueError, OSError, *DAMAGE_7Z)


class Damaged(OSError):
    """A member's bytes do not decode (a bad CRC, a broken deflate stream): read as `corrupt`."""


class Unpacking(io.RawIOBase):
    """A member's (or a compressed tar's) inflated bytes within the caps: the archive's unpacked
    bytes, the scan's, and the unpacked:packed ratio past the first MB (`bomb`); a decoding error is
    `Damaged`, so the reader marks the member corrupt and keeps what came before."""

    def __init__(
        self, raw, packed: Callable[[], int] | None, limits: Limits, total: Unpacked, budget: Unpacked, step=MB
    ):
        self._raw, self._packed, self._limits, self._total, self._budget = raw, packed, limits, total, budget
        self._step = step  # bytes asked at a time: what a break loses (tarfile drops a read cut short)
        self._read = getattr(raw, "read1", raw.read)
        self.unpacked = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        limits = self._limits
        if self._budget.total >= limits.decompressed_bytes:
            raise Bomb(
                f"the archive unpacks to more than {limits.decompressed_bytes >> 20} MB (limits.decompressed_bytes)"
            )
        if self._total.total >= limits.decompressed_total:
            raise Bomb(f"the scan unpacked more than {limits.decompressed_total >> 20} MB (limits.decompressed_total)")
        if self._packed is not None and self.unpacked > MB:
            if self.unpacked > limits.compression_ratio * max(1, self._packed()):
                raise Bomb(f"unpacks more than {limits.compression_ratio} times its size (limits.compression_ratio)")
        try:
            data = self._read(min(len(buffer), self._step))
        except (Bomb, EOFError, PermissionError, ItemError):
            raise
        except DAMAGE:
            raise Damaged("the archive member is damaged") from None
        n = len(data)
        buffer[:n] = data
        self.unpacked += n
        self._total.total += n
        self._budget.total += n
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


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
def spooled(stream, limits: Limits) -> Iterator:
    with tempfile.TemporaryDirectory(prefix="pdscan-") as folder:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=folder) as spool:
            written = 0
            while chunk := stream.read(MB):
                written += len(chunk)
                if written > limits.temp_bytes:
                    raise ItemError(
                        "too_large", f"a zip inside an archive over limits.temp_bytes ({limits.temp_bytes >> 20} MB)"
                    )
                spool.write(chunk)
            spool.seek(0)
            yield spool
