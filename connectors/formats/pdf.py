"""PDF: the text layer of each page (pypdf), read page by page from the file itself.

Sniffed by `%PDF-` in the first KB, whatever the name. A PDF with an owner password only (an empty
user password) opens as a viewer opens it; one that needs a password is `encrypted`. Nothing in
it is run (JavaScript, forms) or fetched (external references). Pages past limits.pages are not
read (`too_large`). A page whose text extraction takes more than limits.pdf_page_seconds of CPU
time is `timeout` and the next page is read (pdscan.connectors.formats.pageclock).

A scanned page has no text layer, only images: with OCR on (pdscan.connectors.formats.ocr) the
images the page draws are read by Tesseract, each line at (`page`, `line`, `box`) as an image's
(pdscan.connectors.formats.images), plus `image` (its name) when the page has several; with OCR off
the PDF is partial (`ocr_off`). The images are taken from the PDF as pypdf decodes them, not
rendered: no rasterizer (poppler's pdftoppm) to install or run, and OCR sees the scan at its own
resolution. Text drawn as vector paths is not read; each image's declared size is checked
against limits.image_pixels before it is decoded (`bomb`).
"""

from __future__ import annotations

import logging

from pdscan.connectors.formats import doctext, images, ocr
from pdscan.connectors.formats.base import CERTAIN, Format
from pdscan.connectors.formats.pageclock import PageClock, PageTimeout
from pdscan.core.errors import ItemError

MAGIC = b"%PDF-"
JBIG2 = "decoding it needs jbig2dec (apt-get install jbig2dec)"


class Pdf(Format):
    name = "pdf"
    seekable = True

    def sniff(self, head: bytes, name: str) -> float:
        return CERTAIN if MAGIC in head[:1024] else 0.0

    def read(self, source, result, limits):
        return doctext.from_start(_read, source, result, limits)

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
        else:
            yield from _scanned(pages[number - 1], number, lines, result, limits)
    yield from lines.flush()


def _scanned(page, number: int, lines: doctext.Lines, result, limits):
    """The OCR lines of a page without a text layer (nothing when it draws no image)."""
    from pypdf.errors import DependencyError

    found = _images(page)
    if not found:
        return
    try:
        ocr.require(limits, f"page {number} of the PDF is scanned (images only)")
    except ItemError as exc:
        result.partial(exc.reason, exc.detail)
        return
    first = 1
    for key, width, height in found:
        place = (("page", number),) + ((("image", "/".join(key)),) if len(found) > 1 else ())
        try:
            ocr.check_pixels(width, height, limits, f"an image on page {number} of the PDF")
            image = page.images[key if len(key) > 1 else key[0]].image
        except ItemError as exc:
            result.partial(exc.reason, exc.detail)
            continue
        except DependencyError:  # JBIG2, the scanners' compact PDF: pypdf decodes it through jbig2dec
            result.partial("ocr_unavailable", f"an image on page {number} of the PDF is JBIG2; {JBIG2}")
            continue
        except Exception:  # pypdf raises many kinds on a damaged image stream
            result.partial("corrupt", f"an image on page {number} of the PDF cannot be decoded")
            continue
        if image is None:
            continue
        if image.mode not in images.TESSERACT_MODES:
            image = image.convert("L")
        first = yield from images.page_lines(image, place, first, lines, result, limits)


def _images(page, depth: int = 3) -> list[tuple[tuple[str, ...], int, int]]:
    """The image XObjects a page (and the forms it draws, `depth` deep) holds: key path, width, height."""
    found: list = []

    def walk(holder, path: tuple[str, ...], left: int) -> None:
        try:
            xobjects = holder.get("/Resources", {}).get_object().get("/XObject", {}).get_object()
            items = list(xobjects.items())
        except Exception:
            return
        for name, ref in items:
            try:
                xobject = ref.get_object()
                subtype = xobject.get("/Subtype")
                if subtype == "/Image":
                    found.append((path + (str(name),), int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))))
                elif subtype == "/Form" and left > 0:
                    walk(xobject, path + (str(name),), left - 1)
            except Exception:
                continue

    walk(page, (), depth)
    return found


def _opens(reader) -> bool:
    """Decrypted with the empty user password (an owner password only restricts printing, copying)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False
