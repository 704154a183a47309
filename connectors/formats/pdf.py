"""PDF: the text layer of each page (pypdf), read page by page from the file itself.

Sniffed by `%PDF-` in the first KB, whatever the name. A PDF with an owner password only (an empty
user password) opens as a viewer opens it; one that needs a password is `encrypted`. Nothing in
it is run (JavaScript, forms) or fetched (external references). Pages past limits.pages are not
read (`too_large`). A scanned page has no text layer: nothing is found on it. A page whose text
extraction takes more than limits.pdf_page_seconds of CPU time is `timeout` and the next page is read
(pdscan.connectors.formats.pageclock).
"""

from __future__ import annotations

import logging

from pdscan.connectors.formats import doctext
from pdscan.connectors.formats.base import CERTAIN, Format
from pdscan.connectors.formats.pageclock import PageClock, PageTimeout
from pdscan.core.errors import ItemError

MAGIC = b"%PDF-"


class Pdf(Format):
    name = "pdf"
    seekable = True

    def sniff(self, head: bytes, name: str) -> float:
        return CERTAIN if MAGIC in head[:1024] else 0.0

    def read(self, source, result, limits):
        if isinstance(source, str):
            with open(source, "rb") as fh:  # pypdf would read a path whole into memory
                yield from _read(fh, result, limits)
        else:
            source.seek(0)
            yield from _read(source, result, limits)

    def size_of(self, source) -> int:
        return doctext.size_of(source)


def _read(stream, result, limits):
    import pypdf  # imported on the first PDF: a scan without one never pays for it

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings may quote the file's bytes
    try:
        reader = pypdf.PdfReader(stream, strict=False)
        if reader.is_encrypted and not _opens(reader):
            raise ItemError("encrypted", "a password-protected PDF")
        pages = reader.pages
        count = len(pages)
    except ItemError:
        raise
    except Exception:  # pypdf raises many kinds on a damaged file
        raise ItemError("corrupt", "a damaged PDF (its structure cannot be read)") from None
    lines = doctext.Lines(result)
    clock = PageClock(limits.pdf_page_seconds)
    for number in range(1, count + 1):
        if doctext.past_pages(number, limits, result):
            break
        try:
            with clock:
                text = pages[number - 1].extract_text(**clock.visitors()) or ""
        except PageTimeout:
            seconds = limits.pdf_page_seconds
            result.partial(
                "timeout", f"page {number} of the PDF took over {seconds} s of CPU (limits.pdf_page_seconds)"
            )
            continue
        except Exception:
            result.partial("corrupt", f"page {number} of the PDF cannot be decoded")
            continue
        if text.strip():
            yield from lines.add(text, (("page", number),))
    yield from lines.flush()


def _opens(reader) -> bool:
    """Decrypted with the empty user password (an owner password only restricts printing, copying)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False
