"""Images: PNG, JPEG and TIFF (each page of a multi-page TIFF), read by OCR (pdscan.connectors.formats.ocr).

Sniffed by their magic numbers, whatever the name. OCR is off unless asked for: an image is then
skipped as `ocr_off` (and as `ocr_unavailable` when Tesseract is missing). Each recognized line is
a value at (`page`, `line`, `box`): the page (frame) from 1, the line on it from 1, and the line's
box in the image's pixels [left, top, width, height]. Pages past limits.pages are not read
(`too_large`), an image over limits.image_pixels is never decoded (`bomb`), a page OCR'd longer
than limits.ocr_seconds is left out (`timeout`) and the next one read.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator

from pdscan.connectors.base import Batch
from pdscan.connectors.formats import doctext, ocr
from pdscan.connectors.formats.base import CERTAIN, Format
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),  # BigTIFF
    (b"MM\x00+", "TIFF"),
)
TESSERACT_MODES = ("1", "L", "RGB")  # others (palette, CMYK, 16-bit) are converted to grey first


def kind_of(head: bytes) -> str | None:
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


class Image(Format):
    name = "image"
    seekable = True  # Pillow seeks to a TIFF's pages and a PNG's chunks

    def sniff(self, head: bytes, name: str) -> float:
        return CERTAIN if kind_of(head) else 0.0

    def read(self, source, result, limits):
        return doctext.from_start(_read, source, result, limits)

    def size_of(self, source) -> int:
        return doctext.size_of(source)


def _read(stream, result: ItemResult, limits: Limits) -> Iterator[Batch]:
    kind = kind_of(stream.read(8)) or "image"
    stream.seek(0)
    ocr.require(limits, f"a {kind} image")
    from PIL import Image as PilImage  # with OCR on only: a scan without it never imports Pillow

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DecompressionBombWarning: limits.image_pixels decides
        try:
            image = PilImage.open(stream)
        except PilImage.DecompressionBombError:
            raise ItemError("bomb", f"a {kind} image of more pixels than Pillow decodes") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ItemError("corrupt", f"a damaged {kind} image (it cannot be decoded)") from None
        lines = doctext.Lines(result)
        for number in itertools.count(1):  # not n_frames: it walks every page of a TIFF first
            try:
                image.seek(number - 1)
            except EOFError:
                break
            except (OSError, SyntaxError, ValueError):
                result.partial("corrupt", f"page {number} of the {kind} image cannot be found")
                break
            if doctext.past_pages(number, limits, result):
                break
            try:
                frame = _decoded(image, number, kind, limits, result)
            except ItemError as exc:
                if number == 1:
                    raise
                result.partial(exc.reason, exc.detail)
                break
            yield from page_lines(frame, (("page", number),), 1, lines, result, limits)
        yield from lines.flush()


def _decoded(image, number: int, kind: str, limits: Limits, result: ItemResult):
    """Page `number` of `image`, decoded within limits.image_pixels, in a mode Tesseract reads."""
    what = f"page {number} of the {kind} image"
    ocr.check_pixels(image.width, image.height, limits, what)
    try:
        image.load()
        return image if image.mode in TESSERACT_MODES else image.convert("L")
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ItemError("corrupt", f"{what} cannot be decoded") from None


def page_lines(image, place: tuple, first: int, lines: doctext.Lines, result: ItemResult, limits: Limits):
    """The OCR lines of one page image, numbered from `first`, each at `place` and its box."""
    try:
        found = ocr.read_lines(image, limits)
    except ocr.OcrTimeout:
        where = ", ".join(f"{k} {v}" for k, v in place)
        result.partial("timeout", f"{where}: OCR took more than limits.ocr_seconds ({limits.ocr_seconds} s)")
        return first
    for number, line in enumerate(found, first):
        yield from lines.add_line(line.text, number, place + (("box", line.box),))
    return first + len(found)
