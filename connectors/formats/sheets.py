"""Workbooks (XLSX, XLS, ODS) through python-calamine: each sheet a table, read like a CSV.

The first non-empty row of a sheet names its columns (as a CSV header does); every later row is a
record, so column classification runs per (sheet, column) as for CSV. Each value carries its cell
reference (`B7`). Calamine loads one sheet at a time; formulas are read as their cached values and
never evaluated, macros never run, external links never fetched.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator

import numpy as np
import olefile
import pyarrow as pa
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from pdscan.connectors.base import Batch
from pdscan.connectors.formats.base import CERTAIN, Format
from pdscan.connectors.formats.tabular import unique_names
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

ROWS_PER_BATCH = 65_536
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
XLSX_PARTS = re.compile(rb"xl/(?:workbook\.xml|worksheets/|styles\.xml|sharedStrings\.xml|theme/|_rels/)")
ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
# A zip that is a workbook beats a zip that is an archive (pdscan.connectors.formats.base.CERTAIN).
WORKBOOK = 1.1


def is_xlsx(head: bytes) -> bool:
    """An OOXML package whose local headers (within the first bytes) name the workbook parts
    (Excel writes `[Content_Types].xml` first, openpyxl last: the parts' names decide)."""
    return head.startswith(ZIP_MAGIC) and XLSX_PARTS.search(head) is not None


def is_ods(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) and head[30:].startswith(ODS_MIMETYPE)


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None  # booleans hold nothing the detectors look for
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e17 else repr(value)
    return str(value)


def _check_zip(source, kind: str) -> None:
    """Encrypted OOXML is an OLE file, an encrypted ODS names its encryption in the manifest."""
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            if kind == "ods" and "META-INF/manifest.xml" in names:
                if b"encryption-data" in archive.read("META-INF/manifest.xml"):
                    raise ItemError("encrypted", "a password-protected OpenDocument spreadsheet")
            if kind == "xlsx" and "xl/workbook.xml" not in names:
                raise ItemError("corrupt", "an OOXML package without xl/workbook.xml")
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ItemError("corrupt", "the workbook's zip directory is damaged") from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def read_workbook(source, result: ItemResult, limits: Limits, kind: str) -> Iterator[Batch]:
    """`source` a path or a seekable binary file; `kind` xlsx, xls or ods."""
    if kind in ("xlsx", "ods"):
        _check_zip(source, kind)
    try:
        book = CalamineWorkbook.from_object(source)
    except PasswordError:
        raise ItemError("encrypted", "a password-protected workbook") from None
    except (CalamineError, ValueError, OSError):
        raise ItemError("corrupt", f"not a readable {kind.upper()} workbook") from None
    names = book.sheet_names
    if len(names) > limits.sheets:
        result.partial("too_many_sheets", f"{len(names)} sheets: only the first {limits.sheets} were read")
        names = names[: limits.sheets]
    for number, name in enumerate(names, 1):
        try:
            sheet = book.get_sheet_by_name(name)
        except PasswordError:
            raise ItemError("encrypted", "a password-protected sheet") from None
        except (CalamineError, ValueError):
            result.partial("corrupt", f"sheet {number} could not be decoded; the other sheets were read")
            continue
        yield from _sheet_batches(sheet, name, result, limits)
    book.close()


def _sheet_batches(sheet, name: str, result: ItemResult, limits: Limits) -> Iterator[Batch]:
    start_row, start_col = sheet.start or (0, 0)
    rows = sheet.iter_rows()
    header_at = start_row
    for raw in rows:  # the first row holding anything is the header
        if any(_text(v) is not None for v in raw):
            break
        header_at += 1
    else:
        return
    header = [_text(v) or "" for v in raw]
    names = unique_names(header)
    if len(names) > limits.columns:
        result.partial("too_many_columns", f"{len(names)} columns: only the first {limits.columns} were read")
        names = names[: limits.columns]
    letters = [column_letters(start_col + i) for i in range(len(names))]
    read = 0
    while True:
        block = []
        for raw in rows:
            block.append(raw)
            if len(block) == ROWS_PER_BATCH:
                break
        if not block:
            return
        if read + len(block) > limits.sheet_rows:
            block = block[: limits.sheet_rows - read]
            result.partial("too_many_rows", f"a sheet over {limits.sheet_rows} rows: only the first were read")
        yield from _block_batches(block, name, names, letters, read, header_at + 1)
        read += len(block)
        result.records += len(block)
        if read >= limits.sheet_rows:
            return


def _block_batches(block, sheet, names, letters, first, first_sheet_row) -> Iterator[Batch]:
    rows = np.arange(first, first + len(block))
    for i, (field, letter) in enumerate(zip(names, letters)):
        values = [_text(r[i]) if i < len(r) else None for r in block]
        kept = [j for j, v in enumerate(values) if v is not None]
        if not kept:
            continue
        index = np.asarray(kept)
        yield Batch(
            values=pa.array([values[j] for j in kept], pa.string()),
            field=field,
            tabular=True,
            rows=rows[index],
            table=sheet,
            place=(("sheet", sheet), ("column", field)),
            cells=[f"{letter}{first_sheet_row + first + j + 1}" for j in kept],
        )


def size_of(source) -> int:
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source)
    if isinstance(source, io.IOBase) or hasattr(source, "seek"):
        return source.seek(0, os.SEEK_END)
    return 0


def ole_kind(source) -> str:
    """What an OLE2 compound file holds: xls, msg, encrypted (an encrypted OOXML package or a
    protected legacy file), or other."""
    try:
        with olefile.OleFileIO(source) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, EOFError):
        raise ItemError("corrupt", "a damaged OLE compound file") from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        return "encrypted"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if any(s.startswith("__substg1.0_") for s in streams):
        return "msg"
    return "other"


class Workbook(Format):
    """XLSX and ODS: zips whose first members say they are workbooks."""

    name = "workbook"
    seekable = True

    def sniff(self, head: bytes, name: str) -> float:
        return WORKBOOK if is_xlsx(head) or is_ods(head) else 0.0

    def read(self, source, result, limits):
        head = _head(source)
        return read_workbook(source, result, limits, "ods" if is_ods(head) else "xlsx")

    def size_of(self, source) -> int:
        return size_of(source)


class Ole(Format):
    """OLE2 compound files: XLS workbooks, Outlook MSG messages, encrypted Office packages."""

    name = "ole"
    seekable = True
    messages = None  # set by pdscan.connectors.formats.mail: how an MSG is read

    def sniff(self, head: bytes, name: str) -> float:
        return CERTAIN if head.startswith(OLE_MAGIC) else 0.0

    def read(self, source, result, limits):
        kind = ole_kind(source)
        if kind == "xls":
            return read_workbook(source, result, limits, "xls")
        if kind == "encrypted":
            raise ItemError("encrypted", "an encrypted Office file")
        if kind == "msg" and Ole.messages is not None:
            return Ole.messages(source, result, limits)
        raise ItemError("unsupported_format", "OLE document (legacy Office)")

    def size_of(self, source) -> int:
        return size_of(source)


def _head(source) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return f.read(128)
    at = source.tell()
    head = source.read(128)
    source.seek(at)
    return head
