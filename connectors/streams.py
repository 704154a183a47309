"""Streams every reader shares: a guard that turns a broken compressed tail into a clean EOF,
gzip, bzip2 and xz with decompression caps (archive members too: `Unpacking`), and UTF-8 decoding that marks (never drops) bad bytes."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

MB = 1 << 20
PACKED_STEP = 16 << 10  # compressed bytes fed to the inflater at a time: the ratio is known to within this


class GuardedStream(io.RawIOBase):
    """A read-only stream that turns a broken compressed tail into a clean EOF.

    The item is marked partial ('truncated', 'corrupt' or, past a decompression cap, 'bomb')
    and whatever came before the break is still scanned. Counts the bytes handed out.
    """

    def __init__(self, raw, result: ItemResult):
        self._raw = raw
        # read1 hands out what one compressed block gave; read(n) would lose it on a break
        self._read = getattr(raw, "read1", raw.read)
        self._result = result
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._read(len(buffer))
        except EOFError:
            self._result.partial("truncated", "the compressed stream ends early")
            return 0
        except Bomb as exc:
            self._result.partial("bomb", str(exc))
            return 0
        except (zlib.error, OSError) as exc:
            if isinstance(exc, PermissionError):
                raise
            self._result.partial("corrupt", "the compressed stream is damaged")
            return 0
        n = len(data)
        buffer[:n] = data
        self.bytes_read += n
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class Bomb(Exception):
    """A decompression cap was hit; the message names the cap, never the data."""


@dataclass
class Unpacked:
    """Bytes decompressed so far by one connector, for the per-scan cap (`decompressed_total`).

    Each worker process has its connector and so its own total: with N workers a scan may unpack
    up to N times the cap (each process stays within it)."""

    total: int = 0


class Damaged(OSError):
    """Compressed bytes that do not decode (a bad CRC, a broken deflate stream): read as `corrupt`."""


DECODING = (lzma.LZMAError, zlib.error, ValueError, OSError)  # what a decoder raises on damaged input
CODECS = {
    "gz": lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    "bz2": lambda raw: bz2.BZ2File(raw, "rb"),
    "xz": lambda raw: lzma.LZMAFile(raw, "rb"),
}


class Unpacking(io.RawIOBase):
    """Inflated bytes within the caps, the one place they are checked: bytes of this stream's
    `budget` (a file, or all members of an archive), the scan's (`total`), and the unpacked:packed
    ratio past the first MB (`bomb`); a decoding error (`damage`) is `Damaged`, so the reader marks
    the item corrupt and keeps what came before."""

    def __init__(
        self, raw, packed: Callable[[], int] | None, limits: Limits, total: Unpacked, budget: Unpacked, step=MB,
        damage: tuple = DECODING, what: str = "the archive",
    ):  # fmt: skip
        self._raw, self._packed, self._limits, self._total, self._budget = raw, packed, limits, total, budget
        self._step = step  # bytes asked at a time: what a break loses (tarfile drops a read cut short)
        self._read = getattr(raw, "read1", raw.read)
        self._damage, self._what = damage, what
        self.unpacked = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        limits = self._limits
        if self._budget.total >= limits.decompressed_bytes:
            raise Bomb(
                f"{self._what} unpacks to more than {_mb(limits.decompressed_bytes)} (limits.decompressed_bytes)"
            )
        if self._total.total >= limits.decompressed_total:
            raise Bomb(f"the scan unpacked more than {_mb(limits.decompressed_total)} (limits.decompressed_total)")
        if self._packed is not None and self.unpacked > MB:
            if self.unpacked > limits.compression_ratio * max(1, self._packed()):
                raise Bomb(f"unpacks more than {limits.compression_ratio} times its size (limits.compression_ratio)")
        try:
            data = self._read(min(len(buffer), self._step))
        except (Bomb, EOFError, PermissionError, ItemError):
            raise
        except self._damage:
            raise Damaged("the compressed bytes are damaged") from None
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


class Inflating(Unpacking):
    """A gzip, bzip2 or xz stream (`codec`) inflated within the caps of `limits`: bytes per file,
    bytes per scan (`unpacked`), the ratio. The packed side is fed to the inflater in small steps
    (`Counted`) so the ratio is known as it grows, not only after a whole buffer of input."""

    def __init__(self, packed, limits: Limits, unpacked: Unpacked | None = None, codec: str = "gz", what="it"):
        counter = Counted(packed)
        total = unpacked if unpacked is not None else Unpacked()
        super().__init__(CODECS[codec](counter), lambda: counter.taken, limits, total, Unpacked(), what=what)


class Counted:
    """Hands out a compressed stream's bytes `step` at a time and counts them (an inflater's input,
    for the compression ratio)."""

    def __init__(self, raw, step: int = PACKED_STEP):
        self._raw, self._step = raw, step
        self.taken = 0

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(self._step if n is None or n < 0 else min(n, self._step))
        self.taken += len(data)
        return data


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB"


def decode_utf8(data: bytes, result: ItemResult) -> str:
    """Strict UTF-8; bad bytes are replaced (and the item marked) rather than dropped."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        result.partial("invalid_utf8", "invalid UTF-8 bytes were replaced before scanning")
        return data.decode("utf-8", "replace")


def to_strings(values: pa.Array, result: ItemResult) -> pa.Array:
    """Binary or string array as UTF-8 strings, replacing invalid bytes."""
    if pa.types.is_string(values.type):
        return values
    try:
        return values.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out = [None if v is None else decode_utf8(v, result) for v in values.cast(pa.binary()).to_pylist()]
    return pa.array(out, pa.string())
