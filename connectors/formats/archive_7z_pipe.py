"""py7zr's push turned into the readers' pull: py7zr writes each member's bytes to a writer it asks a
factory for (`py7zr.io.WriterFactory`); a thread runs the extraction into `_Pipe`s that hand the
bytes over a small queue, a slice at a time, to a stream per member. The reader holds a few MB
plus py7zr's own block (its `get_memory_limit`: up to 128 MB, a quarter of free memory when less).
A member's writer is closed only when its CRC matched: a damaged one ends with `Damaged`.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator

import py7zr
import py7zr.exceptions
from py7zr.io import Py7zIO, WriterFactory

from pdscan.connectors.formats.archive_streams import Damaged
from pdscan.connectors.streams import Bomb
from pdscan.core.errors import ItemError

__all__ = ["UNSUPPORTED", "Extraction", "raise_named"]

MB = 1 << 20
SLICE = MB  # bytes handed over the queue at a time
QUEUED = 4  # slices (and member starts and ends) waiting for the reader
UNSUPPORTED = py7zr.exceptions.UnsupportedCompressionMethodError


class _Stopped(Exception):
    """The reader closed the extraction: the thread ends."""


class _Pipe(Py7zIO):
    """One member's bytes from the extracting thread to the reader, a slice at a time."""

    def __init__(self, extraction: Extraction):
        self._extraction = extraction
        self._size = 0

    def write(self, s) -> int:
        view = memoryview(s)
        for at in range(0, len(view), SLICE):
            self._extraction.put(("data", bytes(view[at : at + SLICE])))
        self._size += len(view)
        return len(view)

    def read(self, size=None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return self._size

    def close(self) -> None:  # called when the member came out whole and its CRC matched
        self._extraction.put(("end", None))


class Extraction(WriterFactory):
    """The members of `archive` (those named in `targets`, or all) as (name, stream), in py7zr's order,
    from one thread; `close()` stops it."""

    def __init__(self, archive: py7zr.SevenZipFile, targets: list[str] | None = None):
        self._archive, self._targets = archive, targets
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUED)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pdscan-7z", daemon=True)
        self._current: _MemberStream | None = None
        self._done = False
        self._thread.start()

    def _run(self) -> None:
        try:
            self._archive.extract(targets=self._targets, factory=self)
            self.put(("done", None))
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the reader, which names it
            try:
                self.put(("error", exc))
            except _Stopped:
                pass

    def create(self, filename: str) -> Py7zIO:
        self.put(("start", filename))
        return _Pipe(self)

    def put(self, message) -> None:
        while True:
            if self._stop.is_set():
                raise _Stopped
            try:
                self._queue.put(message, timeout=0.1)
                return
            except queue.Full:
                continue

    def get(self):
        return self._queue.get()

    def __iter__(self) -> Iterator[tuple[str, io.RawIOBase]]:
        while not self._done:
            if self._current is not None:
                self._current.skip()  # the rest of the member before
                self._current = None
            kind, value = self.get()
            if kind == "start":
                self._current = _MemberStream(self)
                yield value, self._current
            elif kind == "error":
                self._done = True
                raise_named(value)
            else:  # done
                self._done = True

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.1)
            except queue.Empty:
                pass


def raise_named(exc: BaseException):
    """An error of py7zr as the reason pdscan gives it."""
    if isinstance(exc, (Bomb, ItemError, _Stopped)):
        raise exc
    if isinstance(exc, py7zr.exceptions.DecompressionBombError):
        raise Bomb("the archive unpacks to more than limits.decompressed_bytes") from None
    if isinstance(exc, py7zr.exceptions.PasswordRequired):
        raise ItemError("encrypted", "a password-protected 7z: never decrypted") from None
    if isinstance(exc, UNSUPPORTED):
        raise ItemError("unsupported_format", "a 7z compression method py7zr does not read") from None
    raise Damaged("the 7z member is damaged") from None


class _MemberStream(io.RawIOBase):
    """One member's bytes as they come from the extraction; a damaged member ends with `Damaged`."""

    def __init__(self, extraction: Extraction):
        self._extraction = extraction
        self._pending = b""
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._ended:
            kind, value = self._extraction.get()
            if kind == "data":
                self._pending = value
            elif kind == "end":
                self._ended = True
            else:
                self._ended = True
                self._extraction._done = True
                raise_named(value if kind == "error" else Damaged("the 7z member ends early"))
        n = min(len(buffer), len(self._pending))
        buffer[:n], self._pending = self._pending[:n], self._pending[n:]
        return n

    def skip(self) -> None:
        """Drop what is left of the member (a listing read its head only)."""
        self._pending = b""
        while not self._ended:
            kind, value = self._extraction.get()
            if kind == "end":
                self._ended = True
            elif kind != "data":
                self._ended = True
                self._extraction._done = True
                raise_named(value if kind == "error" else Damaged("the 7z member ends early"))
