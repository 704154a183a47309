"""What the document formats share: extracted text as batches with their place in the document,
the pages limit, a source's size, and opening an Office or OpenDocument zip within the limits."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch
from pdscan.connectors.formats.base import CERTAIN
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

# An Office or OpenDocument zip sniffs surer than a zip as such (an archive reader's CERTAIN).
DOCUMENT_ZIP = CERTAIN + 0.5
ZIP_MAGIC = b"PK\x03\x04"
MAX_LINES = 4096  # lines of extracted text per batch


class Lines:
    """Lines of extracted text, each with its own place (a page, a paragraph, a shape), gathered into
    batches of MAX_LINES: one detector call for many paragraphs, not one each."""

    def __init__(self, result: ItemResult):
        self.result = result
        self.values: list[str] = []
        self.lines: list[int] = []
        self.places: list[tuple] = []

    def add(self, text: str, place: tuple) -> Iterator[Batch]:
        """The lines of `text`, numbered from 1, at `place`; a batch when enough are gathered."""
        for number, line in enumerate(text.split("\n"), 1):
            self.values.append(line[:-1] if line.endswith("\r") else line)
            self.lines.append(number)
            self.places.append(place)
        if len(self.values) >= MAX_LINES:
            yield from self.flush()

    def add_line(self, line: str, number: int, place: tuple) -> Iterator[Batch]:
        """One line already cut (an OCR line), numbered `number`, at its own `place` (page and box)."""
        self.values.append(line)
        self.lines.append(number)
        self.places.append(place)
        if len(self.values) >= MAX_LINES:
            yield from self.flush()

    def flush(self) -> Iterator[Batch]:
        if self.values:
            self.result.records += len(self.values)
            yield Batch(
                values=pa.array(self.values, pa.string()),
                lines=np.array(self.lines, dtype=np.int64),
                places=self.places,
            )
            self.values, self.lines, self.places = [], [], []


def numbered_batch(values: list[str], lines: list[int], result: ItemResult, places: list | None = None) -> Batch:
    """Values already cut into lines, each with its line number (and its own place)."""
    result.records += len(values)
    return Batch(values=pa.array(values, pa.string()), lines=np.array(lines, dtype=np.int64), places=places)


def past_pages(number: int, limits: Limits, result: ItemResult, what: str = "pages") -> bool:
    """Page (slide) `number` is over limits.pages: the item is partial and reading stops."""
    if number <= limits.pages:
        return False
    result.partial("too_large", f"more than {limits.pages} {what} (limits.pages): the first {limits.pages} were read")
    return True


def extension(name: str) -> str:
    """The extension of `name` in lower case ("" when there is none)."""
    return os.path.splitext(name.lower())[1]


def from_start(read, source, result: ItemResult, limits: Limits) -> Iterator[Batch]:
    """`read(stream, result, limits)` on `source`: a path, opened here (a reader given the path could
    read it whole into memory), or a seekable binary file, from its start."""
    if isinstance(source, str):
        with open(source, "rb") as fh:
            yield from read(fh, result, limits)
    else:
        source.seek(0)
        yield from read(source, result, limits)


def size_of(source) -> int:
    if isinstance(source, str):
        return os.path.getsize(source)
    return source.seek(0, os.SEEK_END)


def ooxml_confidence(head: bytes, main_part: str) -> float:
    """DOCUMENT_ZIP when `head` starts an Office Open XML zip whose main part is `main_part`, else 0."""
    if not head.startswith(ZIP_MAGIC):
        return 0.0
    names = zip_names(head)
    return DOCUMENT_ZIP if "[Content_Types].xml" in names and main_part in names else 0.0


def zip_names(head: bytes) -> list[str]:
    """Member names in the local and central headers inside `head` (a zip's first bytes)."""
    names = []
    for signature, length_at, name_at in ((b"PK\x03\x04", 26, 30), (b"PK\x01\x02", 28, 46)):
        at = head.find(signature)
        while at != -1 and at + name_at <= len(head):
            length = int.from_bytes(head[at + length_at : at + length_at + 2], "little")
            names.append(head[at + name_at : at + name_at + length].decode("utf-8", "replace"))
            at = head.find(signature, at + 4)
    return names


def open_zip(source, limits: Limits, kind: str) -> zipfile.ZipFile:
    """The document's zip, its declared unpacked size and ratio checked (`bomb`); `corrupt` when not a zip."""
    try:
        archive = zipfile.ZipFile(source)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ItemError("corrupt", f"a damaged {kind} (not a readable zip)") from None
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > limits.decompressed_bytes:
        archive.close()
        raise ItemError("bomb", f"a {kind} unpacking to more than limits.decompressed_bytes")
    if unpacked > (1 << 20) and unpacked / packed > limits.compression_ratio:
        archive.close()
        raise ItemError("bomb", f"a {kind} compressed more than limits.compression_ratio")
    return archive


def member_chunks(archive: zipfile.ZipFile, name: str, kind: str, chunk: int = 1 << 20) -> Iterator[bytes]:
    """A member's bytes in bounded chunks; `corrupt` when it cannot be inflated."""
    try:
        with archive.open(name) as member:
            while data := member.read(chunk):
                yield data
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        raise ItemError("corrupt", f"a damaged {kind} (part {name} cannot be read)") from None
