"""Word-processing documents: DOCX (and DOCM: its macros are never run) and ODT, read as zips of
XML (pdscan.connectors.formats.officexml), streamed part by part.

Sniffed by the zip's own members ([Content_Types].xml with word/document.xml; an ODF `mimetype`
naming a text document), never by the name: a `.docx` that is a zip of CSVs is not a DOCX.
Paragraphs are text (`paragraph`, then `line` inside it); tables are tables, their first row
the header unless it holds values (then `column_1` ...), with column classification as a CSV's
(`table`, `row`, `column`). Headers, footers, comments and notes come after the body, with their `part`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch
from pdscan.connectors.formats import doctext, officexml
from pdscan.connectors.formats.base import Format
from pdscan.connectors.formats.headers import looks_like_value, positional
from pdscan.core.errors import ItemError

ROWS_PER_BATCH = 1000
MAX_HEADER = 80  # a first-row cell longer than this is text, not a column name
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML file holds
ODT_MIME = b"application/vnd.oasis.opendocument.text"
_WORD_PARTS = re.compile(r"word/(header\d*|footer\d*|comments|footnotes|endnotes)\.xml")


class Docx(Format):
    name = "docx"
    seekable = True

    def sniff(self, head: bytes, name: str) -> float:
        return doctext.ooxml_confidence(head, "word/document.xml")

    def read(self, source, result, limits):
        with doctext.open_zip(source, limits, "DOCX document") as archive:
            members = archive.namelist()
            if "word/document.xml" not in members:
                raise ItemError("corrupt", "a damaged DOCX document (no word/document.xml)")
            parts = [("word/document.xml", ())] + [
                (m, (("part", _WORD_PARTS.fullmatch(m).group(1)),)) for m in sorted(members) if _WORD_PARTS.fullmatch(m)
            ]
            yield from read_parts(archive, parts, officexml.WORD, "DOCX document", result)

    def size_of(self, source) -> int:
        return doctext.size_of(source)


class Odt(Format):
    name = "odt"
    seekable = True

    def sniff(self, head: bytes, name: str) -> float:
        if not head.startswith(doctext.ZIP_MAGIC) or "mimetype" not in doctext.zip_names(head)[:1]:
            return 0.0
        return doctext.DOCUMENT_ZIP if ODT_MIME in head[:200] else 0.0

    def read(self, source, result, limits):
        with doctext.open_zip(source, limits, "ODT document") as archive:
            members = archive.namelist()
            if "META-INF/manifest.xml" in members:
                manifest = b"".join(doctext.member_chunks(archive, "META-INF/manifest.xml", "ODT document"))
                if b"encryption-data" in manifest:
                    raise ItemError("encrypted", "a password-protected ODT document")
            if "content.xml" not in members:
                raise ItemError("corrupt", "a damaged ODT document (no content.xml)")
            parts = [("content.xml", ())] + ([("styles.xml", (("part", "styles"),))] if "styles.xml" in members else [])
            yield from read_parts(archive, parts, officexml.ODF, "ODT document", result)

    def size_of(self, source) -> int:
        return doctext.size_of(source)


class EncryptedOffice(Format):
    """An encrypted DOCX, XLSX or PPTX: an OLE file holding an EncryptionInfo stream. Never opened."""

    name = "encrypted-office"

    def sniff(self, head: bytes, name: str) -> float:
        return doctext.DOCUMENT_ZIP if head.startswith(OLE_MAGIC) and ENCRYPTION_INFO in head else 0.0

    def read(self, source, result, limits):
        raise ItemError("encrypted", "a password-protected Office document")


def read_parts(archive, parts: list, words, kind: str, result) -> Iterator[Batch]:
    """Paragraphs and tables of each XML part, the body first."""
    used: dict[str, int] = {}  # column names taken by an earlier table
    text = doctext.Lines(result)
    for member, place in parts:
        prefix = f"{place[0][1]} " if place else ""
        paragraph = 0
        table = _Table(0, prefix, place, used)
        for event in officexml.walk(doctext.member_chunks(archive, member, kind), words, kind):
            if event[0] == "paragraph":
                paragraph += 1
                if event[1].strip():
                    yield from text.add(event[1], place + (("paragraph", paragraph),))
                continue
            _, number, cells = event
            if number != table.number:
                yield from table.flush()
                table = _Table(number, prefix, place, used)
            yield from table.add(cells, result)
        yield from table.flush()
    yield from text.flush()


class _Table:
    """The rows of one table, a batch per column every ROWS_PER_BATCH rows."""

    def __init__(self, number: int, prefix: str, place: tuple, used: dict):
        self.number = number
        self.name = f"{prefix}table {number}"
        self.place = place + (("table", number),)
        self.used = used
        self.fields: list[str] | None = None
        self.rows: list[list[str]] = []
        self.first = 0  # row index of self.rows[0]

    def add(self, cells: list[str], result) -> Iterator[Batch]:
        if self.fields is None:
            header = all(len(c) <= MAX_HEADER and not looks_like_value(c) for c in cells)
            self.fields = self._names(cells if header else positional(len(cells)))
            if header:
                return
        if len(cells) > len(self.fields):
            self.fields += self._names(positional(len(cells))[len(self.fields) :])
        self.rows.append(cells)
        result.records += 1
        if len(self.rows) >= ROWS_PER_BATCH:
            yield from self.flush()

    def _names(self, cells: list[str]) -> list[str]:
        names = []
        for i, cell in enumerate(cells):
            name = " ".join(cell.split()) or f"column_{i + 1}"
            while name in names or self.used.get(name, self.number) != self.number:
                name = f"{self.name}.{name}" if self.used.get(name, self.number) != self.number else f"{name}_{i + 1}"
            self.used[name] = self.number
            names.append(name)
        return names

    def flush(self) -> Iterator[Batch]:
        if not self.rows:
            return
        rows = np.arange(self.first, self.first + len(self.rows))
        for i, field in enumerate(self.fields or ()):
            values = pa.array([row[i] if i < len(row) else "" for row in self.rows], pa.string())
            yield Batch(values=values, field=field, tabular=True, rows=rows, table=self.name, place=self.place)
        self.first += len(self.rows)
        self.rows = []
