"""7z archives through py7zr, their members streamed from one extracting thread, never extracted.

The members are streamed from py7zr's extracting thread (pdscan.connectors.formats.archive_7z_pipe)
with bounded memory, in py7zr's order, one pass over the archive as a compressed tar's: listing
reads each member's head and skips the rest; reading a member goes through the members before it
in a solid block (the connector's cursor keeps the pass open between members read in order). Encrypted content or headers are `encrypted` (never decrypted); a member
declaring more than `limits.compression_ratio` times the archive's size is a `bomb`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import ExitStack

import py7zr
import py7zr.exceptions

from pdscan.connectors.formats.archive_7z_pipe import UNSUPPORTED, Extraction
from pdscan.connectors.formats.archive_streams import DAMAGE_7Z, Damaged, spooled
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError

__all__ = ["Members", "entries", "open_7z"]

MB = 1 << 20


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
