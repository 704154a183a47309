"""pdscan's own formats: text, CSV, TSV, JSON, NDJSON and Parquet, registered through `pdscan_formats`.

A magic number is certain; otherwise the name's extension is a hint (0.5), and text takes
whatever nothing else claims. JSON named `.json` whose first lines are each a whole JSON value is
NDJSON (content over name).
"""

from __future__ import annotations

from pdscan.connectors.formats import archive, images, jsonfmt, mail, parquet, sheets, tabular, text
from pdscan.connectors.formats.base import CERTAIN, Format
from pdscan.connectors.formats.documents import Docx, EncryptedOffice, Odt
from pdscan.connectors.formats.markup import Html, Rtf, Xml
from pdscan.connectors.formats.pdf import Pdf
from pdscan.connectors.formats.slides import Pptx

HINT = 0.5  # the extension says so
FALLBACK = 0.1  # text: anything that is not binary
PARQUET_MAGIC = b"PAR1"


def extension(name: str) -> str:
    """The extension of `name` in lower case, a `.gz`, `.bz2` or `.xz` suffix left out ("" when there is none)."""
    base = name.lower()
    for suffix in (".gz", ".bz2", ".xz"):
        base = base.removesuffix(suffix)
    dot = base.rfind(".")
    return base[dot:] if dot > base.rfind("/") else ""


class Text(Format):
    name = "text"

    def sniff(self, head: bytes, name: str) -> float:
        return FALLBACK

    def read(self, source, result, limits):
        return text.read_text(source, result)


class Csv(Format):
    name = "csv"
    extensions = (".csv",)
    delimiter: str | None = None

    def sniff(self, head: bytes, name: str) -> float:
        return HINT if extension(name) in self.extensions else 0.0

    def read(self, source, result, limits):
        return tabular.read_csv(source, result, self.delimiter, limits=limits)


class Tsv(Csv):
    name = "tsv"
    extensions = (".tsv", ".tab")
    delimiter = "\t"


class Json(Format):
    name = "json"

    def sniff(self, head: bytes, name: str) -> float:
        return HINT if extension(name) == ".json" else 0.0

    def read(self, source, result, limits):
        return jsonfmt.read_json(source, result, limits)


class Ndjson(Format):
    name = "ndjson"

    def sniff(self, head: bytes, name: str) -> float:
        ext = extension(name)
        if ext == ".json" and jsonfmt.looks_like_ndjson(head):
            return HINT + 0.1  # one value per line, whatever the name says
        return HINT if ext in (".ndjson", ".jsonl") else 0.0

    def read(self, source, result, limits):
        return jsonfmt.read_ndjson(source, result, limits)


class Parquet(Format):
    name = "parquet"
    seekable = True

    def sniff(self, head: bytes, name: str) -> float:
        return CERTAIN if head.startswith(PARQUET_MAGIC) else 0.0

    def read(self, source, result, limits):
        return parquet.read_parquet(source, result, limits=limits)

    def size_of(self, source) -> int:
        return parquet.size_of(source)


BUILTIN = (Text, Csv, Tsv, Json, Ndjson, Parquet, archive.Archive)
BUILTIN += (sheets.Workbook, sheets.Ole)
BUILTIN += (mail.Eml, mail.Mbox)
BUILTIN += (Pdf, Docx, Odt, Pptx, EncryptedOffice)  # documents
BUILTIN += (Html, Xml, Rtf)  # markup: visible text
BUILTIN += (images.Image,)  # PNG, JPEG, TIFF: by OCR, when it is on
