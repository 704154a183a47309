"""7z archives through py7zr, their members streamed from one extracting thread, never extracted.

py7zr writes a member's bytes to a writer it asks a factory for (`py7zr.io.WriterFactory`); the
readers pull. A thread runs the extraction into `_Pipe`s that hand the bytes over a small queue, so
the reader holds a few MB at a time plus py7zr's own block (its `get_memory_limit`: up to 128 MB, a
quarter of free memory when less). The members come in py7zr's order, one pass over the archive,
as a compressed tar's do: listing reads each member's head and skips the rest; reading a member goes
through the members before it in a solid block (the connector's cursor keeps the pass open between
members read in order). Encrypted content or headers are `encrypted` (never decrypted); a member
declaring more than `limits.compression_ratio` times the archive's size is a `bomb`.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator
from contextlib import ExitStack

import py7zr
import py7zr.exceptions
from py7zr.io import Py7zIO, WriterFactory

from pdscan.connectors.formats.archive_streams import DAMAGE_7Z, Damaged, spooled
from pdscan.connectors.limits import Limits
from pdscan.connectors.streams import Bomb
from pdscan.core.errors import ItemError

__all__ = ["Extraction", "Members", "entries", "open_7z"]

MB = 1 << 20
SLICE = MB  # bytes handed over the queue at a time
QUEUED = 4  # slices (and member starts and ends) waiting for the reader
UNSUPPORTED = py7zr.exceptions.UnsupportedCompressionMethodError


class _Stopped(Exception):
    """The reader closed the extraction: the thread ends."""


def open_7z(stream, limits: Limits) -> py7zr.SevenZipFile:
    """The archive's directory (`stream` seekable); encrypted headers are `encrypted`, a damaged one `corrupt`."""
    try:
        return py7zr.SevenZipFile(stream, mode="r", max_extract_size=limits.decompressed_bytes)
    except py7zr.exceptions.PasswordRequired:
        raise ItemError("encrypted", "a 7z with encrypted headers: never decrypted") from None
    except UNSUPPORTED:
        raise ItemError("unsupported_format", "a 7z compression method py7zr does not read") from None
    except DAMAGE_7Z:
        raise ItemError("corrupt", "the 7z directory is damaged") from None


def declared_problem(archive: py7zr.SevenZipFile, info, packed: int, limits: Limits, budget: int):
    """(reason, detail) why a member is not read from its header (encryption, declared sizes), else None."""
    if archive.needs_password():
        return "encrypted", "a password-protected 7z: never decrypted"
    size = info.uncompressed or 0
    if size > MB and size > limits.compression_ratio * max(1, packed):
        return (
            "bomb",
            f"declares more than {limits.compression_ratio} times the archive's size (limits.compression_ratio)",
        )
    if budget + size > limits.decompressed_bytes:
        return (
            "bomb",
            f"the archive unpacks to more than {limits.decompressed_bytes >> 20} MB (limits.decompressed_bytes)",
        )
    return None


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


class Members:
    """The file members of one 7z, opened by (index, name) in any order: those asked for in py7zr's
    order come from one pass; one asked for out of it starts a pass of its own."""

    def __init__(self, stream, limits: Limits, nested: bool):
        self._stack = ExitStack()
        try:
            if nested:  # py7zr seeks to the directory at the end: a 7z inside an archive goes to a temp file
                stream = self._stack.enter_context(spooled(stream, limits))
            self.packed = stream.seek(0, io.SEEK_END)
            stream.seek(0)
            self.archive = open_7z(stream, limits)
        except BaseException:
            self._stack.close()
            raise
        self.files = [(index, f) for index, f in enumerate(self.archive.files) if not f.is_directory]
        multi = self.archive.header.main_streams is None or self.archive.header.main_streams.unpackinfo.numfolders > 1
        order = [i for i, f in self.files if f.emptystream] + [i for i, f in self.files if not f.emptystream]
        self._position = {index: at for at, index in enumerate(order if multi else [i for i, _ in self.files])}
        self._pass: Iterator | None = None
        self._extraction: Extraction | None = None
        self._at = -1

    def passing(self, targets: list[str] | None = None) -> Iterator[tuple[int, str, io.RawIOBase]]:
        """(index, name, stream) of the members named (or all), in py7zr's order, from a new pass."""
        self._close_pass()
        if self._started:
            self.archive.reset()
        self._started = True
        waiting: dict[str, list[int]] = {}
        for index, f in self.files:
            waiting.setdefault(f.filename, []).append(index)
        self._extraction = Extraction(self.archive, targets)
        for name, stream in self._extraction:
            indices = waiting.get(name)
            if indices:  # a name py7zr renamed (a duplicate) is left out: read on its own, it is not found
                yield indices.pop(0), name, stream

    _started = False

    def open(self, index: int, name: str) -> io.RawIOBase:
        position = self._position.get(index, -1)
        if self._pass is None or position <= self._at:
            self._pass, self._at = self.passing(), -1
        for at, found, stream in self._pass:
            self._at = self._position.get(at, -1)
            if at == index and found == name:
                return stream
            if self._at > position:
                break
        self._pass, self._at = self.passing([name]), -1  # the pass ended before it (a damaged member)
        for at, found, stream in self._pass:
            if at == index and found == name:
                return stream
        raise ItemError("vanished", "the member is no longer in the archive")

    def _close_pass(self) -> None:
        if self._extraction is not None:
            extraction, self._extraction = self._extraction, None
            extraction.close()

    def __enter__(self) -> Members:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._close_pass()
            self.archive.close()
        finally:
            self._stack.close()


def entries(members: Members, limits: Limits):
    """(index, name, size, problem or None, opener) of each file member, for a listing: the members
    without a problem from one pass (their heads sniffed as they come), the rest after it."""
    declared, problems, targets = 0, {}, []
    for index, f in members.files:
        problems[index] = declared_problem(members.archive, f, members.packed, limits, declared)
        declared += f.uncompressed or 0
        if problems[index] is None:
            targets.append(f.filename)
    seen = set()
    if targets:
        try:
            for index, name, stream in members.passing(targets):
                seen.add(index)
                yield index, name, members.archive.files[index].uncompressed or 0, None, lambda stream=stream: stream
        except (Damaged, *DAMAGE_7Z):
            pass  # the members after the damage are listed below and read on their own
    for index, f in members.files:
        if index not in seen:
            yield index, f.filename, f.uncompressed or 0, problems[index], _unsniffed


def _unsniffed():
    raise Damaged("not reached by the listing's pass: read on its own")
